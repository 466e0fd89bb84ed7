//! Widget events: every user-visible step is announced once, as a DOM `CustomEvent`
//! (`questlet:<name>`, bubbling and composed) on the widget's host element and to the
//! `Questlet.on(name, cb)` callbacks. Analytics sinks hang off [`emit`] too.
//!
//! The names are a public contract: see `docs/events.md`.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit, Element};

use crate::analytics::{self, AnalyticsConfig};

/// Event parameters, as `(name, value)` pairs; values are strings or numbers.
pub type Params = Vec<(&'static str, JsValue)>;

/// `params` as a JavaScript object.
pub fn params_object(params: &Params) -> Object {
    let object = Object::new();
    for (key, value) in params {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}

/// Dispatches the DOM event `questlet:<name>` (bubbling, and composed so it leaves the
/// shadow root) with `detail` on `host`. Only the DOM: see [`emit`] for a widget step.
pub fn dispatch_on(host: &Element, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(&format!("questlet:{name}"), &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// Announces `name` with `params` from the widget in `host`: the DOM event, the analytics
/// sinks of `analytics`, then the `Questlet.on` callbacks. Never throws: a failing listener
/// or sink is logged, not propagated into the widget.
pub fn emit(host: &Element, analytics: &AnalyticsConfig, name: &str, params: Params) {
    announce(host, analytics, name, &params_object(&params));
}

/// [`emit`] with its params as a JavaScript object already.
pub fn announce(host: &Element, analytics: &AnalyticsConfig, name: &str, detail: &Object) {
    dispatch_on(host, name, detail);
    analytics::dispatch(analytics, name, detail);
    // The loader's `Questlet.on` registry.
    call_loader("__emit", &JsValue::from_str(name), detail);
}

/// Calls the loader's `Questlet.<hook>(first, second)`, if the loader has it.
pub fn call_loader(hook: &str, first: &JsValue, second: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(questlet) = Reflect::get(&window, &JsValue::from_str("Questlet")) else {
        return;
    };
    if let Ok(callback) = Reflect::get(&questlet, &JsValue::from_str(hook)) {
        if let Some(callback) = callback.dyn_ref::<Function>() {
            let _ = callback.call2(&questlet, first, second);
        }
    }
}
