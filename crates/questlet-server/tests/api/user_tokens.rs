//! `GET /token`: an organization credential buys a user token.

use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn user_token_needs_an_org_credential_and_valid_parameters() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    app.get("/token?account=alice&platform=web")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    let ok = app
        .get_as("/token?account=alice&platform=web", &org.api_token)
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.json["account"], "alice");
    assert_eq!(ok.json["platform"], "web");
    assert!(ok.json["expires_in"].as_i64().unwrap() > 0);
    for query in [
        "platform=web",
        "account=alice",
        "account=&platform=web",
        "account=a&platform=Bad%20Name",
    ] {
        app.get_as(&format!("/token?{query}"), &org.api_token)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
}
