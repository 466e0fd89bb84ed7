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
