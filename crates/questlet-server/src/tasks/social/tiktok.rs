//! TikTok: the Research API's following list (`POST /v2/research/user/following/`,
//! <https://developers.tiktok.com/doc/research-api-specs-query-user-following>), with the
//! partner's client access token. Paginated by `cursor` while `has_more`.

use serde_json::json;

use super::{api_url, json_body, SocialError, Verdict, MOST_PAGES};
use crate::AppState;

/// Whether TikTok user `user` follows `username` (both usernames).
pub(super) async fn follows(
    state: &AppState,
    base: &str,
    token: &str,
    user: &str,
    username: &str,
) -> Result<Verdict, SocialError> {
    let url = api_url(
        base,
        &["v2", "research", "user", "following", ""],
        &[("fields", "display_name,username")],
    )?;
    let headers = [("authorization", format!("Bearer {token}"))];
    let mut cursor: i64 = 0;
    for _ in 0..MOST_PAGES {
        let body = json!({"username": user, "max_count": 100, "cursor": cursor});
        let body = serde_json::to_vec(&body).expect("a JSON value serializes");
        let answer = state.outbound.post_json(&url, &headers, body).await?;
        let reply = json_body(&answer)?;
        if !answer.status.is_success() || reply["error"]["code"] != "ok" {
            return Err(SocialError::unexpected(&answer));
        }
        let data = &reply["data"];
        let following = data["user_following"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if following.iter().any(|u| u["username"] == username) {
            return Ok(Verdict::Done);
        }
        match (data["has_more"].as_bool(), data["cursor"].as_i64()) {
            (Some(true), Some(next)) if next != cursor => cursor = next,
            _ => break,
        }
    }
    Ok(Verdict::NotYet)
}
