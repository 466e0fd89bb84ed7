//! Building the widget with trunk.

use std::ffi::OsString;
use std::path::Path;

use xshell::{cmd, Shell};

use crate::step;

/// Builds the widget in release mode into `dist/`, with the project's wasm-opt first on PATH.
pub fn build_release(root: &Path, path_env: &OsString) -> anyhow::Result<()> {
    step("widget: trunk build --release");
    let sh = Shell::new()?;
    sh.change_dir(root);
    let _path = sh.push_env("PATH", path_env);
    cmd!(sh, "trunk build --release --offline").run()?;
    Ok(())
}
