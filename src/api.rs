//! The client for the Questlet server's widget API.

use gloo_net::http::{Request, RequestBuilder, Response};
use questlet_types::attempt::{TaskAttemptRequest, TaskAttemptResponse};
use questlet_types::{ErrorResponse, WidgetCampaignResponse};
use wasm_bindgen::JsValue;

use crate::config::WidgetConfig;
use crate::wire::FromJs;

impl ApiError {
    /// Whether the server refused the user token (expired, revoked, or of another
    /// organization): the host should call `Questlet.setUserToken` with a fresh one.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Server { status: 401, .. })
    }
}

/// Why an API call failed, in words the widget can show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached.
    #[error("cannot reach the Questlet server: {0}")]
    Network(String),
    /// The server answered with an error body.
    #[error("{message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// The error code.
        code: String,
        /// The server's message.
        message: String,
    },
    /// The server's answer was not what this widget understands.
    #[error("unexpected answer from the Questlet server: {0}")]
    Decode(String),
}

/// Loads the campaign (and, with a user token, the user's progress).
pub async fn fetch_campaign(
    config: &WidgetConfig,
    token: Option<&str>,
) -> Result<WidgetCampaignResponse, ApiError> {
    // A signed-in visitor who came through a referral link: the server records who
    // referred them (once, if they are new).
    let referral = token.and(
        config
            .referral_code
            .clone()
            .or_else(crate::config::page_referral_code),
    );
    let query = referral.map_or_else(String::new, |code| {
        format!("?ref={}", js_sys::encode_uri_component(&code))
    });
    get(config, &query, token).await
}

/// The URL of `path` under the widget's campaign (`""` for the campaign itself,
/// `/tasks/{id}/attempts`).
pub fn campaign_url(config: &WidgetConfig, path: &str) -> String {
    format!(
        "{}/v1/widget/{}/campaigns/{}{path}",
        config.api_base, config.organization, config.campaign
    )
}

/// `GET`s `path` of the widget's campaign, as the user of `token` if there is one.
pub async fn get<T: FromJs>(
    config: &WidgetConfig,
    path: &str,
    token: Option<&str>,
) -> Result<T, ApiError> {
    read(&send(Request::get(&campaign_url(config, path)), token, None).await?)
}

// JSON goes through the browser's own `JSON.parse`/`JSON.stringify` rather than serde_json:
// requests are written and answers read by `wire` (see why there).
// Sending is one function whatever the answer's type, so only reading it is per type.

/// Sends `request` (with the user token and JSON body given) and answers the success body,
/// parsed, or the server's error as [`ApiError::Server`].
async fn send(
    mut request: RequestBuilder,
    token: Option<&str>,
    body: Option<String>,
) -> Result<JsValue, ApiError> {
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header("Content-Type", "application/json")
            .body(body)
            .map_err(|e| ApiError::Decode(words(e)))?,
        None => request.build().map_err(|e| ApiError::Decode(words(e)))?,
    };
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(words(e)))?;
    let status = response.status();
    let parsed = parse_body(response).await;
    if (200..300).contains(&status) {
        return parsed;
    }
    let error = parsed
        .ok()
        .and_then(|body| ErrorResponse::from_js(&body).ok())
        .unwrap_or_else(|| {
            ErrorResponse::new("http_error", format!("the server answered {status}"))
        });
    Err(ApiError::Server {
        status,
        code: error.error,
        message: error.message,
    })
}

/// gloo-net's error in words: the JavaScript error's message, or gloo-net's own.
/// Not its `Display`, which also formats its serde_json variant (never made here: no JSON
/// goes through serde) and so would pull serde_json's and `std::io`'s error texts into the
/// bundle.
fn words(error: gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(error) => error.message,
        gloo_net::Error::GlooError(message) => message,
        _ => "an error".to_owned(),
    }
}

/// Reads a parsed body as `T`.
fn read<T: FromJs>(body: &JsValue) -> Result<T, ApiError> {
    T::from_js(body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// A response's body, parsed as JSON.
async fn parse_body(response: Response) -> Result<JsValue, ApiError> {
    let text = response
        .text()
        .await
        .map_err(|e| ApiError::Network(words(e)))?;
    js_sys::JSON::parse(&text).map_err(|_| ApiError::Decode("the body is not JSON".to_owned()))
}

/// The path of `action` (`attempts`, `challenge`) on task `task_id`.
pub fn task_path(task_id: &str, action: &str) -> String {
    format!("/tasks/{task_id}/{action}")
}

/// Attempts a task as the user of `token`.
pub async fn attempt_task(
    config: &WidgetConfig,
    token: &str,
    task_id: &str,
    request: &TaskAttemptRequest,
) -> Result<TaskAttemptResponse, ApiError> {
    let url = campaign_url(config, &task_path(task_id, "attempts"));
    let body = Some(crate::wire::attempt_json(request));
    read(&send(Request::post(&url), Some(token), body).await?)
}
