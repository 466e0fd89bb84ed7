//! Questlet's wire types: every JSON body that crosses between the widget, the server and a
//! partner's backend.
//!
//! Architecture invariant: this crate depends on `serde` only (plus `utoipa` behind the
//! server-only `openapi` feature). It knows nothing of axum, sqlx or leptos, and it builds for
//! both `wasm32-unknown-unknown` and the host, so the widget and the server share one
//! definition of each request and response.

/// Declares the wire names of a unit enum once: `ALL`, `as_str` and `parse` all come from
/// this one list, so the server, the widget's readers and the tests cannot disagree on them.
/// (The serde derive writes the same names; `tests` below checks each one.)
macro_rules! wire_names {
    ($type:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $type {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$type] = &[$($type::$variant),*];

            /// The wire and stored name of the variant.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($type::$variant => $name,)*
                }
            }

            /// The variant whose wire name is `name`.
            pub fn parse(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|variant| variant.as_str() == name)
            }
        }
    };
}

pub mod attempt;
pub mod auth;
pub mod campaign_document;
pub mod error;
pub mod leaderboard;
pub mod members;
pub mod partner;
pub mod recurrence;
pub mod results;
pub mod rewards;
pub mod slug;
pub mod task;
pub mod telegram;
pub mod wallet;
pub mod webhooks;
pub mod whole_number;
pub mod widget;

pub use campaign_document::{CampaignDocument, CampaignStatus, TaskConfig, TokenAmount};
pub use error::ErrorResponse;
pub use recurrence::Recurrence;
pub use task::{ProofKind, TaskKind, TaskPublicSettings};
pub use widget::{
    CampaignView, GroupView, PopupView, QuestStatus, QuestView, ReviewState, TaskAgain, TaskReview,
    TaskStreak, TaskView, TextView, UserProgressView, WidgetCampaignResponse,
};

#[cfg(test)]
mod tests {
    use super::attempt::AttemptOutcome;
    use super::leaderboard::LeaderboardPeriod;
    use super::members::MemberRole;
    use super::rewards::{ConditionKind, RewardKind};
    use super::{CampaignStatus, ProofKind, QuestStatus, ReviewState, TaskKind};

    /// serde's derived names and [`wire_names!`]'s are the same, variant by variant.
    fn same_names<T: serde::Serialize + Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
    ) {
        assert!(!all.is_empty());
        for &variant in all {
            let json = serde_json::to_string(&variant).unwrap();
            assert_eq!(json, format!("\"{}\"", as_str(variant)));
            assert_eq!(parse(as_str(variant)), Some(variant));
        }
        assert_eq!(parse("no-such-name"), None);
    }

    #[test]
    fn wire_names_match_serde_for_every_variant() {
        same_names(
            AttemptOutcome::ALL,
            AttemptOutcome::as_str,
            AttemptOutcome::parse,
        );
        same_names(
            CampaignStatus::ALL,
            CampaignStatus::as_str,
            CampaignStatus::parse,
        );
        same_names(TaskKind::ALL, TaskKind::as_str, TaskKind::parse);
        same_names(QuestStatus::ALL, QuestStatus::as_str, QuestStatus::parse);
        same_names(ReviewState::ALL, ReviewState::as_str, ReviewState::parse);
        same_names(ProofKind::ALL, ProofKind::as_str, ProofKind::parse);
        same_names(
            LeaderboardPeriod::ALL,
            LeaderboardPeriod::as_str,
            LeaderboardPeriod::parse,
        );
        same_names(RewardKind::ALL, RewardKind::as_str, RewardKind::parse);
        same_names(
            ConditionKind::ALL,
            ConditionKind::as_str,
            ConditionKind::parse,
        );
        same_names(MemberRole::ALL, MemberRole::as_str, MemberRole::parse);
    }
}
