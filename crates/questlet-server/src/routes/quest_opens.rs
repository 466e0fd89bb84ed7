//! The widget's note that a signed-in user opened a quest: the first step of the quest's
//! funnel on the campaign's results page (opened → started → completed).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;

use super::widget_campaigns::visible_campaign;
use crate::auth::extract::UserAuth;
use crate::error::AppError;
use crate::AppState;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}/quests/{quest}/opened",
            post(create_quest_open),
        )
        .layer(crate::cors::widget_cors(state.clone()))
}

/// Records that the caller opened a quest (their first open counts; a repeat changes
/// nothing). The widget sends it when a signed-in user opens a quest's card.
#[utoipa::path(
    post,
    path = "/v1/widget/{organization}/campaigns/{campaign}/quests/{quest}/opened",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
        ("quest" = String, Path, description = "Quest id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Recorded (or recorded before)"),
        (status = 401, description = "No valid user token", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such quest in this published campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn create_quest_open(
    State(state): State<AppState>,
    Path((organization, campaign, quest)): Path<(String, String, String)>,
    user: UserAuth,
) -> Result<StatusCode, AppError> {
    let rendered = visible_campaign(&state, &organization, &campaign).await?;
    let tree = &rendered.tree;
    user.require_organization(&tree.campaign.organization_id)?;
    if !tree.quests.iter().any(|q| q.id == quest) {
        return Err(AppError::NotFound(format!(
            "quest {quest} in campaign {}",
            tree.campaign.slug
        )));
    }
    state
        .db
        .record_quest_open(&user.key(), &tree.campaign.id, &quest, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
