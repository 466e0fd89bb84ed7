//! `cargo xtask demo`: the whole product on one machine, for a newcomer.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::Context;
use xshell::{cmd, Shell};

use crate::{step, widget};

/// Builds the widget and the console (release), starts a local chain with the demo contracts (anvil, for
/// the dApp page), and runs the server on `.questlet/demo.db` with the demo organization
/// and campaigns; the server prints the URLs and demo credentials.
pub fn run(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let addr = match args {
        [] => "127.0.0.1:8080".to_owned(),
        [flag, addr] if flag == "--addr" => addr.clone(),
        _ => anyhow::bail!("usage: cargo xtask demo [--addr <ip:port>]"),
    };
    widget::install_and_build(root)?;
    crate::console::install_and_build(root)?;
    let console_dir = root.join(crate::console::DIST);
    // Telegram's Mini App script for the demo's Mini App page (installed with the widget's
    // npm tools).
    let telegram_script = root.join("tools/node_modules/@twa-dev/sdk/dist/telegram-web-apps.js");
    let chain = LocalChain::start(root)?;
    let evm_chain = format!("31337={}", chain.rpc_url);
    std::fs::create_dir_all(root.join(".questlet"))?;
    step(&format!("server: http://{addr} (Ctrl-C to stop)"));
    let sh = Shell::new()?;
    cmd!(
        sh,
        "cargo run --quiet -p questlet-server -- --database-url sqlite://.questlet/demo.db serve --demo --dev --widget-dir dist --console-dir {console_dir} --addr {addr} --demo-telegram-script {telegram_script} --evm-chain {evm_chain}"
    )
    .run()?;
    Ok(())
}

/// A local chain for the dApp page: anvil (npm `@foundry-rs/anvil-linux-amd64`, installed
/// with the widget's tools) on 127.0.0.1, fresh, with the demo contracts deployed. Stopped
/// when dropped.
struct LocalChain {
    child: Child,
    rpc_url: String,
}

impl Drop for LocalChain {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl LocalChain {
    /// Starts anvil (on port 8545, where wallets look for a local node, else any free port)
    /// and deploys the test ERC-20 and ERC-721 from its account #0. On a fresh chain they
    /// land at the addresses the demo's on-chain campaign names; the deploy script checks.
    fn start(root: &Path) -> anyhow::Result<Self> {
        step("local chain: anvil with the demo contracts");
        let port = if std::net::TcpListener::bind("127.0.0.1:8545").is_ok() {
            8545
        } else {
            0
        };
        let binary = root.join("tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        let mut child = Command::new(&binary)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("anvil's output")?;
        let mut lines = BufReader::new(stdout).lines();
        let address = loop {
            let Some(line) = lines.next() else {
                anyhow::bail!("anvil stopped before it listened");
            };
            if let Some(address) = line?.trim().strip_prefix("Listening on ") {
                break address.to_owned();
            }
        };
        // Keep reading its output, so anvil never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let chain = Self {
            child,
            rpc_url: format!("http://{address}"),
        };
        let sh = Shell::new()?;
        let modules = root.join("tools/node_modules");
        let _modules = sh.push_env("NODE_PATH", &modules);
        let compiled = root.join("crates/questlet-e2e/fixtures/contracts/compiled.json");
        let campaign = root.join("crates/questlet-server/demo/on-chain.json");
        let rpc_url = &chain.rpc_url;
        let deploy = DEPLOY;
        cmd!(sh, "node -e {deploy} {compiled} {campaign} {rpc_url}")
            .quiet()
            .run()?;
        println!("anvil at {rpc_url}");
        Ok(chain)
    }
}

/// Deploys the demo contracts (`node -e DEPLOY <compiled.json> <on-chain.json> <RPC URL>`)
/// with npm `ethers` from anvil's unlocked account #0, and checks that they landed where
/// the demo campaign expects them.
const DEPLOY: &str = r#"
const { JsonRpcProvider } = require("ethers");
const fs = require("fs");
const [compiledPath, campaignPath, url] = process.argv.slice(1);
const compiled = JSON.parse(fs.readFileSync(compiledPath, "utf8"));
const campaign = fs.readFileSync(campaignPath, "utf8").toLowerCase();
(async () => {
  const signer = await new JsonRpcProvider(url).getSigner(0);
  for (const name of ["TestERC20", "TestERC721"]) {
    const sent = await signer.sendTransaction({ data: compiled[name].bytecode });
    const address = (await sent.wait()).contractAddress;
    if (!campaign.includes(address.toLowerCase())) {
      throw new Error(`${name} landed at ${address}, which the demo campaign does not name: is this anvil fresh?`);
    }
    console.log(`${name}: ${address}`);
  }
})().catch((error) => { console.error(error.message || error); process.exit(1); });
"#;
