//! `window.Questlet` as host pages use it: calls made before the widget code has loaded,
//! a mount without `api` from another origin, a crash in one widget of two, and a network
//! that drops the reload after a completed task. Real server, release widget, Chromium.

use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::find::{
    click_in_shadow, eval, shadow_text, wait_for_shadow_text, wait_for_shadow_text_eq,
};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::json;

#[tokio::test]
async fn every_call_made_before_the_code_loads_takes_effect_in_order() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let token = server.demo_user_token("early-user").await;
    client
        .goto(&format!("{}#{token}", pages.page("early-calls.html")))
        .await
        .unwrap();

    // setUserToken(token, a) before load: widget a is signed in.
    wait_for_shadow_text_eq(client, "#a", "[part=points]", "0 XP").await;
    // mount(d) without `api`, on a page of another origin: the loader's server answers;
    // its options apply (German).
    wait_for_shadow_text_eq(
        client,
        "#d",
        "[data-status=locked] .ql-card__status",
        "Gesperrt",
    )
    .await;
    assert_eq!(eval(client, "window.__ready === true").await, json!(true));
    // The mount's promise resolved once it was mounted.
    assert_eq!(
        eval(client, "window.__mountedDone === true").await,
        json!(true)
    );
    // destroy(b) before load: no widget in b.
    assert_eq!(
        eval(
            client,
            "(() => { const b = document.getElementById('b'); return b.shadowRoot ? b.shadowRoot.childNodes.length : 0; })()"
        )
        .await,
        json!(0)
    );
    // close(c) before load: c is hidden, and open() shows it again.
    assert_eq!(
        eval(client, "document.getElementById('c').hidden").await,
        json!(true)
    );
    client
        .execute("Questlet.open(document.getElementById('c'));", vec![])
        .await
        .unwrap();
    assert_eq!(
        eval(client, "document.getElementById('c').hidden").await,
        json!(false)
    );
    // on() before load: every widget's widget_loaded reached the callback.
    assert_eq!(
        eval(client, "window.__loaded.length >= 4").await,
        json!(true),
        "{}",
        eval(client, "window.__loaded").await
    );
    // b and c, never given the token, browse anonymously.
    assert_eq!(shadow_text(client, "#c", "[part=points]").await, None);
    assert_eq!(eval(client, "window.__errors").await, json!([]));
    browser.close().await;
}

#[tokio::test]
async fn a_panic_stops_one_widget_and_the_other_keeps_working() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client.goto(&pages.page("crash.html")).await.unwrap();
    wait_for_shadow_text(client, "#first", "[part=campaign-title]").await;
    wait_for_shadow_text(client, "#second", "[part=campaign-title]").await;

    // A real Rust panic inside the first widget's instance.
    client
        .execute(
            "Questlet.__crashForTest(document.getElementById('first'));",
            vec![],
        )
        .await
        .unwrap();
    let crashed = wait_for_shadow_text(client, "#first", "[part=error]").await;
    assert!(crashed.contains("This widget stopped working"), "{crashed}");
    assert_eq!(eval(client, "window.__crashed").await, json!(["first"]));

    // The second widget goes on: open a quest, sign in, complete a task.
    click_in_shadow(
        client,
        "#second",
        "[part=quest-card][data-status=available]",
    )
    .await;
    wait_for_shadow_text(client, "#second", "[part=quest]").await;
    let token = server.demo_user_token("survivor").await;
    client
        .execute(
            "Questlet.setUserToken(arguments[0], document.getElementById('second'));",
            vec![json!(token)],
        )
        .await
        .unwrap();
    wait_for_shadow_text_eq(client, "#second", "[part=points]", "0 XP").await;
    click_in_shadow(
        client,
        "#second",
        "[data-kind=visit_link] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text_eq(client, "#second", "[part=points]", "10 XP").await;
    // The crashed one stays as it was; calls to it are harmless, and destroy clears it.
    client
        .execute(
            "Questlet.setUserToken(arguments[0]); Questlet.destroy(document.getElementById('first'));",
            vec![json!(token)],
        )
        .await
        .unwrap();
    assert_eq!(
        eval(
            client,
            "document.getElementById('first').shadowRoot.childNodes.length"
        )
        .await,
        json!(0)
    );
    wait_for_shadow_text_eq(client, "#second", "[part=points]", "10 XP").await;
    browser.close().await;
}

#[tokio::test]
async fn a_completion_repaints_from_its_answer_without_loading_the_campaign_again() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let token = server.demo_user_token("flaky-user").await;
    client
        .goto(&format!("{}#{token}", pages.page("flaky-network.html")))
        .await
        .unwrap();
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "0 XP").await;
    click_in_shadow(client, "#quests", "[part=popup-close]").await;
    click_in_shadow(
        client,
        "#quests",
        "[part=quest-card][data-status=available]",
    )
    .await;
    let loads = eval(client, "window.__campaignLoads").await;

    // Campaign loads now fail; the completion does not need one.
    client
        .execute("window.__offline = true;", vec![])
        .await
        .unwrap();
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=visit_link] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "10 XP").await;
    assert_eq!(
        eval(client, "window.__campaignLoads").await,
        loads,
        "the answer alone repainted the quest and the points"
    );
    assert_eq!(shadow_text(client, "#quests", "[part=error]").await, None);
    assert!(shadow_text(
        client,
        "#quests",
        "[data-kind=visit_link][data-state=completed]"
    )
    .await
    .is_some());
    assert_eq!(eval(client, "window.__errors").await, json!([]));
    browser.close().await;
}
