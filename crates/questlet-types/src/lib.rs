//! Questlet's wire types: every JSON body that crosses between the widget, the server and a
//! partner's backend.
//!
//! Architecture invariant: this crate depends on `serde` only (plus `utoipa` behind the
//! server-only `openapi` feature). It knows nothing of axum, sqlx or leptos, and it builds for
//! both `wasm32-unknown-unknown` and the host, so the widget and the server share one
//! definition of each request and response.

pub mod attempt;
pub mod auth;
pub mod campaign_document;
pub mod error;
pub mod slug;
pub mod task;
pub mod widget;

pub use campaign_document::{CampaignDocument, CampaignStatus, TaskConfig};
pub use error::ErrorResponse;
pub use task::{TaskKind, TaskPublicSettings};
pub use widget::{
    CampaignView, GroupView, PopupView, QuestStatus, QuestView, TaskView, UserProgressView,
    WidgetCampaignResponse,
};
