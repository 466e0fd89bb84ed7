//! Task attempts: what the widget sends when a user tries a task, and what it gets back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::widget::UserProgressView;

/// `POST /v1/widget/{organization}/campaigns/{campaign}/tasks/{task}/attempts` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskAttemptRequest {
    /// The user's answer; its `type` must match the task's kind.
    pub answer: TaskAnswer,
    /// The Google Analytics client id (from the `_ga` cookie), stored with the attempt.
    #[serde(default)]
    pub ga_client_id: Option<String>,
}

/// The user's answer, one shape per task kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaskAnswer {
    /// The user opened the link.
    VisitLink {},
    /// The code the user entered.
    SecretCode {
        /// The code.
        code: String,
    },
    /// One option index per question, in order.
    Quiz {
        /// Chosen option indexes.
        #[serde(deserialize_with = "crate::whole_number::vec_usize")]
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<OptionIndex>))]
        answers: Vec<usize>,
    },
    /// The chosen option index.
    Poll {
        /// Chosen option index.
        #[serde(deserialize_with = "crate::whole_number::usize")]
        #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 255))]
        option: usize,
    },
    /// Field values by field name.
    Form {
        /// Values by field name.
        values: BTreeMap<String, String>,
    },
}

/// An index into a question's options (a question has at most 256).
#[cfg(feature = "openapi")]
struct OptionIndex;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for OptionIndex {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(0))
            .maximum(Some(255))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for OptionIndex {}

/// What an attempt achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    /// The task is now completed and its points were awarded.
    Completed,
    /// It was completed before; nothing was awarded again.
    AlreadyCompleted,
    /// The answer was not accepted; `reason` says why.
    Failed,
}

wire_names!(AttemptOutcome {
    Completed => "completed",
    AlreadyCompleted => "already_completed",
    Failed => "failed",
});

/// The answer to a task attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskAttemptResponse {
    /// What happened.
    pub outcome: AttemptOutcome,
    /// Why a failed attempt failed, in words for the user.
    pub reason: Option<String>,
    /// Points awarded by this attempt (0 unless `completed`).
    pub points_awarded: i64,
    /// The user's standing in the campaign after the attempt.
    pub user: UserProgressView,
    /// Ids of the quests whose look the attempt changed for this user: the task's quest
    /// (unless the attempt failed) and any quest it unlocked. With `user`, what the widget
    /// needs to repaint those, without loading the campaign again.
    pub changed_quests: Vec<String>,
}

/// One line of `GET /v1/campaigns/{campaign}/activity`: a task attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityEntry {
    /// The user's account id on the partner's platform.
    pub account: String,
    /// The partner's platform name.
    pub platform: String,
    /// The task's key.
    pub task: String,
    /// `completed`, `already_completed` or `failed`.
    pub outcome: String,
    /// Why a failed attempt failed.
    pub reason: Option<String>,
    /// The Google Analytics client id the widget sent, to join with GA data.
    pub ga_client_id: Option<String>,
    /// When, Unix seconds.
    pub created_at: i64,
}
