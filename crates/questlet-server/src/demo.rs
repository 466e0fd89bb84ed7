//! The demo organization and campaigns that `serve --demo` creates, so a newcomer sees a
//! working widget with one command. Each campaign is a campaign-as-code document
//! (`demo/launch-week.json`; `demo/on-chain.json` when the server knows the local chain),
//! stored through the same path as an import.

use questlet_types::members::{CreateMemberRequest, MemberRole};
use questlet_types::rewards::RewardKind;
use questlet_types::{CampaignDocument, TaskConfig};

use crate::auth::secrets;
use crate::db::campaigns::Precondition;
use crate::db::Db;
use crate::error::AppError;
use crate::validation::validate_campaign;

/// The demo organization's slug.
pub const DEMO_ORGANIZATION: &str = "demo";

/// How many invite codes each demo invite task has (`INVITE-001` ...), and gift codes each
/// demo gift code reward (`STICKER-PACK-001` ...).
const DEMO_CODES: usize = 100;

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

/// The origin the demo document gives its HTTP request tasks, its referral page and its
/// images, replaced by the server's own URL when the demo is seeded (the demo's partner
/// check, page and images are routes of the server).
const DEMO_PARTNER_ORIGIN: &str = "http://demo.invalid";

/// The demo organization's owner, who signs in to the partner console (`/console/`).
pub const DEMO_OWNER_EMAIL: &str = "owner@demo.questlet.dev";

/// The demo owner's password: public, like everything in the demo.
pub const DEMO_OWNER_PASSWORD: &str = "questlet-demo-owner";

/// The demo's Telegram bot token: registered for the demo organization, it signs the launch
/// parameters of the demo's Mini App page (`/demo/telegram`). A demo value, not a secret: it
/// is no real bot's.
pub const DEMO_BOT_TOKEN: &str = "7000000000:questlet-demo-bot-not-a-real-token";

/// The chain of the demo's on-chain campaign: a local anvil's (`cargo xtask demo` starts
/// one).
pub const DEMO_CHAIN: u64 = 31337;

/// The demo's on-chain campaign: quests checked on the local chain, against the first two
/// contracts anvil's development account #0 deploys on a fresh chain (the test ERC-20 and
/// ERC-721, which `cargo xtask demo` deploys), for the dApp page (`/demo/dapp/`).
pub fn on_chain_campaign() -> CampaignDocument {
    serde_json::from_str(include_str!("../demo/on-chain.json"))
        .expect("demo/on-chain.json is a valid campaign document")
}

/// Stores the demo's on-chain campaign in the demo organization (which [`seed`] made),
/// allowed on the server's own pages at `base` (where its dApp page is).
pub async fn seed_on_chain(db: &Db, base: &str) -> Result<(), AppError> {
    let organization = db
        .organization_by_slug(DEMO_ORGANIZATION)
        .await?
        .ok_or_else(|| AppError::Internal("the demo organization is not seeded".into()))?;
    let mut campaign = on_chain_campaign();
    campaign.allowed_origins = vec![base.to_owned()];
    store(db, &organization.id, &campaign).await
}

/// Stores demo campaign `campaign` in organization `organization_id`: inserted the first
/// time; stored again when it changed (an older demo, or the server moved: another address,
/// which the partner checks and referral links name), as an import does (items keep their
/// ids, users their completions).
async fn store(
    db: &Db,
    organization_id: &str,
    campaign: &CampaignDocument,
) -> Result<(), AppError> {
    validate_campaign(campaign)?;
    match db.campaign_tree(organization_id, &campaign.slug).await? {
        None => {
            db.insert_campaign(organization_id, campaign).await?;
        }
        Some(tree) if crate::views::campaign_document(&tree)? != *campaign => {
            db.import_campaign(organization_id, campaign, &Precondition::Unconditional)
                .await?;
        }
        Some(_) => {}
    }
    Ok(())
}

/// The demo campaign document.
pub fn demo_campaign() -> CampaignDocument {
    serde_json::from_str(include_str!("../demo/launch-week.json"))
        .expect("demo/launch-week.json is a valid campaign document")
}

