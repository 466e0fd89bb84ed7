//! The Questlet API server as a library: [`app`] builds the router that `main` serves and the
//! integration tests drive directly.
//!
//! Layout: `routes/` (one file per resource, all listed in `routes/mod.rs`), `db/` (the only
//! code that speaks SQL), `auth/` (credentials and tokens), `tasks/` (task verifiers),
//! `error.rs` (the one mapping from errors to HTTP).

pub mod auth;
pub mod cli;
pub mod db;
pub mod demo;
pub mod error;
pub mod markdown;
pub mod routes;
pub mod telemetry;
pub mod time;
pub mod validation;
pub mod views;

use std::path::PathBuf;

pub use routes::app;

/// Settings that shape the router.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Folder of the built widget, served at `/widget/`.
    pub widget_dir: PathBuf,
    /// Development mode: `localhost` origins are allowed by the widget API.
    pub dev: bool,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The storage layer.
    pub db: db::Db,
    /// Router settings.
    pub config: AppConfig,
}
