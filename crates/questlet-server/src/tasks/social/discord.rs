//! Discord: Get Guild Member (`GET /guilds/{guild.id}/members/{user.id}`,
//! <https://discord.com/developers/docs/resources/guild#get-guild-member>), as the
//! partner's bot, which must be in the server.

use super::{api_url, json_body, SocialError, Verdict};
use crate::AppState;

/// Discord's error code for a user who is not a member.
const UNKNOWN_MEMBER: i64 = 10007;

/// Whether Discord user `user` is a member of guild `guild`, asked as the bot with `token`.
pub(super) async fn is_member(
    state: &AppState,
    base: &str,
    token: &str,
    guild: &str,
    user: &str,
) -> Result<Verdict, SocialError> {
    let url = api_url(base, &["guilds", guild, "members", user], &[])?;
    let headers = [("authorization", format!("Bot {token}"))];
    let answer = state.outbound.get(&url, &headers).await?;
    if answer.status.is_success() {
        let body = json_body(&answer)?;
        return match body["user"]["id"].as_str() {
            Some(id) if id == user => Ok(Verdict::Done),
            _ => Err(SocialError::unexpected(&answer)),
        };
    }
    if answer.status == 404 && json_body(&answer)?["code"] == UNKNOWN_MEMBER {
        return Ok(Verdict::NotYet);
    }
    Err(SocialError::unexpected(&answer))
}
