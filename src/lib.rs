//! The Questlet widget: a Leptos (CSR) component tree that a host page adds with one
//! `<script>` tag (see `public/questlet.js`), rendered inside a shadow root.
//!
//! This file is the widget's only `#[wasm_bindgen]` surface.

pub mod analytics;
pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod context;
pub mod crash;
pub mod events;
pub mod i18n;
pub mod intro;
pub mod mount;
pub mod tasks;
pub mod wire;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlScriptElement};

use crate::config::parse_config;

/// Mounts one widget for an embedding `<script>` tag, configured by its data attributes.
/// Called by the loader once per tag; a bad configuration shows an inline error instead.
#[wasm_bindgen]
pub fn mount_script(script: HtmlScriptElement) {
    crash::install_panic_hook();
    mount::mount_for_script(&script);
}

/// `Questlet.mount(element, options)`: mounts a widget into `element`, configured by an
/// options object whose keys are the data attributes in camelCase (`organization`,
/// `campaign`, `api`, `userToken`, `platform`, `theme`, `lang`). Mounting again into the
/// same element replaces the widget. A bad option shows the inline error, like a bad
/// attribute.
#[wasm_bindgen]
pub fn mount(element: Element, options: JsValue) {
    crash::install_panic_hook();
    let default_api = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let option = |name: &str| {
        let key = match name {
            "user-token" => "userToken",
            other => other,
        };
        Reflect::get(&options, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
    };
    let config = parse_config(option, &default_api);
    if let Err(error) = mount::mount_into(&element, config) {
        web_sys::console::error_2(&JsValue::from_str("Questlet: mounting failed:"), &error);
    }
}

/// `Questlet.setUserToken(token, element?)`: sets (or, with `null`, clears) the user token
/// of one widget or of all; their progress reloads.
#[wasm_bindgen]
pub fn set_user_token(token: Option<String>, element: Option<Element>) {
    mount::set_user_token(token, element.as_ref());
}

/// `Questlet.destroy(element?)`: removes one widget or all, with their listeners.
#[wasm_bindgen]
pub fn destroy(element: Option<Element>) {
    mount::destroy(element.as_ref());
}

/// How many widgets this instance of the module runs; the loader drops an instance whose
/// widgets are all destroyed.
#[wasm_bindgen]
pub fn mounted_count() -> usize {
    mount::mounted_count()
}
