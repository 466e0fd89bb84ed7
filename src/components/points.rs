//! The user's points in the campaign, announced politely to screen readers when they change.

use leptos::prelude::*;

use crate::context::{Load, WidgetContext};

/// "60 XP" for a logged-in user; nothing for anonymous visitors.
#[component]
pub fn Points() -> impl IntoView {
    let ctx = WidgetContext::get();
    move || {
        let Load::Ready(data) = ctx.campaign.get() else {
            return None;
        };
        let user = data.user.as_ref()?;
        Some(view! {
            <p class="ql-points" part="points" aria-live="polite">
                {user.points} " " {data.campaign.points_name.clone()}
            </p>
        })
    }
}
