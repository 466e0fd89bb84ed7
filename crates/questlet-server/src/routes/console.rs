//! The partner console's files at `/console/` (built by `cargo xtask console`, read from
//! `--console-dir`, else compiled into the binary by `cargo xtask dist`): the page under a strict Content-Security-Policy, the rest as the
//! widget's files are served (encodings, ETags, hashed names cached forever).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::auth::extract::MemberSession;
use crate::error::AppError;
use crate::json::AppQuery;
use crate::tags::escape_html;
use crate::widget_files::WidgetFiles;
use crate::{AppConfig, AppState};

/// The console's files and its page's policy.
struct Console {
    files: WidgetFiles,
    /// The page's `Content-Security-Policy`, naming its inline start-up script by hash.
    policy: HeaderValue,
}

pub(super) fn router(config: &AppConfig) -> Router<AppState> {
    // The preview needs none of the console's files: the widget's are enough.
    let preview = Router::new().route("/console/preview/{campaign}", get(get_preview_page));
    // The folder given, else the console compiled into this binary, else none.
    let files = match &config.console_dir {
        Some(dir) => WidgetFiles::from_dir(dir).unwrap_or_else(|error| {
            tracing::error!(dir = %dir.display(), %error, "cannot read the console's files");
            WidgetFiles::default()
        }),
        None => match WidgetFiles::embedded_console() {
            Some(files) => files,
            None => return preview,
        },
    };
    let page = files
        .get("index.html")
        .map(|file| String::from_utf8_lossy(file.encoded.identity()).into_owned())
        .unwrap_or_default();
    let policy = HeaderValue::from_str(&content_security_policy(&page))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
    tracing::info!(files = files.len(), "console files loaded");
    let console = Arc::new(Console { files, policy });
    let files = Router::new()
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route("/console/", get(get_console_page))
        .route("/console/{*path}", get(get_console_file))
        .with_state(console);
    preview.merge(files)
}

/// The console's page: never cached (it names the current hashed files), framed by nobody.
async fn get_console_page(State(console): State<Arc<Console>>) -> Result<Response, AppError> {
    let file = console
        .files
        .get("index.html")
        .ok_or_else(|| AppError::NotFound("the console (build it: cargo xtask console)".into()))?;
    Ok(page_response(
        file.encoded.identity().clone(),
        file.content_type,
        "no-cache",
        console.policy.clone(),
    ))
}

/// An HTML page of the console: `body` with its type, caching and policy, never sniffed,
/// its address sent as referrer only to this server.
fn page_response(
    body: impl IntoResponse,
    content_type: &'static str,
    cache_control: &'static str,
    policy: HeaderValue,
) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    response
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

/// Query of the preview page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewQuery {
    /// `light`, `dark` or `auto` (the default), as the widget's `data-theme`.
    theme: Option<String>,
    /// Anything: the console names the campaign's version, so a save reloads its frames.
    #[serde(rename = "v")]
    _version: Option<String>,
}

/// The real widget showing one of the member's organization's campaigns (drafts too: the
/// widget's campaign read knows the member by the session cookie), for the console's
/// preview frames. Never cached; framed only by this server's own pages.
async fn get_preview_page(
    MemberSession(session): MemberSession,
    Path(campaign): Path<String>,
    AppQuery(query): AppQuery<PreviewQuery>,
) -> Result<Response, AppError> {
    let theme = match query.theme.as_deref() {
        None => "auto",
        Some(theme @ ("light" | "dark" | "auto")) => theme,
        Some(_) => {
            return Err(AppError::InvalidRequest(
                "theme: must be light, dark or auto".into(),
            ))
        }
    };
    Ok(page_response(
        preview_page(&session.row.organization_slug, &campaign, theme),
        "text/html; charset=utf-8",
        "no-store",
        HeaderValue::from_static(PREVIEW_POLICY),
    ))
}

/// The preview page's policy: the widget's least (its loader and module from this server,
/// wasm compiled, calls to this server), no inline script or style, framed by this server.
const PREVIEW_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     connect-src 'self'; style-src 'self'; img-src 'self' data: https:; worker-src blob:; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/// The preview page of `organization`'s `campaign` in `theme`: the embed snippet the
/// console hands out, and the colour scheme the theme asks of the page around it.
fn preview_page(organization: &str, campaign: &str, theme: &str) -> String {
    let scheme = match theme {
        "light" | "dark" => theme,
        _ => "light dark",
    };
    let (organization, campaign) = (escape_html(organization), escape_html(campaign));
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"{scheme}\"><title>Preview of {campaign}</title>\
         </head><body>\
         <script async src=\"/widget/questlet.js\" data-organization=\"{organization}\" \
         data-campaign=\"{campaign}\" data-theme=\"{theme}\" data-container=\"preview\"></script>\
         <div id=\"preview\"></div></body></html>\n"
    )
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

    #[test]
    fn the_preview_page_embeds_the_campaign_with_its_values_escaped() {
        let page = preview_page("acme", "spring", "dark");
        assert!(
            page.contains("data-organization=\"acme\" data-campaign=\"spring\""),
            "{page}"
        );
        assert!(page.contains("data-theme=\"dark\""), "{page}");
        assert!(page.contains("content=\"dark\""), "{page}");
        let page = preview_page("acme", "\"><script>x()</script>", "auto");
        assert!(!page.contains("<script>x()"), "{page}");
        assert!(page.contains("&quot;&gt;&lt;script&gt;"), "{page}");
        assert!(page.contains("content=\"light dark\""), "{page}");
    }
}
