//! Users' places read from the boards this process holds in memory (`ranked_boards.rs`),
//! with the rows' names and points from the database; and the loading of those boards.
//!
//! The user's own row is read from the database first, and the board held must have it
//! at the same place in the order, as it must each neighbour it names; otherwise (a move
//! committed but not yet heard here) the place is counted in the database instead.

use std::collections::HashMap;
use std::sync::Arc;

use super::leaderboard::planned_for;
use super::leaderboard::{
    board_row, BoardPlace, BoardRow, CampaignRef, NamedRow, RankKey, NAMED_COLUMNS, NAMED_JOINS,
};
use super::progress::UserKey;
use super::ranked_boards::Lookup;
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
        let Some((me, key)) = self.own_row(&campaign_id, board, user).await? else {
            return Ok(Some(None));
        };
        let found = match remembered.ranked.place(&campaign_id, board, &key, around) {
            Lookup::Found(found) => found,
            Lookup::Unsure => return Ok(None),
            Lookup::Absent => {
                self.load_board(&campaign_id, board);
                return Ok(None);
            }
        };
        let others: Vec<&str> = found
            .around
            .iter()
            .map(|row| row.user_id.as_str())
            .filter(|id| *id != key.user_id)
            .collect();
        let mut rows = self.rows_of(&campaign_id, board, &others).await?;
        let Some(mine) = found.around.iter().position(|row| *row == key) else {
            return Ok(None);
        };
        let first = found.above + 1 - mine as i64;
        let mut own = Some(me);
        let mut listed = Vec::with_capacity(found.around.len());
        for (held, place) in found.around.iter().zip(first..) {
            let row = if *held == key {
                own.take()
            } else {
                rows.remove(&held.user_id)
                    .filter(|(_, stands)| stands == held)
                    .map(|(row, _)| row)
            };
            // A neighbour the database has elsewhere: a move not yet heard.
            let Some(row) = row else {
                return Ok(None);
            };
            listed.push(board_row((row, place)));
        }
        let me: BoardRow = listed[mine].clone();
        Ok(Some(Some(BoardPlace { me, around: listed })))
    }

    /// The user's own row on the board, and where it stands.
    async fn own_row(
        &self,
        campaign_id: &str,
        board: &str,
        user: &UserKey,
    ) -> Result<Option<(NamedRow, RankKey)>, sqlx::Error> {
        let sql = format!(
            "SELECT {NAMED_COLUMNS}, e.reached_at, e.user_id
             FROM leaderboard_entries e {NAMED_JOINS}
             WHERE u.organization_id = $1 AND u.platform = $2 AND u.account = $3
               AND e.campaign_id = $4 AND e.period = $5"
        );
        let row: Option<KeyedRow> = sqlx::query_as(&planned_for(self.backend(), &sql))
            .bind(&user.organization_id)
            .bind(&user.platform)
            .bind(&user.account)
            .bind(campaign_id)
            .bind(board)
            .fetch_optional(self.ranking_pool())
            .await?;
        Ok(row.map(split))
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
            let started = std::time::Instant::now();
            let rows = db.read_board(&campaign_id, &board).await;
            match &rows {
                Ok(rows) => {
                    let seconds = started.elapsed().as_secs_f64();
                    metrics::histogram!("questlet_leaderboard_load_seconds").record(seconds);
                    tracing::info!(%campaign_id, %board, rows = rows.len(), seconds, "read a leaderboard to hold in memory");
                }
                Err(error) => {
                    tracing::warn!(%error, %campaign_id, %board, "cannot load a leaderboard into memory")
                }
            }
            // Building a board of a million rows takes a few hundred milliseconds: off the
            // runtime's threads, which serve requests.
            let remembered = Arc::clone(&db.remembered);
            let built = tokio::task::spawn_blocking(move || {
                remembered
                    .ranked
                    .loaded(&campaign_id, &board, load, rows.ok())
            });
            if let Err(error) = built.await {
                tracing::warn!(%error, "cannot hold a leaderboard in memory");
            }
        });
    }

    /// Every row of board `board` of campaign `campaign_id`, in board order, with its
    /// version: one walk of the board's index, which holds them all.
    async fn read_board(
        &self,
        campaign_id: &str,
        board: &str,
    ) -> Result<Vec<(RankKey, i64)>, sqlx::Error> {
        let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
            "SELECT neg_points, reached_at, user_id, version FROM leaderboard_entries
             WHERE campaign_id = $1 AND period = $2
             ORDER BY neg_points, reached_at, user_id",
        )
        .bind(campaign_id)
        .bind(board)
        .fetch_all(self.pool())
        .await?;
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
