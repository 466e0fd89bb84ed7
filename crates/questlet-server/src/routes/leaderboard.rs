//! Leaderboards through the admin API: a campaign's board, all time or this week or
//! month, and one user's place on it.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use questlet_types::leaderboard::{
    LeaderboardPeriod, LeaderboardPlace, LeaderboardResponse, LeaderboardRow,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::extract::OrgAuth;
use crate::db::leaderboard::{self, BoardPlace, BoardRow, CampaignRef};
use crate::db::progress::UserKey;
use crate::db::Db;
use crate::error::AppError;
use crate::json::AppQuery;
use crate::validation::user_of_query;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/v1/campaigns/{campaign}/leaderboard", get(get_leaderboard))
}

/// Query of `GET /v1/campaigns/{campaign}/leaderboard`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct LeaderboardQuery {
    /// `all` (default), `week` or `month`: the current week or month of the campaign's
    /// time zone.
    period: Option<LeaderboardPeriod>,
    /// How many top rows (1 to 1,000, default 10).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<i64>,
    /// A user's account: answer their place too.
    #[param(min_length = 1, max_length = 256, pattern = "\\S")]
    account: Option<String>,
    /// That user's platform (default `web`).
    #[param(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")]
    platform: Option<String>,
    /// Rows above and below the user's (0 to 50, default 2).
    #[param(minimum = 0, maximum = 50)]
    around: Option<i64>,
}

/// A campaign's board: its top rows and, with `account` and `platform`, that user's place
/// and neighbours. More points rank first; at equal points, whoever reached them first.
#[utoipa::path(
    get,
    path = "/v1/campaigns/{campaign}/leaderboard",
    tag = "campaigns",
    params(("campaign" = String, Path, description = "Campaign slug"), LeaderboardQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The board", body = LeaderboardResponse),
        (status = 400, description = "A parameter is invalid", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn get_leaderboard(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    org: OrgAuth,
    AppQuery(query): AppQuery<LeaderboardQuery>,
) -> Result<Json<LeaderboardResponse>, AppError> {
    let limit = query.limit.unwrap_or(10);
    if !(1..=1000).contains(&limit) {
        return Err(AppError::InvalidRequest("limit: must be 1 to 1000".into()));
    }
    let around = query.around.unwrap_or(2);
    if !(0..=50).contains(&around) {
        return Err(AppError::InvalidRequest("around: must be 0 to 50".into()));
    }
    let user = user_of_query(&org.organization_id, query.account, query.platform)?;
    let period = query.period.unwrap_or(LeaderboardPeriod::All);
    let db = &state.db;
    let read = |campaign, board| board_rows(db, campaign, board, user.as_ref(), limit, around);
    // The all-time board's key needs no time zone: its rows are read by the campaign's
    // slug, and the campaign's row only when they are none (an empty board, or no such
    // campaign: 404); the others' keys need the campaign's time zone first.
    let (board, top, me) = match period {
        LeaderboardPeriod::All => {
            let slug = CampaignRef::Slug {
                organization_id: &org.organization_id,
                slug: &campaign,
            };
            let (board, top, me) = read(slug, leaderboard::ALL_TIME.to_owned()).await?;
            if top.is_empty() {
                org.campaign(db, &campaign).await?;
            }
            (board, top, me)
        }
        LeaderboardPeriod::Week | LeaderboardPeriod::Month => {
            let stored = org.campaign(db, &campaign).await?;
            let board = leaderboard::board_of(period, &stored.time_zone, state.clock.now());
            read(CampaignRef::Id(&stored.id), board).await?
        }
    };
    Ok(Json(LeaderboardResponse {
        board,
        top: top.into_iter().map(row).collect(),
        me: me.map(|place| LeaderboardPlace {
            place: place.me.place,
            points: place.me.points,
            around: place.around.into_iter().map(row).collect(),
        }),
    }))
}

/// Board `board` of `campaign`: its first `limit` rows and, for `user`, their place with
/// `around` rows each side; read at once.
async fn board_rows(
    db: &Db,
    campaign: CampaignRef<'_>,
    board: String,
    user: Option<&UserKey>,
    limit: i64,
    around: i64,
) -> Result<(String, Vec<BoardRow>, Option<BoardPlace>), AppError> {
    let place = async {
        match user {
            Some(user) => db.leaderboard_place(campaign, &board, user, around).await,
            None => Ok(None),
        }
    };
    let (top, me) = tokio::try_join!(db.leaderboard_top(campaign, &board, limit), place)?;
    Ok((board, top, me))
}

fn row(row: BoardRow) -> LeaderboardRow {
    LeaderboardRow {
        place: row.place,
        account: row.account,
        platform: row.platform,
        name: row.name,
        points: row.points,
    }
}
