//! `POST /oauth2/token` (OAuth2 client credentials, RFC 6749) and the JWKS.

use axum::http::StatusCode;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

use crate::support::TestApp;

fn form(id: &str, secret: &str) -> String {
    format!("client_id={id}&client_secret={secret}&grant_type=client_credentials")
}

#[tokio::test]
async fn token_answers_exactly_the_seed_contract() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let response = app
        .token_request(&form(&org.client_id, &org.client_secret), &[])
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let body = response.json.as_object().unwrap();
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["access_token", "expires_in", "token_type"]);
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(response.headers["cache-control"], "no-store");

    // A JWT whose header names EdDSA and a key published in the JWKS.
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3);
    let header: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "EdDSA");
    let jwks = app.get("/.well-known/jwks.json").await;
    assert_eq!(jwks.status, StatusCode::OK);
    let key = &jwks.json["keys"][0];
    assert_eq!(key["kid"], header["kid"]);
    assert_eq!(key["kty"], "OKP");
    assert_eq!(key["crv"], "Ed25519");
    assert!(
        key.get("d").is_none(),
        "the private key must never be published"
    );

    // The access token authorizes the partner API.
    let tokens = app.get_as("/v1/api-tokens", token).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.text);
}

#[tokio::test]
async fn token_accepts_http_basic_client_authentication() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", org.client_id, org.client_secret))
    );
    let response = app
        .token_request(
            "grant_type=client_credentials",
            &[("Authorization", &basic)],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert!(response.json["access_token"].is_string());
}

#[tokio::test]
async fn token_rejects_wrong_secret_and_unknown_client_as_invalid_client() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    for body in [
        form(&org.client_id, "wrong"),
        form("qlc_nobody", &org.client_secret),
    ] {
        let response = app.token_request(&body, &[]).await;
        response.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
        assert!(response.json["error_description"].is_string());
        assert!(response.headers.contains_key("www-authenticate"));
    }
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:wrong", org.client_id))
    );
    let response = app
        .token_request(
            "grant_type=client_credentials",
            &[("Authorization", &basic)],
        )
        .await;
    response.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
    assert_eq!(
        response.headers["www-authenticate"],
        "Basic realm=\"questlet\""
    );
}

#[tokio::test]
async fn token_rejects_other_grant_types_and_malformed_requests() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let (id, secret) = (&org.client_id, &org.client_secret);
    app.token_request(
        &format!("client_id={id}&client_secret={secret}&grant_type=password"),
        &[],
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    app.token_request(&format!("client_id={id}&client_secret={secret}"), &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    app.token_request(
        &format!("client_id={id}&grant_type=client_credentials"),
        &[],
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    app.token_request(
        &format!("{}&grant_type=client_credentials", form(id, secret)),
        &[],
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    let basic = format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")));
    app.token_request(&form(id, secret), &[("Authorization", &basic)])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    // JSON instead of a form.
    let json = app
        .json(
            "POST",
            "/oauth2/token",
            None,
            serde_json::json!({"client_id": id, "client_secret": secret, "grant_type": "client_credentials"}),
        )
        .await;
    json.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
}

#[tokio::test]
async fn token_failures_are_rate_limited_per_client() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    for _ in 0..10 {
        app.token_request(&form(&org.client_id, "wrong"), &[])
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    // Even the right secret waits now.
    let limited = app
        .token_request(&form(&org.client_id, &org.client_secret), &[])
        .await;
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "slow_down");
    assert!(limited.headers.contains_key("retry-after"));
    // Another client is not affected.
    let other = app.org("globex").await;
    let response = app
        .token_request(&form(&other.client_id, &other.client_secret), &[])
        .await;
    assert_eq!(response.status, StatusCode::OK);
}

#[tokio::test]
async fn signing_keys_survive_a_restart() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let token = app
        .token_request(&form(&org.client_id, &org.client_secret), &[])
        .await
        .json["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // A second server process on the same database.
    let restarted = questlet_server::AppState::new(app.db.clone(), app.state.config.clone())
        .await
        .unwrap();
    assert_eq!(restarted.keys.jwks(), app.state.keys.jwks());
    let router = questlet_server::app(restarted);
    use tower::ServiceExt;
    let response = router
        .oneshot(
            axum::http::Request::get("/v1/api-tokens")
                .header("Authorization", format!("Bearer {token}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn oauth_clients_are_created_with_a_secret_shown_once_listed_and_revoked() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let created = app
        .json(
            "POST",
            "/v1/oauth-clients",
            Some(&org.api_token),
            serde_json::json!({"label": "backend"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let (id, secret) = (
        created.json["client_id"].as_str().unwrap().to_owned(),
        created.json["client_secret"].as_str().unwrap().to_owned(),
    );
    let token = app.token_request(&form(&id, &secret), &[]).await;
    assert_eq!(token.status, StatusCode::OK);

    let list = app.get_as("/v1/oauth-clients", &org.api_token).await;
    assert_eq!(list.json.as_array().unwrap().len(), 2);
    assert!(!list.text.contains(&secret));

    let revoke = app
        .delete_as(format!("/v1/oauth-clients/{id}"), &org.api_token)
        .await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT);
    app.token_request(&form(&id, &secret), &[])
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
}
