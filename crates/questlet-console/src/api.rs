//! The one way the console calls the admin API: same origin, so the browser sends the
//! session cookie itself; every write carries the session's CSRF token, which the server
//! requires of cookie-authenticated writes. A campaign is read with its version (`ETag`) and
//! written back with it (`If-Match`), so a save made from a stale copy is refused rather
//! than overwriting someone else's edit.

use gloo_net::http::{Request, RequestBuilder, Response};
use questlet_types::ErrorResponse;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::texts;

/// Why a call failed, in words the console can show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The session is missing or ended (401): sign in again.
    #[error("{0}")]
    SignedOut(String),
    /// The server refused the call; its message says why (it names the field, if any).
    #[error("{message}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The error code (`invalid_request`, `forbidden`, ...).
        code: String,
        /// The server's explanation.
        message: String,
    },
    /// No answer came.
    #[error("{}", texts::NETWORK_ERROR)]
    Network,
    /// The answer could not be read.
    #[error("{}", texts::UNEXPECTED_ANSWER)]
    Unexpected,
}

impl ApiError {
    /// Whether the write was refused because the campaign changed since it was read (412).
    pub fn is_stale(&self) -> bool {
        matches!(self, ApiError::Refused { status: 412, .. })
    }
}

/// `GET path`, its JSON answer read as `T`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    get_versioned(path).await.map(|(value, _)| value)
}

/// `GET path`, its JSON answer read as `T`, with its `ETag` (empty without one).
pub async fn get_versioned<T: DeserializeOwned>(path: &str) -> Result<(T, String), ApiError> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    let etag = etag_of(&response);
    Ok((read(response).await?, etag))
}

/// `method path` with `body` as JSON and the CSRF token, its JSON answer read as `T`.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    csrf: &str,
    body: &B,
) -> Result<T, ApiError> {
    send_versioned(method, path, csrf, None, body)
        .await
        .map(|(value, _)| value)
}

/// [`send`] with `If-Match: if_match` when given; also answers the new `ETag`.
pub async fn send_versioned<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    csrf: &str,
    if_match: Option<&str>,
    body: &B,
) -> Result<(T, String), ApiError> {
    let mut builder = builder(method, path, csrf);
    if let Some(etag) = if_match {
        builder = builder.header("If-Match", etag);
    }
    let request = builder.json(body).map_err(|_| ApiError::Unexpected)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    let etag = etag_of(&response);
    Ok((read(response).await?, etag))
}

/// `method path` without a body and with the CSRF token, for calls that answer nothing.
pub async fn send_empty(method: &str, path: &str, csrf: &str) -> Result<(), ApiError> {
    let response = builder(method, path, csrf)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(())
    } else {
        Err(refusal(response).await)
    }
}

fn builder(method: &str, path: &str, csrf: &str) -> RequestBuilder {
    let builder = match method {
        "POST" => Request::post(path),
        "PUT" => Request::put(path),
        "PATCH" => Request::patch(path),
        "DELETE" => Request::delete(path),
        _ => Request::get(path),
    };
    builder.header("X-CSRF-Token", csrf)
}

fn etag_of(response: &Response) -> String {
    response.headers().get("etag").unwrap_or_default()
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(refusal(response).await);
    }
    response.json().await.map_err(|_| ApiError::Unexpected)
}

async fn refusal(response: Response) -> ApiError {
    let status = response.status();
    let Ok(body) = response.json::<ErrorResponse>().await else {
        return ApiError::Unexpected;
    };
    if status == 401 {
        return ApiError::SignedOut(body.message);
    }
    ApiError::Refused {
        status,
        code: body.error,
        message: body.message,
    }
}
