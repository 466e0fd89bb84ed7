//! X: the API v2's follows and reposts lookups (`GET /2/users/{id}/following`,
//! `GET /2/tweets/{id}/retweeted_by`), with the partner's app bearer token. Both lists are
//! paginated (`meta.next_token`, sent back as `pagination_token`).

use super::{api_url, json_body, SocialError, Verdict, MOST_PAGES};
use crate::AppState;

/// Whether X user `user` follows account `account` (both user ids).
pub(super) async fn follows(
    state: &AppState,
    base: &str,
    token: &str,
    user: &str,
    account: &str,
) -> Result<Verdict, SocialError> {
    let path = ["2", "users", user, "following"];
    list_has(state, base, token, &path, "1000", account).await
}

/// Whether X user `user` reposted post `post`.
pub(super) async fn reposted(
    state: &AppState,
    base: &str,
    token: &str,
    post: &str,
    user: &str,
) -> Result<Verdict, SocialError> {
    let path = ["2", "tweets", post, "retweeted_by"];
    list_has(state, base, token, &path, "100", user).await
}

/// Whether the paginated list of users at `path` has user id `id`.
async fn list_has(
    state: &AppState,
    base: &str,
    token: &str,
    path: &[&str],
    page_size: &str,
    id: &str,
) -> Result<Verdict, SocialError> {
    let headers = [("authorization", format!("Bearer {token}"))];
    let mut next: Option<String> = None;
    for _ in 0..MOST_PAGES {
        let mut query = vec![("max_results", page_size)];
        if let Some(token) = &next {
            query.push(("pagination_token", token));
        }
        let url = api_url(base, path, &query)?;
        let answer = state.outbound.get(&url, &headers).await?;
        if !answer.status.is_success() {
            return Err(SocialError::unexpected(&answer));
        }
        let body = json_body(&answer)?;
        let users = body["data"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if users.iter().any(|u| u["id"] == id) {
            return Ok(Verdict::Done);
        }
        match body["meta"]["next_token"].as_str() {
            Some(token) => next = Some(token.to_owned()),
            None => break,
        }
    }
    Ok(Verdict::NotYet)
}
