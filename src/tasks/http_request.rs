//! HTTP request: a button that asks the server to check with the partner whether the user
//! did the task (the partner's URL and secret stay on the server).

use leptos::prelude::*;
use questlet_types::attempt::TaskAnswer;

use crate::context::WidgetContext;
use crate::i18n::Text;

/// The check button.
#[component]
pub(super) fn HttpRequest(
    /// Sends the answer.
    submit: Callback<TaskAnswer>,
    /// An attempt is under way.
    busy: RwSignal<bool>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    view! {
        <button
            class="ql-button"
            part="task-submit"
            type="button"
            disabled=move || busy.get()
            on:click=move |_| submit.run(TaskAnswer::HttpRequest {})
        >
            {ctx.t(Text::Check)}
        </button>
    }
}
