//! How the server delivers the widget to a browser: brotli, content-hashed names cached
//! forever, a loader that revalidates with a 304, and the transfer budget measured on the
//! bytes a browser actually receives.

use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::find::{eval, wait_for_shadow_text};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::Value;

/// The widget's transfer budget: loader + glue + wasm as received, in bytes.
const BUDGET: u64 = 120_000;

#[tokio::test]
async fn a_browser_gets_brotli_hashed_immutable_files_within_the_budget() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client.goto(&pages.page("spa.html")).await.unwrap();
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;

    // What the browser downloaded, by Resource Timing (the server allows it cross-origin).
    let entries = eval(
        client,
        "performance.getEntriesByType('resource')
            .filter(e => e.name.includes('/widget/'))
            .map(e => [e.name, e.encodedBodySize, e.decodedBodySize])",
    )
    .await;
    let entries = entries.as_array().expect("resource entries").clone();
    let find = |pattern: &str| -> (String, u64, u64) {
        let entry: &Value = entries
            .iter()
            .find(|e| e[0].as_str().unwrap().contains(pattern))
            .unwrap_or_else(|| panic!("no {pattern} among {entries:?}"));
        (
            entry[0].as_str().unwrap().to_owned(),
            entry[1].as_u64().unwrap(),
            entry[2].as_u64().unwrap(),
        )
    };
    let loader = find("/widget/questlet.js");
    let glue = find("/widget/pkg/questlet.");
    let wasm = find("/widget/pkg/questlet_bg.");
    let hashed = |url: &str| {
        url.rsplit('/')
            .next()
            .unwrap()
            .split('.')
            .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    assert!(hashed(&glue.0) && hashed(&wasm.0), "{glue:?} {wasm:?}");

    // reqwest is built without decompression: bodies arrive as sent.
    let http = reqwest::Client::new();
    let mut received = 0;
    for (url, encoded, decoded) in [&loader, &glue, &wasm] {
        // The browser got the compressed body: the server's brotli copy, byte for byte.
        let response = http
            .get(url)
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        assert_eq!(header("content-encoding"), "br", "{url}");
        assert_eq!(header("vary"), "Accept-Encoding", "{url}");
        let cache = header("cache-control");
        if url == &loader.0 {
            assert_eq!(cache, "public, max-age=300", "{url}");
        } else {
            assert_eq!(cache, "public, max-age=31536000, immutable", "{url}");
        }
        let brotli_len = response.bytes().await.unwrap().len() as u64;
        assert_eq!(
            *encoded, brotli_len,
            "{url}: the browser received the brotli body"
        );
        assert!(encoded < decoded, "{url}: {encoded} encoded of {decoded}");
        received += encoded;
    }
    println!("widget received by the browser: {received} bytes (brotli)");
    assert!(
        received <= BUDGET,
        "the widget's transfer is {received} bytes, over the {BUDGET}-byte budget"
    );

    // The loader's URL never changes: a browser revalidates it and gets a 304.
    let first = http
        .get(&loader.0)
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = http
        .get(&loader.0)
        .header("accept-encoding", "br")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    // ...and gets the file again with a stale ETag.
    let stale = http
        .get(&loader.0)
        .header("accept-encoding", "br")
        .header("if-none-match", "\"stale\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);
    browser.close().await;
}
