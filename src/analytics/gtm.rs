//! Google Tag Manager, through the page's `dataLayer`.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `dataLayer.push({event: name, ...params})` when the page has a `dataLayer` array.
pub(super) fn send(window: &web_sys::Window, event: &str, params: &Object) -> Result<(), JsValue> {
    let layer = Reflect::get(window, &JsValue::from_str("dataLayer"))?;
    if layer.is_undefined() || layer.is_null() {
        return Ok(());
    }
    let push = Reflect::get(&layer, &JsValue::from_str("push"))?;
    let Some(push) = push.dyn_ref::<js_sys::Function>() else {
        return Ok(());
    };
    let entry = Object::assign(&Object::new(), params);
    Reflect::set(
        &entry,
        &JsValue::from_str("event"),
        &JsValue::from_str(event),
    )?;
    push.call1(&layer, &entry).map(|_| ())
}
