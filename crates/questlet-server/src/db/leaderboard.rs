//! Leaderboards: each campaign's users ranked by points, all time and per week and month
//! of the campaign's time zone, ties going to whoever reached the score first.
//!
//! A board keeps one row per user (`leaderboard_entries`: the score, negated so that the
//! index's ascending order is the board's, and when it was reached), changed in the same
//! transaction as the completion or adjustment that moves the points. The top is a walk
//! of that index. A user's place needs how many rank above them, which an index counts
//! only row by row; so each board also keeps counters (`leaderboard_counts`, see
//! [`LEVELS`]) of how many users hold each score and each 2^7, 2^14 and 2^21 band of
//! scores, and, per score, reached it in each second and each 2^7, 2^14 and 2^21 band of
//! seconds. Above a user are the users of the higher bands at each level inside their band
//! of the level over it, then, at their own score, the earlier time bands likewise, then
//! the rows of their own second before theirs: at most 2^7 counters a level, whatever the
//! number of users. Every change moves a user's counters from their old standing to their new one.

use std::collections::HashMap;
use std::sync::Arc;

use super::group_commit::batch::{insert_rows, BatchConnection, SqlValue};
use super::group_commit::StoreError;
use super::progress::UserKey;
use super::remembered::Change;
use super::top_cache::{Top, TOP_ROWS};
use super::{value_rows, Backend, Db};
use crate::recurrence::CampaignZone;
use questlet_types::leaderboard::LeaderboardPeriod;
use serde::{Deserialize, Serialize};

/// The all-time board's key.
pub const ALL_TIME: &str = "all";

/// What a counter level counts users by: their exact score shifted right by `bits`
/// (`Score`), or, at their exact score, when they reached it shifted right by `bits`
/// (`Time`).
#[derive(Debug, Clone, Copy)]
enum Level {
    Score(u32),
    Time(u32),
}

impl Level {
    /// The bits of a score level.
    fn score_bits(self) -> Option<u32> {
        match self {
            Level::Score(bits) => Some(bits),
            Level::Time(_) => None,
        }
    }

    /// The bits of a time level.
    fn time_bits(self) -> Option<u32> {
        match self {
            Level::Time(bits) => Some(bits),
            Level::Score(_) => None,
        }
    }
}

/// The levels of one kind (those `bits_of` answers for), as (level, bits), finest first.
fn levels_by(bits_of: fn(Level) -> Option<u32>) -> Vec<(usize, u32)> {
    let mut levels: Vec<(usize, u32)> = LEVELS
        .iter()
        .enumerate()
        .filter_map(|(level, l)| bits_of(*l).map(|bits| (level, bits)))
        .collect();
    levels.sort_by_key(|&(_, bits)| bits);
    levels
}

/// The counter levels; a counter's `level` is its index here (a level added later goes
/// last, so stored counters keep their numbers). Each level's bands are 2^7 of the next
/// level's, so a place reads at most 2^7 counters of a level (why 7: at 2^10 a place on a
/// board of a million users read ~500 scattered counters of one level, the bulk of its time
/// on PostgreSQL). Per exact second (`Time(0)`, migration 0021), so that only the users
/// who reached the same score in the same second are counted row by row: a burst of
/// completions (hundreds a second, at a few scores) left thousands in one 2^7 seconds.
const LEVELS: [Level; 8] = [
    Level::Score(0),
    Level::Score(7),
    Level::Score(14),
    Level::Score(21),
    Level::Time(7),
    Level::Time(14),
    Level::Time(21),
    Level::Time(0),
];

/// The boards a change at `at` counts on: all time, its week (`week:<Monday>`) and its
/// month (`month:<YYYY-MM>`), in the campaign's time zone.
pub fn boards(zone: &CampaignZone, at: i64) -> [String; 3] {
    let (week, month) = zone.week_and_month(at);
    [
        ALL_TIME.to_owned(),
        format!("week:{week}"),
        format!("month:{month}"),
    ]
}

