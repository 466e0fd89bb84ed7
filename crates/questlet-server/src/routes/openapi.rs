//! The OpenAPI document, generated from the handlers' annotations, and Swagger UI served from
//! the binary itself (no CDN, so it works offline).

use axum::Router;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Questlet API",
        description = "Quests and campaigns: the widget API and the partner API."
    ),
    paths(
        super::health::get_healthz,
        super::health::get_readyz,
        super::oauth::post_oauth_token,
        super::oauth::get_jwks,
        super::user_tokens::get_user_token,
        super::api_tokens::create_api_token,
        super::api_tokens::list_api_tokens,
        super::api_tokens::revoke_api_token,
        super::oauth_clients::create_oauth_client,
        super::oauth_clients::list_oauth_clients,
        super::oauth_clients::revoke_oauth_client,
        super::campaigns::list_campaigns,
        super::campaigns::create_campaign,
        super::campaigns::export_campaign,
        super::campaigns::import_campaign,
        super::campaigns::delete_campaign,
        super::campaigns::set_campaign_status,
        super::campaigns::list_campaign_activity,
        super::campaigns::create_group,
        super::campaigns::replace_group,
        super::campaigns::delete_group,
        super::campaigns::reorder_groups,
        super::campaigns::create_quest,
        super::campaigns::reorder_quests,
        super::campaigns::replace_quest,
        super::campaigns::delete_quest,
        super::campaigns::create_task,
        super::campaigns::reorder_tasks,
        super::campaigns::replace_task,
        super::campaigns::delete_task,
        super::widget_campaigns::get_widget_campaign,
        super::widget_campaigns::create_task_attempt,
        super::widget_campaigns::create_task_challenge,
        super::quest_opens::create_quest_open,
        super::partner_completions::create_partner_completion,
        super::points::create_points_adjustment,
        super::leaderboard::get_leaderboard,
        super::invite_codes::create_invite_codes,
        super::invite_codes::get_invite_codes,
        super::participants::list_campaign_users,
        super::participants::export_participants,
        super::participants::export_completions,
        super::results::get_campaign_results,
        super::markdown::preview_markdown,
        super::rewards::create_gift_codes,
        super::rewards::get_gift_codes,
        super::rewards::get_reward_claims,
        super::widget_rewards::get_widget_rewards,
        super::widget_rewards::create_reward_claim,
        super::widget_rewards::get_widget_leaderboard,
        super::submissions::list_submissions,
        super::submissions::review_submission,
        super::submissions::review_submissions,
        super::webhooks::create_webhook,
        super::webhooks::list_webhooks,
        super::webhooks::get_webhook,
        super::webhooks::update_webhook,
        super::webhooks::delete_webhook,
        super::webhooks::rotate_webhook_secret,
        super::webhooks::test_webhook,
        super::webhooks::list_webhook_deliveries,
        super::webhooks::redeliver_webhook,
        super::telegram::create_telegram_bot,
        super::telegram::list_telegram_bots,
        super::telegram::delete_telegram_bot,
        super::telegram::create_telegram_session,
        super::wallet::create_wallet_nonce,
        super::wallet::create_wallet_session,
        super::campaign_templates::list_campaign_templates,
        super::sessions::create_session,
        super::sessions::get_session,
        super::sessions::delete_session,
        super::members::list_members,
        super::members::create_member,
        super::members::delete_member,
    ),
    components(schemas(questlet_types::ErrorResponse, questlet_types::WidgetCampaignResponse)),
    modifiers(&BearerAuth, &StandardResponses, &ClosedVariants)
)]
struct ApiDoc;

/// Adds the `bearer` scheme, so Swagger UI's Authorize button takes an API token (or an
/// OAuth2 access token), and the `session` scheme (a console member's cookie), which every
/// partner operation accepts as well: said here once rather than on each handler.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An organization API token (qlt_...) or an OAuth2 access token from /oauth2/token",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::sessions::COOKIE,
                "A console member's session (POST /v1/session); writes also need its \
                 X-CSRF-Token header, and the member's role must allow the operation",
            ))),
        );
        for (path, item) in openapi.paths.paths.iter_mut() {
            if path.starts_with("/v1/widget/") {
                continue;
            }
            for operation in operations_mut(item) {
                if accepts(operation, "bearer") && !accepts(operation, "session") {
                    if let Some(requirements) = operation.security.as_mut() {
                        requirements
                            .push(SecurityRequirement::new("session", Vec::<String>::new()));
                    }
                }
            }
        }
    }
}

/// The operations of a path, whichever methods it has.
fn operations_mut(
    item: &mut utoipa::openapi::path::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

/// Whether `operation` accepts the security scheme named `scheme`.
fn accepts(operation: &utoipa::openapi::path::Operation, scheme: &str) -> bool {
    operation.security.as_ref().is_some_and(|requirements| {
        requirements.iter().any(|requirement| {
            serde_json::to_value(requirement).is_ok_and(|v| v.get(scheme).is_some())
        })
    })
}

/// Declares, on every operation, the answers its extractors give whatever the handler does,
/// so no operation can forget one: 400 when it takes a body (`AppJson` rejects a malformed
/// one) or a query or header parameter, 401 when it takes a bearer credential (`OrgAuth`, `UserAuth`), 404 when its path
/// names something (which may not exist, or belong to another organization).
struct StandardResponses;

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorResponse")))
                        .build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            for operation in operations_mut(item) {
                let bearer = accepts(operation, "bearer");
                let session = accepts(operation, "session");
                let responses = &mut operation.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error(description).into());
                };
                let takes_parameters = operation.parameters.as_ref().is_some_and(|p| {
                    p.iter()
                        .any(|p| !matches!(p.parameter_in, ParameterIn::Path))
                });
                if operation.request_body.is_some() || takes_parameters {
                    add(
                        "400",
                        "The body is malformed or breaks the schema; the message names the field",
                    );
                }
                if bearer || session {
                    add(
                        "401",
                        "The credential is missing, invalid, expired or revoked",
                    );
                }
                if session {
                    add(
                        "403",
                        "The member's role may not do this, or a write with the session cookie lacks its X-CSRF-Token",
                    );
                }
                if path.contains('{') {
                    add(
                        "404",
                        "Something the path names does not exist (in this organization)",
                    );
                }
            }
        }
    }
}

/// The task settings, answers and recurrences are tagged enums whose serde derive refuses
/// unknown fields;
/// utoipa writes `additionalProperties: false` for such structs but not for enum variants,
/// so this says it for each variant.
struct ClosedVariants;

impl Modify for ClosedVariants {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AdditionalProperties, Schema};
        use utoipa::openapi::RefOr;
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for name in ["TaskConfig", "TaskAnswer", "Recurrence"] {
            let Some(RefOr::T(Schema::OneOf(one_of))) = components.schemas.get_mut(name) else {
                continue;
            };
            for variant in &mut one_of.items {
                if let RefOr::T(Schema::Object(object)) = variant {
                    object.additional_properties =
                        Some(Box::new(AdditionalProperties::FreeForm(false)));
                }
            }
        }
    }
}

pub(super) fn router() -> Router<AppState> {
    SwaggerUi::new("/docs")
        .url("/openapi.json", ApiDoc::openapi())
        .into()
}