/// The demo campaign with its HTTP request tasks calling the server at `base`
/// (`http://127.0.0.1:8080`): the demo's partner check (`POST /demo/partner-check`); its
/// referral links pointing to the server's demo page; and its images served by it.
pub fn demo_campaign_at(base: &str) -> CampaignDocument {
    let mut campaign = demo_campaign();
    for url in [&mut campaign.referral_url, &mut campaign.image_url]
        .into_iter()
        .flatten()
    {
        *url = url.replace(DEMO_PARTNER_ORIGIN, base);
    }
    for quest in campaign.groups.iter_mut().flat_map(|g| &mut g.quests) {
        let task_urls = quest
            .tasks
            .iter_mut()
            .filter_map(|task| match &mut task.config {
                TaskConfig::HttpRequest { url, .. } => Some(url),
                _ => None,
            });
        for url in quest.image_url.iter_mut().chain(task_urls) {
            *url = url.replace(DEMO_PARTNER_ORIGIN, base);
        }
    }
    campaign
}

/// Every task's settings in `campaign`.
fn all_tasks(campaign: &CampaignDocument) -> impl Iterator<Item = &TaskConfig> {
    campaign
        .groups
        .iter()
        .flat_map(|g| &g.quests)
        .flat_map(|q| &q.tasks)
        .map(|t| &t.config)
}

/// The signing secret of the demo's HTTP request tasks (what the demo's partner check
/// verifies calls with).
pub fn demo_partner_secret() -> Option<String> {
    all_tasks(&demo_campaign()).find_map(|config| match config {
        TaskConfig::HttpRequest { secret, .. } => Some(secret.clone()),
        _ => None,
    })
}

/// Creates the demo organization and campaign when missing, and issues new demo credentials
/// (secrets are stored hashed, so earlier ones cannot be shown again).
pub async fn seed(db: &Db, base: &str) -> Result<DemoCredentials, AppError> {
    let organization = match db.organization_by_slug(DEMO_ORGANIZATION).await? {
        Some(org) => org,
        None => {
            db.create_organization(DEMO_ORGANIZATION, "Questlet Demo")
                .await?
        }
    };
    let campaign = demo_campaign_at(base);
    store(db, &organization.id, &campaign).await?;
    // Its invite tasks' pools (codes already there are kept, claimed or not).
    let tree = db
        .campaign_tree(&organization.id, &campaign.slug)
        .await?
        .ok_or_else(|| AppError::Internal("the demo campaign was not stored".into()))?;
    let codes = |prefix: &str| -> Vec<String> {
        (1..=DEMO_CODES)
            .map(|n| format!("{prefix}-{n:03}"))
            .collect()
    };
    for task in &tree.tasks {
        if matches!(task.config, TaskConfig::InviteCode { .. }) {
            db.add_invite_codes(&task.id, &codes("INVITE")).await?;
        }
    }
    // Its gift code rewards' pools, the same way.
    for reward in &campaign.rewards {
        if reward.kind == RewardKind::GiftCode {
            let prefix = reward.key.to_uppercase();
            db.add_gift_codes(&tree.campaign.id, &reward.key, &codes(&prefix))
                .await?;
        }
    }
    // The demo bot (already there after the first run).
    let bot_id = crate::auth::telegram::bot_id_of_token(DEMO_BOT_TOKEN)
        .ok_or_else(|| AppError::Internal("the demo bot token has no bot id".into()))?;
    db.insert_telegram_bot(&organization.id, bot_id, Some(DEMO_BOT_TOKEN), "demo")
        .await?;
    // The demo owner, who signs in to the console (already there after the first run).
    if db.member_by_email(DEMO_OWNER_EMAIL).await?.is_none() {
        let owner = CreateMemberRequest {
            email: DEMO_OWNER_EMAIL.to_owned(),
            name: "Demo owner".to_owned(),
            role: MemberRole::Owner,
            password: DEMO_OWNER_PASSWORD.to_owned(),
        };
        crate::members::add(db, &organization.id, &owner, crate::time::now()).await?;
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
