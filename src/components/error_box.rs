//! An inline error: what went wrong, and a retry button when retrying can help.

use leptos::prelude::*;

use crate::context::WidgetContext;
use crate::i18n::Text;

/// A visible error inside the widget (never an exception into the host page).
#[component]
pub fn ErrorBox(
    /// Short headline.
    #[prop(into)]
    title: String,
    /// The explanation, naming what to fix where possible.
    #[prop(into)]
    message: String,
    /// When given, a "Try again" button calls it.
    #[prop(optional)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="ql-error" part="error" role="alert">
            <strong class="ql-error__title">{title}</strong>
            <p class="ql-error__message">{message}</p>
            {retry
                .map(|retry| {
                    view! {
                        <button
                            class="ql-button"
                            part="error-retry"
                            type="button"
                            on:click=move |_| retry.run(())
                        >
                            {use_context::<WidgetContext>()
                                .map_or("Try again", |ctx| ctx.t(Text::TryAgain))}
                        </button>
                    }
                })}
        </div>
    }
}
