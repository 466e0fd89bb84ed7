//! The root component: loads the campaign and shows it, a skeleton, or an error with retry.

use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::WidgetCampaignResponse;

use crate::api::{fetch_campaign, ApiError};
use crate::components::campaign::CampaignPage;
use crate::components::error_box::ErrorBox;
use crate::components::skeleton::Skeleton;
use crate::config::WidgetConfig;

/// Where loading the campaign stands.
#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    Ready(Box<WidgetCampaignResponse>),
    Failed(ApiError),
}

/// The widget for one embed: fetches its campaign from the API and renders it.
#[component]
pub fn App(
    /// The validated configuration from the embed's data attributes.
    config: WidgetConfig,
) -> impl IntoView {
    let (load, set_load) = signal(Load::Loading);

    let fetch = move || {
        let config = config.clone();
        set_load.set(Load::Loading);
        spawn_local(async move {
            let result = fetch_campaign(&config).await;
            set_load.set(match result {
                Ok(campaign) => Load::Ready(Box::new(campaign)),
                Err(error) => Load::Failed(error),
            });
        });
    };
    fetch();
    let retry = Callback::new(move |()| fetch());

    view! {
        <div class="ql-widget">
            {move || match load.get() {
                Load::Loading => view! { <Skeleton /> }.into_any(),
                Load::Ready(campaign) => view! { <CampaignPage data=*campaign /> }.into_any(),
                Load::Failed(error) => {
                    view! {
                        <ErrorBox
                            title="The quests could not be loaded"
                            message=error.to_string()
                            retry
                        />
                    }
                        .into_any()
                }
            }}
        </div>
    }
}
