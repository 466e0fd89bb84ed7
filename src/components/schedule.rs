//! The campaign's schedule in its header: "Starts in 2d 4h", "Ends in 3h 12m", "Ended".
//! It counts down once a minute; the timer stops when the widget is destroyed.

use std::time::Duration;

use leptos::prelude::*;

use crate::context::{Load, WidgetContext};
use crate::i18n::{Lang, Text};

/// `"2d 4h"`, `"3h 12m"` or `"45m"` for a positive number of seconds.
fn span(seconds: i64) -> String {
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

fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The schedule line of the context's campaign.
#[component]
pub fn Schedule() -> impl IntoView {
    let ctx = WidgetContext::get();
    let now = RwSignal::new(now_seconds());
    if let Ok(handle) =
        set_interval_with_handle(move || now.set(now_seconds()), Duration::from_secs(60))
    {
        on_cleanup(move || handle.clear());
    }
    move || {
        let (starts_at, ends_at) = ctx.campaign.with(|load| match load {
            Load::Ready(data) => Some((data.campaign.starts_at, data.campaign.ends_at)),
            _ => None,
        })?;
        let text = schedule_text(now.get(), starts_at, ends_at, ctx.lang)?;
        Some(view! { <p class="ql-schedule" part="schedule">{text}</p> })
    }
}
