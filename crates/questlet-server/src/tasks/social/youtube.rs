//! YouTube: `subscriptions.list` of the Data API v3 with `channelId` (the user's channel)
//! and `forChannelId` (the partner's), with the partner's API key
//! (<https://developers.google.com/youtube/v3/docs/subscriptions/list>). It sees only
//! public subscriptions.

use super::{api_url, json_body, SocialError, Verdict};
use crate::AppState;

/// Whether the YouTube channel `user` is subscribed to channel `channel`.
pub(super) async fn is_subscribed(
    state: &AppState,
    base: &str,
    key: &str,
    user: &str,
    channel: &str,
) -> Result<Verdict, SocialError> {
    let url = api_url(
        base,
        &["subscriptions"],
        &[
            ("part", "id"),
            ("channelId", user),
            ("forChannelId", channel),
            ("key", key),
        ],
    )?;
    let answer = state.outbound.get(&url, &[]).await?;
    let body = json_body(&answer)?;
    if answer.status.is_success() {
        let found = body["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty());
        return Ok(if found {
            Verdict::Done
        } else {
            Verdict::NotYet
        });
    }
    if body["error"]["errors"][0]["reason"] == "subscriptionForbidden" {
        return Ok(Verdict::Refused(
            "Your YouTube subscriptions are private: make them public, then check again.".into(),
        ));
    }
    Err(SocialError::unexpected(&answer))
}
