//! The review queue: the proofs users sent for tasks the partner reviews, by campaign,
//! state and quest; each opened (a link opens in a new tab, text is shown as text), approved
//! or rejected with a message the user sees, one by one or many at once, by mouse or by
//! keyboard (`j`/`k` or the arrows move, `x` selects, `a` approves, `r` rejects).
//!
//! Every decision goes through the bulk review call, one id or many: the server decides each
//! as the single review would, and names the ones it skipped (decided by someone else
//! meanwhile).

use std::collections::HashMap;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::campaign_document::CampaignSummary;
use questlet_types::partner::{
    BulkReviewRequest, BulkReviewResponse, ReviewDecision, SubmissionList, SubmissionView,
};
use questlet_types::ReviewState;
use wasm_bindgen::JsCast;

use crate::api;
use crate::app::{report, use_session, Session};
use crate::parts::time;
use crate::texts;

/// Decides `ids` of `campaign` with `decision` and `message`; answers what the server did.
async fn decide(
    campaign: &str,
    csrf: &str,
    ids: Vec<String>,
    decision: ReviewDecision,
    message: String,
) -> Result<BulkReviewResponse, api::ApiError> {
    let body = BulkReviewRequest {
        ids,
        decision,
        message: Some(message).filter(|m| !m.trim().is_empty()),
    };
    let path = format!("/v1/campaigns/{campaign}/submissions/review");
    api::send("POST", &path, csrf, &body).await
}

