//! The tops of leaderboards, remembered (see `remembered.rs`): a read of a board's first
//! rows then needs no query while its top stays the same.
//!
//! A board changes with every completion that awards points, but its top only when a user
//! enters it, leaves it or moves inside it: rarely, on a board of many users. So every
//! commit that moves users on boards hands how high their moves reached on each board to
//! [`TopCache::moved`] after the commit, and a remembered top is dropped only when a move
//! reaches it: a user's old or new place ranks at or above the top's last row, or the top
//! is the whole board (then any newcomer joins it). A reader that missed takes a [`stamp`] of the board before it
//! queries, and stores what it read only if no commit dropped that board since, so a top
//! read before a commit can never outlive it. Tops show users' names, so a changed name
//! drops the tops that show the user ([`TopCache::forget_user`]).
//!
//! [`stamp`]: TopCache::stamp

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::leaderboard::{BoardReach, BoardRow, RankKey};

/// Rows remembered of a board: reads of at most this many are answered from here.
pub(crate) const TOP_ROWS: usize = 100;

/// Most boards remembered (a board is a campaign's all-time, week or month board).
const CAPACITY: usize = 10_000;

/// A board's first rows, as read.
#[derive(Debug)]
pub(crate) struct Top {
    /// The rows, from first place.
    pub rows: Vec<BoardRow>,
    /// Where the last row stands in the board's order, when the rows are not the whole
    /// board (`None`: they are).
    pub last: Option<RankKey>,
}

impl Top {
    /// Whether a row at `key` would be among these rows: a user arriving there or leaving
    /// from there changes them.
    fn reaches(&self, key: &RankKey) -> bool {
        self.last.as_ref().is_none_or(|last| key <= last)
    }
}

/// A board's stamp, and its top once read.
#[derive(Debug)]
struct Slot {
    /// Raised (to a value never used before) by every commit that changes the top.
    stamp: u64,
    top: Option<Arc<Top>>,
}

#[derive(Debug, Default)]
struct Inner {
    /// The last stamp given out.
    last_stamp: u64,
    /// (campaign id, board) -> its slot.
    slots: HashMap<(String, String), Slot>,
}

impl Inner {
    fn new_stamp(&mut self) -> u64 {
        self.last_stamp += 1;
        self.last_stamp
    }
}

/// See the module docs.
#[derive(Debug, Default)]
pub(crate) struct TopCache(Mutex<Inner>);

impl TopCache {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The remembered top of board `board` of campaign `campaign_id`.
    pub(crate) fn get(&self, campaign_id: &str, board: &str) -> Option<Arc<Top>> {
        self.inner()
            .slots
            .get(&(campaign_id.to_owned(), board.to_owned()))
            .and_then(|slot| slot.top.clone())
    }

    /// Taken before reading a board's top on a miss.
    pub(crate) fn stamp(&self, campaign_id: &str, board: &str) -> u64 {
        let mut inner = self.inner();
        let key = (campaign_id.to_owned(), board.to_owned());
        if let Some(slot) = inner.slots.get(&key) {
            return slot.stamp;
        }
        if inner.slots.len() >= CAPACITY {
            // Stamps are never reused, so a reader of a dropped slot cannot store.
            inner.slots.clear();
        }
        let stamp = inner.new_stamp();
        inner.slots.insert(key, Slot { stamp, top: None });
        stamp
    }

    /// Remembers the top read since `stamp`, unless a commit has changed it since.
    pub(crate) fn insert_if_unchanged(
        &self,
        stamp: u64,
        campaign_id: &str,
        board: &str,
        top: Arc<Top>,
    ) {
        let mut inner = self.inner();
        if let Some(slot) = inner
            .slots
            .get_mut(&(campaign_id.to_owned(), board.to_owned()))
            .filter(|slot| slot.stamp == stamp)
        {
            slot.top = Some(top);
        }
    }

    /// Drops the tops that committed moves reach (call it after the commit).
    pub(crate) fn moved(&self, boards: &[BoardReach]) {
        let mut inner = self.inner();
        let Inner { last_stamp, slots } = &mut *inner;
        for moved in boards {
            let key = (moved.campaign_id.clone(), moved.board.clone());
            let Some(slot) = slots.get_mut(&key) else {
                // Never read since it was last dropped: nothing to drop, nobody reading.
                continue;
            };
            let unchanged = slot
                .top
                .as_ref()
                .is_some_and(|top| !top.reaches(&moved.key));
            if !unchanged {
                *last_stamp += 1;
                slot.stamp = *last_stamp;
                slot.top = None;
            }
        }
    }

