//! Storage: the one seam between the handlers and the database.
//!
//! Architecture invariant: only this module writes SQL, and nothing outside it names a
//! backend. The backend is chosen from the URL scheme (`sqlite:` or `postgres:`); both run
//! the same queries through sqlx's `Any` driver, so the SQL here is the portable subset
//! (`$n` placeholders, TEXT ids, BIGINT times and flags). Each backend has its own
//! migrations folder (`migrations/sqlite`, `migrations/postgres`).
//!
//! Transactions begin here too, since that is where the backends differ: every
//! multi-statement write starts with [`Db::begin_write`], every multi-statement read with
//! [`Db::begin_read`]. Content writes end with [`Db::commit_content`], so caches learn of
//! them (see `changes.rs`).

pub mod campaigns;
mod changes;
pub mod credentials;
mod decode;
mod group_commit;
pub mod identities;
pub mod invite_codes;
pub mod leaderboard;
pub mod members;
mod notices;
pub mod organizations;
pub mod participants;
pub mod points;
pub mod progress;
mod progress_cache;
mod quest_opens;
mod ranked_boards;
mod ranked_places;
mod referrals;
mod remembered;
pub mod results;
pub mod rewards;
mod shared_reads;
pub mod signing_keys;
mod stamped_map;
pub mod submissions;
pub mod telegram;
mod top_cache;
pub mod wallet_nonces;
pub mod webhooks;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, Executor};

use self::campaigns::CampaignVersion;
use self::changes::LocalWrites;
pub use self::changes::ServerLock;
use self::group_commit::AttemptWriter;
pub use self::group_commit::StoreError;
use self::progress_cache::Completions;
use self::remembered::{Change, Remembered};
pub use self::shared_reads::SharedReadError;
use self::shared_reads::SharedReads;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// What every SQLite connection is set to, the pool's and the attempt writer's alike:
/// - WAL lets readers run beside the one writer;
/// - the busy timeout makes concurrent writers wait instead of failing;
/// - FULL syncs the log at every commit, so a committed write survives power loss, not only
///   a crash of this process (NORMAL would lose the last commits). Attempts share commits
///   (`db/group_commit/`), so the sync is paid once per batch.
pub(crate) const SQLITE_SETTINGS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
];

/// A transaction on one connection taken from the pool; rolled back if dropped uncommitted.
/// Statements run on `&mut *tx`, as on sqlx's own transaction.
pub(crate) struct Tx {
    inner: sqlx::Transaction<'static, sqlx::Any>,
    /// This process's turn to write (SQLite, see [`Db::begin_write`]), held to the end.
    _turn: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Tx {
    /// Commits the transaction.
    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        self.inner.commit().await
    }

    /// Rolls the transaction back.
    pub(crate) async fn rollback(self) -> Result<(), sqlx::Error> {
        self.inner.rollback().await
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.inner
    }
}

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server (scale-out).
    Postgres,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL names no supported backend.
    #[error(
        "unsupported database URL {0:?}: use sqlite://<file> (not in memory) or postgres://..."
    )]
    UnsupportedUrl(String),
    /// Connecting failed.
    #[error("cannot connect: {0}")]
    Connect(#[source] sqlx::Error),
    /// A migration failed.
    #[error("cannot migrate: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Another server process serves this SQLite database.
    #[error(
        "another questlet-server is serving this SQLite database (it holds {0:?}); \
         SQLite is for one server process: use PostgreSQL to run several"
    )]
    InUse(PathBuf),
    /// The server lock file could not be taken.
    #[error("cannot lock {0:?}: {1}")]
    Lock(PathBuf, String),
}

/// A handle on the database: cheap to clone, shared by every request.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// The leaderboard's reads' own pool (see [`ranking_pool`]); on SQLite, `pool` again.
    ranking: AnyPool,
    backend: Backend,
    /// The SQLite file (`None` on PostgreSQL).
    sqlite_file: Option<PathBuf>,
    /// This process's own writes, where it sees them all (SQLite).
    local: Option<Arc<LocalWrites>>,
    /// What this handle remembers between requests (see `remembered.rs`).
    remembered: Arc<Remembered>,
    /// The group-commit writer of task attempts.
    attempts: AttemptWriter,
    /// The widget call's reads, shared by concurrent calls.
    shared: Arc<SharedQueries>,
    /// When this process last recorded each API token's use (see
    /// `credentials::touch_api_token`).
    touched_tokens: Arc<std::sync::Mutex<std::collections::HashMap<String, i64>>>,
    /// Wakes this process's webhook worker (see `webhooks.rs`).
    outbox: Arc<tokio::sync::Notify>,
}

