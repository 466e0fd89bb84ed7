//! The Questlet API server as a library: [`app`] builds the router that `main` serves and the
//! integration tests drive directly.
//!
//! Layout: `routes/` (one file per resource, all listed in `routes/mod.rs`), `db/` (the only
//! code that speaks SQL), `auth/` (credentials and tokens), `tasks/` (task verifiers),
//! `error.rs` (the one mapping from errors to HTTP).

pub mod auth;
pub mod campaign_cache;
pub mod cli;
pub mod cors;
pub mod db;
pub mod demo;
pub mod encoding;
pub mod error;
pub mod etag;
pub mod evm;
pub mod json;
pub mod markdown;
pub mod members;
pub mod milestones;
pub mod outbound;
pub mod recurrence;
pub mod rewards;
pub mod routes;
pub mod tags;
pub mod tasks;
pub mod telemetry;
pub mod time;
pub mod validation;
pub mod views;
pub mod webhooks;
pub mod widget_files;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use routes::app;

/// Settings that shape the router.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Folder of the built widget, served at `/widget/`; `None` serves the files compiled
    /// into the binary (`cargo xtask dist`), or `dist/` when it has none.
    pub widget_dir: Option<PathBuf>,
    /// Folder of the built partner console (`cargo xtask console`), served at `/console/`;
    /// none: no console.
    pub console_dir: Option<PathBuf>,
    /// Development mode: `localhost` origins are allowed by the widget API.
    pub dev: bool,
    /// The `iss` of the JWTs this server issues (its public base URL).
    pub issuer: String,
    /// Demo mode: `POST /demo/sign-in` signs a visitor of the demo page in as a fresh demo
    /// user (never on in production: anyone could get a user token).
    pub demo: bool,
    /// Networks outbound calls may reach although they are not public (loopback, private
    /// ranges): none by default.
    pub outbound_allow: Vec<ipnet::IpNet>,
    /// The base URLs of the social networks' APIs that social tasks ask.
    pub social: tasks::social::SocialApis,
    /// How webhook deliveries are retried.
    pub webhooks: webhooks::DeliveryConfig,
    /// How Telegram Mini App sign-ins are checked.
    pub telegram: TelegramConfig,
    /// The EVM chains wallets sign in on, with their JSON-RPC endpoints: none by default.
    pub evm_chains: Vec<evm::EvmChain>,
    /// Telegram's Mini App script (`telegram-web-app.js`, from npm `@twa-dev/sdk`), which
    /// the demo's Mini App page loads from `/demo/telegram-web-app.js`; `None`: the page says
    /// how to get it.
    pub demo_telegram_script: Option<PathBuf>,
}

/// How Telegram Mini App sign-ins are checked (see `auth/telegram.rs`).
#[derive(Debug, Clone)]
pub struct TelegramConfig {
    /// How old `initData` may be, seconds: a copy replayed later is refused.
    pub max_age_secs: i64,
    /// Telegram's Ed25519 public key for third-party validation (32 bytes): its
    /// production key, or its test environment's.
    pub public_key: Vec<u8>,
}

impl TelegramConfig {
    /// `initData` up to `max_age_secs` old, signed for Telegram's production environment or
    /// (`test_environment`) its test environment.
    pub fn new(max_age_secs: i64, test_environment: bool) -> Self {
        let key = if test_environment {
            auth::telegram::TEST_PUBLIC_KEY
        } else {
            auth::telegram::PRODUCTION_PUBLIC_KEY
        };
        Self {
            max_age_secs,
            public_key: hex::decode(key).expect("Telegram's keys are hex"),
        }
    }
}

impl Default for TelegramConfig {
    /// An hour, production.
    fn default() -> Self {
        Self::new(3600, false)
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The storage layer.
    pub db: db::Db,
    /// Router settings.
    pub config: AppConfig,
    /// JWT signing and verifying keys.
    pub keys: Arc<auth::keys::KeySet>,
    /// Failed `/oauth2/token` attempts per client id.
    pub token_failures: Arc<auth::rate_limit::FailureLimiter>,
    /// Failed console sign-ins per email and per client address.
    pub sign_in_failures: Arc<auth::rate_limit::FailureLimiter>,
    /// Campaigns rendered for the widget, per version.
    pub campaigns: Arc<campaign_cache::CampaignCache>,
    /// User tokens already verified.
    pub verified_tokens: Arc<auth::verified_tokens::VerifiedTokens>,
    /// The task engine's clock (the system's; tests move it).
    pub clock: time::Clock,
    /// Calls to partners' URLs, under the operator's outbound policy.
    pub outbound: outbound::Outbound,
    /// Calls to the nodes of the EVM chains the operator configured.
    pub evm: evm::rpc::EvmRpc,
}

impl AppState {
    /// Builds the state: loads (or creates) the signing keys.
    pub async fn new(db: db::Db, config: AppConfig) -> Result<Self, error::AppError> {
        let keys = auth::keys::KeySet::load_or_create(&db).await?;
        let outbound = outbound::Outbound::new(
            outbound::OutboundPolicy {
                allowed: config.outbound_allow.clone(),
            },
            Arc::new(outbound::SystemLookup),
            outbound::TIMEOUT,
            outbound::MAX_ANSWER_BYTES,
        );
        let evm = evm::rpc::EvmRpc::new(&config.evm_chains);
        Ok(Self {
            evm,
            db,
            config,
            keys: Arc::new(keys),
            campaigns: Arc::default(),
            verified_tokens: Arc::default(),
            clock: time::Clock::default(),
            outbound,
            token_failures: Arc::new(auth::rate_limit::FailureLimiter::new(
                10,
                Duration::from_secs(60),
            )),
            sign_in_failures: Arc::new(auth::rate_limit::FailureLimiter::new(
                auth::sessions::SIGN_IN_FAILURES,
                auth::sessions::SIGN_IN_WINDOW,
            )),
        })
    }
}
