//! Turns of repeating tasks: which completion an attempt may add, and when a user may
//! complete a task again.
//!
//! A completion is stored under (user, task, slot), and the key decides: two attempts that
//! claim the same slot complete the task once. A once-only task has one slot (0), a daily or
//! weekly task one per day or week (its number, in the campaign's time zone), so
//! concurrent duplicates within a turn award once and the next turn opens a new slot by
//! itself. A task repeated every N hours or up to N times claims the slot after the user's
//! last, in the statement that stores it, and only when the wait is over or the count not
//! reached; two attempts racing for it still meet on one slot.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use questlet_types::Recurrence;

const DAY: i64 = 86_400;

/// The time zone whose midnights turn a campaign's daily and weekly tasks over.
#[derive(Debug, Clone)]
pub struct CampaignZone {
    name: String,
    zone: TimeZone,
}

impl Default for CampaignZone {
    fn default() -> Self {
        Self {
            name: "UTC".to_owned(),
            zone: TimeZone::UTC,
        }
    }
}

impl CampaignZone {
    /// The zone named `name` (IANA, `Europe/Berlin`), if the time zone database (compiled
    /// in) has it.
    pub fn named(name: &str) -> Option<Self> {
        let zone = TimeZone::get(name).ok()?;
        Some(Self {
            name: name.to_owned(),
            zone,
        })
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The local date at `at` (Unix seconds).
    fn date(&self, at: i64) -> Option<Date> {
        Some(
            Timestamp::from_second(at)
                .ok()?
                .to_zoned(self.zone.clone())
                .date(),
        )
    }

    /// When local `date` begins (its first instant, after a gap at midnight), Unix seconds.
    fn start_of(&self, date: Date) -> Option<i64> {
        Some(
            date.to_zoned(self.zone.clone())
                .ok()?
                .timestamp()
                .as_second(),
        )
    }

    /// The local day of `at` (days since 1970-01-01) and when the next day begins. Outside
    /// the dates the zone can place (it cannot happen for validated times), UTC days.
    fn day(&self, at: i64) -> (i64, i64) {
        self.date(at)
            .and_then(|date| Some((day_number(date)?, self.start_of(date.tomorrow().ok()?)?)))
            .unwrap_or_else(|| utc_period(at, DAY, 0))
    }

    /// The local week of `at` (the day number of its Monday) and when the next week begins.
    fn week(&self, at: i64) -> (i64, i64) {
        self.date(at)
            .and_then(|date| {
                let back = i64::from(date.weekday().to_monday_zero_offset());
                let monday = date.checked_sub(back.days()).ok()?;
                Some((
                    day_number(monday)?,
                    self.start_of(monday.checked_add(7.days()).ok()?)?,
                ))
            })
            // 1970-01-01 was a Thursday: Mondays are 3 days into a 7-day cycle.
            .unwrap_or_else(|| utc_period(at, 7 * DAY, 3 * DAY))
    }
}

impl CampaignZone {
    /// The local week of `at` (its Monday, `YYYY-MM-DD`) and month (`YYYY-MM`): the
    /// periods of leaderboards. Outside the dates the zone can place, UTC's.
    pub fn week_and_month(&self, at: i64) -> (String, String) {
        let date = self.date(at).unwrap_or_else(|| {
            Timestamp::from_second(at.clamp(0, 253_402_300_799))
                .map(|t| t.to_zoned(TimeZone::UTC).date())
                .unwrap_or_default()
        });
        let back = i64::from(date.weekday().to_monday_zero_offset());
        let monday = date.checked_sub(back.days()).unwrap_or(date);
        (
            monday.to_string(),
            format!("{:04}-{:02}", date.year(), date.month()),
        )
    }
}

/// Days from 1970-01-01 to `date`.
fn day_number(date: Date) -> Option<i64> {
    Some(
        date.to_zoned(TimeZone::UTC)
            .ok()?
            .timestamp()
            .as_second()
            .div_euclid(DAY),
    )
}

/// A UTC period of `length` seconds, shifted by `shift`, holding `at`: its first day's
/// number and the next period's start.
fn utc_period(at: i64, length: i64, shift: i64) -> (i64, i64) {
    let start = (at + shift).div_euclid(length) * length - shift;
    (start.div_euclid(DAY), start + length)
}

/// The completion an attempt may add (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// This slot, whoever claims it first: 0 for a once-only task, the turn's number for a
    /// daily or weekly one.
    Fixed(i64),
    /// The slot after the user's last, if fewer than `limit` are taken and the last is at
    /// least `wait` seconds old.
    Next {
        /// Most completions.
        limit: i64,
        /// Seconds from one completion to the next.
        wait: i64,
    },
}

