//! Widget events: every user-visible step is announced once, as a DOM `CustomEvent`
//! (`questlet:<name>`, bubbling and composed) on the widget's host element and to the
//! `Questlet.on(name, cb)` callbacks. Analytics sinks hang off [`emit`] too.
//!
//! The names are a public contract: see `docs/events.md`.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit, Element};

use crate::analytics::{self, AnalyticsConfig};

/// Identifies one mounted widget.
pub type InstanceId = u32;

thread_local! {
    static HOSTS: RefCell<HashMap<InstanceId, Element>> = RefCell::new(HashMap::new());
    static ANALYTICS: RefCell<HashMap<InstanceId, AnalyticsConfig>> = RefCell::new(HashMap::new());
}

/// Remembers the host element of a widget, so its components can emit events on it.
pub fn register_host(id: InstanceId, host: &Element) {
    HOSTS.with(|hosts| hosts.borrow_mut().insert(id, host.clone()));
}

/// Sets the analytics sinks of a widget (none until set).
pub fn register_analytics(id: InstanceId, config: AnalyticsConfig) {
    ANALYTICS.with(|all| all.borrow_mut().insert(id, config));
}

/// Forgets a widget's host element and sinks (on destroy).
pub fn unregister_host(id: InstanceId) {
    HOSTS.with(|hosts| hosts.borrow_mut().remove(&id));
    ANALYTICS.with(|all| all.borrow_mut().remove(&id));
}

/// Event parameters, as `(name, value)` pairs; values are strings or numbers.
pub type Params = Vec<(&'static str, JsValue)>;

fn params_object(params: &Params) -> Object {
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

/// Announces `name` from widget `id` with `params`: the DOM event, the analytics sinks, then
/// the `Questlet.on` callbacks. Never throws: a failing listener or sink is logged, not
/// propagated into the widget.
pub fn emit(id: InstanceId, name: &str, params: Params) {
    let detail = params_object(&params);
    let host = HOSTS.with(|hosts| hosts.borrow().get(&id).cloned());
    if let Some(host) = host {
        dispatch_on(&host, name, &detail);
    }
    if let Some(config) = ANALYTICS.with(|all| all.borrow().get(&id).cloned()) {
        analytics::dispatch(&config, name, &detail);
    }
    // The loader's `Questlet.on` registry.
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(questlet) = Reflect::get(&window, &JsValue::from_str("Questlet")) else {
        return;
    };
    if let Ok(callback) = Reflect::get(&questlet, &JsValue::from_str("__emit")) {
        if let Some(callback) = callback.dyn_ref::<Function>() {
            let _ = callback.call2(&questlet, &JsValue::from_str(name), &detail);
        }
    }
}
