//! The organization's members (owners only): who they are and their roles, a form to add
//! one with a first password, and removal (the server keeps the last owner).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::members::{CreateMemberRequest, MemberRole, MemberView, MembersResponse};

use crate::api;
use crate::app::{report, use_session, Session};
use crate::parts::{time, ConfirmButton};
use crate::texts;

/// The team page.
#[component]
pub fn Team() -> impl IntoView {
    let session = expect_context::<RwSignal<Session>>();
    let me = use_session().member.id;
    let csrf = StoredValue::new(use_session().csrf_token);
    let reload = RwSignal::new(0_u32);
    let members = LocalResource::new(move || {
        reload.track();
        api::get::<MembersResponse>("/v1/members")
    });
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(MemberRole::Editor);
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let added = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = CreateMemberRequest {
            email: email.get_untracked().trim().to_owned(),
            name: name.get_untracked().trim().to_owned(),
            role: role.get_untracked(),
            password: password.get_untracked(),
        };
        pending.set(true);
        error.set(None);
        added.set(None);
        spawn_local(async move {
            let answer =
                api::send::<_, MemberView>("POST", "/v1/members", &csrf.get_value(), &body).await;
            pending.set(false);
            match answer {
                Ok(member) => {
                    added.set(Some(texts::member_added(&member.name, &member.email)));
                    email.set(String::new());
                    name.set(String::new());
                    password.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => report(session, error, &e),
            }
        });
    };
    let remove = Callback::new(move |id: String| {
        error.set(None);
        spawn_local(async move {
            let path = format!("/v1/members/{id}");
            match api::send_empty("DELETE", &path, &csrf.get_value()).await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => report(session, error, &e),
            }
        });
    });

    let table = move |list: Vec<MemberView>| {
        view! {
            <table class="qc-table">
                <thead>
                    <tr>
                        <th scope="col">{texts::NAME}</th>
                        <th scope="col">{texts::EMAIL}</th>
                        <th scope="col">{texts::ROLE}</th>
                        <th scope="col">{texts::ADDED}</th>
                        <th scope="col"><span class="qc-hidden">{texts::ACTIONS}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|member| {
                        let id = member.id.clone();
                        // Removing yourself is done by another owner: it would end this session.
                        let action = (member.id != me).then(|| view! {
                            <ConfirmButton
                                label=texts::REMOVE
                                confirm=texts::confirm_remove(&member.email)
                                on_confirm=Callback::new(move |()| remove.run(id.clone()))
                            />
                        });
                        let key = member.email.clone();
                        view! {
                            <tr data-member=key>
                                <td>{member.name}</td>
                                <td>{member.email}</td>
                                <td>{member.role.as_str()}</td>
                                <td>{time(member.created_at)}</td>
                                <td>{action}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    };

    view! {
        <section class="qc-card" aria-labelledby="qc-team-title">
            <h1 id="qc-team-title">{texts::TEAM}</h1>
            <p class="qc-note">{texts::ROLES_HELP}</p>
            <Suspense fallback=|| view! { <p class="qc-note">{texts::LOADING}</p> }>
                {move || members.get().map(|answer| match answer {
                    Ok(list) => table(list.members).into_any(),
                    Err(e) => {
                        report(session, error, &e);
                        ().into_any()
                    }
                })}
            </Suspense>
        </section>
        <section class="qc-card" aria-labelledby="qc-add-member-title">
            <h2 id="qc-add-member-title">{texts::ADD_MEMBER}</h2>
            <form class="qc-form" on:submit=add>
                <label for="qc-member-email">{texts::EMAIL}</label>
                <input id="qc-member-email" type="email" required maxlength="254" autocomplete="off"
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev)) />
                <label for="qc-member-name">{texts::NAME}</label>
                <input id="qc-member-name" required maxlength="100" autocomplete="off"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev)) />
                <label for="qc-member-role">{texts::ROLE}</label>
                <select id="qc-member-role"
                    on:change=move |ev| {
                        if let Some(chosen) = MemberRole::parse(&event_target_value(&ev)) {
                            role.set(chosen);
                        }
                    }>
                    {MemberRole::ALL.iter().map(|r| view! {
                        <option value=r.as_str() selected=*r == MemberRole::Editor>{r.as_str()}</option>
                    }).collect_view()}
                </select>
                <label for="qc-member-password">{texts::FIRST_PASSWORD}</label>
                <input id="qc-member-password" type="password" required minlength="12" maxlength="200"
                    autocomplete="new-password"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev)) />
                <button class="qc-button qc-primary" type="submit" disabled=move || pending.get()>
                    {texts::ADD_MEMBER}
                </button>
            </form>
            <p class="qc-note" role="status">{move || added.get().unwrap_or_default()}</p>
            <p class="qc-error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </section>
    }
}
