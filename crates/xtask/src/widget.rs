//! Building the widget with trunk.

use std::ffi::OsString;
use std::path::Path;

use xshell::{cmd, Shell};

use crate::step;

/// Builds the widget in release mode into `dist/`, with the project's wasm-opt first on PATH,
/// then minifies its JavaScript (the loader and wasm-bindgen's glue) with terser.
pub fn build_release(root: &Path, path_env: &OsString) -> anyhow::Result<()> {
    step("widget: trunk build --release");
    let sh = Shell::new()?;
    sh.change_dir(root);
    let _path = sh.push_env("PATH", path_env);
    cmd!(sh, "trunk build --release --offline").run()?;

    step("widget: minify JavaScript (terser)");
    // The glue is an ES module (the loader imports it); the loader is a classic script.
    for (file, module) in [("dist/pkg/questlet.js", true), ("dist/questlet.js", false)] {
        let module = module.then_some("--module");
        cmd!(
            sh,
            "terser {file} {module...} --compress --mangle --output {file}"
        )
        .run()?;
    }
    Ok(())
}
