//! The console's frame: reads the session once, then shows the sign-in page, or the header
//! and the page the member is on; signing in or out swaps them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::members::SessionView;

use crate::api;
use crate::pages::campaign::CampaignEditor;
use crate::pages::campaigns::Campaigns;
use crate::pages::credentials::Credentials;
use crate::pages::results::CampaignResultsPage;
use crate::pages::review::ReviewQueue;
use crate::pages::sign_in::SignIn;
use crate::pages::team::Team;
use crate::texts;
use questlet_types::members::MemberRole;

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

/// Which page a signed-in member is on; pages move between them through context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// The organization's campaigns.
    Campaigns,
    /// One campaign, by slug.
    Campaign(String),
    /// One campaign's results, by slug.
    Results(String),
    /// The review queue of proofs that wait for approval.
    Review,
    /// The organization's members (owners only).
    Team,
    /// API tokens, OAuth2 clients and webhook endpoints (owners only).
    Credentials,
}

impl Page {
    /// The pages in the header's navigation a member of `role` may open, with their names.
    /// The server refuses the others' calls anyway; the console does not offer them.
    fn navigation(role: MemberRole) -> Vec<(Page, &'static str)> {
        let mut pages = Vec::new();
        if role >= MemberRole::Editor {
            pages.push((Page::Campaigns, texts::CAMPAIGNS));
        }
        pages.push((Page::Review, texts::REVIEW));
        if role == MemberRole::Owner {
            pages.push((Page::Team, texts::TEAM));
            pages.push((Page::Credentials, texts::CREDENTIALS));
        }
        pages
    }

    /// Whether the navigation entry `self` is current when `current` is shown (a campaign
    /// and its results are part of the campaigns).
    fn holds(&self, current: &Page) -> bool {
        self == current
            || (*self == Page::Campaigns && matches!(current, Page::Campaign(_) | Page::Results(_)))
    }
}

/// The signed-in member's session, for the pages' writes (its CSRF token).
pub fn use_session() -> SessionView {
    expect_context::<SessionView>()
}

/// The console's root: the session in context, and the page it calls for.
#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(Session::Loading);
    let page = RwSignal::new(Page::Campaigns);
    provide_context(session);
    provide_context(page);
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
                Session::SignedIn(view) => view! { <SignedIn session=view /> }.into_any(),
            }}
        </main>
    }
}

/// The header (who is signed in, sign-out) over the member's current page.
#[component]
fn SignedIn(
    /// The member's session.
    session: SessionView,
) -> impl IntoView {
    let state = expect_context::<RwSignal<Session>>();
    let page = expect_context::<RwSignal<Page>>();
    let csrf = session.csrf_token.clone();
    let who = format!(
        "{} · {} · {}",
        session.member.name,
        session.organization,
        session.member.role.as_str()
    );
    let navigation = Page::navigation(session.member.role);
    let home = navigation[0].0.clone();
    // A reviewer's console is the review queue.
    if session.member.role == MemberRole::Reviewer {
        page.set(Page::Review);
    }
    provide_context(session);

    let sign_out = move |_| {
        let csrf = csrf.clone();
        spawn_local(async move {
            // Signed out either way: an ended session is as good as a deleted one.
            let _ = api::send_empty("DELETE", "/v1/session", &csrf).await;
            state.set(Session::SignedOut);
            page.set(Page::Campaigns);
        });
    };

    view! {
        <header class="qc-header">
            <button class="qc-link qc-product" type="button" on:click=move |_| page.set(home.clone())>
                {texts::PRODUCT}
            </button>
            <nav class="qc-nav" aria-label=texts::NAVIGATION>
                {navigation
                    .into_iter()
                    .map(|(entry, name)| {
                        let current = entry.clone();
                        view! {
                            <button
                                class="qc-tab"
                                type="button"
                                aria-current=move || page.with(|p| current.holds(p)).then_some("page")
                                on:click=move |_| page.set(entry.clone())
                            >
                                {name}
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
            <span class="qc-who">{who}</span>
            <button class="qc-button" type="button" on:click=sign_out>
                {texts::SIGN_OUT}
            </button>
        </header>
        {move || match page.get() {
            Page::Campaigns => view! { <Campaigns /> }.into_any(),
            Page::Campaign(slug) => view! { <CampaignEditor slug=slug /> }.into_any(),
            Page::Results(slug) => view! { <CampaignResultsPage slug=slug /> }.into_any(),
            Page::Review => view! { <ReviewQueue /> }.into_any(),
            Page::Team => view! { <Team /> }.into_any(),
            Page::Credentials => view! { <Credentials /> }.into_any(),
        }}
    }
}

/// Shows `error` in `shown`, or signs the console out (through `session`) when it says the
/// session ended.
pub fn report(session: RwSignal<Session>, shown: RwSignal<Option<String>>, error: &api::ApiError) {
    if !signed_out(session, error) {
        shown.set(Some(error.to_string()));
    }
}

/// Signs the console out (through `session`) when `error` says the session ended;
/// answers whether it did.
pub fn signed_out(session: RwSignal<Session>, error: &api::ApiError) -> bool {
    let ended = matches!(error, api::ApiError::SignedOut(_));
    if ended {
        session.set(Session::SignedOut);
    }
    ended
}
