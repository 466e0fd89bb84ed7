//! Users' places read from the boards this process holds in memory (`ranked_boards.rs`),
//! with the rows' names and points from the database; and the loading of those boards.
//!
//! The board held names the user's rank and the rows around theirs; those rows, the
//! user's own among them, are then read from the database, which must have each where
//! memory does; otherwise (a move committed but not yet heard here) the place is counted
//! in the database instead.

use std::collections::HashMap;
use std::time::Instant;

use super::leaderboard::planned_for;
use super::leaderboard::{
    board_row, BoardPlace, BoardRow, CampaignRef, NamedRow, RankKey, NAMED_COLUMNS, NAMED_JOINS,
};
use super::progress::UserKey;
use super::ranked_boards::{Building, Lookup};
use super::stamped_map::remembered_or_read;
use super::{value_rows, Db};

/// A row as read here: its [`NamedRow`] and where it stands.
type KeyedRow = (String, String, Option<String>, i64, i64, String);

fn split(
    (platform, account, name, neg_points, reached_at, user_id): KeyedRow,
) -> (NamedRow, RankKey) {
    (
        (platform, account, name, neg_points),
        RankKey {
            neg_points,
            reached_at,
            user_id,
        },
    )
}

impl Db {
    /// `user`'s place on board `board` of `campaign` from the board held in memory, with
    /// up to `around` (0 to 50) rows each side: `Ok(None)` when it cannot answer (the
    /// board is not held yet, which starts loading it, or is behind the database);
    /// `Ok(Some(None))` when the user is not on the board.
    ///
    /// One query on the way (after a user's first place read): the rows memory names, the
    /// user's own among them, each of which the database must have where memory does.
    pub(super) async fn ranked_place(
        &self,
        campaign: CampaignRef<'_>,
        board: &str,
        user: &UserKey,
        around: usize,
    ) -> Result<Option<Option<BoardPlace>>, sqlx::Error> {
        let Some(remembered) = self.remembered() else {
            return Ok(None);
        };
        let Some(campaign_id) = self.campaign_id_of(campaign).await? else {
            return Ok(Some(None));
        };
        let read = self.user_id(&user.organization_id, &user.platform, &user.account);
        let user_id =
            remembered_or_read(Some(&remembered.user_ids), user.clone(), read, |_| true).await?;
        let Some(user_id) = user_id else {
            return Ok(Some(None));
        };
        let found = match remembered
            .ranked
            .place(&campaign_id, board, &user_id, around)
        {
            Lookup::Found(found) => found,
            Lookup::Unsure => return Ok(None),
            Lookup::Absent => {
                self.load_board(&campaign_id, board);
                return Ok(None);
            }
        };
        let ids: Vec<&str> = found
            .around
            .iter()
            .map(|row| row.user_id.as_str())
            .collect();
        let mut rows = self.rows_of(&campaign_id, board, &ids).await?;
        let Some(mine) = found.around.iter().position(|row| row.user_id == user_id) else {
            return Ok(None);
        };
        let first = found.above + 1 - mine as i64;
        let mut listed = Vec::with_capacity(found.around.len());
        for (held, place) in found.around.iter().zip(first..) {
            // A row the database has elsewhere, or not at all: a move not yet heard.
            let Some((row, _)) = rows
                .remove(&held.user_id)
                .filter(|(_, stands)| stands == held)
            else {
                return Ok(None);
            };
            listed.push(board_row((row, place)));
        }
        let me: BoardRow = listed[mine].clone();
        Ok(Some(Some(BoardPlace { me, around: listed })))
    }

    /// How many leaderboard rows this process holds in memory, over all boards (also the
    /// metric `questlet_leaderboard_rows_held`).
    pub fn leaderboard_rows_held(&self) -> usize {
        self.remembered.ranked.rows_held()
    }