/// The key of `period`'s board at `at` (the current week or month of the campaign's time
/// zone).
pub fn board_of(period: LeaderboardPeriod, zone: &CampaignZone, at: i64) -> String {
    let [all, week, month] = boards(zone, at);
    match period {
        LeaderboardPeriod::All => all,
        LeaderboardPeriod::Week => week,
        LeaderboardPeriod::Month => month,
    }
}

/// A change of a user's points in a campaign, for its boards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScoreChange {
    /// The campaign.
    pub campaign_id: String,
    /// The boards it counts on (see [`boards`]).
    pub boards: [String; 3],
    /// The user's id.
    pub user_id: String,
    /// Points moved.
    pub delta: i64,
    /// When, Unix seconds.
    pub at: i64,
}

/// Where a user stands on a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Standing {
    points: i64,
    reached_at: i64,
}

impl Standing {
    /// `user_id`'s place in a board's order, standing here.
    fn rank_key(self, user_id: &str) -> RankKey {
        RankKey {
            neg_points: -self.points,
            reached_at: self.reached_at,
            user_id: user_id.to_owned(),
        }
    }
}

/// A row's place in a board's order: the board's sort key, compared field by field (a
/// smaller key ranks higher).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct RankKey {
    /// The points, negated.
    pub neg_points: i64,
    /// When they were reached, Unix seconds.
    pub reached_at: i64,
    /// The user's id (the last tie-break).
    pub user_id: String,
}

/// How high the moves a commit made on one board reached: the highest place (smallest
/// key) any user moved from or to. A top ending above it is unchanged by them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BoardReach {
    /// The campaign.
    pub campaign_id: String,
    /// The board.
    pub board: String,
    /// The highest place reached.
    pub key: RankKey,
}

/// A user's move on a board, as a committed change made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BoardMove {
    /// The campaign.
    pub campaign_id: String,
    /// The board.
    pub board: String,
    /// Where the user stood, if anywhere.
    pub from: Option<RankKey>,
    /// Where they stand now.
    pub to: RankKey,
    /// Their row's version now (raised by one with each move of the row).
    pub version: i64,
}

/// Per board, how high `moves` reached.
pub(crate) fn reaches(moves: &[BoardMove]) -> Vec<BoardReach> {
    let mut highest: HashMap<(&str, &str), &RankKey> = HashMap::new();
    for moved in moves {
        let key = match &moved.from {
            Some(from) => from.min(&moved.to),
            None => &moved.to,
        };
        highest
            .entry((&moved.campaign_id, &moved.board))
            .and_modify(|known| *known = key.min(*known))
            .or_insert(key);
    }
    highest
        .into_iter()
        .map(|((campaign_id, board), key)| BoardReach {
            campaign_id: campaign_id.to_owned(),
            board: board.to_owned(),
            key: key.clone(),
        })
        .collect()
}

/// The counters (level, score, band) a standing counts in, one per [`LEVELS`] entry.
fn counters(standing: Standing) -> [(i64, i64, i64); LEVELS.len()] {
    let (p, t) = (standing.points, standing.reached_at);
    std::array::from_fn(|level| {
        let (score, band) = match LEVELS[level] {
            Level::Score(bits) => (p >> bits, 0),
            Level::Time(bits) => (p, t >> bits),
        };
        (level as i64, score, band)
    })
}

/// A board of a campaign, and one of its users.
type BoardUser = (String, String, String);

/// A counter of a board of a campaign: (campaign, board, (level, score, band)).
type Counter = (String, String, (i64, i64, i64));

