//! Completions a partner's backend reports through the admin API (`api` tasks).

use serde::{Deserialize, Serialize};

use crate::attempt::AttemptOutcome;

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

/// `POST /v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/codes` body: codes to add to
/// an `invite_code` task's pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteCodesRequest {
    /// The codes (1 to 10,000; each 1-64 characters, compared trimmed and
    /// case-insensitively; ones the pool has are skipped).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10000))]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = Vec<InviteCode>))]
    pub codes: Vec<String>,
}

/// One invite code as a partner uploads it: 1-64 characters, not blank.
#[cfg(feature = "openapi")]
struct InviteCode;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for InviteCode {
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
impl utoipa::ToSchema for InviteCode {}

/// An invite code pool's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteCodesResponse {
    /// Codes this request added (0 for a read).
    pub added: i64,
    /// Codes in the pool.
    pub total: i64,
    /// Codes users have claimed.
    pub claimed: i64,
}
