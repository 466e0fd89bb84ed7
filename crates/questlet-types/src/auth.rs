//! Credentials on the wire: OAuth2 tokens, user tokens and organization API tokens.

use serde::{Deserialize, Serialize};

/// `POST /oauth2/token` success body, exactly as the OAuth2 client-credentials contract gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthTokenResponse {
    /// The access token, a JWT (EdDSA, with `kid`; keys at `/.well-known/jwks.json`).
    pub access_token: String,
    /// Seconds until the token expires (3600).
    pub expires_in: i64,
    /// Always `Bearer`.
    pub token_type: String,
}

/// `GET /token` success body: a user token for one of the organization's users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserTokenResponse {
    /// The user token; put it in `data-user-token` or pass it to `Questlet.setUserToken()`.
    pub token: String,
    /// Seconds until it expires.
    pub expires_in: i64,
    /// The user's account id, as given.
    pub account: String,
    /// The platform, as given.
    pub platform: String,
    /// The user's name, as given (`{{user_name}}` in texts); none without one.
    pub name: Option<String>,
}

/// `POST /v1/api-tokens` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateApiTokenRequest {
    /// A label to recognise the token by (1–100 characters).
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 100))]
    pub label: String,
}

/// `POST /v1/api-tokens` answer: the only time the token's secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiTokenResponse {
    /// The token's metadata.
    #[serde(flatten)]
    pub metadata: ApiTokenView,
    /// The token itself. Store it now: it cannot be shown again.
    pub token: String,
}

/// An API token's metadata (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenView {
    /// Token id (also visible inside the token).
    pub id: String,
    /// The label.
    pub label: String,
    /// Creation time, Unix seconds.
    pub created_at: i64,
    /// Last use, Unix seconds (to the minute).
    pub last_used_at: Option<i64>,
    /// Revocation time, Unix seconds; revoked tokens authorize nothing.
    pub revoked_at: Option<i64>,
}

/// `POST /v1/oauth-clients` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateOAuthClientRequest {
    /// A label to recognise the client by (1–100 characters).
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 100))]
    pub label: String,
}

/// An OAuth2 client's metadata (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthClientView {
    /// The public client id.
    pub client_id: String,
    /// The label.
    pub label: String,
    /// Creation time, Unix seconds.
    pub created_at: i64,
    /// Revocation time, Unix seconds; a revoked client gets no tokens and its tokens stop working.
    pub revoked_at: Option<i64>,
}

/// `POST /v1/oauth-clients` answer: the only time the client secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOAuthClientResponse {
    /// The client's metadata.
    #[serde(flatten)]
    pub metadata: OAuthClientView,
    /// The client secret. Store it now: it cannot be shown again.
    pub client_secret: String,
}