/// The reads every widget call may make, each shared by the concurrent calls that make it
/// (see `shared_reads.rs`).
#[derive(Debug)]
struct SharedQueries {
    /// Campaign versions, by (organization slug, campaign slug).
    versions: SharedReads<(String, String), (), CampaignVersion>,
    /// Users' completions, by (organization id, campaign id), each user asked by
    /// (platform, account).
    completions: SharedReads<(String, String), (String, String), Arc<Completions>>,
}

impl SharedQueries {
    fn new(pool: &AnyPool) -> Self {
        let versions_pool = pool.clone();
        let completions_pool = pool.clone();
        Self {
            versions: SharedReads::new(Arc::new(move |key, _questions| {
                let pool = versions_pool.clone();
                Box::pin(async move {
                    let version = campaigns::read_campaign_version(pool, key).await?;
                    Ok(version.map(|v| ((), v)).into_iter().collect())
                })
            })),
            completions: SharedReads::new(Arc::new(move |key, users| {
                Box::pin(progress::read_completions(
                    completions_pool.clone(),
                    key,
                    users,
                ))
            })),
        }
    }
}

/// `($n, ...), ($n+c, ...)`: `rows` groups of `columns` numbered placeholders, from
/// `$first`, for multi-row `VALUES` lists.
pub(crate) fn value_rows(first: usize, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let cells: Vec<String> = (0..columns)
                .map(|column| format!("${}", first + row * columns + column))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The PostgreSQL pool of the leaderboard's reads (a board's top, a user's place): a few
/// connections of their own, each planning a statement once (`plan_cache_mode =
/// force_generic_plan`) and keeping it.
///
/// Why: planning the place statement (a dozen index reads in one statement) takes 2 to 5
/// ms, two to three times running it. On the shared pool PostgreSQL planned it anew for the
/// first five runs on each connection, then kept planning it whenever its estimate of the
/// generic plan came out dearer than the custom ones, and the batch inserts of the attempt
/// writer (a new statement for each length of their `VALUES` list) pushed it out of sqlx's
/// statement cache, so it was prepared and planned again: planning was the whole p99 tail
/// at 1,000,000 users. Every value these statements bind is an equality on a key, so the
/// generic plan is the custom one. Forcing generic plans on the shared pool instead slowed
/// the writes (their plans do depend on the values). Opened lazily: a server that never
/// reads a board opens none.
fn ranking_pool(pool_options: AnyPoolOptions, options: AnyConnectOptions) -> AnyPool {
    pool_options
        .max_connections(4)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("SET plan_cache_mode = force_generic_plan")
                    .await?;
                Ok(())
            })
        })
        .connect_lazy_with(options)
}

