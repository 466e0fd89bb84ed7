//! Installs the pinned toolchain, idempotently: each tool is checked first and only
//! installed when missing or at the wrong version. See `../shared/TOOLCHAIN.md` for why each
//! pin is what it is.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use xshell::{cmd, Shell};

use crate::step;

/// trunk 0.22 needs a newer rustc than these machines have.
const TRUNK_VERSION: &str = "0.21.14";
/// binaryen from npm; Debian's wasm-opt (108) silently breaks release builds.
const BINARYEN_VERSION: &str = "132";
/// terser from npm minifies the widget's JavaScript (trunk's own minifier breaks the glue).
const TERSER_VERSION: &str = "5.36.0";
/// The other npm packages the tests and the demo use, by name and version, each with why:
/// independent implementations the tests check the server against, and scripts the demo
/// serves.
const NODE_PACKAGES: &[(&str, &str)] = &[
    // Telegram's reference initData signer and validator: the Telegram sign-in tests sign
    // with it.
    ("@telegram-apps/init-data-node", "2.0.10"),
    // Telegram's own Mini App script (`telegram-web-apps.js`), for the Mini App page's
    // browser tests and demo.
    ("@twa-dev/sdk", "8.0.2"),
    // The reference Sign-In with Ethereum message builder, and ethers' wallet to sign with:
    // the wallet sign-in tests make their messages with them.
    ("siwe", "3.0.0"),
    ("ethers", "6.17.0"),
    // A local EVM node (the package carries the binary): the wallet and on-chain tests
    // start it, and the demo's dApp page signs in on it.
    ("@foundry-rs/anvil-linux-amd64", "1.7.1"),
    // The accessibility rules engine: the console's end-to-end tests audit its pages.
    ("axe-core", "4.11.0"),
];

/// Paths of the installed tools that later steps need.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// Folder holding `wasm-opt` and `terser`, put first on PATH for trunk and the minifier.
    pub node_bin_dir: PathBuf,
    /// The ChromeDriver binary.
    pub chromedriver: PathBuf,
    /// The Chromium binary.
    pub chromium: PathBuf,
    /// The geckodriver binary.
    pub geckodriver: PathBuf,
    /// The Firefox ESR binary.
    pub firefox: PathBuf,
    /// Folder of PostgreSQL's server binaries.
    pub postgres_bin: PathBuf,
    /// Python with authlib and schemathesis, for the interoperability tests.
    pub python: PathBuf,
}

impl Toolchain {
    /// PATH with the project's tools first.
    pub fn path_env(&self) -> std::ffi::OsString {
        path_with(&self.node_bin_dir)
    }
}

/// PATH with the project's npm tools (`node_bin_dir`) and cargo's binaries first, so the
/// pinned wasm-opt, terser, trunk and wasm-bindgen win over any others.
pub fn path_with(node_bin_dir: &Path) -> std::ffi::OsString {
    let mut paths = vec![node_bin_dir.to_path_buf(), cargo_bin()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).expect("PATH entries contain no separator")
}

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

/// Whether npm package `name` is installed in `modules` at `version`.
fn has_package(modules: &Path, name: &str, version: &str) -> bool {
    std::fs::read_to_string(modules.join(name).join("package.json")).is_ok_and(|manifest| {
        let compact: String = manifest.chars().filter(|c| !c.is_whitespace()).collect();
        compact.contains(&format!("\"version\":\"{version}\""))
    })
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    })
}

fn is_root() -> bool {
    output("id", &["-u"]).is_some_and(|uid| uid.trim() == "0")
}

/// The wasm-bindgen version Cargo.lock pins (the CLI must match it exactly).
pub fn locked_wasm_bindgen_version(root: &Path) -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    bail!("Cargo.lock has no wasm-bindgen package")
}

/// Everything the widget build needs: the wasm32 target, wasm-bindgen-cli, trunk, wasm-opt.
pub fn install_widget_tools(root: &Path) -> anyhow::Result<PathBuf> {
    let sh = Shell::new()?;
    step("toolchain: wasm32-unknown-unknown target");
    let installed = cmd!(sh, "rustup target list --installed").read()?;
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        println!("present");
    } else {
        cmd!(sh, "rustup target add wasm32-unknown-unknown").run()?;
    }

    let bindgen = locked_wasm_bindgen_version(root)?;
    step(&format!("toolchain: wasm-bindgen-cli {bindgen}"));
    let have = output(
        &cargo_bin().join("wasm-bindgen").to_string_lossy(),
        &["--version"],
    );
    if have.is_some_and(|v| v.trim() == format!("wasm-bindgen {bindgen}")) {
        println!("present");
    } else {
        // Without --locked: a locked dependency of this CLI version is missing from the registry.
        cmd!(
            sh,
            "cargo install wasm-bindgen-cli --version {bindgen} --force"
        )
        .run()?;
    }

    step(&format!("toolchain: trunk {TRUNK_VERSION}"));
    let have = output(&cargo_bin().join("trunk").to_string_lossy(), &["--version"]);
    if have.is_some_and(|v| v.trim() == format!("trunk {TRUNK_VERSION}")) {
        println!("present");
    } else {
        cmd!(
            sh,
            "cargo install trunk --version {TRUNK_VERSION} --locked --force"
        )
        .run()?;
    }

    let others: Vec<String> = NODE_PACKAGES
        .iter()
        .map(|(name, version)| format!("{name}@{version}"))
        .collect();
    step(&format!(
        "toolchain: wasm-opt (npm binaryen@{BINARYEN_VERSION}), terser@{TERSER_VERSION}, {} in tools/",
        others.join(", ")
    ));
    let tools = root.join("tools");
    let bin_dir = tools.join("node_modules").join(".bin");
    let wasm_opt = output(&bin_dir.join("wasm-opt").to_string_lossy(), &["--version"]);
    let terser = output(&bin_dir.join("terser").to_string_lossy(), &["--version"]);
    let modules = tools.join("node_modules");
    if wasm_opt.is_some_and(|v| v.contains(&format!("version {BINARYEN_VERSION}")))
        && terser.is_some_and(|v| v.trim() == format!("terser {TERSER_VERSION}"))
        && NODE_PACKAGES
            .iter()
            .all(|(name, version)| has_package(&modules, name, version))
    {
        println!("present");
    } else {
        std::fs::create_dir_all(&tools)?;
        // One command for all: an `npm install --no-save` prunes packages it was not given.
        let packages = [
            vec![
                format!("binaryen@{BINARYEN_VERSION}"),
                format!("terser@{TERSER_VERSION}"),
            ],
            others,
        ]
        .concat();
        cmd!(
            sh,
            "npm install --prefix {tools} --no-audit --no-fund --no-save {packages...}"
        )
        .run()?;
    }
    Ok(bin_dir)
}

