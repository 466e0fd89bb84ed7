//! The demo: its page, and the demo-only sign-in that exists only in demo mode.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use questlet_server::{app, AppConfig, AppState};
use tower::ServiceExt;

use crate::support::fresh_db;

/// The router over a database with the demo seeded, in demo mode or not.
async fn demo_router(demo: bool) -> axum::Router {
    let db = fresh_db().await;
    questlet_server::demo::seed(&db, "http://demo.invalid")
        .await
        .expect("seed demo");
    let config = AppConfig {
        widget_dir: Some(std::env::temp_dir().join("questlet-no-widget")),
        console_dir: None,
        dev: true,
        issuer: "questlet-test".to_owned(),
        demo,
        outbound_allow: Vec::new(),
        social: Default::default(),
        webhooks: Default::default(),
        telegram: Default::default(),
        demo_telegram_script: None,
        evm_chains: Vec::new(),
    };
    app(AppState::new(db, config).await.expect("state"))
}

async fn sign_in(router: axum::Router) -> (StatusCode, serde_json::Value) {
    let response = router
        .oneshot(Request::post("/demo/sign-in").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or_default())
}

#[tokio::test]
async fn demo_sign_in_gives_each_visitor_a_fresh_demo_user_token() {
    let (status, first) = sign_in(demo_router(true).await).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert!(first["account"].as_str().unwrap().starts_with("visitor-"));
    assert_eq!(first["platform"], "web");
    assert!(first["token"].as_str().unwrap().starts_with("eyJ"));
}

#[tokio::test]
async fn demo_sign_in_does_not_exist_outside_demo_mode() {
    let (status, _) = sign_in(demo_router(false).await).await;
    assert!(
        status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED,
        "{status}"
    );
}
