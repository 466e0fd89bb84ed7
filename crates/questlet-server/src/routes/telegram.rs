//! Telegram: the bots an organization registers (admin API), and signing a Mini App's user
//! in from its `initData` (widget API; the checks are in `auth/telegram.rs`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use questlet_types::auth::UserTokenResponse;
use questlet_types::telegram::{CreateTelegramBot, TelegramBotView, TelegramSignIn};

use crate::auth::extract::{OwnerAuth, UserAuth};
use crate::auth::identity::{self, Identity};
use crate::auth::jwt;
use crate::auth::telegram::{bot_id_of_token, BotKey, InitData};
use crate::db::telegram::{TelegramBotRow, TELEGRAM};
use crate::error::AppError;
use crate::json::AppJson;
use crate::tasks::referral;
use crate::AppState;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let widget = Router::new()
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}/telegram/sign-in",
            post(create_telegram_session),
        )
        .layer(crate::cors::widget_cors(state.clone()));
    Router::new()
        .route(
            "/v1/telegram/bots",
            get(list_telegram_bots).post(create_telegram_bot),
        )
        .route("/v1/telegram/bots/{id}", delete(delete_telegram_bot))
        .merge(widget)
}

impl From<TelegramBotRow> for TelegramBotView {
    fn from(row: TelegramBotRow) -> Self {
        TelegramBotView {
            id: row.id,
            bot_id: row.bot_id,
            label: row.label,
            has_token: row.token.is_some(),
            created_at: row.created_at,
        }
    }
}

