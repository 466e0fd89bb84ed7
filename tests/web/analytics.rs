//! Analytics sinks: configuration, the `_ga` cookie, and each vendor's call shape, with the
//! vendors' own stubs installed on `window`.

use questlet::analytics::ga_client_id::from_cookie_value;
use questlet::analytics::{dispatch, AnalyticsConfig, SinkKind};
use questlet::config::parse_config;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

fn eval(code: &str) -> JsValue {
    js_sys::eval(code).expect("script runs")
}

fn params() -> js_sys::Object {
    let params = js_sys::Object::new();
    js_sys::Reflect::set(&params, &"task_id".into(), &"t1".into()).unwrap();
    params
}

fn attrs(extra: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| match name {
        "organization" => Some("acme".into()),
        "campaign" => Some("launch".into()),
        other => extra
            .iter()
            .find(|(k, _)| *k == other)
            .map(|(_, v)| v.to_string()),
    }
}

#[wasm_bindgen_test]
fn analytics_attributes_select_sinks_and_prefix() {
    let all = parse_config(attrs(&[]), "http://x").unwrap().analytics;
    assert_eq!(all, AnalyticsConfig::default());
    let none = parse_config(attrs(&[("analytics", "none")]), "http://x")
        .unwrap()
        .analytics;
    assert!(none.sinks.is_empty());
    let some = parse_config(
        attrs(&[("analytics", "gtm, hotjar"), ("analytics-prefix", "acme_")]),
        "http://x",
    )
    .unwrap()
    .analytics;
    assert_eq!(some.sinks, [SinkKind::Gtm, SinkKind::Hotjar]);
    assert_eq!(some.prefix, "acme_");
    let bad = parse_config(attrs(&[("analytics", "ga4,mixpanel")]), "http://x").unwrap_err();
    assert_eq!(bad.attribute, "data-analytics");
    let bad = parse_config(attrs(&[("analytics-prefix", "no spaces")]), "http://x").unwrap_err();
    assert_eq!(bad.attribute, "data-analytics-prefix");
}

#[wasm_bindgen_test]
fn ga_client_id_comes_from_the_ga_cookie_format() {
    assert_eq!(
        from_cookie_value("GA1.1.1234567890.1700000000").as_deref(),
        Some("1234567890.1700000000")
    );
    assert_eq!(from_cookie_value("GA1.2.99.88").as_deref(), Some("99.88"));
    assert_eq!(from_cookie_value("garbage"), None);
    assert_eq!(from_cookie_value("GA1.1.abc.def"), None);
}

#[wasm_bindgen_test]
fn each_sink_gets_its_vendors_call_shape() {
    eval(
        "window.dataLayer = []; window.gtag = function(){ dataLayer.push(arguments); };
         window.hj = function(){ (hj.q = hj.q || []).push(Array.from(arguments)); };",
    );
    dispatch(&AnalyticsConfig::default(), "task_completed", &params());
    let seen = eval(
        "JSON.stringify({
            gtag: Array.from(dataLayer[0]),
            gtm: dataLayer[1],
            hj: hj.q })",
    );
    assert_eq!(
        seen.as_string().unwrap(),
        r#"{"gtag":["event","questlet_task_completed",{"task_id":"t1"}],"gtm":{"task_id":"t1","event":"questlet_task_completed"},"hj":[["event","questlet_task_completed"]]}"#
    );
    eval("delete window.gtag; delete window.dataLayer; delete window.hj;");
}

#[wasm_bindgen_test]
fn disabled_missing_and_throwing_sinks_are_skipped() {
    // Missing: nothing to call, nothing thrown.
    dispatch(&AnalyticsConfig::default(), "widget_loaded", &params());
    // Throwing gtag: contained; the sinks after it still run.
    eval("window.gtag = function(){ throw new Error('boom'); }; window.dataLayer = [];");
    dispatch(&AnalyticsConfig::default(), "widget_loaded", &params());
    assert_eq!(eval("dataLayer.length").as_f64(), Some(1.0));
    // Disabled: not called even though present.
    let only_hotjar = AnalyticsConfig {
        sinks: vec![SinkKind::Hotjar],
        prefix: "q_".into(),
    };
    dispatch(&only_hotjar, "widget_loaded", &params());
    assert_eq!(eval("dataLayer.length").as_f64(), Some(1.0));
    eval("delete window.gtag; delete window.dataLayer;");
}
