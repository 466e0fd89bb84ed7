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

#[tokio::test]
async fn every_operation_declares_the_answers_of_its_extractors() {
    let app = TestApp::new().await;
    let doc = app.get("/openapi.json").await.json;
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = &operation["responses"];
            let name = format!("{method} {path}");
            let bearer = operation["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            if bearer {
                assert!(responses["401"].is_object(), "{name} lacks 401");
            }
            if operation.get("requestBody").is_some() {
                assert!(responses["400"].is_object(), "{name} lacks 400");
            }
            if path.contains('{') {
                assert!(responses["404"].is_object(), "{name} lacks 404");
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked} operations");
}

#[tokio::test]
async fn the_documents_slug_pattern_is_the_servers_slug_rule() {
    let app = TestApp::new().await;
    let doc = app.get("/openapi.json").await.json;
    let pattern = doc["components"]["schemas"]["CampaignDocument"]["properties"]["slug"]["pattern"]
        .as_str()
        .expect("the slug has a pattern")
        .to_owned();
    assert_eq!(pattern, questlet_types::slug::SLUG_PATTERN);
    let regex = regex::Regex::new(&pattern).unwrap();
    for sample in [
        "a",
        "launch-week",
        "a-b-c",
        "0",
        "a--b",
        "-a",
        "a-",
        "",
        "A",
        "a_b",
        "é",
        &"a".repeat(64),
        &"a".repeat(65),
    ] {
        assert_eq!(
            regex.is_match(sample),
            questlet_types::slug::is_slug(sample),
            "{sample:?}"
        );
    }
}

#[tokio::test]
async fn openapi_documents_etag_if_match_and_412_on_every_campaign_write() {
    let app = TestApp::new().await;
    let doc = app.get("/openapi.json").await.json;
    let mut writes = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        // Activity, the leaderboard, users, results, exports and claims are read-only; partner
        // completions, points,
        // codes and reviews change progress, not content (completions and points are
        // idempotent by their id, a review decides once).
        if !path.starts_with("/v1/campaigns/{campaign}")
            || path.ends_with("/activity")
            || path.ends_with("/leaderboard")
            || path.ends_with("/completions")
            || path.ends_with("/points")
            || path.ends_with("/codes")
            || path.ends_with("/claims")
            || path.ends_with("/users")
            || path.ends_with("/results")
            || path.contains("/export/")
            || path.contains("/submissions")
        {
            continue;
        }
        for (method, operation) in item.as_object().unwrap() {
            if method == "get" {
                assert!(
                    operation["responses"]["200"]["headers"]["ETag"].is_object(),
                    "{method} {path}"
                );
                continue;
            }
            writes += 1;
            let if_match = operation["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "If-Match" && p["in"] == "header");
            assert!(if_match, "{method} {path} takes If-Match");
            let responses = &operation["responses"];
            for status in ["401", "404", "412"] {
                assert!(responses[status].is_object(), "{method} {path} {status}");
            }
            if method != "delete" || path != "/v1/campaigns/{campaign}" {
                assert!(
                    responses["200"]["headers"]["ETag"].is_object(),
                    "{method} {path} answers an ETag"
                );
                assert!(responses["400"].is_object(), "{method} {path} 400");
            }
        }
    }
    assert_eq!(writes, 15, "import, delete, status and 12 item edits");
    let create = &doc["paths"]["/v1/campaigns"]["post"]["responses"];
    assert!(create["201"]["headers"]["ETag"].is_object());
    assert!(create["409"].is_object());
    let summary = &doc["components"]["schemas"]["CampaignSummary"]["properties"];
    assert!(summary["version"].is_object());
}
