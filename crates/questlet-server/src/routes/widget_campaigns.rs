//! The widget API: one call returns everything the widget paints for a campaign.

use axum::extract::{Path, State};
use axum::http::{header, Method};
use axum::routing::get;
use axum::{Json, Router};
use questlet_types::{CampaignStatus, WidgetCampaignResponse};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::AppError;
use crate::{views, AppState};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}",
            get(get_widget_campaign),
        )
        .layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::mirror_request())
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]),
        )
}

/// A published campaign with its groups, quests and tasks (never quiz answers or codes).
#[utoipa::path(
    get,
    path = "/v1/widget/{organization}/campaigns/{campaign}",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
    ),
    responses(
        (status = 200, description = "The campaign as the widget paints it", body = WidgetCampaignResponse),
        (status = 404, description = "No such published campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn get_widget_campaign(
    State(state): State<AppState>,
    Path((organization, campaign)): Path<(String, String)>,
) -> Result<Json<WidgetCampaignResponse>, AppError> {
    let not_found = || AppError::NotFound(format!("campaign {organization}/{campaign}"));
    let org = state
        .db
        .organization_by_slug(&organization)
        .await?
        .ok_or_else(not_found)?;
    let tree = state
        .db
        .campaign_tree(&org.id, &campaign)
        .await?
        .ok_or_else(not_found)?;
    if CampaignStatus::parse(&tree.campaign.status) == Some(CampaignStatus::Draft) {
        return Err(not_found());
    }
    Ok(Json(views::widget_campaign(&org.slug, &tree, None)?))
}
