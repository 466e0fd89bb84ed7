//! Signing a user in by an identity from elsewhere (a Telegram user, a wallet), shared by
//! every such sign-in: who the answered user token is for, and linking the identity to the
//! partner's user when the partner's user token comes along.

use super::extract::UserAuth;
use crate::db::identities::Linked;
use crate::db::Db;
use crate::error::AppError;

/// An identity a sign-in proved.
#[derive(Debug, Clone)]
pub struct Identity<'a> {
    /// The provider's name (`telegram`, `ethereum`): stored with each link, and the
    /// platform of a user known by the identity alone.
    pub provider: &'a str,
    /// The identity's id with the provider (a Telegram user id, a checksummed address).
    pub id: &'a str,
    /// What to call it in a refusal ("Telegram account", "wallet").
    pub noun: &'a str,
    /// The name it comes with, if any.
    pub name: Option<String>,
}

/// The user signing in by `identity` in `organization_id` acts as:
/// - with the partner's user token (`partner`), that user, and the identity is linked to
///   them; an identity linked to another user, or a user linked to another identity of the
///   provider, is a 409 (a link never moves silently);
/// - without it, the user the identity is linked to, else the identity's own user
///   (platform = the provider, account = the identity's id), whose name is remembered.
pub async fn sign_in(
    db: &Db,
    organization_id: &str,
    identity: Identity<'_>,
    partner: Option<UserAuth>,
) -> Result<UserAuth, AppError> {
    let Identity {
        provider,
        id,
        noun,
        name,
    } = identity;
    if let Some(partner) = partner {
        partner.require_organization(organization_id)?;
        let linked = db
            .link_identity(
                organization_id,
                provider,
                id,
                &partner.platform,
                &partner.account,
            )
            .await?;
        return match linked {
            Linked::Linked => Ok(partner),
            Linked::ToAnother(..) => Err(AppError::Conflict(format!(
                "this {noun} is linked to another user of this organization"
            ))),
            Linked::UserHasAnother => Err(AppError::Conflict(format!(
                "this user is linked to another {noun}"
            ))),
        };
    }
    if let Some((platform, account)) = db.linked_user(organization_id, provider, id).await? {
        return Ok(UserAuth {
            organization_id: organization_id.to_owned(),
            platform,
            account,
            name: None,
        });
    }
    let user = UserAuth {
        organization_id: organization_id.to_owned(),
        platform: provider.to_owned(),
        account: id.to_owned(),
        name,
    };
    if let Some(name) = &user.name {
        db.set_user_name(&user.key(), name).await?;
    }
    Ok(user)
}
