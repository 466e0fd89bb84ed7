//! What a server process remembers of the database between requests (credentials,
//! campaign rows, boards' tops, whole boards in order), and the committed [`Change`]s that
//! drop or move it.
//!
//! A remembered row is trusted only while this process hears of every change that could
//! make it stale:
//!
//! - SQLite: this process makes every write (see `changes.rs`), and each commit that may
//!   change remembered rows drops them after it commits ([`Db::commit_with`]).
//! - PostgreSQL: other processes write too. Each such commit also announces its changes
//!   on a channel inside its transaction, and every process listens (see `notices.rs`).
//!   PostgreSQL delivers a notification only once its transaction has committed, so a
//!   reader that stamped its map before the notification arrived cannot store what it read
//!   (the stamp protocol of `stamped_map.rs` and `top_cache.rs`), and one that stamped
//!   after it reads the change. While the listener is not listening (at start, after its
//!   connection was lost) nothing is trusted ([`Remembered::hears`]), and everything is
//!   dropped when it listens again. Another process's change is seen here once its
//!   notification arrives (a millisecond or so); this process's own, at once.
//!
//! [`Db::commit_with`]: super::Db::commit_with

use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use super::campaigns::CampaignRow;
use super::credentials::{ApiTokenRow, OAuthClientRow};
use super::leaderboard::{reaches, BoardMove};
use super::progress::UserKey;
use super::ranked_boards::RankedBoards;
use super::stamped_map::StampedMap;
use super::top_cache::TopCache;

/// A committed change that may make remembered rows stale. Announced between processes as
/// JSON, so a process that cannot read one (a newer server's) drops everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Change {
    /// Users moved on boards.
    Moved {
        /// One per user and board.
        moves: Vec<BoardMove>,
    },
    /// A user's name changed (boards' tops show names).
    Renamed {
        /// The user's platform.
        platform: String,
        /// The user's account.
        account: String,
    },
    /// An API token was revoked.
    TokenRevoked {
        /// The token's id.
        id: String,
    },
    /// An OAuth2 client was revoked.
    ClientRevoked {
        /// The client's id.
        client_id: String,
    },
    /// Campaign content changed (any campaign's row may have).
    Content,
    /// Boards were rebuilt: any top may have changed.
    Boards,
    /// Nothing changed: a listener's probe of its own connection (see `notices.rs`).
    Probe,
}

/// See the module docs.
#[derive(Debug)]
pub(crate) struct Remembered {
    /// Who this record is (random), so that its own announcements, heard back, are not
    /// applied twice.
    pub(crate) origin: u64,
    /// Boards' tops.
    pub(crate) tops: TopCache,
    /// Boards held whole, in order, for users' places.
    pub(crate) ranked: RankedBoards,
    /// Unrevoked API tokens by id.
    pub(crate) api_tokens: StampedMap<String, ApiTokenRow>,
    /// Unrevoked OAuth2 clients by client id.
    pub(crate) oauth_clients: StampedMap<String, OAuthClientRow>,
    /// Campaign rows by (organization id, slug).
    pub(crate) campaign_rows: StampedMap<(String, String), CampaignRow>,
    /// Users' ids (a user's id never changes), for their places on the boards held.
    pub(crate) user_ids: StampedMap<UserKey, String>,
    /// Whether every change is heard now (always on SQLite; on PostgreSQL while the
    /// listener listens).
    hearing: AtomicBool,
}

impl Remembered {
    /// An empty record: trusted from the start where this process makes every write
    /// (SQLite), or from when [`Remembered::set_hearing`] says changes are heard.
    pub(crate) fn new(hearing: bool) -> Self {
        Self {
            origin: rand::random(),
            tops: TopCache::default(),
            ranked: RankedBoards::default(),
            api_tokens: StampedMap::default(),
            oauth_clients: StampedMap::default(),
            campaign_rows: StampedMap::default(),
            user_ids: StampedMap::default(),
            hearing: AtomicBool::new(hearing),
        }
    }

    /// Whether what is remembered may be trusted now.
    pub(crate) fn hears(&self) -> bool {
        self.hearing.load(Ordering::Acquire)
    }

    /// Starts or stops trusting what is remembered, dropping it all either way: what was
    /// stored while changes went unheard may be stale, and so may what is stored while
    /// this switches on. Dropping first when stopping and last when starting leaves no
    /// moment where a stale entry is trusted.
    pub(crate) fn set_hearing(&self, hearing: bool) {
        if hearing {
            self.forget_everything();
            self.hearing.store(true, Ordering::Release);
        } else {
            self.hearing.store(false, Ordering::Release);
            self.forget_everything();
        }
    }

    /// Applies `change` (call it after it committed): drops what it may have made stale,
    /// and moves the rows it moved on the boards held.
    pub(crate) fn apply(&self, change: &Change) {
        match change {
            Change::Moved { moves } => {
                self.tops.moved(&reaches(moves));
                self.ranked.moved(moves);
            }
            Change::Renamed { platform, account } => self.tops.forget_user(platform, account),
            Change::TokenRevoked { id } => self.api_tokens.forget([id.clone()]),
            Change::ClientRevoked { client_id } => self.oauth_clients.forget([client_id.clone()]),
            Change::Content => self.campaign_rows.forget_all(),
            Change::Boards => {
                self.tops.forget_all();
                self.ranked.forget_all();
            }
            Change::Probe => {}
        }
    }

    /// Drops everything (after changes that went unheard).
    pub(crate) fn forget_everything(&self) {
        self.tops.forget_all();
        self.ranked.forget_all();
        self.api_tokens.forget_all();
        self.oauth_clients.forget_all();
        self.campaign_rows.forget_all();
        self.user_ids.forget_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_read_back_as_written() {
        let change = Change::Renamed {
            platform: "web".into(),
            account: "alice".into(),
        };
        let json = serde_json::to_string(&change).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"renamed","platform":"web","account":"alice"}"#
        );
        assert_eq!(serde_json::from_str::<Change>(&json).unwrap(), change);
    }

    #[test]
    fn nothing_is_trusted_until_hearing_and_a_restart_drops_what_was_stored() {
        let remembered = Remembered::new(false);
        assert!(!remembered.hears());
        let tokens = &remembered.api_tokens;
        let stamp = tokens.stamp();
        remembered.set_hearing(true);
        assert!(remembered.hears());
        // A read stamped before hearing started may have missed a change: not stored.
        tokens.insert_if_unchanged(stamp, "t".into(), token());
        assert!(tokens.get(&"t".into()).is_none());
        tokens.insert_if_unchanged(tokens.stamp(), "t".into(), token());
        assert!(tokens.get(&"t".into()).is_some());
        remembered.set_hearing(false);
        assert!(!remembered.hears());
        assert!(tokens.get(&"t".into()).is_none());
    }

    #[test]
    fn a_revocation_drops_only_its_token() {
        let remembered = Remembered::new(true);
        let tokens = &remembered.api_tokens;
        for id in ["a", "b"] {
            tokens.insert_if_unchanged(tokens.stamp(), id.into(), token());
        }
        remembered.apply(&Change::TokenRevoked { id: "a".into() });
        assert!(tokens.get(&"a".into()).is_none());
        assert!(tokens.get(&"b".into()).is_some());
    }

    fn token() -> ApiTokenRow {
        ApiTokenRow {
            id: "t".into(),
            organization_id: "o".into(),
            label: "l".into(),
            secret_hash: "h".into(),
            created_at: 0,
            last_used_at: None,
            revoked_at: None,
        }
    }
}
