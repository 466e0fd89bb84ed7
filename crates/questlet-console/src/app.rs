//! The console's frame: reads the session once, then shows the sign-in page or the signed-in
//! pages; signing in or out swaps them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::members::SessionView;

use crate::api;
use crate::pages::campaigns::Campaigns;
use crate::pages::sign_in::SignIn;
use crate::texts;

/// What the console knows of the member's session; pages read and set it from context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    /// Not read yet.
    Loading,
    /// No session (never signed in, signed out, or ended).
    SignedOut,
    /// Signed in.
    SignedIn(SessionView),
}

/// The console's root: the session in context, and the page it calls for.
#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(Session::Loading);
    provide_context(session);
    spawn_local(async move {
        let state = match api::get::<SessionView>("/v1/session").await {
            Ok(view) => Session::SignedIn(view),
            Err(_) => Session::SignedOut,
        };
        session.set(state);
    });
    view! {
        <main class="qc-main">
            {move || match session.get() {
                Session::Loading => view! { <p class="qc-note">{texts::LOADING}</p> }.into_any(),
                Session::SignedOut => view! { <SignIn /> }.into_any(),
                Session::SignedIn(view) => view! { <Campaigns session=view /> }.into_any(),
            }}
        </main>
    }
}
