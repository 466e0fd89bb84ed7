//! The widget's rewards and leaderboard: the rewards a campaign offers with where the
//! caller stands on each, a claim, and the campaign's board with the caller's row.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use questlet_types::leaderboard::{LeaderboardPeriod, WidgetLeaderboardResponse};
use questlet_types::rewards::{RewardClaimView, RewardKind, RewardView, RewardsResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::widget_campaigns::campaign_and_progress;
use crate::auth::extract::UserAuth;
use crate::db::leaderboard::{self, CampaignRef};
use crate::db::rewards::{ClaimRow, Claimed, NewClaim};
use crate::error::AppError;
use crate::json::AppQuery;
use crate::rewards::{self, Standing};
use crate::{markdown, views, AppState};

pub(super) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}/rewards",
            get(get_widget_rewards),
        )
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}/rewards/{reward}/claim",
            post(create_reward_claim),
        )
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}/leaderboard",
            get(get_widget_leaderboard),
        )
        .layer(crate::cors::widget_cors(state.clone()))
}

/// A campaign's rewards, each with its conditions and, for a signed-in caller, whether they
/// meet each, their claim, and whether they may claim it now.
#[utoipa::path(
    get,
    path = "/v1/widget/{organization}/campaigns/{campaign}/rewards",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The campaign's rewards", body = RewardsResponse),
        (status = 401, description = "The user token is invalid, expired or of another organization", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such published campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn get_widget_rewards(
    State(state): State<AppState>,
    Path((organization, campaign)): Path<(String, String)>,
    user: Option<UserAuth>,
) -> Result<Json<RewardsResponse>, AppError> {
    let (rendered, progress) =
        campaign_and_progress(&state, &organization, &campaign, user.as_ref()).await?;
    let tree = &rendered.tree;
    let campaign_id = &tree.campaign.id;
    let (standing, mut claims) = match (&user, progress) {
        (Some(user), Some(progress)) => {
            let key = user.key();
            let now = state.clock.now();
            let standing = Standing::read(&state.db, tree, &key, progress, now).await?;
            (
                Some(standing),
                state.db.user_claims(campaign_id, &key).await?,
            )
        }
        _ => (None, Default::default()),
    };
    let left = if tree.campaign.rewards.iter().any(is_gift_code) {
        state.db.gift_codes_left(campaign_id).await?
    } else {
        Default::default()
    };
    let rewards = tree
        .campaign
        .rewards
        .iter()
        .map(|reward| {
            let conditions = rewards::conditions(reward, tree, &rendered.plan, standing.as_ref());
            let left = is_gift_code(reward).then(|| left.get(&reward.key).copied().unwrap_or(0));
            let claim = claims.remove(&reward.key).map(claim_view);
            RewardView {
                key: reward.key.clone(),
                title: reward.title.clone(),
                description_html: markdown::render(&reward.description),
                image_url: reward.image_url.clone(),
                kind: reward.kind,
                claimable: standing.is_some()
                    && claim.is_none()
                    && left != Some(0)
                    && conditions.iter().all(|c| c.met == Some(true)),
                conditions,
                left,
                claim,
            }
        })
        .collect();
    Ok(Json(RewardsResponse { rewards }))
}

/// Claims a reward for the caller: once every condition holds, once per user (a repeat
/// answers the first claim); a gift code reward gives one code of its pool, each code to
/// one user only.
#[utoipa::path(
    post,
    path = "/v1/widget/{organization}/campaigns/{campaign}/rewards/{reward}/claim",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
        ("reward" = String, Path, description = "Reward key"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's claim (the first one, when repeated)", body = RewardClaimView),
        (status = 401, description = "No user token, or an invalid, expired or foreign one", body = questlet_types::ErrorResponse),
        (status = 403, description = "A condition does not hold (the message says which)", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such published campaign or reward", body = questlet_types::ErrorResponse),
        (status = 409, description = "`none_left`: the reward's gift codes are all given", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn create_reward_claim(
    State(state): State<AppState>,
    Path((organization, campaign, reward)): Path<(String, String, String)>,
    user: UserAuth,
) -> Result<Json<RewardClaimView>, AppError> {
    let (rendered, progress) =
        campaign_and_progress(&state, &organization, &campaign, Some(&user)).await?;
    let tree = &rendered.tree;
    let reward = tree
        .campaign
        .rewards
        .iter()
        .find(|r| r.key == reward)
        .ok_or_else(|| AppError::NotFound(format!("reward {reward}")))?;
    let key = user.key();
    let progress = progress.ok_or_else(|| AppError::Internal("no progress for a user".into()))?;
    let standing = Standing::read(&state.db, tree, &key, progress, state.clock.now()).await?;
    let unmet: Vec<String> = rewards::conditions(reward, tree, &rendered.plan, Some(&standing))
        .into_iter()
        .filter(|c| c.met != Some(true))
        .map(|c| c.kind.as_str().to_owned())
        .collect();
    let claim = NewClaim {
        campaign_id: &tree.campaign.id,
        reward_key: &reward.key,
        user: &key,
        gift_code: is_gift_code(reward),
        points: standing.progress.points,
    };
    if !unmet.is_empty() {
        // A user who claimed while they met the conditions keeps their claim.
        if let Some(first) = state
            .db
            .user_claims(claim.campaign_id, &key)
            .await?
            .remove(&reward.key)
        {
            return Ok(Json(claim_view(first)));
        }
        return Err(AppError::Forbidden(format!(
            "reward {}: conditions not met: {}",
            reward.key,
            unmet.join(", ")
        )));
    }
    match state.db.claim_reward(&claim).await? {
        Claimed::New(row) | Claimed::Before(row) => Ok(Json(claim_view(row))),
        Claimed::NoneLeft => Err(AppError::NoneLeft(format!(
            "reward {}: every code has been given",
            reward.key
        ))),
    }
}

/// Query of the widget's leaderboard call.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct WidgetLeaderboardQuery {
    /// `all` (default), `week` or `month`: the current week or month of the campaign's
    /// time zone.
    period: Option<LeaderboardPeriod>,
    /// How many top rows (1 to 100, default 10).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
}

/// A campaign's board as the widget shows it: the top rows and, for a signed-in caller
/// below them, their own row with its neighbours. Users appear by the name the partner
/// gave them, else by their account shortened.
#[utoipa::path(
    get,
    path = "/v1/widget/{organization}/campaigns/{campaign}/leaderboard",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
        WidgetLeaderboardQuery,
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The board", body = WidgetLeaderboardResponse),
        (status = 400, description = "A parameter is invalid", body = questlet_types::ErrorResponse),
        (status = 401, description = "The user token is invalid, expired or of another organization", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such published campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn get_widget_leaderboard(
    State(state): State<AppState>,
    Path((organization, campaign)): Path<(String, String)>,
    user: Option<UserAuth>,
    AppQuery(query): AppQuery<WidgetLeaderboardQuery>,
) -> Result<Json<WidgetLeaderboardResponse>, AppError> {
    let limit = query.limit.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(AppError::InvalidRequest("limit: must be 1 to 100".into()));
    }
    let rendered =
        super::widget_campaigns::visible_campaign(&state, &organization, &campaign).await?;
    let stored = &rendered.tree.campaign;
    if let Some(user) = &user {
        user.require_organization(&stored.organization_id)?;
    }
    let board = leaderboard::board_of(
        query.period.unwrap_or(LeaderboardPeriod::All),
        &stored.time_zone,
        state.clock.now(),
    );
    let key = user.as_ref().map(UserAuth::key);
    // The user's place is read beside the top rows (it is dropped when they are among them).
    let me = async {
        match &key {
            Some(key) => {
                state
                    .db
                    .leaderboard_place(CampaignRef::Id(&stored.id), &board, key, 1)
                    .await
            }
            None => Ok(None),
        }
    };
    let (top, me) = tokio::try_join!(
        state
            .db
            .leaderboard_top(CampaignRef::Id(&stored.id), &board, limit),
        me
    )?;
    Ok(Json(views::widget_leaderboard(
        board,
        top,
        me,
        key.as_ref(),
    )))
}

fn is_gift_code(reward: &questlet_types::rewards::RewardDocument) -> bool {
    reward.kind == RewardKind::GiftCode
}

fn claim_view(row: ClaimRow) -> RewardClaimView {
    RewardClaimView {
        reward: row.reward_key,
        code: row.code,
        claimed_at: row.claimed_at,
    }
}