/// Applies `changes` on `conn`, inside the caller's transaction: each user's rows on the
/// boards the changes count on, and the counters those rows move between. Answers the moves
/// made (for what this and the other processes remember, once committed).
pub(crate) async fn apply(
    conn: &mut impl BatchConnection,
    changes: &[ScoreChange],
) -> Result<Vec<BoardMove>, StoreError> {
    // Each (campaign, board, user) once: the sum of its changes, at the latest.
    let mut moves: HashMap<BoardUser, (i64, i64)> = HashMap::new();
    for change in changes.iter().filter(|c| c.delta != 0) {
        for board in &change.boards {
            let key = (
                change.campaign_id.clone(),
                board.clone(),
                change.user_id.clone(),
            );
            let entry = moves.entry(key).or_insert((0, change.at));
            entry.0 += change.delta;
            entry.1 = entry.1.max(change.at);
        }
    }
    moves.retain(|_, (delta, _)| *delta != 0);
    if moves.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<&BoardUser> = moves.keys().collect();
    let sql = format!(
        "SELECT campaign_id, period, user_id, neg_points, reached_at, version
         FROM leaderboard_entries
         WHERE (campaign_id, period, user_id) IN (VALUES {})",
        value_rows(1, keys.len(), 3)
    );
    let params = keys
        .iter()
        .flat_map(|(c, b, u)| [c.into(), b.into(), u.into()])
        .collect();
    let mut before: HashMap<BoardUser, (Standing, i64)> = HashMap::new();
    for row in conn.rows(&sql, params).await? {
        let [campaign, board, user, neg_points, reached_at, version] =
            <[SqlValue; 6]>::try_from(row)
                .map_err(|_| StoreError::Writer("a leaderboard row has six columns".into()))?;
        let standing = Standing {
            points: -neg_points.int()?,
            reached_at: reached_at.int()?,
        };
        before.insert(
            (campaign.text()?, board.text()?, user.text()?),
            (standing, version.int()?),
        );
    }
    let mut entries = Vec::with_capacity(moves.len() * 6);
    let mut counts: HashMap<Counter, i64> = HashMap::new();
    let mut made = Vec::with_capacity(moves.len());
    for (key, (delta, at)) in &moves {
        let (old, version) = match before.get(key) {
            Some((old, version)) => (Some(*old), version + 1),
            None => (None, 1),
        };
        let new = Standing {
            points: old.map_or(0, |o| o.points) + delta,
            reached_at: *at,
        };
        let (campaign, board, user) = key;
        made.push(BoardMove {
            campaign_id: campaign.clone(),
            board: board.clone(),
            from: old.map(|o| o.rank_key(user)),
            to: new.rank_key(user),
            version,
        });
        entries.extend([
            campaign.into(),
            board.into(),
            user.into(),
            (-new.points).into(),
            new.reached_at.into(),
            version.into(),
        ]);
        for (standing, sign) in [(old, -1), (Some(new), 1)] {
            for counter in standing.iter().flat_map(|s| counters(*s)) {
                *counts
                    .entry((campaign.clone(), board.clone(), counter))
                    .or_default() += sign;
            }
        }
    }
    insert_rows(
        conn,
        "INTO leaderboard_entries (campaign_id, period, user_id, neg_points, reached_at, version)",
        "ON CONFLICT (campaign_id, period, user_id)
         DO UPDATE SET neg_points = excluded.neg_points, reached_at = excluded.reached_at,
           version = excluded.version",
        6,
        entries,
    )
    .await?;
    let mut params = Vec::with_capacity(counts.len() * 6);
    for ((campaign, board, (level, score, band)), users) in counts {
        if users != 0 {
            params.extend([
                campaign.into(),
                board.into(),
                level.into(),
                score.into(),
                band.into(),
                users.into(),
            ]);
        }
    }
    insert_rows(
        conn,
        "INTO leaderboard_counts (campaign_id, period, level, score, band, users)",
        "ON CONFLICT (campaign_id, period, level, score, band)
         DO UPDATE SET users = leaderboard_counts.users + excluded.users",
        6,
        params,
    )
    .await?;
    Ok(made)
}

impl Db {
    /// Builds every campaign's all-time board from its history (completions and
    /// adjustments), replacing what is there: for a database whose history predates its
    /// boards (the week and month boards start with the next change). Run where nothing
    /// writes meanwhile.
    pub async fn rebuild_all_time_boards(&self) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        rebuild_all_time_boards(&mut tx).await?;
        self.commit_with(tx, &[Change::Boards]).await
    }
}

