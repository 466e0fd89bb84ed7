//! The partner console's files at `/console/` (built by `cargo xtask console`, read from
//! `--console-dir`): the page under a strict Content-Security-Policy, the rest as the
//! widget's files are served (encodings, ETags, hashed names cached forever).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::widget_files::WidgetFiles;
use crate::{AppConfig, AppState};

/// The console's files and its page's policy.
struct Console {
    files: WidgetFiles,
    /// The page's `Content-Security-Policy`, naming its inline start-up script by hash.
    policy: HeaderValue,
}

pub(super) fn router(config: &AppConfig) -> Router<AppState> {
    let Some(dir) = &config.console_dir else {
        return Router::new();
    };
    let files = WidgetFiles::from_dir(dir).unwrap_or_else(|error| {
        tracing::error!(dir = %dir.display(), %error, "cannot read the console's files");
        WidgetFiles::default()
    });
    let page = files
        .get("index.html")
        .map(|file| String::from_utf8_lossy(file.encoded.identity()).into_owned())
        .unwrap_or_default();
    let policy = HeaderValue::from_str(&content_security_policy(&page))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
    tracing::info!(files = files.len(), "console files loaded");
    let console = Arc::new(Console { files, policy });
    Router::new()
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route("/console/", get(get_console_page))
        .route("/console/{*path}", get(get_console_file))
        .with_state(console)
}

/// The console's page: never cached (it names the current hashed files), framed by nobody.
async fn get_console_page(State(console): State<Arc<Console>>) -> Result<Response, AppError> {
    let file = console
        .files
        .get("index.html")
        .ok_or_else(|| AppError::NotFound("the console (build it: cargo xtask console)".into()))?;
    let mut response = file.encoded.identity().clone().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::CONTENT_SECURITY_POLICY, console.policy.clone());
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    Ok(response)
}

/// One of the console's files (its script, wasm, stylesheet).
async fn get_console_file(
    State(console): State<Arc<Console>>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let file = console
        .files
        .get(&path)
        .ok_or_else(|| AppError::NotFound(format!("console file {path}")))?;
    Ok(super::assets::file_response(file, &headers))
}

/// The page's policy: scripts only from this server plus the page's own inline start-up
/// script (by its SHA-256), wasm compiled, styles and calls to this server only, no plugins,
/// no framing.
fn content_security_policy(page: &str) -> String {
    let hashes: String = inline_scripts(page)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data: https:; connect-src 'self'; frame-src 'self'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The bodies of `page`'s inline `<script>` elements (those without `src`).
fn inline_scripts(page: &str) -> impl Iterator<Item = &str> {
    page.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        let (body, _) = after.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_each_inline_script_by_hash_and_no_other() {
        let page = "<head><script src=\"/a.js\"></script>\
                    <script type=\"module\">start()</script></head>";
        let policy = content_security_policy(page);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"start()"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
    }
}
