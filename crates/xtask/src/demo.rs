//! `cargo xtask demo`: the whole product on one machine, for a newcomer.

use std::path::Path;

use xshell::{cmd, Shell};

use crate::{step, tools, widget};

/// Builds the widget in release mode into `dist/` with the pinned tools (installed if
/// missing), and prints its transfer size.
pub fn build_widget(root: &Path) -> anyhow::Result<()> {
    let node_bin_dir = tools::install_widget_tools(root)?;
    let toolchain_path = {
        let mut paths = vec![node_bin_dir];
        paths.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(paths)?
    };
    widget::build_release(root, &toolchain_path)?;
    widget::measure(root)?.print();
    Ok(())
}

/// Builds the widget (release) and runs the server on `.questlet/demo.db` with the demo
/// organization and campaign; the server prints the URLs and demo credentials.
pub fn run(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let addr = match args {
        [] => "127.0.0.1:8080".to_owned(),
        [flag, addr] if flag == "--addr" => addr.clone(),
        _ => anyhow::bail!("usage: cargo xtask demo [--addr <ip:port>]"),
    };
    build_widget(root)?;
    std::fs::create_dir_all(root.join(".questlet"))?;
    step(&format!("server: http://{addr} (Ctrl-C to stop)"));
    let sh = Shell::new()?;
    cmd!(
        sh,
        "cargo run --quiet -p questlet-server -- --database-url sqlite://.questlet/demo.db serve --demo --dev --widget-dir dist --addr {addr}"
    )
    .run()?;
    Ok(())
}