/// See [`Db::rebuild_all_time_boards`]: its statements, in the caller's transaction.
async fn rebuild_all_time_boards(tx: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    for table in ["leaderboard_counts", "leaderboard_entries"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE period = $1"))
            .bind(ALL_TIME)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO leaderboard_entries (campaign_id, period, user_id, neg_points, reached_at)
         SELECT campaign_id, $1, user_id, -SUM(points), MAX(at) FROM (
             SELECT q.campaign_id, c.user_id, c.points, c.created_at AS at
             FROM task_completions c
             JOIN tasks t ON t.id = c.task_id
             JOIN quests q ON q.id = t.quest_id
             WHERE c.points <> 0
             UNION ALL
             SELECT campaign_id, user_id, applied, created_at FROM point_adjustments
             WHERE applied <> 0
         ) history
         GROUP BY campaign_id, user_id",
    )
    .bind(ALL_TIME)
    .execute(&mut *tx)
    .await?;
    for (level, kind) in LEVELS.iter().enumerate() {
        // `>>` rounds down on both backends, as on i64. A constant in GROUP BY would name
        // a column by its position (SQLite), so the score-only levels group by score alone.
        let (score, band, group) = match kind {
            Level::Score(bits) => {
                let score = format!("(-neg_points) >> {bits}");
                (score.clone(), "0".to_owned(), score)
            }
            Level::Time(bits) => {
                let band = format!("reached_at >> {bits}");
                let group = format!("-neg_points, {band}");
                ("-neg_points".to_owned(), band, group)
            }
        };
        sqlx::query(&format!(
            "INSERT INTO leaderboard_counts (campaign_id, period, level, score, band, users)
             SELECT campaign_id, period, {level}, {score}, {band}, COUNT(*)
             FROM leaderboard_entries WHERE period = $1
             GROUP BY campaign_id, period, {group}"
        ))
        .bind(ALL_TIME)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// One row of a board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    /// Its place, from 1.
    pub place: i64,
    /// The user's platform.
    pub platform: String,
    /// The user's account.
    pub account: String,
    /// The user's name, as the partner last gave it (`GET /token`).
    pub name: Option<String>,
    /// Their points on the board.
    pub points: i64,
}

/// A user's place on a board, with the rows around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardPlace {
    /// The user's own row.
    pub me: BoardRow,
    /// Up to the asked number of rows above and below, in board order, the user's own
    /// among them.
    pub around: Vec<BoardRow>,
}

/// How a campaign is named to [`Db::leaderboard_top`] and [`Db::leaderboard_place`].
#[derive(Debug, Clone, Copy)]
pub enum CampaignRef<'a> {
    /// By its id.
    Id(&'a str),
    /// By its slug in its organization: read beside the board, not before it.
    Slug {
        /// The organization's id.
        organization_id: &'a str,
        /// The campaign's slug.
        slug: &'a str,
    },
}

impl<'a> CampaignRef<'a> {
    /// The condition that entry `e` is on the campaign, its placeholders from `$first`,
    /// and the values they bind.
    fn condition(self, first: usize) -> (String, Vec<&'a str>) {
        match self {
            CampaignRef::Id(id) => (format!("e.campaign_id = ${first}"), vec![id]),
            // A scalar subquery, not a join: the index walk of the board keeps its order.
            CampaignRef::Slug {
                organization_id,
                slug,
            } => (
                format!(
                    "e.campaign_id = (SELECT id FROM campaigns
                       WHERE organization_id = ${first} AND slug = ${})",
                    first + 1
                ),
                vec![organization_id, slug],
            ),
        }
    }
}

/// A board row as read: platform, account, name, negated points.
pub(super) type NamedRow = (String, String, Option<String>, i64);

/// The columns of a [`NamedRow`] of entry `e`, with [`NAMED_JOINS`].
pub(super) const NAMED_COLUMNS: &str = "u.platform, u.account, n.name, e.neg_points";

/// An entry's user and their name.
pub(super) const NAMED_JOINS: &str = "JOIN users u ON u.id = e.user_id
     LEFT JOIN user_names n ON n.organization_id = u.organization_id
       AND n.platform = u.platform AND n.account = u.account";