/// The slot an attempt at `at` claims for a task that recurs as `recurrence`.
pub fn slot(recurrence: Recurrence, zone: &CampaignZone, at: i64) -> Slot {
    match recurrence {
        Recurrence::Once => Slot::Fixed(0),
        Recurrence::Daily => Slot::Fixed(zone.day(at).0),
        Recurrence::Weekly => Slot::Fixed(zone.week(at).0),
        Recurrence::EveryHours { hours } => Slot::Next {
            limit: i64::MAX,
            wait: i64::from(hours) * 3600,
        },
        Recurrence::Times { count } => Slot::Next {
            limit: i64::from(count),
            wait: 0,
        },
    }
}

/// A user's completions of one task.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskRecord {
    /// Points they awarded, in all.
    pub points: i64,
    /// How many there are.
    pub count: i64,
    /// The newest one's slot.
    pub last_slot: i64,
    /// When the newest one was stored, Unix seconds.
    pub last_at: i64,
    /// Consecutive daily turns ending with the newest one (1 for other tasks).
    pub streak: i64,
}

/// How a read packs the newest completion's slot and streak into one aggregate,
/// `MAX(slot * STREAK_FACTOR + streak)`: the newest row has the largest slot, and a streak is
/// always below the factor (2^20 days is 2,870 years).
pub const STREAK_FACTOR: i64 = 1 << 20;

impl TaskRecord {
    /// A record from the read's aggregates: `packed` is `MAX(slot * STREAK_FACTOR + streak)`.
    pub fn from_packed(points: i64, count: i64, packed: i64, last_at: i64) -> Self {
        Self {
            points,
            count,
            last_slot: packed.div_euclid(STREAK_FACTOR),
            last_at,
            streak: packed.rem_euclid(STREAK_FACTOR),
        }
    }
}

/// The live streak of a daily task with `record` at `now`: its days when the newest
/// completion is today's or yesterday's, 0 once a day was missed.
pub fn live_streak(record: &TaskRecord, zone: &CampaignZone, now: i64) -> i64 {
    let today = zone.day(now).0;
    if record.last_slot == today || record.last_slot == today - 1 {
        record.streak
    } else {
        0
    }
}

/// Where a user who completed a task stands on it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// They may complete it again now.
    Open,
    /// Done, for good.
    Done,
    /// Done until then (Unix seconds).
    DoneUntil(i64),
}

