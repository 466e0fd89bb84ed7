//! OAuth2 client credentials (RFC 6749 §4.4) and the JWKS that verifies the tokens.
//!
//! This endpoint has its own error type: RFC 6749 §5.2 fixes the error body
//! (`{"error": ..., "error_description": ...}`); `message` is added so the body also fits
//! Questlet's one error shape.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use questlet_types::auth::OAuthTokenResponse;
use serde_json::{json, Value};

use crate::auth::{jwt, secrets};
use crate::error::AppError;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/oauth2/token", post(post_oauth_token))
        .route("/.well-known/jwks.json", get(get_jwks))
}

/// RFC 6749 §5.2 errors.
#[derive(Debug, thiserror::Error)]
pub(super) enum OAuthError {
    /// Malformed request: missing or repeated parameter, wrong content type, two client
    /// authentication methods.
    #[error("{0}")]
    InvalidRequest(String),
    /// Unknown client, wrong secret, revoked client, or no client authentication.
    #[error("client authentication failed")]
    InvalidClient {
        /// Whether the client used HTTP Basic (the challenge then names Basic).
        basic: bool,
    },
    /// A grant type other than `client_credentials`.
    #[error("only grant_type=client_credentials is supported")]
    UnsupportedGrantType,
    /// Too many failed attempts for this client.
    #[error("too many failed attempts; retry after {0} seconds")]
    SlowDown(u64),
    /// Our fault.
    #[error(transparent)]
    Internal(#[from] AppError),
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let description = self.to_string();
        let (status, code, extra_header) = match self {
            // Our own failures follow the API's error policy (logged, never detailed).
            OAuthError::Internal(error) => return error.into_response(),
            OAuthError::InvalidRequest(_) => (StatusCode::BAD_REQUEST, "invalid_request", None),
            OAuthError::InvalidClient { basic } => {
                let scheme = if basic {
                    "Basic realm=\"questlet\""
                } else {
                    "Bearer realm=\"questlet\""
                };
                let challenge = (header::WWW_AUTHENTICATE, HeaderValue::from_static(scheme));
                (StatusCode::UNAUTHORIZED, "invalid_client", Some(challenge))
            }
            OAuthError::UnsupportedGrantType => {
                (StatusCode::BAD_REQUEST, "unsupported_grant_type", None)
            }
            OAuthError::SlowDown(seconds) => (
                StatusCode::TOO_MANY_REQUESTS,
                "slow_down",
                Some((header::RETRY_AFTER, HeaderValue::from(seconds))),
            ),
        };
        let mut response = (
            status,
            Json(
                json!({ "error": code, "error_description": description, "message": description }),
            ),
        )
            .into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some((name, value)) = extra_header {
            headers.insert(name, value);
        }
        response
    }
}

/// The parameters of the token request this server reads.
const KNOWN_PARAMETERS: [&str; 4] = ["grant_type", "client_id", "client_secret", "scope"];

/// The form parameters, rejecting repeats (RFC 6749 §3.2: parameters MUST NOT repeat).
fn parse_form(body: &[u8]) -> Result<HashMap<String, String>, OAuthError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|_| OAuthError::InvalidRequest("the body is not a valid form".into()))?;
    let mut params = HashMap::new();
    for (key, value) in pairs {
        // RFC 6749 §3.1: unrecognised parameters are ignored (a repeated one too).
        if !KNOWN_PARAMETERS.contains(&key.as_str()) {
            continue;
        }
        if params.insert(key.clone(), value).is_some() {
            return Err(OAuthError::InvalidRequest(format!(
                "parameter {key} is repeated"
            )));
        }
    }
    Ok(params)
}

/// Client credentials from HTTP Basic (RFC 6749 §2.3.1: form-urlencoded, then base64).
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let malformed = || OAuthError::InvalidRequest("malformed Basic Authorization header".into());
    let value = value.to_str().map_err(|_| malformed())?;
    let Some(encoded) = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
    else {
        return Err(OAuthError::InvalidClient { basic: true });
    };
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
    let unescape = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|_| malformed())
    };
    Ok(Some((unescape(id)?, unescape(secret)?)))
}