pub(super) fn board_row(
    ((platform, account, name, neg_points), place): (NamedRow, i64),
) -> BoardRow {
    BoardRow {
        place,
        platform,
        account,
        name,
        points: -neg_points,
    }
}

/// A row of [`place_sql`]: a [`NamedRow`], its time and user (the rest of its order), and
/// for the user's own row how many rank above them.
type PlaceRow = (
    String,
    String,
    Option<String>,
    i64,
    i64,
    String,
    Option<i64>,
);

impl Db {
    /// The first `limit` rows of board `board` of `campaign` (none when there is no such
    /// campaign): from the remembered top while that is current (see `top_cache.rs`).
    pub async fn leaderboard_top(
        &self,
        campaign: CampaignRef<'_>,
        board: &str,
        limit: i64,
    ) -> Result<Vec<BoardRow>, sqlx::Error> {
        let wanted = usize::try_from(limit).unwrap_or(0);
        let first = |top: &Top| top.rows.iter().take(wanted).cloned().collect();
        let tops = self.remembered().map(|remembered| &remembered.tops);
        let Some(tops) = tops.filter(|_| wanted <= TOP_ROWS) else {
            return Ok(self.read_top(campaign, board, limit).await?.rows);
        };
        // The remembered tops are by campaign id.
        let Some(id) = self.campaign_id_of(campaign).await? else {
            return Ok(Vec::new());
        };
        if let Some(top) = tops.get(&id, board) {
            return Ok(first(&top));
        }
        let stamp = tops.stamp(&id, board);
        let top = self
            .read_top(CampaignRef::Id(&id), board, TOP_ROWS as i64)
            .await?;
        let top = Arc::new(top);
        tops.insert_if_unchanged(stamp, &id, board, Arc::clone(&top));
        Ok(first(&top))
    }

    /// The first `limit` rows of board `board` of `campaign`, from the database.
    async fn read_top(
        &self,
        campaign: CampaignRef<'_>,
        board: &str,
        limit: i64,
    ) -> Result<Top, sqlx::Error> {
        // The limit is written into the text, not bound: PostgreSQL plans a bound limit for
        // a tenth of the board, and so keeps planning each run anew (see `place_sql`).
        let limit = limit.max(0);
        let (on_campaign, binds) = campaign.condition(2);
        let sql = format!(
            "SELECT {NAMED_COLUMNS}, e.reached_at, e.user_id
             FROM leaderboard_entries e {NAMED_JOINS}
             WHERE e.period = $1 AND {on_campaign}
             ORDER BY e.neg_points, e.reached_at, e.user_id LIMIT {limit}"
        );
        let rows: Vec<(String, String, Option<String>, i64, i64, String)> = binds
            .into_iter()
            .fold(sqlx::query_as(&sql).bind(board), |query, value| {
                query.bind(value)
            })
            .fetch_all(self.ranking_pool())
            .await?;
        let last = rows.last().filter(|_| rows.len() as i64 == limit).map(
            |(_, _, _, neg_points, reached_at, user_id)| RankKey {
                neg_points: *neg_points,
                reached_at: *reached_at,
                user_id: user_id.clone(),
            },
        );
        let rows = rows
            .into_iter()
            .map(|(platform, account, name, neg_points, _, _)| {
                (platform, account, name, neg_points)
            })
            .zip(1..)
            .map(board_row)
            .collect();
        Ok(Top { rows, last })
    }

    /// The id of `campaign` (a remembered campaign row's, by slug); `None` when there is
    /// no such campaign.
    pub(super) async fn campaign_id_of(
        &self,
        campaign: CampaignRef<'_>,
    ) -> Result<Option<String>, sqlx::Error> {
        Ok(match campaign {
            CampaignRef::Id(id) => Some(id.to_owned()),
            CampaignRef::Slug {
                organization_id,
                slug,
            } => self
                .campaign_row(organization_id, slug)
                .await?
                .map(|row| row.id),
        })
    }

