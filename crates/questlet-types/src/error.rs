//! The one error body every endpoint answers with.

use serde::{Deserialize, Serialize};

/// The JSON body of every error response: a stable machine-readable code and a sentence for
/// people. It never carries a stack trace, SQL text or a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    /// Stable, snake_case error code (`not_found`, `invalid_request`, `unauthorized`, ...).
    pub error: String,
    /// A human-readable explanation, safe to show to the end user or the partner.
    pub message: String,
}

impl ErrorResponse {
    /// Builds an error body from a code and a message.
    pub fn new(error: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            message: message.into(),
        }
    }
}
