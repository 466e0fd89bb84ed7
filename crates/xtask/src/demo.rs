//! `cargo xtask demo`: the whole product on one machine, for a newcomer.

use std::path::Path;

use xshell::{cmd, Shell};

use crate::{step, widget};

/// Builds the widget (release) and runs the server on `.questlet/demo.db` with the demo
/// organization and campaign; the server prints the URLs and demo credentials.
pub fn run(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let addr = match args {
        [] => "127.0.0.1:8080".to_owned(),
        [flag, addr] if flag == "--addr" => addr.clone(),
        _ => anyhow::bail!("usage: cargo xtask demo [--addr <ip:port>]"),
    };
    widget::install_and_build(root)?;
    // Telegram's Mini App script for the demo's Mini App page (installed with the widget's
    // npm tools).
    let telegram_script = root.join("tools/node_modules/@twa-dev/sdk/dist/telegram-web-apps.js");
    std::fs::create_dir_all(root.join(".questlet"))?;
    step(&format!("server: http://{addr} (Ctrl-C to stop)"));
    let sh = Shell::new()?;
    cmd!(
        sh,
        "cargo run --quiet -p questlet-server -- --database-url sqlite://.questlet/demo.db serve --demo --dev --widget-dir dist --addr {addr} --demo-telegram-script {telegram_script}"
    )
    .run()?;
    Ok(())
}
