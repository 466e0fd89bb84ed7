//! Task rules: recurrence (daily, every N hours, N times) in the campaign's time zone,
//! points multipliers, start and end times, and the partner's messages, all enforced on
//! the server.

use std::sync::Arc;

use axum::http::StatusCode;
use questlet_types::attempt::{AttemptOutcome, TaskAttemptResponse};
use questlet_types::WidgetCampaignResponse;
use serde_json::{json, Value};

use crate::support::{task_id, Org, TestApp};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/rules";
const HOUR: i64 = 3600;

/// A published campaign in Berlin time with one task per rule.
fn rules_doc(now: i64) -> Value {
    let visit = json!({"type": "visit_link", "url": "https://example.com"});
    json!({
        "slug": "rules",
        "title": "Rules",
        "status": "published",
        "time_zone": "Europe/Berlin",
        "groups": [{"key": "main", "title": "Main", "quests": [
            {"key": "habits", "title": "Habits", "tasks": [
                {"key": "daily", "title": "Daily", "points": 10, "points_multiplier_pct": 200,
                 "recurrence": {"type": "daily"}, "completion_message": "See you tomorrow!",
                 "config": visit},
                {"key": "thrice", "title": "Thrice", "points": 5,
                 "recurrence": {"type": "times", "count": 3}, "config": visit},
                {"key": "every-8h", "title": "Every 8 hours", "points": 1,
                 "recurrence": {"type": "every_hours", "hours": 8}, "config": visit},
                {"key": "code", "title": "Code", "points": 7, "failure_message": "Not quite.",
                 "config": {"type": "secret_code", "code": "OPEN"}},
                {"key": "later", "title": "Later", "points": 1, "starts_at": now + HOUR,
                 "config": visit}
            ]},
            {"key": "closed", "title": "Closed", "ends_at": now - HOUR, "tasks": [
                {"key": "gone", "title": "Gone", "points": 1, "config": visit}
            ]}
        ]}]
    })
}

