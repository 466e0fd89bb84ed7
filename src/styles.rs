//! The widget's stylesheet, one file per part under `styles/`, applied inside each widget's
//! shadow root so host CSS cannot reach it and it cannot leak out.
//!
//! It is applied as a constructable stylesheet (`adoptedStyleSheets`), not a `<style>`
//! element: a host page whose Content-Security-Policy has no `style-src 'unsafe-inline'`
//! refuses inline `<style>`, and dApps, exchanges and banks run such policies. Browsers
//! without constructable stylesheets get the `<style>` element instead.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, ShadowRoot};

/// All of the widget's CSS, in cascade order, minified (gathered by `build.rs` from
/// `styles/`).
pub const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/styles.css"));

/// Applies [`STYLES`] to `shadow`, once: as its adopted stylesheet, or, where the browser
/// cannot construct stylesheets, as a `<style>` element at its start.
pub fn apply(shadow: &ShadowRoot) -> Result<(), JsValue> {
    if shadow.adopted_style_sheets().length() > 0 {
        return Ok(());
    }
    if let Ok(sheet) = CssStyleSheet::new() {
        sheet.replace_sync(STYLES)?;
        shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
        return Ok(());
    }
    if shadow.query_selector("style")?.is_none() {
        let style = shadow
            .owner_document()
            .ok_or_else(|| JsValue::from_str("a shadow root without a document"))?
            .create_element("style")?;
        style.set_text_content(Some(STYLES));
        shadow.prepend_with_node_1(style.unchecked_ref())?;
    }
    Ok(())
}
