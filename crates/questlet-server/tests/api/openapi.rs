use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn openapi_document_lists_the_widget_endpoint() {
    let app = TestApp::new().await;
    let doc = app.get("/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.json["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc.json["paths"]["/v1/widget/{organization}/campaigns/{campaign}"]["get"].is_object());
}

#[tokio::test]
async fn swagger_ui_is_served_by_the_server_itself() {
    let app = TestApp::new().await;
    let page = app.get("/docs/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("swagger-ui"), "{}", page.text);
    // No CDN: every script the page loads is relative to the server.
    assert!(!page.text.contains("https://"), "{}", page.text);
}
