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
use crate::crash;
use crate::events::{emit, register_analytics, register_host, unregister_host, InstanceId};

/// The widget's stylesheet, placed inside each shadow root so host CSS cannot reach it and
/// it cannot leak out.
pub const STYLES: &str = concat!(
    include_str!("../styles/theme.css"),
    include_str!("../styles/widget.css"),
    include_str!("../styles/campaign.css"),
    include_str!("../styles/quest.css"),
    include_str!("../styles/popup.css"),
);

struct Instance {
    id: InstanceId,
    host: Element,
    /// The user token of a running widget (`None` for a configuration error).
    user_token: Option<RwSignal<Option<String>>>,
    // Dropping the handle unmounts the Leptos tree.
    _handle: Box<dyn Any>,
}

thread_local! {
    static INSTANCES: RefCell<Vec<Instance>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: std::cell::Cell<InstanceId> = const { std::cell::Cell::new(1) };
}

/// Sets the user token of the widget in `host`, or of every widget when `host` is `None`;
/// each reloads its campaign with the user's progress.
pub fn set_user_token(token: Option<String>, host: Option<&Element>) {
    let signals: Vec<RwSignal<Option<String>>> = INSTANCES.with(|instances| {
        instances
            .borrow()
            .iter()
            .filter(|i| host.is_none_or(|h| &i.host == h))
            .filter_map(|i| i.user_token)
            .collect()
    });
    let token = token.filter(|t| !t.trim().is_empty());
    for signal in signals {
        signal.set(token.clone());
    }
}

/// Removes the widget in `host`, or every widget when `host` is `None`.
pub fn destroy(host: Option<&Element>) {
    let hosts: Vec<Element> = INSTANCES.with(|instances| {
        instances
            .borrow()
            .iter()
            .filter(|i| host.is_none_or(|h| &i.host == h))
            .map(|i| i.host.clone())
            .collect()
    });
    for host in hosts {
        unmount(&host);
    }
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
    let mut config = parse_config(
        |name| script.get_attribute(&format!("data-{name}")),
        &default_api,
    );
    let document = gloo_document();
    // The container, read raw: even a misconfigured widget shows its error where the host
    // page expects the widget.
    let container_id = script.get_attribute("data-container");
    let container = container_id
        .as_deref()
        .and_then(|id| document.get_element_by_id(id));
    let host = match container {
        Some(element) => element,
        None => {
            if let (Some(id), Ok(_)) = (&container_id, &config) {
                config = Err(ConfigError {
                    attribute: "data-container",
                    found: Some(id.clone()),
                    accepts: "the id of an element on the page (none has this id)",
                });
            }
            // No container: render right after the script tag.
            let element = document
                .create_element("div")
                .expect("creating a div cannot fail");
            let _ = script.after_with_node_1(&element);
            element
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
    // Lets Questlet.open/close and claimr.set_theme find every widget host.
    host.set_attribute("data-questlet-host", "")?;
    // Lets the panic hook find this instance's widgets without touching its state.
    host.set_attribute(
        crash::INSTANCE_ATTRIBUTE,
        &crash::instance_mark().to_string(),
    )?;
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

    let id = NEXT_ID.with(|next| {
        let id = next.get();
        next.set(id + 1);
        id
    });
    register_host(id, host);
    let (handle, user_token): (Box<dyn Any>, _) = match config {
        Ok(config) => {
            root.set_attribute("data-theme", config.theme.as_str())?;
            let user_token = RwSignal::new(config.user_token.clone());
            let (organization, campaign) = (config.organization.clone(), config.campaign.clone());
            register_analytics(id, config.analytics.clone());
            let handle =
                leptos::mount::mount_to(root, move || view! { <App config id user_token /> });
            emit(
                id,
                "widget_loaded",
                vec![
                    ("organization", organization.into()),
                    ("campaign", campaign.into()),
                ],
            );
            (Box::new(handle), Some(user_token))
        }
        Err(error) => {
            let message = error.to_string();
            web_sys::console::error_1(&JsValue::from_str(&format!("Questlet: {message}")));
            root.set_attribute("data-theme", "auto")?;
            let handle = leptos::mount::mount_to(root, move || {
                view! { <ErrorBox message title="This widget is misconfigured" /> }
            });
            (Box::new(handle), None)
        }
    };
    INSTANCES.with(|instances| {
        instances.borrow_mut().push(Instance {
            id,
            host: host.clone(),
            user_token,
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
        for instance in &removed {
            unregister_host(instance.id);
        }
        drop(removed);
        if let Some(shadow) = host.shadow_root() {
            shadow.set_inner_html("");
        }
    }
}
