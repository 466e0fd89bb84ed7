//! Boards held in memory in their order, as a sorted set holds them in Redis: a user's
//! place is then a rank lookup in an order-statistic B-tree (`indexset`), whatever the
//! number of users, and costs the database nothing. The database stays the record: a
//! board is loaded from it when a place on it is first asked for, and kept current by
//! the moves every commit makes ([`RankedBoards::moved`], with what `remembered.rs`
//! applies); until then, and whenever a lookup disagrees with the database, places are
//! counted from the database (`leaderboard.rs`).
//!
//! Moves can arrive out of order (two commits of this process finish in either order;
//! a board loading meanwhile reads some of them already applied), so each carries its
//! row's version, raised by one with each move of the row, and a row only moves forward.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::leaderboard::{BoardMove, RankKey};

/// Most rows held, over all boards: past it, the boards least recently read are dropped
/// (a row takes some 150 bytes).
const CAPACITY: usize = 4_000_000;

/// A row's place in its board's order (see [`RankKey`]); its user id is shared with the
/// row's entry by user.
type Key = (i64, i64, Arc<str>);

fn key_of(key: &RankKey) -> Key {
    (
        key.neg_points,
        key.reached_at,
        Arc::from(key.user_id.as_str()),
    )
}

/// A board in memory.
#[derive(Debug, Default)]
struct Ranked {
    /// Its rows in board order.
    order: indexset::BTreeSet<Key>,
    /// Each user's key and version.
    users: HashMap<Arc<str>, (Key, i64)>,
    /// When it was last read (from [`Inner::clock`]).
    used: u64,
}

impl Ranked {
    /// Moves `user` to `key` at `version`, unless their row is already at that version or
    /// a later one.
    fn apply(&mut self, key: &RankKey, version: i64) {
        if let Some((old, known)) = self.users.get(key.user_id.as_str()) {
            if *known >= version {
                return;
            }
            self.order.remove(old);
        }
        let key = key_of(key);
        self.order.insert(key.clone());
        self.users.insert(Arc::clone(&key.2), (key, version));
    }
}

/// A board being read into memory, page by page in board order, before
/// [`RankedBoards::loaded`] holds it: built apart from the boards held, so that reads and
/// commits never wait for it.
#[derive(Debug, Default)]
pub(crate) struct Building(Ranked);

impl Building {
    /// Adds rows read: each row's key and version.
    pub(crate) fn add(&mut self, rows: &[(RankKey, i64)]) {
        for (row, version) in rows {
            self.0.apply(row, *version);
        }
    }

    /// How many rows it holds.
    pub(crate) fn len(&self) -> usize {
        self.0.users.len()
    }
}

/// A board's slot: loading (with the moves heard meanwhile, applied once loaded), or
/// loaded.
#[derive(Debug)]
enum Slot {
    Loading { load: u64, heard: Vec<BoardMove> },
    Ready(Ranked),
}

#[derive(Debug)]
struct Inner {
    /// Most rows held (see [`CAPACITY`]).
    capacity: usize,
    /// (campaign id, board) -> its slot.
    boards: HashMap<(String, String), Slot>,
    /// Rows held over all loaded boards.
    rows: usize,
    /// Raised by every read and load (for [`Ranked::used`] and loads' numbers).
    clock: u64,
}

/// A user's place as a loaded board tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RankedPlace {
    /// How many rank above the user.
    pub above: i64,
    /// The keys of up to the asked number of rows each side, in board order, the user's
    /// own among them.
    pub around: Vec<RankKey>,
}

/// What [`RankedBoards::place`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// The board is loaded and holds the user.
    Found(RankedPlace),
    /// The board is loaded or loading, but cannot answer now (still loading, or the user
    /// is not held: not on the board, or a move onto it not heard yet).
    Unsure,
    /// The board is not held: load it ([`RankedBoards::start_load`]).
    Absent,
}

