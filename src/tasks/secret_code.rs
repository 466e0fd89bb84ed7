//! Secret code: one input; the server checks the code.

use leptos::prelude::*;
use questlet_types::attempt::TaskAnswer;

use super::SubmitButton;
use crate::context::WidgetContext;
use crate::i18n::Text;

/// The code input and its submit button.
#[component]
pub(super) fn SecretCode(
    /// Placeholder text.
    placeholder: String,
    /// Sends the answer.
    submit: Callback<TaskAnswer>,
    /// An attempt is under way.
    busy: RwSignal<bool>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let code = RwSignal::new(String::new());
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        submit.run(TaskAnswer::SecretCode {
            code: code.get_untracked(),
        });
    };
    view! {
        <form class="ql-task__form" on:submit=on_submit>
            <input
                class="ql-input"
                part="task-input"
                type="text"
                autocomplete="off"
                aria-label=placeholder.clone()
                placeholder=placeholder
                prop:value=move || code.get()
                on:input=move |event| code.set(event_target_value(&event))
            />
            <SubmitButton busy label=ctx.t(Text::Submit) />
        </form>
    }
}
