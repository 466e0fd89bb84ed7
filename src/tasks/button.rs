//! Tasks done with one press: an HTTP request task (the server asks the partner, whose URL
//! and secret stay on the server) and a daily check-in.

use leptos::prelude::*;
use questlet_types::attempt::TaskAnswer;

use crate::context::WidgetContext;
use crate::i18n::Text;

/// A button that sends a fixed answer.
#[component]
pub(super) fn ActionButton(
    /// The button's text.
    label: Text,
    /// The answer it sends.
    answer: TaskAnswer,
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
            on:click=move |_| submit.run(answer.clone())
        >
            {ctx.t(label)}
        </button>
    }
}