/// Registers a Telegram bot: by its token (initData's `hash` is then checked with it, and
/// Telegram tasks may call the Bot API as it), or by its id alone (initData's Ed25519
/// `signature` is then checked with Telegram's public key). The token is never shown again.
#[utoipa::path(post, path = "/v1/telegram/bots", tag = "telegram", security(("bearer" = [])),
    request_body = CreateTelegramBot,
    responses(
        (status = 201, description = "The registered bot", body = TelegramBotView),
        (status = 400, description = "The body is malformed", body = questlet_types::ErrorResponse),
        (status = 401, description = "Missing or invalid credential", body = questlet_types::ErrorResponse),
        (status = 409, description = "The organization has this bot already", body = questlet_types::ErrorResponse),
        (status = 422, description = "Neither a token nor a bot id, or a bot id that is not the token's", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn create_telegram_bot(
    State(state): State<AppState>,
    org: OwnerAuth,
    AppJson(request): AppJson<CreateTelegramBot>,
) -> Result<(StatusCode, Json<TelegramBotView>), AppError> {
    let label = request.label.as_deref().unwrap_or_default().trim();
    if label.chars().count() > 100 {
        return Err(AppError::InvalidRequest(
            "label: at most 100 characters".into(),
        ));
    }
    let token = request.token.as_deref();
    let bot_id = match (token.map(bot_id_of_token), request.bot_id) {
        (Some(None), _) => {
            return Err(AppError::InvalidRequest(
                "token: must be a bot token, `<bot id>:<secret>`".into(),
            ))
        }
        (Some(Some(of_token)), Some(given)) if of_token != given => {
            return Err(AppError::Unprocessable(format!(
                "bot_id: the token is bot {of_token}'s, not {given}'s"
            )))
        }
        (Some(Some(of_token)), _) => of_token,
        (None, Some(given)) if given > 0 => given,
        (None, Some(_)) => return Err(AppError::InvalidRequest("bot_id: must be positive".into())),
        (None, None) => {
            return Err(AppError::Unprocessable(
                "give the bot's token, or its bot_id for Ed25519-only sign-in".into(),
            ))
        }
    };
    let row = state
        .db
        .insert_telegram_bot(&org.organization_id, bot_id, token, label)
        .await?
        .ok_or_else(|| {
            AppError::Conflict(format!(
                "bot {bot_id} is registered already; delete it first"
            ))
        })?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Lists the organization's Telegram bots (never their tokens).
#[utoipa::path(get, path = "/v1/telegram/bots", tag = "telegram", security(("bearer" = [])),
    responses(
        (status = 200, description = "The bots, oldest first", body = Vec<TelegramBotView>),
        (status = 401, description = "Missing or invalid credential", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn list_telegram_bots(
    State(state): State<AppState>,
    org: OwnerAuth,
) -> Result<Json<Vec<TelegramBotView>>, AppError> {
    let bots = state.db.telegram_bots(&org.organization_id).await?;
    Ok(Json(bots.into_iter().map(Into::into).collect()))
}

/// Removes a Telegram bot: its Mini App's users can no longer sign in.
#[utoipa::path(delete, path = "/v1/telegram/bots/{id}", tag = "telegram", security(("bearer" = [])),
    params(("id" = String, Path, description = "The bot's id here")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Missing or invalid credential", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such bot", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn delete_telegram_bot(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if state
        .db
        .delete_telegram_bot(&org.organization_id, &id)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound(format!("Telegram bot {id}")))
    }
}

/// Signs a Telegram Mini App's user in: `initData` checked as Telegram documents (the
/// `hash` with a registered bot's token, or Telegram's Ed25519 `signature` for a bot
/// registered by id) and fresh, answers a user token for platform `telegram`, account = the
/// Telegram user id. With the partner's user token in `Authorization` too, the Telegram user
/// is linked to that user and the token is theirs; once linked, signing in from Telegram
/// alone acts as them. A `start_param` that is a referral code records the referral for a
/// new user.
#[utoipa::path(post, path = "/v1/widget/{organization}/campaigns/{campaign}/telegram/sign-in",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
    ),
    security((), ("bearer" = [])),
    request_body = TelegramSignIn,
    responses(
        (status = 200, description = "A user token", body = UserTokenResponse),
        (status = 400, description = "The body is malformed", body = questlet_types::ErrorResponse),
        (status = 401, description = "initData is malformed, not signed for this organization's bots, or stale; or the user token is invalid", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
        (status = 409, description = "The Telegram user is linked to another user, or the user to another Telegram user", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn create_telegram_session(
    State(state): State<AppState>,
    Path((organization, campaign)): Path<(String, String)>,
    partner: Option<UserAuth>,
    AppJson(request): AppJson<TelegramSignIn>,
) -> Result<Json<UserTokenResponse>, AppError> {
    if request.init_data.len() > 8192 {
        return Err(AppError::InvalidRequest(
            "init_data: at most 8192 bytes".into(),
        ));
    }
    let found = state
        .db
        .campaign_version(&organization, &campaign)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("campaign {campaign}")))?;
    let organization_id = found.organization_id;
    let bots = state.db.telegram_bots(&organization_id).await?;
    let keys: Vec<BotKey<'_>> = bots
        .iter()
        .map(|bot| BotKey {
            bot_id: bot.bot_id,
            token: bot.token.as_deref(),
        })
        .collect();
    let telegram = &state.config.telegram;
    let signed = InitData::parse(&request.init_data)?.verify(
        &keys,
        &telegram.public_key,
        crate::time::now(),
        telegram.max_age_secs,
    )?;
    let telegram_id = signed.user.id.to_string();
    let identity = Identity {
        provider: TELEGRAM,
        id: &telegram_id,
        noun: "Telegram account",
        name: signed.user.display_name(),
    };
    let user = identity::sign_in(&state.db, &organization_id, identity, partner).await?;
    // The Mini App opened with someone's referral code (`startapp=<code>`): recorded for a
    // new user, as the widget call's `?ref=` is.
    if let Some(code) = signed.start_param.as_deref() {
        let key = user.key();
        if referral::is_code(code) && code != referral::code(&key) {
            state
                .db
                .record_referral(&key, &found.campaign_id, code)
                .await?;
        }
    }
    jwt::user_token_response(&state, user).map(Json)
}
