//! Mounting into a shadow root, inline configuration errors, and unmounting.

use questlet::config::{parse_config, ConfigError};
use questlet::mount::{mount_into, mounted_count, unmount};
use wasm_bindgen_test::*;

use crate::support::{fresh_host, record_events, shadow_query, tick};

fn bad_config() -> Result<questlet::config::WidgetConfig, ConfigError> {
    parse_config(
        |name| (name == "organization").then(|| "acme".to_owned()),
        "http://x",
    )
}

#[wasm_bindgen_test]
async fn bad_config_shows_an_inline_error_naming_the_attribute() {
    let host = fresh_host();
    mount_into(&host, bad_config()).unwrap();
    tick().await;
    let error = shadow_query(&host, "[part=error]").expect("an inline error");
    let text = error.text_content().unwrap();
    assert!(text.contains("data-campaign is missing"), "{text}");
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
}

#[wasm_bindgen_test]
async fn widget_renders_inside_an_open_shadow_root_with_its_styles() {
    let host = fresh_host();
    mount_into(&host, bad_config()).unwrap();
    tick().await;
    let shadow = host.shadow_root().expect("a shadow root");
    let style = shadow
        .query_selector("style")
        .unwrap()
        .expect("styles inside the root");
    assert!(style.text_content().unwrap().contains("--ql-color-accent"));
    // Nothing leaks into the light DOM.
    assert_eq!(host.children().length(), 0);
}

#[wasm_bindgen_test]
async fn mounting_twice_replaces_and_unmount_empties() {
    let host = fresh_host();
    let before = mounted_count();
    mount_into(&host, bad_config()).unwrap();
    mount_into(&host, bad_config()).unwrap();
    tick().await;
    assert_eq!(mounted_count(), before + 1);
    assert_eq!(
        host.shadow_root()
            .unwrap()
            .query_selector_all("[part=error]")
            .unwrap()
            .length(),
        1
    );
    unmount(&host);
    assert_eq!(mounted_count(), before);
    assert!(shadow_query(&host, "[part=error]").is_none());
}

#[wasm_bindgen_test]
async fn destroy_removes_the_widget_and_its_tree() {
    let host = fresh_host();
    let before = mounted_count();
    mount_into(&host, bad_config()).unwrap();
    tick().await;
    assert_eq!(mounted_count(), before + 1);
    assert!(host.has_attribute("data-questlet-host"));
    questlet::mount::destroy(Some(&host));
    assert_eq!(mounted_count(), before);
    assert_eq!(host.shadow_root().unwrap().child_nodes().length(), 0);
    // Destroying again is harmless.
    questlet::mount::destroy(Some(&host));
    assert_eq!(mounted_count(), before);
}

#[wasm_bindgen_test]
async fn a_crashed_widget_shows_that_it_stopped_and_announces_it() {
    let host = fresh_host();
    mount_into(&host, bad_config()).unwrap();
    tick().await;
    assert_eq!(
        host.get_attribute(questlet::crash::INSTANCE_ATTRIBUTE),
        Some(questlet::crash::instance_mark().to_string()),
        "the panic hook finds this instance's widgets by the mark"
    );
    let events = record_events(&host, &["widget_crashed"]);
    questlet::crash::show_crashed(&host);
    let error = shadow_query(&host, "[part=error]").expect("the crash message");
    assert!(error
        .text_content()
        .unwrap()
        .contains("This widget stopped working"));
    assert!(shadow_query(&host, "style").is_some(), "still styled");
    assert_eq!(*events.borrow(), ["widget_crashed"]);
    unmount(&host);
}
