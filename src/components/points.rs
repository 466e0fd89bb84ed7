//! The user's points in the campaign and the rank they hold, announced politely to screen
//! readers when they change.

use leptos::prelude::*;
use questlet_types::rewards::rank_for;

use crate::context::{Load, WidgetContext};

/// "60 XP" and the rank held ("Silver") for a logged-in user; nothing for anonymous
/// visitors.
#[component]
pub fn Points() -> impl IntoView {
    let ctx = WidgetContext::get();
    move || {
        ctx.user_version.track();
        let (points, points_name, rank) = ctx.campaign.with(|load| match load {
            Load::Ready(data) => {
                let points = data.user.as_ref()?.points;
                let rank = rank_for(&data.campaign.ranks, points)
                    .map(|rank| (rank.name.clone(), rank.image_url.clone()));
                Some((points, data.campaign.points_name.clone(), rank))
            }
            _ => None,
        })?;
        Some(view! {
            <p class="ql-points" part="points" aria-live="polite">
                {points} " " {points_name}
            </p>
            {rank.map(|(name, image)| view! {
                <p class="ql-rank" part="rank">
                    {image.map(|src| view! { <img class="ql-rank__image" src=src alt="" /> })}
                    {name}
                </p>
            })}
        })
    }
}
