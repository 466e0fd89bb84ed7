//! Console sessions: a member's browser holds `qls_<id>_<secret>` in an `HttpOnly;
//! SameSite=Strict` cookie (`Secure` when the request came over HTTPS), and the admin API
//! accepts it besides API tokens and OAuth2 access tokens.
//!
//! - **Expiry.** A session ends [`LIFETIME`] after sign-in, or sooner when unused for
//!   [`IDLE`]; an ended session is deleted when next presented.
//! - **CSRF.** A cookie rides along with any request the browser makes, so a write (any
//!   method but GET, HEAD, OPTIONS) made with the cookie must also carry the session's CSRF
//!   token in `X-CSRF-Token`. The token is an HMAC of the cookie's secret: another site can
//!   neither read the cookie nor derive it, and nothing more is stored.

use axum::http::{header, HeaderMap, Method};
use cookie::{Cookie, SameSite};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::secrets;
use crate::db::members::SessionRow;
use crate::error::AppError;
use crate::AppState;

/// The cookie's name.
pub const COOKIE: &str = "questlet_session";
/// The header a cookie-authenticated write carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts at most, in seconds (7 days).
pub const LIFETIME: i64 = 7 * 24 * 3600;
/// How long a session may go unused before it ends, in seconds (12 hours).
pub const IDLE: i64 = 12 * 3600;
/// Failed sign-ins allowed per email (and per client address) within [`SIGN_IN_WINDOW`].
pub const SIGN_IN_FAILURES: usize = 5;
/// The window failed sign-ins are counted in.
pub const SIGN_IN_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// How often a session's last use is written at most, in seconds.
const TOUCH_EVERY: i64 = 60;
/// The prefix of a session cookie's value.
const PREFIX: &str = "qls";

/// A session presented by a request and found valid.
#[derive(Debug, Clone)]
pub struct Session {
    /// The session's id.
    pub id: String,
    /// The stored session, with its member.
    pub row: SessionRow,
    /// The token writes must carry.
    pub csrf_token: String,
}

/// The session cookie's value in `headers`, if one was sent (read by the `cookie` crate,
/// which writes it too).
pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == COOKIE)
        .map(|cookie| cookie.value().to_owned())
}

/// The CSRF token of the session whose cookie secret is `secret`.
pub fn csrf_token(secret: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(b"questlet console csrf");
    hex::encode(mac.finalize().into_bytes())
}

/// Whether the request came over HTTPS: to this server, or to a proxy in front of it that
/// says so (`X-Forwarded-Proto`, `Forwarded: proto=`).
pub fn over_https(headers: &HeaderMap) -> bool {
    let forwarded_proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    let forwarded = headers
        .get(header::FORWARDED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("proto=https"));
    forwarded_proto || forwarded
}

/// The `Set-Cookie` value that hands a browser its session.
pub fn set_cookie(value: &str, secure: bool) -> String {
    Cookie::build((COOKIE, value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(LIFETIME))
        .build()
        .to_string()
}

/// The `Set-Cookie` value that takes the session cookie away.
pub fn clear_cookie(secure: bool) -> String {
    Cookie::build((COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

/// Whether `method` changes things, so that a cookie alone may not authorize it.
fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Checks the session whose cookie value is `value` for a request with `method` and
/// `headers`: the secret, the expiry, and for a write the CSRF token; records its use.
pub async fn authenticate(
    state: &AppState,
    value: &str,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Session, AppError> {
    let invalid = || AppError::InvalidToken("unknown or ended session: sign in again".into());
    let (id, secret) = secrets::split(PREFIX, value).ok_or_else(invalid)?;
    let row = state.db.session(id).await?.ok_or_else(invalid)?;
    if !secrets::verify_secret(secret, &row.secret_hash) {
        return Err(invalid());
    }
    let now = state.clock.now();
    if now >= row.expires_at || now - row.last_seen_at >= IDLE {
        state.db.delete_session(id).await?;
        return Err(AppError::InvalidToken(
            "the session has expired: sign in again".into(),
        ));
    }
    let csrf_token = csrf_token(secret);
    if is_write(method) {
        let sent = headers
            .get(CSRF_HEADER)
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        if !bool::from(sent.ct_eq(csrf_token.as_bytes())) {
            return Err(AppError::Forbidden(
                "a write with the session cookie needs the session's X-CSRF-Token header".into(),
            ));
        }
    }
    if now - row.last_seen_at >= TOUCH_EVERY {
        state.db.touch_session(id, now).await?;
    }
    Ok(Session {
        id: id.to_owned(),
        row,
        csrf_token,
    })
}

/// Starts a session for member `member_id` at `now`: the cookie value to hand over.
pub async fn start(state: &AppState, member_id: &str, now: i64) -> Result<String, AppError> {
    let secret = secrets::generate(PREFIX);
    let expires_at = now + LIFETIME;
    state
        .db
        .insert_session(member_id, &secret, now, expires_at)
        .await?;
    Ok(secret.plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_only_over_https() {
        let plain = set_cookie("qls_a_b", false);
        assert!(plain.starts_with("questlet_session=qls_a_b"), "{plain}");
        assert!(plain.contains("HttpOnly"), "{plain}");
        assert!(plain.contains("SameSite=Strict"), "{plain}");
        assert!(plain.contains("Path=/"), "{plain}");
        assert!(!plain.contains("Secure"), "{plain}");
        assert!(set_cookie("qls_a_b", true).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn https_is_seen_through_either_forwarding_header() {
        let mut headers = HeaderMap::new();
        assert!(!over_https(&headers));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(over_https(&headers));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::FORWARDED,
            HeaderValue::from_static("for=1.2.3.4;proto=https"),
        );
        assert!(over_https(&headers));
        headers.insert(header::FORWARDED, HeaderValue::from_static("proto=http"));
        assert!(!over_https(&headers));
    }

    #[test]
    fn the_cookie_is_found_among_others_and_the_csrf_token_depends_on_the_secret() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; questlet_session=qls_x_y; b=2"),
        );
        assert_eq!(cookie_value(&headers).as_deref(), Some("qls_x_y"));
        assert_eq!(cookie_value(&HeaderMap::new()), None);
        assert_eq!(csrf_token("y"), csrf_token("y"));
        assert_ne!(csrf_token("y"), csrf_token("z"));
        assert_eq!(csrf_token("y").len(), 64);
    }
}
