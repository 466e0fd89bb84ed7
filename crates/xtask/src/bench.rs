//! `cargo xtask bench`: the project's figures, printed.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::{step, tools, widget};

/// The widget's transfer budget (issue 5): loader + glue + wasm, gzip -9, in bytes.
const WIDGET_BUDGET_GZIP: usize = 150_000;

/// The files a host page downloads for the widget, in load order.
const WIDGET_FILES: [&str; 3] = ["questlet.js", "pkg/questlet.js", "pkg/questlet_bg.wasm"];

fn gzip9_len(bytes: &[u8]) -> anyhow::Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

/// Builds the release widget and prints its transfer size, file by file.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let toolchain = tools::install_all(root)?;
    widget::build_release(root, &toolchain.path_env())?;

    step("widget bytes (release build; the CSS is inside the wasm)");
    println!("{:<28} {:>10} {:>12}", "file", "raw", "gzip -9");
    let (mut raw_total, mut gz_total) = (0, 0);
    for name in WIDGET_FILES {
        let bytes = std::fs::read(root.join("dist").join(name))?;
        let gz = gzip9_len(&bytes)?;
        raw_total += bytes.len();
        gz_total += gz;
        println!("{name:<28} {:>10} {gz:>12}", bytes.len());
    }
    println!("{:<28} {raw_total:>10} {gz_total:>12}", "total");
    let verdict = if gz_total <= WIDGET_BUDGET_GZIP {
        format!("within the {} KB budget", WIDGET_BUDGET_GZIP / 1000)
    } else {
        format!(
            "OVER the {} KB budget by {} bytes",
            WIDGET_BUDGET_GZIP / 1000,
            gz_total - WIDGET_BUDGET_GZIP
        )
    };
    println!("transfer (loader + glue + wasm, CSS inside): {gz_total} bytes gzip -9, {verdict}");

    step("server throughput and latency (server-release build)");
    let sh = xshell::Shell::new()?;
    sh.change_dir(root);
    xshell::cmd!(
        sh,
        "cargo build --quiet --profile server-release -p questlet-server -p questlet-e2e --bins"
    )
    .run()?;
    let bin = root.join("target/server-release");
    let (server, bare, loadgen) = (
        bin.join("questlet-server"),
        bin.join("bare_axum"),
        bin.join("loadgen"),
    );
    xshell::cmd!(sh, "{loadgen} {server} {bare}").run()?;

    step("widget timings in headless Chromium");
    let widget_bench = bin.join("widget_bench");
    let _env = [
        sh.push_env("QUESTLET_SERVER_BIN", &server),
        sh.push_env("QUESTLET_WIDGET_DIR", root.join("dist")),
        sh.push_env("CHROMEDRIVER", &toolchain.chromedriver),
        sh.push_env("CHROMIUM", &toolchain.chromium),
    ];
    xshell::cmd!(sh, "{widget_bench}").run()?;
    Ok(())
}
