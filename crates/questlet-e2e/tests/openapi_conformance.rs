//! The OpenAPI document tells the truth: schemathesis (an independent client, pinned in
//! xtask) drives the running server from `/openapi.json` with every check and every phase,
//! stateful included, and finds nothing. Its settings are `fixtures/schemathesis.toml`.

use std::path::PathBuf;
use std::process::Command;

use questlet_e2e::fixtures::required_env;
use questlet_e2e::fixtures::server::QuestletServer;

#[tokio::test]
async fn schemathesis_finds_nothing_with_every_check() {
    let server = QuestletServer::start().await;
    let user_token = server.demo_user_token("schemathesis").await;
    let python = PathBuf::from(required_env("QUESTLET_PYTHON"));
    let schemathesis = python.with_file_name("schemathesis");
    let config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/schemathesis.toml");
    // Its working folder keeps a cache (replayed crashes among it): a fresh one per run, so
    // no run depends on an earlier one and nothing lands in the source tree.
    let workdir =
        std::env::temp_dir().join(format!("questlet-schemathesis-{}", std::process::id()));
    std::fs::create_dir_all(&workdir).unwrap();
    let run = |workers: &str| {
        let _ = std::fs::remove_dir_all(workdir.join(".schemathesis"));
        Command::new(&schemathesis)
            .current_dir(&workdir)
            .arg("--config-file")
            .arg(&config)
            .args(["run", &format!("{}/openapi.json", server.url)])
            .args(["--checks", "all", "--max-time", "90", "--workers", workers])
            .args(["--seed", "20261123"])
            .env("QUESTLET_API_TOKEN", &server.demo_api_token)
            .env("QUESTLET_USER_TOKEN", &user_token)
            .env("NO_COLOR", "1")
            .output()
            .unwrap_or_else(|e| panic!("running {}: {e}", schemathesis.display()))
    };
    let mut output = run("2");
    let mut report = String::from_utf8_lossy(&output.stdout).into_owned();
    // A crash of the tool itself (a "Runtime Error", such as Hypothesis reporting its own
    // flakiness) is not a finding about the API: run once more. Findings are never retried.
    // The crash seen is a KeyError in Hypothesis's cache of lambda sources, which two worker
    // threads share unguarded: the second run has one worker.
    if !output.status.success()
        && !report.contains("\nFailures:")
        && report.contains("Runtime Error")
    {
        println!("{report}\nschemathesis crashed without a finding; running it once more, alone");
        output = run("1");
        report = String::from_utf8_lossy(&output.stdout).into_owned();
    }
    println!("{report}");
    assert!(
        output.status.success(),
        "schemathesis found problems:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
