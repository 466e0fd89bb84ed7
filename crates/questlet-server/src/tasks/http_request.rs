//! HTTP request: the server asks the partner's URL whether the user did the task. The call
//! is signed as Standard Webhooks are (`outbound/signature.rs`), so the partner can trust
//! it, and goes through the outbound guard (`outbound/`). The task is done when the
//! partner answers a 2xx whose body is not `0`, `"0"` or `false` (claimr's rule).

use serde_json::json;

use super::Rejection;
use crate::outbound::{signature, OutboundError};
use crate::AppState;

/// Whom and what the partner is asked about.
#[derive(Debug, Clone)]
pub struct Check<'a> {
    /// The organization's slug.
    pub organization: &'a str,
    /// The campaign's slug.
    pub campaign: &'a str,
    /// The quest's key.
    pub quest: &'a str,
    /// The task's key.
    pub task: &'a str,
    /// The user's account on the partner's platform.
    pub account: &'a str,
    /// The partner's platform name.
    pub platform: &'a str,
}

/// Asks `url` (signing with `secret`) whether the user of `check` did the task.
pub async fn verify(
    state: &AppState,
    url: &str,
    secret: &str,
    check: Check<'_>,
) -> Result<(), Rejection> {
    let unreachable = || Rejection(UNREACHABLE.into());
    let key = signature::secret_key(secret).ok_or_else(unreachable)?;
    let now = crate::time::now();
    let timestamp = jiff::Timestamp::from_second(now)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let body = json!({
        "type": "task.check",
        "timestamp": timestamp,
        "data": {
            "organization": check.organization,
            "campaign": check.campaign,
            "quest": check.quest,
            "task": check.task,
            "account": check.account,
            "platform": check.platform,
        },
    });
    let body = serde_json::to_vec(&body).map_err(|_| unreachable())?;
    let id = format!("msg_{}", crate::db::new_id());
    let headers = signature::headers(&[key], &id, now, &body);
    match state.outbound.post_json(url, &headers, body).await {
        Ok(answer) if answer.status.is_success() && !says_no(&answer.body) => Ok(()),
        Ok(_) => Err(Rejection(NOT_YET.into())),
        Err(OutboundError::Timeout(_)) => Err(Rejection(TOO_SLOW.into())),
        Err(error) => {
            // The partner's problem or the operator's: logged for them, not told the user.
            tracing::warn!(%error, url, task = check.task, "an HTTP request task's check failed");
            Err(unreachable())
        }
    }
}

/// Whether an answer's body says no: `0`, `"0"` or `false`.
fn says_no(body: &[u8]) -> bool {
    matches!(body.trim_ascii(), b"0" | b"\"0\"" | b"false")
}

/// The partner answered, and not yes.
pub const NOT_YET: &str = "Not done yet: the check says this task is not completed.";

/// The partner did not answer in time.
pub const TOO_SLOW: &str = "The check did not answer in time: try again in a moment.";

/// The partner could not be asked.
pub const UNREACHABLE: &str = "The check could not be reached: try again later.";

#[cfg(test)]
mod tests {
    use super::says_no;

    #[test]
    fn zero_and_false_say_no_and_anything_else_yes() {
        for no in [&b"0"[..], b"\"0\"", b"false", b" false\n"] {
            assert!(says_no(no));
        }
        for yes in [&b""[..], b"1", b"true", b"{\"ok\":true}", b"00", b"False"] {
            assert!(!says_no(yes));
        }
    }
}
