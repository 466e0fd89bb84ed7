//! Analytics end to end: host pages with the vendors' own bootstrap snippets receive every
//! step of a whole flow, in order; broken analytics tools never break the widget; the GA
//! client id reaches the server's activity records.

use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::find::{
    click_in_shadow, eval, type_in_shadow, wait_for_shadow_text, wait_for_shadow_text_eq,
};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::{json, Value};

const QUESTS: &str = "#quests";

/// Closes the intro pop-up, logs a user in, opens the first quest, fails the code once, completes it, completes the
/// visit task (which completes the quest), and closes the pop-up.
async fn walk_the_flow(browser: &Browser, server: &QuestletServer, account: &str) {
    let client = &browser.client;
    wait_for_shadow_text(client, QUESTS, "[part=campaign-title]").await;
    wait_for_shadow_text(client, QUESTS, "[part=popup][data-popup=intro]").await;
    click_in_shadow(client, QUESTS, "[part=popup-close]").await;
    let token = server.demo_user_token(account).await;
    client
        .execute("Questlet.setUserToken(arguments[0]);", vec![json!(token)])
        .await
        .unwrap();
    wait_for_shadow_text_eq(client, QUESTS, "[part=points]", "0 XP").await;
    click_in_shadow(client, QUESTS, "[part=quest-card][data-status=available]").await;
    type_in_shadow(
        client,
        QUESTS,
        "[data-kind=secret_code] [part=task-input]",
        "nope",
    )
    .await;
    click_in_shadow(client, QUESTS, "[data-kind=secret_code] [part=task-submit]").await;
    wait_for_shadow_text_eq(
        client,
        QUESTS,
        "[data-kind=secret_code] [part=task-message]",
        "That code is not right.",
    )
    .await;
    type_in_shadow(
        client,
        QUESTS,
        "[data-kind=secret_code] [part=task-input]",
        "LAUNCH-2026",
    )
    .await;
    click_in_shadow(client, QUESTS, "[data-kind=secret_code] [part=task-submit]").await;
    wait_for_shadow_text_eq(client, QUESTS, "[part=points]", "50 XP").await;
    click_in_shadow(client, QUESTS, "[data-kind=visit_link] [part=task-submit]").await;
    wait_for_shadow_text(client, QUESTS, "[part=popup]").await;
    click_in_shadow(client, QUESTS, "[part=popup-close]").await;
}

const FLOW: [&str; 14] = [
    "questlet_widget_loaded",
    "questlet_campaign_viewed",
    "questlet_popup_shown",
    "questlet_popup_closed",
    "questlet_quest_opened",
    "questlet_task_started",
    "questlet_task_failed",
    "questlet_task_started",
    "questlet_task_completed",
    "questlet_task_started",
    "questlet_task_completed",
    "questlet_quest_completed",
    "questlet_popup_shown",
    "questlet_popup_closed",
];

#[tokio::test]
async fn ga4_gtm_and_hotjar_each_receive_the_whole_flow_in_order_once() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&pages.page("analytics.html"))
        .await
        .unwrap();
    walk_the_flow(&browser, &server, "analyst").await;
    let client = &browser.client;

    let gtag: Value = eval(
        client,
        "dataLayer.filter(e => e.length !== undefined && e[0] === 'event').map(e => e[1])",
    )
    .await;
    let gtm: Value = eval(
        client,
        "dataLayer.filter(e => e.length === undefined && typeof e.event === 'string' && e.event !== 'gtm.js').map(e => e.event)",
    )
    .await;
    let hotjar: Value = eval(client, "hj.q.filter(a => a[0] === 'event').map(a => a[1])").await;
    assert_eq!(gtag, json!(FLOW), "GA4");
    assert_eq!(gtm, json!(FLOW), "GTM");
    assert_eq!(hotjar, json!(FLOW), "HotJar");

    // Parameters carry the organization, campaign, quest and task, and points.
    let completed: Value = eval(
        client,
        "dataLayer.find(e => e.length !== undefined && e[1] === 'questlet_task_completed')[2]",
    )
    .await;
    assert_eq!(completed["organization"], "demo");
    assert_eq!(completed["campaign"], "launch-week");
    assert_eq!(completed["quest_title"], "Welcome aboard");
    assert_eq!(completed["task_title"], "Enter the secret code");
    assert_eq!(completed["points"], 50);
    let failed: Value = eval(
        client,
        "dataLayer.find(e => e.length === undefined && e.event === 'questlet_task_failed')",
    )
    .await;
    assert_eq!(failed["reason"], "That code is not right.");
    assert_eq!(eval(client, "window.__errors").await, json!([]));

    // The server stored the GA client id with each attempt.
    let activity = server
        .admin_json("/v1/campaigns/launch-week/activity")
        .await;
    let attempts: Vec<(&str, &str)> = activity
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["account"] == "analyst")
        .map(|e| {
            (
                e["outcome"].as_str().unwrap(),
                e["ga_client_id"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        attempts,
        [
            ("completed", "555.666"),
            ("completed", "555.666"),
            ("failed", "555.666")
        ]
    );

    // Opening the quest's card was the first step of its funnel on the results page.
    let results = server.admin_json("/v1/campaigns/launch-week/results").await;
    let welcome = results["quests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["title"] == "Welcome aboard")
        .unwrap();
    assert_eq!(
        (
            &welcome["opened"],
            &welcome["started"],
            &welcome["completed"]
        ),
        (&json!(1), &json!(1), &json!(1)),
        "{results}"
    );
    browser.close().await;
}

#[tokio::test]
async fn throwing_analytics_tools_never_break_the_widget() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&pages.page("throwing-sinks.html"))
        .await
        .unwrap();
    walk_the_flow(&browser, &server, "unlucky").await;
    let client = &browser.client;
    assert_eq!(
        eval(client, "window.__dom").await,
        json!(["task_completed", "task_completed", "quest_completed"]),
        "DOM events still fire"
    );
    assert_eq!(
        eval(client, "window.__errors").await,
        json!([]),
        "nothing uncaught"
    );
    browser.close().await;
}
