//! A credential or user token of organization A never reads or writes anything of B.

use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn api_tokens_of_one_org_cannot_see_or_revoke_anothers() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let globex = app.org("globex").await;
    let list = app.get_as("/v1/api-tokens", &acme.api_token).await;
    assert_eq!(list.json.as_array().unwrap().len(), 1);
    let globex_id = globex.api_token.split('_').nth(1).unwrap();
    assert!(!list.text.contains(globex_id));
    let revoke = app
        .delete_as(format!("/v1/api-tokens/{globex_id}"), &acme.api_token)
        .await;
    revoke.assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        app.get_as("/v1/api-tokens", &globex.api_token).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_user_token_of_one_org_is_refused_by_anothers_campaign() {
    let app = TestApp::with_demo().await;
    let other = app.org("globex").await;
    let token = app.user_token(&other, "mallory").await;
    app.get_as("/v1/widget/demo/campaigns/launch-week", &token)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
}
