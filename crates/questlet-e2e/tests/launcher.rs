//! The launcher (`data-mode="launcher"`): a floating button with the number of available
//! tasks opens the widget as a panel, which Escape, its close button and `Questlet.close`
//! close, giving the focus back; `Questlet.open` opens it; on a phone-sized screen it is a
//! modal dialog that keeps Tab inside. Real server, release widget, Chromium (and Firefox).

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use questlet_e2e::fixtures::browser::{engine, Browser};
use questlet_e2e::fixtures::devtools::cdp;
use questlet_e2e::fixtures::find::{eval, poll, wait_for_shadow_text};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::{json, Value};

/// The widget's host element (the launcher's tag has no container: the div after it).
const HOST: &str = "document.querySelector('[data-questlet-host]')";

/// Runs `script` with `host`, `root` (its shadow root), `panel` and `button` bound (each
/// `null` while the loader has not made it).
async fn widget(client: &fantoccini::Client, script: &str) -> Value {
    eval(
        client,
        &format!(
            "(() => {{ const host = {HOST}; const root = host && host.shadowRoot;
                       const panel = root && root.querySelector('.ql-root');
                       const button = root && root.querySelector('[part=launcher]');
                       return {script}; }})()"
        ),
    )
    .await
}

/// Waits until `script` (run as [`widget`] runs it) is true; an error it throws, as while
/// the widget is still loading, counts as not yet.
async fn wait_until(client: &fantoccini::Client, script: &str, what: &str) {
    let guarded =
        format!("(() => {{ try {{ return {script}; }} catch (e) {{ return false; }} }})()");
    let done = poll(async || (widget(client, &guarded).await == json!(true)).then_some(())).await;
    let state = widget(
        client,
        "[panel.hidden, root.activeElement && root.activeElement.className, document.activeElement && document.activeElement.id]",
    )
    .await;
    assert!(
        done.is_some(),
        "never: {what} (hidden, focus in the widget, in the page: {state})"
    );
}