/// The review queue page.
#[component]
pub fn ReviewQueue() -> impl IntoView {
    let session = expect_context::<RwSignal<Session>>();
    let csrf = StoredValue::new(use_session().csrf_token);
    let campaigns = LocalResource::new(|| api::get::<Vec<CampaignSummary>>("/v1/campaigns"));
    let campaign = RwSignal::new(String::new());
    let state = RwSignal::new(String::from("pending"));
    let quest = RwSignal::new(String::new());
    let reload = RwSignal::new(0_u32);
    let submissions = LocalResource::new(move || {
        reload.track();
        let (campaign, state, quest) = (campaign.get(), state.get(), quest.get());
        async move {
            if campaign.is_empty() {
                return Ok(Vec::new());
            }
            let mut path = format!("/v1/campaigns/{campaign}/submissions?limit=500");
            if !state.is_empty() {
                path += &format!("&state={state}");
            }
            if !quest.is_empty() {
                path += &format!("&quest={quest}");
            }
            api::get::<SubmissionList>(&path)
                .await
                .map(|list| list.submissions)
        }
    });
    // The quests seen while no quest filter holds, for the quest filter's options.
    let quests = RwSignal::new(Vec::<String>::new());
    let selected = RwSignal::new(Vec::<String>::new());
    let focused = RwSignal::new(0_usize);
    let messages = RwSignal::new(HashMap::<String, String>::new());
    let bulk_message = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    // Set by a decision: the reloaded list gets the keyboard focus back where it was.
    let refocus = RwSignal::new(false);

    // The first campaign is shown until the reviewer picks another.
    Effect::new(move || {
        if let Some(Ok(list)) = campaigns.get() {
            if campaign.get_untracked().is_empty() {
                if let Some(first) = list.first() {
                    campaign.set(first.slug.clone());
                }
            }
        }
    });
    let listed = move || -> Vec<SubmissionView> {
        match submissions.get() {
            Some(Ok(list)) => list,
            _ => Vec::new(),
        }
    };
    Effect::new(move || {
        if let Some(Ok(list)) = submissions.get() {
            if quest.get_untracked().is_empty() {
                let mut seen: Vec<String> = list.iter().map(|s| s.quest.clone()).collect();
                seen.sort();
                seen.dedup();
                quests.set(seen);
            }
            // Selections and focus follow the list: what left it is no longer selected.
            selected.update(|ids| ids.retain(|id| list.iter().any(|s| &s.id == id)));
            focused.update(|at| *at = (*at).min(list.len().saturating_sub(1)));
            if refocus.get_untracked() {
                refocus.set(false);
                // After the list is drawn anew.
                request_animation_frame(move || move_focus(focused, focused.get_untracked()));
            }
        } else if let Some(Err(e)) = submissions.get() {
            report(session, error, &e);
        }
    });

    let run = move |ids: Vec<String>, decision: ReviewDecision, message: String| {
        if ids.is_empty() || pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            let slug = campaign.get_untracked();
            let answer = decide(&slug, &csrf.get_value(), ids, decision, message).await;
            pending.set(false);
            match answer {
                Ok(done) => {
                    let skipped: Vec<String> = done
                        .skipped
                        .iter()
                        .map(|s| format!("{}: {}", s.id, s.reason))
                        .collect();
                    notice.set(Some(texts::reviewed(
                        decision,
                        done.reviewed.len(),
                        &skipped,
                    )));
                    messages.update(|m| {
                        for s in &done.reviewed {
                            m.remove(&s.id);
                        }
                    });
                    bulk_message.set(String::new());
                    refocus.set(true);
                    reload.update(|n| *n += 1);
                }
                Err(e) => report(session, error, &e),
            }
        });
    };
    let decide_one = move |id: String, decision: ReviewDecision| {
        let message = messages.with_untracked(|m| m.get(&id).cloned().unwrap_or_default());
        run(vec![id], decision, message);
    };
    let decide_selected = move |decision: ReviewDecision| {
        run(
            selected.get_untracked(),
            decision,
            bulk_message.get_untracked(),
        );
    };
    let toggle = move |id: &str| {
        selected.update(|ids| {
            if let Some(at) = ids.iter().position(|x| x == id) {
                ids.remove(at);
            } else {
                ids.push(id.to_owned());
            }
        })
    };

    // The keyboard: on the list, unless typing in one of its fields.
    let on_key = move |ev: KeyboardEvent| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let list = submissions
            .get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default();
        if list.is_empty() {
            return;
        }
        let at = focused.get_untracked().min(list.len() - 1);
        let current = &list[at];
        let pending_here = current.state == ReviewState::Pending;
        match ev.key().as_str() {
            "j" | "ArrowDown" => move_focus(focused, (at + 1).min(list.len() - 1)),
            "k" | "ArrowUp" => move_focus(focused, at.saturating_sub(1)),
            "x" if pending_here => toggle(&current.id),
            "a" if pending_here => decide_one(current.id.clone(), ReviewDecision::Approve),
            "r" if pending_here => decide_one(current.id.clone(), ReviewDecision::Reject),
            _ => return,
        }
        ev.prevent_default();
    };

    let row = move |(index, submission): (usize, SubmissionView)| {
        let id = submission.id.clone();
        let is_pending = submission.state == ReviewState::Pending;
        let checkbox = {
            let id = id.clone();
            let toggled = id.clone();
            let label = texts::select_proof(&submission.account);
            is_pending.then(|| {
                view! {
                    <input type="checkbox" class="qc-select" aria-label=label
                        prop:checked=move || selected.with(|ids| ids.contains(&id))
                        on:change=move |_| toggle(&toggled) />
                }
            })
        };
        let proof = if is_link(&submission.proof) {
            view! {
                <a class="qc-proof" href=submission.proof.clone() target="_blank"
                    rel="noopener noreferrer nofollow">{submission.proof.clone()}</a>
            }
            .into_any()
        } else {
            view! { <p class="qc-proof">{submission.proof.clone()}</p> }.into_any()
        };
        let actions = if is_pending {
            let message_id = format!("qc-message-{id}");
            let (typed, approve, reject) = (id.clone(), id.clone(), id.clone());
            view! {
                <div class="qc-row qc-wrap">
                    <label for=message_id.clone()>{texts::MESSAGE_TO_USER}</label>
                    <input id=message_id maxlength="1000"
                        prop:value=move || messages.with(|m| m.get(&typed).cloned().unwrap_or_default())
                        on:input={
                            let id = id.clone();
                            move |ev| {
                                let text = event_target_value(&ev);
                                messages.update(|m| { m.insert(id.clone(), text); });
                            }
                        } />
                    <button class="qc-button qc-primary" type="button" data-action="approve"
                        disabled=move || pending.get()
                        on:click=move |_| decide_one(approve.clone(), ReviewDecision::Approve)>
                        {texts::APPROVE}
                    </button>
                    <button class="qc-button" type="button" data-action="reject"
                        disabled=move || pending.get()
                        on:click=move |_| decide_one(reject.clone(), ReviewDecision::Reject)>
                        {texts::REJECT}
                    </button>
                </div>
            }
            .into_any()
        } else {
            view! {
                <p class="qc-note">
                    {submission.reviewed_at.map(|at| texts::decided_at(&time(at))).unwrap_or_default()}
                    {submission.message.clone().map(|m| format!(" · “{m}”")).unwrap_or_default()}
                </p>
            }
            .into_any()
        };
        view! {
            <li class="qc-submission" data-submission=id data-index=index
                class:qc-focused=move || focused.get() == index
                tabindex=move || if focused.get() == index { "0" } else { "-1" }
                on:focus=move |_| focused.set(index)>
                <div class="qc-row qc-wrap">
                    {checkbox}
                    <strong>{submission.account.clone()}</strong>
                    <span class="qc-note">{submission.platform.clone()}</span>
                    <span>{format!("{} / {}", submission.quest, submission.task)}</span>
                    <span class="qc-note">{time(submission.submitted_at)}</span>
                    <span class="qc-status" data-status=submission.state.as_str()>{submission.state.as_str()}</span>
                </div>
                {proof}
                {actions}
            </li>
        }
    };

    view! {
        <section class="qc-card" aria-labelledby="qc-review-title">
            <h1 id="qc-review-title">{texts::REVIEW}</h1>
            <div class="qc-row qc-wrap qc-filters">
                <label for="qc-review-campaign">{texts::CAMPAIGN}</label>
                <select id="qc-review-campaign"
                    on:change=move |ev| { quest.set(String::new()); campaign.set(event_target_value(&ev)) }>
                    <Suspense fallback=|| ()>
                        {move || campaigns.get().and_then(Result::ok).map(|list| {
                            list.into_iter().map(|c| {
                                let chosen = c.slug == campaign.get_untracked();
                                view! { <option value=c.slug selected=chosen>{c.title}</option> }
                            }).collect_view()
                        })}
                    </Suspense>
                </select>
                <label for="qc-review-state">{texts::STATUS}</label>
                <select id="qc-review-state" on:change=move |ev| state.set(event_target_value(&ev))>
                    {[("pending", texts::PENDING), ("approved", texts::APPROVED), ("rejected", texts::REJECTED), ("", texts::ALL)]
                        .into_iter()
                        .map(|(value, name)| view! { <option value=value selected=value == "pending">{name}</option> })
                        .collect_view()}
                </select>
                <label for="qc-review-quest">{texts::QUEST}</label>
                <select id="qc-review-quest" on:change=move |ev| quest.set(event_target_value(&ev))>
                    <option value="">{texts::ALL}</option>
                    {move || quests.get().into_iter().map(|key| {
                        let chosen = key == quest.get_untracked();
                        let value = key.clone();
                        view! { <option value=value selected=chosen>{key}</option> }
                    }).collect_view()}
                </select>
            </div>
            <p class="qc-note">{texts::REVIEW_KEYS}</p>
            <p class="qc-note" role="status">{move || notice.get().unwrap_or_default()}</p>
            <p class="qc-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            {move || {
                let count = selected.with(Vec::len);
                (count > 0).then(|| view! {
                    <div class="qc-bulk qc-row qc-wrap" role="group" aria-label=texts::BULK>
                        <span>{texts::selected(count)}</span>
                        <label for="qc-bulk-message">{texts::MESSAGE_TO_USERS}</label>
                        <input id="qc-bulk-message" maxlength="1000"
                            prop:value=move || bulk_message.get()
                            on:input=move |ev| bulk_message.set(event_target_value(&ev)) />
                        <button class="qc-button qc-primary" type="button" data-action="approve-selected"
                            disabled=move || pending.get()
                            on:click=move |_| decide_selected(ReviewDecision::Approve)>
                            {texts::APPROVE_SELECTED}
                        </button>
                        <button class="qc-button" type="button" data-action="reject-selected"
                            disabled=move || pending.get()
                            on:click=move |_| decide_selected(ReviewDecision::Reject)>
                            {texts::REJECT_SELECTED}
                        </button>
                    </div>
                })
            }}
            {move || {
                let list = listed();
                if list.is_empty() {
                    return view! { <p class="qc-note">{texts::NOTHING_TO_REVIEW}</p> }.into_any();
                }
                view! {
                    <ol class="qc-queue" aria-label=texts::SUBMISSIONS on:keydown=on_key>
                        {list.into_iter().enumerate().map(row).collect_view()}
                    </ol>
                }
                .into_any()
            }}
        </section>
    }
}

/// Moves the keyboard focus to row `to`.
fn move_focus(focused: RwSignal<usize>, to: usize) {
    focused.set(to);
    let row = document()
        .query_selector(&format!(".qc-submission[data-index=\"{to}\"]"))
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(row) = row {
        let _ = row.focus();
    }
}

/// Whether a proof is a web link (opened in a new tab rather than shown as text).
fn is_link(proof: &str) -> bool {
    (proof.starts_with("https://") || proof.starts_with("http://"))
        && !proof.chars().any(char::is_whitespace)
}