/// See the module docs.
#[derive(Debug)]
pub(crate) struct RankedBoards(Mutex<Inner>);

impl Default for RankedBoards {
    fn default() -> Self {
        Self::with_capacity(CAPACITY)
    }
}

impl RankedBoards {
    /// Holding at most `capacity` rows.
    fn with_capacity(capacity: usize) -> Self {
        Self(Mutex::new(Inner {
            capacity,
            boards: HashMap::new(),
            rows: 0,
            clock: 0,
        }))
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The place of user `user_id` on board `board` of campaign `campaign_id`, as held,
    /// with up to `around` rows each side (the caller checks them against the database).
    pub(crate) fn place(
        &self,
        campaign_id: &str,
        board: &str,
        user_id: &str,
        around: usize,
    ) -> Lookup {
        let mut inner = self.inner();
        inner.clock += 1;
        let now = inner.clock;
        let slot = inner
            .boards
            .get_mut(&(campaign_id.to_owned(), board.to_owned()));
        let ranked = match slot {
            None => return Lookup::Absent,
            Some(Slot::Loading { .. }) => return Lookup::Unsure,
            Some(Slot::Ready(ranked)) => ranked,
        };
        ranked.used = now;
        // Not held: not on the board, or a move onto it not heard yet.
        let Some((key, _)) = ranked.users.get(user_id) else {
            return Lookup::Unsure;
        };
        let above = ranked.order.rank(key);
        let first = above.saturating_sub(around);
        let last = (above + around + 1).min(ranked.order.len());
        let around = ranked
            .order
            .range_idx(first..last)
            .map(|(neg_points, reached_at, user_id)| RankKey {
                neg_points: *neg_points,
                reached_at: *reached_at,
                user_id: user_id.to_string(),
            })
            .collect();
        Lookup::Found(RankedPlace {
            above: above as i64,
            around,
        })
    }

    /// Marks board `board` of campaign `campaign_id` as loading, unless it is held or
    /// loading already; answers the load's number for [`RankedBoards::loaded`].
    pub(crate) fn start_load(&self, campaign_id: &str, board: &str) -> Option<u64> {
        let mut inner = self.inner();
        inner.clock += 1;
        let load = inner.clock;
        let key = (campaign_id.to_owned(), board.to_owned());
        if inner.boards.contains_key(&key) {
            return None;
        }
        let heard = Vec::new();
        inner.boards.insert(key, Slot::Loading { load, heard });
        Some(load)
    }

    /// Holds the board that load `load` built (from rows read after the load started),
    /// with the moves heard since it started; unless it was dropped meanwhile (then what
    /// was read may be stale). `None` gives the load up.
    pub(crate) fn loaded(
        &self,
        campaign_id: &str,
        board: &str,
        load: u64,
        built: Option<Building>,
    ) {
        let key = (campaign_id.to_owned(), board.to_owned());
        let Some(Building(mut ranked)) = built else {
            let mut inner = self.inner();
            if matches!(inner.boards.get(&key), Some(Slot::Loading { load: started, .. }) if *started == load)
            {
                inner.boards.remove(&key);
            }
            return;
        };
        let mut inner = self.inner();
        let heard = match inner.boards.get_mut(&key) {
            Some(Slot::Loading {
                load: started,
                heard,
            }) if *started == load => std::mem::take(heard),
            _ => return,
        };
        for moved in &heard {
            ranked.apply(&moved.to, moved.version);
        }
        inner.clock += 1;
        ranked.used = inner.clock;
        inner.rows += ranked.users.len();
        inner.boards.insert(key.clone(), Slot::Ready(ranked));
        inner.make_room(&key);
        inner.report();
    }

    /// Applies committed moves to the boards held or loading.
    pub(crate) fn moved(&self, moves: &[BoardMove]) {
        let mut inner = self.inner();
        let Inner { boards, rows, .. } = &mut *inner;
        for moved in moves {
            let key = (moved.campaign_id.clone(), moved.board.clone());
            match boards.get_mut(&key) {
                None => {}
                Some(Slot::Loading { heard, .. }) => heard.push(moved.clone()),
                Some(Slot::Ready(ranked)) => {
                    let before = ranked.users.len();
                    ranked.apply(&moved.to, moved.version);
                    *rows += ranked.users.len() - before;
                }
            }
        }
        inner.report();
    }

    /// Rows held over all loaded boards.
    pub(crate) fn rows_held(&self) -> usize {
        self.inner().rows
    }

    /// Drops every board, and gives up every load.
    pub(crate) fn forget_all(&self) {
        let mut inner = self.inner();
        inner.boards.clear();
        inner.rows = 0;
        inner.report();
    }
}

impl Inner {
    /// Publishes how many rows are held (a metric).
    fn report(&self) {
        metrics::gauge!("questlet_leaderboard_rows_held").set(self.rows as f64);
    }

