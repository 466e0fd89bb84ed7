//! Ranks and rewards: the levels a user reaches by points, and what they can claim.
//!
//! A campaign document declares both (`ranks`, `rewards`); the widget API lists a campaign's
//! rewards with where the caller stands on each condition, and claims one; the admin API
//! fills gift code pools and lists claims.

use serde::{Deserialize, Serialize};

use crate::leaderboard::LeaderboardPeriod;

/// A named level a user reaches at a number of points (`Bronze` at 0, `Gold` at 500), as
/// the partner writes it and the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RankDocument {
    /// The rank's name, unique within the campaign (1-64 characters).
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 64))]
    pub name: String,
    /// The points from which a user holds it (0 or more; ranks ascend by this).
    #[serde(deserialize_with = "crate::whole_number::i64")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 1_000_000_000_000_i64)
    )]
    pub min_points: i64,
    /// Optional badge image URL.
    #[serde(default)]
    pub image_url: Option<String>,
}

/// The rank a user with `points` holds: the last of `ranks` (ascending by `min_points`)
/// whose threshold they reach; none below the first.
pub fn rank_for(ranks: &[RankDocument], points: i64) -> Option<&RankDocument> {
    ranks.iter().rev().find(|rank| points >= rank.min_points)
}

/// Something a user can claim in a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RewardDocument {
    /// Stable key within the campaign (a slug); claims and code pools are kept under it.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")
    )]
    pub key: String,
    /// Title shown in the widget.
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub title: String,
    /// Description in Markdown; sanitized when rendered.
    #[serde(default)]
    pub description: String,
    /// Optional image URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// What a claim gives.
    pub kind: RewardKind,
    /// What a user must meet to claim it (all of them); none: anyone signed in.
    #[serde(default)]
    pub conditions: RewardConditions,
}

/// What claiming a reward gives the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RewardKind {
    /// A code from the partner's uploaded pool, each given to one user only.
    GiftCode,
    /// Something the partner hands over itself: the claim is recorded with the user's
    /// details for the partner to fulfil.
    Custom,
}

wire_names!(RewardKind {
    GiftCode => "gift_code",
    Custom => "custom",
});

/// A reward's conditions; a user must meet every one that is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RewardConditions {
    /// At least this many points in the campaign.
    #[serde(default, deserialize_with = "crate::whole_number::option_i64")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 1_000_000_000_000_i64)
    )]
    pub min_points: Option<i64>,
    /// The key of a quest the user must have completed.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")
    )]
    pub quest: Option<String>,
    /// The name of a rank the user must hold (or pass).
    #[serde(default)]
    pub rank: Option<String>,
    /// A place among the first of a leaderboard period.
    #[serde(default)]
    pub top: Option<TopCondition>,
}

/// "Among the first `places` of the `period` board".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TopCondition {
    /// Which board: all time, or the current week or month.
    pub period: LeaderboardPeriod,
    /// How many first places qualify (1 to 10,000).
    #[serde(deserialize_with = "crate::whole_number::i64")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub places: i64,
}

/// Response of `GET /v1/widget/{organization}/campaigns/{campaign}/rewards`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardsResponse {
    /// The campaign's rewards, in the document's order.
    pub rewards: Vec<RewardView>,
}

/// A reward as the widget lists it, with where the caller stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardView {
    /// The reward's key (the claim call's path).
    pub key: String,
    /// Title.
    pub title: String,
    /// Description rendered from Markdown and sanitized on the server.
    pub description_html: String,
    /// Optional image URL.
    pub image_url: Option<String>,
    /// What a claim gives.
    pub kind: RewardKind,
    /// Each condition set on the reward, with whether the caller meets it.
    pub conditions: Vec<ConditionView>,
    /// Whether the caller may claim it now: signed in, every condition met, not claimed
    /// yet, and (for a gift code) codes left.
    pub claimable: bool,
    /// Gift codes left in the pool; none for a custom reward.
    pub left: Option<i64>,
    /// The caller's claim, once made.
    pub claim: Option<RewardClaimView>,
}

/// One condition of a reward, as the widget words it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConditionView {
    /// Which condition.
    pub kind: ConditionKind,
    /// `points`: the points needed; `top`: how many first places.
    pub value: i64,
    /// `quest`: the quest's title; `rank`: the rank's name; `top`: the period (`all`,
    /// `week` or `month`); `points`: empty.
    pub name: String,
    /// Whether the caller meets it; none for an anonymous visitor.
    pub met: Option<bool>,
}

/// The kinds of a reward's conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConditionKind {
    /// At least `value` points.
    Points,
    /// The quest `name` completed.
    Quest,
    /// The rank `name` held or passed.
    Rank,
    /// Among the first `value` places of the `name` board.
    Top,
}

wire_names!(ConditionKind {
    Points => "points",
    Quest => "quest",
    Rank => "rank",
    Top => "top",
});

/// A user's claim of a reward: the answer of the claim call, and part of a listed reward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardClaimView {
    /// The reward's key.
    pub reward: String,
    /// The gift code given; none for a custom reward.
    pub code: Option<String>,
    /// When it was claimed, Unix seconds.
    pub claimed_at: i64,
}

/// One claim as the partner reads it (`GET /v1/campaigns/{campaign}/rewards/{reward}/claims`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardClaimEntry {
    /// The user's account on the partner's platform.
    pub account: String,
    /// The partner's platform name.
    pub platform: String,
    /// The user's name, as the partner last gave it on `GET /token`.
    pub name: Option<String>,
    /// The user's points in the campaign when they claimed.
    pub points: i64,
    /// The gift code given; none for a custom reward.
    pub code: Option<String>,
    /// When, Unix seconds.
    pub claimed_at: i64,
}

/// Response of `GET /v1/campaigns/{campaign}/rewards/{reward}/claims`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardClaimsResponse {
    /// The claims, oldest first.
    pub claims: Vec<RewardClaimEntry>,
}
