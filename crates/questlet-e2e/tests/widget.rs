//! The widget on host pages, against the running server and the release build.

use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::find::{
    click_in_shadow, eval, shadow_text, type_in_shadow, wait_for_shadow_text,
    wait_for_shadow_text_eq,
};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::json;

#[tokio::test]
async fn hostile_stylesheet_cannot_break_the_widget_and_a_bad_config_stays_contained() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client.goto(&pages.page("hostile.html")).await.unwrap();

    let title = wait_for_shadow_text(client, "#good", "[part=campaign-title]").await;
    assert_eq!(title.trim(), "Questlet Launch Week");
    // The host's `button { display: none }` and `* { color: red }` do not reach inside.
    let style = eval(
        client,
        "(() => { const b = document.querySelector('#good').shadowRoot.querySelector('[part=quest-card]');
                  const s = getComputedStyle(b); return [s.display, s.color]; })()",
    )
    .await;
    assert_ne!(style[0], "none", "{style}");
    assert_ne!(style[1], "rgb(255, 0, 0)", "{style}");

    // The bad widget shows its error inline, naming the attribute.
    let error = wait_for_shadow_text(client, "#bad", "[part=error]").await;
    assert!(error.contains("data-theme is \"neon\""), "{error}");
    assert!(error.contains("light, dark, auto"), "{error}");
    // ...and the good one still works: open a quest.
    click_in_shadow(client, "#good", "[part=quest-card][data-status=available]").await;
    wait_for_shadow_text(client, "#good", "[part=quest]").await;
    assert_eq!(
        eval(client, "window.__errors").await,
        json!([]),
        "no uncaught error on the page"
    );
    browser.close().await;
}

#[tokio::test]
async fn token_set_after_load_then_secret_code_completes_the_quest_with_a_popup() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client.goto(&pages.page("spa.html")).await.unwrap();
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    // A first visit opens the campaign's intro, with its Markdown rendered.
    let intro = wait_for_shadow_text(client, "#quests", "[part=popup][data-popup=intro]").await;
    assert!(intro.contains("Welcome to Launch Week"), "{intro}");
    let bold = shadow_text(client, "#quests", "[part=popup] strong").await;
    assert_eq!(bold.as_deref(), Some("XP"));
    click_in_shadow(client, "#quests", "[part=popup-close]").await;
    assert_eq!(
        shadow_text(client, "#quests", "[part=points]").await,
        None,
        "anonymous: no points"
    );

    // Anonymous: trying a task asks the host to log the user in.
    click_in_shadow(
        client,
        "#quests",
        "[part=quest-card][data-status=available]",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=secret_code] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text_eq(
        client,
        "#quests",
        "[data-kind=secret_code] [part=task-message]",
        "Log in to complete tasks.",
    )
    .await;

    // The SPA logs its user in after load.
    let token = server.demo_user_token("e2e-user").await;
    client
        .execute("Questlet.setUserToken(arguments[0]);", vec![json!(token)])
        .await
        .unwrap();
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "0 XP").await;

    // Visit the link (it opens in a new tab), then a wrong code, then the right one.
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=visit_link] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "10 XP").await;
    type_in_shadow(
        client,
        "#quests",
        "[data-kind=secret_code] [part=task-input]",
        "WRONG",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=secret_code] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text_eq(
        client,
        "#quests",
        "[data-kind=secret_code] [part=task-message]",
        "That code is not right.",
    )
    .await;
    type_in_shadow(
        client,
        "#quests",
        "[data-kind=secret_code] [part=task-input]",
        "LAUNCH-2026",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=secret_code] [part=task-submit]",
    )
    .await;

    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "60 XP").await;
    let popup = wait_for_shadow_text(client, "#quests", "[part=popup]").await;
    assert!(popup.contains("Quest completed!"), "{popup}");
    assert!(popup.contains("60 XP"), "{popup}");
    click_in_shadow(client, "#quests", "[part=popup-close]").await;
    assert_eq!(
        eval(client, "window.__events").await,
        json!([
            "popup_shown",
            "login_required",
            "task_completed",
            "task_completed",
            "quest_completed",
            "popup_shown"
        ])
    );
    assert_eq!(eval(client, "window.__errors").await, json!([]));

    // The intro was closed once: the next visit goes straight to the campaign.
    client.refresh().await.unwrap();
    // (The intro would be on screen by now: it is set in the same update as the campaign.)
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    assert_eq!(shadow_text(client, "#quests", "[part=popup]").await, None);
    browser.close().await;
}

#[tokio::test]
async fn embeds_added_after_load_and_api_mounts_work_and_destroy_is_repeatable() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client.goto(&pages.page("late.html")).await.unwrap();
    wait_for_shadow_text(client, "#first", "[part=campaign-title]").await;

    client.execute("window.addLate();", vec![]).await.unwrap();
    let late = wait_for_shadow_text(client, "#late", "[part=campaign-title]").await;
    assert_eq!(late.trim(), "Questlet Launch Week");
    // The late tag's own attributes apply: German.
    wait_for_shadow_text_eq(
        client,
        "#late",
        "[data-status=locked] .ql-card__status",
        "Gesperrt",
    )
    .await;
    wait_for_shadow_text(client, "#mounted", "[part=campaign-title]").await;

    // Destroy one, twice: it empties, the others keep working.
    client
        .execute("Questlet.destroy(document.getElementById('mounted')); Questlet.destroy(document.getElementById('mounted'));", vec![])
        .await
        .unwrap();
    assert_eq!(
        eval(
            client,
            "document.getElementById('mounted').shadowRoot.childNodes.length"
        )
        .await,
        json!(0)
    );
    click_in_shadow(client, "#first", "[part=quest-card][data-status=available]").await;
    wait_for_shadow_text(client, "#first", "[part=quest]").await;
    assert_eq!(eval(client, "window.__errors").await, json!([]));
    browser.close().await;
}

#[tokio::test]
async fn a_strict_content_security_policy_still_gets_a_styled_widget() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client.goto(&pages.page("strict-csp.html")).await.unwrap();
    // The policy is in force: an inline style is refused.
    assert_eq!(
        eval(
            client,
            "(() => { const s = document.createElement('style'); s.textContent = 'body { color: rgb(1, 2, 3) }';
                      document.head.appendChild(s); const c = getComputedStyle(document.body).color;
                      s.remove(); return c; })()"
        )
        .await,
        json!("rgb(0, 0, 0)")
    );
    client
        .execute("window.__violations = [];", vec![])
        .await
        .unwrap();

    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    let style = eval(
        client,
        "(() => { const root = document.querySelector('#quests').shadowRoot;
                  const card = root.querySelector('[part=quest-card]');
                  const s = getComputedStyle(card);
                  return [getComputedStyle(root.querySelector('.ql-root')).getPropertyValue('--ql-color-accent').trim(),
                          s.borderTopLeftRadius, s.paddingTop]; })()",
    )
    .await;
    assert_ne!(style[0], "", "the theme's custom properties apply: {style}");
    assert_ne!(style[1], "0px", "the card is styled: {style}");
    assert_ne!(style[2], "0px", "the card is styled: {style}");
    assert_eq!(eval(client, "window.__violations").await, json!([]));
    assert_eq!(eval(client, "window.__errors").await, json!([]));
    browser.close().await;
}
