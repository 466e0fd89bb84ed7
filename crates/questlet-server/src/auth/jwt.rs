//! The two kinds of JWT the server issues, both EdDSA-signed with a `kid`:
//! OAuth2 access tokens (audience [`ACCESS_AUDIENCE`], they act for an organization) and user
//! tokens (audience [`USER_AUDIENCE`], they act for one end user of one organization).
//!
//! Verification pins the algorithm (no `none`, no HMAC-with-public-key confusion), checks the
//! signature against the JWKS key named by `kid`, and checks `exp`, `iss` and `aud`.

use jsonwebtoken::{decode, decode_header, encode, Algorithm, Header, Validation};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::extract::UserAuth;
use crate::error::AppError;
use crate::time::now;
use crate::AppState;

/// Audience of OAuth2 access tokens: the partner/admin API.
pub const ACCESS_AUDIENCE: &str = "questlet-api";
/// Audience of user tokens: the widget API.
pub const USER_AUDIENCE: &str = "questlet-widget";
/// Lifetime of an OAuth2 access token, seconds (the seed's `expires_in`).
pub const ACCESS_TOKEN_TTL: i64 = 3600;
/// Clock skew tolerated on `exp`, seconds.
pub const LEEWAY: u64 = 5;
/// Lifetime of a user token, seconds.
pub const USER_TOKEN_TTL: i64 = 24 * 3600;
/// Audience of proof-of-work puzzles: only the task attempt takes them back.
pub const PUZZLE_AUDIENCE: &str = "questlet-puzzle";

/// Claims of an OAuth2 access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer.
    pub iss: String,
    /// The OAuth2 client id.
    pub sub: String,
    /// [`ACCESS_AUDIENCE`].
    pub aud: String,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Unique token id.
    pub jti: String,
    /// The organization the client belongs to.
    pub org: String,
}

/// Claims of a user token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserClaims {
    /// Issuer.
    pub iss: String,
    /// The user's account id on the partner's platform.
    pub sub: String,
    /// [`USER_AUDIENCE`].
    pub aud: String,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// The organization's id: the token acts only there.
    pub org: String,
    /// The partner's platform name.
    pub platform: String,
    /// The user's name, when the partner gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Claims of a proof-of-work puzzle (see `tasks/proof_of_work.rs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PuzzleClaims {
    /// Issuer.
    pub iss: String,
    /// The user's account id on the partner's platform.
    pub sub: String,
    /// [`PUZZLE_AUDIENCE`].
    pub aud: String,
    /// Expiry, Unix seconds (of the task engine's clock).
    pub exp: i64,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// The puzzle's id: the prefix to hash, and what makes it single use.
    pub jti: String,
    /// The organization's id.
    pub org: String,
    /// The user's platform.
    pub platform: String,
    /// The task's id.
    pub task: String,
    /// Leading zero bits the hash must have.
    pub bits: u32,
}

/// Signs a puzzle's claims.
pub fn issue_puzzle(state: &AppState, claims: &PuzzleClaims) -> Result<String, AppError> {
    sign(state, claims)
}

fn sign<T: Serialize>(state: &AppState, claims: &T) -> Result<String, AppError> {
    let key = state.keys.active();
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(key.kid.clone());
    encode(&header, claims, &key.encoding)
        .map_err(|e| AppError::Internal(format!("signing a token: {e}")))
}

/// Issues an access token for an OAuth2 client of an organization.
pub fn issue_access_token(
    state: &AppState,
    client_id: &str,
    organization_id: &str,
) -> Result<String, AppError> {
    let iat = now();
    sign(
        state,
        &AccessClaims {
            iss: state.config.issuer.clone(),
            sub: client_id.to_owned(),
            aud: ACCESS_AUDIENCE.to_owned(),
            exp: iat + ACCESS_TOKEN_TTL,
            iat,
            jti: crate::db::new_id(),
            org: organization_id.to_owned(),
        },
    )
}

/// Issues a user token, and remembers it as verified (see `verified_tokens.rs`): this
/// process just signed it, so checking its signature again when the widget presents it
/// would prove nothing new.
pub fn issue_user_token(state: &AppState, user: UserAuth) -> Result<String, AppError> {
    let iat = now();
    let exp = iat + USER_TOKEN_TTL;
    let token = sign(
        state,
        &UserClaims {
            iss: state.config.issuer.clone(),
            sub: user.account.clone(),
            aud: USER_AUDIENCE.to_owned(),
            exp,
            iat,
            org: user.organization_id.clone(),
            platform: user.platform.clone(),
            name: user.name.clone(),
        },
    )?;
    state.verified_tokens.insert(&token, user, exp);
    Ok(token)
}

/// A user token for `user`, as every sign-in answers it (`GET /token`, Telegram, the demo).
pub fn user_token_response(
    state: &AppState,
    user: UserAuth,
) -> Result<questlet_types::auth::UserTokenResponse, AppError> {
    let token = issue_user_token(state, user.clone())?;
    Ok(questlet_types::auth::UserTokenResponse {
        token,
        expires_in: USER_TOKEN_TTL,
        account: user.account,
        platform: user.platform,
        name: user.name,
    })
}

/// Verifies a JWT for `audience` and returns its claims.
pub async fn verify<T: DeserializeOwned>(
    state: &AppState,
    token: &str,
    audience: &str,
) -> Result<T, AppError> {
    let invalid = |why: &str| AppError::InvalidToken(why.to_owned());
    let header = decode_header(token).map_err(|_| invalid("the token is not a well-formed JWT"))?;
    if header.alg != Algorithm::EdDSA {
        return Err(invalid("the token's algorithm is not accepted"));
    }
    let kid = header
        .kid
        .ok_or_else(|| invalid("the token has no key id"))?;
    let key = state
        .keys
        .decoding_key(&state.db, &kid)
        .await?
        .ok_or_else(|| invalid("the token was signed by an unknown key"))?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[&state.config.issuer]);
    validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    validation.leeway = LEEWAY;
    decode::<T>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => invalid("the token has expired"),
            jsonwebtoken::errors::ErrorKind::InvalidAudience => {
                invalid("the token is not meant for this API")
            }
            jsonwebtoken::errors::ErrorKind::InvalidSignature => {
                invalid("the token's signature is invalid")
            }
            _ => invalid("the token is invalid"),
        })
}
