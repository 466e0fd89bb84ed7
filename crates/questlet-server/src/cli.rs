//! The command-line actions behind `questlet-server serve`, `questlet-server org create` and
//! `questlet-server org add-member`.

use std::net::SocketAddr;

use anyhow::Context;
use questlet_types::members::{CreateMemberRequest, MemberRole};
use serde_json::json;

use crate::auth::secrets;
use crate::db::Db;
use crate::validation::is_slug;
use crate::{demo, AppConfig, AppState};

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn serve(
    db: Db,
    mut config: AppConfig,
    addr: SocketAddr,
    seed_demo: bool,
) -> anyhow::Result<()> {
    // Held while serving: on SQLite a second server on the same file refuses to start.
    let _server_lock = db.lock_for_server()?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let local = listener.local_addr()?;
    if seed_demo {
        // The demo's partner check is this server: it may call itself.
        let ip = match local.ip() {
            ip if ip.is_unspecified() => std::net::IpAddr::from([127, 0, 0, 1]),
            ip => ip,
        };
        config.outbound_allow.push(ipnet::IpNet::from(ip));
        let base = format!("http://{}", SocketAddr::new(ip, local.port()));
        let creds = demo::seed(&db, &base).await.context("seeding the demo")?;
        let on_chain = config.evm_chains.iter().any(|c| c.id == demo::DEMO_CHAIN);
        if on_chain {
            demo::seed_on_chain(&db, &base)
                .await
                .context("seeding the on-chain demo")?;
        }
        println!("Questlet is running.");
        println!("  Demo page:     http://{local}/demo/");
        println!(
            "  dApp demo:     http://{local}/demo/dapp/{}",
            if on_chain {
                " (a demo wallet on the local chain)"
            } else {
                " (needs the local chain: cargo xtask demo starts it)"
            }
        );
        println!("  Mini App demo: http://{local}/demo/telegram (as a Telegram client opens it)");
        if config.console_dir.is_some() {
            println!(
                "  Console:       http://{local}/console/ (sign in as {} / {})",
                demo::DEMO_OWNER_EMAIL,
                demo::DEMO_OWNER_PASSWORD
            );
        }
        println!("  Swagger UI:    http://{local}/docs");
        println!("  Widget loader: http://{local}/widget/questlet.js");
        println!("  Demo organization: {}", demo::DEMO_ORGANIZATION);
        println!("  Demo API token:    {}", creds.api_token);
        println!("  Demo OAuth2 client_id:     {}", creds.client_id);
        println!("  Demo OAuth2 client_secret: {}", creds.client_secret);
    }
    tracing::info!(%local, backend = ?db.backend(), "listening");
    let state = AppState::new(db, config)
        .await
        .context("loading signing keys")?;
    let _worker = crate::webhooks::worker::Worker::new(
        state.db.clone(),
        state.outbound.clone(),
        state.config.webhooks,
    )
    .spawn();
    let app = crate::app(state);
    // The peer's address reaches handlers (console sign-ins are rate limited by it).
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

/// Creates an organization with a first API token and OAuth2 client, printing the secrets
/// once.
pub async fn create_org(db: &Db, slug: &str, as_json: bool) -> anyhow::Result<()> {
    anyhow::ensure!(
        is_slug(slug),
        "organization slug {slug:?} must be 1-64 characters of a-z, 0-9 and '-'"
    );
    let organization = db
        .create_organization(slug, slug)
        .await
        .map_err(crate::error::AppError::from_sqlx)
        .with_context(|| format!("creating organization {slug:?}"))?;
    let api_token = secrets::generate("qlt");
    db.insert_api_token(&organization.id, "initial", &api_token)
        .await?;
    let client = secrets::generate_client();
    db.insert_oauth_client(&organization.id, "initial", &client)
        .await?;
    if as_json {
        println!(
            "{}",
            json!({
                "organization": organization.slug,
                "organization_id": organization.id,
                "api_token": api_token.plaintext,
                "client_id": client.id,
                "client_secret": client.plaintext,
            })
        );
    } else {
        println!("Organization: {}", organization.slug);
        println!("API token (shown once): {}", api_token.plaintext);
        println!("OAuth2 client_id: {}", client.id);
        println!("OAuth2 client_secret (shown once): {}", client.plaintext);
    }
    Ok(())
}

/// Adds a console member to organization `slug`; the password is `password`, else the first
/// line of standard input.
pub async fn add_member(
    db: &Db,
    slug: &str,
    email: &str,
    name: &str,
    role: &str,
    password: Option<String>,
) -> anyhow::Result<()> {
    let role = MemberRole::parse(role)
        .with_context(|| format!("role {role:?} must be owner, editor or reviewer"))?;
    let organization = db
        .organization_by_slug(slug)
        .await?
        .with_context(|| format!("no organization {slug:?}"))?;
    let password = match password {
        Some(password) => password,
        None => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("reading the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let request = CreateMemberRequest {
        email: email.to_owned(),
        name: name.to_owned(),
        role,
        password,
    };
    let member = crate::members::add(db, &organization.id, &request, crate::time::now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "Added {} ({}) to {} as {}: they sign in at /console/",
        member.email,
        member.name,
        organization.slug,
        member.role.as_str()
    );
    Ok(())
}