    /// `user`'s place on board `board` of `campaign`, with up to `around` (0 to 50) rows
    /// above and below; `None` when the user is not on the board. From the board held in
    /// memory when it can answer (see `ranked_places.rs`), counted in the database
    /// otherwise.
    pub async fn leaderboard_place(
        &self,
        campaign: CampaignRef<'_>,
        board: &str,
        user: &UserKey,
        around: i64,
    ) -> Result<Option<BoardPlace>, sqlx::Error> {
        let around = around.clamp(0, 50);
        let wanted = usize::try_from(around).unwrap_or(0);
        if let Some(place) = self.ranked_place(campaign, board, user, wanted).await? {
            metrics::counter!("questlet_leaderboard_places_total", "from" => "memory").increment(1);
            return Ok(place);
        }
        metrics::counter!("questlet_leaderboard_places_total", "from" => "database").increment(1);
        self.counted_place(campaign, board, user, around).await
    }

    /// [`Db::leaderboard_place`] counted in the database, by one statement (see
    /// [`place_sql`]).
    async fn counted_place(
        &self,
        campaign: CampaignRef<'_>,
        board: &str,
        user: &UserKey,
        around: i64,
    ) -> Result<Option<BoardPlace>, sqlx::Error> {
        let (sql, binds) = place_sql(campaign, around);
        let sql = planned_for(self.backend(), &sql);
        let mut rows: Vec<PlaceRow> = binds
            .into_iter()
            .fold(
                sqlx::query_as(&sql)
                    .bind(&user.organization_id)
                    .bind(&user.platform)
                    .bind(&user.account)
                    .bind(board),
                |query, value| query.bind(value),
            )
            .fetch_all(self.ranking_pool())
            .await?;
        rows.sort_by(|a, b| (a.3, a.4, &a.5).cmp(&(b.3, b.4, &b.5)));
        let Some((mine, above)) = rows
            .iter()
            .enumerate()
            .find_map(|(i, row)| row.6.map(|above| (i, above)))
        else {
            return Ok(None);
        };
        // The nearest `around` each side (each part of a side read up to that many).
        let around = usize::try_from(around).unwrap_or(0);
        let start = mine.saturating_sub(around);
        rows.truncate(mine + around + 1);
        let mine = mine - start;
        let first = above + 1 - mine as i64;
        let around: Vec<BoardRow> = rows
            .into_iter()
            .skip(start)
            .map(|(platform, account, name, neg_points, ..)| (platform, account, name, neg_points))
            .zip(first..)
            .map(board_row)
            .collect();
        Ok(Some(BoardPlace {
            me: around[mine].clone(),
            around,
        }))
    }
}

