//! What a partner's backend sends and reads through the admin API about its users' tasks:
//! completions it reports (`api` tasks), invite codes, and the review queue of proofs.

use serde::{Deserialize, Serialize};

use crate::attempt::AttemptOutcome;
use crate::widget::ReviewState;

/// `POST /v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/completions` body: the
/// partner's backend completes an `api` task for one of its users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartnerCompletionRequest {
    /// The user's id on the partner's platform (1-256 characters, not blank).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 256, pattern = "\\S")
    )]
    pub account: String,
    /// The partner's platform name (a slug), as in the user's tokens.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")
    )]
    pub platform: String,
    /// The partner's own id for this completion (1-128 characters, not blank), unique in the
    /// organization: sending it again changes nothing and answers the first result, so a
    /// retry after a timeout is safe.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 128, pattern = "\\S")
    )]
    pub completion_id: String,
}

/// What a partner completion did (the same answer for every repeat of its id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerCompletionResponse {
    /// The partner's id for this completion.
    pub completion_id: String,
    /// `completed`, or `already_completed` when the user had completed the task (for now,
    /// if it repeats) and nothing was awarded.
    pub outcome: AttemptOutcome,
    /// Points this completion awarded.
    pub points_awarded: i64,
}

/// Body of the calls that add single-use codes to a pool: an `invite_code` task's
/// (`POST /v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/codes`) or a gift code
/// reward's (`POST /v1/campaigns/{campaign}/rewards/{reward}/codes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CodePoolRequest {
    /// The codes (1 to 10,000; each 1-64 characters, trimmed; ones the pool has are
    /// skipped). An invite code pool compares them case-insensitively; a gift code pool
    /// gives them out as written.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10000))]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = Vec<PoolCode>))]
    pub codes: Vec<String>,
}

/// One pool code as a partner uploads it: 1-64 characters, not blank.
#[cfg(feature = "openapi")]
struct PoolCode;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PoolCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .max_length(Some(64))
            .pattern(Some("\\S"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for PoolCode {}

/// A code pool's counts (an invite code task's or a gift code reward's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodePoolResponse {
    /// Codes this request added (0 for a read).
    pub added: i64,
    /// Codes in the pool.
    pub total: i64,
    /// Codes users have claimed.
    pub claimed: i64,
}

/// One proof in a campaign's review queue (`GET /v1/campaigns/{campaign}/submissions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionView {
    /// The submission's id (a new one for each proof a user sends).
    pub id: String,
    /// The quest's key.
    pub quest: String,
    /// The task's key.
    pub task: String,
    /// The user's account id on the partner's platform.
    pub account: String,
    /// The partner's platform name.
    pub platform: String,
    /// The proof as the user sent it (text, or a link): plain text, never HTML.
    pub proof: String,
    /// Pending, approved or rejected.
    pub state: ReviewState,
    /// The reviewer's message to the user.
    pub message: Option<String>,
    /// When the user sent it, Unix seconds.
    pub submitted_at: i64,
    /// When it was reviewed, Unix seconds.
    pub reviewed_at: Option<i64>,
}

/// A page of the review queue, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionList {
    /// The submissions.
    pub submissions: Vec<SubmissionView>,
}

/// What a reviewer decides about a proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// The proof counts: the task is completed and its points awarded.
    Approve,
    /// The proof does not count: the user may send another.
    Reject,
}

/// `POST /v1/campaigns/{campaign}/submissions/{id}/review` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// Approve or reject.
    pub decision: ReviewDecision,
    /// A message the user sees in the widget (up to 1,000 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub message: Option<String>,
}

/// `POST /v1/campaigns/{campaign}/submissions/review` body: one decision for many proofs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkReviewRequest {
    /// The submissions' ids (1 to 500).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub ids: Vec<String>,
    /// Approve or reject them all.
    pub decision: ReviewDecision,
    /// A message every user sees in the widget (up to 1,000 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub message: Option<String>,
}

/// What a bulk review did: the submissions it reviewed, and the ids it skipped with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkReviewResponse {
    /// The submissions reviewed now, as they stand after it.
    pub reviewed: Vec<SubmissionView>,
    /// Ids not reviewed: unknown in this campaign, or no longer pending.
    pub skipped: Vec<SkippedReview>,
}

/// An id a bulk review skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkippedReview {
    /// The id.
    pub id: String,
    /// Why, in words.
    pub reason: String,
}

/// `POST /v1/campaigns/{campaign}/points` body: the partner awards or deducts points for
/// one of its users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PointsAdjustmentRequest {
    /// The user's id on the partner's platform (1-256 characters, not blank).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 256, pattern = "\\S")
    )]
    pub account: String,
    /// The partner's platform name (a slug), as in the user's tokens.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")
    )]
    pub platform: String,
    /// The partner's own id for this award (1-128 characters, not blank), unique in the
    /// organization: sending it again changes nothing and answers the first result (as
    /// claimr's `POST /user/reward` ignores a repeated id).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 128, pattern = "\\S")
    )]
    pub reward_id: String,
    /// Points to award (positive) or deduct (negative), at most 1,000,000,000 either way
    /// (0 records the id and moves nothing).
    #[serde(deserialize_with = "crate::whole_number::i64")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = -1_000_000_000_i64, maximum = 1_000_000_000_i64)
    )]
    pub points: i64,
    /// Why, for the partner's own records (up to 500 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: Option<String>,
    /// Whether a deduction may take the user below zero; by default it stops at zero.
    #[serde(default)]
    pub allow_negative: bool,
}

/// What an award or deduction did (the same answer for every repeat of its id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointsAdjustmentResponse {
    /// The partner's id for this award.
    pub reward_id: String,
    /// The points asked for.
    pub requested: i64,
    /// The points it moved: what was asked, or less for a deduction that stopped at zero.
    pub applied: i64,
    /// The user's points in the campaign right after it.
    pub points: i64,
}

/// One participant of a campaign as the partner lists them
/// (`GET /v1/campaigns/{campaign}/users`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignUser {
    /// The user's account on the partner's platform.
    pub account: String,
    /// The partner's platform name.
    pub platform: String,
    /// The user's name, as the partner last gave it on `GET /token`.
    pub name: Option<String>,
    /// Points in the campaign.
    pub points: i64,
    /// The rank those points hold, if the campaign has ranks.
    pub rank: Option<String>,
    /// Tasks completed in the campaign (each turn of a repeating task counts).
    pub completions: i64,
}

/// Response of `GET /v1/campaigns/{campaign}/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignUsersResponse {
    /// The participants asked for, most points first (at equal points, who reached them
    /// first).
    pub users: Vec<CampaignUser>,
}
