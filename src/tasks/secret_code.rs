//! Secret code and invite code: one input; the server checks the code (an invite code
//! against the partner's pool of single-use codes).

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
    /// An invite code rather than a secret code.
    invite: bool,
    /// Sends the answer.
    submit: Callback<TaskAnswer>,
    /// An attempt is under way.
    busy: RwSignal<bool>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let code = RwSignal::new(String::new());
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let code = code.get_untracked();
        submit.run(if invite {
            TaskAnswer::InviteCode { code }
        } else {
            TaskAnswer::SecretCode { code }
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
