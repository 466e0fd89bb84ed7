//! Custom tasks and the review queue: a proof waits for the partner, who approves or
//! rejects it (one by one or in bulk); an approval completes the task once. On both
//! backends.

use std::sync::Arc;

use axum::http::StatusCode;
use questlet_types::{ReviewState, WidgetCampaignResponse};
use serde_json::{json, Value};

use crate::support::{task_id, Org, TestApp};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/proofs";
const QUEUE: &str = "/v1/campaigns/proofs/submissions";

/// The demo organization with a published campaign of a reviewed custom task (a link), an
/// unreviewed one (text) and a visit.
async fn proofs_app() -> (TestApp, Org) {
    let (app, org) = TestApp::with_demo_org().await;
    let doc = json!({
        "slug": "proofs",
        "title": "Proofs",
        "status": "published",
        "groups": [{"key": "main", "title": "Main", "quests": [
            {"key": "share", "title": "Share", "tasks": [
                {"key": "post", "title": "Post about us", "points": 40,
                 "config": {"type": "custom", "proof": "url", "review": true,
                            "placeholder": "Link to your post"}},
                {"key": "say", "title": "Say hello", "points": 5,
                 "config": {"type": "custom", "proof": "text"}}
            ]}
        ]}]
    });
    app.create_campaign(&org, doc).await;
    (app, org)
}

async fn view(app: &TestApp, token: &str) -> WidgetCampaignResponse {
    serde_json::from_value(app.get_as(CAMPAIGN, token).await.json).unwrap()
}

async fn send_proof(app: &TestApp, token: &str, title: &str, proof: &str) -> Value {
    let task = task_id(&view(app, token).await, title);
    let response = app
        .json(
            "POST",
            &format!("{CAMPAIGN}/tasks/{task}/attempts"),
            Some(token),
            json!({"answer": {"type": "custom", "proof": proof}}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

async fn queue(app: &TestApp, org: &Org, query: &str) -> Vec<Value> {
    let response = app.get_as(&format!("{QUEUE}{query}"), &org.api_token).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json["submissions"].as_array().unwrap().clone()
}

async fn review(app: &TestApp, org: &Org, id: &str, body: Value) -> crate::support::Response {
    app.json(
        "POST",
        &format!("{QUEUE}/{id}/review"),
        Some(&org.api_token),
        body,
    )
    .await
}

#[tokio::test]
async fn a_proof_waits_for_review_and_its_approval_completes_the_task_once() {
    let (app, org) = proofs_app().await;
    let ann = app.user_token(&org, "ann").await;
    let sent = send_proof(&app, &ann, "Post about us", " https://x.com/ann/1 ").await;
    assert_eq!(sent["outcome"], "pending", "{sent}");
    assert_eq!(sent["points_awarded"], 0);
    assert_eq!(sent["user"]["reviews"][0]["state"], "pending");
    assert_eq!(sent["changed_quests"].as_array().unwrap().len(), 1);
    // A second proof while one waits is not kept.
    let again = send_proof(&app, &ann, "Post about us", "https://x.com/ann/2").await;
    assert_eq!(again["outcome"], "pending");

    let pending = queue(&app, &org, "?state=pending").await;
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0]["proof"], "https://x.com/ann/1");
    assert_eq!(pending[0]["account"], "ann");
    assert_eq!(pending[0]["quest"], "share");
    assert_eq!(pending[0]["task"], "post");
    let before = view(&app, &ann).await;
    let task = task_id(&before, "Post about us");
    assert!(!before.task_completed(&task));
    assert_eq!(before.user.as_ref().unwrap().points, 0);

    let id = pending[0]["id"].as_str().unwrap();
    let approved = review(
        &app,
        &org,
        id,
        json!({"decision": "approve", "message": "Great post!"}),
    )
    .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);
    assert_eq!(approved.json["state"], "approved");
    assert_eq!(approved.json["message"], "Great post!");
    assert!(approved.json["reviewed_at"].is_i64());

    let after = view(&app, &ann).await;
    assert!(after.task_completed(&task));
    assert_eq!(after.user.as_ref().unwrap().points, 40);
    let shown = after.task_review(&task).unwrap();
    assert_eq!(shown.state, ReviewState::Approved);
    assert_eq!(shown.message.as_deref(), Some("Great post!"));

    // Decided once: a second decision is a conflict, and changes nothing.
    let twice = review(&app, &org, id, json!({"decision": "reject"})).await;
    twice.assert_error(StatusCode::CONFLICT, "conflict");
    let resend = send_proof(&app, &ann, "Post about us", "https://x.com/ann/3").await;
    assert_eq!(resend["outcome"], "already_completed");
    assert_eq!(view(&app, &ann).await.user.unwrap().points, 40);
    assert!(queue(&app, &org, "?state=pending").await.is_empty());
    let activity = app
        .get_as("/v1/campaigns/proofs/activity", &org.api_token)
        .await;
    let outcomes: Vec<&str> = activity
        .json
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["outcome"].as_str())
        .collect();
    assert!(
        outcomes.contains(&"pending") && outcomes.contains(&"completed"),
        "{outcomes:?}"
    );
}