/// The demo organization with the rules campaign, and its credential.
async fn rules_app() -> (TestApp, Org) {
    let (app, org) = TestApp::with_demo_org().await;
    let created = app
        .json(
            "POST",
            "/v1/campaigns",
            Some(&org.api_token),
            rules_doc(app.state.clock.now()),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    (app, org)
}

async fn view(app: &TestApp, token: &str) -> WidgetCampaignResponse {
    let response = app.get_as(CAMPAIGN, token).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    serde_json::from_value(response.json).unwrap()
}

async fn attempt(
    app: &TestApp,
    token: &str,
    task: &str,
    answer: Value,
) -> crate::support::Response {
    app.json(
        "POST",
        &format!("{CAMPAIGN}/tasks/{task}/attempts"),
        Some(token),
        json!({ "answer": answer }),
    )
    .await
}

async fn visit(app: &TestApp, token: &str, task: &str) -> TaskAttemptResponse {
    let response = attempt(app, token, task, json!({"type": "visit_link"})).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    serde_json::from_value(response.json).unwrap()
}

/// `count` concurrent visits of `task`; answers how many completed it.
async fn concurrent_visits(app: &Arc<TestApp>, token: &str, task: &str, count: usize) -> usize {
    let handles: Vec<_> = (0..count)
        .map(|_| {
            let (app, token, task) = (app.clone(), token.to_owned(), task.to_owned());
            tokio::spawn(async move { visit(&app, &token, &task).await })
        })
        .collect();
    let mut completed = 0;
    for handle in handles {
        let answer = handle.await.unwrap();
        match answer.outcome {
            AttemptOutcome::Completed => completed += 1,
            AttemptOutcome::AlreadyCompleted => assert_eq!(answer.points_awarded, 0),
            AttemptOutcome::Failed | AttemptOutcome::Pending => {
                panic!("a visit ended {:?}: {:?}", answer.outcome, answer.reason)
            }
        }
    }
    completed
}

#[tokio::test]
async fn two_hundred_concurrent_duplicates_of_a_daily_task_award_once_a_day() {
    let (app, org) = rules_app().await;
    let token = app.user_token(&org, "dana").await;
    let campaign = view(&app, &token).await;
    let daily = task_id(&campaign, "Daily");
    let app = Arc::new(app);

    assert_eq!(concurrent_visits(&app, &token, &daily, 200).await, 1);
    let today = view(&app, &token).await;
    let user = today.user.as_ref().unwrap();
    assert_eq!(user.points, 20, "10 points at 200 %");
    assert!(today.task_completed(&daily));
    // Open again at the next midnight in Berlin: within a day (and a DST hour).
    let now = app.state.clock.now();
    let again = today
        .task_again_at(&daily)
        .expect("a daily task opens again");
    assert!(again > now && again <= now + 25 * HOUR, "{again} vs {now}");
    assert_eq!(
        today.quest_status(&today.groups[0].quests[0]),
        questlet_types::QuestStatus::Available,
        "the quest still needs its other tasks"
    );

    // The next day: open again, and once more 200 duplicates award once.
    app.state.clock.advance(again - now);
    let tomorrow = view(&app, &token).await;
    assert!(!tomorrow.task_completed(&daily));
    assert_eq!(tomorrow.task_again_at(&daily), None);
    assert_eq!(concurrent_visits(&app, &token, &daily, 200).await, 1);
    assert_eq!(view(&app, &token).await.user.unwrap().points, 40);
}

#[tokio::test]
async fn a_task_of_a_fixed_count_completes_that_many_times_then_stays_done() {
    let (app, org) = rules_app().await;
    let token = app.user_token(&org, "tom").await;
    let thrice = task_id(&view(&app, &token).await, "Thrice");
    let mut outcomes = Vec::new();
    for _ in 0..4 {
        outcomes.push(visit(&app, &token, &thrice).await.outcome);
    }
    assert_eq!(
        outcomes,
        [
            AttemptOutcome::Completed,
            AttemptOutcome::Completed,
            AttemptOutcome::Completed,
            AttemptOutcome::AlreadyCompleted
        ]
    );
    let now = view(&app, &token).await;
    assert_eq!(now.user.as_ref().unwrap().points, 15);
    assert!(now.task_completed(&thrice));
    assert_eq!(now.task_again_at(&thrice), None, "done for good");
}

#[tokio::test]
async fn an_every_hours_task_opens_again_once_its_wait_is_over() {
    let (app, org) = rules_app().await;
    let token = app.user_token(&org, "eve").await;
    let every = task_id(&view(&app, &token).await, "Every 8 hours");
    let first = visit(&app, &token, &every).await;
    assert_eq!(first.outcome, AttemptOutcome::Completed);
    let started = app.state.clock.now();
    let again = first.user.available_again[0].at;
    assert!((started + 8 * HOUR - 2..=started + 8 * HOUR).contains(&again));
    assert_eq!(
        visit(&app, &token, &every).await.outcome,
        AttemptOutcome::AlreadyCompleted
    );
    app.state.clock.advance(7 * HOUR);
    assert_eq!(
        visit(&app, &token, &every).await.outcome,
        AttemptOutcome::AlreadyCompleted,
        "seven hours are not eight"
    );
    app.state.clock.advance(HOUR);
    let second = visit(&app, &token, &every).await;
    assert_eq!(second.outcome, AttemptOutcome::Completed);
    assert_eq!(second.user.points, 2);
}

#[tokio::test]
async fn tasks_and_quests_outside_their_window_refuse_attempts() {
    let (app, org) = rules_app().await;
    let token = app.user_token(&org, "wes").await;
    let campaign = view(&app, &token).await;
    let later = task_id(&campaign, "Later");
    let gone = task_id(&campaign, "Gone");

    let early = attempt(&app, &token, &later, json!({"type": "visit_link"})).await;
    early.assert_error(StatusCode::CONFLICT, "conflict");
    assert!(
        early.json["message"]
            .as_str()
            .unwrap()
            .starts_with("this task opens at "),
        "{}",
        early.text
    );
    let closed = attempt(&app, &token, &gone, json!({"type": "visit_link"})).await;
    closed.assert_error(StatusCode::CONFLICT, "conflict");
    assert!(
        closed.json["message"]
            .as_str()
            .unwrap()
            .starts_with("this quest closed at "),
        "{}",
        closed.text
    );

    app.state.clock.advance(HOUR + 1);
    assert_eq!(
        visit(&app, &token, &later).await.outcome,
        AttemptOutcome::Completed
    );
}

#[tokio::test]
async fn the_partners_messages_come_with_the_outcome() {
    let (app, org) = rules_app().await;
    let token = app.user_token(&org, "mia").await;
    let campaign = view(&app, &token).await;
    let daily = task_id(&campaign, "Daily");
    let code = task_id(&campaign, "Code");

    let done = visit(&app, &token, &daily).await;
    assert_eq!(done.message.as_deref(), Some("See you tomorrow!"));
    assert_eq!(visit(&app, &token, &daily).await.message, None);

    let wrong = attempt(
        &app,
        &token,
        &code,
        json!({"type": "secret_code", "code": "no"}),
    )
    .await;
    let wrong: TaskAttemptResponse = serde_json::from_value(wrong.json).unwrap();
    assert_eq!(wrong.outcome, AttemptOutcome::Failed);
    assert_eq!(wrong.message.as_deref(), Some("Not quite."));
    assert_eq!(wrong.reason.as_deref(), Some("That code is not right."));
    let right = attempt(
        &app,
        &token,
        &code,
        json!({"type": "secret_code", "code": "open"}),
    )
    .await;
    assert_eq!(right.json["outcome"], "completed");
    assert_eq!(
        right.json["message"],
        Value::Null,
        "no completion message set"
    );
}

#[tokio::test]
async fn task_rules_round_trip_through_export_and_are_validated() {
    let (app, org) = rules_app().await;
    let exported = app.get_as("/v1/campaigns/rules", &org.api_token).await;
    assert_eq!(exported.status, StatusCode::OK, "{}", exported.text);
    let doc = &exported.json;
    assert_eq!(doc["time_zone"], "Europe/Berlin");
    let tasks = &doc["groups"][0]["quests"][0]["tasks"];
    assert_eq!(tasks[0]["points_multiplier_pct"], 200);
    assert_eq!(tasks[0]["recurrence"], json!({"type": "daily"}));
    assert_eq!(tasks[0]["completion_message"], "See you tomorrow!");
    assert_eq!(tasks[1]["recurrence"], json!({"type": "times", "count": 3}));
    assert_eq!(
        tasks[2]["recurrence"],
        json!({"type": "every_hours", "hours": 8})
    );
    assert_eq!(tasks[3]["failure_message"], "Not quite.");
    assert_eq!(tasks[3]["recurrence"], json!({"type": "once"}));
    assert!(tasks[4]["starts_at"].is_i64());
    assert!(doc["groups"][0]["quests"][1]["ends_at"].is_i64());
    // The widget sees the points a completion awards.
    let campaign = view(&app, &app.user_token(&org, "vic").await).await;
    assert_eq!(campaign.groups[0].quests[0].tasks[0].points, 20);

    let mut bad = rules_doc(0);
    bad["slug"] = json!("bad-zone");
    bad["time_zone"] = json!("Mars/Olympus");
    let refused = app
        .json("POST", "/v1/campaigns", Some(&org.api_token), bad)
        .await;
    refused.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
    assert!(
        refused.json["message"]
            .as_str()
            .unwrap()
            .starts_with("time_zone:"),
        "{}",
        refused.text
    );
    let mut bad = rules_doc(0);
    bad["slug"] = json!("bad-count");
    bad["groups"][0]["quests"][0]["tasks"][1]["recurrence"]["count"] = json!(1);
    let refused = app
        .json("POST", "/v1/campaigns", Some(&org.api_token), bad)
        .await;
    refused.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    assert!(
        refused.json["message"]
            .as_str()
            .unwrap()
            .starts_with("groups[0].quests[0].tasks[1].recurrence.count:"),
        "{}",
        refused.text
    );
}
