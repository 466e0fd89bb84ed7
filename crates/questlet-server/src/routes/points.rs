//! Points adjustments: the partner's backend awards or deducts points for one of its users
//! in a campaign, idempotently by its own reward id (as claimr's `POST /user/reward`).

use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use questlet_types::partner::{PointsAdjustmentRequest, PointsAdjustmentResponse};

use crate::auth::extract::OrgAuth;
use crate::db::leaderboard;
use crate::db::points::{Adjusted, NewAdjustment};
use crate::db::progress::UserKey;
use crate::error::AppError;
use crate::json::AppJson;
use crate::validation::{is_schema_space, valid_user};
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/v1/campaigns/{campaign}/points",
        post(create_points_adjustment),
    )
}

/// Largest award or deduction, either way.
const MOST_POINTS: i64 = 1_000_000_000;

/// Awards (positive `points`) or deducts (negative) points for a user `(account,
/// platform)` of the organization in the campaign (the user is created on first sight).
/// Idempotent by `reward_id`: a repeat changes nothing and answers the first result; an id
/// used for another user or campaign is a conflict. A deduction stops at zero unless
/// `allow_negative`.
#[utoipa::path(
    post,
    path = "/v1/campaigns/{campaign}/points",
    tag = "campaigns",
    params(("campaign" = String, Path, description = "Campaign slug")),
    request_body = PointsAdjustmentRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What the adjustment did (the first result, for a repeated id)", body = PointsAdjustmentResponse),
        (status = 400, description = "A field is invalid", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
        (status = 409, description = "The id was used for another user or campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn create_points_adjustment(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    org: OrgAuth,
    AppJson(request): AppJson<PointsAdjustmentRequest>,
) -> Result<Json<PointsAdjustmentResponse>, AppError> {
    valid_user(&request.account, &request.platform)?;
    let reward_id = request.reward_id.trim_matches(is_schema_space);
    if reward_id.is_empty() || request.reward_id.chars().count() > 128 {
        return Err(AppError::InvalidRequest(
            "reward_id: must be 1-128 characters, not blank".into(),
        ));
    }
    if request.points.abs() > MOST_POINTS {
        return Err(AppError::InvalidRequest(
            "points: must be -1000000000 to 1000000000".into(),
        ));
    }
    if request
        .reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > 500)
    {
        return Err(AppError::InvalidRequest(
            "reason: must be at most 500 characters".into(),
        ));
    }
    let stored = org.campaign(&state.db, &campaign).await?;
    let now = state.clock.now();
    let adjustment = NewAdjustment {
        user: UserKey {
            organization_id: org.organization_id,
            platform: request.platform.clone(),
            account: request.account.clone(),
        },
        campaign_id: stored.id.clone(),
        reward_id: reward_id.to_owned(),
        points: request.points,
        reason: request.reason,
        allow_negative: request.allow_negative,
        at: now,
        boards: leaderboard::boards(&stored.time_zone, now),
    };
    let row = match state.db.adjust_points(&adjustment).await? {
        Adjusted::Applied(row) => row,
        Adjusted::Repeated(first) => {
            if first.campaign_id != stored.id
                || first.platform != request.platform
                || first.account != request.account
            {
                return Err(AppError::Conflict(format!(
                    "reward_id {reward_id} was used for another user or campaign"
                )));
            }
            first
        }
    };
    Ok(Json(PointsAdjustmentResponse {
        reward_id: reward_id.to_owned(),
        requested: row.requested,
        applied: row.applied,
        points: row.points_after,
    }))
}
