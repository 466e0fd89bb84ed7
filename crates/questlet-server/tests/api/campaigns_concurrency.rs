//! Concurrent admin edits: every edit is one serialised transaction, so concurrent writers
//! (in one process or several sharing the database) all succeed and lose nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{demo_doc, TestApp};

/// Starts 60 `POST /v1/campaigns/s/groups` at once (distinct keys), spread round-robin over
/// `apps`, and asserts that every one is answered 200 and every group stored.
async fn sixty_groups_at_once(label: &str, apps: &[Arc<TestApp>], token: &str) {
    let mut writers = tokio::task::JoinSet::new();
    for i in 0..60 {
        let app = Arc::clone(&apps[i % apps.len()]);
        let token = token.to_owned();
        writers.spawn(async move {
            let body =
                json!({"key": format!("extra-{i}"), "title": format!("Extra {i}"), "quests": []});
            app.json("POST", "/v1/campaigns/s/groups", Some(&token), body)
                .await
                .status
        });
    }
    let mut statuses = BTreeMap::new();
    while let Some(status) = writers.join_next().await {
        *statuses
            .entry(status.expect("writer").as_u16())
            .or_default() += 1;
    }
    let doc = apps[0].get_as("/v1/campaigns/s", token).await;
    let stored = doc.json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|g| {
            g["key"]
                .as_str()
                .is_some_and(|key| key.starts_with("extra-"))
        })
        .count();
    // The figures, for comparing runs and backends (`--nocapture`).
    eprintln!("{label}: answers by status {statuses:?}, groups stored {stored}");
    assert_eq!(
        statuses,
        BTreeMap::from([(200, 60)]),
        "{label}: answers by status"
    );
    assert_eq!(stored, 60, "{label}: every group is stored");
}

/// A fresh app with an organization and the demo campaign at slug `s`; the organization's
/// API token.
async fn app_with_campaign() -> (TestApp, String) {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let created = app
        .json("POST", "/v1/campaigns", Some(&org.api_token), demo_doc("s"))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    (app, org.api_token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_concurrent_group_creations_are_all_answered_and_stored() {
    let (app, token) = app_with_campaign().await;
    sixty_groups_at_once("one instance", &[Arc::new(app)], &token).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_group_creations_through_two_server_instances_are_all_stored() {
    let (app, token) = app_with_campaign().await;
    let second = app.another_instance().await;
    sixty_groups_at_once("two instances", &[Arc::new(app), Arc::new(second)], &token).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_concurrent_edits_from_one_etag_one_wins_and_the_other_gets_412() {
    let (app, token) = app_with_campaign().await;
    let app = Arc::new(app);
    for round in 0..5 {
        let etag = app
            .get_as("/v1/campaigns/s", &token)
            .await
            .etag()
            .expect("ETag")
            .to_owned();
        let mut editors = tokio::task::JoinSet::new();
        for editor in ["a", "b"] {
            let (app, token, etag) = (Arc::clone(&app), token.clone(), etag.clone());
            editors.spawn(async move {
                let key = format!("r{round}-{editor}");
                let body = json!({"key": key, "title": key, "quests": []});
                let headers = [("If-Match", etag.as_str())];
                let response = app
                    .request(
                        "POST",
                        "/v1/campaigns/s/groups",
                        Some(&token),
                        &headers,
                        Some(body),
                    )
                    .await;
                (key, response)
            });
        }
        let mut winners = Vec::new();
        let mut losers = Vec::new();
        while let Some(joined) = editors.join_next().await {
            let (key, response) = joined.expect("editor");
            match response.status {
                StatusCode::OK => winners.push(key),
                _ => {
                    response.assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
                    losers.push(key);
                }
            }
        }
        assert_eq!((winners.len(), losers.len()), (1, 1), "round {round}");
        let keys: Vec<String> = app.get_as("/v1/campaigns/s", &token).await.json["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["key"].as_str().unwrap().to_owned())
            .collect();
        // The demo's two groups, then one winner per round so far: nothing else is lost.
        assert_eq!(keys.len(), 2 + round + 1, "{keys:?}");
        assert!(keys.contains(&winners[0]), "{keys:?}");
        assert!(!keys.contains(&losers[0]), "{keys:?}");
    }
}