    /// The rows of users `user_ids` on the board, by user id.
    async fn rows_of(
        &self,
        campaign_id: &str,
        board: &str,
        user_ids: &[&str],
    ) -> Result<HashMap<String, (NamedRow, RankKey)>, sqlx::Error> {
        if user_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT {NAMED_COLUMNS}, e.reached_at, e.user_id
             FROM leaderboard_entries e {NAMED_JOINS}
             WHERE e.campaign_id = $1 AND e.period = $2 AND e.user_id IN ({})",
            value_rows(3, user_ids.len(), 1)
        );
        let sql = planned_for(self.backend(), &sql);
        let query = sqlx::query_as(&sql).bind(campaign_id).bind(board);
        let rows: Vec<KeyedRow> = user_ids
            .iter()
            .fold(query, |query, id| query.bind(*id))
            .fetch_all(self.ranking_pool())
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let (row, key) = split(row);
                (key.user_id.clone(), (row, key))
            })
            .collect())
    }

    /// Loads board `board` of campaign `campaign_id` into memory in the background, unless
    /// it is held or loading.
    fn load_board(&self, campaign_id: &str, board: &str) {
        let Some(load) = self.remembered.ranked.start_load(campaign_id, board) else {
            return;
        };
        let (db, campaign_id, board) = (self.clone(), campaign_id.to_owned(), board.to_owned());
        tokio::spawn(async move {
            let started = Instant::now();
            let built = match db.read_board(&campaign_id, &board).await {
                Ok(built) => {
                    let seconds = started.elapsed().as_secs_f64();
                    metrics::histogram!("questlet_leaderboard_load_seconds").record(seconds);
                    tracing::info!(%campaign_id, %board, rows = built.len(), seconds, "read a leaderboard to hold in memory");
                    Some(built)
                }
                Err(error) => {
                    tracing::warn!(%error, %campaign_id, %board, "cannot load a leaderboard into memory");
                    None
                }
            };
            db.remembered
                .ranked
                .loaded(&campaign_id, &board, load, built);
        });
    }

    /// Board `board` of campaign `campaign_id` built from its rows, read from the board's
    /// index (which holds them all) in pages, in board order, each added on a blocking
    /// thread in turn (a page at a time, so no request thread waits long for the pool or
    /// the CPU). No snapshot is needed across pages: a row that moves between two pages is
    /// read twice or not at all, and its move, committed after the load started, is heard
    /// and applied forward by its version.
    async fn read_board(&self, campaign_id: &str, board: &str) -> Result<Building, LoadError> {
        let mut building = Building::default();
        let mut after: Option<RankKey> = None;
        loop {
            let page = self.board_page(campaign_id, board, after.as_ref()).await?;
            let last_page = page.len() < LOAD_PAGE;
            after = page.last().map(|(key, _)| key.clone());
            // Off the runtime's threads, which serve requests.
            building = tokio::task::spawn_blocking(move || {
                building.add(&page);
                building
            })
            .await?;
            if last_page {
                return Ok(building);
            }
        }
    }

    /// Up to [`LOAD_PAGE`] rows of board `board` of campaign `campaign_id` with their
    /// versions, in board order: the first ones, or those after `after`.
    async fn board_page(
        &self,
        campaign_id: &str,
        board: &str,
        after: Option<&RankKey>,
    ) -> Result<Vec<(RankKey, i64)>, sqlx::Error> {
        let after_clause = if after.is_some() {
            "AND (neg_points, reached_at, user_id) > ($4, $5, $6)"
        } else {
            ""
        };
        let sql = format!(
            "SELECT neg_points, reached_at, user_id, version FROM leaderboard_entries
             WHERE campaign_id = $1 AND period = $2 {after_clause}
             ORDER BY neg_points, reached_at, user_id
             LIMIT $3"
        );
        let sql = planned_for(self.backend(), &sql);
        let query = sqlx::query_as(&sql)
            .bind(campaign_id)
            .bind(board)
            .bind(LOAD_PAGE as i64);
        let query = match after {
            Some(after) => query
                .bind(after.neg_points)
                .bind(after.reached_at)
                .bind(&after.user_id),
            None => query,
        };
        let rows: Vec<(i64, i64, String, i64)> = query.fetch_all(self.pool()).await?;
        Ok(rows
            .into_iter()
            .map(|(neg_points, reached_at, user_id, version)| {
                let key = RankKey {
                    neg_points,
                    reached_at,
                    user_id,
                };
                (key, version)
            })
            .collect())
    }
}

/// Rows read per page of a board's load (see [`Db::read_board`]).
const LOAD_PAGE: usize = 1_000;

/// Why a board could not be loaded into memory.
#[derive(Debug, thiserror::Error)]
enum LoadError {
    #[error("cannot read the board: {0}")]
    Read(#[from] sqlx::Error),
    #[error("cannot build the board: {0}")]
    Build(#[from] tokio::task::JoinError),
}
