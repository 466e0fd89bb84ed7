//! `cargo xtask console`: builds the partner console (release) into
//! `crates/questlet-console/dist`, precompresses its files as the widget's are, and prints
//! their sizes. Not held to the widget's budget, but measured.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use xshell::{cmd, Shell};

use crate::{step, tools, widget};

/// Where the console is built, relative to the workspace root (`--console-dir`).
pub const DIST: &str = "crates/questlet-console/dist";

/// Builds the console with the project's wasm-opt first on `path_env`, writes `.br` and
/// `.gz` beside each file, and measures them.
pub fn build_release(root: &Path, path_env: &OsString) -> anyhow::Result<widget::Transfer> {
    step("console: trunk build --release");
    let sh = Shell::new()?;
    sh.change_dir(root.join("crates/questlet-console"));
    let _path = sh.push_env("PATH", path_env);
    // The widget's flags: the two builds then share their compiled dependencies.
    let _flags = sh.push_env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        widget::short_source_paths(),
    );
    cmd!(sh, "trunk build --release --offline").run()?;
    let dist = root.join(DIST);
    let files = shipped_files(&dist)?;
    for file in &files {
        widget::compress_beside(&dist.join(file))?;
    }
    widget::transfer(&dist, &files)
}

/// `cargo xtask console`: installs the widget's tools if missing, builds, prints the sizes.
pub fn install_and_build(root: &Path) -> anyhow::Result<()> {
    let node_bin_dir = tools::install_widget_tools(root)?;
    let transfer = build_release(root, &tools::path_with(&node_bin_dir))?;
    println!("console files (what a first visit downloads):");
    transfer.print_files();
    Ok(())
}

/// The console's files in `dist` (its page first), without compressed copies.
fn shipped_files(dist: &Path) -> anyhow::Result<Vec<String>> {
    let mut files: Vec<String> = std::fs::read_dir(dist)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .filter_map(|path: PathBuf| path.file_name()?.to_str().map(str::to_owned))
        .filter(|name| !name.ends_with(".br") && !name.ends_with(".gz"))
        .collect();
    files.sort_by_key(|name| (name != "index.html", name.clone()));
    Ok(files)
}
