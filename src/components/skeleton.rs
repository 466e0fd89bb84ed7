//! The loading placeholder shown while the campaign loads.

use leptos::prelude::*;

/// The placeholder's blocks, as markup (`markup.rs` says why).
const BLOCKS: &str = r#"<div class="ql-skeleton__line ql-skeleton__line--title"></div><div class="ql-skeleton__line"></div><div class="ql-skeleton__card"></div><div class="ql-skeleton__card"></div>"#;

/// Grey blocks in the shape of a campaign, announced to screen readers as loading.
#[component]
pub fn Skeleton() -> impl IntoView {
    view! {
        <div class="ql-skeleton" part="skeleton" aria-busy="true" aria-label="Loading quests" inner_html=BLOCKS></div>
    }
}
