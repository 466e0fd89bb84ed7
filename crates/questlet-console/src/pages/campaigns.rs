//! The signed-in home: who is signed in, and the organization's campaigns with their status.

use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::campaign_document::CampaignSummary;
use questlet_types::members::SessionView;

use crate::api::{self, ApiError};
use crate::app::Session;
use crate::texts;

/// The campaign list under a header naming the member, with sign-out.
#[component]
pub fn Campaigns(
    /// The member's session.
    session: SessionView,
) -> impl IntoView {
    let state = expect_context::<RwSignal<Session>>();
    let campaigns = LocalResource::new(|| api::get::<Vec<CampaignSummary>>("/v1/campaigns"));
    let csrf = session.csrf_token.clone();

    let sign_out = move |_| {
        let csrf = csrf.clone();
        spawn_local(async move {
            // Signed out either way: an ended session is as good as a deleted one.
            let _ = api::send_empty("DELETE", "/v1/session", &csrf).await;
            state.set(Session::SignedOut);
        });
    };
    let who = format!(
        "{} · {} · {}",
        session.member.name,
        session.organization,
        session.member.role.as_str()
    );

    view! {
        <header class="qc-header">
            <span class="qc-product">{texts::PRODUCT}</span>
            <span class="qc-who">{who}</span>
            <button class="qc-button" type="button" on:click=sign_out>
                {texts::SIGN_OUT}
            </button>
        </header>
        <section class="qc-card" aria-labelledby="qc-campaigns-title">
            <h1 id="qc-campaigns-title">{texts::CAMPAIGNS}</h1>
            <Suspense fallback=|| view! { <p class="qc-note">{texts::LOADING}</p> }>
                {move || campaigns.get().map(|answer| match answer {
                    Ok(list) => campaign_table(list).into_any(),
                    Err(ApiError::SignedOut(_)) => {
                        state.set(Session::SignedOut);
                        ().into_any()
                    }
                    Err(error) => view! { <p class="qc-error" role="alert">{error.to_string()}</p> }
                        .into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// The campaigns as a table, or a line saying there are none.
fn campaign_table(list: Vec<CampaignSummary>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="qc-note">{texts::NO_CAMPAIGNS}</p> }.into_any();
    }
    view! {
        <table class="qc-table">
            <thead>
                <tr>
                    <th scope="col">{texts::TITLE}</th>
                    <th scope="col">{texts::SLUG}</th>
                    <th scope="col">{texts::STATUS}</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|campaign| {
                        let status = campaign.status.as_str();
                        let key = campaign.slug.clone();
                        view! {
                            <tr data-campaign=key>
                                <td>{campaign.title}</td>
                                <td><code>{campaign.slug}</code></td>
                                <td><span class="qc-status" data-status=status>{status}</span></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