impl Db {
    /// Opens (creating a SQLite file if needed) and migrates the database at `url`.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalize_url(url)?;
        let options = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?;
        let pool_options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let (ranking_pool_options, ranking_options) = (pool_options.clone(), options.clone());
        let pool = match backend {
            Backend::Sqlite => {
                pool_options
                    .max_connections(8)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            for setting in SQLITE_SETTINGS {
                                conn.execute(*setting).await?;
                            }
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await
            }
            Backend::Postgres => pool_options.max_connections(16).connect_with(options).await,
        }
        .map_err(DbError::Connect)?;
        let ranking = match backend {
            Backend::Sqlite => pool.clone(),
            Backend::Postgres => ranking_pool(ranking_pool_options, ranking_options),
        };
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        let sqlite_file = match backend {
            Backend::Sqlite => Some(
                SqliteConnectOptions::from_str(&url)
                    .map_err(DbError::Connect)?
                    .get_filename()
                    .to_owned(),
            ),
            Backend::Postgres => None,
        };
        let local = sqlite_file.as_deref().map(LocalWrites::for_sqlite_file);
        let remembered = match &local {
            Some(local) => Arc::clone(&local.remembered),
            None => {
                let remembered = Arc::new(Remembered::new(false));
                notices::listen(&url, &remembered)
                    .await
                    .map_err(DbError::Connect)?;
                remembered
            }
        };
        let outbox = Arc::new(tokio::sync::Notify::new());
        let db = Self {
            attempts: AttemptWriter::start(
                pool.clone(),
                sqlite_file.clone(),
                local.clone(),
                Arc::clone(&remembered),
                outbox.clone(),
            ),
            outbox,
            shared: Arc::new(SharedQueries::new(&pool)),
            touched_tokens: Arc::default(),
            pool,
            ranking,
            backend,
            sqlite_file,
            local,
            remembered,
        };
        // Users made before referral codes existed get theirs (a no-op after the first run).
        db.backfill_referral_codes()
            .await
            .map_err(DbError::Connect)?;
        // Boards for a history older than them (a no-op once any board has a row).
        let boards: Option<i64> = sqlx::query_scalar("SELECT 1 FROM leaderboard_entries LIMIT 1")
            .fetch_optional(&db.pool)
            .await
            .map_err(DbError::Connect)?;
        let history: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM task_completions UNION ALL SELECT 1 FROM point_adjustments LIMIT 1",
        )
        .fetch_optional(&db.pool)
        .await
        .map_err(DbError::Connect)?;
        if boards.is_none() && history.is_some() {
            db.rebuild_all_time_boards()
                .await
                .map_err(DbError::Connect)?;
        }
        Ok(db)
    }

    /// Makes this process the one server of a SQLite database (a second `serve` on the same
    /// file is refused while the returned lock lives); nothing to do on PostgreSQL.
    pub fn lock_for_server(&self) -> Result<ServerLock, DbError> {
        match &self.sqlite_file {
            Some(file) => ServerLock::sqlite(file),
            None => Ok(ServerLock::none()),
        }
    }

    /// How many content writes this process has committed, where that is all of them
    /// (SQLite); `None` where other processes write too (PostgreSQL). A cache entry seen
    /// current at generation `g` is still current while this answers `Some(g)`.
    pub fn content_generation(&self) -> Option<u64> {
        self.local.as_ref().map(|local| local.content_generation())
    }

    /// Commits a transaction that changed campaign content, then counts it (after the
    /// commit, so whoever sees the new generation also sees the write).
    pub(crate) async fn commit_content(&self, tx: Tx) -> Result<(), sqlx::Error> {
        self.commit_with(tx, &[Change::Content]).await?;
        if let Some(local) = &self.local {
            local.content_committed();
        }
        Ok(())
    }

    /// Commits a transaction that made `changes`: announces them to the other processes
    /// inside it (PostgreSQL), and applies them here once it has committed (see
    /// `remembered.rs`).
    pub(crate) async fn commit_with(
        &self,
        mut tx: Tx,
        changes: &[Change],
    ) -> Result<(), sqlx::Error> {
        self.announce(&mut tx, changes).await?;
        let committed = tx.commit().await;
        // A commit that failed may still have committed (the connection dropped after it),
        // or not: what it changed is dropped, and moves it may not have made are not made
        // on the boards held (they are dropped instead).
        for change in changes {
            match (&committed, change) {
                (Err(_), Change::Moved { .. }) => self.remembered.apply(&Change::Boards),
                _ => self.remembered.apply(change),
            }
        }
        committed
    }

    /// Announces `changes` inside the transaction on `conn` (PostgreSQL; on SQLite this
    /// process hears its own changes and nobody else writes).
    async fn announce(
        &self,
        conn: &mut sqlx::AnyConnection,
        changes: &[Change],
    ) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            for change in changes {
                notices::announce(conn, self.remembered.origin, change).await?;
            }
        }
        Ok(())
    }

    /// What this handle remembers, while it may be trusted (see `remembered.rs`).
    pub(crate) fn remembered(&self) -> Option<&Remembered> {
        Some(&*self.remembered).filter(|remembered| remembered.hears())
    }

    /// The backend in use (for `/readyz` and logs; queries never branch on it, only the
    /// way a transaction begins and whether a commit announces its changes do).
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for this module's query functions.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool the leaderboard's reads run on (see [`ranking_pool`]).
    pub(crate) fn ranking_pool(&self) -> &AnyPool {
        &self.ranking
    }

    /// Begins a transaction that will write.
    ///
    /// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at once, so concurrent
    /// writers queue on the busy timeout. A deferred `BEGIN` would take it only at the first
    /// write, and a transaction that has read by then cannot wait for it (SQLite answers
    /// SQLITE_BUSY at once, "database is locked", since waiting could deadlock). On
    /// PostgreSQL a plain `BEGIN`: the row locks the statements take serialise writers.
    ///
    /// On SQLite a writer first waits for this process's turn to write, and only then takes
    /// a connection: so at most one of the pool's connections waits on the file's write
    /// lock, and reads keep the others (32 webhook tries each holding a connection while
    /// they waited for the lock once starved reads past the acquire timeout).
    pub(crate) async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let turn = match &self.local {
                    Some(local) => Some(local.write_turn().await),
                    None => None,
                };
                let inner = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(Tx { inner, _turn: turn })
            }
            Backend::Postgres => Ok(Tx {
                inner: self.pool.begin().await?,
                _turn: None,
            }),
        }
    }

    /// Begins a transaction whose reads all see one snapshot, so rows read by several
    /// queries belong together (a campaign's groups, quests and tasks).
    ///
    /// On SQLite (WAL) a deferred `BEGIN` already does this: the first read fixes the
    /// snapshot and takes no write lock. PostgreSQL's default READ COMMITTED gives each
    /// statement its own snapshot, so it asks for REPEATABLE READ; READ ONLY since nothing
    /// here writes.
    pub(crate) async fn begin_read(&self) -> Result<Tx, sqlx::Error> {
        let inner = match self.backend {
            Backend::Sqlite => self.pool.begin().await?,
            Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
        };
        Ok(Tx { inner, _turn: None })
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// Picks the backend from the URL scheme and makes SQLite create its file when missing.
fn normalize_url(url: &str) -> Result<(Backend, String), DbError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_owned()));
    }
    if url.starts_with("sqlite:") {
        // Each connection to an in-memory database gets its own: the pool and the attempt
        // writer would never see each other's rows.
        if url.contains(":memory:") || url.contains("mode=memory") {
            return Err(DbError::UnsupportedUrl(url.to_owned()));
        }
        let url = if url.contains("mode=") {
            url.to_owned()
        } else if url.contains('?') {
            format!("{url}&mode=rwc")
        } else {
            format!("{url}?mode=rwc")
        };
        return Ok((Backend::Sqlite, url));
    }
    Err(DbError::UnsupportedUrl(url.to_owned()))
}

