//! Markdown as the widget shows it, for the console's preview of a description before it
//! is saved: rendered and sanitized by the one function the campaign's own descriptions go
//! through.

use axum::routing::post;
use axum::{Json, Router};
use questlet_types::campaign_document::{MarkdownPreviewRequest, MarkdownPreviewResponse};

use crate::auth::extract::OrgAuth;
use crate::error::AppError;
use crate::json::AppJson;
use crate::{markdown, AppState};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/v1/markdown", post(preview_markdown))
}

/// The longest Markdown one preview renders, in characters.
const MAX_CHARS: usize = 20_000;

/// Renders Markdown as the widget shows descriptions: HTML, sanitized.
#[utoipa::path(
    post,
    path = "/v1/markdown",
    tag = "campaigns",
    request_body = MarkdownPreviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The sanitized HTML", body = MarkdownPreviewResponse),
        (status = 400, description = "Malformed body, or too long", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn preview_markdown(
    _org: OrgAuth,
    AppJson(request): AppJson<MarkdownPreviewRequest>,
) -> Result<Json<MarkdownPreviewResponse>, AppError> {
    if request.markdown.chars().count() > MAX_CHARS {
        return Err(AppError::InvalidRequest(format!(
            "markdown: must be at most {MAX_CHARS} characters"
        )));
    }
    Ok(Json(MarkdownPreviewResponse {
        html: markdown::render(&request.markdown),
    }))
}
