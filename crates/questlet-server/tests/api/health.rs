use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn healthz_and_readyz_answer_ok() {
    let app = TestApp::new().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json["status"], "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.json["status"], "ready");
}

#[tokio::test]
async fn unknown_route_is_a_404() {
    let app = TestApp::new().await;
    assert_eq!(
        app.get("/v1/nothing-here").await.status,
        StatusCode::NOT_FOUND
    );
}
