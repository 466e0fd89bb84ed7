//! Console sign-in: a member trades their email and password for a session cookie (see
//! `auth/sessions.rs`), reads who is signed in, and signs out.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use questlet_types::members::{SessionView, SignInRequest};

use crate::auth::extract::MemberSession;
use crate::auth::{passwords, sessions};
use crate::db::members::SessionRow;
use crate::error::AppError;
use crate::json::AppJson;
use crate::members::normalized_email;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/v1/session",
        post(create_session).get(get_session).delete(delete_session),
    )
}

/// Signs a member in: sets the session cookie (`HttpOnly`, `SameSite=Strict`, `Secure`
/// over HTTPS) and answers the session with the CSRF token its writes must carry. After
/// five failures for one email (or from one address) in 15 minutes, answers 429 until the
/// window has passed.
#[utoipa::path(post, path = "/v1/session", tag = "console",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in; the cookie is set", body = SessionView,
            headers(("Set-Cookie" = String, description = "The session cookie"))),
        (status = 400, description = "Malformed body", body = questlet_types::ErrorResponse),
        (status = 401, description = "`sign_in_refused`: wrong email or password", body = questlet_types::ErrorResponse),
        (status = 429, description = "`rate_limited`: too many failures; see Retry-After", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn create_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    AppJson(request): AppJson<SignInRequest>,
) -> Result<Response, AppError> {
    // An email that is not one cannot be a member's: refused like a wrong password.
    let email = normalized_email(request.email.trim()).unwrap_or_default();
    let mut keys = vec![format!("email:{email}")];
    if let Some(ConnectInfo(address)) = extensions.get::<ConnectInfo<SocketAddr>>() {
        keys.push(format!("address:{}", address.ip()));
    }
    if let Some(retry_after) = keys
        .iter()
        .filter_map(|key| state.sign_in_failures.retry_after(key))
        .max()
    {
        return Err(AppError::RateLimited { retry_after });
    }
    let member = match email.is_empty() {
        true => None,
        false => state.db.member_by_email(&email).await?,
    };
    let password = request.password;
    let stored = member.as_ref().map(|m| m.password_hash.clone());
    // argon2 takes tens of milliseconds of one core: off the async workers. An unknown
    // email costs the same, so timing does not tell members apart.
    let verified = tokio::task::spawn_blocking(move || match stored {
        Some(stored) => passwords::verify(&password, &stored),
        None => {
            passwords::verify_nobody(&password);
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(format!("checking a password: {e}")))?;
    let Some(member) = member.filter(|_| verified) else {
        for key in &keys {
            state.sign_in_failures.record_failure(key);
        }
        return Err(AppError::SignInRefused);
    };
    let now = state.clock.now();
    let cookie = sessions::start(&state, &member.id, now).await?;
    let session =
        sessions::authenticate(&state, &cookie, &axum::http::Method::GET, &headers).await?;
    let set_cookie = sessions::set_cookie(&cookie, sessions::over_https(&headers));
    Ok((
        [(header::SET_COOKIE, set_cookie)],
        Json(session_view(session.row, session.csrf_token)),
    )
        .into_response())
}

/// The signed-in member, from the session cookie, with the CSRF token for their writes.
#[utoipa::path(get, path = "/v1/session", tag = "console", security(("session" = [])),
    responses(
        (status = 200, description = "The session", body = SessionView),
        (status = 401, description = "No session, or an ended one", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn get_session(
    MemberSession(session): MemberSession,
) -> Result<Json<SessionView>, AppError> {
    Ok(Json(session_view(session.row, session.csrf_token)))
}

/// Signs out: ends the session and clears the cookie. A write, so it needs `X-CSRF-Token`.
#[utoipa::path(delete, path = "/v1/session", tag = "console", security(("session" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 401, description = "No session, or an ended one", body = questlet_types::ErrorResponse),
        (status = 403, description = "No or a wrong X-CSRF-Token", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn delete_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    MemberSession(session): MemberSession,
) -> Result<Response, AppError> {
    state.db.delete_session(&session.id).await?;
    let clear = sessions::clear_cookie(sessions::over_https(&headers));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

fn session_view(row: SessionRow, csrf_token: String) -> SessionView {
    SessionView {
        organization: row.organization_slug,
        csrf_token,
        expires_at: row.expires_at,
        member: row.member.into(),
    }
}
