//! The widget's look, checked by screenshots: at 320, 768 and 1280 px wide, light and dark,
//! inline and as a launcher, the campaign page, a quest and a completion, and inline the
//! empty states (no quests yet, not started, ended). Each is compared with the committed
//! one in `docs/screenshots/<engine>/` (`fixtures/screenshots.rs`: a small tolerance, and
//! `QUESTLET_UPDATE_SCREENSHOTS=1` to update them with an intended change). Motion is off
//! (`prefers-reduced-motion`), so each is the state it is named after, not a frame of an
//! animation. Real server, release widget, Chromium (or Firefox, `QUESTLET_BROWSER`).

use fantoccini::Client;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use questlet_e2e::fixtures::browser::{engine, Browser};
use questlet_e2e::fixtures::devtools::cdp;
use questlet_e2e::fixtures::find::{
    click_in_shadow, click_task_button, eval, poll, type_in_shadow, wait_for_shadow_text,
    wait_for_shadow_text_eq, wait_for_task_state,
};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::screenshots;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::{json, Value};

/// Viewports: a phone (and a Telegram Mini App), a tablet, a desktop.
const SIZES: [(u32, u32); 3] = [(320, 640), (768, 900), (1280, 800)];

const THEMES: [&str; 2] = ["light", "dark"];

/// What the host page's widget tag carries, besides the organization and the container.
struct Embed<'a> {
    campaign: &'a str,
    theme: &'a str,
    launcher: bool,
    token: Option<&'a str>,
}

struct Shots<'a> {
    client: &'a Client,
    pages: &'a HostPages,
    loads: usize,
    /// The viewport, in CSS pixels.
    size: (u32, u32),
    failures: Vec<String>,
}

/// Whether the page is shown in a frame of the viewport's size (`frame.html`), as in
/// Firefox, whose windows have a minimum width; Chromium sizes its viewport itself.
fn framed() -> bool {
    engine() == "firefox"
}

impl Shots<'_> {
    /// Opens the host page with `embed` and waits until the widget shows its campaign, with
    /// its images loaded (a launcher: opened).
    async fn open(&mut self, embed: &Embed<'_>) {
        let mut attrs = json!({ "campaign": embed.campaign, "theme": embed.theme });
        if embed.launcher {
            attrs["mode"] = json!("launcher");
        }
        if let Some(token) = embed.token {
            attrs["user-token"] = json!(token);
        }
        self.loads += 1;
        let page = self.url("screens.html", &attrs);
        if framed() {
            let frame = json!({ "width": self.size.0, "height": self.size.1, "src": page });
            self.client
                .goto(&self.url("frame.html", &frame))
                .await
                .unwrap();
            // Every script of the test runs in the framed page.
            let entered = poll(async || self.client.enter_frame(0).await.ok()).await;
            assert!(entered.is_some(), "the frame never loaded");
        } else {
            self.client.goto(&page).await.unwrap();
        }
        wait_for_shadow_text(self.client, "#quests", "[part=campaign-title]").await;
        if embed.launcher {
            eval(self.client, "Questlet.open()").await;
            self.settle("!root.querySelector('.ql-root').hidden").await;
        }
        self.settle("true").await;
    }

    /// Host page `name` for this load, `hash` (JSON) in its hash: the load's own query, as a
    /// change of the hash alone would not load the page again.
    fn url(&self, name: &str, hash: &Value) -> String {
        let json = hash.to_string();
        let hash = utf8_percent_encode(&json, NON_ALPHANUMERIC);
        format!("{}?load={}#{hash}", self.pages.page(name), self.loads)
    }

    /// Waits until `ready` (JavaScript with `root`, the widget's shadow root) holds and
    /// every image in the widget has loaded.
    async fn settle(&self, ready: &str) {
        let script = format!(
            "(() => {{ const root = document.querySelector('#quests').shadowRoot;
                       return ({ready}) && [...root.querySelectorAll('img')].every(i => i.complete); }})()"
        );
        let settled =
            poll(async || (eval(self.client, &script).await == json!(true)).then_some(())).await;
        assert!(settled.is_some(), "the widget never settled: {ready}");
    }

    /// Takes the viewport's screenshot and compares it with the committed one.
    async fn shoot(&mut self, name: &str) {
        let png = if framed() {
            self.client.enter_parent_frame().await.unwrap();
            let frame = self
                .client
                .find(fantoccini::Locator::Css("iframe"))
                .await
                .unwrap();
            let png = frame.screenshot().await.expect("a screenshot");
            self.client.enter_frame(0).await.unwrap();
            png
        } else {
            self.client.screenshot().await.expect("a screenshot")
        };
        if let Err(difference) = screenshots::check(engine(), name, &png) {
            self.failures.push(difference);
        }
    }
}

