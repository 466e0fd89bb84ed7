//! Daily check-in: once a day in the campaign's time zone, with a streak of consecutive
//! days that a missed day resets; on both backends.

use axum::http::StatusCode;
use questlet_types::WidgetCampaignResponse;
use serde_json::{json, Value};

use crate::support::{task_id, Org, TestApp};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/check-ins";
const DAY: i64 = 24 * 3600;

async fn check_ins_app() -> (TestApp, Org) {
    let (app, org) = TestApp::with_demo_org().await;
    let doc = json!({
        "slug": "check-ins",
        "title": "Check-ins",
        "status": "published",
        "time_zone": "Asia/Tokyo",
        "groups": [{"key": "main", "title": "Main", "quests": [
            {"key": "daily", "title": "Daily", "tasks": [
                {"key": "check-in", "title": "Check in", "points": 5,
                 "recurrence": {"type": "daily"}, "config": {"type": "daily_check_in"}}
            ]}
        ]}]
    });
    app.create_campaign(&org, doc).await;
    (app, org)
}

async fn view(app: &TestApp, token: &str) -> WidgetCampaignResponse {
    serde_json::from_value(app.get_as(CAMPAIGN, token).await.json).unwrap()
}

async fn check_in(app: &TestApp, token: &str) -> Value {
    let task = task_id(&view(app, token).await, "Check in");
    let response = app
        .json(
            "POST",
            &format!("{CAMPAIGN}/tasks/{task}/attempts"),
            Some(token),
            json!({"answer": {"type": "daily_check_in"}}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

#[tokio::test]
async fn consecutive_days_grow_a_streak_that_a_missed_day_resets() {
    let (app, org) = check_ins_app().await;
    let ann = app.user_token(&org, "ann").await;
    let streak = |view: &WidgetCampaignResponse| view.task_streak(&task_id(view, "Check in"));
    assert_eq!(streak(&view(&app, &ann).await), 0);

    for day in 1..=3 {
        let answer = check_in(&app, &ann).await;
        assert_eq!(answer["outcome"], "completed", "day {day}: {answer}");
        assert_eq!(answer["user"]["streaks"][0]["days"], day, "day {day}");
        // A second check-in the same day awards nothing.
        assert_eq!(check_in(&app, &ann).await["outcome"], "already_completed");
        app.state.clock.advance(DAY);
    }
    // The next day, before checking in, the streak still stands...
    let before = view(&app, &ann).await;
    assert_eq!(streak(&before), 3);
    assert_eq!(before.user.as_ref().unwrap().points, 15);
    // ...a day later it is gone, and the next check-in starts again at 1.
    app.state.clock.advance(DAY);
    assert_eq!(streak(&view(&app, &ann).await), 0);
    let again = check_in(&app, &ann).await;
    assert_eq!(again["user"]["streaks"][0]["days"], 1);
    assert_eq!(again["user"]["points"], 20);
}

#[tokio::test]
async fn a_check_in_task_must_be_daily() {
    let (app, org) = TestApp::with_demo_org().await;
    let doc = json!({
        "slug": "weekly-check-in", "title": "W", "status": "draft",
        "groups": [{"key": "g", "title": "G", "quests": [
            {"key": "q", "title": "Q", "tasks": [
                {"key": "t", "title": "T", "points": 1, "recurrence": {"type": "weekly"},
                 "config": {"type": "daily_check_in"}}
            ]}
        ]}]
    });
    app.json("POST", "/v1/campaigns", Some(&org.api_token), doc)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
}