/// The token request's form (RFC 6749 §4.4.2), for the OpenAPI document: the handler reads
/// the raw form itself, to refuse repeated parameters and to accept HTTP Basic instead of
/// `client_id`/`client_secret`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(super) struct TokenRequestForm {
    /// `client_credentials`.
    #[schema(pattern = "^client_credentials$")]
    grant_type: String,
    /// The client id (or send it with the secret in HTTP Basic).
    client_id: String,
    /// The client secret.
    client_secret: String,
}

/// Exchanges client credentials for an access token.
#[utoipa::path(
    post,
    path = "/oauth2/token",
    tag = "auth",
    request_body(
        content_type = "application/x-www-form-urlencoded",
        description = "`client_id`, `client_secret`, `grant_type=client_credentials` (or the client in HTTP Basic)",
        content = TokenRequestForm,
    ),
    responses(
        (status = 200, description = "An access token", body = OAuthTokenResponse),
        (status = 400, description = "invalid_request or unsupported_grant_type"),
        (status = 401, description = "invalid_client"),
        (status = 429, description = "Too many failed attempts for this client"),
    )
)]
pub(super) async fn post_oauth_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(OAuthError::InvalidRequest(
            "Content-Type must be application/x-www-form-urlencoded".into(),
        ));
    }
    let mut params = parse_form(&body)?;
    let basic = basic_credentials(&headers)?;
    let body_credentials = (params.remove("client_id"), params.remove("client_secret"));
    let used_basic = basic.is_some();
    let (client_id, client_secret) = match (basic, body_credentials) {
        (Some(_), (Some(_), _) | (_, Some(_))) => {
            return Err(OAuthError::InvalidRequest(
                "use one client authentication method, not both".into(),
            ))
        }
        (Some(credentials), _) => credentials,
        (None, (Some(id), Some(secret))) => (id, secret),
        (None, (None, None)) => return Err(OAuthError::InvalidClient { basic: false }),
        (None, _) => {
            return Err(OAuthError::InvalidRequest(
                "client_id and client_secret must be sent together".into(),
            ))
        }
    };
    match params.get("grant_type").map(String::as_str) {
        None => return Err(OAuthError::InvalidRequest("grant_type is missing".into())),
        Some("client_credentials") => {}
        Some(_) => return Err(OAuthError::UnsupportedGrantType),
    }
    if let Some(seconds) = state.token_failures.retry_after(&client_id) {
        return Err(OAuthError::SlowDown(seconds));
    }
    let client = state
        .db
        .oauth_client(&client_id)
        .await
        .map_err(AppError::from)?;
    // Always hash and compare, so an unknown client costs the same time as a wrong secret.
    let stored = client
        .as_ref()
        .map(|c| c.secret_hash.as_str())
        .unwrap_or("");
    let secret_ok = secrets::verify_secret(&client_secret, stored);
    let Some(client) = client.filter(|c| secret_ok && c.revoked_at.is_none()) else {
        state.token_failures.record_failure(&client_id);
        tracing::warn!(client_id = %client_id, "failed client authentication");
        return Err(OAuthError::InvalidClient { basic: used_basic });
    };
    let access_token = jwt::issue_access_token(&state, &client.client_id, &client.organization_id)?;
    let body = OAuthTokenResponse {
        access_token,
        expires_in: jwt::ACCESS_TOKEN_TTL,
        token_type: "Bearer".to_owned(),
    };
    Ok((
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(body),
    )
        .into_response())
}

/// The public keys that verify access and user tokens (RFC 7517).
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "auth", responses((status = 200, description = "JSON Web Key Set")))]
pub(super) async fn get_jwks(State(state): State<AppState>) -> Json<Value> {
    Json(state.keys.jwks())
}
