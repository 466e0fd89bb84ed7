//! The widget call's caches never serve a stale campaign or stale progress: an edit or a
//! completion made through one app instance is visible to the very next call on another
//! instance over the same database (own pool, own caches), on both backends. A revoked
//! credential is refused by the very next call on the instance that revoked it, and on
//! another once it hears of the revocation (PostgreSQL: the notification's latency, see
//! `db/remembered.rs`; SQLite: at once).

use axum::http::StatusCode;
use serde_json::json;

use questlet_server::db::Backend;

use crate::support::{eventually, TestApp};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/launch-week";

/// A new API token of the demo organization, made through `app` with token `by`.
async fn new_token(app: &TestApp, by: &str, label: &str) -> String {
    let made = app
        .json(
            "POST",
            "/v1/api-tokens",
            Some(by),
            json!({ "label": label }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    made.json["token"].as_str().unwrap().to_owned()
}

/// The status of an admin read of the demo campaign through `app` with `token`.
async fn admin_status(app: &TestApp, token: &str) -> StatusCode {
    app.get_as("/v1/campaigns/launch-week", token).await.status
}

/// How many tasks the campaign answer `view` says its user completed.
fn completed_tasks(view: &serde_json::Value) -> Option<usize> {
    view["user"]["completed_task_ids"].as_array().map(Vec::len)
}

#[tokio::test]
async fn an_edit_through_one_instance_is_visible_to_the_next_widget_call_on_another() {
    let (first, demo) = TestApp::with_demo_org().await;
    let second = first.another_instance().await;
    let demo_token = demo.api_token;
    // Warm both caches.
    for app in [&first, &second] {
        let view = app.get(CAMPAIGN).await;
        assert_eq!(view.json["campaign"]["title"], "Questlet Launch Week");
    }
    for round in 0..3 {
        let export = first.get_as("/v1/campaigns/launch-week", &demo_token).await;
        let mut document = export.json.clone();
        let title = format!("Edited, round {round}");
        document["title"] = json!(title);
        let saved = first
            .json(
                "PUT",
                "/v1/campaigns/launch-week",
                Some(&demo_token),
                document,
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        for app in [&second, &first] {
            let view = app.get(CAMPAIGN).await;
            assert_eq!(view.json["campaign"]["title"], title.as_str());
        }
    }
}

#[tokio::test]
async fn a_completion_through_one_instance_is_in_the_next_progress_read_on_another() {
    let (first, demo) = TestApp::with_demo_org().await;
    let second = first.another_instance().await;
    let user = first.user_token(&demo, "carol").await;
    // Both instances have read (and may remember) carol's empty progress.
    for app in [&first, &second] {
        let view = app.get_as(CAMPAIGN, &user).await;
        assert_eq!(completed_tasks(&view.json), Some(0), "{}", view.text);
    }
    first.complete_first_demo_task(&user).await;
    for app in [&second, &first] {
        let view = app.get_as(CAMPAIGN, &user).await;
        assert_eq!(completed_tasks(&view.json), Some(1), "{}", view.text);
    }
}

#[tokio::test]
async fn a_campaign_recreated_under_its_slug_is_read_with_its_own_progress_on_every_instance() {
    let (first, demo) = TestApp::with_demo_org().await;
    let second = first.another_instance().await;
    let user = first.user_token(&demo, "dora").await;
    let task = first.complete_first_demo_task(&user).await;
    // Both instances hold the old campaign (and its ids) when it is replaced.
    for app in [&first, &second] {
        let view = app.get_as(CAMPAIGN, &user).await;
        assert_eq!(completed_tasks(&view.json), Some(1), "{}", view.text);
    }
    let document = first
        .get_as("/v1/campaigns/launch-week", &demo.api_token)
        .await
        .json;
    let deleted = first
        .delete_as("/v1/campaigns/launch-week", &demo.api_token)
        .await;
    assert!(deleted.status.is_success(), "{}", deleted.text);
    let created = first
        .json("POST", "/v1/campaigns", Some(&demo.api_token), document)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    for app in [&second, &first] {
        let view = app.get_as(CAMPAIGN, &user).await;
        assert_eq!(view.status, StatusCode::OK, "{}", view.text);
        assert_eq!(completed_tasks(&view.json), Some(0), "{}", view.text);
        assert_ne!(
            view.json["groups"][0]["quests"][0]["tasks"][0]["id"],
            task.as_str()
        );
    }
}

#[tokio::test]
async fn a_token_revoked_through_one_instance_is_refused_there_at_once_and_on_another_once_heard() {
    let (first, demo) = TestApp::with_demo_org().await;
    let second = first.another_instance().await;
    let spare = new_token(&first, &demo.api_token, "spare").await;
    // Both instances have accepted (and may remember) the demo token.
    for app in [&first, &second] {
        assert_eq!(admin_status(app, &demo.api_token).await, StatusCode::OK);
    }
    let id = demo.api_token.split('_').nth(1).unwrap();
    let revoked = first
        .delete_as(format!("/v1/api-tokens/{id}"), &spare)
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    first
        .get_as("/v1/campaigns/launch-week", &demo.api_token)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    eventually("the other instance refuses the revoked token", || async {
        admin_status(&second, &demo.api_token).await == StatusCode::UNAUTHORIZED
    })
    .await;
    second
        .get_as("/v1/campaigns/launch-week", &demo.api_token)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    // The spare token, which nobody revoked, still works on both.
    for app in [&first, &second] {
        assert_eq!(admin_status(app, &spare).await, StatusCode::OK);
    }
}

#[tokio::test]
async fn an_oauth_client_revoked_through_one_instance_is_refused_there_at_once_and_on_another_once_heard(
) {
    let (first, demo) = TestApp::with_demo_org().await;
    let second = first.another_instance().await;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        demo.client_id, demo.client_secret
    );
    let issued = first.token_request(&form, &[]).await;
    let access = issued.json["access_token"].as_str().unwrap().to_owned();
    // Both instances have accepted (and may remember) the client.
    for app in [&first, &second] {
        assert_eq!(admin_status(app, &access).await, StatusCode::OK);
    }
    let revoked = first
        .delete_as(
            format!("/v1/oauth-clients/{}", demo.client_id),
            &demo.api_token,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    first
        .get_as("/v1/campaigns/launch-week", &access)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    eventually("the other instance refuses the revoked client", || async {
        admin_status(&second, &access).await == StatusCode::UNAUTHORIZED
    })
    .await;
    for app in [&second, &first] {
        app.get_as("/v1/campaigns/launch-week", &access)
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
        assert_eq!(
            app.token_request(&form, &[]).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn a_reward_added_through_one_instance_is_found_by_admin_calls_on_another_once_heard() {
    let (first, demo) = TestApp::with_demo_org().await;
    let second = first.another_instance().await;
    let claims = "/v1/campaigns/launch-week/rewards/mug/claims";
    // Both instances have read (and may remember) the campaign's row, without the reward.
    for app in [&first, &second] {
        app.get_as(claims, &demo.api_token)
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    let mut document = first
        .get_as("/v1/campaigns/launch-week", &demo.api_token)
        .await
        .json;
    document["rewards"] = json!([{"key": "mug", "title": "Mug", "kind": "custom"}]);
    let saved = first
        .json(
            "PUT",
            "/v1/campaigns/launch-week",
            Some(&demo.api_token),
            document,
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    let listed = first.get_as(claims, &demo.api_token).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    eventually("the other instance finds the new reward", || async {
        second.get_as(claims, &demo.api_token).await.status == StatusCode::OK
    })
    .await;
}

#[tokio::test]
async fn an_instance_whose_listener_was_cut_off_trusts_nothing_it_may_have_missed() {
    let (first, demo) = TestApp::with_demo_org().await;
    if first.db.backend() != Backend::Postgres {
        // One process: nothing to hear, nothing to miss.
        return;
    }
    let second = first.another_instance().await;
    let spare = new_token(&first, &demo.api_token, "spare").await;
    assert_eq!(admin_status(&second, &demo.api_token).await, StatusCode::OK);
    // Every listener on this database is cut off (as by a restart or a network fault),
    // and the revocation's notification then reaches none.
    let pool = first.raw_pool().await;
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND (query LIKE 'LISTEN%' OR query LIKE 'SELECT pg_notify%')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(cut, [true, true], "one listener per instance");
    let id = demo.api_token.split('_').nth(1).unwrap();
    let revoked = first
        .delete_as(format!("/v1/api-tokens/{id}"), &spare)
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    eventually(
        "the cut-off instance stops trusting the token it remembered",
        || async { admin_status(&second, &demo.api_token).await == StatusCode::UNAUTHORIZED },
    )
    .await;
    // It listens again, and hears what comes next.
    let spare_id = spare.split('_').nth(1).unwrap().to_owned();
    assert_eq!(admin_status(&second, &spare).await, StatusCode::OK);
    eventually("the instance listens again", || async {
        let listening: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity
             WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        listening == 2
    })
    .await;
    let other = new_token(&first, &spare, "other").await;
    assert_eq!(admin_status(&second, &spare).await, StatusCode::OK);
    let revoked = first
        .delete_as(format!("/v1/api-tokens/{spare_id}"), &other)
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    eventually("the instance hears the next revocation", || async {
        admin_status(&second, &spare).await == StatusCode::UNAUTHORIZED
    })
    .await;
}
