//! Analytics sinks: every widget event also goes to the host page's analytics tools, each one
//! used only when the page has it, and none able to break the widget (a throwing or missing
//! sink is skipped). The DOM `CustomEvent` and the `Questlet.on` callbacks are not sinks:
//! they always fire (see `events.rs`).
//!
//! Adding a sink: a file here with a `send` function, a [`SinkKind`] variant, and its name
//! in `data-analytics` (`docs/events.md`).

mod ga4;
pub mod ga_client_id;
mod gtm;
mod hotjar;

use js_sys::Object;
use wasm_bindgen::JsValue;

/// An analytics tool the widget can report to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkKind {
    /// Google Analytics 4: `gtag('event', name, params)`.
    Ga4,
    /// Google Tag Manager: `dataLayer.push({event: name, ...params})`.
    Gtm,
    /// HotJar: `hj('event', name)`.
    Hotjar,
}

impl SinkKind {
    /// Every sink, in the order they are called.
    pub const ALL: [SinkKind; 3] = [SinkKind::Ga4, SinkKind::Gtm, SinkKind::Hotjar];

    /// The sink's name in `data-analytics`.
    pub fn as_str(self) -> &'static str {
        match self {
            SinkKind::Ga4 => "ga4",
            SinkKind::Gtm => "gtm",
            SinkKind::Hotjar => "hotjar",
        }
    }

    /// Parses a name from `data-analytics`.
    pub fn parse(name: &str) -> Option<SinkKind> {
        SinkKind::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// Which sinks one widget reports to, and the prefix of the event names they receive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsConfig {
    /// The enabled sinks (`data-analytics`, default: all).
    pub sinks: Vec<SinkKind>,
    /// Prepended to event names sent to sinks (`data-analytics-prefix`, default `questlet_`).
    pub prefix: String,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        Self {
            sinks: SinkKind::ALL.to_vec(),
            prefix: "questlet_".to_owned(),
        }
    }
}

/// Sends one event to every enabled sink the page has. Errors are swallowed on purpose: a
/// broken analytics tool must not break the widget or the host page.
pub fn dispatch(config: &AnalyticsConfig, name: &str, params: &Object) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let event = format!("{}{name}", config.prefix);
    for sink in &config.sinks {
        let result: Result<(), JsValue> = match sink {
            SinkKind::Ga4 => ga4::send(&window, &event, params),
            SinkKind::Gtm => gtm::send(&window, &event, params),
            SinkKind::Hotjar => hotjar::send(&window, &event),
        };
        if let Err(error) = result {
            web_sys::console::warn_2(
                &JsValue::from_str(&format!("Questlet: the {} sink failed:", sink.as_str())),
                &error,
            );
        }
    }
}

/// The global function `name` of the page, if it has one.
fn global_function(window: &web_sys::Window, name: &str) -> Option<js_sys::Function> {
    use wasm_bindgen::JsCast;
    js_sys::Reflect::get(window, &JsValue::from_str(name))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()
}