#[tokio::test]
async fn a_launcher_opens_the_widget_as_a_panel_and_gives_the_focus_back() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client.goto(&pages.page("launcher.html")).await.unwrap();

    // The button, in its corner and layer, counts the tasks an anonymous visitor can work
    // on: every task of the quests the API calls available (not the locked ones).
    let expected = eval(
        client,
        &format!(
            "fetch('{}/v1/widget/demo/campaigns/launch-week').then(r => r.json()).then(c =>
               String(c.groups.flatMap(g => g.quests).filter(q => q.status === 'available')
                 .reduce((n, q) => n + q.tasks.length, 0)))",
            server.url
        ),
    )
    .await;
    assert_ne!(expected, json!("0"));
    wait_until(
        client,
        &format!("button.querySelector('[part=launcher-count]').textContent === {expected}"),
        &format!("the count is {expected}"),
    )
    .await;
    assert_eq!(
        widget(client, "host.getAttribute('data-questlet-available')").await,
        expected
    );
    let placed = widget(
        client,
        "(() => { const r = button.getBoundingClientRect(); const s = getComputedStyle(button);
                  return [Math.round(r.left), Math.round(innerHeight - r.bottom), s.zIndex, s.position]; })()",
    )
    .await;
    assert_eq!(placed, json!([16, 16, "5", "fixed"]));
    // Closed, it covers nothing of the page: the panel is hidden and the host takes no
    // room; the page's own content is on top where it is.
    assert_eq!(widget(client, "panel.hidden").await, json!(true));
    assert_eq!(
        widget(client, "Math.round(host.getBoundingClientRect().height)").await,
        json!(0)
    );
    assert_eq!(
        eval(
            client,
            "(() => { const r = document.getElementById('content').getBoundingClientRect();
                      return document.elementFromPoint(r.left + 5, r.top + 5).id; })()"
        )
        .await,
        json!("content")
    );

    // Opened by the button: the panel shows the campaign and takes the focus.
    widget(client, "button.click()").await;
    wait_until(
        client,
        "!panel.hidden && root.activeElement === panel",
        "the panel is open and focused",
    )
    .await;
    assert_eq!(
        widget(client, "button.getAttribute('aria-expanded')").await,
        json!("true")
    );
    wait_for_shadow_text(client, "[data-questlet-host]", "[part=campaign-title]").await;
    assert_eq!(
        widget(
            client,
            "[panel.getAttribute('role'), getComputedStyle(panel).zIndex]"
        )
        .await,
        json!(["dialog", "5"])
    );

    // Escape closes it, and the focus goes back to the launcher.
    widget(
        client,
        "panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))",
    )
    .await;
    wait_until(
        client,
        "panel.hidden && root.activeElement === button",
        "Escape closed it",
    )
    .await;
    assert_eq!(
        widget(client, "button.getAttribute('aria-expanded')").await,
        json!("false")
    );

    // The host page's API: open from the page's own button, close with the close button;
    // the focus returns to the page's button.
    eval(
        client,
        "(() => { const b = document.getElementById('host-button'); b.focus();
                  Questlet.open(); return true; })()",
    )
    .await;
    wait_until(client, "!panel.hidden", "Questlet.open opened it").await;
    widget(
        client,
        "root.querySelector('[part=launcher-close]').click()",
    )
    .await;
    wait_until(client, "panel.hidden", "the close button closed it").await;
    assert_eq!(
        eval(client, "document.activeElement.id").await,
        json!("host-button")
    );
    eval(client, "Questlet.open().then(() => Questlet.close())").await;
    wait_until(client, "panel.hidden", "Questlet.close closed it").await;

    // On a phone-sized screen the panel is a modal dialog over the whole page, and Tab
    // stays inside it (Chromium: Firefox windows cannot be made this narrow).
    if engine() == "chromium" {
        cdp(
            client,
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": 400, "height": 700, "deviceScaleFactor": 1, "mobile": true }),
        )
        .await;
        eval(client, "Questlet.open()").await;
        wait_until(
            client,
            "!panel.hidden && root.activeElement === panel",
            "it opened",
        )
        .await;
        // The first visit's intro pop-up keeps Tab to itself while it is open: closed first.
        widget(
            client,
            "root.querySelector('[part=popup-close]')?.click() || true",
        )
        .await;
        wait_until(
            client,
            "!root.querySelector('[part=popup]')",
            "the intro closed",
        )
        .await;
        widget(client, "panel.focus() || true").await;
        assert_eq!(
            widget(
                client,
                "[panel.getAttribute('aria-modal'), Math.round(panel.getBoundingClientRect().width),
                  getComputedStyle(button).display]"
            )
            .await,
            json!(["true", 400, "none"])
        );
        let focused = "root.activeElement && root.activeElement.getAttribute('part')";
        press_tab(client, true).await;
        let last = widget(client, focused).await;
        assert_ne!(
            last,
            json!("launcher-close"),
            "Shift+Tab goes to the panel's last control"
        );
        assert_eq!(
            widget(client, "panel.contains(root.activeElement)").await,
            json!(true)
        );
        press_tab(client, false).await;
        assert_eq!(
            widget(client, focused).await,
            json!("launcher-close"),
            "Tab wraps to the first"
        );
        press_tab(client, true).await;
        assert_eq!(
            widget(client, focused).await,
            last,
            "Shift+Tab wraps to the last"
        );
    }

    assert_eq!(eval(client, "window.__errors").await, json!([]));
    browser.close().await;
}

/// Presses Tab (with Shift when `back`) as the keyboard does.
async fn press_tab(client: &fantoccini::Client, back: bool) {
    let (tab, shift) = (char::from(Key::Tab), char::from(Key::Shift));
    let mut keys = KeyActions::new("keyboard".into());
    if back {
        keys = keys.then(KeyAction::Down { value: shift });
    }
    keys = keys
        .then(KeyAction::Down { value: tab })
        .then(KeyAction::Up { value: tab });
    if back {
        keys = keys.then(KeyAction::Up { value: shift });
    }
    client.perform_actions(keys).await.expect("keys pressed");
}
