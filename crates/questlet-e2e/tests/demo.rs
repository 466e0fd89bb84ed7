//! The demo page, walked as a newcomer walks it: sign in, complete a task, watch the points
//! and the event log move, sign out; with no console error and no failed request.

use fantoccini::Locator;
use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::devtools::console_entries;
use questlet_e2e::fixtures::find::{
    click_in_shadow, eval, shadow_text, wait_for_shadow_absent, wait_for_shadow_text,
    wait_for_shadow_text_eq, wait_for_text,
};
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::json;

#[tokio::test]
async fn a_visitor_signs_in_completes_a_task_and_signs_out_without_an_error() {
    let server = QuestletServer::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client.goto(&format!("{}/demo/", server.url)).await.unwrap();
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    click_in_shadow(client, "#quests", "[part=popup-close]").await;
    assert_eq!(shadow_text(client, "#quests", "[part=points]").await, None);

    client
        .find(Locator::Css("#sign-in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let who = wait_for_text(client, "#who", "Signed in as visitor-").await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "0 XP").await;

    click_in_shadow(
        client,
        "#quests",
        "[part=quest-card][data-status=available]",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=visit_link] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "10 XP").await;
    wait_for_text(client, "#log", "task_completed").await;

    // A reload keeps the visitor signed in (the page keeps the token for the tab).
    client.refresh().await.unwrap();
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "10 XP").await;
    assert_eq!(
        wait_for_text(client, "#who", "Signed in as").await,
        who,
        "the same visitor"
    );

    client
        .find(Locator::Css("#sign-out"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, "#who", "Browsing anonymously").await;
    wait_for_shadow_absent(client, "#quests", "[part=points]").await;
    assert_eq!(shadow_text(client, "#quests", "[part=points]").await, None);

    // Every request the page made succeeded, and the console holds no error.
    assert_eq!(
        eval(
            client,
            "performance.getEntriesByType('resource').filter(e => e.responseStatus >= 400).map(e => e.name)"
        )
        .await,
        json!([])
    );
    let errors: Vec<_> = console_entries(client)
        .await
        .into_iter()
        .filter(|(level, _)| level == "SEVERE" || level == "WARNING")
        .collect();
    assert!(errors.is_empty(), "console: {errors:?}");
    browser.close().await;
}

#[tokio::test]
async fn the_mini_app_page_opens_as_telegram_opens_it_and_signs_the_visitor_in() {
    let server = QuestletServer::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client
        .goto(&format!("{}/demo/telegram", server.url))
        .await
        .unwrap();
    // Signed in as a new Telegram user from the signed launch parameters, in Telegram's
    // dark theme.
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    click_in_shadow(client, "#quests", "[part=popup-close]").await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "0 XP").await;
    assert_eq!(
        eval(
            client,
            "getComputedStyle(document.querySelector('#quests').shadowRoot.querySelector('.ql-root')).backgroundColor"
        )
        .await,
        json!("rgb(23, 33, 43)")
    );
    assert_eq!(
        eval(client, "document.getElementById('missing').hidden").await,
        json!(true)
    );
    let errors: Vec<_> = console_entries(client)
        .await
        .into_iter()
        .filter(|(level, _)| level == "SEVERE")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    browser.close().await;
}
