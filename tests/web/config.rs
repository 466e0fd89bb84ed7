//! Data attributes → typed configuration, valid and each kind of invalid.

use std::collections::HashMap;

use questlet::config::{parse_config, Theme};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn attrs(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

const API: &str = "https://q.example";

#[wasm_bindgen_test]
fn minimal_config_gets_defaults() {
    let config = parse_config(
        attrs(&[("organization", "acme"), ("campaign", "launch")]),
        API,
    )
    .unwrap();
    assert_eq!(config.organization, "acme");
    assert_eq!(config.campaign, "launch");
    assert_eq!(config.api_base, API);
    assert_eq!(config.platform, "web");
    assert_eq!(config.theme, Theme::Auto);
    assert_eq!(config.user_token, None);
    assert_eq!(config.container, None);
    assert_eq!(config.referral_code, None);
    assert_eq!(config.launcher, None, "inline by default");
}

#[wasm_bindgen_test]
fn a_launcher_takes_its_corner_and_layer_or_names_the_bad_one() {
    let base = [("organization", "acme"), ("campaign", "x")];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut pairs = base.to_vec();
        pairs.extend_from_slice(extra);
        parse_config(attrs(&pairs), API)
    };
    let inline = with(&[("mode", "inline")]).unwrap();
    assert_eq!(inline.launcher, None);
    let default = with(&[("mode", "launcher")]).unwrap().launcher.unwrap();
    assert_eq!(
        (default.position, default.z_index),
        ("bottom-right", 2_147_483_000)
    );
    let placed = with(&[
        ("mode", "launcher"),
        ("launcher-position", "top-left"),
        ("z-index", "40"),
    ])
    .unwrap()
    .launcher
    .unwrap();
    assert_eq!((placed.position, placed.z_index), ("top-left", 40));
    for (extra, attribute) in [
        (&[("mode", "popup")][..], "data-mode"),
        (
            &[("mode", "launcher"), ("launcher-position", "middle")][..],
            "data-launcher-position",
        ),
        (
            &[("mode", "launcher"), ("z-index", "-1")][..],
            "data-z-index",
        ),
        (
            &[("mode", "launcher"), ("z-index", "2147483648")][..],
            "data-z-index",
        ),
    ] {
        assert_eq!(with(extra).unwrap_err().attribute, attribute);
    }
}

#[wasm_bindgen_test]
fn every_attribute_is_read() {
    let config = parse_config(
        attrs(&[
            ("organization", "acme"),
            ("campaign", "launch"),
            ("api", "http://localhost:8080/"),
            ("user-token", "tok"),
            ("platform", "telegram"),
            ("theme", "dark"),
            ("lang", "de"),
            ("container", "quests"),
            ("referral-code", "abcdefghjk23"),
        ]),
        API,
    )
    .unwrap();
    assert_eq!(config.referral_code.as_deref(), Some("abcdefghjk23"));
    assert_eq!(config.api_base, "http://localhost:8080");
    assert_eq!(config.user_token.as_deref(), Some("tok"));
    assert_eq!(config.platform, "telegram");
    assert_eq!(config.theme, Theme::Dark);
    assert_eq!(config.lang.as_deref(), Some("de"));
    assert_eq!(config.container.as_deref(), Some("quests"));
}

#[wasm_bindgen_test]
fn missing_organization_names_the_attribute() {
    let error = parse_config(attrs(&[("campaign", "launch")]), API).unwrap_err();
    assert_eq!(error.attribute, "data-organization");
    assert_eq!(error.found, None);
    assert!(error.to_string().contains("data-organization is missing"));
}

