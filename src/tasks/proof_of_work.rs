//! Proof of work: a button that fetches a puzzle for the user and solves it off the main
//! thread, with a progress bar, then sends the solution as the answer. The solver
//! (`public/pow.js`, a Web Worker) loads only when a user starts one: the loader's
//! `Questlet.__solve` imports it on first use, so it costs the widget's bundle nothing.

use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::attempt::TaskAnswer;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::api::{campaign_url, task_path};
use crate::context::WidgetContext;
use crate::i18n::Text;

#[wasm_bindgen]
extern "C" {
    /// `Questlet.__solve(url, token, bar)`: fetches the puzzle at `url` with the user's
    /// token, solves it while filling `bar`, and resolves to `{challenge, nonce}`.
    #[wasm_bindgen(js_namespace = Questlet, js_name = __solve, catch)]
    fn solve(url: &str, token: &str, bar: &web_sys::Element) -> Result<js_sys::Promise, JsValue>;
}

/// The progress bar and the button that starts the search.
#[component]
pub(super) fn ProofOfWork(
    /// The task's id (the puzzle is this task's).
    task_id: String,
    /// Sends the answer.
    submit: Callback<TaskAnswer>,
    /// An attempt is under way.
    busy: RwSignal<bool>,
    /// Why the last attempt failed (a puzzle that could not be fetched or solved).
    failure: RwSignal<Option<String>>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let bar = NodeRef::<leptos::html::Progress>::new();
    let on_click = move |_| {
        let answer =
            |challenge: String, nonce: String| TaskAnswer::ProofOfWork { challenge, nonce };
        // Without a user token there is no puzzle: the attempt flow asks for a login.
        let (Some(token), Some(bar)) = (ctx.user_token.get_untracked(), bar.get_untracked()) else {
            submit.run(answer(String::new(), String::new()));
            return;
        };
        let url = campaign_url(&ctx.config.get_value(), &task_path(&task_id, "challenge"));
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let found = match solve(&url, &token, &bar) {
                Ok(promise) => JsFuture::from(promise).await,
                Err(error) => Err(error),
            };
            busy.set(false);
            let text = |value: &JsValue, key: &str| {
                js_sys::Reflect::get(value, &key.into())
                    .ok()
                    .and_then(|v| v.as_string())
            };
            match found {
                Ok(found) => submit.run(answer(
                    text(&found, "challenge").unwrap_or_default(),
                    text(&found, "nonce").unwrap_or_default(),
                )),
                Err(error) => failure.set(Some(
                    text(&error, "message").unwrap_or_else(|| ctx.t(Text::LoadFailed).to_owned()),
                )),
            }
        });
    };
    view! {
        <div class="ql-task__form">
            <progress class="ql-progress" part="task-progress" max="1" value="0" node_ref=bar></progress>
            <button class="ql-button" part="task-submit" type="button" disabled=move || busy.get() on:click=on_click>
                {ctx.t(Text::Solve)}
            </button>
        </div>
    }
}
