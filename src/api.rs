//! The client for the Questlet server's widget API.

use gloo_net::http::{Request, Response};
use questlet_types::attempt::{TaskAttemptRequest, TaskAttemptResponse};
use questlet_types::{ErrorResponse, WidgetCampaignResponse};
use serde::Serialize;

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
    let mut url = format!(
        "{}/v1/widget/{}/campaigns/{}",
        config.api_base, config.organization, config.campaign
    );
    // A signed-in visitor who came through a referral link: the server records who
    // referred them (once, if they are new).
    let referral = token.and(
        config
            .referral_code
            .clone()
            .or_else(crate::config::page_referral_code),
    );
    if let Some(code) = referral {
        url.push_str("?ref=");
        url.push_str(&String::from(js_sys::encode_uri_component(&code)));
    }
    let mut request = Request::get(&url);
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read_json(response).await
}

// JSON goes through the browser's own `JSON.parse`/`JSON.stringify` rather than serde_json:
// requests are written with serde-wasm-bindgen, answers read by `wire` (see why there).

/// Parses a JSON body into `T`.
async fn parse_body<T: FromJs>(response: Response) -> Result<T, ApiError> {
    let text = response
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let value = js_sys::JSON::parse(&text)
        .map_err(|_| ApiError::Decode("the body is not JSON".to_owned()))?;
    T::from_js(&value).map_err(|e| ApiError::Decode(e.to_string()))
}

/// `value` as a JSON string.
fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    let js = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| ApiError::Decode(e.to_string()))?;
    js_sys::JSON::stringify(&js)
        .map(String::from)
        .map_err(|_| ApiError::Decode("the request cannot be written as JSON".to_owned()))
}

/// A success body as `T`, or the server's error as [`ApiError::Server`].
async fn read_json<T: FromJs>(response: Response) -> Result<T, ApiError> {
    if !response.ok() {
        let status = response.status();
        let body: ErrorResponse = parse_body(response).await.unwrap_or_else(|_| {
            ErrorResponse::new("http_error", format!("the server answered {status}"))
        });
        return Err(ApiError::Server {
            status,
            code: body.error,
            message: body.message,
        });
    }
    parse_body(response).await
}

/// The URL of `action` (`attempts`, `challenge`) on task `task_id` of the widget's campaign.
pub fn task_url(config: &WidgetConfig, task_id: &str, action: &str) -> String {
    format!(
        "{}/v1/widget/{}/campaigns/{}/tasks/{task_id}/{action}",
        config.api_base, config.organization, config.campaign
    )
}

/// Attempts a task as the user of `token`.
pub async fn attempt_task(
    config: &WidgetConfig,
    token: &str,
    task_id: &str,
    request: &TaskAttemptRequest,
) -> Result<TaskAttemptResponse, ApiError> {
    let response = Request::post(&task_url(config, task_id, "attempts"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(to_json(request)?)
        .map_err(|e| ApiError::Decode(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read_json(response).await
}
