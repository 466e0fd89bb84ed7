//! The widget's timing benchmark behind `cargo xtask bench`, in headless Chromium against the
//! running server and the release build: from the loader's script start to the campaign
//! painted, and from submitting a task to its completion painted (points updated).
//!
//! Environment as for the end-to-end tests: `QUESTLET_SERVER_BIN`, `QUESTLET_WIDGET_DIR`,
//! `CHROMEDRIVER`.

use questlet_e2e::fixtures::browser::Browser;
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
    browser.close().await;
}
