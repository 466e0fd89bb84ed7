//! A campaign's participants for the partner: a page of them (optionally searched), and
//! CSV exports of every participant and every completion, streamed.
//!
//! Participants are the users with points in the campaign: the rows of its all-time board,
//! read in the board's order. The exports run one query each whose rows are written as CSV
//! into a bounded channel as they arrive, so an export holds a few chunks in memory however
//! many rows it has (the response is streamed from the channel).

use bytes::Bytes;
use futures::TryStreamExt;
use tokio::sync::mpsc;

use super::leaderboard::ALL_TIME;
use super::Db;

/// One participant as read.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ParticipantRow {
    /// The user's platform.
    pub platform: String,
    /// The user's account.
    pub account: String,
    /// The user's name, as the partner last gave it.
    pub name: Option<String>,
    /// Points in the campaign.
    pub points: i64,
    /// Completions in the campaign.
    pub completions: i64,
}

/// The columns of a [`ParticipantRow`] of board entry `e` (with [`PARTICIPANT_JOINS`]);
/// `$1` is the campaign.
const PARTICIPANT_COLUMNS: &str = "u.platform, u.account, n.name, -e.neg_points AS points,
    (SELECT CAST(COUNT(*) AS BIGINT) FROM task_completions c
       JOIN tasks t ON t.id = c.task_id JOIN quests q ON q.id = t.quest_id
     WHERE c.user_id = e.user_id AND q.campaign_id = $1) AS completions";

/// A board entry's user and their name.
const PARTICIPANT_JOINS: &str = "JOIN users u ON u.id = e.user_id
    LEFT JOIN user_names n ON n.organization_id = u.organization_id
      AND n.platform = u.platform AND n.account = u.account";

/// The bytes an export collects before it hands them on.
const CHUNK_BYTES: usize = 64 * 1024;

/// Chunks an export may hold ahead of the client reading them.
const CHUNKS_AHEAD: usize = 4;

/// An export's body: CSV chunks, or the error that ended it.
pub type CsvChunks = mpsc::Receiver<Result<Bytes, sqlx::Error>>;

