//! The demo: a partner's page at `/demo/` that embeds the widget, and, in demo mode only
//! (`serve --demo`), the sign-in a partner's own backend would do for its users.

use axum::extract::State;
use axum::response::{Html, Redirect};
use axum::routing::{get, post};
use axum::{Json, Router};
use questlet_types::auth::UserTokenResponse;

use crate::auth::extract::UserAuth;
use crate::auth::jwt;
use crate::demo::DEMO_ORGANIZATION;
use crate::error::AppError;
use crate::outbound::signature;
use crate::{AppConfig, AppState};

pub(super) fn router(config: &AppConfig) -> Router<AppState> {
    let router = Router::new()
        .route("/demo/", get(get_demo_page))
        .route("/demo", get(|| async { Redirect::permanent("/demo/") }))
        .route("/", get(|| async { Redirect::temporary("/demo/") }));
    if config.demo {
        router
            .route("/demo/sign-in", post(create_demo_session))
            .route("/demo/partner-check", post(check_demo_partner))
    } else {
        router
    }
}

/// The demo host page: a plain page that embeds the widget with one script tag and signs
/// its visitor in as a partner's site does.
async fn get_demo_page() -> Html<&'static str> {
    Html(include_str!("../../demo/index.html"))
}

/// Signs a demo-page visitor in as a new user of the demo organization: what a partner's
/// backend does with `GET /token` after its own login. Present only with `--demo`.
async fn create_demo_session(
    State(state): State<AppState>,
) -> Result<Json<UserTokenResponse>, AppError> {
    let organization = state
        .db
        .organization_by_slug(DEMO_ORGANIZATION)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organization {DEMO_ORGANIZATION}")))?;
    let id = crate::db::new_id();
    // The id's random tail (its head is the time), so visitors of one second differ.
    let tail = &id[id.len() - 6..];
    let user = UserAuth {
        organization_id: organization.id,
        platform: "web".to_owned(),
        account: format!("visitor-{tail}"),
        name: Some(format!("Guest {tail}")),
    };
    let token = jwt::issue_user_token(&state, user.clone())?;
    Ok(Json(UserTokenResponse {
        token,
        expires_in: jwt::USER_TOKEN_TTL,
        account: user.account,
        platform: user.platform,
        name: user.name,
    }))
}

/// The demo partner's check, which the demo's HTTP request task calls: it verifies the
/// call's Standard Webhooks signature, as a partner's backend would, and then always
/// answers yes (`true`); a call it cannot verify gets 401 and `false`. Present only with
/// `--demo`.
async fn check_demo_partner(
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> (axum::http::StatusCode, &'static str) {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let key = crate::demo::demo_partner_secret().and_then(|secret| signature::secret_key(&secret));
    let signed = match (
        key,
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
    ) {
        (Some(key), Some(id), Some(timestamp), Some(signatures)) => {
            signature::verify(&key, id, timestamp, signatures, &body, crate::time::now())
        }
        _ => false,
    };
    if signed {
        (axum::http::StatusCode::OK, "true")
    } else {
        (axum::http::StatusCode::UNAUTHORIZED, "false")
    }
}
