//! Every route of the server, on one screen. Each resource's file has a `router()` and
//! handlers named `verb_noun`.

mod assets;
mod health;
mod openapi;
mod widget_campaigns;

use axum::Router;
use tower_http::trace::TraceLayer;

use crate::AppState;

/// Builds the whole application; `main` serves it and the tests drive it.
pub fn app(state: AppState) -> Router {
    Router::new()
        // GET /healthz, GET /readyz
        .merge(health::router())
        // GET /v1/widget/{organization}/campaigns/{campaign}
        .merge(widget_campaigns::router())
        // GET /openapi.json, GET /docs
        .merge(openapi::router())
        // GET /widget/* (the built widget), GET /demo/ (demo host page), GET / -> /demo/
        .merge(assets::router(&state.config))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
