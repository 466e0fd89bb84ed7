//! Points the partner awards and deducts: idempotent by reward id, a deduction stops at
//! zero unless allowed, and the widget's points count them with completions.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::{Org, TestApp};

const POINTS: &str = "/v1/campaigns/launch-week/points";
const WIDGET: &str = "/v1/widget/demo/campaigns/launch-week";

fn award(account: &str, reward_id: &str, points: i64) -> Value {
    json!({"account": account, "platform": "web", "reward_id": reward_id, "points": points})
}

async fn adjust(app: &TestApp, org: &Org, body: Value) -> Value {
    let response = app.json("POST", POINTS, Some(&org.api_token), body).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

/// The user's points as the widget shows them.
async fn widget_points(app: &TestApp, org: &Org, account: &str) -> i64 {
    let token = app.user_token(org, account).await;
    app.get_as(WIDGET, &token).await.json["user"]["points"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn awards_and_completions_add_up_in_the_widget() {
    let (app, org) = TestApp::with_demo_org().await;
    let answer = adjust(&app, &org, award("ann", "bonus-1", 50)).await;
    assert_eq!(
        answer,
        json!({"reward_id": "bonus-1", "requested": 50, "applied": 50, "points": 50})
    );
    assert_eq!(widget_points(&app, &org, "ann").await, 50);
    // A completion (the demo's first task, 10 points) answers the sum too.
    let token = app.user_token(&org, "ann").await;
    app.complete_first_demo_task(&token).await;
    assert_eq!(widget_points(&app, &org, "ann").await, 60);
    let answer = adjust(&app, &org, award("ann", "bonus-2", 5)).await;
    assert_eq!(answer["points"], 65);
    assert_eq!(widget_points(&app, &org, "ann").await, 65);
}

#[tokio::test]
async fn a_deduction_stops_at_zero_unless_it_may_go_below() {
    let (app, org) = TestApp::with_demo_org().await;
    adjust(&app, &org, award("bo", "gift", 30)).await;
    let answer = adjust(&app, &org, award("bo", "penalty", -100)).await;
    assert_eq!(
        answer,
        json!({"reward_id": "penalty", "requested": -100, "applied": -30, "points": 0})
    );
    let mut below = award("bo", "debt", -10);
    below["allow_negative"] = json!(true);
    assert_eq!(adjust(&app, &org, below).await["points"], -10);
    // At or below zero, a plain deduction moves nothing.
    let answer = adjust(&app, &org, award("bo", "more", -5)).await;
    assert_eq!(answer["applied"], 0);
    assert_eq!(widget_points(&app, &org, "bo").await, -10);
}

#[tokio::test]
async fn a_repeated_reward_id_answers_the_first_result_and_changes_nothing() {
    let (app, org) = TestApp::with_demo_org().await;
    let first = adjust(&app, &org, award("cy", "r-1", 40)).await;
    adjust(&app, &org, award("cy", "r-2", 1)).await;
    // The repeat answers the points right after the first, not now.
    assert_eq!(adjust(&app, &org, award("cy", "r-1", 40)).await, first);
    assert_eq!(widget_points(&app, &org, "cy").await, 41);
    // The same id for someone else is a conflict, and gives them nothing.
    app.json(
        "POST",
        POINTS,
        Some(&org.api_token),
        award("dee", "r-1", 40),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(widget_points(&app, &org, "dee").await, 0);
}

#[tokio::test]
async fn two_hundred_concurrent_awards_with_one_reward_id_award_once() {
    let (app, org) = TestApp::with_demo_org().await;
    let app = Arc::new(app);
    let handles: Vec<_> = (0..200)
        .map(|_| {
            let (app, token) = (app.clone(), org.api_token.clone());
            tokio::spawn(async move {
                app.json(
                    "POST",
                    POINTS,
                    Some(&token),
                    award("eve", "launch-bonus", 7),
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
            json!({"reward_id": "launch-bonus", "requested": 7, "applied": 7, "points": 7})
        );
    }
    assert_eq!(widget_points(&app, &org, "eve").await, 7);
}

#[tokio::test]
async fn bad_adjustments_get_a_clear_error_and_another_organizations_campaign_is_not_found() {
    let (app, org) = TestApp::with_demo_org().await;
    for (body, field) in [
        (award("fay", "huge", 1_000_000_001), "points"),
        (award("fay", "  ", 5), "reward_id"),
        (award(" ", "blank-account", 5), "account"),
    ] {
        let response = app.json("POST", POINTS, Some(&org.api_token), body).await;
        response.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
        assert!(response.text.contains(field), "{field}: {}", response.text);
    }
    let other = app.org("globex").await;
    app.json("POST", POINTS, Some(&other.api_token), award("fay", "x", 5))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.json("POST", POINTS, None, award("fay", "x", 5))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(widget_points(&app, &org, "fay").await, 0);
}
