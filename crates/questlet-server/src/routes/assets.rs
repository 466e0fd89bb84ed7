//! The built widget's files at `/widget/`, from memory (see `widget_files.rs`).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::cors::CorsLayer;

use crate::error::AppError;
use crate::widget_files::{WidgetFile, WidgetFiles};
use crate::{AppConfig, AppState};

pub(super) fn router(config: &AppConfig) -> Router<AppState> {
    let files = match (&config.widget_dir, WidgetFiles::embedded()) {
        (None, Some(embedded)) => embedded,
        (dir, _) => {
            let dir = dir.clone().unwrap_or_else(|| "dist".into());
            WidgetFiles::from_dir(&dir).unwrap_or_else(|error| {
                tracing::error!(dir = %dir.display(), %error, "cannot read the widget files");
                WidgetFiles::default()
            })
        }
    };
    tracing::info!(files = files.len(), "widget files loaded");
    // Host pages on any origin import the widget's JS and wasm, so these files are
    // public and cross-origin (a dynamic `import()` across origins needs CORS).
    let widget_files = Router::new()
        .route("/widget/{*path}", get(get_widget_file))
        .with_state(Arc::new(files))
        .layer(CorsLayer::permissive());
    Router::new().merge(widget_files)
}

/// A widget file in the best encoding the browser accepts, or 304 when its copy is current.
async fn get_widget_file(
    State(files): State<Arc<WidgetFiles>>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let file = files
        .get(&path)
        .ok_or_else(|| AppError::NotFound(format!("widget file {path}")))?;
    Ok(file_response(file, &headers))
}

/// `file` for a request with `headers`: in the best encoding it accepts, or 304 when its
/// copy is current; cached as its name allows.
pub(super) fn file_response(file: &WidgetFile, headers: &HeaderMap) -> Response {
    let header_str = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .unwrap_or_default()
    };
    let (encoding, body) = file.encoded.body_for(header_str(header::ACCEPT_ENCODING));
    let mut response = if file
        .encoded
        .matches(header_str(header::IF_NONE_MATCH), encoding)
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = body.into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(file.content_type),
        );
        if let Some(coding) = encoding.header() {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    // Lets host pages measure the widget's download (Resource Timing sizes) across origins.
    headers.insert("timing-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(file.cache_control()),
    );
    if let Ok(etag) = HeaderValue::from_str(&file.encoded.etag(encoding)) {
        headers.insert(header::ETAG, etag);
    }
    response
}
