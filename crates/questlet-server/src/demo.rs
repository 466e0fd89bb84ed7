//! The demo organization and campaign that `serve --demo` creates, so a newcomer sees a
//! working widget with one command. The campaign is a campaign-as-code document
//! (`demo/launch-week.json`), stored through the same path as an import.

use questlet_types::CampaignDocument;

use crate::auth::secrets;
use crate::db::Db;
use crate::error::AppError;
use crate::validation::validate_campaign;

/// The demo organization's slug.
pub const DEMO_ORGANIZATION: &str = "demo";

/// How many invite codes each demo invite task has (`INVITE-001` ...).
const DEMO_INVITE_CODES: usize = 100;

/// Fresh credentials for the demo organization, printed at start-up.
#[derive(Debug, Clone)]
pub struct DemoCredentials {
    /// An organization API token.
    pub api_token: String,
    /// An OAuth2 client id.
    pub client_id: String,
    /// That client's secret.
    pub client_secret: String,
}

/// The demo campaign document.
pub fn demo_campaign() -> CampaignDocument {
    serde_json::from_str(include_str!("../demo/launch-week.json"))
        .expect("demo/launch-week.json is a valid campaign document")
}

/// Creates the demo organization and campaign when missing, and issues new demo credentials
/// (secrets are stored hashed, so earlier ones cannot be shown again).
pub async fn seed(db: &Db) -> Result<DemoCredentials, AppError> {
    let organization = match db.organization_by_slug(DEMO_ORGANIZATION).await? {
        Some(org) => org,
        None => {
            db.create_organization(DEMO_ORGANIZATION, "Questlet Demo")
                .await?
        }
    };
    let campaign = demo_campaign();
    validate_campaign(&campaign)?;
    if db
        .campaign_tree(&organization.id, &campaign.slug)
        .await?
        .is_none()
    {
        db.insert_campaign(&organization.id, &campaign).await?;
    }
    // Its invite tasks' pools (codes already there are kept, claimed or not).
    let tree = db
        .campaign_tree(&organization.id, &campaign.slug)
        .await?
        .ok_or_else(|| AppError::Internal("the demo campaign was not stored".into()))?;
    let codes: Vec<String> = (1..=DEMO_INVITE_CODES)
        .map(|n| format!("INVITE-{n:03}"))
        .collect();
    for task in &tree.tasks {
        if matches!(task.config, questlet_types::TaskConfig::InviteCode { .. }) {
            db.add_invite_codes(&task.id, &codes).await?;
        }
    }
    let api_token = secrets::generate("qlt");
    db.insert_api_token(&organization.id, "demo", &api_token)
        .await?;
    let client = secrets::generate_client();
    db.insert_oauth_client(&organization.id, "demo", &client)
        .await?;
    Ok(DemoCredentials {
        api_token: api_token.plaintext,
        client_id: client.id,
        client_secret: client.plaintext,
    })
}
