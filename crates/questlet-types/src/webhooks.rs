//! Webhooks: the endpoints a partner registers, the events they receive, and the log of
//! each delivery.
//!
//! A delivery is a `POST` of a JSON body `{"type", "timestamp", "data"}` signed as the
//! Standard Webhooks specification says (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature`), so a partner verifies it with any of the reference libraries.

use serde::{Deserialize, Serialize};

/// What happened: an event's `type`, and the scope an endpoint subscribes to it by. New
/// features add their events here (the wire names are the stable contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventType {
    /// A user completed a task (its points awarded).
    #[serde(rename = "task.completed")]
    TaskCompleted,
    /// A user's attempt at a task failed (with the reason).
    #[serde(rename = "task.failed")]
    TaskFailed,
    /// A user's proof waits for the partner's review.
    #[serde(rename = "task.pending_review")]
    TaskPendingReview,
    /// A user completed every required task of a quest.
    #[serde(rename = "quest.completed")]
    QuestCompleted,
    /// A user completed every quest of a campaign.
    #[serde(rename = "campaign.completed")]
    CampaignCompleted,
    /// The partner awarded or deducted a user's points.
    #[serde(rename = "points.adjusted")]
    PointsAdjusted,
    /// A user claimed a reward.
    #[serde(rename = "reward.claimed")]
    RewardClaimed,
    /// A user was seen for the first time (their first attempt, claim, points adjustment
    /// or referral).
    #[serde(rename = "user.created")]
    UserCreated,
    /// A new user arrived with another's referral code.
    #[serde(rename = "referral.recorded")]
    ReferralRecorded,
    /// The test event of `POST /v1/webhooks/{id}/test` (sent to that endpoint only,
    /// whatever its scopes).
    #[serde(rename = "webhook.test")]
    WebhookTest,
}

wire_names!(EventType {
    TaskCompleted => "task.completed",
    TaskFailed => "task.failed",
    TaskPendingReview => "task.pending_review",
    QuestCompleted => "quest.completed",
    CampaignCompleted => "campaign.completed",
    PointsAdjusted => "points.adjusted",
    RewardClaimed => "reward.claimed",
    UserCreated => "user.created",
    ReferralRecorded => "referral.recorded",
    WebhookTest => "webhook.test",
});

/// What an endpoint subscribes to: an event type, or one of claimr's scope names, which
/// stands for the events it names (so a partner moving from claimr keeps their
/// subscription).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WebhookScope {
    /// `task.completed`.
    #[serde(rename = "task.completed")]
    TaskCompleted,
    /// `task.failed`.
    #[serde(rename = "task.failed")]
    TaskFailed,
    /// `task.pending_review`.
    #[serde(rename = "task.pending_review")]
    TaskPendingReview,
    /// `quest.completed`.
    #[serde(rename = "quest.completed")]
    QuestCompleted,
    /// `campaign.completed`.
    #[serde(rename = "campaign.completed")]
    CampaignCompleted,
    /// `points.adjusted`.
    #[serde(rename = "points.adjusted")]
    PointsAdjusted,
    /// `reward.claimed`.
    #[serde(rename = "reward.claimed")]
    RewardClaimed,
    /// `user.created`.
    #[serde(rename = "user.created")]
    UserCreated,
    /// `referral.recorded`.
    #[serde(rename = "referral.recorded")]
    ReferralRecorded,
    /// claimr's `user_activity`: tasks, quests and campaigns.
    #[serde(rename = "user_activity")]
    UserActivity,
    /// claimr's `user_reward`: rewards claimed and points adjusted.
    #[serde(rename = "user_reward")]
    UserReward,
    /// claimr's `referral`.
    #[serde(rename = "referral")]
    Referral,
    /// claimr's `user_login`: new users.
    #[serde(rename = "user_login")]
    UserLogin,
}

wire_names!(WebhookScope {
    TaskCompleted => "task.completed",
    TaskFailed => "task.failed",
    TaskPendingReview => "task.pending_review",
    QuestCompleted => "quest.completed",
    CampaignCompleted => "campaign.completed",
    PointsAdjusted => "points.adjusted",
    RewardClaimed => "reward.claimed",
    UserCreated => "user.created",
    ReferralRecorded => "referral.recorded",
    UserActivity => "user_activity",
    UserReward => "user_reward",
    Referral => "referral",
    UserLogin => "user_login",
});

impl WebhookScope {
    /// The event types the scope stands for.
    pub fn events(self) -> &'static [EventType] {
        use EventType as E;
        match self {
            Self::TaskCompleted => &[E::TaskCompleted],
            Self::TaskFailed => &[E::TaskFailed],
            Self::TaskPendingReview => &[E::TaskPendingReview],
            Self::QuestCompleted => &[E::QuestCompleted],
            Self::CampaignCompleted => &[E::CampaignCompleted],
            Self::PointsAdjusted => &[E::PointsAdjusted],
            Self::RewardClaimed => &[E::RewardClaimed],
            Self::UserCreated => &[E::UserCreated],
            Self::ReferralRecorded => &[E::ReferralRecorded],
            Self::UserActivity => &[
                E::TaskCompleted,
                E::TaskFailed,
                E::TaskPendingReview,
                E::QuestCompleted,
                E::CampaignCompleted,
            ],
            Self::UserReward => &[E::RewardClaimed, E::PointsAdjusted],
            Self::Referral => &[E::ReferralRecorded],
            Self::UserLogin => &[E::UserCreated],
        }
    }
}

