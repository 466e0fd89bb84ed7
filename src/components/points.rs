//! The user's points in the campaign, announced politely to screen readers when they change.

use leptos::prelude::*;

use crate::context::{Load, WidgetContext};

/// "60 XP" for a logged-in user; nothing for anonymous visitors.
#[component]
pub fn Points() -> impl IntoView {
    let ctx = WidgetContext::get();
    move || {
        ctx.user_version.track();
        let (points, points_name) = ctx.campaign.with(|load| match load {
            Load::Ready(data) => Some((
                data.user.as_ref()?.points,
                data.campaign.points_name.clone(),
            )),
            _ => None,
        })?;
        Some(view! {
            <p class="ql-points" part="points" aria-live="polite">
                {points} " " {points_name}
            </p>
        })
    }
}
