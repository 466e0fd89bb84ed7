//! Every way a credential can be wrong gets a 401 with `WWW-Authenticate: Bearer` and the
//! JSON error shape (RFC 6750).

use axum::http::StatusCode;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;

use crate::support::{Response, TestApp};

fn assert_invalid_token(response: &Response) {
    response.assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    let challenge = response.headers["www-authenticate"].to_str().unwrap();
    assert!(
        challenge.starts_with("Bearer realm=\"questlet\", error=\"invalid_token\""),
        "{challenge}"
    );
}

/// Signs `claims` with the server's own stored key (to forge expired or misdirected tokens).
async fn sign_with_server_key(app: &TestApp, claims: serde_json::Value) -> String {
    let key = &app.db.active_signing_keys().await.unwrap()[0];
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(key.kid.clone());
    let der = STANDARD.decode(&key.private_pkcs8).unwrap();
    encode(&header, &claims, &EncodingKey::from_ed_der(&der)).unwrap()
}

fn claims(org_id: &str, aud: &str, exp_offset: i64) -> serde_json::Value {
    let now = questlet_server::time::now();
    json!({"iss": "questlet-test", "sub": "qlc_x", "aud": aud, "exp": now + exp_offset, "iat": now,
           "jti": "j", "org": org_id, "platform": "web"})
}

#[tokio::test]
async fn missing_token_is_a_401_with_a_bare_bearer_challenge() {
    let app = TestApp::new().await;
    let response = app.get("/v1/api-tokens").await;
    response.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(
        response.headers["www-authenticate"],
        "Bearer realm=\"questlet\""
    );
}

#[tokio::test]
async fn malformed_headers_and_garbage_tokens_are_rejected() {
    let app = TestApp::new().await;
    for header in ["Basic abc", "Bearer", "Bearer    ", "token"] {
        let request = axum::http::Request::get("/v1/api-tokens")
            .header("Authorization", header)
            .body(axum::body::Body::empty())
            .unwrap();
        assert_invalid_token(&app.send(request).await);
    }
    for token in ["not-a-jwt", "a.b.c", "qlt_deadbeef_00", "qlt_"] {
        assert_invalid_token(&app.get_as("/v1/api-tokens", token).await);
    }
}

#[tokio::test]
async fn expired_access_token_is_rejected() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let mut expired = claims(&org.id, "questlet-api", -120);
    expired["sub"] = json!(org.client_id);
    let token = sign_with_server_key(&app, expired).await;
    let response = app.get_as("/v1/api-tokens", &token).await;
    assert_invalid_token(&response);
    assert!(response.json["message"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

#[tokio::test]
async fn wrong_audience_tokens_are_rejected_both_ways() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    // A user token is not an organization credential.
    let user = app.user_token(&org, "alice").await;
    assert_invalid_token(&app.get_as("/v1/api-tokens", &user).await);
    // An access token is not a user token.
    let mut access = claims(&org.id, "questlet-api", 600);
    access["sub"] = json!(org.client_id);
    let access = sign_with_server_key(&app, access).await;
    let demo = app.get_as("/token?account=a&platform=web", &access).await;
    assert_eq!(
        demo.status,
        StatusCode::OK,
        "the access token itself is valid"
    );
    questlet_server::demo::seed(&app.db, "http://demo.invalid")
        .await
        .unwrap();
    assert_invalid_token(
        &app.get_as("/v1/widget/demo/campaigns/launch-week", &access)
            .await,
    );
}

#[tokio::test]
async fn tokens_signed_by_another_key_are_rejected() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let kid = app.db.active_signing_keys().await.unwrap()[0].kid.clone();
    let rng = ring::rand::SystemRandom::new();
    let other = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid);
    let mut forged = claims(&org.id, "questlet-api", 600);
    forged["sub"] = json!(org.client_id);
    let token = encode(&header, &forged, &EncodingKey::from_ed_der(other.as_ref())).unwrap();
    assert_invalid_token(&app.get_as("/v1/api-tokens", &token).await);
}

#[tokio::test]
async fn alg_none_and_algorithm_confusion_are_rejected() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let key = app.db.active_signing_keys().await.unwrap()[0].clone();
    let mut payload = claims(&org.id, "questlet-api", 600);
    payload["sub"] = json!(org.client_id);
    let body = URL_SAFE_NO_PAD.encode(payload.to_string());

    let none_header = URL_SAFE_NO_PAD.encode(json!({"alg": "none", "kid": key.kid}).to_string());
    assert_invalid_token(
        &app.get_as("/v1/api-tokens", &format!("{none_header}.{body}."))
            .await,
    );

    // HS256 keyed with the public key (the classic confusion attack).
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(key.kid.clone());
    let public = URL_SAFE_NO_PAD.decode(&key.public_key).unwrap();
    let token = encode(&header, &payload, &EncodingKey::from_secret(&public)).unwrap();
    assert_invalid_token(&app.get_as("/v1/api-tokens", &token).await);
}

#[tokio::test]
async fn revoked_oauth_client_tokens_stop_working() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let token = app
        .token_request(
            &format!(
                "client_id={}&client_secret={}&grant_type=client_credentials",
                org.client_id, org.client_secret
            ),
            &[],
        )
        .await
        .json["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get_as("/v1/api-tokens", &token).await.status,
        StatusCode::OK
    );
    app.db
        .revoke_oauth_client(&org.id, &org.client_id)
        .await
        .unwrap();
    assert_invalid_token(&app.get_as("/v1/api-tokens", &token).await);
}
