//! Text tags: filled on the server, the shared ones in the content, the user's in their
//! own part of the answer and in the messages of their attempts; values stay text.

use axum::http::StatusCode;
use questlet_types::WidgetCampaignResponse;
use serde_json::json;

use crate::support::{task_id, TestApp};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/tags";

#[tokio::test]
async fn tags_are_filled_per_user_and_a_name_with_markup_stays_text() {
    let (app, org) = TestApp::with_demo_org().await;
    app.create_campaign(
        &org,
        json!({
            "slug": "tags",
            "title": "Tags",
            "status": "published",
            "points_name": "Stars",
            "description": "Hi {{user_name}}, you have {{points}} {{points_name}}.",
            "groups": [{"key": "g", "title": "G", "quests": [
                {"key": "q", "title": "Q", "description": "Plain, no user tags.", "tasks": [
                    {"key": "t", "title": "Visit", "points": 10, "points_multiplier_pct": 200,
                     "description": "Worth {{task_points}} {{points_name}}.",
                     "completion_message": "+{{task_points}}: {{points}} {{points_name}} now, {{user_name}}!",
                     "config": {"type": "visit_link", "url": "https://example.com"}}
                ]}
            ]}]
        }),
    )
    .await;

    // Anonymous: the shared tags filled, the user's as nobody's.
    let anonymous: WidgetCampaignResponse =
        serde_json::from_value(app.get(CAMPAIGN).await.json).unwrap();
    assert_eq!(
        anonymous.campaign.description_html,
        "<p>Hi , you have 0 Stars.</p>\n"
    );
    let task = &anonymous.groups[0].quests[0].tasks[0];
    assert_eq!(task.description_html, "<p>Worth 20 Stars.</p>\n");

    // A user whose account has markup: their own text, escaped; the others are shared.
    let token = app
        .get_as(
            "/token?account=%3Ci%3EAnn%3C%2Fi%3E&platform=web",
            &org.api_token,
        )
        .await;
    assert_eq!(token.status, StatusCode::OK, "{}", token.text);
    let token = token.json["token"].as_str().unwrap().to_owned();
    let view = app.get_as(CAMPAIGN, &token).await.json;
    assert_eq!(
        view["user"]["texts"],
        json!([{"key": "campaign", "html": "<p>Hi &lt;i&gt;Ann&lt;/i&gt;, you have 0 Stars.</p>\n"}])
    );

    // An attempt's message is filled for the user (as text: the widget shows it as text),
    // and their text follows their points.
    let view: WidgetCampaignResponse = serde_json::from_value(view).unwrap();
    let task = task_id(&view, "Visit");
    let answer = app
        .json(
            "POST",
            &format!("{CAMPAIGN}/tasks/{task}/attempts"),
            Some(&token),
            json!({"answer": {"type": "visit_link"}}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(answer.json["message"], "+20: 20 Stars now, <i>Ann</i>!");
    assert_eq!(
        answer.json["user"]["texts"][0]["html"],
        "<p>Hi &lt;i&gt;Ann&lt;/i&gt;, you have 20 Stars.</p>\n"
    );
}
