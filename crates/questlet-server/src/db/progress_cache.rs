//! Users' completions (and proofs under review) per campaign, remembered where this process writes them all (SQLite,
//! see `changes.rs`): a widget call with a user token then needs no query.
//!
//! Every commit that stores attempts or adjustments forgets the users and campaigns it
//! touched, after the commit; a read that raced it is never remembered (a [`StampedMap`]).

use std::collections::HashMap;
use std::sync::Arc;

use questlet_types::ReviewState;

use super::progress::UserKey;
use super::stamped_map::StampedMap;
use crate::recurrence::TaskRecord;

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

/// Users' completions per (campaign id, user), dropped by each commit of their attempts
/// or adjustments (see the module docs).
pub(crate) type ProgressCache = StampedMap<(String, UserKey), Arc<Completions>>;
