//! Mounting into a shadow root, inline configuration errors, and unmounting.

use questlet::config::{parse_config, ConfigError};
use questlet::instance;
use questlet::mount::mount_into;
use wasm_bindgen::JsCast;
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
async fn widget_renders_inside_an_open_shadow_root_with_its_adopted_stylesheet() {
    let host = fresh_host();
    mount_into(&host, bad_config()).unwrap();
    tick().await;
    let shadow = host.shadow_root().expect("a shadow root");
    // A constructable stylesheet, not an inline <style> that a strict CSP would refuse.
    let sheets = shadow.adopted_style_sheets();
    assert_eq!(sheets.length(), 1);
    let sheet: web_sys::CssStyleSheet = sheets.get(0).unchecked_into();
    assert!(sheet.css_rules().unwrap().length() > 10);
    assert!(shadow.query_selector("style").unwrap().is_none());
    // The styles apply: the theme's custom property resolves on the widget's root.
    let root = shadow_query(&host, ".ql-root").unwrap();
    let accent = web_sys::window()
        .unwrap()
        .get_computed_style(&root)
        .unwrap()
        .unwrap()
        .get_property_value("--ql-color-accent")
        .unwrap();
    assert!(!accent.trim().is_empty());
    // Mounting again does not pile up sheets.
    mount_into(&host, bad_config()).unwrap();
    assert_eq!(shadow.adopted_style_sheets().length(), 1);
    // Nothing leaks into the light DOM.
    assert_eq!(host.children().length(), 0);
}

#[wasm_bindgen_test]
async fn mounting_twice_replaces_and_remove_empties() {
    let host = fresh_host();
    mount_into(&host, bad_config()).unwrap();
    mount_into(&host, bad_config()).unwrap();
    tick().await;
    assert!(instance::is_mounted());
    assert_eq!(
        host.shadow_root()
            .unwrap()
            .query_selector_all("[part=error]")
            .unwrap()
            .length(),
        1
    );
    instance::remove();
    assert!(!instance::is_mounted());
    assert!(shadow_query(&host, "[part=error]").is_none());
}

#[wasm_bindgen_test]
async fn an_instance_runs_one_widget_so_mounting_elsewhere_ends_the_first() {
    let (first, second) = (fresh_host(), fresh_host());
    mount_into(&first, bad_config()).unwrap();
    mount_into(&second, bad_config()).unwrap();
    tick().await;
    assert_eq!(instance::host(), Some(second.clone()));
    assert!(shadow_query(&first, "[part=error]").is_none());
    assert!(shadow_query(&second, "[part=error]").is_some());
    instance::remove();
}

#[wasm_bindgen_test]
async fn destroy_removes_the_widget_and_its_tree() {
    let host = fresh_host();
    mount_into(&host, bad_config()).unwrap();
    tick().await;
    assert!(host.has_attribute("data-questlet-host"));
    questlet::destroy();
    assert!(!instance::is_mounted());
    assert_eq!(instance::host(), None);
    assert_eq!(host.shadow_root().unwrap().child_nodes().length(), 0);
    // Destroying again is harmless.
    questlet::destroy();
    assert!(!instance::is_mounted());
}

#[wasm_bindgen_test]
async fn the_crash_message_replaces_the_widget_and_is_announced() {
    let host = fresh_host();
    mount_into(&host, bad_config()).unwrap();
    tick().await;
    assert_eq!(
        instance::host(),
        Some(host.clone()),
        "the panic hook finds the widget's host"
    );
    let events = record_events(&host, &["widget_crashed"]);
    questlet::crash::show_crashed(&host);
    let error = shadow_query(&host, "[part=error]").expect("the crash message");
    assert!(error
        .text_content()
        .unwrap()
        .contains("This widget stopped working"));
    assert_eq!(
        host.shadow_root().unwrap().adopted_style_sheets().length(),
        1,
        "still styled"
    );
    assert_eq!(*events.borrow(), ["widget_crashed"]);
    instance::remove();
}