/// `POST /v1/webhooks` and `PUT /v1/webhooks/{id}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebhookEndpointRequest {
    /// Where deliveries are `POST`ed: an absolute `https` (or `http`) URL the server's
    /// outbound policy permits.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^https?://.+", max_length = 2000)
    )]
    pub url: String,
    /// What the endpoint receives: event types (`task.completed`, ...) and claimr's scope
    /// names (`user_activity`, `user_reward`, `referral`, `user_login`), at least one.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub scopes: Vec<WebhookScope>,
    /// Only events of this campaign (its slug, which must name one of the organization's
    /// campaigns); all the organization's events without one.
    #[serde(default)]
    pub campaign: Option<String>,
    /// Whether events are delivered (default true). A disabled endpoint gets no new events.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// A note to recognise the endpoint by (at most 200 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub description: Option<String>,
}

/// A webhook endpoint (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpointView {
    /// The endpoint's id.
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// The event types it receives (claimr's scope names expanded).
    pub scopes: Vec<EventType>,
    /// The campaign (slug) its events are limited to, if any.
    pub campaign: Option<String>,
    /// Whether events are delivered.
    pub enabled: bool,
    /// The partner's note.
    pub description: Option<String>,
    /// When it was created, Unix seconds.
    pub created_at: i64,
    /// Until when the previous secret still signs deliveries too (after a rotation), Unix
    /// seconds.
    pub previous_secret_expires_at: Option<i64>,
}

/// `POST /v1/webhooks` answer: the only time the signing secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateWebhookEndpointResponse {
    /// The endpoint.
    #[serde(flatten)]
    pub endpoint: WebhookEndpointView,
    /// The signing secret (`whsec_...`), for a Standard Webhooks verifier. Store it now:
    /// it cannot be shown again.
    pub secret: String,
}

/// `POST /v1/webhooks/{id}/rotate-secret` body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RotateWebhookSecretRequest {
    /// How long the old secret keeps signing too, seconds (0 to 604800; default 86400).
    #[serde(default, deserialize_with = "crate::whole_number::option_i64")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 604_800))]
    pub grace_seconds: Option<i64>,
}

/// `POST /v1/webhooks/{id}/rotate-secret` answer: the new secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RotateWebhookSecretResponse {
    /// The new signing secret (`whsec_...`).
    pub secret: String,
    /// Until when deliveries carry the old secret's signature too, Unix seconds.
    pub previous_secret_expires_at: i64,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not delivered yet: waiting for its first try or its next retry.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Given up: the last try failed, or the endpoint refused it (a 4xx other than 408
    /// and 429). `POST .../redeliver` tries again.
    Dead,
}

wire_names!(DeliveryState {
    Pending => "pending",
    Delivered => "delivered",
    Dead => "dead",
});

/// One try of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryAttemptView {
    /// When it was sent, Unix seconds.
    pub at: i64,
    /// The endpoint's status code; none when there was no answer.
    pub status: Option<i64>,
    /// Why there was no answer (timeout, refused, ...).
    pub error: Option<String>,
    /// How long it took, milliseconds.
    pub latency_ms: i64,
    /// The start of the answer's body (at most 1,000 characters).
    pub response: Option<String>,
}

/// A delivery of one event to one endpoint, with its tries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDeliveryView {
    /// The delivery's id.
    pub id: String,
    /// The event's id: the `webhook-id` header, the same on every try.
    pub event_id: String,
    /// The event's type.
    pub event_type: EventType,
    /// Where it stands.
    pub state: DeliveryState,
    /// When the next try is due, Unix seconds (pending deliveries).
    pub next_attempt_at: Option<i64>,
    /// When the event happened, Unix seconds.
    pub created_at: i64,
    /// Its tries, the latest first.
    pub attempts: Vec<DeliveryAttemptView>,
}

/// `POST /v1/webhooks/{id}/test` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookTestResponse {
    /// The test event's delivery (see `GET /v1/webhooks/{id}/deliveries`).
    pub delivery_id: String,
    /// The test event's id.
    pub event_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for event in EventType::ALL {
            let json = serde_json_string(event.as_str());
            assert_eq!(serde_json::to_string(event).unwrap(), json, "{event:?}");
        }
        for scope in WebhookScope::ALL {
            let json = serde_json_string(scope.as_str());
            assert_eq!(serde_json::to_string(scope).unwrap(), json, "{scope:?}");
        }
        for state in DeliveryState::ALL {
            let json = serde_json_string(state.as_str());
            assert_eq!(serde_json::to_string(state).unwrap(), json);
        }
    }

    fn serde_json_string(name: &str) -> String {
        format!("\"{name}\"")
    }
}
