//! `cargo xtask dist`: the self-hosting release, one file: the server (server-release
//! profile) with the built widget and partner console compiled in (`embedded-widget`), at
//! `target/dist/`.

use std::path::{Path, PathBuf};

use xshell::{cmd, Shell};

use crate::{console, step, widget};

/// Builds the widget and the console, then the server with both inside; returns the
/// binary's path. Installs only the widget's tools (a container build needs no browser or
/// database).
pub fn build(root: &Path) -> anyhow::Result<PathBuf> {
    widget::install_and_build(root)?;
    console::install_and_build(root)?;
    build_server(root)
}

/// Builds the server with the widget last built into `dist/` and the console last built
/// into its `dist/` inside it.
pub fn build_server(root: &Path) -> anyhow::Result<PathBuf> {
    step("dist: questlet-server with the widget and the console inside (server-release)");
    let sh = Shell::new()?;
    sh.change_dir(root);
    let _embed = [
        sh.push_env("QUESTLET_EMBED_WIDGET_DIR", root.join("dist")),
        sh.push_env("QUESTLET_EMBED_CONSOLE_DIR", root.join(console::DIST)),
    ];
    cmd!(
        sh,
        "cargo build --profile server-release -p questlet-server --features embedded-widget"
    )
    .run()?;
    let out = root.join("target/dist");
    std::fs::create_dir_all(&out)?;
    let binary = out.join("questlet-server");
    std::fs::copy(root.join("target/server-release/questlet-server"), &binary)?;
    let size = std::fs::metadata(&binary)?.len();
    println!(
        "{}: {:.1} MB (run: questlet-server --database-url sqlite://questlet.db serve)",
        binary.display(),
        size as f64 / 1e6
    );
    Ok(binary)
}
