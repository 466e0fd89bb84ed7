//! The seed contracts against standard tooling: `questlet-server org create --json` prints the
//! first credentials once, and a standard OAuth2 client library (Python's authlib) gets a
//! token with client credentials, calls a protected endpoint, and verifies the token against
//! the JWKS with a standard JOSE implementation (authlib.jose).

use std::process::Command;

use questlet_e2e::fixtures::required_env;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::Value;

#[tokio::test]
async fn authlib_gets_a_token_calls_the_api_and_verifies_the_jwt_against_the_jwks() {
    let db = std::env::temp_dir().join(format!("questlet-interop-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&db);
    let url = format!("sqlite://{}", db.display());
    let output = Command::new(required_env("QUESTLET_SERVER_BIN"))
        .args(["--database-url", &url, "org", "create", "acme", "--json"])
        .output()
        .expect("run org create");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let created: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    for key in ["organization", "api_token", "client_id", "client_secret"] {
        assert!(
            created[key].as_str().is_some_and(|v| !v.is_empty()),
            "{key} in {created}"
        );
    }
    assert_eq!(created["organization"], "acme");

    // The same slug again is refused, and prints no credentials.
    let again = Command::new(required_env("QUESTLET_SERVER_BIN"))
        .args(["--database-url", &url, "org", "create", "acme", "--json"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(again.stdout.is_empty());

    let server = QuestletServer::start_on(&url).await;
    for method in ["client_secret_basic", "client_secret_post"] {
        let output = Command::new(required_env("QUESTLET_PYTHON"))
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/oauth_client.py"
            ))
            .args([&server.url, created["client_id"].as_str().unwrap()])
            .args([created["client_secret"].as_str().unwrap(), method])
            .output()
            .expect("run the authlib client");
        assert!(
            output.status.success(),
            "{method}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let seen: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(seen["token_type"], "Bearer", "{method}");
        assert_eq!(seen["expires_in"], 3600, "{method}");
        assert_eq!(seen["protected_status"], 200, "{method}");
        assert_eq!(seen["alg"], "EdDSA", "{method}");
        assert_eq!(seen["aud"], "questlet-api", "{method}");
        assert_eq!(seen["sub"], created["client_id"], "{method}");
    }
}
