//! Campaigns to start from: a starter campaign and the demo's, as drafts. The console
//! creates a campaign by posting one's document with the slug and title the partner chose.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use questlet_types::campaign_document::{CampaignTemplate, CampaignTemplatesResponse};
use questlet_types::{CampaignDocument, CampaignStatus};

use crate::auth::extract::OrgAuth;
use crate::error::AppError;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/v1/campaign-templates", get(list_campaign_templates))
}

/// The campaign templates: each a draft campaign document to create a campaign from.
#[utoipa::path(get, path = "/v1/campaign-templates", tag = "campaigns", security(("bearer" = [])),
    responses(
        (status = 200, description = "The templates, simplest first", body = CampaignTemplatesResponse),
    ))]
pub(super) async fn list_campaign_templates(
    State(_state): State<AppState>,
    _org: OrgAuth,
) -> Result<Json<CampaignTemplatesResponse>, AppError> {
    Ok(Json(CampaignTemplatesResponse {
        templates: templates(),
    }))
}

/// Every template, simplest first.
pub fn templates() -> Vec<CampaignTemplate> {
    let starter: CampaignDocument =
        serde_json::from_str(include_str!("../../templates/starter.json"))
            .expect("templates/starter.json is a valid campaign document");
    let mut launch_week = crate::demo::demo_campaign();
    launch_week.status = CampaignStatus::Draft;
    vec![
        CampaignTemplate {
            key: "starter".into(),
            title: "Starter".into(),
            description: "One quest with one task: the smallest campaign, to build on.".into(),
            document: starter,
        },
        CampaignTemplate {
            key: "launch-week".into(),
            title: "Launch week (the demo)".into(),
            description: "The demo campaign: every task type, ranks, rewards and a leaderboard."
                .into(),
            document: launch_week,
        },
    ]
}
