//! Quiz: one choice per question; the server knows the answers.

use leptos::prelude::*;
use questlet_types::attempt::TaskAnswer;
use questlet_types::task::QuizQuestion;

use super::SubmitButton;
use crate::context::WidgetContext;
use crate::i18n::Text;

/// Each question with its options as radio buttons.
#[component]
pub(super) fn Quiz(
    /// The questions (without answers).
    questions: Vec<QuizQuestion>,
    /// Sends the answer.
    submit: Callback<TaskAnswer>,
    /// An attempt is under way.
    busy: RwSignal<bool>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let answers = RwSignal::new(vec![None::<usize>; questions.len()]);
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let chosen: Option<Vec<usize>> = answers.get_untracked().into_iter().collect();
        if let Some(answers) = chosen {
            submit.run(TaskAnswer::Quiz { answers });
        }
    };
    view! {
        <form class="ql-task__form" on:submit=on_submit>
            {questions
                .into_iter()
                .enumerate()
                .map(|(q, question)| {
                    view! {
                        <fieldset class="ql-fieldset">
                            <legend>{question.text}</legend>
                            {question
                                .options
                                .into_iter()
                                .enumerate()
                                .map(|(o, option)| {
                                    view! {
                                        <label class="ql-choice">
                                            <input
                                                type="radio"
                                                part="task-input"
                                                name=format!("ql-quiz-{q}")
                                                on:change=move |_| answers.update(|a| a[q] = Some(o))
                                            />
                                            {option}
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                    }
                })
                .collect_view()}
            <SubmitButton busy label=ctx.t(Text::Submit) />
        </form>
    }
}
