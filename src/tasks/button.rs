//! Tasks done with one press: an HTTP request task (the server asks the partner, whose URL
//! and secret stay on the server), a daily check-in, and a referral task (the server counts
//! the user's referred friends), which also shows the user's link to share.

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
    /// Text to show above the button, selectable (a referral link).
    #[prop(optional_no_strip)]
    shows: Option<String>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    view! {
        {shows.map(|text| view! {
            <input class="ql-input" part="task-input" readonly value=text aria-label=ctx.t(Text::YourLink) />
        })}
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