    /// Drops every top (after a commit whose moves are unknown).
    pub(crate) fn forget_all(&self) {
        self.forget_where(|_| true);
    }

    /// Drops the tops that show user (`platform`, `account`), of any organization (after
    /// their name changed).
    pub(crate) fn forget_user(&self, platform: &str, account: &str) {
        self.forget_where(|top| {
            top.rows
                .iter()
                .any(|row| row.platform == platform && row.account == account)
        });
    }

    /// Drops the tops that `shows` picks, and those still being read (they may show it).
    fn forget_where(&self, shows: impl Fn(&Top) -> bool) {
        let mut inner = self.inner();
        let Inner { last_stamp, slots } = &mut *inner;
        for slot in slots.values_mut() {
            if slot.top.as_deref().is_none_or(&shows) {
                *last_stamp += 1;
                slot.stamp = *last_stamp;
                slot.top = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(points: i64, user: &str) -> RankKey {
        RankKey {
            neg_points: -points,
            reached_at: 0,
            user_id: user.into(),
        }
    }

    /// A full top whose last row has 50 points.
    fn top() -> Arc<Top> {
        Arc::new(Top {
            rows: Vec::new(),
            last: Some(key(50, "m")),
        })
    }

    fn remembered(cache: &TopCache) {
        let stamp = cache.stamp("c", "all");
        cache.insert_if_unchanged(stamp, "c", "all", top());
        assert!(cache.get("c", "all").is_some());
    }

    fn moving(key: RankKey) -> BoardReach {
        BoardReach {
            campaign_id: "c".into(),
            board: "all".into(),
            key,
        }
    }

    #[test]
    fn a_move_below_the_top_keeps_it() {
        let cache = TopCache::default();
        remembered(&cache);
        cache.moved(&[moving(key(49, "a"))]);
        cache.moved(&[moving(key(50, "z"))]);
        assert!(cache.get("c", "all").is_some());
    }

    #[test]
    fn a_move_into_or_out_of_the_top_drops_it() {
        for change in [
            moving(key(50, "a")),
            moving(key(60, "a")),
            moving(key(51, "b")),
        ] {
            let cache = TopCache::default();
            remembered(&cache);
            cache.moved(std::slice::from_ref(&change));
            assert!(cache.get("c", "all").is_none(), "{change:?}");
        }
    }

    #[test]
    fn a_whole_board_is_dropped_by_any_move() {
        let cache = TopCache::default();
        let stamp = cache.stamp("c", "all");
        let whole = Arc::new(Top {
            rows: Vec::new(),
            last: None,
        });
        cache.insert_if_unchanged(stamp, "c", "all", whole);
        cache.moved(&[moving(key(1, "a"))]);
        assert!(cache.get("c", "all").is_none());
    }

    #[test]
    fn a_read_that_raced_a_commit_is_not_remembered() {
        let cache = TopCache::default();
        let stamp = cache.stamp("c", "all");
        cache.moved(&[moving(key(1, "a"))]);
        cache.insert_if_unchanged(stamp, "c", "all", top());
        assert!(cache.get("c", "all").is_none());
        let stamp = cache.stamp("c", "all");
        cache.forget_all();
        cache.insert_if_unchanged(stamp, "c", "all", top());
        assert!(cache.get("c", "all").is_none());
    }

    #[test]
    fn a_rename_drops_only_the_tops_that_show_the_user() {
        let cache = TopCache::default();
        let row = |account: &str| BoardRow {
            place: 1,
            platform: "web".into(),
            account: account.into(),
            name: None,
            points: 1,
        };
        for (board, account) in [("all", "alice"), ("2026-W48", "bob")] {
            let stamp = cache.stamp("c", board);
            let top = Top {
                rows: vec![row(account)],
                last: None,
            };
            cache.insert_if_unchanged(stamp, "c", board, Arc::new(top));
        }
        cache.forget_user("web", "alice");
        assert!(cache.get("c", "all").is_none());
        assert!(cache.get("c", "2026-W48").is_some());
    }

    #[test]
    fn moves_on_other_boards_keep_a_top() {
        let cache = TopCache::default();
        remembered(&cache);
        let mut elsewhere = moving(key(99, "a"));
        elsewhere.board = "2026-W48".into();
        cache.moved(&[elsewhere]);
        assert!(cache.get("c", "all").is_some());
    }
}
