//! Mounting: finds the host element, attaches the shadow root with the widget's CSS, and
//! starts the Leptos tree (or an inline configuration error) inside it, as this instance's
//! one widget (`instance.rs`).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlScriptElement, ShadowRootInit, ShadowRootMode};

use crate::app::App;
use crate::components::error_box::ErrorBox;
use crate::config::{parse_config, ConfigError, WidgetConfig};
use crate::events::{announce, call_loader, emit, params_object};
use crate::i18n::{Lang, Text};
use crate::instance::{self, Widget};
use crate::styles;

/// Mounts the widget configured by an embedding `<script>` tag's data attributes, and
/// returns the element it renders in: the `data-container` element, or a new `<div>` right
/// after the tag.
pub fn mount_for_script(script: &HtmlScriptElement) -> Element {
    let default_api = web_sys::Url::new(&script.src())
        .map(|url| url.origin())
        .unwrap_or_default();
    let mut config = parse_config(
        |name| script.get_attribute(&format!("data-{name}")),
        &default_api,
    );
    let document = document();
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
    mount_or_log(&host, config);
    host
}

/// [`mount_into`], logging a failure to the console instead of returning it.
pub fn mount_or_log(host: &Element, config: Result<WidgetConfig, ConfigError>) {
    if let Err(error) = mount_into(host, config) {
        web_sys::console::error_2(&JsValue::from_str("Questlet: mounting failed:"), &error);
    }
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("the widget runs in a browser page")
}

/// Mounts a widget into `host`'s shadow root as this instance's widget: the campaign for a
/// valid configuration, an inline error (and one console error) for an invalid one. It
/// replaces the instance's previous widget, if any.
pub fn mount_into(
    host: &Element,
    config: Result<WidgetConfig, ConfigError>,
) -> Result<(), JsValue> {
    instance::remove();
    // Lets claimr.set_theme and host-page CSS find every widget host.
    host.set_attribute("data-questlet-host", "")?;
    let shadow = match host.shadow_root() {
        Some(shadow) => shadow,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    shadow.set_inner_html("");
    styles::apply(&shadow)?;
    let document = document();
    let root: HtmlElement = document.create_element("div")?.unchecked_into();
    root.set_class_name("ql-root");
    shadow.append_child(&root)?;

    let widget = match config {
        Ok(config) => {
            root.set_attribute("data-theme", config.theme.as_str())?;
            let user_token = RwSignal::new(config.user_token.clone());
            let loaded = vec![
                ("organization", config.organization.clone().into()),
                ("campaign", config.campaign.clone().into()),
            ];
            let mut context = loaded.clone();
            context.push(("api", config.api_base.clone().into()));
            if let Some(token) = &config.user_token {
                context.push(("token", token.clone().into()));
            }
            // The wallet chunk (`public/wallet.js`) announces a connected wallet with this,
            // like every other step (its params: the organization, campaign and address).
            let (wallet_host, wallet_analytics) = (host.clone(), config.analytics.clone());
            let wallet_connected = Closure::<dyn FnMut(JsValue)>::new(move |detail: JsValue| {
                announce(
                    &wallet_host,
                    &wallet_analytics,
                    "wallet_connected",
                    detail.unchecked_ref(),
                );
            });
            context.push(("walletConnected", wallet_connected.into_js_value()));
            // A launcher: the loader brings `public/launcher.js`, which opens the widget
            // from a floating button (its words in the widget's language).
            if let Some(launcher) = &config.launcher {
                let lang = Lang::choose(config.lang.as_deref());
                context.push(("mode", "launcher".into()));
                context.push(("position", launcher.position.into()));
                context.push(("zIndex", launcher.z_index.into()));
                context.push(("label", lang.t(Text::Quests).into()));
                context.push(("close", lang.t(Text::Close).into()));
            }
            let analytics = config.analytics.clone();
            let app_host = host.clone();
            let handle = leptos::mount::mount_to(root, move || {
                view! { <App config host=app_host user_token /> }
            });
            emit(host, &analytics, "widget_loaded", loaded);
            // What a host integration needs to act for this widget (in a Telegram Mini App
            // the loader signs its user in, `public/telegram.js`).
            call_loader("__mounted", host, &params_object(&context));
            Widget {
                host: host.clone(),
                user_token: Some(user_token),
                handle: Box::new(handle),
            }
        }
        Err(error) => {
            let message = error.to_string();
            web_sys::console::error_1(&JsValue::from_str(&format!("Questlet: {message}")));
            root.set_attribute("data-theme", "auto")?;
            let handle = leptos::mount::mount_to(root, move || {
                view! { <ErrorBox message title="This widget is misconfigured" /> }
            });
            Widget {
                host: host.clone(),
                user_token: None,
                handle: Box::new(handle),
            }
        }
    };
    instance::install(widget);
    Ok(())
}
