//! How a server process knows that campaign content (and users' progress, see
//! `progress_cache.rs`) is unchanged without asking the database, where it makes every
//! write (SQLite). What it remembers on either backend is in `remembered.rs`.
//!
//! Every content write commits through [`Db::commit_content`], which raises a generation
//! counter *after* the commit. A cache that remembers the generation it last saw its entry
//! current at may trust the entry while the generation stays the same: any write committed
//! since would have raised it. The counter is local to a process, so it is only trusted
//! where this process sees every content write:
//!
//! - SQLite: one server process owns the database file ([`Db::lock_for_server`] makes a
//!   second one refuse to start), and every [`Db`] handle this process opens on one file
//!   shares one counter. Content is written only through the server's API.
//! - PostgreSQL: several processes write, so there is no local generation
//!   ([`Db::content_generation`] is `None`) and caches ask for the campaign's version on
//!   every call (one light query), which every process shares.
//!
//! [`Db`]: super::Db
//! [`Db::commit_content`]: super::Db::commit_content
//! [`Db::lock_for_server`]: super::Db::lock_for_server
//! [`Db::content_generation`]: super::Db::content_generation

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::progress_cache::ProgressCache;
use super::remembered::Remembered;
use super::DbError;

/// What this process knows of its own writes to one database, where they are all of them.
#[derive(Debug)]
pub(crate) struct LocalWrites {
    /// A count of the content writes committed.
    content: AtomicU64,
    /// Users' progress, forgotten by each attempt commit.
    pub(crate) progress: ProgressCache,
    /// What every handle on the file remembers (trusted from the start: every change is
    /// this process's).
    pub(crate) remembered: Arc<Remembered>,
    /// One permit: the turn to write, taken by [`Db::begin_write`] before a connection.
    ///
    /// [`Db::begin_write`]: super::Db::begin_write
    write_turn: Arc<Semaphore>,
}

impl Default for LocalWrites {
    fn default() -> Self {
        Self {
            content: AtomicU64::default(),
            progress: ProgressCache::default(),
            remembered: Arc::new(Remembered::new(true)),
            write_turn: Arc::new(Semaphore::new(1)),
        }
    }
}

impl LocalWrites {
    /// The record of the SQLite file at `path`, shared by every handle this process has
    /// open on it (so two handles on one file never trust a stale cache).
    pub(crate) fn for_sqlite_file(path: &Path) -> Arc<Self> {
        static OPEN: Mutex<Vec<(PathBuf, Weak<LocalWrites>)>> = Mutex::new(Vec::new());
        let key = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
        open.retain(|(_, generation)| generation.strong_count() > 0);
        if let Some(shared) = open
            .iter()
            .find(|(path, _)| *path == key)
            .and_then(|(_, generation)| generation.upgrade())
        {
            return shared;
        }
        let generation = Arc::new(Self::default());
        open.push((key, Arc::downgrade(&generation)));
        generation
    }

    /// Waits for this process's turn to write to the file (one writer at a time).
    pub(crate) async fn write_turn(&self) -> OwnedSemaphorePermit {
        Arc::clone(&self.write_turn)
            .acquire_owned()
            .await
            .expect("the write turn's semaphore is never closed")
    }

    /// The current content generation.
    pub(crate) fn content_generation(&self) -> u64 {
        // Acquire pairs with the Release in `content_committed`: whoever reads the new value
        // also sees that the write it counts has committed.
        self.content.load(Ordering::Acquire)
    }

    /// Counts a committed content write.
    pub(crate) fn content_committed(&self) {
        self.content.fetch_add(1, Ordering::Release);
    }
}

/// Proof that this process is the one server on a SQLite database: an exclusive lock on
/// `<database file>.serve-lock`, held until dropped (the OS drops it if the process dies,
/// even by `kill -9`). PostgreSQL needs none and gets an empty one.
#[derive(Debug)]
pub struct ServerLock {
    _file: Option<File>,
}

impl ServerLock {
    /// No lock (PostgreSQL: any number of processes may serve one database).
    pub(crate) fn none() -> Self {
        Self { _file: None }
    }

    /// Takes the lock of the SQLite file at `database`, or says who holds it.
    pub(crate) fn sqlite(database: &Path) -> Result<Self, DbError> {
        let mut name = database.as_os_str().to_owned();
        name.push(".serve-lock");
        let path = PathBuf::from(name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| DbError::Lock(path.clone(), e.to_string()))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: Some(file) }),
            Err(TryLockError::WouldBlock) => Err(DbError::InUse(path)),
            Err(TryLockError::Error(e)) => Err(DbError::Lock(path, e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_on_one_file_share_a_generation() {
        let dir = std::env::temp_dir().join(format!("questlet-gen-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let (one, other) = (dir.join("one.db"), dir.join("other.db"));
        let first = LocalWrites::for_sqlite_file(&one);
        let second = LocalWrites::for_sqlite_file(&one);
        let unrelated = LocalWrites::for_sqlite_file(&other);
        first.content_committed();
        assert_eq!(second.content_generation(), 1);
        assert_eq!(unrelated.content_generation(), 0);
    }

    #[test]
    fn a_second_server_lock_on_one_file_is_refused_until_the_first_is_dropped() {
        let dir = std::env::temp_dir().join(format!("questlet-lock-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let database = dir.join("q.db");
        let first = ServerLock::sqlite(&database).unwrap();
        assert!(matches!(
            ServerLock::sqlite(&database),
            Err(DbError::InUse(_))
        ));
        drop(first);
        ServerLock::sqlite(&database).unwrap();
    }
}