#[wasm_bindgen_test]
fn bad_values_name_the_attribute_and_what_it_accepts() {
    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[("organization", "Acme Corp"), ("campaign", "x")],
            "data-organization",
        ),
        (&[("organization", "acme")], "data-campaign"),
        (
            &[
                ("organization", "acme"),
                ("campaign", "x"),
                ("api", "ftp://x"),
            ],
            "data-api",
        ),
        (
            &[
                ("organization", "acme"),
                ("campaign", "x"),
                ("theme", "neon"),
            ],
            "data-theme",
        ),
        (
            &[
                ("organization", "acme"),
                ("campaign", "x"),
                ("container", "a b"),
            ],
            "data-container",
        ),
    ];
    for (pairs, attribute) in cases {
        let error = parse_config(attrs(pairs), API).unwrap_err();
        assert_eq!(error.attribute, attribute);
        assert!(!error.accepts.is_empty());
    }
    let theme = parse_config(
        attrs(&[
            ("organization", "acme"),
            ("campaign", "x"),
            ("theme", "neon"),
        ]),
        API,
    )
    .unwrap_err();
    assert_eq!(
        theme.to_string(),
        "data-theme is \"neon\": it must be one of light, dark, auto"
    );
}

/// `Questlet.mount` options: `pairs` as a JavaScript object.
fn options(pairs: &[(&str, &str)]) -> wasm_bindgen::JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        js_sys::Reflect::set(&object, &(*key).into(), &(*value).into()).unwrap();
    }
    object.into()
}

#[wasm_bindgen_test]
fn option_names_are_the_attributes_in_camel_case() {
    use questlet::config::option_name;
    assert_eq!(option_name("organization"), "organization");
    assert_eq!(option_name("user-token"), "userToken");
    assert_eq!(option_name("analytics-prefix"), "analyticsPrefix");
}

/// Every option docs/embedding.md lists for `Questlet.mount` changes the configuration.
#[wasm_bindgen_test]
fn every_documented_mount_option_is_read() {
    use questlet::config::{parse_options, WidgetConfig};
    let base = [("organization", "acme"), ("campaign", "launch")];
    let defaults = parse_options(&options(&base), API).unwrap();
    type Check = fn(&WidgetConfig) -> bool;
    let cases: [(&str, &str, Check); 9] = [
        ("organization", "other-org", |c| {
            c.organization == "other-org"
        }),
        ("campaign", "other", |c| c.campaign == "other"),
        ("api", "https://api.example/", |c| {
            c.api_base == "https://api.example"
        }),
        ("userToken", "tok", |c| {
            c.user_token.as_deref() == Some("tok")
        }),
        ("platform", "telegram", |c| c.platform == "telegram"),
        ("theme", "dark", |c| c.theme == Theme::Dark),
        ("lang", "de", |c| c.lang.as_deref() == Some("de")),
        ("analytics", "none", |c| c.analytics.sinks.is_empty()),
        ("analyticsPrefix", "acme_", |c| {
            c.analytics.prefix == "acme_"
        }),
    ];
    for (key, value, check) in cases {
        assert!(!check(&defaults), "{key}: the default already passes");
        let mut pairs = base.to_vec();
        pairs.retain(|(k, _)| *k != key);
        pairs.push((key, value));
        let config = parse_options(&options(&pairs), API).unwrap();
        assert!(
            check(&config),
            "option {key} = {value:?} was not read: {config:?}"
        );
    }
}

#[wasm_bindgen_test]
fn a_bad_mount_option_names_the_attribute() {
    use questlet::config::parse_options;
    let error = parse_options(
        &options(&[
            ("organization", "acme"),
            ("campaign", "launch"),
            ("analyticsPrefix", "no spaces"),
        ]),
        API,
    )
    .unwrap_err();
    assert_eq!(error.attribute, "data-analytics-prefix");
}

#[wasm_bindgen_test]
fn without_api_a_mounted_widget_calls_the_loaders_origin() {
    use questlet::config::parse_options;
    let config = parse_options(
        &options(&[("organization", "acme"), ("campaign", "launch")]),
        "https://widgets.example",
    )
    .unwrap();
    assert_eq!(config.api_base, "https://widgets.example");
}
