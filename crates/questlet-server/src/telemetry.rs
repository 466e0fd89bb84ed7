//! Structured logging.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber: JSON lines when `QUESTLET_LOG_FORMAT=json`, readable text
/// otherwise; the level from `RUST_LOG` (default `info`).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let result = if std::env::var("QUESTLET_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    // A second init (tests) keeps the first subscriber.
    let _ = result;
}
