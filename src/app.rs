//! The root component: loads the campaign (again whenever the user token changes) and shows
//! it, a skeleton, or an error with retry; hosts the pop-ups.

use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::fetch_campaign;
use crate::components::campaign::CampaignPage;
use crate::components::error_box::ErrorBox;
use crate::components::popup::Popup;
use crate::components::quest_view::QuestView;
use crate::components::skeleton::Skeleton;
use crate::config::WidgetConfig;
use crate::context::{Load, WidgetContext};
use crate::events::InstanceId;
use crate::i18n::Text;
use crate::intro;

/// Loads the campaign for the current user token; stale answers (from before a token
/// change) are dropped. Emits `campaign_viewed` (and shows the intro pop-up, on a first
/// visit) on the first successful load, and `token_expired` when the server refuses the token.
pub fn load_campaign(ctx: WidgetContext) {
    let load = ctx.start_load();
    let token = ctx.user_token.get_untracked();
    let config = ctx.config.get_value();
    spawn_local(async move {
        let result = fetch_campaign(&config, token.as_deref()).await;
        if !ctx.is_newest_load(load) {
            return;
        }
        match result {
            Ok(campaign) => {
                let first = !matches!(ctx.campaign.get_untracked(), Load::Ready(_));
                if first {
                    let title = campaign.campaign.title.clone();
                    ctx.emit("campaign_viewed", vec![("campaign_title", title.into())]);
                    intro::show_on_first_visit(&ctx, &campaign);
                }
                ctx.campaign.set(Load::Ready(Box::new(campaign)));
            }
            Err(error) => {
                if error.is_unauthorized() && token.is_some() {
                    ctx.emit("token_expired", vec![]);
                }
                ctx.campaign.set(Load::Failed(error));
            }
        }
    });
}

/// The widget for one embed.
#[component]
pub fn App(
    /// The validated configuration from the embed's data attributes or `Questlet.mount`.
    config: WidgetConfig,
    /// The widget's id, for events.
    id: InstanceId,
    /// The user token; the host may change it at any time (`Questlet.setUserToken`).
    user_token: RwSignal<Option<String>>,
) -> impl IntoView {
    let ctx = WidgetContext::new(id, config, user_token);
    provide_context(ctx);
    // Load now, and again whenever the token changes.
    Effect::new(move |_| {
        user_token.track();
        load_campaign(ctx);
    });
    let retry = Callback::new(move |()| {
        ctx.campaign.set(Load::Loading);
        load_campaign(ctx);
    });

    view! {
        <div class="ql-widget">
            {move || match ctx.campaign.get() {
                Load::Loading => EitherOf4::A(view! { <Skeleton /> }),
                Load::Ready(_) if ctx.open_quest.get().is_some() => EitherOf4::B(view! { <QuestView /> }),
                Load::Ready(_) => EitherOf4::C(view! { <CampaignPage /> }),
                Load::Failed(error) => {
                    EitherOf4::D(view! {
                        <ErrorBox title=ctx.t(Text::LoadFailed) message=error.to_string() retry />
                    })
                }
            }}
            <Popup />
        </div>
    }
}
