//! A campaign's results for its team (`GET /v1/campaigns/{campaign}/results`): totals, how
//! many took part and completed tasks each day, and how far users got in each quest.

use serde::{Deserialize, Serialize};

/// A campaign's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignResults {
    /// Users who completed at least one of the campaign's tasks.
    pub participants: i64,
    /// Task completions in the campaign (a recurring task counts each time).
    pub completions: i64,
    /// The last days (UTC), oldest first, today last, each with its counts (empty days too).
    pub days: Vec<DayResults>,
    /// Each quest in display order: how many users opened, started and completed it.
    pub quests: Vec<QuestFunnel>,
}

/// One day's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayResults {
    /// The day, `YYYY-MM-DD` (UTC).
    pub day: String,
    /// Users who completed at least one task that day.
    pub participants: i64,
    /// Task completions that day.
    pub completions: i64,
}

/// How far users got in one quest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestFunnel {
    /// The quest's key.
    pub key: String,
    /// The quest's title.
    pub title: String,
    /// Signed-in users who opened it in the widget.
    pub opened: i64,
    /// Users who completed at least one of its tasks.
    pub started: i64,
    /// Users who completed it (every task that decides it).
    pub completed: i64,
}
