//! Poll: pick one option.

use leptos::prelude::*;
use questlet_types::attempt::TaskAnswer;

use super::SubmitButton;
use crate::context::WidgetContext;
use crate::i18n::Text;

/// The options as radio buttons.
#[component]
pub(super) fn Poll(
    /// The question.
    question: String,
    /// The options.
    options: Vec<String>,
    /// Sends the answer.
    submit: Callback<TaskAnswer>,
    /// An attempt is under way.
    busy: RwSignal<bool>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let choice = RwSignal::new(None::<usize>);
    let name = format!("ql-poll-{}", question.len());
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if let Some(option) = choice.get_untracked() {
            submit.run(TaskAnswer::Poll { option });
        }
    };
    view! {
        <form class="ql-task__form" on:submit=on_submit>
            <fieldset class="ql-fieldset">
                <legend>{question}</legend>
                {options
                    .into_iter()
                    .enumerate()
                    .map(|(index, option)| {
                        view! {
                            <label class="ql-choice">
                                <input
                                    type="radio"
                                    part="task-input"
                                    name=name.clone()
                                    on:change=move |_| choice.set(Some(index))
                                />
                                {option}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <SubmitButton busy label=ctx.t(Text::Submit) />
        </form>
    }
}
