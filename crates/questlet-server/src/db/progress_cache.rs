//! Users' completions (and proofs under review) per campaign, remembered where this process writes them all (SQLite,
//! see `changes.rs`): a widget call with a user token then needs no query.
//!
//! Every commit that stores attempts calls [`ProgressCache::forget`] for the users and
//! campaigns it touched, after the commit. A reader that missed takes a [`stamp`] before it
//! queries and stores what it read only if no commit forgot anything since
//! ([`ProgressCache::insert_if_unchanged`]), so an entry read before a commit can never
//! outlive it. The map is bounded: when full it starts over.
//!
//! [`stamp`]: ProgressCache::stamp

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use questlet_types::ReviewState;

use super::progress::UserKey;
use crate::recurrence::TaskRecord;

/// Most (campaign, user) entries remembered.
const CAPACITY: usize = 100_000;

/// A user's standing on the tasks of a campaign (or of every campaign of an organization,
/// as the attempt writer reads it): their completions of each completed task, and the
/// review of each proof they sent to a reviewed custom task.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completions {
    /// Task id -> its completions.
    pub records: HashMap<String, TaskRecord>,
    /// Task id -> the review of the user's latest proof.
    pub reviews: HashMap<String, Review>,
    /// Campaign id -> the points the partner's adjustments moved there.
    pub adjusted: HashMap<String, i64>,
}

/// The state a row of the completions-and-reviews read names for a campaign's adjustments
/// (its task column holds the campaign's id).
pub(crate) const ADJUSTED: &str = "adjusted";

impl Completions {
    /// Adds a row of the completions-and-reviews read: a campaign's adjustments where the
    /// row names [`ADJUSTED`] (then `task_id` is the campaign's id and the record's points
    /// their sum), a review where it names another state (`review_state`, `message`), the
    /// task's completions otherwise.
    pub(crate) fn add_row(
        &mut self,
        task_id: String,
        record: TaskRecord,
        review_state: Option<&str>,
        message: Option<String>,
    ) -> Result<(), String> {
        match review_state {
            None => {
                self.records.insert(task_id, record);
            }
            Some(ADJUSTED) => {
                self.adjusted.insert(task_id, record.points);
            }
            Some(state) => {
                let state = ReviewState::parse(state)
                    .ok_or_else(|| format!("unknown review state {state:?}"))?;
                self.reviews.insert(task_id, Review { state, message });
            }
        }
        Ok(())
    }
}

/// Where the review of a user's proof stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Pending, approved or rejected.
    pub state: ReviewState,
    /// The reviewer's message to the user.
    pub message: Option<String>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Raised by every `forget`.
    stamp: u64,
    entries: HashMap<(String, UserKey), Arc<Completions>>,
}

/// See the module docs.
#[derive(Debug, Default)]
pub(crate) struct ProgressCache(Mutex<Inner>);

impl ProgressCache {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Taken before reading the database on a miss.
    pub(crate) fn stamp(&self) -> u64 {
        self.inner().stamp
    }

    /// The remembered completions of `user` in `campaign_id`.
    pub(crate) fn get(&self, campaign_id: &str, user: &UserKey) -> Option<Arc<Completions>> {
        self.inner()
            .entries
            .get(&(campaign_id.to_owned(), user.clone()))
            .cloned()
    }

    /// Remembers what was read since `stamp`, unless a commit has forgotten anything since.
    pub(crate) fn insert_if_unchanged(
        &self,
        stamp: u64,
        campaign_id: &str,
        user: &UserKey,
        completions: Arc<Completions>,
    ) {
        let mut inner = self.inner();
        if inner.stamp != stamp {
            return;
        }
        if inner.entries.len() >= CAPACITY {
            inner.entries.clear();
        }
        inner
            .entries
            .insert((campaign_id.to_owned(), user.clone()), completions);
    }

    /// Drops what a commit changed (call it after the commit).
    pub(crate) fn forget<'a>(&self, changed: impl IntoIterator<Item = (&'a str, &'a UserKey)>) {
        let mut inner = self.inner();
        inner.stamp += 1;
        for (campaign_id, user) in changed {
            inner
                .entries
                .remove(&(campaign_id.to_owned(), user.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> UserKey {
        UserKey {
            organization_id: "o".into(),
            platform: "web".into(),
            account: "alice".into(),
        }
    }

    #[test]
    fn a_read_that_raced_a_commit_is_not_remembered() {
        let cache = ProgressCache::default();
        let stamp = cache.stamp();
        cache.forget([("c", &alice())]);
        cache.insert_if_unchanged(stamp, "c", &alice(), Arc::default());
        assert!(cache.get("c", &alice()).is_none());
    }

    #[test]
    fn a_commit_forgets_only_what_it_changed() {
        let cache = ProgressCache::default();
        let stamp = cache.stamp();
        cache.insert_if_unchanged(stamp, "c", &alice(), Arc::default());
        cache.insert_if_unchanged(stamp, "d", &alice(), Arc::default());
        cache.forget([("c", &alice())]);
        assert!(cache.get("c", &alice()).is_none());
        assert!(cache.get("d", &alice()).is_some());
    }
}
