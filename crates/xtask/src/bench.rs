//! `cargo xtask bench`: the project's figures, printed.

use std::path::Path;

use crate::postgres::TestPostgres;
use crate::{step, tools, widget};

/// Builds the release widget and prints its transfer size, file by file.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let toolchain = tools::install_all(root)?;
    widget::build_release(root, &toolchain.path_env())?;

    step("widget bytes (release build; the CSS is inside the wasm)");
    widget::measure(root)?.print();
    widget::print_launcher(root)?;
    step("on-demand chunks (each loads only for a widget that needs it)");
    widget::measure_on_demand(root)?.print_files();
    let console = crate::console::build_release(root, &toolchain.path_env())?;
    step("partner console bytes (release build; not held to the widget's budget)");
    console.print_files();

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
    // A local PostgreSQL that syncs its commits, so its completion figures keep the same
    // promise as SQLite's.
    let postgres = TestPostgres::start(&toolchain.postgres_bin, true)?;
    let postgres_url = &postgres.url;
    xshell::cmd!(sh, "{loadgen} {server} {bare} {postgres_url}").run()?;
    drop(postgres);

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