/// Creates published campaign `slug` of the demo organization: `groups` (JSON), with a
/// start and an end relative to now (seconds).
async fn create_campaign(
    server: &QuestletServer,
    slug: &str,
    groups: Value,
    starts_in: Option<i64>,
    ended_ago: Option<i64>,
) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let created = reqwest::Client::new()
        .post(format!("{}/v1/campaigns", server.url))
        .bearer_auth(&server.demo_api_token)
        .json(&json!({
            "slug": slug,
            "title": "Summer Quests",
            "description": "Quests for the *summer* season.",
            "status": "published",
            "points_name": "XP",
            "starts_at": starts_in.map(|s| now + s),
            "ends_at": ended_ago.map(|s| now - s),
            "groups": groups,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
}

/// Sets the viewport to `width` × `height` CSS pixels at one device pixel each: through
/// the DevTools protocol in Chromium (a phone-sized one as a phone); in Firefox the page
/// goes in a frame of that size (see [`framed`]), in a window large enough for it.
async fn set_viewport(client: &Client, width: u32, height: u32) {
    if framed() {
        client
            .set_window_size(1400, 1000)
            .await
            .expect("a window size");
        return;
    }
    cdp(
        client,
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500 }),
    )
    .await;
}

#[tokio::test]
async fn the_widget_looks_as_committed_at_every_size_in_both_themes_and_both_modes() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let one_quest = json!([{ "key": "main", "title": "Main", "quests": [{
        "key": "first", "title": "The first quest", "description": "Opens with the season.",
        "tasks": [{ "key": "visit", "title": "Visit the shop", "points": 10,
                    "config": { "type": "visit_link", "url": "https://example.com/" } }]
    }]}]);
    create_campaign(&server, "screens-empty", json!([]), None, None).await;
    // Starts in 2 days and 4½ hours: "Starts in 2d 4h" for the whole run.
    create_campaign(
        &server,
        "screens-soon",
        one_quest.clone(),
        Some(2 * 86_400 + 4 * 3_600 + 1_800),
        None,
    )
    .await;
    create_campaign(&server, "screens-ended", one_quest, None, Some(3_600)).await;
    let browsing = server.demo_user_token("alex").await;

    let mut shots = Shots {
        client,
        pages: &pages,
        loads: 0,
        size: SIZES[0],
        failures: Vec::new(),
    };
    // Firefox's session starts with motion reduced (`fixtures/browser.rs`).
    // Nor scrollbars in Chromium, whose overlay ones fade in and out.
    if engine() == "chromium" {
        cdp(
            client,
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-reduced-motion", "value": "reduce" }] }),
        )
        .await;
        cdp(
            client,
            "Emulation.setScrollbarsHidden",
            json!({ "hidden": true }),
        )
        .await;
    }
    for (width, height) in SIZES {
        set_viewport(client, width, height).await;
        shots.size = (width, height);
        for theme in THEMES {
            for launcher in [false, true] {
                let mode = if launcher { "launcher" } else { "inline" };
                let name = |what: &str| format!("{what}-{mode}-{theme}-{width}");
                let embed = Embed {
                    campaign: "launch-week",
                    theme,
                    launcher,
                    token: Some(&browsing),
                };
                shots.open(&embed).await;
                shots.shoot(&name("campaign")).await;
                if launcher {
                    // Closed: only the button, in its corner.
                    eval(client, "Questlet.close()").await;
                    shots.settle("root.querySelector('.ql-root').hidden").await;
                    shots.shoot(&name("closed")).await;
                    eval(client, "Questlet.open()").await;
                    shots.settle("!root.querySelector('.ql-root').hidden").await;
                }

                click_in_shadow(
                    client,
                    "#quests",
                    "[part=quest-card][data-status=available]",
                )
                .await;
                shots.settle("root.querySelector('[part=quest]')").await;
                shots.shoot(&name("quest")).await;

                // A completion, by a user of its own (its badge names it).
                let account = format!("sam-{mode}-{theme}-{width}");
                let token = server.demo_user_token(&account).await;
                shots
                    .open(&Embed {
                        token: Some(&token),
                        ..embed
                    })
                    .await;
                click_in_shadow(
                    client,
                    "#quests",
                    "[part=quest-card][data-status=available]",
                )
                .await;
                type_in_shadow(
                    client,
                    "#quests",
                    "[data-kind=secret_code] [part=task-input]",
                    "LAUNCH-2026",
                )
                .await;
                click_task_button(client, "#quests", "secret_code", "task-submit").await;
                wait_for_task_state(client, "#quests", "secret_code", "completed").await;
                wait_for_shadow_text_eq(client, "#quests", "[part=points]", "50 XP").await;
                // The partner's completion message, if the task has one, is a pop-up: closed.
                eval(
                    client,
                    "(() => { const b = document.querySelector('#quests').shadowRoot.querySelector('[part=popup-close]');
                              if (b) b.click(); return true; })()",
                )
                .await;
                shots.settle("!root.querySelector('[part=popup]')").await;
                shots.shoot(&name("completion")).await;
            }
            for (campaign, what) in [
                ("screens-empty", "empty-no-quests"),
                ("screens-soon", "empty-not-started"),
                ("screens-ended", "empty-ended"),
            ] {
                shots
                    .open(&Embed {
                        campaign,
                        theme,
                        launcher: false,
                        token: None,
                    })
                    .await;
                shots.shoot(&format!("{what}-inline-{theme}-{width}")).await;
            }
        }
    }
    assert_eq!(eval(client, "window.__errors").await, json!([]));
    assert!(
        shots.failures.is_empty(),
        "screenshots changed:\n{}",
        shots.failures.join("\n")
    );
    browser.close().await;
}
