//! A campaign's results through the admin API, for its team: totals, the participants and
//! completions of each of the last days (UTC), and per quest how many users opened, started
//! and completed it.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use questlet_types::results::{CampaignResults, DayResults, QuestFunnel};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::extract::OrgAuth;
use crate::db::results::DAY;
use crate::error::AppError;
use crate::json::AppQuery;
use crate::milestones::Milestones;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/v1/campaigns/{campaign}/results",
        get(get_campaign_results),
    )
}

/// The most days one answer counts.
const MAX_DAYS: i64 = 366;

/// Query of `GET /v1/campaigns/{campaign}/results`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ResultsQuery {
    /// How many days to count, today (UTC) the last (1 to 366, default 30).
    #[param(minimum = 1, maximum = 366)]
    days: Option<i64>,
}

/// A campaign's results: its participants and completions in total and on each of the last
/// `days` days (UTC, empty days included), and how many signed-in users opened, started
/// (completed any task of) and completed each quest.
#[utoipa::path(
    get,
    path = "/v1/campaigns/{campaign}/results",
    tag = "campaigns",
    params(("campaign" = String, Path, description = "Campaign slug"), ResultsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The campaign's results", body = CampaignResults),
        (status = 400, description = "A parameter is invalid", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn get_campaign_results(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    org: OrgAuth,
    AppQuery(query): AppQuery<ResultsQuery>,
) -> Result<Json<CampaignResults>, AppError> {
    let days = query.days.unwrap_or(30);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(AppError::InvalidRequest(format!(
            "days: must be 1 to {MAX_DAYS}"
        )));
    }
    let tree = org.campaign_tree(&state.db, &campaign).await?;
    let id = &tree.campaign.id;
    let (completions, participants) = state.db.campaign_totals(id).await?;

    let today = state.clock.now().div_euclid(DAY);
    let first = today - days + 1;
    let counted: HashMap<i64, (i64, i64)> = state
        .db
        .campaign_days(id, first)
        .await?
        .into_iter()
        .map(|(day, completions, users)| (day, (completions, users)))
        .collect();
    let days = (first..=today)
        .map(|day| {
            let (completions, participants) = counted.get(&day).copied().unwrap_or_default();
            DayResults {
                day: date_of(day),
                participants,
                completions,
            }
        })
        .collect();

    let openers: HashMap<String, i64> = state.db.quest_openers(id).await?.into_iter().collect();
    let starters: HashMap<String, i64> = state.db.quest_starters(id).await?.into_iter().collect();
    let milestones = Milestones::of(&tree);
    let mut quests = Vec::with_capacity(tree.quests.len());
    for (number, quest) in tree.quests.iter().enumerate() {
        quests.push(QuestFunnel {
            key: quest.key.clone(),
            title: quest.title.clone(),
            opened: openers.get(&quest.id).copied().unwrap_or(0),
            started: starters.get(&quest.id).copied().unwrap_or(0),
            completed: state
                .db
                .users_with_every_task(milestones.deciding(number))
                .await?,
        });
    }
    Ok(Json(CampaignResults {
        participants,
        completions,
        days,
        quests,
    }))
}

/// Day number `day` since the Unix epoch as `YYYY-MM-DD`.
fn date_of(day: i64) -> String {
    jiff::Timestamp::from_second(day * DAY)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_named_by_their_utc_date() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(20_424), "2025-12-02");
        assert_eq!(date_of(-1), "1969-12-31");
    }
}
