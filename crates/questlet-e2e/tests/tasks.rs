//! Task types end to end: a host page, the release widget and the running server, with the
//! partner's backend acting through the admin API.

use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::find::{
    click_in_shadow, eval, shadow_text, type_in_shadow, wait_for_shadow_text,
    wait_for_shadow_text_eq,
};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::{json, Value};

/// The SPA page with `token` set, showing the demo's community quest (its tasks).
async fn open_community_quest(client: &fantoccini::Client, page: &str, token: &str) {
    client.goto(page).await.unwrap();
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    // A first visit opens the campaign's intro: close it.
    if shadow_text(client, "#quests", "[part=popup]")
        .await
        .is_some()
    {
        click_in_shadow(client, "#quests", "[part=popup-close]").await;
    }
    client
        .execute("Questlet.setUserToken(arguments[0]);", vec![json!(token)])
        .await
        .unwrap();
    wait_for_shadow_text(client, "#quests", "[part=points]").await;
    click_in_shadow(client, "#quests", "[part=group-tab]:nth-child(2)").await;
    click_in_shadow(client, "#quests", "[part=quest-card]").await;
    wait_for_shadow_text(client, "#quests", "[data-kind=custom]").await;
}

#[tokio::test]
async fn a_proof_waits_for_review_and_the_partners_approval_completes_it_in_the_widget() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let token = server.demo_user_token("e2e-proof").await;
    let page = pages.page("spa.html");
    open_community_quest(client, &page, &token).await;

    type_in_shadow(
        client,
        "#quests",
        "[data-kind=custom] [part=task-input]",
        "https://example.com/my-post",
    )
    .await;
    click_in_shadow(client, "#quests", "[data-kind=custom] [part=task-submit]").await;
    wait_for_shadow_text_eq(
        client,
        "#quests",
        "[data-kind=custom][data-state=pending] [part=task-state]",
        "⏳ Waiting for review",
    )
    .await;

    // The partner's backend reads the queue and approves the proof.
    let http = reqwest::Client::new();
    let queue: Value = http
        .get(format!(
            "{}/v1/campaigns/launch-week/submissions?state=pending",
            server.url
        ))
        .bearer_auth(&server.demo_api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let submissions = queue["submissions"].as_array().unwrap();
    assert_eq!(submissions.len(), 1, "{queue}");
    assert_eq!(submissions[0]["proof"], "https://example.com/my-post");
    assert_eq!(submissions[0]["account"], "e2e-proof");
    let id = submissions[0]["id"].as_str().unwrap();
    let approved = http
        .post(format!(
            "{}/v1/campaigns/launch-week/submissions/{id}/review",
            server.url
        ))
        .bearer_auth(&server.demo_api_token)
        .json(&json!({"decision": "approve", "message": "Great post!"}))
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), 200);

    // The user comes back: the task is completed, with the reviewer's message, and its
    // points are counted.
    open_community_quest(client, &page, &token).await;
    wait_for_shadow_text_eq(
        client,
        "#quests",
        "[data-kind=custom][data-state=completed] [part=task-state]",
        "✓ Completed · Great post!",
    )
    .await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "40 XP").await;
    browser.close().await;
}

#[tokio::test]
async fn a_puzzle_is_solved_by_the_solver_loaded_on_demand_and_completes_the_task() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let token = server.demo_user_token("e2e-pow").await;
    open_community_quest(client, &pages.page("spa.html"), &token).await;
    let solver_loaded = "performance.getEntriesByType('resource')
        .some(function (e) { return /\\/widget\\/pow\\.[0-9a-f]{16}\\.js$/.test(e.name); })";
    assert_eq!(
        eval(client, solver_loaded).await,
        json!(false),
        "the solver is not part of the widget's load"
    );

    click_in_shadow(
        client,
        "#quests",
        "[data-kind=proof_of_work] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text(
        client,
        "#quests",
        "[data-kind=proof_of_work][data-state=completed]",
    )
    .await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "10 XP").await;
    assert_eq!(eval(client, solver_loaded).await, json!(true));
    let bar = eval(
        client,
        "document.querySelector('#quests').shadowRoot.querySelector('[part=task-progress]') === null",
    )
    .await;
    assert_eq!(bar, json!(true), "a completed task shows no puzzle");
    browser.close().await;
}

#[tokio::test]
async fn the_partner_check_of_an_http_request_task_completes_it_in_the_widget() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let token = server.demo_user_token("e2e-check").await;
    open_community_quest(client, &pages.page("spa.html"), &token).await;
    // The demo's partner check (a route of the demo server) verifies the signed call and
    // says yes.
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=http_request] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text(
        client,
        "#quests",
        "[data-kind=http_request][data-state=completed]",
    )
    .await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "20 XP").await;
    browser.close().await;
}