/// The statement behind [`Db::leaderboard_place`], binding the user's organization,
/// platform and account (`$1` to `$3`), the board (`$4`) and then the campaign's values
/// (the answer's second half); `around` (0 to 50) is written into the text.
///
/// Everything else comes from the user's row inside the statement, not from values bound
/// by the caller: PostgreSQL plans a statement whose bound values steer its plan (score
/// ranges, limits) anew on every run, which cost a place more than running it did; this one
/// it plans once per connection.
fn place_sql<'a>(campaign: CampaignRef<'a>, around: i64) -> (String, Vec<&'a str>) {
    let (on_campaign, binds) = campaign.condition(5);
    let mut arms = vec![format!(
        "SELECT m.platform, m.account, m.name, m.neg_points, m.reached_at, m.user_id,
                {} AS above
         FROM me m",
        above_sql()
    )];
    let around = around.clamp(0, 50);
    if around > 0 {
        // The rows next to the user's, each side in three parts that each are one walk of
        // the board's index (SQLite walks a row-value bound only by its first column when
        // the bound is read in the statement): at their score and second, at their score,
        // and at other scores. The nearest `around` of them are kept by the caller.
        let me = |column: &str| format!("(SELECT {column} FROM me)");
        let (score, second, user) = (me("neg_points"), me("reached_at"), me("user_id"));
        for (side, direction, order) in [("higher", "<", "DESC"), ("lower", ">", "ASC")] {
            let parts = [
                format!(
                    "e.neg_points = {score} AND e.reached_at = {second} \
                     AND e.user_id {direction} {user}"
                ),
                format!("e.neg_points = {score} AND e.reached_at {direction} {second}"),
                format!("e.neg_points {direction} {score}"),
            ];
            for (part, condition) in parts.iter().enumerate() {
                arms.push(format!(
                    "SELECT * FROM (
                       SELECT {NAMED_COLUMNS}, e.reached_at, e.user_id,
                              CAST(NULL AS BIGINT) AS above
                       FROM leaderboard_entries e {NAMED_JOINS}
                       WHERE e.campaign_id = {campaign} AND e.period = $4 AND {condition}
                       ORDER BY e.neg_points {order}, e.reached_at {order}, e.user_id {order}
                       LIMIT {around}
                     ) AS {side}_{part}",
                    campaign = me("campaign_id"),
                ));
            }
        }
    }
    let sql = format!(
        "WITH me AS MATERIALIZED (
           SELECT e.campaign_id, e.user_id, e.neg_points, e.reached_at, u.platform, u.account,
                  n.name
           FROM leaderboard_entries e
           JOIN users u ON u.id = e.user_id
           LEFT JOIN user_names n ON n.organization_id = u.organization_id
             AND n.platform = u.platform AND n.account = u.account
           WHERE u.organization_id = $1 AND u.platform = $2 AND u.account = $3
             AND e.period = $4 AND {on_campaign}
         )
         {}",
        arms.join(" UNION ALL ")
    );
    (sql, binds)
}

/// `sql` as `backend` plans it once per connection: on SQLite through [`planned_once`].
pub(super) fn planned_for(backend: Backend, sql: &str) -> String {
    match backend {
        Backend::Sqlite => planned_once(sql),
        Backend::Postgres => sql.to_owned(),
    }
}

/// `sql` with each bound value `$n` read through a scalar subquery, `(SELECT $n)`, for
/// SQLite: its planner (built with `SQLITE_ENABLE_STAT4`, as libsqlite3-sys builds it)
/// compiles a statement anew at each run when a value bound to it is compared with an
/// indexed column whose statistics hold samples (after `ANALYZE`), since the value might
/// change the plan. Compiling the place statement cost ten times what running it did (1.0
/// against 0.1 ms at 1,000,000 users); a subquery's value never steers the plan, and the
/// indexes are used just the same.
fn planned_once(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let digits = rest[at + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - at - 1);
        if digits == 0 {
            out.push('$');
        } else {
            out.push_str("(SELECT ");
            out.push_str(&rest[at..at + 1 + digits]);
            out.push(')');
        }
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
    out
}

