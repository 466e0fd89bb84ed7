//! Form: named text fields; the server checks the required ones.

use leptos::prelude::*;
use questlet_types::attempt::{FormValues, TaskAnswer};
use questlet_types::task::FormField;

use super::SubmitButton;
use crate::context::WidgetContext;
use crate::i18n::Text;

/// One labelled input per field.
#[component]
pub(super) fn Form(
    /// The fields.
    fields: Vec<FormField>,
    /// Sends the answer.
    submit: Callback<TaskAnswer>,
    /// An attempt is under way.
    busy: RwSignal<bool>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let values = RwSignal::new(FormValues::default());
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        submit.run(TaskAnswer::Form {
            values: values.get_untracked(),
        });
    };
    view! {
        <form class="ql-task__form" on:submit=on_submit>
            {fields
                .into_iter()
                .map(|field| {
                    let name = field.name.clone();
                    view! {
                        <label class="ql-field">
                            <span>{field.label.clone()} {field.required.then_some(" *")}</span>
                            <input
                                class="ql-input"
                                part="task-input"
                                type="text"
                                required=field.required
                                on:input=move |event| {
                                    let value = event_target_value(&event);
                                    values.update(|v| v.set(&name, value))
                                }
                            />
                        </label>
                    }
                })
                .collect_view()}
            <SubmitButton busy label=ctx.t(Text::Submit) />
        </form>
    }
}
