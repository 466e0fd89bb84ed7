//! The OpenAPI document, generated from the handlers' annotations, and Swagger UI served from
//! the binary itself (no CDN, so it works offline).

use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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
    ),
    components(schemas(questlet_types::ErrorResponse, questlet_types::WidgetCampaignResponse)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Adds the `bearer` scheme, so Swagger UI's Authorize button takes an API token (or an
/// OAuth2 access token).
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
    }
}

pub(super) fn router() -> Router<AppState> {
    SwaggerUi::new("/docs")
        .url("/openapi.json", ApiDoc::openapi())
        .into()
}