/// How many users rank above the user's row `m` on board `$4`: at each score level, the
/// higher bands inside the user's band of the level above; then, at the user's score, at
/// each time level the earlier bands inside theirs of the level above; then the index
/// counts the earlier rows of their own finest time band (their second).
fn above_sql() -> String {
    let (p, t) = ("(-m.neg_points)", "m.reached_at");
    let score_bits = levels_by(Level::score_bits);
    let time_bits = levels_by(Level::time_bits);
    let mut terms = Vec::new();
    for (i, &(level, bits)) in score_bits.iter().enumerate() {
        let mut condition = format!("k.score > ({p} >> {bits})");
        if let Some(&(_, coarser)) = score_bits.get(i + 1) {
            condition += &format!(
                " AND k.score < ((({p} >> {coarser}) + 1) << {})",
                coarser - bits
            );
        }
        terms.push((level, condition));
    }
    for (i, &(level, bits)) in time_bits.iter().enumerate() {
        let mut condition = format!("k.score = {p} AND k.band < ({t} >> {bits})");
        if let Some(&(_, coarser)) = time_bits.get(i + 1) {
            condition += &format!(" AND k.band >= (({t} >> {coarser}) << {})", coarser - bits);
        }
        terms.push((level, condition));
    }
    let finest = time_bits.first().map_or(0, |&(_, bits)| bits);
    let mut sum: Vec<String> = terms
        .into_iter()
        .map(|(level, condition)| {
            format!(
                "COALESCE((SELECT SUM(k.users) FROM leaderboard_counts k
                   WHERE k.campaign_id = m.campaign_id AND k.period = $4 AND k.level = {level}
                     AND {condition}), 0)"
            )
        })
        .collect();
    // The rows of the user's finest time band before theirs: at one second, those of
    // smaller user ids (an equality and a bound, one walk of the index on both backends).
    let earlier = match finest {
        0 => "x.reached_at = m.reached_at AND x.user_id < m.user_id".to_owned(),
        _ => format!(
            "x.reached_at >= (({t} >> {finest}) << {finest})
             AND (x.reached_at, x.user_id) < (m.reached_at, m.user_id)"
        ),
    };
    sum.push(format!(
        "(SELECT COUNT(*) FROM leaderboard_entries x
           WHERE x.campaign_id = m.campaign_id AND x.period = $4
             AND x.neg_points = m.neg_points AND {earlier})"
    ));
    format!("CAST({} AS BIGINT)", sum.join(" + "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_once_reads_every_bound_value_through_a_subquery() {
        assert_eq!(
            planned_once("a = $1 AND b IN ($12, $3) AND c = '$' || $"),
            "a = (SELECT $1) AND b IN ((SELECT $12), (SELECT $3)) AND c = '$' || $"
        );
        let (sql, _) = place_sql(
            CampaignRef::Slug {
                organization_id: "o",
                slug: "s",
            },
            2,
        );
        let planned = planned_once(&sql);
        for n in 1..=6 {
            let bare = format!("${n}");
            let wrapped = format!("(SELECT ${n})");
            assert_eq!(
                planned.matches(&bare).count(),
                planned.matches(&wrapped).count(),
                "${n}"
            );
            assert!(planned.contains(&wrapped), "${n}");
        }
    }

    #[test]
    fn a_boards_reach_is_the_highest_place_any_move_came_from_or_went_to() {
        let key = |points: i64, user: &str| RankKey {
            neg_points: -points,
            reached_at: 0,
            user_id: user.into(),
        };
        let moved = |board: &str, from: Option<RankKey>, to: RankKey| BoardMove {
            campaign_id: "c".into(),
            board: board.into(),
            from,
            to,
            version: 1,
        };
        let mut reached = reaches(&[
            moved("all", Some(key(40, "a")), key(30, "a")),
            moved("all", None, key(35, "b")),
            moved("week", Some(key(2, "a")), key(9, "a")),
        ]);
        reached.sort_by(|x, y| x.board.cmp(&y.board));
        let highest: Vec<(&str, RankKey)> = reached
            .iter()
            .map(|reach| (reach.board.as_str(), reach.key.clone()))
            .collect();
        assert_eq!(highest, [("all", key(40, "a")), ("week", key(9, "a"))]);
    }

    #[test]
    fn counters_band_negative_scores_downwards() {
        let c = counters(Standing {
            points: -1,
            reached_at: 5,
        });
        assert_eq!(c[0], (0, -1, 0));
        assert_eq!(c[1], (1, -1, 0));
        assert_eq!(c[2], (2, -1, 0));
        assert_eq!(c[3], (3, -1, 0));
        assert_eq!(c[4], (4, -1, 0));
        let c = counters(Standing {
            points: 1 << 14,
            reached_at: 1 << 21,
        });
        assert_eq!(c[1], (1, 1 << 7, 0));
        assert_eq!(c[2], (2, 1, 0));
        assert_eq!(c[3], (3, 0, 0));
        assert_eq!(c[4], (4, 1 << 14, 1 << 14));
        assert_eq!(c[5], (5, 1 << 14, 1 << 7));
        assert_eq!(c[6], (6, 1 << 14, 1));
        assert_eq!(c[7], (7, 1 << 14, 1 << 21));
    }
}
