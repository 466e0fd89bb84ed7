//! The API's error policy, in one place.
//!
//! - Every handler returns `Result<_, AppError>`; this file alone turns an error into a status
//!   code and the JSON body of [`questlet_types::ErrorResponse`].
//! - Client mistakes are 4xx with a message that names the problem (the field, the id):
//!   400 when a field breaks its own rule (one the OpenAPI schema states too), 422 when the
//!   fields are each valid but break a rule together (unique keys, dates in order,
//!   references), 409 for a clash with stored data, 412 for a stale `If-Match`.
//! - Anything else is a 500 whose body says only "internal error"; the real cause is logged
//!   here, never sent (no SQL text, no stack trace, no secret).
//! - A unique-constraint violation is the client's conflict (409), decided once in
//!   [`AppError::from_sqlx`].
//! - A request that waited too long for a database connection is 503 `busy` with
//!   `Retry-After`: the server is overloaded, the request did nothing, and the same request
//!   may succeed a moment later (decided once in [`AppError::from_sqlx`]).
//! - A write whose `If-Match` names a version the campaign is no longer at is 412
//!   `precondition_failed`, decided once in `From<EditError>`: the partner read a state that
//!   another edit has since replaced, and must read again rather than overwrite it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use questlet_types::ErrorResponse;

use crate::db::campaigns::EditError;
use crate::db::{SharedReadError, StoreError};

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The named thing does not exist (or belongs to another organization).
    #[error("{0} not found")]
    NotFound(String),
    /// The request is malformed; the message names the field.
    #[error("{0}")]
    InvalidRequest(String),
    /// The request conflicts with existing data.
    #[error("{0}")]
    Conflict(String),
    /// A pool (of a gift code reward) has nothing left to give: a 409 of its own code,
    /// `none_left`, so a client can tell it from other conflicts.
    #[error("{0}")]
    NoneLeft(String),
    /// The request is well-formed and each field is valid, but together they are not: a
    /// rule across fields or items (unique keys, dates in order, references that must
    /// exist, a path and a body that must agree). The message names the field.
    #[error("{0}")]
    Unprocessable(String),
    /// The write's `If-Match` does not match the campaign's current version.
    #[error("{0}")]
    PreconditionFailed(String),
    /// No credentials were sent to an endpoint that needs them (RFC 6750 §3.1: the
    /// challenge then carries no error code).
    #[error("this endpoint needs a bearer token in the Authorization header")]
    MissingToken,
    /// The credentials sent are malformed, unknown, revoked, expired, or for another
    /// audience. The reason goes into the body and the `WWW-Authenticate` header.
    #[error("{0}")]
    InvalidToken(String),
    /// A console sign-in's email and password do not match a member (which of the two is
    /// wrong is not said).
    #[error("wrong email or password")]
    SignInRefused,
    /// The credential is valid but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// A Telegram Mini App's `initData` was refused (401).
    #[error(transparent)]
    InitData(#[from] crate::auth::telegram::InitDataError),
    /// A Sign-In with Ethereum message or its signature was refused (401).
    #[error(transparent)]
    Siwe(#[from] crate::auth::siwe::SiweError),
    /// A chain's node (an upstream the operator configured) did not answer: 503.
    #[error(transparent)]
    Chain(#[from] crate::evm::rpc::RpcError),
    /// Too many failed attempts from this key (a console sign-in): 429 with `Retry-After`.
    #[error("too many failed attempts; retry in {retry_after} seconds")]
    RateLimited {
        /// Seconds until the next attempt may be made.
        retry_after: u64,
    },
    /// Every database connection stayed busy for the pool's whole wait: 503, retry later.
    #[error("the server is busy; retry in a moment")]
    Busy,
    /// The storage layer failed.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// Anything else that is our fault.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        Self::from_sqlx(error)
    }
}

impl From<SharedReadError> for AppError {
    fn from(error: SharedReadError) -> Self {
        // A read never violates a key: whatever failed is the server's problem, or its load.
        if error.pool_timed_out() {
            return AppError::Busy;
        }
        AppError::Internal(format!("database: {error}"))
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Sqlx(error) => Self::from_sqlx(error),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<EditError> for AppError {
    fn from(error: EditError) -> Self {
        match error {
            EditError::NotFound(slug) => AppError::NotFound(format!("campaign {slug}")),
            EditError::PreconditionFailed {
                slug,
                current: Some(version),
            } => AppError::PreconditionFailed(format!(
                "If-Match: campaign {slug} is now at ETag \"{version}\"; read it again and retry"
            )),
            EditError::PreconditionFailed {
                slug,
                current: None,
            } => AppError::PreconditionFailed(format!("If-Match: campaign {slug} does not exist")),
            EditError::Database(error) => AppError::from_sqlx(error),
        }
    }
}

impl AppError {
    /// Maps a storage error, turning unique-constraint violations into [`AppError::Conflict`].
    pub fn from_sqlx(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => AppError::NotFound("resource".into()),
            sqlx::Error::PoolTimedOut => AppError::Busy,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                AppError::Conflict("a resource with this identifier already exists".into())
            }
            _ => AppError::Database(error),
        }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::InvalidRequest(_) => (StatusCode::BAD_REQUEST, "invalid_request"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::NoneLeft(_) => (StatusCode::CONFLICT, "none_left"),
            AppError::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"),
            AppError::PreconditionFailed(_) => {
                (StatusCode::PRECONDITION_FAILED, "precondition_failed")
            }
            AppError::MissingToken => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::InvalidToken(_) => (StatusCode::UNAUTHORIZED, "invalid_token"),
            AppError::InitData(_) => (StatusCode::UNAUTHORIZED, "invalid_init_data"),
            AppError::Siwe(_) => (StatusCode::UNAUTHORIZED, "invalid_siwe"),
            AppError::Chain(_) => (StatusCode::SERVICE_UNAVAILABLE, "chain_unavailable"),
            AppError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::SignInRefused => (StatusCode::UNAUTHORIZED, "sign_in_refused"),
            AppError::Database(_) | AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        // A chain's node not answering is said as such (it names the chain, no internals),
        // and so is being busy.
        let message =
            if status.is_server_error() && !matches!(self, AppError::Chain(_) | AppError::Busy) {
                tracing::error!(error = %self, "request failed");
                "internal error".to_owned()
            } else {
                self.to_string()
            };
        let mut response = (status, Json(ErrorResponse::new(code, &message))).into_response();
        let challenge = match &self {
            AppError::MissingToken => Some("Bearer realm=\"questlet\"".to_owned()),
            AppError::InvalidToken(reason) => Some(format!(
                "Bearer realm=\"questlet\", error=\"invalid_token\", error_description=\"{}\"",
                reason.replace(['"', '\\'], "'")
            )),
            _ => None,
        };
        if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        let retry_after = match self {
            AppError::Busy => {
                tracing::warn!("no database connection came free in time: answered 503");
                Some(1)
            }
            AppError::RateLimited { retry_after } => Some(retry_after),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_timeout_is_a_503_busy_with_retry_after() {
        let response = AppError::from_sqlx(sqlx::Error::PoolTimedOut).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
    }

    #[test]
    fn other_database_errors_stay_a_500_without_retry_after() {
        let response = AppError::from_sqlx(sqlx::Error::PoolClosed).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!response.headers().contains_key(header::RETRY_AFTER));
    }
}
