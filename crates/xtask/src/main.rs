//! `cargo xtask <command>`: Questlet's one automation entry point.
//!
//! - `install`: installs what is missing (pinned), skipping what is present.
//! - `widget`: builds the widget in release mode into `dist/`.
//! - `console`: builds the partner console in release mode into `crates/questlet-console/dist`.
//! - `dist`: builds the one-file release (server with the widget inside).
//! - `demo`: builds the widget in release mode and runs the server with the demo campaign.
//! - `test`: every check and test suite, as CI runs it.
//! - `bench`: prints the project's figures.
//!
//! This file only dispatches; each command lives in its own module.

mod bench;
mod console;
mod demo;
mod dist;
mod postgres;
mod test;
mod tools;
mod widget;

use std::path::PathBuf;

use anyhow::bail;

const USAGE: &str = "usage: cargo xtask <install | widget | console | dist | demo | test | bench>

  install  install the pinned toolchain (wasm32 target, wasm-bindgen-cli, trunk, wasm-opt, terser,
           Chromium + ChromeDriver, PostgreSQL), skipping what is present
  widget   build the widget (release) into dist/ and print its transfer size
  console  build the partner console (release) into crates/questlet-console/dist
  dist     the self-hosting release: target/dist/questlet-server, the widget inside
  demo     build the widget (release) and run the server with the demo campaign
           (options: --addr <ip:port>, default 127.0.0.1:8080)
  test     fmt, clippy (host and wasm32), native tests on SQLite and PostgreSQL,
           browser tests in headless Chromium, the widget's 120 KB transfer budget (brotli),,
           end-to-end tests
  bench    print the project's figures (widget bytes raw, gzip, brotli, ...)";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("install") => tools::install_all(&root).map(|_| ()),
        Some("widget") => widget::install_and_build(&root),
        Some("console") => console::install_and_build(&root),
        Some("dist") => dist::build(&root).map(|_| ()),
        Some("demo") => demo::run(&root, &args[1..]),
        Some("test") => test::run(&root),
        Some("bench") => bench::run(&root),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
}

/// The workspace root (this crate lives in `crates/xtask`).
fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask sits two levels below the workspace root")
        .to_path_buf()
}

/// Prints a step header, so a long CI log reads as a list of steps.
fn step(name: &str) {
    println!("\n==> {name}");
}
