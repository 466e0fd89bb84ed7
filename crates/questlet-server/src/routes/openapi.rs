//! The OpenAPI document, generated from the handlers' annotations, and Swagger UI served from
//! the binary itself (no CDN, so it works offline).

use axum::Router;
use utoipa::OpenApi;
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
        super::widget_campaigns::get_widget_campaign,
    ),
    components(schemas(questlet_types::ErrorResponse, questlet_types::WidgetCampaignResponse))
)]
struct ApiDoc;

pub(super) fn router() -> Router<AppState> {
    SwaggerUi::new("/docs")
        .url("/openapi.json", ApiDoc::openapi())
        .into()
}
