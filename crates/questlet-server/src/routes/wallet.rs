//! Wallets in the widget API: Sign-In with Ethereum (EIP-4361). The widget asks for a
//! nonce, has the wallet sign a message carrying it, and exchanges message and signature
//! for a user token (the checks are in `auth/siwe.rs`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::routing::post;
use axum::{Json, Router};
use questlet_types::auth::UserTokenResponse;
use questlet_types::wallet::{WalletNonceRequest, WalletNonceResponse, WalletSignIn};

use super::widget_campaigns::visible_campaign;
use crate::auth::extract::UserAuth;
use crate::auth::identity::{self, Identity};
use crate::auth::jwt;
use crate::auth::secrets::random_hex;
use crate::auth::siwe::{self, decode_signature, SignInMessage, SiweError, ETHEREUM};
use crate::error::AppError;
use crate::json::AppJson;
use crate::tasks::onchain::chain_of;
use crate::AppState;

/// How long a nonce is good for, seconds: the time a user has to approve the signature.
const NONCE_TTL_SECS: i64 = 600;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}/wallet/nonce",
            post(create_wallet_nonce),
        )
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}/wallet/sign-in",
            post(create_wallet_session),
        )
        .layer(crate::cors::widget_cors(state.clone()))
}

/// A nonce for a Sign-In with Ethereum message: good for one sign-in in the campaign's
/// organization, for ten minutes. With the wallet's address, the page and the chain in the
/// body, the answer also carries the message to sign.
#[utoipa::path(post, path = "/v1/widget/{organization}/campaigns/{campaign}/wallet/nonce",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
    ),
    request_body(content = Option<WalletNonceRequest>, description = "Optional: the wallet, page and chain to write the message for"),
    responses(
        (status = 200, description = "A fresh nonce (and the message, when asked)", body = WalletNonceResponse),
        (status = 400, description = "The body is malformed, or names only one of address and uri", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
        (status = 422, description = "No chain given, and this server knows none", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn create_wallet_nonce(
    State(state): State<AppState>,
    Path((organization, campaign)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<WalletNonceResponse>, AppError> {
    // The body is optional: none, `null` or `{}` asks for a bare nonce.
    let request: WalletNonceRequest = if body.iter().all(u8::is_ascii_whitespace) {
        WalletNonceRequest::default()
    } else {
        serde_json::from_slice::<Option<WalletNonceRequest>>(&body)
            .map_err(|e| AppError::InvalidRequest(format!("the body: {e}")))?
            .unwrap_or_default()
    };
    let rendered = visible_campaign(&state, &organization, &campaign).await?;
    // 128 random bits as hex: alphanumeric, as EIP-4361 wants a nonce.
    let nonce = random_hex(16);
    let now = crate::time::now();
    let message = match (request.address, request.uri) {
        (None, None) if request.chain_id.is_none() => None,
        (Some(address), Some(uri)) => {
            // Without a chain, the one the campaign's on-chain tasks are checked on, else
            // the first this server knows.
            let chain_id = request
                .chain_id
                .or_else(|| rendered.tree.tasks.iter().find_map(|t| chain_of(&t.config)))
                .or_else(|| state.config.evm_chains.first().map(|chain| chain.id))
                .ok_or_else(|| {
                    AppError::Unprocessable(
                        "chain_id: this server knows no chain to sign in on".into(),
                    )
                })?;
            Some(siwe::message_for(
                &address,
                &uri,
                chain_id,
                &nonce,
                &rendered.tree.campaign.title,
                now,
                now + NONCE_TTL_SECS,
            )?)
        }
        _ => {
            return Err(AppError::InvalidRequest(
                "address and uri come together (or not at all)".into(),
            ))
        }
    };
    state
        .db
        .issue_wallet_nonce(
            &rendered.tree.campaign.organization_id,
            &nonce,
            now,
            now + NONCE_TTL_SECS,
        )
        .await?;
    Ok(Json(WalletNonceResponse {
        nonce,
        expires_in: NONCE_TTL_SECS,
        message,
    }))
}

/// Signs a user in with their wallet: an EIP-4361 message and its `personal_sign`
/// signature. The message must be for the page the widget runs on (its domain and URI on an
/// origin the campaign allows, and the request's `Origin` that one), on a chain this server
/// knows, within its time window, with a nonce from `wallet/nonce` (used up here), signed
/// by its address. Answers a user token for platform `ethereum`, account = the checksummed
/// address; with the partner's user token in `Authorization` too, the wallet is linked to
/// that user and the token is theirs, and later wallet sign-ins act as them.
#[utoipa::path(post, path = "/v1/widget/{organization}/campaigns/{campaign}/wallet/sign-in",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
    ),
    security((), ("bearer" = [])),
    request_body = WalletSignIn,
    responses(
        (status = 200, description = "A user token", body = UserTokenResponse),
        (status = 400, description = "The body is malformed", body = questlet_types::ErrorResponse),
        (status = 401, description = "The message is malformed, for another page or chain, out of its time window, its nonce unknown or used, or the signature not its address's; or the user token is invalid", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
        (status = 409, description = "The wallet is linked to another user, or the user to another wallet", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn create_wallet_session(
    State(state): State<AppState>,
    Path((organization, campaign)): Path<(String, String)>,
    headers: HeaderMap,
    partner: Option<UserAuth>,
    AppJson(request): AppJson<WalletSignIn>,
) -> Result<Json<UserTokenResponse>, AppError> {
    if request.message.chars().count() > 4096 {
        return Err(AppError::InvalidRequest(
            "message: at most 4096 characters".into(),
        ));
    }
    if request.signature.len() > 8194 {
        return Err(AppError::InvalidRequest(
            "signature: at most 4096 bytes".into(),
        ));
    }
    let rendered = visible_campaign(&state, &organization, &campaign).await?;
    let stored = &rendered.tree.campaign;
    let message = SignInMessage::parse(&request.message)?;
    let signature = decode_signature(&request.signature)?;
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|origin| origin.to_str().ok());
    message.check_page(&stored.allowed_origins, origin, state.config.dev)?;
    message.check_chain(state.config.evm_chains.iter().map(|chain| chain.id))?;
    let now = crate::time::now();
    message.check_time(now)?;
    // An account's key signs for it (EIP-191); failing that, the address may be a contract
    // wallet that accepts the signature as its own (EIP-1271), which the chain is asked.
    if let Err(not_by_key) = message.check_signature(&signature) {
        match message
            .check_contract_signature(&state.evm, &signature)
            .await
        {
            Err(AppError::Siwe(_)) => return Err(not_by_key.into()),
            other => other?,
        }
    }
    // Last, once the message is known good: a refused attempt does not burn the nonce of
    // the user's next, correct one.
    if !state
        .db
        .use_wallet_nonce(&stored.organization_id, message.nonce(), now)
        .await?
    {
        return Err(SiweError::Nonce.into());
    }
    let address = message.address();
    let identity = Identity {
        provider: ETHEREUM,
        id: &address,
        noun: "wallet",
        name: None,
    };
    let user = identity::sign_in(&state.db, &stored.organization_id, identity, partner).await?;
    jwt::user_token_response(&state, user).map(Json)
}
