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
        ]),
        API,
    )
    .unwrap();
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
