//! The root component: loads the campaign (again whenever the user token changes) and shows
//! it, a skeleton, or an error with retry; hosts the pop-ups.

use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::Element;

use crate::components::campaign::CampaignPage;
use crate::components::error_box::ErrorBox;
use crate::components::fresh::Fresh;
use crate::components::popup::Popup;
use crate::components::quest_view::QuestView;
use crate::components::skeleton::Skeleton;
use crate::config::WidgetConfig;
use crate::context::{Load, WidgetContext};
use crate::i18n::Text;

/// The widget for one embed.
#[component]
pub fn App(
    /// The validated configuration from the embed's data attributes or `Questlet.mount`.
    config: WidgetConfig,
    /// The host page's element the widget renders in (events are dispatched on it).
    host: Element,
    /// The user token; the host may change it at any time (`Questlet.setUserToken`).
    user_token: RwSignal<Option<String>>,
) -> impl IntoView {
    let ctx = WidgetContext::new(host, config, user_token);
    provide_context(ctx);
    // Load now, and again whenever the token changes.
    Effect::new(move |_| {
        user_token.track();
        spawn_local(async move {
            ctx.load().await;
        });
    });
    view! { <WidgetBody /> }
}

/// What a widget shows for the state of its context: the campaign (or the open quest), a
/// skeleton while the first load runs, a load error with a retry, and the pop-ups; and on
/// its host element, how many tasks the user can work on.
#[component]
pub fn WidgetBody() -> impl IntoView {
    let ctx = WidgetContext::get();
    // How many tasks the user can work on, on the host element (`data-questlet-available`),
    // for the launcher's button and for the host page's own use.
    let host = ctx.host;
    Effect::new(move |_| {
        ctx.user_version.track();
        let available = ctx.campaign.with(|load| match load {
            Load::Ready(data) => Some(data.available_tasks()),
            _ => None,
        });
        if let Some(available) = available {
            host.with_value(|host| {
                let _ = host.set_attribute("data-questlet-available", &available.to_string());
            });
        }
    });
    let retry = Callback::new(move |()| {
        if !ctx.has_campaign() {
            ctx.campaign.set(Load::Loading);
        }
        spawn_local(async move {
            ctx.load().await;
        });
    });

    view! {
        <div class="ql-widget">
            {move || {
                ctx.reload_error
                    .get()
                    .map(|error| {
                        view! {
                            <ErrorBox title=ctx.t(Text::RefreshFailed) message=error.to_string() retry />
                        }
                    })
            }}
            {move || {
                let open = ctx.open_quest.get().is_some();
                // A patch of the open quest (after an attempt) renders its page again; a
                // patch of any other quest renders nothing here.
                if let Some(version) = ctx.open_quest.with(|id| ctx.quest_version(id.as_deref()?)) {
                    version.track();
                }
                // Read in place: a large campaign is not cloned to learn its state.
                let shown = ctx.campaign.with(|load| match load {
                    Load::Loading => Ok(false),
                    Load::Ready(_) => Ok(true),
                    Load::Failed(error) => Err(error.clone()),
                });
                match shown {
                    Ok(false) => EitherOf4::A(view! { <Skeleton /> }),
                    Ok(true) if open => EitherOf4::B(Fresh(view! { <QuestView /> })),
                    Ok(true) => EitherOf4::C(view! { <CampaignPage /> }),
                    Err(error) => {
                        EitherOf4::D(view! {
                            <ErrorBox title=ctx.t(Text::LoadFailed) message=error.to_string() retry />
                        })
                    }
                }
            }}
            <Popup />
        </div>
    }
}
