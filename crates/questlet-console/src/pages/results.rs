//! A campaign's results: totals, participants and completions per day (a chart, and the same
//! numbers as a table), each quest's funnel, the top users, the newest activity with the
//! Google Analytics client ids, and the CSV exports.

use leptos::prelude::*;
use questlet_types::attempt::ActivityEntry;
use questlet_types::leaderboard::LeaderboardResponse;
use questlet_types::results::{CampaignResults, DayResults, QuestFunnel};

use crate::api;
use crate::app::{report, Page, Session};
use crate::parts::time;
use crate::texts;

/// Days the chart shows.
const DAYS: u32 = 30;
/// Activity rows shown.
const ACTIVITY_ROWS: usize = 50;

/// The results page of campaign `slug`.
#[component]
pub fn CampaignResultsPage(
    /// The campaign's slug.
    slug: String,
) -> impl IntoView {
    let session = expect_context::<RwSignal<Session>>();
    let page = expect_context::<RwSignal<Page>>();
    let error = RwSignal::new(None::<String>);
    let base = format!("/v1/campaigns/{slug}");
    let results = LocalResource::new({
        let path = format!("{base}/results?days={DAYS}");
        move || {
            let path = path.clone();
            async move { api::get::<CampaignResults>(&path).await }
        }
    });
    let top = LocalResource::new({
        let path = format!("{base}/leaderboard?limit=10");
        move || {
            let path = path.clone();
            async move { api::get::<LeaderboardResponse>(&path).await }
        }
    });
    let activity = LocalResource::new({
        let path = format!("{base}/activity");
        move || {
            let path = path.clone();
            async move { api::get::<Vec<ActivityEntry>>(&path).await }
        }
    });
    // One error line for the page, whichever read failed.
    let failed = move |e: &api::ApiError| {
        report(session, error, e);
        ().into_any()
    };
    let back = slug.clone();

    view! {
        <section class="qc-card" aria-labelledby="qc-results-title">
            <p>
                <button class="qc-link" type="button" on:click=move |_| page.set(Page::Campaign(back.clone()))>
                    {texts::BACK_TO_CAMPAIGN}
                </button>
            </p>
            <h1 id="qc-results-title">{texts::results_of(&slug)}</h1>
            <p class="qc-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            <Suspense fallback=|| view! { <p class="qc-note">{texts::LOADING}</p> }>
                {move || results.get().map(|answer| match answer {
                    Ok(results) => view! {
                        <dl class="qc-totals">
                            <div><dt>{texts::PARTICIPANTS}</dt><dd data-total="participants">{results.participants}</dd></div>
                            <div><dt>{texts::COMPLETIONS}</dt><dd data-total="completions">{results.completions}</dd></div>
                        </dl>
                        <h2>{texts::PER_DAY}</h2>
                        {day_chart(&results.days)}
                        {day_table(results.days)}
                        <h2>{texts::FUNNEL}</h2>
                        {funnel(results.quests)}
                    }.into_any(),
                    Err(e) => failed(&e),
                })}
            </Suspense>
            <p class="qc-row qc-wrap">
                <a class="qc-button" href=format!("{base}/export/participants.csv") download="">{texts::EXPORT_PARTICIPANTS}</a>
                <a class="qc-button" href=format!("{base}/export/completions.csv") download="">{texts::EXPORT_COMPLETIONS}</a>
            </p>
        </section>
        <section class="qc-card" aria-labelledby="qc-top-title">
            <h2 id="qc-top-title">{texts::TOP_USERS}</h2>
            <Suspense fallback=|| view! { <p class="qc-note">{texts::LOADING}</p> }>
                {move || top.get().map(|answer| match answer {
                    Ok(board) if board.top.is_empty() => view! { <p class="qc-note">{texts::NOBODY_YET}</p> }.into_any(),
                    Ok(board) => view! {
                        <table class="qc-table" data-table="top">
                            <thead><tr>
                                <th scope="col">{texts::PLACE}</th>
                                <th scope="col">{texts::USER}</th>
                                <th scope="col">{texts::POINTS}</th>
                            </tr></thead>
                            <tbody>
                                {board.top.into_iter().map(|row| view! {
                                    <tr>
                                        <td>{row.place}</td>
                                        <td>{row.name.unwrap_or_else(|| row.account.clone())} <span class="qc-note">{format!("{} · {}", row.platform, row.account)}</span></td>
                                        <td>{row.points}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => failed(&e),
                })}
            </Suspense>
        </section>
        <section class="qc-card" aria-labelledby="qc-activity-title">
            <h2 id="qc-activity-title">{texts::ACTIVITY}</h2>
            <Suspense fallback=|| view! { <p class="qc-note">{texts::LOADING}</p> }>
                {move || activity.get().map(|answer| match answer {
                    Ok(entries) if entries.is_empty() => view! { <p class="qc-note">{texts::NOBODY_YET}</p> }.into_any(),
                    Ok(entries) => activity_table(entries).into_any(),
                    Err(e) => failed(&e),
                })}
            </Suspense>
        </section>
    }
}

/// Participants (a line) and completions (bars) per day, as plain SVG coloured by the
/// console's theme.
fn day_chart(days: &[DayResults]) -> impl IntoView {
    const WIDTH: f64 = 720.0;
    const HEIGHT: f64 = 200.0;
    const LEFT: f64 = 40.0;
    const BOTTOM: f64 = 24.0;
    let most = days
        .iter()
        .map(|d| d.completions.max(d.participants))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = (WIDTH - LEFT) / days.len().max(1) as f64;
    let plot = HEIGHT - BOTTOM - 8.0;
    let y = move |value: i64| HEIGHT - BOTTOM - value as f64 / most * plot;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let top = y(day.completions);
            view! {
                <rect class="qc-bar" x=format!("{:.1}", LEFT + i as f64 * slot + slot * 0.15)
                    y=format!("{top:.1}") width=format!("{:.1}", slot * 0.7)
                    height=format!("{:.1}", HEIGHT - BOTTOM - top)></rect>
            }
        })
        .collect_view();
    let line = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            format!(
                "{:.1},{:.1}",
                LEFT + (i as f64 + 0.5) * slot,
                y(day.participants)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let first = days.first().map(|d| d.day.clone()).unwrap_or_default();
    let last = days.last().map(|d| d.day.clone()).unwrap_or_default();
    view! {
        <svg class="qc-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
            aria-labelledby="qc-chart-title">
            <title id="qc-chart-title">{texts::chart_title(&first, &last)}</title>
            <g class="qc-axis">
                <line x1=LEFT.to_string() y1=(HEIGHT - BOTTOM).to_string()
                    x2=WIDTH.to_string() y2=(HEIGHT - BOTTOM).to_string()></line>
                <text x=(LEFT - 6.0).to_string() y=(y(most as i64) + 4.0).to_string() text-anchor="end">
                    {most as i64}
                </text>
                <text x=(LEFT - 6.0).to_string() y=(HEIGHT - BOTTOM).to_string() text-anchor="end">"0"</text>
                <text x=LEFT.to_string() y=(HEIGHT - 6.0).to_string()>{first}</text>
                <text x=WIDTH.to_string() y=(HEIGHT - 6.0).to_string() text-anchor="end">{last}</text>
            </g>
            {bars}
            <polyline class="qc-line" points=line></polyline>
        </svg>
        <p class="qc-legend">
            <span class="qc-key qc-key-bar"></span>{texts::COMPLETIONS}
            <span class="qc-key qc-key-line"></span>{texts::PARTICIPANTS}
        </p>
    }
}

/// The chart's numbers as a table, folded away.
fn day_table(days: Vec<DayResults>) -> impl IntoView {
    view! {
        <details>
            <summary>{texts::AS_TABLE}</summary>
            <table class="qc-table" data-table="days">
                <thead><tr>
                    <th scope="col">{texts::DAY}</th>
                    <th scope="col">{texts::PARTICIPANTS}</th>
                    <th scope="col">{texts::COMPLETIONS}</th>
                </tr></thead>
                <tbody>
                    {days.into_iter().rev().map(|day| {
                        let key = day.day.clone();
                        view! {
                        <tr data-day=key>
                            <td>{day.day}</td>
                            <td>{day.participants}</td>
                            <td>{day.completions}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// Each quest: how many opened, started and completed it, with a bar of the share of
/// starters who completed.
fn funnel(quests: Vec<QuestFunnel>) -> impl IntoView {
    view! {
        <table class="qc-table" data-table="funnel">
            <thead><tr>
                <th scope="col">{texts::QUEST}</th>
                <th scope="col">{texts::OPENED}</th>
                <th scope="col">{texts::STARTED}</th>
                <th scope="col">{texts::COMPLETED}</th>
                <th scope="col"><span class="qc-hidden">{texts::SHARE_COMPLETED}</span></th>
            </tr></thead>
            <tbody>
                {quests.into_iter().map(|quest| {
                    let share = if quest.started > 0 {
                        quest.completed as f64 / quest.started as f64
                    } else {
                        0.0
                    };
                    let label = texts::share_completed(share);
                    view! {
                        <tr data-quest=quest.key>
                            <td>{quest.title}</td>
                            <td>{quest.opened}</td>
                            <td>{quest.started}</td>
                            <td>{quest.completed}</td>
                            <td>
                                <svg class="qc-share" viewBox="0 0 100 10" role="img" aria-label=label>
                                    <rect class="qc-share-track" width="100" height="10"></rect>
                                    <rect class="qc-bar" width=format!("{:.1}", share * 100.0) height="10"></rect>
                                </svg>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The newest task attempts, with the GA client id each sent.
fn activity_table(entries: Vec<ActivityEntry>) -> impl IntoView {
    view! {
        <table class="qc-table" data-table="activity">
            <thead><tr>
                <th scope="col">{texts::WHEN}</th>
                <th scope="col">{texts::USER}</th>
                <th scope="col">{texts::TASK}</th>
                <th scope="col">{texts::OUTCOME}</th>
                <th scope="col">{texts::GA_CLIENT_ID}</th>
            </tr></thead>
            <tbody>
                {entries.into_iter().take(ACTIVITY_ROWS).map(|entry| view! {
                    <tr>
                        <td>{time(entry.created_at)}</td>
                        <td>{format!("{} · {}", entry.platform, entry.account)}</td>
                        <td><code>{entry.task}</code></td>
                        <td>{entry.outcome}{entry.reason.map(|r| format!(" ({r})")).unwrap_or_default()}</td>
                        <td><code>{entry.ga_client_id.unwrap_or_default()}</code></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
