//! A campaign's participants through the admin API: a page of them with points, rank and
//! completions (searchable by account or name), and CSV exports of every participant and
//! every completion, streamed.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use questlet_types::partner::{CampaignUser, CampaignUsersResponse};
use questlet_types::rewards::{rank_for, RankDocument};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::extract::OrgAuth;
use crate::db::participants::CsvChunks;
use crate::error::AppError;
use crate::json::AppQuery;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/campaigns/{campaign}/users", get(list_campaign_users))
        .route(
            "/v1/campaigns/{campaign}/export/participants.csv",
            get(export_participants),
        )
        .route(
            "/v1/campaigns/{campaign}/export/completions.csv",
            get(export_completions),
        )
}

/// Query of `GET /v1/campaigns/{campaign}/users`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct UsersQuery {
    /// Only users whose account or name contains this (any case).
    #[param(min_length = 1, max_length = 256)]
    search: Option<String>,
    /// How many (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// How many to skip (0 to 1,000,000, default 0).
    #[param(minimum = 0, maximum = 1_000_000)]
    offset: Option<i64>,
}

/// The name of the rank `points` hold among `ranks` (empty below the first).
fn rank_name(ranks: &[RankDocument], points: i64) -> Option<String> {
    rank_for(ranks, points).map(|rank| rank.name.clone())
}

/// A campaign's participants (its users with points), most points first, with their rank
/// and how many tasks they completed; `search` finds users by account or name.
#[utoipa::path(
    get,
    path = "/v1/campaigns/{campaign}/users",
    tag = "campaigns",
    params(("campaign" = String, Path, description = "Campaign slug"), UsersQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The participants asked for", body = CampaignUsersResponse),
        (status = 400, description = "A parameter is invalid", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn list_campaign_users(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    org: OrgAuth,
    AppQuery(query): AppQuery<UsersQuery>,
) -> Result<Json<CampaignUsersResponse>, AppError> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(AppError::InvalidRequest("limit: must be 1 to 500".into()));
    }
    let offset = query.offset.unwrap_or(0);
    if !(0..=1_000_000).contains(&offset) {
        return Err(AppError::InvalidRequest(
            "offset: must be 0 to 1000000".into(),
        ));
    }
    if let Some(search) = &query.search {
        if search.is_empty() || search.chars().count() > 256 {
            return Err(AppError::InvalidRequest(
                "search: must be 1-256 characters".into(),
            ));
        }
    }
    let stored = org.campaign(&state.db, &campaign).await?;
    let rows = state
        .db
        .campaign_users(&stored.id, query.search.as_deref(), limit, offset)
        .await?;
    Ok(Json(CampaignUsersResponse {
        users: rows
            .into_iter()
            .map(|row| CampaignUser {
                rank: rank_name(&stored.ranks, row.points),
                account: row.account,
                platform: row.platform,
                name: row.name,
                points: row.points,
                completions: row.completions,
            })
            .collect(),
    }))
}

/// Every participant of a campaign as CSV (`account,platform,name,points,rank,completions`),
/// most points first. Streamed: any number of rows in constant memory.
#[utoipa::path(
    get,
    path = "/v1/campaigns/{campaign}/export/participants.csv",
    tag = "campaigns",
    params(("campaign" = String, Path, description = "Campaign slug")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The participants", content_type = "text/csv", body = String),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn export_participants(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    org: OrgAuth,
) -> Result<Response, AppError> {
    let stored = org.campaign(&state.db, &campaign).await?;
    let ranks = stored.ranks;
    let chunks = state.db.participants_csv(stored.id, move |points| {
        rank_name(&ranks, points).unwrap_or_default()
    });
    Ok(csv(&format!("{campaign}-participants.csv"), chunks))
}

/// Every completion in a campaign as CSV
/// (`account,platform,quest,task,points,completed_at,ga_client_id`). Streamed: any number
/// of rows in constant memory.
#[utoipa::path(
    get,
    path = "/v1/campaigns/{campaign}/export/completions.csv",
    tag = "campaigns",
    params(("campaign" = String, Path, description = "Campaign slug")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The completions", content_type = "text/csv", body = String),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn export_completions(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    org: OrgAuth,
) -> Result<Response, AppError> {
    let stored = org.campaign(&state.db, &campaign).await?;
    let chunks = state.db.completions_csv(stored.id);
    Ok(csv(&format!("{campaign}-completions.csv"), chunks))
}

/// A CSV download streamed from `chunks`.
fn csv(file_name: &str, chunks: CsvChunks) -> Response {
    let stream = futures::stream::unfold(chunks, |mut chunks| async move {
        chunks.recv().await.map(|chunk| (chunk, chunks))
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
