//! The leaderboard and rewards tabs. Their content is read and written by `public/panels.js`,
//! which the loader imports when a user first opens one (`Questlet.__panel`), so they cost
//! the widget's first load nothing (see why in ARCHITECTURE.md). This component hands it
//! what only the widget knows — the campaign's API URL, the user token, the words in the
//! widget's language, and a way to announce a claim — and asks it again when the user
//! changes or their points move.

use js_sys::{Function, Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::api::campaign_url;
use crate::context::WidgetContext;
use crate::i18n::Text;

#[wasm_bindgen]
extern "C" {
    /// `Questlet.__panel(element, options)`: loads `panels.js` (once) and shows the tab
    /// in `element`.
    #[wasm_bindgen(js_namespace = Questlet, js_name = __panel, catch)]
    fn show_panel(element: &Element, options: &JsValue) -> Result<JsValue, JsValue>;
}

/// Which tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelKind {
    /// The campaign's leaderboard.
    Leaderboard,
    /// The campaign's rewards.
    Rewards,
}

/// The words `panels.js` uses, by its keys.
const TEXTS: [(&str, Text); 11] = [
    ("all_time", Text::AllTime),
    ("this_week", Text::ThisWeek),
    ("this_month", Text::ThisMonth),
    ("no_one_yet", Text::NoOneYet),
    ("claim", Text::Claim),
    ("claimed", Text::Claimed),
    ("copy", Text::Copy),
    ("none_left", Text::NoneLeft),
    ("complete", Text::Complete),
    ("rank", Text::Rank),
    ("top", Text::Top),
];

/// The tab of `kind`.
#[component]
pub fn Panel(
    /// Which tab.
    kind: PanelKind,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let node = NodeRef::<leptos::html::Div>::new();
    // A claim, announced like every other step (DOM event, analytics sinks, callbacks).
    let claimed: Function = Closure::<dyn Fn(String, String, String)>::new(
        move |key: String, title: String, kind: String| {
            ctx.emit(
                "reward_claimed",
                vec![
                    ("reward_id", key.into()),
                    ("reward_title", title.into()),
                    ("reward_kind", kind.into()),
                ],
            );
        },
    )
    .into_js_value()
    .unchecked_into();
    Effect::new(move |_| {
        ctx.user_version.track();
        let token = ctx.user_token.get();
        let Some(element) = node.get() else {
            return;
        };
        let options = Object::new();
        let set = |key: &str, value: &JsValue| {
            let _ = Reflect::set(&options, &JsValue::from_str(key), value);
        };
        let texts = Object::new();
        for (key, text) in TEXTS {
            let _ = Reflect::set(&texts, &JsValue::from_str(key), &ctx.t(text).into());
        }
        let kind = match kind {
            PanelKind::Leaderboard => "leaderboard",
            PanelKind::Rewards => "rewards",
        };
        set("kind", &kind.into());
        set("url", &campaign_url(&ctx.config.get_value(), "").into());
        set("token", &token.map_or(JsValue::NULL, JsValue::from));
        set("texts", &texts);
        set("points", &ctx.points_name().into());
        set("claimed", &claimed);
        if let Err(error) = show_panel(&element, &options) {
            web_sys::console::error_2(&"Questlet: the tab could not be shown:".into(), &error);
        }
    });

    view! { <div class="ql-panel" node_ref=node></div> }
}
