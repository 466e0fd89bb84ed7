//! `questlet-server`: parses the command line and dispatches; all behaviour lives in the
//! library (`questlet_server`).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use questlet_server::tasks::social::{self, SocialApis};
use questlet_server::webhooks::DeliveryConfig;
use questlet_server::{cli, AppConfig, TelegramConfig};

/// The Questlet API server.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Database URL: a SQLite file (`sqlite://questlet.db`, created if missing; one server
    /// process per file) or PostgreSQL (`postgres://user:pass@host/db`; any number of server
    /// processes may share it).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://questlet.db",
        global = true
    )]
    database_url: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "QUESTLET_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Folder of the built widget (`cargo xtask widget` makes `dist/`), served at
        /// `/widget/`. Default: the files compiled into this binary (`cargo xtask dist`), or
        /// `dist` when it has none.
        #[arg(long, env = "QUESTLET_WIDGET_DIR")]
        widget_dir: Option<PathBuf>,
        /// Folder of the built partner console (`cargo xtask console` writes
        /// crates/questlet-console/dist), served at /console/.
        #[arg(long, env = "QUESTLET_CONSOLE_DIR")]
        console_dir: Option<PathBuf>,
        /// Development mode: the widget API also answers `localhost` origins.
        #[arg(long, env = "QUESTLET_DEV")]
        dev: bool,
        /// Issuer (`iss`) of the JWTs this server signs: its public base URL.
        #[arg(long, env = "QUESTLET_ISSUER", default_value = "questlet")]
        issuer: String,
        /// Create (or refresh) the demo organization and campaign, and print fresh demo
        /// credentials.
        #[arg(long, env = "QUESTLET_DEMO")]
        demo: bool,
        /// Networks (CIDR, comma-separated) that calls to partners' URLs (HTTP-request
        /// tasks) may reach although they are not public, e.g. `10.1.0.0/16`. Loopback,
        /// private, link-local and other special addresses are refused otherwise.
        #[arg(long, env = "QUESTLET_OUTBOUND_ALLOW", value_delimiter = ',')]
        outbound_allow: Vec<ipnet::IpNet>,
        /// Seconds before a failed webhook delivery is tried again; each later retry waits
        /// 4 times longer (up to a day), less up to half at random.
        #[arg(long, env = "QUESTLET_WEBHOOK_RETRY_BASE_SECS", default_value_t = 10)]
        webhook_retry_base_secs: u64,
        /// Tries of a webhook delivery before it is given up (dead; the API can redeliver).
        #[arg(long, env = "QUESTLET_WEBHOOK_MAX_TRIES", default_value_t = 8,
              value_parser = clap::value_parser!(u32).range(1..=20))]
        webhook_max_tries: u32,
        /// How old a Telegram Mini App's `initData` may be at sign-in, seconds (a copy
        /// replayed later is refused).
        #[arg(long, env = "QUESTLET_TELEGRAM_MAX_AGE_SECS", default_value_t = 3600,
              value_parser = clap::value_parser!(i64).range(1..=604_800))]
        telegram_max_age_secs: i64,
        /// Check Telegram's Ed25519 `signature` of `initData` with the key of Telegram's test
        /// environment instead of production's.
        #[arg(long, env = "QUESTLET_TELEGRAM_TEST_ENVIRONMENT")]
        telegram_test_environment: bool,
        /// Telegram's Mini App script (`telegram-web-app.js`, e.g. from npm `@twa-dev/sdk`)
        /// for the demo's Mini App page (`cargo xtask demo` passes it).
        #[arg(long, env = "QUESTLET_DEMO_TELEGRAM_SCRIPT")]
        demo_telegram_script: Option<PathBuf>,
        /// The EVM chains wallets sign in on (Sign-In with Ethereum), comma-separated
        /// `<chain id>=<JSON-RPC URL>`, e.g. `1=https://eth.example,31337=http://127.0.0.1:8545`.
        #[arg(long, env = "QUESTLET_EVM_CHAINS", value_delimiter = ',')]
        evm_chain: Vec<questlet_server::evm::EvmChain>,
        /// Base URL of Telegram's Bot API (Telegram tasks).
        #[arg(long, env = "QUESTLET_TELEGRAM_API", default_value = social::TELEGRAM_API)]
        telegram_api: String,
        /// Base URL of Discord's API (Discord tasks).
        #[arg(long, env = "QUESTLET_DISCORD_API", default_value = social::DISCORD_API)]
        discord_api: String,
        /// Base URL of X's API (X tasks).
        #[arg(long, env = "QUESTLET_X_API", default_value = social::X_API)]
        x_api: String,
        /// Base URL of the YouTube Data API (YouTube tasks).
        #[arg(long, env = "QUESTLET_YOUTUBE_API", default_value = social::YOUTUBE_API)]
        youtube_api: String,
        /// Base URL of TikTok's API (TikTok tasks).
        #[arg(long, env = "QUESTLET_TIKTOK_API", default_value = social::TIKTOK_API)]
        tiktok_api: String,
    },
    /// Manage organizations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Manage leaderboards.
    Leaderboard {
        #[command(subcommand)]
        command: LeaderboardCommand,
    },
}

