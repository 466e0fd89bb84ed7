//! Optimistic concurrency as partners see it: every answer showing a campaign carries its
//! version as the `ETag`, and every write honours `If-Match`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

fn demo_doc(slug: &str) -> serde_json::Value {
    let mut doc = serde_json::to_value(questlet_server::demo::demo_campaign()).unwrap();
    doc["slug"] = json!(slug);
    doc
}

#[tokio::test]
async fn writes_answer_the_new_etag_and_honour_if_match() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let token = Some(org.api_token.as_str());
    let created = app
        .json("POST", "/v1/campaigns", token, demo_doc("s"))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.etag(), Some("\"1\""));
    let read = app.get_as("/v1/campaigns/s", &org.api_token).await;
    assert_eq!(read.etag(), Some("\"1\""));

    let publish = |if_match: &'static str| {
        let headers = [("If-Match", if_match)];
        let app = &app;
        async move {
            app.request(
                "PUT",
                "/v1/campaigns/s/status",
                token,
                &headers,
                Some(json!({"status": "draft"})),
            )
            .await
        }
    };
    let matching = publish("\"1\"").await;
    assert_eq!(matching.status, StatusCode::OK, "{}", matching.text);
    assert_eq!(matching.etag(), Some("\"2\""));
    publish("\"1\"")
        .await
        .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    // Weak tags never match (If-Match compares strongly), a list matches any of its tags.
    publish("W/\"2\"")
        .await
        .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    assert_eq!(publish("\"7\", \"2\"").await.etag(), Some("\"3\""));
    let any = publish("*").await;
    assert_eq!(any.status, StatusCode::OK, "{}", any.text);
    assert_eq!(any.etag(), Some("\"4\""));

    // Without If-Match the write applies to the latest state.
    let unconditional = app
        .json(
            "POST",
            "/v1/campaigns/s/groups",
            token,
            json!({"key": "bonus", "title": "Bonus", "quests": []}),
        )
        .await;
    assert_eq!(unconditional.etag(), Some("\"5\""));
    // A refused write changed nothing, not even the version.
    let stale = app
        .request(
            "DELETE",
            "/v1/campaigns/s/groups/bonus",
            token,
            &[("If-Match", "\"4\"")],
            None,
        )
        .await;
    stale.assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    let read = app.get_as("/v1/campaigns/s", &org.api_token).await;
    assert_eq!(
        read.etag(),
        unconditional.etag(),
        "GET shows the last write's ETag"
    );
    assert_eq!(read.json["groups"][2]["key"], "bonus");
    let list = app.get_as("/v1/campaigns", &org.api_token).await;
    assert_eq!(list.json[0]["version"], 5);
}

#[tokio::test]
async fn import_and_delete_honour_if_match_too() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let token = Some(org.api_token.as_str());
    let put = |if_match: Option<&'static str>| {
        let app = &app;
        async move {
            let headers: Vec<(&str, &str)> =
                if_match.map(|m| ("If-Match", m)).into_iter().collect();
            app.request(
                "PUT",
                "/v1/campaigns/s",
                token,
                &headers,
                Some(demo_doc("s")),
            )
            .await
        }
    };
    // If-Match, even `*`, needs an existing campaign: it never creates one.
    put(Some("*"))
        .await
        .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    let created = put(None).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    assert_eq!(created.etag(), Some("\"1\""));
    put(Some("\"2\""))
        .await
        .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    assert_eq!(put(Some("\"1\"")).await.etag(), Some("\"2\""));
    assert_eq!(put(Some("*")).await.etag(), Some("\"3\""));

    let delete = |if_match: &'static str| {
        let app = &app;
        async move {
            app.request(
                "DELETE",
                "/v1/campaigns/s",
                token,
                &[("If-Match", if_match)],
                None,
            )
            .await
        }
    };
    delete("\"2\"")
        .await
        .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    assert_eq!(
        app.get_as("/v1/campaigns/s", &org.api_token).await.status,
        StatusCode::OK,
        "a refused delete deletes nothing"
    );
    assert_eq!(delete("\"3\"").await.status, StatusCode::NO_CONTENT);
    delete("*")
        .await
        .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    app.delete_as("/v1/campaigns/s", &org.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let put = app
        .json("PUT", "/v1/campaigns/s", token, demo_doc("s"))
        .await;
    assert_eq!(put.status, StatusCode::OK);
    assert_eq!(
        app.delete_as("/v1/campaigns/s", &org.api_token)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}
