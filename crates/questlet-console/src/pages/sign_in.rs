//! The sign-in page: a member's email and password, traded for the session cookie.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::members::{SessionView, SignInRequest};

use crate::api;
use crate::app::Session;
use crate::texts;

/// The sign-in form; the server's refusal (wrong email or password, too many attempts) is
/// shown above the button.
#[component]
pub fn SignIn() -> impl IntoView {
    let session = expect_context::<RwSignal<Session>>();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let request = SignInRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            // Signing in needs no CSRF token: there is no session yet.
            match api::send::<_, SessionView>("POST", "/v1/session", "", &request).await {
                Ok(view) => session.set(Session::SignedIn(view)),
                Err(refusal) => error.set(Some(refusal.to_string())),
            }
            pending.set(false);
        });
    };

    view! {
        <section class="qc-card qc-sign-in" aria-labelledby="qc-sign-in-title">
            <h1 id="qc-sign-in-title">{texts::SIGN_IN_TITLE}</h1>
            <form on:submit=submit>
                <label for="qc-email">{texts::EMAIL}</label>
                <input
                    id="qc-email"
                    type="email"
                    name="email"
                    autocomplete="username"
                    required
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev))
                />
                <label for="qc-password">{texts::PASSWORD}</label>
                <input
                    id="qc-password"
                    type="password"
                    name="password"
                    autocomplete="current-password"
                    required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
                <p class="qc-error" role="alert">
                    {move || error.get().unwrap_or_default()}
                </p>
                <button class="qc-button qc-primary" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { texts::SIGNING_IN } else { texts::SIGN_IN }}
                </button>
            </form>
        </section>
    }
}
