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

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    let app = TestApp::with_demo().await;
    app.get("/v1/widget/demo/campaigns/launch-week").await;
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(metrics.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let line = metrics
        .text
        .lines()
        .find(|l| {
            l.starts_with("http_requests_total{")
                && l.contains("route=\"/v1/widget/{organization}/campaigns/{campaign}\"")
                && l.contains("status=\"200\"")
        })
        .unwrap_or_else(|| panic!("no counter for the widget route in:\n{}", metrics.text));
    let count: f64 = line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(count >= 1.0);
    assert!(metrics
        .text
        .contains("http_request_duration_seconds_bucket"));
}
