//! Schedules: the campaign's in its header ("Starts in 2d 4h", "Ends in 3h 12m", "Ended"),
//! and a task's window and next turn (`tasks/mod.rs`). They count down once a minute; the
//! timer stops when its component goes.

use std::time::Duration;

use leptos::prelude::*;

use crate::context::{Load, WidgetContext};
use crate::i18n::{Lang, Text};

/// `"2d 4h"`, `"3h 12m"` or `"45m"` for a positive number of seconds.
pub fn span(seconds: i64) -> String {
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    match (days, hours) {
        (0, 0) => format!("{}m", minutes.max(1)),
        (0, _) => format!("{hours}h {minutes}m"),
        _ => format!("{days}d {hours}h"),
    }
}

/// The schedule line at `now` (Unix seconds), or `None` for a campaign without dates.
pub fn schedule_text(
    now: i64,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    lang: Lang,
) -> Option<String> {
    match (starts_at, ends_at) {
        (Some(start), _) if start > now => {
            Some(format!("{} {}", lang.t(Text::StartsIn), span(start - now)))
        }
        (_, Some(end)) if end > now => {
            Some(format!("{} {}", lang.t(Text::EndsIn), span(end - now)))
        }
        (_, Some(_)) => Some(lang.t(Text::Ended).to_owned()),
        _ => None,
    }
}

/// The time now, Unix seconds.
pub fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The time now (Unix seconds), updated once a minute while the calling component lives.
fn use_minute_clock() -> RwSignal<i64> {
    let now = RwSignal::new(now_seconds());
    if let Ok(handle) =
        set_interval_with_handle(move || now.set(now_seconds()), Duration::from_secs(60))
    {
        on_cleanup(move || handle.clear());
    }
    now
}

/// A line that follows the minute clock: `text` at each minute, in a `<p>` of `class` with
/// shadow part `part`, or nothing while `text` gives none. The one clocked line: the
/// campaign's schedule and every task's turn or window use it (one rendering in the
/// bundle, not one per caller).
#[component]
pub fn ClockLine(
    /// The line's text at a time (Unix seconds).
    text: Box<dyn Fn(i64) -> Option<String> + Send + Sync>,
    /// The `<p>`'s class.
    class: &'static str,
    /// The `<p>`'s shadow part name.
    part: &'static str,
) -> impl IntoView {
    let now = use_minute_clock();
    move || text(now.get()).map(|text| view! { <p class=class part=part>{text}</p> })
}

/// The schedule line of the context's campaign.
#[component]
pub fn Schedule() -> impl IntoView {
    let ctx = WidgetContext::get();
    let text = move |now| {
        let (starts_at, ends_at) = ctx.campaign.with(|load| match load {
            Load::Ready(data) => Some((data.campaign.starts_at, data.campaign.ends_at)),
            _ => None,
        })?;
        schedule_text(now, starts_at, ends_at, ctx.lang)
    };
    view! { <ClockLine text=Box::new(text) class="ql-schedule" part="schedule" /> }
}
