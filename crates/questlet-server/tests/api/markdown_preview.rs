//! A description previewed as the widget shows it: rendered and sanitized.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn markdown_previews_as_the_widget_shows_it_sanitized() {
    let (app, org) = TestApp::with_demo_org().await;
    let token = Some(org.api_token.as_str());
    let markdown = "**Hi** there\n\n<script>steal()</script><img src=x onerror=steal()>";
    let preview = app
        .json(
            "POST",
            "/v1/markdown",
            token,
            json!({ "markdown": markdown }),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    let html = preview.json["html"].as_str().unwrap();
    assert!(html.contains("<strong>Hi</strong> there"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("onerror"),
        "{html}"
    );

    let long = "a".repeat(20_001);
    app.json("POST", "/v1/markdown", token, json!({ "markdown": long }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    app.json("POST", "/v1/markdown", None, json!({ "markdown": "hi" }))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
}
