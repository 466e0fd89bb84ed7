//! Organization API tokens: shown once, stored hashed, listed, revoked.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn a_new_token_is_shown_once_and_then_authorizes() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let created = app
        .json(
            "POST",
            "/v1/api-tokens",
            Some(&org.api_token),
            json!({"label": "CI"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let token = created.json["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("qlt_"));
    assert_eq!(created.json["label"], "CI");

    let list = app.get_as("/v1/api-tokens", &token).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json.as_array().unwrap().len(), 2);
    // Metadata only: neither the secret nor its hash is ever listed.
    let secret = token.rsplit('_').next().unwrap();
    assert!(!list.text.contains(secret));
    assert!(!list.text.contains("hash"));
    assert!(list.json[0].get("token").is_none());

    // Stored only as a hash.
    let row = app
        .db
        .api_token(created.json["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(row.secret_hash, secret);
    assert_eq!(row.secret_hash.len(), 64);
}

#[tokio::test]
async fn a_revoked_token_authorizes_nothing_and_rotation_works() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let new = app
        .json(
            "POST",
            "/v1/api-tokens",
            Some(&org.api_token),
            json!({"label": "rotated"}),
        )
        .await;
    let new_token = new.json["token"].as_str().unwrap().to_owned();
    let old_id = org.api_token.split('_').nth(1).unwrap();
    let revoke = app
        .delete_as(format!("/v1/api-tokens/{old_id}"), &new_token)
        .await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT, "{}", revoke.text);
    app.get_as("/v1/api-tokens", &org.api_token)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    let list = app.get_as("/v1/api-tokens", &new_token).await;
    assert_eq!(list.status, StatusCode::OK);
    let revoked = list
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == old_id)
        .unwrap();
    assert!(revoked["revoked_at"].is_i64());
}

#[tokio::test]
async fn bad_bodies_get_the_json_error_shape() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    app.json(
        "POST",
        "/v1/api-tokens",
        Some(&org.api_token),
        json!({"label": ""}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    app.json(
        "POST",
        "/v1/api-tokens",
        Some(&org.api_token),
        json!({"nope": 1}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    let raw = app
        .send(
            axum::http::Request::post("/v1/api-tokens")
                .header("Authorization", format!("Bearer {}", org.api_token))
                .header("Content-Type", "application/json")
                .body(axum::body::Body::from("{not json"))
                .unwrap(),
        )
        .await;
    raw.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
}
