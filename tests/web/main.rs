//! The widget's browser tests (wasm-bindgen-test in headless Chromium): each mounts into a
//! fresh element, acts, waits a tick, and asserts on the shadow DOM.
#![cfg(target_arch = "wasm32")]

mod support;

mod analytics;
mod app;
mod components;
mod config;
mod mounting;
mod panels;
mod wire;