#[tokio::test]
async fn a_rejected_proof_shows_the_message_and_the_next_proof_replaces_it() {
    let (app, org) = proofs_app().await;
    let bo = app.user_token(&org, "bo").await;
    send_proof(&app, &bo, "Post about us", "https://x.com/bo/1").await;
    let first = queue(&app, &org, "").await;
    let first_id = first[0]["id"].as_str().unwrap().to_owned();
    let rejected = review(
        &app,
        &org,
        &first_id,
        json!({"decision": "reject", "message": "The post is private."}),
    )
    .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.text);
    assert_eq!(rejected.json["state"], "rejected");
    let shown = view(&app, &bo).await;
    let task = task_id(&shown, "Post about us");
    let review_shown = shown.task_review(&task).unwrap();
    assert_eq!(review_shown.state, ReviewState::Rejected);
    assert_eq!(
        review_shown.message.as_deref(),
        Some("The post is private.")
    );
    assert!(!shown.task_completed(&task));

    let again = send_proof(&app, &bo, "Post about us", "https://x.com/bo/2").await;
    assert_eq!(again["outcome"], "pending");
    let now = queue(&app, &org, "?state=pending").await;
    assert_eq!(now.len(), 1);
    assert_ne!(now[0]["id"], first_id.as_str(), "a new proof has a new id");
    assert_eq!(now[0]["proof"], "https://x.com/bo/2");
    // A stale decision on the old id cannot approve the new proof.
    let stale = review(&app, &org, &first_id, json!({"decision": "approve"})).await;
    stale.assert_error(StatusCode::NOT_FOUND, "not_found");
    assert!(queue(&app, &org, "?state=rejected").await.is_empty());
}

#[tokio::test]
async fn proofs_are_checked_and_an_unreviewed_custom_task_completes_at_once() {
    let (app, org) = proofs_app().await;
    let cy = app.user_token(&org, "cy").await;
    let bad = send_proof(&app, &cy, "Post about us", "not a link").await;
    assert_eq!(bad["outcome"], "failed");
    assert!(
        bad["reason"].as_str().unwrap().contains("https://"),
        "{bad}"
    );
    let blank = send_proof(&app, &cy, "Say hello", "   ").await;
    assert_eq!(blank["outcome"], "failed");
    let said = send_proof(&app, &cy, "Say hello", "Hello!").await;
    assert_eq!(said["outcome"], "completed");
    assert_eq!(said["points_awarded"], 5);
    assert!(queue(&app, &org, "").await.is_empty(), "nothing to review");
}

#[tokio::test]
async fn bulk_approval_completes_each_proof_once_and_skips_the_rest() {
    let (app, org) = proofs_app().await;
    let mut tokens = Vec::new();
    for user in 0..20 {
        let token = app.user_token(&org, &format!("u{user}")).await;
        send_proof(
            &app,
            &token,
            "Post about us",
            &format!("https://x.com/u{user}"),
        )
        .await;
        tokens.push(token);
    }
    let ids: Vec<String> = queue(&app, &org, "?quest=share&state=pending&limit=500")
        .await
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 20);
    assert_eq!(queue(&app, &org, "?limit=5&offset=18").await.len(), 2);
    assert!(queue(&app, &org, "?quest=nope").await.is_empty());

    // Two bulk approvals race; each proof is approved (and its points awarded) once.
    let mut body_ids = ids.clone();
    body_ids.push("no-such-id".into());
    let app = Arc::new(app);
    let races: Vec<_> = (0..2)
        .map(|_| {
            let (app, token, ids) = (app.clone(), org.api_token.clone(), body_ids.clone());
            tokio::spawn(async move {
                app.json(
                    "POST",
                    &format!("{QUEUE}/review"),
                    Some(&token),
                    json!({"ids": ids, "decision": "approve"}),
                )
                .await
            })
        })
        .collect();
    let mut reviewed = 0;
    for race in races {
        let response = race.await.unwrap();
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        reviewed += response.json["reviewed"].as_array().unwrap().len();
        let skipped = response.json["skipped"].as_array().unwrap();
        assert!(skipped.iter().any(|s| s["id"] == "no-such-id"));
    }
    assert_eq!(reviewed, 20, "each proof approved by one of the two calls");
    for token in &tokens {
        assert_eq!(view(&app, token).await.user.unwrap().points, 40);
    }
    assert_eq!(queue(&app, &org, "?state=approved").await.len(), 20);
}

#[tokio::test]
async fn the_queue_is_the_organizations_own_and_bad_parameters_are_400() {
    let (app, org) = proofs_app().await;
    let ann = app.user_token(&org, "ann").await;
    send_proof(&app, &ann, "Post about us", "https://x.com/ann").await;
    let id = queue(&app, &org, "").await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = app.org("other").await;
    app.get_as(QUEUE, &other.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    review(&app, &other, &id, json!({"decision": "approve"}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    for query in ["?state=done", "?limit=0", "?limit=x", "?offset=-1"] {
        app.get_as(&format!("{QUEUE}{query}"), &org.api_token)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    review(
        &app,
        &org,
        &id,
        json!({"decision": "approve", "message": "x".repeat(1001)}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    // A reviewed custom task is done once.
    let daily = json!({
        "slug": "daily-proofs",
        "title": "Daily proofs",
        "status": "draft",
        "groups": [{"key": "main", "title": "Main", "quests": [
            {"key": "q", "title": "Q", "tasks": [
                {"key": "t", "title": "T", "points": 1, "recurrence": {"type": "daily"},
                 "config": {"type": "custom", "proof": "text", "review": true}}
            ]}
        ]}]
    });
    app.json("POST", "/v1/campaigns", Some(&org.api_token), daily)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
}
