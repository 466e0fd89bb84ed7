//! The modal pop-up (intro, quest and campaign completion): a dialog that takes focus, keeps Tab
//! inside, closes on Escape or its button, and gives focus back where it was.

use leptos::either::Either;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

use crate::context::{PopupBody, WidgetContext};
use crate::i18n::Text;
use crate::intro;

/// The focused element of `node`'s tree: inside the widget's shadow root, or the document.
fn focused_in(node: &web_sys::Node) -> Option<HtmlElement> {
    let focused = match node.get_root_node().dyn_into::<web_sys::ShadowRoot>() {
        Ok(root) => root.active_element(),
        Err(_) => web_sys::window()?.document()?.active_element(),
    };
    focused?.dyn_into::<HtmlElement>().ok()
}

/// Shows the context's pop-up, when there is one.
#[component]
pub fn Popup() -> impl IntoView {
    let ctx = WidgetContext::get();
    let close_button: NodeRef<html::Button> = NodeRef::new();
    let previous_focus = StoredValue::new_local(None::<HtmlElement>);

    // On open: remember the focus and move it into the dialog.
    Effect::new(move |_| {
        if ctx.popup.with(Option::is_none) {
            return;
        }
        if let Some(button) = close_button.get() {
            previous_focus.set_value(focused_in(&button));
            // In the next frame, once the widget's DOM is complete: focusing now would force
            // a layout of the half-built page, and the frame would lay it out again.
            request_animation_frame(move || {
                let _ = button.focus();
            });
        }
    });
    let close = move || {
        let Some(popup) = ctx.popup.get_untracked() else {
            return;
        };
        ctx.popup.set(None);
        if popup.kind == intro::KIND {
            ctx.config.with_value(intro::remember_seen);
        }
        ctx.emit("popup_closed", vec![("popup", popup.kind.into())]);
        if let Some(element) = previous_focus.get_value().filter(|e| e.is_connected()) {
            let _ = element.focus();
        }
    };
    let on_keydown = move |event: KeyboardEvent| match event.key().as_str() {
        "Escape" => close(),
        // The close button is the dialog's only control: Tab stays on it.
        "Tab" => {
            event.prevent_default();
            if let Some(button) = close_button.get() {
                let _ = button.focus();
            }
        }
        _ => {}
    };

    view! {
        {move || {
            ctx.popup
                .get()
                .map(|popup| {
                    view! {
                        <div class="ql-popup__backdrop">
                            <div
                                class="ql-popup"
                                part="popup"
                                role="dialog"
                                aria-modal="true"
                                aria-labelledby="ql-popup-title"
                                data-popup=popup.kind
                                on:keydown=on_keydown
                            >
                                <h2 id="ql-popup-title" class="ql-popup__title">{popup.title}</h2>
                                {match popup.body {
                                    PopupBody::Text(text) => {
                                        Either::Left(view! { <p class="ql-popup__body">{text}</p> })
                                    }
                                    PopupBody::Html(html) => {
                                        Either::Right(view! { <div class="ql-popup__body" inner_html=html></div> })
                                    }
                                }}
                                <button
                                    class="ql-button"
                                    part="popup-close"
                                    type="button"
                                    node_ref=close_button
                                    on:click=move |_| close()
                                >
                                    {ctx.t(Text::Close)}
                                </button>
                            </div>
                        </div>
                    }
                })
        }}
    }
}
