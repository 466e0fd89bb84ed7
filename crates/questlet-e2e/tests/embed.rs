//! Embedding: a host page on another origin adds the release-built widget with one script tag.

use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::find::wait_for_shadow_text;
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;

#[tokio::test]
async fn host_page_shows_the_demo_campaign_title_inside_the_shadow_root() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;

    browser.client.goto(&pages.page("demo.html")).await.unwrap();
    let title = wait_for_shadow_text(&browser.client, "#quests", "[part=campaign-title]").await;
    assert_eq!(title.trim(), "Questlet Launch Week");

    // The host page's own content is untouched.
    let heading = browser
        .client
        .execute("return document.querySelector('h1').textContent", vec![])
        .await
        .unwrap();
    assert_eq!(heading, "Partner site");
    browser.close().await;
}
