//! Webhook endpoints: create (the signing secret is shown once), list, read, update,
//! delete, rotate the secret (the old one keeps signing for a grace period), send a test
//! event, read the delivery log and redeliver.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use questlet_types::webhooks::{
    CreateWebhookEndpointResponse, DeliveryAttemptView, DeliveryState, RotateWebhookSecretRequest,
    RotateWebhookSecretResponse, WebhookDeliveryView, WebhookEndpointRequest, WebhookEndpointView,
    WebhookTestResponse,
};
use serde::Deserialize;

use crate::auth::extract::{OrgAuth, OwnerAuth};
use crate::db::webhooks::{DeliveryRow, EndpointRow, EndpointSettings, TryRow};
use crate::error::AppError;
use crate::json::{AppJson, AppQuery};
use crate::outbound::signature;
use crate::validation::is_http_url;
use crate::webhooks::events;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/webhooks", get(list_webhooks).post(create_webhook))
        .route(
            "/v1/webhooks/{id}",
            get(get_webhook).put(update_webhook).delete(delete_webhook),
        )
        .route(
            "/v1/webhooks/{id}/rotate-secret",
            post(rotate_webhook_secret),
        )
        .route("/v1/webhooks/{id}/test", post(test_webhook))
        .route("/v1/webhooks/{id}/deliveries", get(list_webhook_deliveries))
        .route(
            "/v1/webhooks/{id}/deliveries/{delivery}/redeliver",
            post(redeliver_webhook),
        )
}

/// The default grace period of a rotated secret: a day.
const DEFAULT_GRACE: i64 = 86_400;

/// The longest grace period: a week.
const MAX_GRACE: i64 = 7 * 86_400;

/// The latest time a log page may start before: 2100-01-01 (the document's bound).
const LATEST: i64 = 4_102_444_800;

impl From<EndpointRow> for WebhookEndpointView {
    fn from(row: EndpointRow) -> Self {
        WebhookEndpointView {
            id: row.id,
            url: row.url,
            scopes: row.scopes,
            campaign: row.campaign.map(|(_, slug)| slug),
            enabled: row.enabled,
            description: row.description,
            created_at: row.created_at,
            previous_secret_expires_at: row.previous_secret_expires_at,
        }
    }
}

impl From<TryRow> for DeliveryAttemptView {
    fn from(row: TryRow) -> Self {
        DeliveryAttemptView {
            at: row.at,
            status: row.status,
            error: row.error,
            latency_ms: row.latency_ms,
            response: row.response,
        }
    }
}

impl From<DeliveryRow> for WebhookDeliveryView {
    fn from(row: DeliveryRow) -> Self {
        WebhookDeliveryView {
            id: row.id,
            event_id: row.event_id,
            event_type: row.event_type,
            state: row.state,
            next_attempt_at: (row.state == DeliveryState::Pending).then_some(row.next_attempt_at),
            created_at: row.created_at,
            attempts: row.tries.into_iter().map(Into::into).collect(),
        }
    }
}

/// The settings `request` asks for, checked: the URL, the scopes (claimr's names expanded,
/// each event once) and the campaign, which must be the organization's.
async fn settings(
    state: &AppState,
    org: &OrgAuth,
    request: WebhookEndpointRequest,
) -> Result<EndpointSettings, AppError> {
    let invalid = |message: &str| AppError::InvalidRequest(message.to_owned());
    if request.url.len() > 2000 || !is_http_url(&request.url) {
        return Err(invalid(
            "url: must be an absolute http(s) URL of at most 2000 characters",
        ));
    }
    if request.scopes.is_empty() {
        return Err(invalid("scopes: name at least one event type"));
    }
    let mut scopes = Vec::new();
    for event in request.scopes.iter().flat_map(|scope| scope.events()) {
        if !scopes.contains(event) {
            scopes.push(*event);
        }
    }
    let description = request
        .description
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 200)
    {
        return Err(invalid("description: at most 200 characters"));
    }
    let campaign_id = match &request.campaign {
        Some(slug) => Some(
            state
                .db
                .campaign_row(&org.organization_id, slug)
                .await?
                .ok_or_else(|| {
                    AppError::Unprocessable(format!(
                        "campaign: the organization has no campaign {slug:?}"
                    ))
                })?
                .id,
        ),
        None => None,
    };
    Ok(EndpointSettings {
        url: request.url,
        scopes,
        campaign_id,
        description,
        enabled: request.enabled.unwrap_or(true),
    })
}