/// Where a user with `record` of a task that recurs as `recurrence` stands at `now`.
pub fn turn(recurrence: Recurrence, zone: &CampaignZone, record: &TaskRecord, now: i64) -> Turn {
    let until = |(current, next): (i64, i64)| {
        if record.last_slot == current {
            Turn::DoneUntil(next)
        } else {
            Turn::Open
        }
    };
    match recurrence {
        Recurrence::Once => Turn::Done,
        Recurrence::Daily => until(zone.day(now)),
        Recurrence::Weekly => until(zone.week(now)),
        Recurrence::EveryHours { hours } => {
            let again = record.last_at.saturating_add(i64::from(hours) * 3600);
            if again > now {
                Turn::DoneUntil(again)
            } else {
                Turn::Open
            }
        }
        Recurrence::Times { count } if record.count >= i64::from(count) => Turn::Done,
        Recurrence::Times { .. } => Turn::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-03-29 00:30 in Berlin (CET, UTC+1); clocks go forward at 02:00 that night.
    const BERLIN_SUNDAY: i64 = 1_774_740_600;

    fn berlin() -> CampaignZone {
        CampaignZone::named("Europe/Berlin").unwrap()
    }

    #[test]
    fn a_streak_lives_through_the_next_day_and_packs_with_its_slot() {
        let zone = CampaignZone::named("Europe/Berlin").unwrap();
        let today = zone.day(BERLIN_SUNDAY).0;
        let packed = today * STREAK_FACTOR + 4;
        let record = TaskRecord::from_packed(40, 4, packed, BERLIN_SUNDAY);
        assert_eq!((record.last_slot, record.streak), (today, 4));
        assert_eq!(live_streak(&record, &zone, BERLIN_SUNDAY), 4);
        assert_eq!(
            live_streak(&record, &zone, BERLIN_SUNDAY + DAY),
            4,
            "until tomorrow ends"
        );
        assert_eq!(
            live_streak(&record, &zone, BERLIN_SUNDAY + 2 * DAY),
            0,
            "a day missed"
        );
    }

    fn record(last_slot: i64, last_at: i64, count: i64) -> TaskRecord {
        TaskRecord {
            points: 10 * count,
            count,
            last_slot,
            last_at,
            streak: 1,
        }
    }

    #[test]
    fn a_daily_task_turns_over_at_the_zones_midnight() {
        let zone = berlin();
        // 00:30 local is still 23:30 UTC of the day before: Berlin's day, not UTC's, counts.
        let Slot::Fixed(today) = slot(Recurrence::Daily, &zone, BERLIN_SUNDAY) else {
            panic!("a daily task has fixed slots");
        };
        let utc = slot(Recurrence::Daily, &CampaignZone::default(), BERLIN_SUNDAY);
        assert_eq!(utc, Slot::Fixed(today - 1));
        let done = record(today, BERLIN_SUNDAY, 1);
        // Next midnight in Berlin: 23.5 hours later (a 23-hour day: summer time starts).
        let midnight = BERLIN_SUNDAY + 23 * 3600 - 30 * 60;
        assert_eq!(
            turn(Recurrence::Daily, &zone, &done, BERLIN_SUNDAY + 60),
            Turn::DoneUntil(midnight)
        );
        assert_eq!(turn(Recurrence::Daily, &zone, &done, midnight), Turn::Open);
        assert_eq!(
            slot(Recurrence::Daily, &zone, midnight),
            Slot::Fixed(today + 1)
        );
    }

    #[test]
    fn a_weekly_task_turns_over_on_monday() {
        let zone = berlin();
        let Slot::Fixed(week) = slot(Recurrence::Weekly, &zone, BERLIN_SUNDAY) else {
            panic!("a weekly task has fixed slots");
        };
        let done = record(week, BERLIN_SUNDAY, 1);
        // That Sunday is the week's last day: Monday 00:00 Berlin (summer time) is next.
        let monday = BERLIN_SUNDAY + 23 * 3600 - 30 * 60;
        assert_eq!(
            turn(Recurrence::Weekly, &zone, &done, BERLIN_SUNDAY),
            Turn::DoneUntil(monday)
        );
        assert_eq!(
            slot(Recurrence::Weekly, &zone, monday),
            Slot::Fixed(week + 7)
        );
        assert_eq!(
            slot(Recurrence::Weekly, &zone, monday - 6 * DAY),
            Slot::Fixed(week)
        );
    }

    #[test]
    fn an_every_hours_task_waits_from_the_last_completion() {
        let zone = CampaignZone::default();
        let every = Recurrence::EveryHours { hours: 8 };
        assert_eq!(
            slot(every, &zone, 0),
            Slot::Next {
                limit: i64::MAX,
                wait: 8 * 3600
            }
        );
        let done = record(0, 1000, 1);
        assert_eq!(
            turn(every, &zone, &done, 1001),
            Turn::DoneUntil(1000 + 8 * 3600)
        );
        assert_eq!(turn(every, &zone, &done, 1000 + 8 * 3600), Turn::Open);
    }

    #[test]
    fn a_counted_task_is_done_after_its_count() {
        let zone = CampaignZone::default();
        let three = Recurrence::Times { count: 3 };
        assert_eq!(slot(three, &zone, 5), Slot::Next { limit: 3, wait: 0 });
        assert_eq!(turn(three, &zone, &record(1, 5, 2), 6), Turn::Open);
        assert_eq!(turn(three, &zone, &record(2, 5, 3), 6), Turn::Done);
        assert_eq!(
            turn(Recurrence::Once, &zone, &record(0, 5, 1), 6),
            Turn::Done
        );
    }

    #[test]
    fn unknown_zones_are_refused() {
        assert!(CampaignZone::named("Mars/Olympus").is_none());
        assert!(CampaignZone::named("UTC").is_some());
    }
}
