//! The demo: a partner's page at `/demo/` that embeds the widget, and, in demo mode only
//! (`serve --demo`), the sign-in a partner's own backend would do for its users.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect};
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
            .route("/demo/telegram", get(open_demo_mini_app))
            .route("/demo/telegram/", get(get_demo_mini_app_page))
            .route("/demo/telegram-web-app.js", get(get_telegram_script))
            .route("/demo/dapp/", get(get_demo_dapp_page))
            .route("/demo/images/{name}", get(get_demo_image))
            .route(
                "/demo/dapp",
                get(|| async { Redirect::permanent("/demo/dapp/") }),
            )
    } else {
        router
    }
}

/// The demo host page: a plain page that embeds the widget with one script tag and signs
/// its visitor in as a partner's site does.
async fn get_demo_page() -> Html<&'static str> {
    Html(include_str!("../../demo/index.html"))
}

/// The demo dApp page: the widget with the on-chain campaign and a demo wallet that signs
/// through the local chain the server knows (`--evm-chain 31337=...`), whose JSON-RPC URL
/// the page is given; without that chain, the page says how to start it. Present only with
/// `--demo`.
async fn get_demo_dapp_page(State(state): State<AppState>) -> Html<String> {
    let rpc = state
        .config
        .evm_chains
        .iter()
        .find(|chain| chain.id == crate::demo::DEMO_CHAIN)
        .map(|chain| chain.rpc_url.to_string())
        .unwrap_or_default();
    // A JSON string is a JavaScript string literal, escaped.
    let literal = serde_json::Value::from(rpc).to_string();
    Html(include_str!("../../demo/dapp.html").replace("\"{{RPC}}\"", &literal))
}

/// Opens the demo's Mini App page as a Telegram client would: for a new demo Telegram user,
/// with launch parameters in the URL's hash (initData signed with the demo bot's token,
/// Bot API 8.0, Telegram's dark theme). Present only with `--demo`.
async fn open_demo_mini_app() -> Redirect {
    let id = crate::db::new_id();
    // Digits from the id's random tail, so visitors of one second differ.
    let number = u32::from_str_radix(&id[id.len() - 7..], 16).unwrap_or(0);
    let user = serde_json::json!({
        "id": 7_000_000_000_i64 + i64::from(number),
        "first_name": "Demo",
        "last_name": format!("Telegram {}", &id[id.len() - 4..]),
        "language_code": "en",
    })
    .to_string();
    let auth_date = crate::time::now().to_string();
    let init_data = crate::auth::telegram::sign_init_data(
        &[
            ("user", &user),
            ("chat_type", "sender"),
            ("auth_date", &auth_date),
        ],
        crate::demo::DEMO_BOT_TOKEN,
    );
    let theme = serde_json::json!({
        "bg_color": "#17212b",
        "secondary_bg_color": "#232e3c",
        "text_color": "#f5f5f5",
        "hint_color": "#708499",
        "link_color": "#6ab3f3",
        "button_color": "#5288c1",
        "button_text_color": "#ffffff",
        "destructive_text_color": "#ec3942",
    })
    .to_string();
    let encode = |text: &str| {
        percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    Redirect::to(&format!(
        "/demo/telegram/#tgWebAppData={}&tgWebAppVersion=8.0&tgWebAppPlatform=web&tgWebAppThemeParams={}",
        encode(&init_data),
        encode(&theme)
    ))
}

/// The demo campaign's pictures (its banner and quest cards), small SVG files: the demo
/// runs with no internet, so they come from the server itself. Present only with `--demo`.
async fn get_demo_image(Path(name): Path<String>) -> Result<impl IntoResponse, AppError> {
    let svg = match name.as_str() {
        "banner.svg" => include_str!("../../demo/images/banner.svg"),
        "welcome.svg" => include_str!("../../demo/images/welcome.svg"),
        "know-us.svg" => include_str!("../../demo/images/know-us.svg"),
        "community.svg" => include_str!("../../demo/images/community.svg"),
        _ => return Err(AppError::NotFound(format!("demo image {name}"))),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    ))
}

/// The demo's Mini App page (open it through `/demo/telegram`, which signs its launch
/// parameters).
async fn get_demo_mini_app_page() -> Html<&'static str> {
    Html(include_str!("../../demo/telegram.html"))
}

/// Telegram's Mini App script, from the file `--demo-telegram-script` names.
async fn get_telegram_script(State(state): State<AppState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let script = state
        .config
        .demo_telegram_script
        .as_deref()
        .and_then(|path| std::fs::read_to_string(path).ok());
    match script {
        Some(script) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            )],
            script,
        )
            .into_response(),
        None => AppError::NotFound(
            "Telegram's Mini App script (start the demo with `cargo xtask demo`)".into(),
        )
        .into_response(),
    }
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
    jwt::user_token_response(&state, user).map(Json)
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
