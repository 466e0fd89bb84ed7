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

#[tokio::test]
async fn a_token_this_server_issued_is_known_without_a_signature_check_and_others_are_not() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let issued = app
        .get_as("/token?account=alice&platform=web", &org.api_token)
        .await;
    let token = issued.json["token"].as_str().unwrap();
    let known = app.state.verified_tokens.get(token).expect("remembered");
    assert_eq!(
        (
            known.organization_id.as_str(),
            known.platform.as_str(),
            known.account.as_str()
        ),
        (org.id.as_str(), "web", "alice")
    );
    // The same claims signed elsewhere are not this server's token: they are checked.
    let mut forged = token.to_owned().into_bytes();
    let inside_signature = forged.len() - 10;
    forged[inside_signature] = if forged[inside_signature] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let forged = String::from_utf8(forged).unwrap();
    assert!(app.state.verified_tokens.get(&forged).is_none());
    app.get_as("/v1/widget/acme/campaigns/none", &forged)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
}
