//! This WebAssembly instance's one widget.
//!
//! The instance model: the loader (`public/questlet.js`) compiles the module once per page
//! and gives every widget its own instance of it, because a Rust panic aborts the instance
//! it happens in. So an instance runs at most one widget, and this module holds it: no
//! registry, no widget ids. Mounting again replaces the widget; [`remove`] ends it.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use web_sys::Element;

/// The running widget of this instance.
pub struct Widget {
    /// The host page's element whose shadow root the widget renders into.
    pub host: Element,
    /// The user token of a running widget (`None` for a configuration error).
    pub user_token: Option<RwSignal<Option<String>>>,
    /// Dropping it unmounts the Leptos tree.
    pub handle: Box<dyn Any>,
}

thread_local! {
    static WIDGET: RefCell<Option<Widget>> = const { RefCell::new(None) };
}

/// Makes `widget` this instance's widget, ending the previous one (if any).
pub fn install(widget: Widget) {
    let previous = WIDGET.with(|slot| slot.borrow_mut().replace(widget));
    // Dropped outside the borrow: unmounting runs Leptos cleanups.
    end(previous);
}

/// Ends this instance's widget, if any: its reactive tree, listeners and DOM.
pub fn remove() {
    let widget = WIDGET.with(|slot| slot.borrow_mut().take());
    end(widget);
}

fn end(widget: Option<Widget>) {
    if let Some(widget) = widget {
        let host = widget.host.clone();
        drop(widget);
        if let Some(shadow) = host.shadow_root() {
            shadow.set_inner_html("");
        }
    }
}

/// Whether a widget is mounted.
pub fn is_mounted() -> bool {
    WIDGET.with(|slot| slot.borrow().is_some())
}

/// The widget's host element. Never fails, even when called from the panic hook while the
/// slot is borrowed (then `None`).
pub fn host() -> Option<Element> {
    WIDGET.with(|slot| slot.try_borrow().ok()?.as_ref().map(|w| w.host.clone()))
}

/// Sets (or, with `None`, clears) the widget's user token; its progress reloads.
pub fn set_user_token(token: Option<String>) {
    let signal = WIDGET.with(|slot| slot.borrow().as_ref().and_then(|w| w.user_token));
    if let Some(signal) = signal {
        signal.set(token.filter(|t| !t.trim().is_empty()));
    }
}
