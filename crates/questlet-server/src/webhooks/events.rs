//! The events the outbox stores: each one's body, `{"type", "timestamp", "data"}` as
//! Standard Webhooks suggests, built once when the event happens.

use questlet_types::attempt::AttemptOutcome;
use questlet_types::webhooks::EventType;
use serde_json::{json, Value};

use crate::db::points::NewAdjustment;
use crate::db::progress::{NewAttempt, UserKey};
use crate::db::rewards::NewClaim;
use crate::db::webhooks::NewEvent;

/// An event of `organization_id` (in `campaign_id`, if it happened in one) at `at`, Unix
/// seconds, with `data`.
pub fn event(
    organization_id: &str,
    campaign_id: Option<&str>,
    event_type: EventType,
    at: i64,
    data: Value,
) -> NewEvent {
    let timestamp = jiff::Timestamp::from_second(at)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let body = json!({
        "type": event_type.as_str(),
        "timestamp": timestamp,
        "data": data,
    });
    NewEvent {
        organization_id: organization_id.to_owned(),
        campaign_id: campaign_id.map(str::to_owned),
        event_type,
        body: body.to_string(),
        at,
        only_endpoint: None,
    }
}

/// The user's part of an event's data.
pub fn user(user: &UserKey) -> Value {
    json!({"account": user.account, "platform": user.platform})
}

/// What an attempt did, as the partner's webhooks hear it: `task.completed` (with the
/// points awarded), `task.failed` (with the reason) or `task.pending_review`; nothing for
/// a task completed already.
pub fn attempt_event(
    attempt: &NewAttempt,
    outcome: AttemptOutcome,
    points: i64,
    reason: Option<&String>,
) -> Option<NewEvent> {
    let event_type = match outcome {
        AttemptOutcome::Completed => EventType::TaskCompleted,
        AttemptOutcome::Failed => EventType::TaskFailed,
        AttemptOutcome::Pending => EventType::TaskPendingReview,
        AttemptOutcome::AlreadyCompleted => return None,
    };
    let mut data = json!({
        "campaign_id": attempt.campaign_id,
        "task_id": attempt.task_id,
        "user": user(&attempt.user),
        "ga_client_id": attempt.ga_client_id,
    });
    match outcome {
        AttemptOutcome::Completed => data["points"] = json!(points),
        AttemptOutcome::Failed => data["reason"] = json!(reason),
        _ => {}
    }
    Some(event(
        &attempt.user.organization_id,
        Some(&attempt.campaign_id),
        event_type,
        attempt.at,
        data,
    ))
}

/// `quest.completed`: `attempt` completed the last task that decides quest `quest_id`.
pub fn quest_completed(attempt: &NewAttempt, quest_id: &str) -> NewEvent {
    let data = json!({
        "campaign_id": attempt.campaign_id,
        "quest_id": quest_id,
        "task_id": attempt.task_id,
        "user": user(&attempt.user),
    });
    event(
        &attempt.user.organization_id,
        Some(&attempt.campaign_id),
        EventType::QuestCompleted,
        attempt.at,
        data,
    )
}

/// `campaign.completed`: `attempt` completed the last quest of its campaign.
pub fn campaign_completed(attempt: &NewAttempt) -> NewEvent {
    let data = json!({
        "campaign_id": attempt.campaign_id,
        "task_id": attempt.task_id,
        "user": user(&attempt.user),
    });
    event(
        &attempt.user.organization_id,
        Some(&attempt.campaign_id),
        EventType::CampaignCompleted,
        attempt.at,
        data,
    )
}

/// `points.adjusted`: the partner moved a user's points by `applied` (of the points asked
/// for), leaving them `points_after`.
pub fn points_adjusted(adjustment: &NewAdjustment, applied: i64, points_after: i64) -> NewEvent {
    let data = json!({
        "campaign_id": adjustment.campaign_id,
        "user": user(&adjustment.user),
        "reward_id": adjustment.reward_id,
        "requested": adjustment.points,
        "applied": applied,
        "points_after": points_after,
        "reason": adjustment.reason,
    });
    event(
        &adjustment.user.organization_id,
        Some(&adjustment.campaign_id),
        EventType::PointsAdjusted,
        adjustment.at,
        data,
    )
}

/// `reward.claimed`: a user claimed a reward (with the gift code they were given).
pub fn reward_claimed(claim: &NewClaim<'_>, code: Option<&str>, at: i64) -> NewEvent {
    let data = json!({
        "campaign_id": claim.campaign_id,
        "reward": claim.reward_key,
        "user": user(claim.user),
        "points": claim.points,
        "code": code,
    });
    event(
        &claim.user.organization_id,
        Some(claim.campaign_id),
        EventType::RewardClaimed,
        at,
        data,
    )
}

/// `user.created`: a user seen for the first time (in campaign `campaign_id`, when they
/// arrived through one).
pub fn user_created(user: &UserKey, campaign_id: Option<&str>, at: i64) -> NewEvent {
    let data = json!({"campaign_id": campaign_id, "user": self::user(user)});
    event(
        &user.organization_id,
        campaign_id,
        EventType::UserCreated,
        at,
        data,
    )
}

/// `referral.recorded`: `user` arrived at campaign `campaign_id` with `code`, the referral
/// code of `referrer` (platform, account) when one of the organization's users holds it.
pub fn referral_recorded(
    user: &UserKey,
    campaign_id: &str,
    code: &str,
    referrer: Option<(String, String)>,
    at: i64,
) -> NewEvent {
    let referrer =
        referrer.map(|(platform, account)| json!({"account": account, "platform": platform}));
    let data = json!({
        "campaign_id": campaign_id,
        "user": self::user(user),
        "referral_code": code,
        "referrer": referrer,
    });
    event(
        &user.organization_id,
        Some(campaign_id),
        EventType::ReferralRecorded,
        at,
        data,
    )
}

/// `webhook.test` for endpoint `endpoint_id` of `organization_id`.
pub fn test_event(organization_id: &str, endpoint_id: &str, at: i64) -> NewEvent {
    let data = json!({"endpoint_id": endpoint_id, "message": "A test event from Questlet."});
    NewEvent {
        only_endpoint: Some(endpoint_id.to_owned()),
        ..event(organization_id, None, EventType::WebhookTest, at, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_has_type_timestamp_and_data() {
        let made = event(
            "o",
            Some("c"),
            EventType::TaskCompleted,
            1_700_000_000,
            json!({"x": 1}),
        );
        let body: Value = serde_json::from_str(&made.body).unwrap();
        assert_eq!(
            body,
            json!({"type": "task.completed", "timestamp": "2023-11-14T22:13:20Z", "data": {"x": 1}})
        );
    }
}