#[derive(Subcommand)]
enum LeaderboardCommand {
    /// Build every campaign's all-time board again from its history (completions and
    /// point adjustments), e.g. after importing history with SQL. Run it while nothing
    /// else writes; on SQLite, before the server has read those boards (a server remembers
    /// a board's top rows until its own writes change them) or restart it after.
    Rebuild,
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organization with a first API token and OAuth2 client. The secrets are
    /// printed once and stored only as hashes.
    Create {
        /// URL-safe organization slug (`[a-z0-9-]`, 1–64 characters).
        slug: String,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Add a member to an organization's console team. The password is read from
    /// QUESTLET_MEMBER_PASSWORD, else from the first line of standard input.
    AddMember {
        /// The organization's slug.
        organization: String,
        /// The member's email (what they sign in with).
        email: String,
        /// The member's name.
        #[arg(long)]
        name: String,
        /// owner, editor or reviewer.
        #[arg(long, default_value = "owner")]
        role: String,
        /// The password (12-200 characters).
        #[arg(
            long = "password",
            env = "QUESTLET_MEMBER_PASSWORD",
            hide_env_values = true,
            hide = true
        )]
        password: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Cli::parse();
    questlet_server::telemetry::init();
    let db = questlet_server::db::Db::connect(&args.database_url)
        .await
        .with_context(|| "opening the database (see --database-url)")?;
    match args.command {
        Command::Serve {
            addr,
            widget_dir,
            console_dir,
            dev,
            issuer,
            demo,
            outbound_allow,
            webhook_retry_base_secs,
            webhook_max_tries,
            telegram_max_age_secs,
            telegram_test_environment,
            demo_telegram_script,
            evm_chain,
            telegram_api,
            discord_api,
            x_api,
            youtube_api,
            tiktok_api,
        } => {
            let config = AppConfig {
                widget_dir,
                console_dir,
                dev,
                issuer,
                demo,
                outbound_allow,
                webhooks: DeliveryConfig {
                    retry_base: std::time::Duration::from_secs(webhook_retry_base_secs),
                    max_tries: webhook_max_tries,
                },
                demo_telegram_script,
                evm_chains: evm_chain,
                telegram: TelegramConfig::new(telegram_max_age_secs, telegram_test_environment),
                social: SocialApis {
                    telegram: telegram_api,
                    discord: discord_api,
                    x: x_api,
                    youtube: youtube_api,
                    tiktok: tiktok_api,
                },
            };
            cli::serve(db, config, addr, demo).await
        }
        Command::Org {
            command: OrgCommand::Create { slug, json },
        } => cli::create_org(&db, &slug, json).await,
        Command::Org {
            command:
                OrgCommand::AddMember {
                    organization,
                    email,
                    name,
                    role,
                    password,
                },
        } => cli::add_member(&db, &organization, &email, &name, &role, password).await,
        Command::Leaderboard {
            command: LeaderboardCommand::Rebuild,
        } => {
            db.rebuild_all_time_boards()
                .await
                .context("rebuilding the leaderboards")?;
            println!("rebuilt every campaign's all-time leaderboard");
            Ok(())
        }
    }
}
