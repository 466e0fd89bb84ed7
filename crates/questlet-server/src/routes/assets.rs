//! Static files: the built widget at `/widget/` and the demo host page at `/demo/`.

use axum::http::{header, HeaderValue};
use axum::response::{Html, Redirect};
use axum::routing::get;
use axum::Router;
use tower_http::cors::CorsLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{AppConfig, AppState};

pub(super) fn router(config: &AppConfig) -> Router<AppState> {
    // Host pages on any origin import the widget's JS and wasm, so these files are
    // public and cross-origin (a dynamic `import()` across origins needs CORS).
    let widget_files = Router::new()
        .fallback_service(ServeDir::new(&config.widget_dir))
        .layer(CorsLayer::permissive())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ));
    Router::new()
        .nest_service("/widget", widget_files)
        .route("/demo/", get(get_demo_page))
        .route("/demo", get(|| async { Redirect::permanent("/demo/") }))
        .route("/", get(|| async { Redirect::temporary("/demo/") }))
}

/// The demo host page: a plain page that embeds the widget with one script tag.
async fn get_demo_page() -> Html<&'static str> {
    Html(include_str!("../../demo/index.html"))
}
