//! Partner completions: the partner's backend completes `api` tasks for its users,
//! idempotently by its own completion id, on both backends.

use std::sync::Arc;

use axum::http::StatusCode;
use questlet_types::WidgetCampaignResponse;
use serde_json::{json, Value};

use crate::support::{Org, TestApp};

const COMPLETE_ONCE: &str = "/v1/campaigns/partner/quests/linked/tasks/deposit/completions";
const COMPLETE_THRICE: &str = "/v1/campaigns/partner/quests/linked/tasks/trade/completions";

/// The demo organization with a published campaign of two api tasks and a visit.
async fn partner_app() -> (TestApp, Org) {
    let (app, org) = TestApp::with_demo_org().await;
    let doc = json!({
        "slug": "partner",
        "title": "Partner",
        "status": "published",
        "groups": [{"key": "main", "title": "Main", "quests": [
            {"key": "linked", "title": "Linked", "tasks": [
                {"key": "deposit", "title": "Make a deposit", "points": 25,
                 "config": {"type": "api"}},
                {"key": "trade", "title": "Trade", "points": 10,
                 "recurrence": {"type": "times", "count": 3}, "config": {"type": "api"}},
                {"key": "visit", "title": "Visit", "points": 1,
                 "config": {"type": "visit_link", "url": "https://example.com"}}
            ]}
        ]}]
    });
    app.create_campaign(&org, doc).await;
    (app, org)
}

fn body(account: &str, id: &str) -> Value {
    json!({"account": account, "platform": "web", "completion_id": id})
}

async fn points(app: &TestApp, org: &Org, account: &str) -> i64 {
    let token = app.user_token(org, account).await;
    let view = app
        .get_as("/v1/widget/demo/campaigns/partner", &token)
        .await;
    let view: WidgetCampaignResponse = serde_json::from_value(view.json).unwrap();
    view.user.unwrap().points
}

#[tokio::test]
async fn a_repeated_completion_id_answers_its_first_result_and_changes_nothing() {
    let (app, org) = partner_app().await;
    let token = Some(org.api_token.as_str());
    let first = app
        .json("POST", COMPLETE_ONCE, token, body("alice", "dep-1"))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(
        first.json,
        json!({"completion_id": "dep-1", "outcome": "completed", "points_awarded": 25})
    );
    let again = app
        .json("POST", COMPLETE_ONCE, token, body("alice", "dep-1"))
        .await;
    assert_eq!(again.json, first.json, "the first result, again");
    assert_eq!(points(&app, &org, "alice").await, 25);

    // Another id for the same once-only task: already completed, nothing awarded.
    let other = app
        .json("POST", COMPLETE_ONCE, token, body("alice", "dep-2"))
        .await;
    assert_eq!(other.json["outcome"], "already_completed");
    assert_eq!(other.json["points_awarded"], 0);

    // The id names alice's completion: not bob's, not another task's.
    app.json("POST", COMPLETE_ONCE, token, body("bob", "dep-1"))
        .await
        .assert_error(StatusCode::CONFLICT, "conflict");
    app.json("POST", COMPLETE_THRICE, token, body("alice", "dep-1"))
        .await
        .assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(points(&app, &org, "bob").await, 0);
}

#[tokio::test]
async fn fifty_concurrent_repeats_of_one_completion_id_complete_once() {
    let (app, org) = partner_app().await;
    let app = Arc::new(app);
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let (app, token) = (app.clone(), org.api_token.clone());
            tokio::spawn(async move {
                app.json(
                    "POST",
                    COMPLETE_THRICE,
                    Some(&token),
                    body("carl", "trade-1"),
                )
                .await
            })
        })
        .collect();
    for handle in handles {
        let answer = handle.await.unwrap();
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert_eq!(
            answer.json,
            json!({"completion_id": "trade-1", "outcome": "completed", "points_awarded": 10})
        );
    }
    assert_eq!(
        points(&app, &org, "carl").await,
        10,
        "one completion of three"
    );
    // New ids complete it up to its count.
    for id in ["trade-2", "trade-3", "trade-4"] {
        app.json(
            "POST",
            COMPLETE_THRICE,
            Some(&org.api_token),
            body("carl", id),
        )
        .await;
    }
    assert_eq!(points(&app, &org, "carl").await, 30);
}

#[tokio::test]
async fn only_api_tasks_take_partner_completions_and_users_cannot_attempt_them() {
    let (app, org) = partner_app().await;
    let token = Some(org.api_token.as_str());
    app.json(
        "POST",
        "/v1/campaigns/partner/quests/linked/tasks/visit/completions",
        token,
        body("dan", "v-1"),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "conflict");
    app.json(
        "POST",
        "/v1/campaigns/partner/quests/linked/tasks/nope/completions",
        token,
        body("dan", "v-2"),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    let bad = json!({"account": "dan", "platform": "Not A Slug", "completion_id": "v-3"});
    app.json("POST", COMPLETE_ONCE, token, bad)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");

    // Another organization's credential does not see this campaign.
    let other = app.org("other").await;
    app.json(
        "POST",
        COMPLETE_ONCE,
        Some(&other.api_token),
        body("dan", "x-1"),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");

    // The user's widget cannot complete it: the partner's backend does.
    let user = app.user_token(&org, "dan").await;
    let view = app.get_as("/v1/widget/demo/campaigns/partner", &user).await;
    let task = view.json["groups"][0]["quests"][0]["tasks"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        view.json["groups"][0]["quests"][0]["tasks"][0]["settings"],
        json!({"type": "api"})
    );
    let attempt = app
        .json(
            "POST",
            &format!("/v1/widget/demo/campaigns/partner/tasks/{task}/attempts"),
            Some(&user),
            json!({"answer": {"type": "visit_link"}}),
        )
        .await;
    assert_eq!(attempt.json["outcome"], "failed", "{}", attempt.text);
    assert_eq!(points(&app, &org, "dan").await, 0);
}
