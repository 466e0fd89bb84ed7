//! Telegram Mini Apps: the bots a partner registers, and signing a user in from the Mini
//! App's `initData`.

use serde::{Deserialize, Serialize};

/// `POST /v1/telegram/bots` body: a bot by its token (which lets the server check
/// `initData`'s `hash` and call the Bot API for Telegram tasks), or by its id alone (then
/// `initData` is checked by Telegram's Ed25519 `signature`, and the token never leaves the
/// partner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateTelegramBot {
    /// The bot's token from @BotFather (`<bot id>:<secret>`). Never shown again.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[1-9][0-9]{0,17}:[A-Za-z0-9_-]{1,200}$")
    )]
    #[serde(default)]
    pub token: Option<String>,
    /// The bot's id, when no token is given (the number before the token's `:`).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    #[serde(default, deserialize_with = "crate::whole_number::option_i64")]
    pub bot_id: Option<i64>,
    /// A label to recognise the bot by (at most 100 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    #[serde(default)]
    pub label: Option<String>,
}

/// A registered bot (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TelegramBotView {
    /// Its id here (to delete it by).
    pub id: String,
    /// Telegram's id of the bot.
    pub bot_id: i64,
    /// The label.
    pub label: String,
    /// Whether the partner shared the bot's token.
    pub has_token: bool,
    /// When it was registered, Unix seconds.
    pub created_at: i64,
}

/// `POST /v1/widget/{organization}/telegram/sign-in` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TelegramSignIn {
    /// `Telegram.WebApp.initData`, exactly as the Mini App received it.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 8192))]
    pub init_data: String,
}
