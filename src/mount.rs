//! Mounting: finds the host element, attaches the shadow root with the widget's CSS, and
//! starts the Leptos tree (or an inline configuration error) inside it.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, HtmlScriptElement, ShadowRootInit, ShadowRootMode};

use crate::app::App;
use crate::components::error_box::ErrorBox;
use crate::config::{parse_config, ConfigError, WidgetConfig};

/// The widget's stylesheet, placed inside each shadow root so host CSS cannot reach it and
/// it cannot leak out.
const STYLES: &str = concat!(
    include_str!("../styles/theme.css"),
    include_str!("../styles/widget.css"),
    include_str!("../styles/campaign.css"),
);

struct Instance {
    host: Element,
    // Dropping the handle unmounts the Leptos tree.
    _handle: Box<dyn Any>,
}

thread_local! {
    static INSTANCES: RefCell<Vec<Instance>> = const { RefCell::new(Vec::new()) };
}

/// Number of widgets currently mounted on the page.
pub fn mounted_count() -> usize {
    INSTANCES.with(|instances| instances.borrow().len())
}

/// Mounts the widget configured by an embedding `<script>` tag's data attributes.
pub fn mount_for_script(script: &HtmlScriptElement) {
    let default_api = web_sys::Url::new(&script.src())
        .map(|url| url.origin())
        .unwrap_or_default();
    let config = parse_config(
        |name| script.get_attribute(&format!("data-{name}")),
        &default_api,
    );
    let document = gloo_document();
    let container = match &config {
        Ok(WidgetConfig {
            container: Some(id),
            ..
        }) => document.get_element_by_id(id).ok_or_else(|| ConfigError {
            attribute: "data-container",
            found: Some(id.clone()),
            accepts: "the id of an element on the page (none has this id)",
        }),
        _ => Err(ConfigError {
            attribute: "",
            found: None,
            accepts: "",
        }),
    };
    let (host, config) = match (container, config) {
        (Ok(element), config) => (element, config),
        (Err(missing), config) => {
            // No container: render right after the script tag.
            let element = document
                .create_element("div")
                .expect("creating a div cannot fail");
            let _ = script.after_with_node_1(&element);
            let config = match config {
                Ok(c) if c.container.is_some() => Err(missing),
                other => other,
            };
            (element, config)
        }
    };
    if let Err(error) = mount_into(&host, config) {
        web_sys::console::error_2(&JsValue::from_str("Questlet: mounting failed:"), &error);
    }
}

fn gloo_document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("the widget runs in a browser page")
}

/// Mounts a widget into `host`'s shadow root: the campaign for a valid configuration, an
/// inline error (and one console error) for an invalid one. Mounting again into the same
/// host replaces the previous widget.
pub fn mount_into(
    host: &Element,
    config: Result<WidgetConfig, ConfigError>,
) -> Result<(), JsValue> {
    unmount(host);
    let shadow = match host.shadow_root() {
        Some(shadow) => shadow,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    shadow.set_inner_html("");
    let document = gloo_document();
    let style = document.create_element("style")?;
    style.set_text_content(Some(STYLES));
    shadow.append_child(&style)?;
    let root: HtmlElement = document.create_element("div")?.unchecked_into();
    root.set_class_name("ql-root");
    shadow.append_child(&root)?;

    let handle: Box<dyn Any> = match config {
        Ok(config) => {
            root.set_attribute("data-theme", config.theme.as_str())?;
            Box::new(leptos::mount::mount_to(
                root,
                move || view! { <App config /> },
            ))
        }
        Err(error) => {
            let message = error.to_string();
            web_sys::console::error_1(&JsValue::from_str(&format!("Questlet: {message}")));
            root.set_attribute("data-theme", "auto")?;
            Box::new(leptos::mount::mount_to(root, move || {
                view! { <ErrorBox message title="This widget is misconfigured" /> }
            }))
        }
    };
    INSTANCES.with(|instances| {
        instances.borrow_mut().push(Instance {
            host: host.clone(),
            _handle: handle,
        })
    });
    Ok(())
}

/// Removes the widget mounted into `host`, if any: its reactive tree, listeners and DOM.
pub fn unmount(host: &Element) {
    let removed: Vec<Instance> = INSTANCES.with(|instances| {
        let mut instances = instances.borrow_mut();
        let (removed, kept) = instances.drain(..).partition(|i| &i.host == host);
        *instances = kept;
        removed
    });
    if !removed.is_empty() {
        drop(removed);
        if let Some(shadow) = host.shadow_root() {
            shadow.set_inner_html("");
        }
    }
}
