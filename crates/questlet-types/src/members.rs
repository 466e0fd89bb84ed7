//! The partner console's team on the wire: members, their roles and their sign-in.

use serde::{Deserialize, Serialize};

/// What a member of an organization may do through the admin API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// Reviews submissions: the review queues and the campaign list, nothing else.
    Reviewer,
    /// Everything about campaigns (content, codes, points, users, exports), but not the
    /// organization's credentials, webhooks, bots or members.
    Editor,
    /// Everything, like an API token: credentials, webhooks, bots and members too.
    Owner,
}

wire_names!(MemberRole {
    Reviewer => "reviewer",
    Editor => "editor",
    Owner => "owner",
});

/// `POST /v1/session` body: a member signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// The member's email.
    pub email: String,
    /// The member's password.
    pub password: String,
}

/// The signed-in member and what their browser sends with each write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    /// Who is signed in.
    pub member: MemberView,
    /// The organization's slug.
    pub organization: String,
    /// Send this as the `X-CSRF-Token` header with every write (POST, PUT, PATCH, DELETE)
    /// made with the session cookie; a write without it is refused.
    pub csrf_token: String,
    /// When the session ends at the latest, Unix seconds (it ends sooner when unused for
    /// a while, see docs).
    pub expires_at: i64,
}

/// A member of the organization (never their password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    /// The member's id.
    pub id: String,
    /// Their email (what they sign in with).
    pub email: String,
    /// Their name, as shown to the team.
    pub name: String,
    /// Their role.
    pub role: MemberRole,
    /// When they were added, Unix seconds.
    pub created_at: i64,
}

/// `GET /v1/members` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembersResponse {
    /// The organization's members, oldest first.
    pub members: Vec<MemberView>,
}

/// `POST /v1/members` body: an owner adds a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateMemberRequest {
    /// Their email (`local@domain`): one member per email across the server.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[^@\\s]+@[^@\\s]+$", max_length = 254)
    )]
    pub email: String,
    /// Their name (1–100 characters).
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 100))]
    pub name: String,
    /// Their role.
    pub role: MemberRole,
    /// Their first password (12–200 characters); they sign in with it.
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 200))]
    pub password: String,
}