fn apt_install(packages: &[&str], what: &str) -> anyhow::Result<()> {
    let command = format!(
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y {}",
        packages.join(" ")
    );
    if !is_root() {
        bail!("{what} is missing; install it as root with:\n    sudo sh -c '{command}'");
    }
    let sh = Shell::new()?;
    cmd!(sh, "sh -c {command}").run()?;
    Ok(())
}

/// Chromium and ChromeDriver from Debian's packages.
pub fn install_browser() -> anyhow::Result<(PathBuf, PathBuf)> {
    step("toolchain: Chromium and ChromeDriver");
    let chromium = PathBuf::from("/usr/bin/chromium");
    let chromedriver = PathBuf::from("/usr/bin/chromedriver");
    if chromium.exists() && chromedriver.exists() {
        println!("present");
    } else {
        apt_install(&["chromium", "chromium-driver"], "Chromium")?;
    }
    Ok((chromium, chromedriver))
}

/// Firefox ESR from Debian's packages and geckodriver 0.37.1 from crates.io: the second
/// engine the widget's browser tests and embedding scenarios run in.
pub fn install_firefox() -> anyhow::Result<(PathBuf, PathBuf)> {
    step("toolchain: Firefox ESR and geckodriver");
    let firefox = PathBuf::from("/usr/bin/firefox-esr");
    if firefox.exists() {
        println!("firefox-esr present");
    } else {
        apt_install(&["firefox-esr"], "Firefox ESR")?;
    }
    let geckodriver = cargo_bin().join("geckodriver");
    if output(&geckodriver.to_string_lossy(), &["--version"])
        .is_some_and(|version| version.contains("geckodriver 0.37.1"))
    {
        println!("geckodriver 0.37.1 present");
    } else {
        let sh = Shell::new()?;
        cmd!(sh, "cargo install geckodriver --version 0.37.1 --locked").run()?;
    }
    Ok((firefox, geckodriver))
}

/// The folder of PostgreSQL's server binaries (`initdb`, `pg_ctl`, `postgres`), installing
/// Debian's `postgresql` package when none is found.
pub fn install_postgres() -> anyhow::Result<PathBuf> {
    step("toolchain: PostgreSQL");
    if let Some(dir) = find_postgres_bin() {
        println!("present: {}", dir.display());
        return Ok(dir);
    }
    apt_install(&["postgresql"], "PostgreSQL")?;
    find_postgres_bin().context("PostgreSQL installed but initdb not found")
}

fn find_postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists() && bin.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop()
}

/// Python packages of the independent-client tests: authlib (a standard OAuth2 client and
/// JOSE library), schemathesis (OpenAPI conformance) and standardwebhooks (the reference
/// signer and verifier of partner calls).
const PYTHON_PACKAGES: [&str; 5] = [
    "authlib==1.6.5",
    "requests==2.32.5",
    "cryptography==46.0.3",
    "schemathesis==4.32.5",
    "standardwebhooks==1.1.0",
];

/// A Python virtualenv in `tools/python` with [`PYTHON_PACKAGES`].
pub fn install_python_client(root: &Path) -> anyhow::Result<PathBuf> {
    step("toolchain: Python authlib, schemathesis and standardwebhooks (tools/python)");
    let venv = root.join("tools").join("python");
    let python = venv.join("bin").join("python");
    let check = "import authlib, requests, cryptography, standardwebhooks; \
                 from importlib.metadata import version; \
                 print(authlib.__version__, version('schemathesis'), version('standardwebhooks'))";
    if output(&python.to_string_lossy(), &["-c", check])
        .is_some_and(|v| v.trim() == "1.6.5 4.32.5 1.1.0")
    {
        println!("present");
        return Ok(python);
    }
    let sh = Shell::new()?;
    cmd!(sh, "python3 -m venv {venv}").run()?;
    cmd!(
        sh,
        "{python} -m pip install --quiet --disable-pip-version-check {PYTHON_PACKAGES...}"
    )
    .run()?;
    Ok(python)
}

/// Installs everything every command may need.
pub fn install_all(root: &Path) -> anyhow::Result<Toolchain> {
    let node_bin_dir = install_widget_tools(root)?;
    let (chromium, chromedriver) = install_browser()?;
    let (firefox, geckodriver) = install_firefox()?;
    let postgres_bin = install_postgres()?;
    let python = install_python_client(root)?;
    Ok(Toolchain {
        python,
        node_bin_dir,
        chromedriver,
        chromium,
        geckodriver,
        firefox,
        postgres_bin,
    })
}
