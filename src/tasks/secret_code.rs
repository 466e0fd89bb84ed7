//! Secret code, invite code, custom task and a transaction's hash: one text input. The
//! server checks the code (an invite code against the partner's pool of single-use codes),
//! the proof (which a reviewed custom task then queues for the partner) or the transaction
//! (on its chain).

use leptos::prelude::*;
use questlet_types::attempt::TaskAnswer;
use questlet_types::ProofKind;

use super::SubmitButton;
use crate::context::WidgetContext;
use crate::i18n::Text;

/// What the input takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Entry {
    /// A secret code.
    Secret,
    /// An invite code.
    Invite,
    /// A custom task's proof.
    Proof(ProofKind),
    /// The hash of a transaction the user sent.
    Transaction,
}

/// The input and its submit button.
#[component]
pub(super) fn SecretCode(
    /// Placeholder text.
    placeholder: String,
    /// What the input takes.
    entry: Entry,
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
        submit.run(match entry {
            Entry::Secret => TaskAnswer::SecretCode { code },
            Entry::Invite => TaskAnswer::InviteCode { code },
            Entry::Proof(_) => TaskAnswer::Custom { proof: code },
            Entry::Transaction => TaskAnswer::ContractTransaction { hash: code },
        });
    };
    view! {
        <form class="ql-task__form" on:submit=on_submit>
            <input
                class="ql-input"
                part="task-input"
                type=if entry == Entry::Proof(ProofKind::Url) { "url" } else { "text" }
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
