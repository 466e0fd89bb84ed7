//! A campaign's results: totals, the counts of each day and each quest's funnel, equal to
//! what its completions (read back through the activity feed) say.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::{Org, TestApp};

const WIDGET: &str = "/v1/widget/demo/campaigns/tally";
const ADMIN: &str = "/v1/campaigns/tally";

/// A campaign of two quests: `q` of two tasks, and `later` of one nobody completes.
async fn tally_app() -> (TestApp, Org) {
    let (app, org) = TestApp::with_demo_org().await;
    let task = |key: &str| {
        json!({"key": key, "title": key.to_uppercase(), "points": 1,
        "config": {"type": "visit_link", "url": "https://acme.example"}})
    };
    let doc = json!({"slug": "tally", "title": "Tally", "status": "published",
        "groups": [{"key": "g", "title": "G", "quests": [
            {"key": "q", "title": "Q", "tasks": [task("a"), task("b")]},
            {"key": "later", "title": "Later", "tasks": [task("c")]}]}]});
    app.create_campaign(&org, doc).await;
    (app, org)
}

#[tokio::test]
async fn results_count_each_day_and_each_quest_as_the_completions_say() {
    let (app, org) = tally_app().await;
    let complete = async |account: &str, titles: &[&str]| {
        let token = app.user_token(&org, account).await;
        for title in titles {
            app.attempt_titled(WIDGET, &token, title, json!({"type": "visit_link"}))
                .await;
        }
    };
    complete("ann", &["A", "B"]).await;
    complete("bob", &["B"]).await;
    app.state.clock.advance(86_400);
    complete("cy", &["A"]).await;
    complete("dee", &["B", "A"]).await;

    let results = app
        .get_as(&format!("{ADMIN}/results?days=3"), &org.api_token)
        .await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.text);
    assert_eq!(results.json["participants"], 4);
    assert_eq!(results.json["completions"], 6);
    assert_eq!(
        results.json["quests"],
        json!([
            {"key": "q", "title": "Q", "opened": 0, "started": 4, "completed": 2},
            {"key": "later", "title": "Later", "opened": 0, "started": 0, "completed": 0}
        ])
    );

    // Each day's counts are those of the completions made that day (UTC).
    let activity = app
        .get_as(&format!("{ADMIN}/activity"), &org.api_token)
        .await;
    let mut expected: BTreeMap<String, (i64, Vec<String>)> = BTreeMap::new();
    for entry in activity.json.as_array().unwrap() {
        let at = entry["created_at"].as_i64().unwrap();
        let day = jiff::Timestamp::from_second(at)
            .unwrap()
            .strftime("%Y-%m-%d")
            .to_string();
        let counts = expected.entry(day).or_default();
        counts.0 += 1;
        let account = entry["account"].as_str().unwrap().to_owned();
        if !counts.1.contains(&account) {
            counts.1.push(account);
        }
    }
    let days = results.json["days"].as_array().unwrap();
    assert_eq!(days.len(), 3, "{days:?}");
    let today = jiff::Timestamp::from_second(app.state.clock.now())
        .unwrap()
        .strftime("%Y-%m-%d")
        .to_string();
    assert_eq!(days[2]["day"], today.as_str());
    for day in days {
        let (completions, users) = expected
            .get(day["day"].as_str().unwrap())
            .cloned()
            .unwrap_or_default();
        assert_eq!(day["completions"], completions, "{day}");
        assert_eq!(day["participants"], users.len() as i64, "{day}");
    }
    let counted: i64 = days
        .iter()
        .map(|d| d["completions"].as_i64().unwrap())
        .sum();
    assert_eq!(counted, 6, "every completion falls in the last three days");
}

/// The widget's path that records an open of the quest titled `title`.
async fn opened_path(app: &TestApp, title: &str) -> String {
    let view = app.get(WIDGET).await.json;
    let quest = view["groups"][0]["quests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["title"] == title)
        .unwrap_or_else(|| panic!("no quest {title} in {view}"));
    format!("{WIDGET}/quests/{}/opened", quest["id"].as_str().unwrap())
}

#[tokio::test]
async fn a_quest_counts_each_signed_in_user_who_opened_it_once() {
    let (app, org) = tally_app().await;
    let (q, later) = (
        opened_path(&app, "Q").await,
        opened_path(&app, "Later").await,
    );
    let ann = app.user_token(&org, "ann").await;
    let bob = app.user_token(&org, "bob").await;
    for (path, token) in [(&q, &ann), (&q, &ann), (&q, &bob), (&later, &ann)] {
        let opened = app.request("POST", path, Some(token), &[], None).await;
        assert_eq!(opened.status, StatusCode::NO_CONTENT, "{}", opened.text);
    }
    // Refused, and not counted: no token, another organization's user, no such quest.
    app.request("POST", &q, None, &[], None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    let other = app.org("other").await;
    let stranger = app.user_token(&other, "ann").await;
    app.request("POST", &q, Some(&stranger), &[], None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    app.request(
        "POST",
        &format!("{WIDGET}/quests/nope/opened"),
        Some(&ann),
        &[],
        None,
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.attempt_titled(WIDGET, &bob, "C", json!({"type": "visit_link"}))
        .await;

    let results = app
        .get_as(&format!("{ADMIN}/results"), &org.api_token)
        .await;
    assert_eq!(
        results.json["quests"],
        json!([
            {"key": "q", "title": "Q", "opened": 2, "started": 0, "completed": 0},
            {"key": "later", "title": "Later", "opened": 1, "started": 1, "completed": 1}
        ])
    );
}

#[tokio::test]
async fn results_refuse_a_bad_window_and_other_organizations_campaigns() {
    let (app, org) = tally_app().await;
    for days in ["0", "367", "x"] {
        app.get_as(&format!("{ADMIN}/results?days={days}"), &org.api_token)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    let other = app.org("other").await;
    app.get_as(&format!("{ADMIN}/results"), &other.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let empty = app
        .get_as(&format!("{ADMIN}/results?days=1"), &org.api_token)
        .await;
    let day: &Value = &empty.json["days"][0];
    assert_eq!(
        (day["completions"].clone(), day["participants"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(empty.json["participants"], 0);
}
