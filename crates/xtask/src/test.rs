//! `cargo xtask test`: every check and every test suite, in the order CI runs them.

use std::path::Path;

use xshell::{cmd, Shell};

use crate::postgres::TestPostgres;
use crate::{dist, step, tools, widget};

/// Runs formatting and lint checks, native tests on SQLite and PostgreSQL, the widget's
/// browser tests, and the end-to-end tests.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let toolchain = tools::install_all(root)?;
    let sh = Shell::new()?;
    sh.change_dir(root);
    let _path = sh.push_env("PATH", toolchain.path_env());
    let chromedriver = toolchain.chromedriver.clone();
    let chromium = toolchain.chromium.clone();

    step("cargo fmt --check");
    cmd!(sh, "cargo fmt --all -- --check").run()?;

    step("clippy (host)");
    cmd!(
        sh,
        "cargo clippy --workspace --exclude questlet --exclude questlet-console --all-targets -- -D warnings"
    )
    .run()?;

    step("clippy (wasm32)");
    cmd!(
        sh,
        "cargo clippy -p questlet -p questlet-types -p questlet-console --target wasm32-unknown-unknown --all-targets -- -D warnings"
    )
    .run()?;

    // The server's suite checks webhook deliveries with Python's `standardwebhooks`.
    let _python = sh.push_env("QUESTLET_PYTHON", &toolchain.python);
    step("native tests (server integration suite on SQLite)");
    cmd!(
        sh,
        "cargo test --workspace --exclude questlet --exclude questlet-console --exclude questlet-e2e"
    )
    .run()?;

    {
        let postgres = TestPostgres::start(&toolchain.postgres_bin, false)?;
        step("server integration suite on PostgreSQL");
        let _db = sh.push_env("QUESTLET_TEST_DATABASE_URL", &postgres.url);
        cmd!(sh, "cargo test -p questlet-server --test api").run()?;
    }

    step("widget tests in headless Chromium (wasm-bindgen-test)");
    {
        let _driver = sh.push_env("CHROMEDRIVER", &chromedriver);
        cmd!(sh, "cargo test -p questlet --target wasm32-unknown-unknown").run()?;
    }
    step("widget tests in headless Firefox ESR (wasm-bindgen-test)");
    {
        // The test runner takes GECKODRIVER first when it is set.
        let _driver = sh.push_env("GECKODRIVER", &toolchain.geckodriver);
        cmd!(sh, "cargo test -p questlet --target wasm32-unknown-unknown").run()?;
    }

    widget::build_release(root, &toolchain.path_env())?;
    step("widget transfer size (budget)");
    let transfer = widget::measure(root)?;
    transfer.print();
    widget::print_launcher(root)?;
    if !transfer.within_budget() {
        anyhow::bail!(
            "the widget's transfer is over the {} KB budget",
            widget::BUDGET_BROTLI / 1000
        );
    }

    let console = crate::console::build_release(root, &toolchain.path_env())?;
    step("console files");
    console.print_files();

    // The end-to-end tests run the release binary, the widget inside it (one test runs it
    // alone from an empty folder; the others serve dist/ with --widget-dir).
    let server_bin = dist::build_server(root)?;
    step("end-to-end tests (host pages + release widget + server, headless Chromium)");
    let widget_dir = root.join("dist");
    let _env = [
        sh.push_env("QUESTLET_SERVER_BIN", server_bin),
        sh.push_env("QUESTLET_WIDGET_DIR", widget_dir),
        sh.push_env("QUESTLET_CONSOLE_DIR", root.join(crate::console::DIST)),
        sh.push_env("CHROMEDRIVER", &chromedriver),
        sh.push_env("CHROMIUM", &chromium),
    ];
    cmd!(sh, "cargo test -p questlet-e2e -- --test-threads 1").run()?;

    step("end-to-end embedding scenarios in headless Firefox ESR");
    {
        let _firefox = [
            sh.push_env("QUESTLET_BROWSER", "firefox"),
            sh.push_env("GECKODRIVER", &toolchain.geckodriver),
            sh.push_env("FIREFOX", &toolchain.firefox),
        ];
        // Plain, hostile, strict-CSP and late embeds, mount and destroy, the user flow, the
        // host API, the launcher, and the screenshots (Firefox's own baselines).
        cmd!(
            sh,
            "cargo test -p questlet-e2e --test widget --test host_api --test launcher --test screenshots -- --test-threads 1"
        )
        .run()?;
    }

    step("all green");
    Ok(())
}
