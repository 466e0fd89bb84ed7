//! An inline error: what went wrong, and a retry button when retrying can help.

use leptos::prelude::*;

use crate::context::WidgetContext;
use crate::i18n::Text;
use crate::markup::escape;

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
    // The two lines as markup (`markup.rs` says why).
    let text = format!(
        r#"<strong class="ql-error__title">{}</strong><p class="ql-error__message">{}</p>"#,
        escape(&title),
        escape(&message)
    );
    view! {
        <div class="ql-error" part="error" role="alert">
            <div class="ql-static" inner_html=text></div>
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
