//! The widget's timing benchmark behind `cargo xtask bench`, in headless Chromium against the
//! running server and the release build: from the loader's script start to the campaign
//! painted, from submitting a task to its completion painted (points updated), and the
//! memory each widget costs its page with 1, 10 and 50 widgets on it (every widget is its own
//! WebAssembly instance: its linear memory is an array buffer's backing store).
//!
//! Environment as for the end-to-end tests: `QUESTLET_SERVER_BIN`, `QUESTLET_WIDGET_DIR`,
//! `CHROMEDRIVER`.

use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::devtools::cdp;
use questlet_e2e::fixtures::find::{
    click_in_shadow, eval, type_in_shadow, wait_for_shadow_text_eq,
};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::json;

/// Page loads measured (after one warm-up).
const RUNS: usize = 10;

fn summary(mut samples: Vec<f64>) -> String {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    format!(
        "median {:>7.1} ms   p90 {:>7.1} ms   min {:>7.1} ms",
        at(0.5),
        at(0.9),
        samples[0]
    )
}

#[tokio::main]
async fn main() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let (mut painted, mut repaint) = (Vec::new(), Vec::new());
    for run in 0..=RUNS {
        client.goto(&pages.page("bench.html")).await.unwrap();
        let paint_ms = eval(client, "window.__painted").await.as_f64().unwrap();
        let token = server.demo_user_token(&format!("bench-{run}")).await;
        client
            .execute("Questlet.setUserToken(arguments[0]);", vec![json!(token)])
            .await
            .unwrap();
        wait_for_shadow_text_eq(client, "#quests", "[part=points]", "0 XP").await;
        click_in_shadow(
            client,
            "#quests",
            "[part=quest-card][data-status=available]",
        )
        .await;
        type_in_shadow(
            client,
            "#quests",
            "[data-kind=secret_code] [part=task-input]",
            "LAUNCH-2026",
        )
        .await;
        let completion_ms = client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   const t = performance.now();
                   window.__shadow("[data-kind=secret_code] [part=task-submit]").click();
                   window.__until(() => {
                       const p = window.__shadow("[part=points]");
                       return p && p.textContent.trim() === "50 XP";
                   }, t).then(done);"#,
                vec![],
            )
            .await
            .unwrap()
            .as_f64()
            .unwrap();
        if run > 0 {
            painted.push(paint_ms);
            repaint.push(completion_ms);
        }
    }
    println!("widget in headless Chromium, release build, server on SQLite, {RUNS} page loads");
    println!("script start -> campaign painted   {}", summary(painted));
    println!("task submit  -> completion painted {}", summary(repaint));
    memory_per_widget(client, &pages).await;
    browser.close().await;
}

/// The page's JavaScript heap and array-buffer backing stores after a full GC, in bytes.
async fn page_memory(client: &fantoccini::Client) -> (f64, f64) {
    cdp(client, "HeapProfiler.collectGarbage", json!({})).await;
    let usage = cdp(client, "Runtime.getHeapUsage", json!({})).await;
    let bytes = |key: &str| usage[key].as_f64().unwrap_or(0.0);
    (bytes("usedSize"), bytes("backingStorageSize"))
}

/// Loads the memory page with `count` widgets, waits until all have painted, and measures
/// the JS heap, the array buffers, and the widgets' WebAssembly linear memory.
async fn memory_with(
    client: &fantoccini::Client,
    pages: &HostPages,
    count: usize,
) -> (f64, f64, f64) {
    // A fresh document each time (the hash alone would not reload it).
    client.goto("about:blank").await.unwrap();
    client
        .goto(&format!("{}#{count}", pages.page("memory.html")))
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while eval(client, "window.__painted()").await.as_u64() != Some(count as u64) {
        assert!(
            std::time::Instant::now() < deadline,
            "{count} widgets never painted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (heap, buffers) = page_memory(client).await;
    let linear = match count {
        0 => 0.0,
        _ => eval(client, "Questlet.__stats().wasmMemoryBytes")
            .await
            .as_f64()
            .unwrap(),
    };
    (heap, buffers, linear)
}

async fn memory_per_widget(client: &fantoccini::Client, pages: &HostPages) {
    let (base_heap, base_buffers, _) = memory_with(client, pages, 0).await;
    println!("memory per widget, KB (page with N widgets minus the page without, after a GC)");
    println!(
        "{:>8} {:>12} {:>12} {:>14} {:>12}",
        "widgets", "JS heap", "buffers", "wasm memory", "total"
    );
    for count in [1, 10, 50] {
        let (heap, buffers, linear) = memory_with(client, pages, count).await;
        let per = |bytes: f64| bytes / count as f64 / 1024.0;
        let (heap, buffers, linear) = (
            per(heap - base_heap),
            per(buffers - base_buffers),
            per(linear),
        );
        println!(
            "{count:>8} {heap:>12.0} {buffers:>12.0} {linear:>14.0} {:>12.0}",
            heap + buffers + linear
        );
    }
}
