//! The one-file release: the binary from `cargo xtask dist`, copied alone into an empty
//! folder and started there, serves the widget and the partner console (from inside
//! itself) and the API.

use std::process::{Command, Stdio};

use questlet_e2e::fixtures::server::wait_until_ready;
use questlet_e2e::fixtures::{free_port, required_env};

#[tokio::test]
async fn the_release_binary_alone_serves_the_widget_the_console_and_the_api() {
    let folder = std::env::temp_dir().join(format!("questlet-dist-{}", free_port()));
    std::fs::create_dir_all(&folder).unwrap();
    let binary = folder.join("questlet-server");
    std::fs::copy(required_env("QUESTLET_SERVER_BIN"), &binary).unwrap();
    let port = free_port();
    let mut child = Command::new(&binary)
        .current_dir(&folder)
        .env_remove("QUESTLET_WIDGET_DIR")
        .env_remove("QUESTLET_CONSOLE_DIR")
        .env_remove("DATABASE_URL")
        .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    wait_until_ready(&url).await;

    // The folder holds nothing but the binary and the database it created.
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(
        names
            .iter()
            .all(|n| n == "questlet-server" || n.starts_with("questlet.db")),
        "{names:?}"
    );

    let loader = http
        .get(format!("{url}/widget/questlet.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(loader.status(), 200);
    assert_eq!(loader.headers()["content-encoding"], "br");
    // The loader names the hashed module, which the binary serves too.
    let plain = http
        .get(format!("{url}/widget/questlet.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let wasm = plain
        .split('"')
        .find(|s| s.starts_with("pkg/questlet_bg.") && s.ends_with(".wasm"))
        .unwrap_or_else(|| panic!("the loader names no wasm: {plain}"))
        .to_owned();
    let module = http
        .get(format!("{url}/widget/{wasm}"))
        .send()
        .await
        .unwrap();
    assert_eq!(module.status(), 200);
    assert_eq!(module.headers()["content-type"], "application/wasm");
    assert_eq!(&module.bytes().await.unwrap()[..4], b"\0asm");

    // The console: its page under its policy, and the files the page names.
    let page = http.get(format!("{url}/console/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    let page = page.text().await.unwrap();
    let script = page
        .split('"')
        .find(|s| s.starts_with("/console/questlet-console-") && s.ends_with(".js"))
        .unwrap_or_else(|| panic!("the console page names no script: {page}"))
        .to_owned();
    let script = http.get(format!("{url}{script}")).send().await.unwrap();
    assert_eq!(script.status(), 200);
    assert!(script.text().await.unwrap().contains("__wbindgen"));

    let campaign = http
        .get(format!("{url}/v1/widget/demo/campaigns/launch-week"))
        .send()
        .await
        .unwrap();
    assert_eq!(campaign.status(), 200);
    let campaign: serde_json::Value = campaign.json().await.unwrap();
    assert_eq!(campaign["campaign"]["title"], "Questlet Launch Week");

    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&folder);
}
