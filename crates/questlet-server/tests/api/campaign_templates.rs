//! Campaign templates: each one's document creates a valid draft campaign under a slug and
//! title of the partner's choosing.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::TestApp;

#[tokio::test]
async fn every_template_creates_a_draft_campaign() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let answer = app.get_as("/v1/campaign-templates", &org.api_token).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let templates = answer.json["templates"].as_array().unwrap().clone();
    let keys: Vec<&str> = templates
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["starter", "launch-week"]);
    for template in &templates {
        assert_eq!(template["document"]["status"], "draft");
        let mut document: Value = template["document"].clone();
        let slug = format!("from-{}", template["key"].as_str().unwrap());
        document["slug"] = slug.clone().into();
        document["title"] = "Ours".into();
        let created = app
            .json("POST", "/v1/campaigns", Some(&org.api_token), document)
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let read = app
            .get_as(&format!("/v1/campaigns/{slug}"), &org.api_token)
            .await;
        assert_eq!(read.json["title"], "Ours");
        assert_eq!(read.json["status"], "draft");
    }
    // Drafts: the widget does not show them.
    let widget = app.get("/v1/widget/acme/campaigns/from-starter").await;
    assert_eq!(widget.status, StatusCode::NOT_FOUND);
}
