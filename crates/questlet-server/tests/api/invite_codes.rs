//! Invite codes: a partner's pool of single-use codes, each accepted once under
//! concurrency, on both backends.

use std::sync::Arc;

use axum::http::StatusCode;
use questlet_types::WidgetCampaignResponse;
use serde_json::{json, Value};

use crate::support::{Org, TestApp};

const CODES: &str = "/v1/campaigns/invites/quests/join/tasks/invite/codes";
const CAMPAIGN: &str = "/v1/widget/demo/campaigns/invites";

/// The demo organization with a published campaign of one invite_code task.
async fn invites_app() -> (TestApp, Org, String) {
    let (app, org) = TestApp::with_demo_org().await;
    let doc = json!({
        "slug": "invites",
        "title": "Invites",
        "status": "published",
        "groups": [{"key": "main", "title": "Main", "quests": [
            {"key": "join", "title": "Join", "tasks": [
                {"key": "invite", "title": "Enter your invite", "points": 15,
                 "config": {"type": "invite_code", "placeholder": "INVITE"}},
                {"key": "visit", "title": "Visit", "points": 1,
                 "config": {"type": "visit_link", "url": "https://example.com"}}
            ]}
        ]}]
    });
    app.create_campaign(&org, doc).await;
    let view: WidgetCampaignResponse =
        serde_json::from_value(app.get(CAMPAIGN).await.json).unwrap();
    let task = view.groups[0].quests[0].tasks[0].id.clone();
    (app, org, task)
}

async fn use_code(app: &TestApp, token: &str, task: &str, code: &str) -> Value {
    let response = app
        .json(
            "POST",
            &format!("{CAMPAIGN}/tasks/{task}/attempts"),
            Some(token),
            json!({"answer": {"type": "invite_code", "code": code}}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

#[tokio::test]
async fn a_thousand_concurrent_uses_of_a_hundred_codes_accept_each_code_once() {
    let (app, org, task) = invites_app().await;
    let codes: Vec<String> = (0..100).map(|i| format!("code-{i:03}")).collect();
    let added = app
        .json(
            "POST",
            CODES,
            Some(&org.api_token),
            json!({ "codes": codes }),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text);
    assert_eq!(
        added.json,
        json!({"added": 100, "total": 100, "claimed": 0})
    );

    let mut tokens = Vec::new();
    for user in 0..1000 {
        tokens.push(app.user_token(&org, &format!("guest-{user}")).await);
    }
    let app = Arc::new(app);
    let handles: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(user, token)| {
            let (app, task) = (app.clone(), task.clone());
            // Ten users race for each code (in either case: codes ignore it).
            let code = if user % 2 == 0 {
                format!("CODE-{:03}", user % 100)
            } else {
                format!(" code-{:03} ", user % 100)
            };
            tokio::spawn(async move { use_code(&app, &token, &task, &code).await })
        })
        .collect();
    let mut completed = 0;
    for handle in handles {
        let answer = handle.await.unwrap();
        match answer["outcome"].as_str().unwrap() {
            "completed" => completed += 1,
            "failed" => assert_eq!(
                answer["reason"],
                "That code is not valid or was already used."
            ),
            other => panic!("unexpected outcome {other}"),
        }
    }
    assert_eq!(completed, 100, "each of the 100 codes is accepted once");
    let counts = app.get_as(CODES, &org.api_token).await;
    assert_eq!(
        counts.json,
        json!({"added": 0, "total": 100, "claimed": 100})
    );
}

#[tokio::test]
async fn a_user_claims_one_code_and_unknown_codes_are_refused() {
    let (app, org, task) = invites_app().await;
    app.json(
        "POST",
        CODES,
        Some(&org.api_token),
        json!({"codes": ["ALPHA", "BETA", "alpha"]}),
    )
    .await;
    let token = app.user_token(&org, "ivy").await;
    let wrong = use_code(&app, &token, &task, "GAMMA").await;
    assert_eq!(wrong["outcome"], "failed");
    let first = use_code(&app, &token, &task, "alpha").await;
    assert_eq!(first["outcome"], "completed");
    assert_eq!(first["points_awarded"], 15);
    // Done: a second code is not taken from the pool.
    let again = use_code(&app, &token, &task, "BETA").await;
    assert_eq!(again["outcome"], "already_completed");
    let counts = app.get_as(CODES, &org.api_token).await;
    assert_eq!(counts.json, json!({"added": 0, "total": 2, "claimed": 1}));
    // Someone else cannot use ivy's code, but can use the free one.
    let other = app.user_token(&org, "jon").await;
    assert_eq!(
        use_code(&app, &other, &task, "ALPHA").await["outcome"],
        "failed"
    );
    assert_eq!(
        use_code(&app, &other, &task, "beta").await["outcome"],
        "completed"
    );
}

#[tokio::test]
async fn only_invite_code_tasks_take_codes_and_bad_codes_are_refused() {
    let (app, org, _) = invites_app().await;
    let token = Some(org.api_token.as_str());
    app.json(
        "POST",
        "/v1/campaigns/invites/quests/join/tasks/visit/codes",
        token,
        json!({"codes": ["A"]}),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "conflict");
    app.json("POST", CODES, token, json!({"codes": ["ok", "  "]}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    app.json("POST", CODES, token, json!({"codes": []}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    let other = app.org("other").await;
    app.get_as(CODES, &other.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    // An invite task repeats never: its one code per user is its one completion.
    let mut doc = app
        .get_as("/v1/campaigns/invites", &org.api_token)
        .await
        .json;
    doc["groups"][0]["quests"][0]["tasks"][0]["recurrence"] = json!({"type": "daily"});
    app.json("PUT", "/v1/campaigns/invites", token, doc)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
}

#[tokio::test]
async fn the_demos_invite_task_takes_its_seeded_codes() {
    let (app, org) = TestApp::with_demo_org().await;
    let demo = "/v1/widget/demo/campaigns/launch-week";
    let view: WidgetCampaignResponse = serde_json::from_value(app.get(demo).await.json).unwrap();
    let task = view
        .quests()
        .flat_map(|q| &q.tasks)
        .find(|t| t.kind == questlet_types::TaskKind::InviteCode)
        .expect("the demo has an invite task")
        .id
        .clone();
    let token = app.user_token(&org, "demo-guest").await;
    let answer = app
        .json(
            "POST",
            &format!("{demo}/tasks/{task}/attempts"),
            Some(&token),
            json!({"answer": {"type": "invite_code", "code": "invite-042"}}),
        )
        .await;
    assert_eq!(answer.json["outcome"], "completed", "{}", answer.text);
}
