use axum::http::StatusCode;
use questlet_types::{CampaignStatus, QuestStatus, WidgetCampaignResponse};

use crate::support::TestApp;

#[tokio::test]
async fn widget_campaign_returns_the_published_demo_in_order() {
    let app = TestApp::with_demo().await;
    let response = app.get("/v1/widget/demo/campaigns/launch-week").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let campaign: WidgetCampaignResponse = serde_json::from_value(response.json).unwrap();
    assert_eq!(campaign.campaign.title, "Questlet Launch Week");
    assert!(campaign
        .campaign
        .description_html
        .contains("<strong>XP</strong>"));
    let groups: Vec<&str> = campaign.groups.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(groups, ["Getting started", "Community"]);
    let first = &campaign.groups[0].quests;
    assert_eq!(first[0].key, "welcome");
    assert_eq!(first[0].status, QuestStatus::Available);
    assert_eq!(first[0].points, 60);
    // "know-us" needs "welcome" first.
    assert_eq!(first[1].status, QuestStatus::Locked);
    assert!(campaign.user.is_none());
}

#[tokio::test]
async fn the_intro_pop_up_arrives_rendered_and_sanitized_and_can_be_absent() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let mut doc = serde_json::to_value(questlet_server::demo::demo_campaign()).unwrap();
    doc["intro"] = serde_json::json!({
        "title": "Hello",
        "body": "Earn **XP** <script>alert(1)</script>",
    });
    let created = app
        .json("POST", "/v1/campaigns", Some(&org.api_token), doc.clone())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let response = app.get("/v1/widget/acme/campaigns/launch-week").await;
    let campaign: WidgetCampaignResponse = serde_json::from_value(response.json).unwrap();
    let intro = campaign.campaign.intro.expect("the intro is sent");
    assert_eq!(intro.title, "Hello");
    assert!(intro.body_html.contains("<strong>XP</strong>"));
    assert!(!intro.body_html.contains("<script"), "{}", intro.body_html);

    doc.as_object_mut().unwrap().remove("intro");
    let replaced = app
        .json(
            "PUT",
            "/v1/campaigns/launch-week",
            Some(&org.api_token),
            doc,
        )
        .await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.text);
    let response = app.get("/v1/widget/acme/campaigns/launch-week").await;
    assert_eq!(response.json["campaign"]["intro"], serde_json::Value::Null);
}

#[tokio::test]
async fn widget_campaign_never_sends_secrets() {
    let app = TestApp::with_demo().await;
    let response = app.get("/v1/widget/demo/campaigns/launch-week").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.text.contains("\"type\":\"secret_code\""));
    assert!(
        !response.text.contains("LAUNCH-2026\""),
        "secret code leaked"
    );
    assert!(!response.text.contains("\"answer\""), "quiz answers leaked");
}

#[tokio::test]
async fn unknown_organization_or_campaign_is_a_json_404() {
    let app = TestApp::with_demo().await;
    app.get("/v1/widget/demo/campaigns/nope")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.get("/v1/widget/nobody/campaigns/launch-week")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn draft_campaigns_are_invisible_to_the_widget() {
    let app = TestApp::new().await;
    let org = app.db.create_organization("acme", "Acme").await.unwrap();
    let mut doc = questlet_server::demo::demo_campaign();
    doc.slug = "secret-plans".into();
    doc.status = CampaignStatus::Draft;
    app.db.insert_campaign(&org.id, &doc).await.unwrap();
    app.get("/v1/widget/acme/campaigns/secret-plans")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn campaigns_of_another_organization_are_not_found() {
    let app = TestApp::with_demo().await;
    app.db.create_organization("other", "Other").await.unwrap();
    app.get("/v1/widget/other/campaigns/launch-week")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn widget_files_are_served_to_any_origin() {
    let app = TestApp::new().await;
    let request = axum::http::Request::get("/widget/questlet.js")
        .header("Origin", "https://partner.example")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.text, "/* loader */");
    assert_eq!(response.headers["access-control-allow-origin"], "*");
}

async fn cors_origin(app: &TestApp, origin: &str) -> Option<String> {
    let request = axum::http::Request::builder()
        .method("OPTIONS")
        .uri("/v1/widget/demo/campaigns/launch-week")
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "GET")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.send(request).await;
    response
        .headers
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn widget_api_answers_only_the_campaigns_allowed_origins_and_localhost_in_dev() {
    let app = TestApp::with_demo().await; // dev mode
    assert_eq!(
        cors_origin(&app, "https://demo.questlet.dev")
            .await
            .as_deref(),
        Some("https://demo.questlet.dev")
    );
    assert_eq!(
        cors_origin(&app, "http://localhost:3000").await.as_deref(),
        Some("http://localhost:3000")
    );
    assert_eq!(cors_origin(&app, "https://evil.example").await, None);
}