impl Db {
    /// Participants of campaign `campaign_id` in board order, from the `offset`-th, at most
    /// `limit`; with `search`, only those whose account or name contains it (any case).
    pub async fn campaign_users(
        &self,
        campaign_id: &str,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ParticipantRow>, sqlx::Error> {
        // Placeholders numbered in the order they appear (SQLite binds them so).
        let (filter, page) = if search.is_some() {
            (
                "AND (LOWER(u.account) LIKE $3 ESCAPE '\\' OR LOWER(n.name) LIKE $3 ESCAPE '\\')",
                "LIMIT $4 OFFSET $5",
            )
        } else {
            ("", "LIMIT $3 OFFSET $4")
        };
        let sql = format!(
            "SELECT {PARTICIPANT_COLUMNS} FROM leaderboard_entries e {PARTICIPANT_JOINS}
             WHERE e.campaign_id = $1 AND e.period = $2 {filter}
             ORDER BY e.neg_points, e.reached_at, e.user_id {page}"
        );
        let mut query = sqlx::query_as(&sql).bind(campaign_id).bind(ALL_TIME);
        if let Some(search) = search {
            query = query.bind(format!("%{}%", escape_like(&search.to_lowercase())));
        }
        query.bind(limit).bind(offset).fetch_all(self.pool()).await
    }

    /// Every participant of campaign `campaign_id` as CSV (account, platform, name, points,
    /// rank, completions), in board order; `rank_of` names the rank of a number of points.
    pub fn participants_csv(
        &self,
        campaign_id: String,
        rank_of: impl Fn(i64) -> String + Send + 'static,
    ) -> CsvChunks {
        let pool = self.pool().clone();
        spawn_csv(
            "account,platform,name,points,rank,completions\n",
            move |tx| async move {
                let sql = format!(
                    "SELECT {PARTICIPANT_COLUMNS} FROM leaderboard_entries e {PARTICIPANT_JOINS}
                     WHERE e.campaign_id = $1 AND e.period = $2
                     ORDER BY e.neg_points, e.reached_at, e.user_id"
                );
                let mut rows = sqlx::query_as::<_, ParticipantRow>(&sql)
                    .bind(&campaign_id)
                    .bind(ALL_TIME)
                    .fetch(&pool);
                let mut out = CsvWriter::new(tx);
                while let Some(row) = rows.try_next().await? {
                    out.text(&row.account);
                    out.text(&row.platform);
                    out.text(row.name.as_deref().unwrap_or_default());
                    out.number(row.points);
                    out.text(&rank_of(row.points));
                    out.number(row.completions);
                    if !out.end_row().await {
                        return Ok(());
                    }
                }
                out.finish().await;
                Ok(())
            },
        )
    }

    /// Every completion in campaign `campaign_id` as CSV (account, platform, quest, task,
    /// points, completed at in Unix seconds, GA client id), in storage order.
    pub fn completions_csv(&self, campaign_id: String) -> CsvChunks {
        let pool = self.pool().clone();
        spawn_csv(
            "account,platform,quest,task,points,completed_at,ga_client_id\n",
            move |tx| async move {
                let mut rows = sqlx::query_as::<_, (String, String, String, String, i64, i64, Option<String>)>(
                    "SELECT u.account, u.platform, q.key, t.key, c.points, c.created_at, c.ga_client_id
                     FROM task_completions c
                     JOIN tasks t ON t.id = c.task_id
                     JOIN quests q ON q.id = t.quest_id
                     JOIN users u ON u.id = c.user_id
                     WHERE q.campaign_id = $1",
                )
                .bind(&campaign_id)
                .fetch(&pool);
                let mut out = CsvWriter::new(tx);
                while let Some((account, platform, quest, task, points, at, ga)) =
                    rows.try_next().await?
                {
                    out.text(&account);
                    out.text(&platform);
                    out.text(&quest);
                    out.text(&task);
                    out.number(points);
                    out.number(at);
                    out.text(ga.as_deref().unwrap_or_default());
                    if !out.end_row().await {
                        return Ok(());
                    }
                }
                out.finish().await;
                Ok(())
            },
        )
    }
}

/// Runs `write` on a task of its own, handing it the sending side of a bounded channel
/// whose first chunk is `header`; answers the receiving side. A query error ends the
/// stream with that error.
fn spawn_csv<F, Fut>(header: &'static str, write: F) -> CsvChunks
where
    F: FnOnce(mpsc::Sender<Result<Bytes, sqlx::Error>>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(), sqlx::Error>> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(CHUNKS_AHEAD);
    tokio::spawn(async move {
        if tx
            .send(Ok(Bytes::from_static(header.as_bytes())))
            .await
            .is_err()
        {
            return;
        }
        if let Err(error) = write(tx.clone()).await {
            tracing::error!(%error, "a CSV export failed");
            let _ = tx.send(Err(error)).await;
        }
    });
    rx
}

/// CSV rows collected into chunks and sent when full.
struct CsvWriter {
    tx: mpsc::Sender<Result<Bytes, sqlx::Error>>,
    chunk: String,
    first: bool,
}

impl CsvWriter {
    fn new(tx: mpsc::Sender<Result<Bytes, sqlx::Error>>) -> Self {
        Self {
            tx,
            chunk: String::with_capacity(CHUNK_BYTES + 1024),
            first: true,
        }
    }

    fn separate(&mut self) {
        if !self.first {
            self.chunk.push(',');
        }
        self.first = false;
    }

    /// A text cell: quoted when it holds a comma, a quote or a line break; a leading
    /// `=`, `+`, `-` or `@` is escaped with `'` so no spreadsheet runs it as a formula.
    fn text(&mut self, value: &str) {
        self.separate();
        let formula = value.starts_with(['=', '+', '-', '@']);
        let quote = value.contains([',', '"', '\n', '\r']);
        if quote {
            self.chunk.push('"');
        }
        if formula {
            self.chunk.push('\'');
        }
        for c in value.chars() {
            if c == '"' {
                self.chunk.push('"');
            }
            self.chunk.push(c);
        }
        if quote {
            self.chunk.push('"');
        }
    }

    fn number(&mut self, value: i64) {
        self.separate();
        self.chunk.push_str(&value.to_string());
    }

    /// Ends the row, handing the chunk on when full; `false` when the client has gone.
    async fn end_row(&mut self) -> bool {
        self.chunk.push('\n');
        self.first = true;
        if self.chunk.len() < CHUNK_BYTES {
            return true;
        }
        let chunk = std::mem::replace(&mut self.chunk, String::with_capacity(CHUNK_BYTES + 1024));
        self.tx.send(Ok(Bytes::from(chunk))).await.is_ok()
    }

    /// Hands on what is left.
    async fn finish(self) {
        if !self.chunk.is_empty() {
            let _ = self.tx.send(Ok(Bytes::from(self.chunk))).await;
        }
    }
}

/// `text` with LIKE's wildcards escaped (with `\`).
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn cells_are_quoted_and_formulas_defused() {
        let (tx, mut rx) = mpsc::channel(4);
        let mut out = CsvWriter::new(tx);
        out.text("plain");
        out.text("a,b \"c\"");
        out.text("=SUM(A1)");
        out.number(-5);
        assert!(out.end_row().await);
        out.finish().await;
        let chunk = rx.recv().await.unwrap().unwrap();
        assert_eq!(
            std::str::from_utf8(&chunk).unwrap(),
            "plain,\"a,b \"\"c\"\"\",'=SUM(A1),-5\n"
        );
    }
}
