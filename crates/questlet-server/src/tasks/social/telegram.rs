//! Telegram: `getChatMember` and `getUserChatBoosts` of the Bot API
//! (<https://core.telegram.org/bots/api#getchatmember>,
//! <https://core.telegram.org/bots/api#getuserchatboosts>). The partner's bot must be an
//! administrator of the chat to see its members and boosts.

use super::{api_url, json_body, SocialError, Verdict};
use crate::outbound::OutboundResponse;
use crate::AppState;

/// Whether Telegram user `user` is a member of `chat` (an id or `@username`), asked as the
/// bot with `token`.
pub(super) async fn is_member(
    state: &AppState,
    base: &str,
    token: &str,
    chat: &str,
    user: &str,
) -> Result<Verdict, SocialError> {
    let (answer, body) = ask(state, base, token, "getChatMember", chat, user).await?;
    if body["ok"] == true {
        let result = &body["result"];
        let member = match result["status"].as_str() {
            Some("creator" | "administrator" | "member") => true,
            // A restricted user may still be in the chat.
            Some("restricted") => result["is_member"] == true,
            Some("left" | "kicked") => false,
            _ => return Err(SocialError::unexpected(&answer)),
        };
        return Ok(if member {
            Verdict::Done
        } else {
            Verdict::NotYet
        });
    }
    // A user the chat has never seen is "user not found" (400).
    let description = body["description"].as_str().unwrap_or_default();
    if answer.status == 400 && description.contains("user not found") {
        return Ok(Verdict::NotYet);
    }
    Err(SocialError::unexpected(&answer))
}

/// Whether Telegram user `user` boosts channel `chat` (an id or `@username`): at least one
/// of their boosts is active, asked as the bot with `token`.
pub(super) async fn boosts(
    state: &AppState,
    base: &str,
    token: &str,
    chat: &str,
    user: &str,
) -> Result<Verdict, SocialError> {
    let (answer, body) = ask(state, base, token, "getUserChatBoosts", chat, user).await?;
    if body["ok"] != true {
        return Err(SocialError::unexpected(&answer));
    }
    let Some(boosts) = body["result"]["boosts"].as_array() else {
        return Err(SocialError::unexpected(&answer));
    };
    // Telegram lists the user's active boosts only; an expired one would not count.
    let now = crate::time::now();
    let active = boosts.iter().any(|boost| {
        boost["expiration_date"]
            .as_i64()
            .is_none_or(|until| until > now)
    });
    Ok(if active {
        Verdict::Done
    } else {
        Verdict::NotYet
    })
}

/// Calls Bot API `method` about `user` in `chat` as the bot with `token`: the answer, and
/// its JSON body.
async fn ask(
    state: &AppState,
    base: &str,
    token: &str,
    method: &str,
    chat: &str,
    user: &str,
) -> Result<(OutboundResponse, serde_json::Value), SocialError> {
    let url = api_url(
        base,
        &[&format!("bot{token}"), method],
        &[("chat_id", chat), ("user_id", user)],
    )?;
    let answer = state.outbound.get(&url, &[]).await?;
    let body = json_body(&answer)?;
    Ok((answer, body))
}
