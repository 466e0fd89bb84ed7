//! Building the widget: trunk, then the steps that make the shipped files (unused exported
//! classes stripped, short import names, the glue as an instance factory, minified JavaScript, hashed names, precompressed
//! copies), and measuring them.

mod glue;
mod imports;
mod publish;
mod transfer;
mod unused_classes;

use std::ffi::OsString;
use std::path::Path;

use anyhow::Context;
use xshell::{cmd, Shell};

pub use publish::compress_beside;
pub use transfer::{transfer, Transfer, BUDGET_BROTLI};

use crate::step;

/// Builds the widget in release mode into `dist/`, with the project's wasm-opt first on PATH,
/// then makes the shipped files (see the module's documentation).
pub fn build_release(root: &Path, path_env: &OsString) -> anyhow::Result<()> {
    step("widget: trunk build --release");
    let sh = Shell::new()?;
    sh.change_dir(root);
    let _path = sh.push_env("PATH", path_env);
    let _paths = sh.push_env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        short_source_paths(),
    );
    cmd!(sh, "trunk build --release --offline").run()?;

    step("widget: strip the classes it never uses");
    let stripped = unused_classes::strip_unused_classes(&root.join("dist/pkg/questlet_bg.wasm"))?;
    println!("{stripped} exports removed");

    step("widget: short import names");
    let renamed = imports::shorten_import_names(
        &root.join("dist/pkg/questlet_bg.wasm"),
        &root.join("dist/pkg/questlet.js"),
    )?;
    println!("{renamed} imports renamed");

    step("widget: wasm-opt again, on what is left");
    // After the strips above, a second pass finds more to drop. `--low-memory-unused`
    // folds constant offsets into loads and stores: sound because the module's stack comes
    // first (its pointer starts at 1 MiB and grows down), so the lowest 1 KiB is only ever
    // touched a hair before a stack overflow traps. `--converge` repeats until nothing
    // shrinks. Together about 1.3 KB brotli.
    let wasm = root.join("dist/pkg/questlet_bg.wasm");
    cmd!(
        sh,
        "wasm-opt {wasm} -Oz --low-memory-unused --converge -o {wasm}"
    )
    .run()?;

    step("widget: glue as an instance factory");
    let glue = root.join("dist/pkg/questlet.js");
    let js =
        std::fs::read_to_string(&glue).with_context(|| format!("reading {}", glue.display()))?;
    std::fs::write(
        &glue,
        glue::glue_factory(&js, &unused_classes::UNUSED_CLASSES)?,
    )
    .with_context(|| format!("writing {}", glue.display()))?;

    step("widget: minify JavaScript (terser)");
    // The glue and the solver are ES modules (the loader imports them); the loader is a
    // classic script.
    for (file, module) in [
        ("dist/pkg/questlet.js", true),
        ("dist/pow.js", true),
        ("dist/panels.js", true),
        ("dist/telegram.js", true),
        ("dist/wallet.js", true),
        ("dist/launcher.js", true),
        ("dist/questlet.js", false),
    ] {
        let module = module.then_some("--module");
        cmd!(
            sh,
            "terser {file} {module...} --compress --mangle --output {file}"
        )
        .run()?;
    }

    step("widget: hashed names, brotli and gzip copies");
    let published = publish::publish(&root.join("dist"))?;
    println!("{}", published.files.join("  "));
    Ok(())
}

/// Compiler flags that shorten the source paths a module carries (every panic location
/// names its file): the crates' download folders (`$CARGO_HOME/registry/src/<index>/`)
/// are left out, so `tachys-0.2.19/src/html/event.rs` remains. About 0.4 KB of brotli.
pub(crate) fn short_source_paths() -> String {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    let Some(sources) = cargo_home.map(|home| home.join("registry/src")) else {
        return String::new();
    };
    let Ok(indexes) = std::fs::read_dir(sources) else {
        return String::new();
    };
    indexes
        .flatten()
        .map(|index| format!("--remap-path-prefix={}/=", index.path().display()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds the widget in release mode into `dist/` with the widget's pinned tools only
/// (installed if missing: no browser, no database), and prints its transfer size.
pub fn install_and_build(root: &Path) -> anyhow::Result<()> {
    let node_bin_dir = crate::tools::install_widget_tools(root)?;
    build_release(root, &crate::tools::path_with(&node_bin_dir))?;
    measure(root)?.print();
    print_launcher(root)?;
    println!("on-demand chunks (each loads only for a widget that needs it):");
    measure_on_demand(root)?.print_files();
    Ok(())
}

/// Measures the widget last built into `root/dist`.
pub fn measure(root: &Path) -> anyhow::Result<Transfer> {
    let dist = root.join("dist");
    transfer::transfer(&dist, &transfer::shipped_files(&dist)?)
}

/// Measures and prints what a widget in launcher mode downloads first, as last built into
/// `root/dist` (reported, not held to the budget: like the wallet and Telegram chunks, the
/// launcher's loads only for the widgets that use it).
pub fn print_launcher(root: &Path) -> anyhow::Result<()> {
    let dist = root.join("dist");
    transfer::transfer(&dist, &transfer::launcher_files(&dist)?)?
        .print_total("launcher mode: loader + glue + wasm + launcher.js");
    Ok(())
}

/// Measures the on-demand chunks of the widget last built into `root/dist` (each loads
/// only for a widget that needs it).
pub fn measure_on_demand(root: &Path) -> anyhow::Result<Transfer> {
    let dist = root.join("dist");
    transfer::transfer(&dist, &transfer::on_demand_files(&dist)?)
}
