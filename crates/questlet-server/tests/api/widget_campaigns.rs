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

#[tokio::test]
async fn an_edit_through_one_server_process_is_seen_by_the_next_widget_call_on_another() {
    let first = TestApp::new().await;
    let org = first.org("acme").await;
    let created = first
        .json(
            "POST",
            "/v1/campaigns",
            Some(&org.api_token),
            crate::support::demo_doc("spring"),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let second = first.another_instance().await;
    let path = "/v1/widget/acme/campaigns/spring";
    // The second process renders the campaign and keeps the rendering...
    let before = second.get(path).await;
    assert_eq!(before.json["groups"].as_array().unwrap().len(), 2);
    assert_eq!(
        second.get(path).await.text,
        before.text,
        "served again as it was"
    );
    // ...until an edit through the first process: its very next call shows it.
    let edited = first
        .json(
            "POST",
            "/v1/campaigns/spring/groups",
            Some(&org.api_token),
            serde_json::json!({"key": "bonus", "title": "Bonus round", "quests": []}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    let after = second.get(path).await;
    let groups = after.json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[2]["title"], "Bonus round");
    assert_ne!(after.etag(), before.etag());
}

/// A gzip body decoded by a strict decoder (it checks the CRC and the length).
fn gunzip(body: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut decoded)
        .unwrap();
    decoded
}

#[tokio::test]
async fn a_browser_gets_the_campaign_compressed_as_its_own_representation() {
    use std::io::Read;

    let app = TestApp::with_demo().await;
    let path = "/v1/widget/demo/campaigns/launch-week";
    let plain = app.get(path).await;
    assert!(plain.headers.get("content-encoding").is_none());
    // What headless Chromium sends on http://127.0.0.1.
    let accept = [("Accept-Encoding", "gzip, deflate, br, zstd")];
    let compressed = app.request("GET", path, None, &accept, None).await;
    assert_eq!(compressed.status, StatusCode::OK);
    assert_eq!(compressed.headers["content-encoding"], "br");
    assert!(compressed.headers["vary"]
        .to_str()
        .unwrap()
        .contains("Accept-Encoding"));
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&compressed.bytes[..], 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain.bytes);
    assert!(compressed.bytes.len() * 2 < plain.bytes.len());
    // Each encoding is its own representation with its own tag, and revalidates as such.
    let etag = compressed.etag().unwrap().to_owned();
    assert_ne!(Some(etag.as_str()), plain.etag());
    let revalidated = app
        .request(
            "GET",
            path,
            None,
            &[accept[0], ("If-None-Match", &etag)],
            None,
        )
        .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    let gzip = app
        .request("GET", path, None, &[("Accept-Encoding", "gzip")], None)
        .await;
    assert_eq!(gzip.headers["content-encoding"], "gzip");
    assert_eq!(gunzip(&gzip.bytes), plain.bytes);
}

#[tokio::test]
async fn a_users_answer_is_gzip_encoded_for_a_browser_and_decodes_to_the_plain_answer() {
    let (app, demo) = TestApp::with_demo_org().await;
    let path = "/v1/widget/demo/campaigns/launch-week";
    let token = app.user_token(&demo, "gus").await;
    let anonymous = app.get(path).await;
    let visit = app.complete_first_demo_task(&token).await;

    let plain = app.get_as(path, &token).await;
    assert!(plain.headers.get("content-encoding").is_none());
    assert_eq!(plain.json["user"]["completed_task_ids"][0], visit.as_str());
    // The content is the anonymous answer's, byte for byte; only the user differs.
    let user_at = |text: &str| text.rfind(",\"user\":").expect("a user field");
    assert_eq!(
        plain.text[..user_at(&plain.text)],
        anonymous.text[..user_at(&anonymous.text)]
    );

    let accept = ("Accept-Encoding", "gzip, deflate, br, zstd");
    let compressed = app
        .request("GET", path, Some(&token), &[accept], None)
        .await;
    assert_eq!(compressed.status, StatusCode::OK);
    assert_eq!(compressed.headers["content-encoding"], "gzip");
    assert_eq!(gunzip(&compressed.bytes), plain.bytes);
    assert!(compressed.bytes.len() * 2 < plain.bytes.len());
    // Its own representation, with its own tag, revalidated as such.
    let etag = compressed.etag().unwrap().to_owned();
    assert_ne!(Some(etag.as_str()), plain.etag());
    let revalidated = app
        .request(
            "GET",
            path,
            Some(&token),
            &[accept, ("If-None-Match", &etag)],
            None,
        )
        .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn an_unchanged_campaign_answers_304_and_a_users_progress_changes_its_etag() {
    let app = TestApp::with_demo().await;
    let path = "/v1/widget/demo/campaigns/launch-week";
    let anonymous = app.get(path).await;
    let etag = anonymous.etag().expect("an ETag").to_owned();
    let again = app
        .request("GET", path, None, &[("If-None-Match", &etag)], None)
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.text, "");
    assert_eq!(again.etag(), Some(etag.as_str()));
    let stale = app
        .request("GET", path, None, &[("If-None-Match", "\"stale\"")], None)
        .await;
    assert_eq!(stale.status, StatusCode::OK);

    // A user's answer has its own ETag, which changes with the user's progress.
    let demo = app.db.organization_by_slug("demo").await.unwrap().unwrap();
    let user = questlet_server::auth::extract::UserAuth {
        organization_id: demo.id,
        platform: "web".into(),
        account: "u304".into(),
        name: None,
    };
    let token = questlet_server::auth::jwt::issue_user_token(&app.state, user).unwrap();
    let mine = app.get_as(path, &token).await;
    let my_etag = mine.etag().unwrap().to_owned();
    assert_ne!(my_etag, etag);
    assert_eq!(
        app.request(
            "GET",
            path,
            Some(&token),
            &[("If-None-Match", &my_etag)],
            None
        )
        .await
        .status,
        StatusCode::NOT_MODIFIED
    );
    app.complete_first_demo_task(&token).await;
    let changed = app
        .request(
            "GET",
            path,
            Some(&token),
            &[("If-None-Match", &my_etag)],
            None,
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(changed.json["user"]["points"], 10);
    // The campaign itself did not change: anonymous visitors keep their 304.
    assert_eq!(
        app.request("GET", path, None, &[("If-None-Match", &etag)], None)
            .await
            .status,
        StatusCode::NOT_MODIFIED
    );
}
