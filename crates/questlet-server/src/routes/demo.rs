//! The demo: a partner's page at `/demo/` that embeds the widget, and, in demo mode only
//! (`serve --demo`), the sign-in a partner's own backend would do for its users.

use axum::extract::State;
use axum::response::{Html, Redirect};
use axum::routing::{get, post};
use axum::{Json, Router};
use questlet_types::auth::UserTokenResponse;

use crate::auth::jwt;
use crate::demo::DEMO_ORGANIZATION;
use crate::error::AppError;
use crate::{AppConfig, AppState};

pub(super) fn router(config: &AppConfig) -> Router<AppState> {
    let router = Router::new()
        .route("/demo/", get(get_demo_page))
        .route("/demo", get(|| async { Redirect::permanent("/demo/") }))
        .route("/", get(|| async { Redirect::temporary("/demo/") }));
    if config.demo {
        router.route("/demo/sign-in", post(create_demo_session))
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
    let account = format!("visitor-{}", &crate::db::new_id()[..8]);
    let platform = "web".to_owned();
    let token = jwt::issue_user_token(&state, &organization.id, &platform, &account)?;
    Ok(Json(UserTokenResponse {
        token,
        expires_in: jwt::USER_TOKEN_TTL,
        account,
        platform,
    }))
}
