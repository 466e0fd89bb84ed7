//! Leaderboards as the API answers them: a board's top rows and a user's own place.

use serde::{Deserialize, Serialize};

/// Which board of a campaign: all time, or the current week or month of its time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeaderboardPeriod {
    /// Every point ever.
    All,
    /// Points of the current week (from Monday, in the campaign's time zone).
    Week,
    /// Points of the current month (in the campaign's time zone).
    Month,
}

wire_names!(LeaderboardPeriod {
    All => "all",
    Week => "week",
    Month => "month",
});

/// One row of a board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardRow {
    /// The place, from 1: more points first, and at equal points whoever reached them
    /// first.
    pub place: i64,
    /// The user's account on the partner's platform.
    pub account: String,
    /// The partner's platform name.
    pub platform: String,
    /// The user's name, as the partner last gave it on `GET /token`.
    pub name: Option<String>,
    /// The user's points on this board.
    pub points: i64,
}

/// A user's place on a board, with their neighbours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardPlace {
    /// The user's place, from 1.
    pub place: i64,
    /// The user's points on this board.
    pub points: i64,
    /// The rows just above and below, in board order, the user's own among them.
    pub around: Vec<LeaderboardRow>,
}

/// A board: its top rows and, when asked for, one user's place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardResponse {
    /// The board: `all`, `week:<its Monday, YYYY-MM-DD>` or `month:<YYYY-MM>`.
    pub board: String,
    /// The first rows, in order.
    pub top: Vec<LeaderboardRow>,
    /// The asked-for user's place; none when they have no points on this board.
    pub me: Option<LeaderboardPlace>,
}

/// One row of a board as the widget shows it: a name to show, never a raw account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetLeaderboardRow {
    /// The place, from 1.
    pub place: i64,
    /// The name the partner gave the user, else their account shortened (`ab…yz`).
    pub name: String,
    /// The user's points on this board.
    pub points: i64,
    /// Whether this is the caller's own row.
    pub me: bool,
}

/// Response of `GET /v1/widget/{organization}/campaigns/{campaign}/leaderboard`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetLeaderboardResponse {
    /// The board: `all`, `week:<its Monday, YYYY-MM-DD>` or `month:<YYYY-MM>`.
    pub board: String,
    /// The top rows in order, then, when the caller's place is below them, the caller's row
    /// with its neighbours (the places say where the gap is).
    pub rows: Vec<WidgetLeaderboardRow>,
}
