//! Rewards through the admin API: a gift code reward's pool (upload, counts) and a
//! reward's claims, with who made them.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use questlet_types::partner::{CodePoolRequest, CodePoolResponse};
use questlet_types::rewards::{RewardClaimEntry, RewardClaimsResponse, RewardKind};

use super::invite_codes::normalized_codes;
use crate::auth::extract::OrgAuth;
use crate::db::campaigns::CampaignRow;
use crate::error::AppError;
use crate::json::AppJson;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/campaigns/{campaign}/rewards/{reward}/codes",
            get(get_gift_codes).post(create_gift_codes),
        )
        .route(
            "/v1/campaigns/{campaign}/rewards/{reward}/claims",
            get(get_reward_claims),
        )
}

/// The campaign named by the path, and the kind of its reward `reward`, or why not.
async fn reward_of(
    state: &AppState,
    org: &OrgAuth,
    campaign: &str,
    reward: &str,
) -> Result<(CampaignRow, RewardKind), AppError> {
    let stored = org.campaign(&state.db, campaign).await?;
    let kind = stored
        .rewards
        .iter()
        .find(|r| r.key == reward)
        .map(|r| r.kind)
        .ok_or_else(|| AppError::NotFound(format!("reward {reward}")))?;
    Ok((stored, kind))
}

/// The campaign of a gift code reward named by the path, or why not.
async fn gift_code_reward(
    state: &AppState,
    org: &OrgAuth,
    campaign: &str,
    reward: &str,
) -> Result<CampaignRow, AppError> {
    let (stored, kind) = reward_of(state, org, campaign, reward).await?;
    if kind != RewardKind::GiftCode {
        return Err(AppError::Conflict(format!(
            "reward {reward} is a {} reward: only gift_code rewards have codes",
            kind.as_str()
        )));
    }
    Ok(stored)
}

/// Adds codes to a gift code reward's pool (codes it has are skipped). Codes are trimmed and
/// otherwise given out as written; each is given to one user only.
#[utoipa::path(
    post,
    path = "/v1/campaigns/{campaign}/rewards/{reward}/codes",
    tag = "campaigns",
    params(
        ("campaign" = String, Path, description = "Campaign slug"),
        ("reward" = String, Path, description = "Reward key (a `gift_code` reward)"),
    ),
    request_body = CodePoolRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How many codes were new, and the pool's counts", body = CodePoolResponse),
        (status = 400, description = "A code is empty or too long, or there are too many", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign or reward", body = questlet_types::ErrorResponse),
        (status = 409, description = "Not a `gift_code` reward", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn create_gift_codes(
    State(state): State<AppState>,
    Path((campaign, reward)): Path<(String, String)>,
    org: OrgAuth,
    AppJson(request): AppJson<CodePoolRequest>,
) -> Result<Json<CodePoolResponse>, AppError> {
    let codes = normalized_codes(&request, gift_code)?;
    let stored = gift_code_reward(&state, &org, &campaign, &reward).await?;
    let added = state.db.add_gift_codes(&stored.id, &reward, &codes).await?;
    let counts = state.db.gift_code_counts(&stored.id, &reward).await?;
    Ok(Json(CodePoolResponse {
        added,
        total: counts.total,
        claimed: counts.claimed,
    }))
}

/// A gift code as kept: trimmed, its case as written (the user redeems it elsewhere);
/// `None` when blank or longer than 64 characters.
fn gift_code(code: &str) -> Option<String> {
    let code = code.trim();
    (!code.is_empty() && code.chars().count() <= 64).then(|| code.to_owned())
}

/// How many codes a gift code reward's pool holds and how many are given.
#[utoipa::path(
    get,
    path = "/v1/campaigns/{campaign}/rewards/{reward}/codes",
    tag = "campaigns",
    params(
        ("campaign" = String, Path, description = "Campaign slug"),
        ("reward" = String, Path, description = "Reward key (a `gift_code` reward)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The pool's counts (`added` is 0)", body = CodePoolResponse),
        (status = 404, description = "No such campaign or reward", body = questlet_types::ErrorResponse),
        (status = 409, description = "Not a `gift_code` reward", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn get_gift_codes(
    State(state): State<AppState>,
    Path((campaign, reward)): Path<(String, String)>,
    org: OrgAuth,
) -> Result<Json<CodePoolResponse>, AppError> {
    let stored = gift_code_reward(&state, &org, &campaign, &reward).await?;
    let counts = state.db.gift_code_counts(&stored.id, &reward).await?;
    Ok(Json(CodePoolResponse {
        added: 0,
        total: counts.total,
        claimed: counts.claimed,
    }))
}

/// A reward's claims, oldest first: who claimed it (account, platform, name), their points
/// then, and the code they were given, for the partner to fulfil.
#[utoipa::path(
    get,
    path = "/v1/campaigns/{campaign}/rewards/{reward}/claims",
    tag = "campaigns",
    params(
        ("campaign" = String, Path, description = "Campaign slug"),
        ("reward" = String, Path, description = "Reward key"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The claims", body = RewardClaimsResponse),
        (status = 404, description = "No such campaign or reward", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn get_reward_claims(
    State(state): State<AppState>,
    Path((campaign, reward)): Path<(String, String)>,
    org: OrgAuth,
) -> Result<Json<RewardClaimsResponse>, AppError> {
    let (stored, _) = reward_of(&state, &org, &campaign, &reward).await?;
    let rows = state.db.reward_claims(&stored.id, &reward).await?;
    Ok(Json(RewardClaimsResponse {
        claims: rows
            .into_iter()
            .map(|row| RewardClaimEntry {
                account: row.account,
                platform: row.platform,
                name: row.name,
                points: row.points,
                code: row.code,
                claimed_at: row.claimed_at,
            })
            .collect(),
    }))
}
