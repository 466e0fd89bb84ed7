//! Social tasks: join a Telegram chat or a Discord server, follow or repost on X,
//! subscribe on YouTube, follow on TikTok. The widget shows each as a link to open; the
//! server then checks with the network's own API where the partner configured a
//! credential and the user is signed in with that network (their token's platform is the
//! network's name and their account their id there), and otherwise treats it as a visit.
//!
//! Every network's base URL is configurable ([`SocialApis`]), and every call goes through
//! the outbound guard (`outbound/`), so tests run against local stand-ins that speak each
//! API's real request and response format.

mod discord;
mod telegram;
mod tiktok;
mod x;
mod youtube;

use questlet_types::TaskConfig;

use super::Rejection;
use crate::auth::extract::UserAuth;
use crate::outbound::{OutboundError, OutboundResponse};
use crate::AppState;

/// The base URLs of the networks' APIs (each without a trailing slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocialApis {
    /// Telegram's Bot API.
    pub telegram: String,
    /// Discord's HTTP API, with its version.
    pub discord: String,
    /// X's API (v2 paths are appended).
    pub x: String,
    /// The YouTube Data API, with its version.
    pub youtube: String,
    /// TikTok's API (v2 paths are appended).
    pub tiktok: String,
}

/// Telegram's Bot API.
pub const TELEGRAM_API: &str = "https://api.telegram.org";
/// Discord's API, version 10.
pub const DISCORD_API: &str = "https://discord.com/api/v10";
/// X's API.
pub const X_API: &str = "https://api.x.com";
/// The YouTube Data API, version 3.
pub const YOUTUBE_API: &str = "https://www.googleapis.com/youtube/v3";
/// TikTok's API.
pub const TIKTOK_API: &str = "https://open.tiktokapis.com";

impl Default for SocialApis {
    /// The networks' own APIs.
    fn default() -> Self {
        Self {
            telegram: TELEGRAM_API.into(),
            discord: DISCORD_API.into(),
            x: X_API.into(),
            youtube: YOUTUBE_API.into(),
            tiktok: TIKTOK_API.into(),
        }
    }
}

/// What a social task checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The user is a member of a Telegram chat.
    TelegramMember,
    /// The user boosts a Telegram channel.
    TelegramBooster,
    /// The user is a member of a Discord server.
    DiscordMember,
    /// The user follows an X account.
    XFollows,
    /// The user reposted an X post.
    XReposted,
    /// The user is subscribed to a YouTube channel.
    YoutubeSubscribed,
    /// The user follows a TikTok account.
    TiktokFollows,
}

impl Check {
    /// The platform name of the users this check can ask about (their account is their id
    /// on the network).
    pub fn platform(self) -> &'static str {
        match self {
            Check::TelegramMember | Check::TelegramBooster => "telegram",
            Check::DiscordMember => "discord",
            Check::XFollows | Check::XReposted => "x",
            Check::YoutubeSubscribed => "youtube",
            Check::TiktokFollows => "tiktok",
        }
    }

    /// The network's name, for the user.
    fn network(self) -> &'static str {
        match self {
            Check::TelegramMember | Check::TelegramBooster => "Telegram",
            Check::DiscordMember => "Discord",
            Check::XFollows | Check::XReposted => "X",
            Check::YoutubeSubscribed => "YouTube",
            Check::TiktokFollows => "TikTok",
        }
    }

    /// What the user has not done yet, for the user.
    fn not_yet(self) -> &'static str {
        match self {
            Check::TelegramMember | Check::DiscordMember => {
                "Not done yet: join first, then check again."
            }
            Check::TelegramBooster => "Not done yet: boost the channel first, then check again.",
            Check::XFollows | Check::TiktokFollows => {
                "Not done yet: follow the account first, then check again."
            }
            Check::XReposted => "Not done yet: repost the post first, then check again.",
            Check::YoutubeSubscribed => "Not done yet: subscribe first, then check again.",
        }
    }
}

/// A social task's settings, whatever its network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocialTask<'a> {
    /// What it checks.
    pub check: Check,
    /// The link the user opens.
    pub url: &'a str,
    /// Whom or what the user must join, follow or repost (a chat, a guild, an account...).
    pub target: &'a str,
    /// The partner's credential for the network's API; none: the task is a visit.
    pub credential: Option<&'a str>,
    /// The settings field of `target`, for errors.
    pub target_field: &'static str,
    /// The settings field of `credential`, for errors.
    pub credential_field: &'static str,
}

impl<'a> SocialTask<'a> {
    /// The social task of `config`, if it is one.
    pub fn of(config: &'a TaskConfig) -> Option<Self> {
        let (check, url, target, credential, target_field, credential_field) = match config {
            TaskConfig::TelegramJoin {
                url,
                chat,
                bot_token,
            } => (
                Check::TelegramMember,
                url,
                chat,
                bot_token,
                "chat",
                "bot_token",
            ),
            TaskConfig::TelegramBoost {
                url,
                chat,
                bot_token,
            } => (
                Check::TelegramBooster,
                url,
                chat,
                bot_token,
                "chat",
                "bot_token",
            ),
            TaskConfig::DiscordJoin {
                url,
                guild,
                bot_token,
            } => (
                Check::DiscordMember,
                url,
                guild,
                bot_token,
                "guild",
                "bot_token",
            ),
            TaskConfig::XFollow {
                url,
                account,
                bearer_token,
            } => (
                Check::XFollows,
                url,
                account,
                bearer_token,
                "account",
                "bearer_token",
            ),
            TaskConfig::XRepost {
                url,
                post,
                bearer_token,
            } => (
                Check::XReposted,
                url,
                post,
                bearer_token,
                "post",
                "bearer_token",
            ),
            TaskConfig::YoutubeSubscribe {
                url,
                channel,
                api_key,
            } => (
                Check::YoutubeSubscribed,
                url,
                channel,
                api_key,
                "channel",
                "api_key",
            ),
            TaskConfig::TiktokFollow {
                url,
                username,
                access_token,
            } => (
                Check::TiktokFollows,
                url,
                username,
                access_token,
                "username",
                "access_token",
            ),
            _ => return None,
        };
        Some(Self {
            check,
            url,
            target,
            credential: credential.as_deref(),
            target_field,
            credential_field,
        })
    }
}

