//! Visit a link: opening it completes the task.

use leptos::prelude::*;
use questlet_types::attempt::TaskAnswer;

use crate::context::WidgetContext;
use crate::i18n::Text;

/// The link, opened in a new tab; the click reports the visit.
#[component]
pub(super) fn VisitLink(
    /// Where the link goes.
    url: String,
    /// Sends the answer.
    submit: Callback<TaskAnswer>,
    /// An attempt is under way.
    busy: RwSignal<bool>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    view! {
        <a
            class="ql-button"
            part="task-submit"
            href=url
            target="_blank"
            rel="noopener noreferrer"
            aria-disabled=move || busy.get().to_string()
            on:click=move |_| submit.run(TaskAnswer::VisitLink {})
        >
            {ctx.t(Text::OpenLink)}
        </a>
    }
}