    /// Drops the boards least recently read, but not `keep`, while more rows than the
    /// capacity are held.
    fn make_room(&mut self, keep: &(String, String)) {
        while self.rows > self.capacity {
            let oldest = self
                .boards
                .iter()
                .filter(|(key, _)| *key != keep)
                .filter_map(|(key, slot)| match slot {
                    Slot::Ready(ranked) => Some((ranked.used, key.clone())),
                    Slot::Loading { .. } => None,
                })
                .min();
            let Some((_, oldest)) = oldest else {
                return;
            };
            if let Some(Slot::Ready(ranked)) = self.boards.remove(&oldest) {
                self.rows -= ranked.users.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(points: i64, at: i64, user: &str) -> RankKey {
        RankKey {
            neg_points: -points,
            reached_at: at,
            user_id: user.into(),
        }
    }

    fn moved(board: &str, to: RankKey, version: i64) -> BoardMove {
        BoardMove {
            campaign_id: "c".into(),
            board: board.into(),
            from: None,
            to,
            version,
        }
    }

    /// Loads board `board` of campaign `c` from `rows` (version 1 each).
    fn load(boards: &RankedBoards, board: &str, rows: &[RankKey]) {
        let load = boards.start_load("c", board).unwrap();
        let rows: Vec<_> = rows.iter().map(|row| (row.clone(), 1)).collect();
        boards.loaded("c", board, load, Some(built(&rows)));
    }

    fn built(rows: &[(RankKey, i64)]) -> Building {
        let mut building = Building::default();
        building.add(rows);
        building
    }

    /// The key a lookup asked with no rows each side holds its user at.
    fn held(lookup: Lookup) -> RankKey {
        match lookup {
            Lookup::Found(place) => place.around.into_iter().next().unwrap(),
            other => panic!("{other:?}"),
        }
    }

    fn found(lookup: Lookup) -> (i64, Vec<String>) {
        match lookup {
            Lookup::Found(place) => (
                place.above,
                place.around.into_iter().map(|row| row.user_id).collect(),
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_place_is_its_rank_with_the_rows_each_side_ties_going_to_the_earlier() {
        let boards = RankedBoards::default();
        assert_eq!(boards.place("c", "all", "a", 1), Lookup::Absent);
        let rows = [
            key(9, 5, "a"),
            key(9, 3, "b"),
            key(7, 1, "c"),
            key(7, 1, "d"),
            key(2, 0, "e"),
        ];
        load(&boards, "all", &rows);
        assert_eq!(
            found(boards.place("c", "all", &rows[3].user_id, 1)),
            (3, vec!["c".into(), "d".into(), "e".into()])
        );
        assert_eq!(found(boards.place("c", "all", &rows[1].user_id, 5)).0, 0);
        assert_eq!(
            found(boards.place("c", "all", &rows[0].user_id, 0)),
            (1, vec!["a".into()])
        );
        // A user not held: not on the board, or a move onto it not heard yet.
        assert_eq!(boards.place("c", "all", "z", 1), Lookup::Unsure);
    }

    #[test]
    fn moves_apply_only_forward_whatever_order_they_arrive_in() {
        let boards = RankedBoards::default();
        load(&boards, "all", &[key(1, 0, "a"), key(2, 0, "b")]);
        boards.moved(&[
            moved("all", key(5, 2, "a"), 3),
            moved("all", key(3, 1, "a"), 2),
        ]);
        assert_eq!(held(boards.place("c", "all", "a", 0)), key(5, 2, "a"));
        // A newcomer, and a board not held (nothing to do).
        boards.moved(&[
            moved("all", key(9, 3, "n"), 1),
            moved("week", key(9, 3, "n"), 1),
        ]);
        assert_eq!(found(boards.place("c", "all", "b", 0)).0, 2);
        assert_eq!(boards.place("c", "week", "n", 0), Lookup::Absent);
    }

    #[test]
    fn moves_heard_while_loading_apply_after_the_rows_read() {
        let boards = RankedBoards::default();
        let load = boards.start_load("c", "all").unwrap();
        assert_eq!(boards.start_load("c", "all"), None, "one load at a time");
        assert_eq!(boards.place("c", "all", "a", 0), Lookup::Unsure);
        // Heard during the load: one the rows read already hold (version 2), one they do not.
        boards.moved(&[
            moved("all", key(4, 1, "a"), 2),
            moved("all", key(6, 2, "b"), 3),
        ]);
        boards.loaded(
            "c",
            "all",
            load,
            Some(built(&[(key(4, 1, "a"), 2), (key(5, 1, "b"), 2)])),
        );
        assert_eq!(
            found(boards.place("c", "all", "b", 1)),
            (0, vec!["b".into(), "a".into()])
        );
    }

    #[test]
    fn a_row_read_in_two_pages_is_held_once_where_its_later_version_stands() {
        let boards = RankedBoards::default();
        let load = boards.start_load("c", "all").unwrap();
        // "a" moved down between the pages: read at version 1, then at version 2.
        let mut building = built(&[(key(9, 0, "a"), 1), (key(8, 0, "b"), 1)]);
        building.add(&[(key(7, 0, "c"), 1), (key(1, 5, "a"), 2)]);
        assert_eq!(building.len(), 3);
        boards.loaded("c", "all", load, Some(building));
        assert_eq!(
            found(boards.place("c", "all", "a", 5)),
            (2, vec!["b".into(), "c".into(), "a".into()])
        );
    }

    #[test]
    fn a_load_that_outlived_a_forget_or_failed_holds_nothing() {
        let boards = RankedBoards::default();
        let load = boards.start_load("c", "all").unwrap();
        boards.forget_all();
        boards.loaded("c", "all", load, Some(built(&[(key(1, 0, "a"), 1)])));
        assert_eq!(boards.place("c", "all", "a", 0), Lookup::Absent);
        let load = boards.start_load("c", "all").unwrap();
        boards.loaded("c", "all", load, None);
        assert_eq!(boards.place("c", "all", "a", 0), Lookup::Absent);
    }

    #[test]
    fn past_its_capacity_the_boards_least_recently_read_are_dropped() {
        let boards = RankedBoards::with_capacity(4);
        let rows = |user: &str| {
            [
                key(1, 0, &format!("{user}1")),
                key(1, 0, &format!("{user}2")),
            ]
        };
        load(&boards, "a", &rows("a"));
        load(&boards, "b", &rows("b"));
        found(boards.place("c", "a", &rows("a")[0].user_id, 0));
        load(&boards, "d", &rows("d"));
        assert_eq!(
            boards.place("c", "b", &rows("b")[0].user_id, 0),
            Lookup::Absent
        );
        found(boards.place("c", "a", &rows("a")[0].user_id, 0));
        found(boards.place("c", "d", &rows("d")[0].user_id, 0));
    }
}