/// Why a network's answer could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SocialError {
    /// The call failed (refused by the guard, timed out, too large, unreachable).
    #[error(transparent)]
    Outbound(#[from] OutboundError),
    /// The network answered something other than its documented yes or no.
    #[error("unexpected answer {status}: {body}")]
    Unexpected {
        /// The answer's status.
        status: u16,
        /// The start of its body.
        body: String,
    },
}

impl SocialError {
    /// The error for an answer that is neither the API's yes nor its no.
    fn unexpected(answer: &OutboundResponse) -> Self {
        let body = String::from_utf8_lossy(&answer.body);
        SocialError::Unexpected {
            status: answer.status.as_u16(),
            body: body.chars().take(200).collect(),
        }
    }
}

/// What a network said about the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The user did it.
    Done,
    /// The user did not (yet).
    NotYet,
    /// The network cannot tell, for a reason the user can act on.
    Refused(String),
}

/// Checks a social task for `user`: with the network's API when the partner gave a
/// credential, else as a visit (done).
pub async fn verify(
    state: &AppState,
    task: &SocialTask<'_>,
    user: &UserAuth,
) -> Result<(), Rejection> {
    let Some(credential) = task.credential else {
        return Ok(());
    };
    let check = task.check;
    if user.platform != check.platform() {
        return Err(Rejection(format!(
            "Sign in with {} to check this task.",
            check.network()
        )));
    }
    let apis = &state.config.social;
    let account = user.account.as_str();
    let asked = match check {
        Check::TelegramMember => {
            telegram::is_member(state, &apis.telegram, credential, task.target, account).await
        }
        Check::TelegramBooster => {
            telegram::boosts(state, &apis.telegram, credential, task.target, account).await
        }
        Check::DiscordMember => {
            discord::is_member(state, &apis.discord, credential, task.target, account).await
        }
        Check::XFollows => x::follows(state, &apis.x, credential, account, task.target).await,
        Check::XReposted => x::reposted(state, &apis.x, credential, task.target, account).await,
        Check::YoutubeSubscribed => {
            youtube::is_subscribed(state, &apis.youtube, credential, account, task.target).await
        }
        Check::TiktokFollows => {
            tiktok::follows(state, &apis.tiktok, credential, account, task.target).await
        }
    };
    match asked {
        Ok(Verdict::Done) => Ok(()),
        Ok(Verdict::NotYet) => Err(Rejection(check.not_yet().into())),
        Ok(Verdict::Refused(reason)) => Err(Rejection(reason)),
        Err(SocialError::Outbound(OutboundError::Timeout(_))) => {
            Err(Rejection(super::http_request::TOO_SLOW.into()))
        }
        Err(error) => {
            // The partner's setup or the network: logged for the operator, not the user.
            tracing::warn!(%error, network = check.network(), "a social task's check failed");
            Err(Rejection(format!(
                "{} could not be asked: try again later.",
                check.network()
            )))
        }
    }
}

/// `base` with `segments` appended to its path and `query` set.
fn api_url(base: &str, segments: &[&str], query: &[(&str, &str)]) -> Result<String, SocialError> {
    let mut url =
        reqwest::Url::parse(base).map_err(|_| SocialError::Outbound(OutboundError::BadUrl))?;
    url.path_segments_mut()
        .map_err(|_| SocialError::Outbound(OutboundError::BadUrl))?
        .pop_if_empty()
        .extend(segments);
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url.into())
}

/// The JSON of a 2xx answer.
fn json_body(answer: &OutboundResponse) -> Result<serde_json::Value, SocialError> {
    serde_json::from_slice(&answer.body).map_err(|_| SocialError::unexpected(answer))
}

/// Most pages a check reads of a paginated list before it says no.
const MOST_PAGES: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_urls_escape_their_parts() {
        assert_eq!(
            api_url(
                "https://api.example/v1/",
                &["bot1:AB", "getChatMember"],
                &[("chat_id", "@a b")]
            )
            .unwrap(),
            "https://api.example/v1/bot1:AB/getChatMember?chat_id=%40a+b"
        );
        assert_eq!(
            api_url("http://127.0.0.1:9/api", &["guilds", "1/2"], &[]).unwrap(),
            "http://127.0.0.1:9/api/guilds/1%2F2"
        );
    }

    #[test]
    fn every_social_config_is_a_social_task_and_no_other_is() {
        let telegram = TaskConfig::TelegramJoin {
            url: "https://t.me/a".into(),
            chat: "@a".into(),
            bot_token: None,
        };
        let task = SocialTask::of(&telegram).unwrap();
        assert_eq!(task.check, Check::TelegramMember);
        assert_eq!(task.credential, None);
        assert!(SocialTask::of(&TaskConfig::VisitLink {
            url: "https://a".into()
        })
        .is_none());
    }
}
