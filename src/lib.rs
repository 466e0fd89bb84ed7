//! The Questlet widget: a Leptos (CSR) component tree that a host page adds with one
//! `<script>` tag (see `public/questlet.js`), rendered inside a shadow root.
//!
//! This file is the widget's only `#[wasm_bindgen]` surface.

pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod mount;

use wasm_bindgen::prelude::*;
use web_sys::HtmlScriptElement;

/// Mounts one widget for an embedding `<script>` tag, configured by its data attributes.
/// Called by the loader once per tag; a bad configuration shows an inline error instead.
#[wasm_bindgen]
pub fn mount_script(script: HtmlScriptElement) {
    console_error_panic_hook::set_once();
    mount::mount_for_script(&script);
}