/// A fresh identifier for a new row: a UUIDv7 (RFC 9562), time-ordered with 74 random
/// bits. Time order keeps the inserts of new rows at the right edge of every B-tree keyed
/// by an id (users, attempts, and the completions keyed by user), on both backends, so a
/// batch of new rows dirties a few shared pages instead of a random page each.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_rows_number_placeholders_row_by_row() {
        assert_eq!(value_rows(1, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(value_rows(1, 1, 1), "($1)");
        assert_eq!(value_rows(3, 2, 2), "($3, $4), ($5, $6)");
    }

    #[test]
    fn sqlite_urls_create_the_file() {
        let (backend, url) = normalize_url("sqlite://q.db").unwrap();
        assert_eq!(backend, Backend::Sqlite);
        assert_eq!(url, "sqlite://q.db?mode=rwc");
        assert_eq!(
            normalize_url("sqlite://q.db?mode=ro").unwrap().1,
            "sqlite://q.db?mode=ro"
        );
    }

    #[test]
    fn postgres_urls_pass_through_and_others_are_rejected() {
        assert_eq!(
            normalize_url("postgres://u@h/d").unwrap().0,
            Backend::Postgres
        );
        assert!(matches!(
            normalize_url("mysql://x"),
            Err(DbError::UnsupportedUrl(_))
        ));
        assert!(matches!(
            normalize_url("sqlite::memory:"),
            Err(DbError::UnsupportedUrl(_))
        ));
    }
}