/// An endpoint of the organization, or 404.
async fn endpoint(state: &AppState, org: &OrgAuth, id: &str) -> Result<EndpointRow, AppError> {
    state
        .db
        .webhook_endpoint(&org.organization_id, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("webhook endpoint {id}")))
}

/// Registers a webhook endpoint. Its signing secret is in this response only.
#[utoipa::path(post, path = "/v1/webhooks", tag = "webhooks", security(("bearer" = [])),
    request_body = WebhookEndpointRequest,
    responses(
        (status = 201, description = "The endpoint, with its secret shown once", body = CreateWebhookEndpointResponse),
        (status = 400, description = "Invalid URL, scopes or description", body = questlet_types::ErrorResponse),
        (status = 401, description = "Missing or invalid credential", body = questlet_types::ErrorResponse),
        (status = 422, description = "No such campaign in this organization", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn create_webhook(
    State(state): State<AppState>,
    org: OwnerAuth,
    AppJson(request): AppJson<WebhookEndpointRequest>,
) -> Result<(StatusCode, Json<CreateWebhookEndpointResponse>), AppError> {
    let settings = settings(&state, &org, request).await?;
    let secret = signature::new_secret();
    let row = state
        .db
        .create_webhook_endpoint(&org.organization_id, &settings, &secret, crate::time::now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreateWebhookEndpointResponse {
            endpoint: row.into(),
            secret,
        }),
    ))
}

