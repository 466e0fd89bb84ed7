//! Optimistic concurrency as partners see it: every answer showing a campaign carries its
//! version as the `ETag`, and every write honours `If-Match`.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::{demo_doc, Response, TestApp};

/// `method path` as the organization of `token`, with `If-Match: tag` unless `None`.
async fn write(
    app: &TestApp,
    token: &str,
    (method, path): (&str, &str),
    tag: Option<&str>,
    body: Option<Value>,
) -> Response {
    let headers: Vec<(&str, &str)> = tag.map(|tag| ("If-Match", tag)).into_iter().collect();
    app.request(method, path, Some(token), &headers, body).await
}

const SET_STATUS: (&str, &str) = ("PUT", "/v1/campaigns/s/status");
const IMPORT: (&str, &str) = ("PUT", "/v1/campaigns/s");
const DELETE: (&str, &str) = ("DELETE", "/v1/campaigns/s");

#[tokio::test]
async fn writes_answer_the_new_etag_and_honour_if_match() {
    let app = TestApp::new().await;
    let token = &app.org("acme").await.api_token;
    let created = app
        .json("POST", "/v1/campaigns", Some(token), demo_doc("s"))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.etag(), Some("\"1\""));
    assert_eq!(
        app.get_as("/v1/campaigns/s", token).await.etag(),
        Some("\"1\"")
    );

    let draft = || Some(json!({"status": "draft"}));
    let matching = write(&app, token, SET_STATUS, Some("\"1\""), draft()).await;
    assert_eq!(matching.status, StatusCode::OK, "{}", matching.text);
    assert_eq!(matching.etag(), Some("\"2\""));
    // A stale tag, a weak one (If-Match compares strongly): refused. A list matches any.
    for stale in ["\"1\"", "W/\"2\""] {
        write(&app, token, SET_STATUS, Some(stale), draft())
            .await
            .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    }
    let listed = write(&app, token, SET_STATUS, Some("\"7\", \"2\""), draft()).await;
    assert_eq!(listed.etag(), Some("\"3\""));
    let any = write(&app, token, SET_STATUS, Some("*"), draft()).await;
    assert_eq!(any.status, StatusCode::OK, "{}", any.text);
    assert_eq!(any.etag(), Some("\"4\""));

    // Without If-Match the write applies to the latest state.
    let bonus = json!({"key": "bonus", "title": "Bonus", "quests": []});
    let unconditional = write(
        &app,
        token,
        ("POST", "/v1/campaigns/s/groups"),
        None,
        Some(bonus),
    )
    .await;
    assert_eq!(unconditional.etag(), Some("\"5\""));
    // A refused write changes nothing, not even the version.
    write(
        &app,
        token,
        ("DELETE", "/v1/campaigns/s/groups/bonus"),
        Some("\"4\""),
        None,
    )
    .await
    .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    let read = app.get_as("/v1/campaigns/s", token).await;
    assert_eq!(
        read.etag(),
        unconditional.etag(),
        "GET shows the last write's ETag"
    );
    assert_eq!(read.json["groups"][2]["key"], "bonus");
    let list = app.get_as("/v1/campaigns", token).await;
    assert_eq!(list.json[0]["version"], 5);
}

#[tokio::test]
async fn import_and_delete_honour_if_match_too() {
    let app = TestApp::new().await;
    let token = &app.org("acme").await.api_token;
    let import = |tag| write(&app, token, IMPORT, tag, Some(demo_doc("s")));
    // If-Match, even `*`, needs an existing campaign: it never creates one.
    import(Some("*"))
        .await
        .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    let created = import(None).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    assert_eq!(created.etag(), Some("\"1\""));
    import(Some("\"2\""))
        .await
        .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    assert_eq!(import(Some("\"1\"")).await.etag(), Some("\"2\""));
    assert_eq!(import(Some("*")).await.etag(), Some("\"3\""));

    write(&app, token, DELETE, Some("\"2\""), None)
        .await
        .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    assert_eq!(
        app.get_as("/v1/campaigns/s", token).await.status,
        StatusCode::OK,
        "a refused delete deletes nothing"
    );
    let deleted = write(&app, token, DELETE, Some("\"3\""), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    write(&app, token, DELETE, Some("*"), None)
        .await
        .assert_error(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    write(&app, token, DELETE, None, None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    assert_eq!(import(None).await.status, StatusCode::OK);
    let deleted = write(&app, token, DELETE, None, None).await;
    assert_eq!(
        deleted.status,
        StatusCode::NO_CONTENT,
        "unconditional delete"
    );
}