/// Lists the organization's webhook endpoints (never their secrets).
#[utoipa::path(get, path = "/v1/webhooks", tag = "webhooks", security(("bearer" = [])),
    responses(
        (status = 200, description = "The endpoints, oldest first", body = Vec<WebhookEndpointView>),
        (status = 401, description = "Missing or invalid credential", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn list_webhooks(
    State(state): State<AppState>,
    org: OwnerAuth,
) -> Result<Json<Vec<WebhookEndpointView>>, AppError> {
    let rows = state.db.webhook_endpoints(&org.organization_id).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// One webhook endpoint.
#[utoipa::path(get, path = "/v1/webhooks/{id}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path, description = "Endpoint id")),
    responses(
        (status = 200, description = "The endpoint", body = WebhookEndpointView),
        (status = 404, description = "No such endpoint in this organization", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn get_webhook(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path(id): Path<String>,
) -> Result<Json<WebhookEndpointView>, AppError> {
    Ok(Json(endpoint(&state, &org, &id).await?.into()))
}

/// Changes a webhook endpoint's URL, scopes, campaign, note or enabled flag (the secret
/// stays; see rotate-secret). Deliveries already in the outbox keep going.
#[utoipa::path(put, path = "/v1/webhooks/{id}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path, description = "Endpoint id")),
    request_body = WebhookEndpointRequest,
    responses(
        (status = 200, description = "The endpoint", body = WebhookEndpointView),
        (status = 400, description = "Invalid URL, scopes or description", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such endpoint in this organization", body = questlet_types::ErrorResponse),
        (status = 422, description = "No such campaign in this organization", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn update_webhook(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path(id): Path<String>,
    AppJson(request): AppJson<WebhookEndpointRequest>,
) -> Result<Json<WebhookEndpointView>, AppError> {
    endpoint(&state, &org, &id).await?;
    let settings = settings(&state, &org, request).await?;
    state
        .db
        .update_webhook_endpoint(&org.organization_id, &id, &settings, crate::time::now())
        .await?;
    Ok(Json(endpoint(&state, &org, &id).await?.into()))
}

/// Deletes a webhook endpoint, with its deliveries and their log.
#[utoipa::path(delete, path = "/v1/webhooks/{id}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path, description = "Endpoint id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such endpoint in this organization", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn delete_webhook(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if state
        .db
        .delete_webhook_endpoint(&org.organization_id, &id)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound(format!("webhook endpoint {id}")))
    }
}

/// Gives a webhook endpoint a new signing secret, shown in this response only. Until the
/// grace period ends, deliveries carry a signature by the old secret too (Standard
/// Webhooks allows several), so the partner can switch their verifier without a gap.
#[utoipa::path(post, path = "/v1/webhooks/{id}/rotate-secret", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path, description = "Endpoint id")),
    request_body = RotateWebhookSecretRequest,
    responses(
        (status = 200, description = "The new secret, shown once", body = RotateWebhookSecretResponse),
        (status = 400, description = "Invalid grace period", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such endpoint in this organization", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn rotate_webhook_secret(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path(id): Path<String>,
    AppJson(body): AppJson<serde_json::Map<String, serde_json::Value>>,
) -> Result<Json<RotateWebhookSecretResponse>, AppError> {
    // Read through an object: serde would take a struct of optional fields from `[]` too.
    let request: RotateWebhookSecretRequest =
        serde_json::from_value(serde_json::Value::Object(body))
            .map_err(|e| AppError::InvalidRequest(format!("the body: {e}")))?;
    let grace = request.grace_seconds.unwrap_or(DEFAULT_GRACE);
    if !(0..=MAX_GRACE).contains(&grace) {
        return Err(AppError::InvalidRequest(format!(
            "grace_seconds: must be 0 to {MAX_GRACE}"
        )));
    }
    let secret = signature::new_secret();
    let expires = crate::time::now() + grace;
    if !state
        .db
        .rotate_webhook_secret(&org.organization_id, &id, &secret, expires)
        .await?
    {
        return Err(AppError::NotFound(format!("webhook endpoint {id}")));
    }
    Ok(Json(RotateWebhookSecretResponse {
        secret,
        previous_secret_expires_at: expires,
    }))
}

/// Sends a `webhook.test` event to this endpoint (whatever its scopes), through the outbox
/// like any event: its delivery shows in the log.
#[utoipa::path(post, path = "/v1/webhooks/{id}/test", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path, description = "Endpoint id")),
    responses(
        (status = 202, description = "Queued", body = WebhookTestResponse),
        (status = 404, description = "No such endpoint in this organization", body = questlet_types::ErrorResponse),
        (status = 409, description = "The endpoint is disabled", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn test_webhook(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<WebhookTestResponse>), AppError> {
    if !endpoint(&state, &org, &id).await?.enabled {
        return Err(AppError::Conflict(format!(
            "webhook endpoint {id} is disabled: enable it to send a test event"
        )));
    }
    let event = events::test_event(&org.organization_id, &id, state.clock.now());
    let queued = state
        .db
        .enqueue_webhook_event(event)
        .await?
        .pop()
        .ok_or_else(|| AppError::Conflict(format!("webhook endpoint {id} is disabled")))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(WebhookTestResponse {
            delivery_id: queued.delivery_id,
            event_id: queued.event_id,
        }),
    ))
}

/// `GET /v1/webhooks/{id}/deliveries` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct DeliveriesQuery {
    /// Most deliveries (1-200, default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// Only deliveries created before this time, Unix seconds (the next page: the last
    /// delivery's `created_at`).
    #[param(minimum = 0, maximum = 4_102_444_800_i64)]
    before: Option<i64>,
}

/// The endpoint's delivery log: the latest deliveries, each with its tries (status,
/// latency, the start of the answer).
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path, description = "Endpoint id"), DeliveriesQuery),
    responses(
        (status = 200, description = "The deliveries, newest first", body = Vec<WebhookDeliveryView>),
        (status = 400, description = "Invalid limit", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such endpoint in this organization", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn list_webhook_deliveries(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path(id): Path<String>,
    AppQuery(query): AppQuery<DeliveriesQuery>,
) -> Result<Json<Vec<WebhookDeliveryView>>, AppError> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::InvalidRequest("limit: must be 1 to 200".into()));
    }
    if query
        .before
        .is_some_and(|before| !(0..=LATEST).contains(&before))
    {
        return Err(AppError::InvalidRequest(format!(
            "before: must be 0 to {LATEST} (Unix seconds)"
        )));
    }
    endpoint(&state, &org, &id).await?;
    let rows = state
        .db
        .webhook_deliveries(&org.organization_id, &id, query.before, limit)
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Tries a delivery again now, whatever its state (a dead one gets one more try; a
/// delivered one is sent again, with the same `webhook-id`).
#[utoipa::path(post, path = "/v1/webhooks/{id}/deliveries/{delivery}/redeliver", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path, description = "Endpoint id"), ("delivery" = String, Path, description = "Delivery id")),
    responses(
        (status = 202, description = "Due now"),
        (status = 404, description = "No such delivery of this endpoint", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn redeliver_webhook(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path((id, delivery)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    if state
        .db
        .redeliver_webhook(&org.organization_id, &id, &delivery, crate::time::now())
        .await?
    {
        state.db.outbox_committed(1);
        Ok(StatusCode::ACCEPTED)
    } else {
        Err(AppError::NotFound(format!(
            "delivery {delivery} of webhook endpoint {id}"
        )))
    }
}
