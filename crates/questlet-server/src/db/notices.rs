//! How the server processes on one PostgreSQL database tell each other of the changes
//! that drop remembered rows (see `remembered.rs`): `NOTIFY` inside the writing
//! transaction, `LISTEN` on a connection of each process's own.
//!
//! A notification is sent only if its transaction commits, and delivered only after the
//! commit, which is what lets a process trust what it remembers between them. A listener
//! that loses its connection, or whose connection stops answering (it probes it after
//! [`QUIET`] without a notification), stops trusting anything until it listens again.

use std::sync::{Arc, Weak};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;

use super::remembered::{Change, Remembered};

/// The channel every process announces on and listens to.
const CHANNEL: &str = "questlet_changes";

/// Moves in one notification: a move is under 350 bytes of JSON, so a notice stays under
/// PostgreSQL's 8,000-byte payload limit.
const MOVES_PER_NOTICE: usize = 20;

/// How long a listener waits without a notification before it probes its connection (a
/// notification to itself), and then for the probe to arrive.
const QUIET: Duration = Duration::from_secs(5);

/// How long a listener that lost its connection waits between tries to listen again.
const RETRY: Duration = Duration::from_secs(1);

/// A change as announced: by whom, and what.
#[derive(Debug, Serialize, Deserialize)]
struct Notice {
    /// The announcing [`Remembered`]'s origin.
    origin: u64,
    change: Change,
}

/// Announces `change` on `conn`, inside its transaction: the listeners hear of it once the
/// transaction commits (and never if it rolls back).
pub(crate) async fn announce(
    conn: &mut sqlx::AnyConnection,
    origin: u64,
    change: &Change,
) -> Result<(), sqlx::Error> {
    for payload in payloads(origin, change) {
        // `pg_notify` answers `void`, a type sqlx's `Any` driver cannot read.
        sqlx::query("SELECT 1 FROM (SELECT pg_notify($1, $2)) AS sent")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The notifications that announce `change` (many moves take several; none, none).
fn payloads(origin: u64, change: &Change) -> Vec<String> {
    let parts = match change {
        Change::Moved { moves } => moves
            .chunks(MOVES_PER_NOTICE)
            .map(|moves| Change::Moved {
                moves: moves.to_vec(),
            })
            .collect(),
        other => vec![other.clone()],
    };
    parts
        .into_iter()
        .map(|change| {
            serde_json::to_string(&Notice { origin, change }).expect("a notice is plain JSON")
        })
        .collect()
}

/// Listens to the database at `url` for the changes other processes announce, and applies
/// them to `remembered`; answers once listening (and `remembered` trusted), and keeps
/// listening until `remembered` is dropped.
pub(crate) async fn listen(url: &str, remembered: &Arc<Remembered>) -> Result<(), sqlx::Error> {
    let listener = connect(url).await?;
    remembered.set_hearing(true);
    tokio::spawn(keep_listening(
        url.to_owned(),
        listener,
        Arc::downgrade(remembered),
    ));
    Ok(())
}

async fn connect(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    // A lost connection is replaced here, after `remembered` stops trusting.
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

async fn keep_listening(url: String, mut listener: PgListener, remembered: Weak<Remembered>) {
    loop {
        let Some(lost) = hear(&mut listener, &remembered).await else {
            return;
        };
        let Some(record) = remembered.upgrade() else {
            return;
        };
        record.set_hearing(false);
        drop(record);
        tracing::warn!(
            error = %lost,
            "lost the database's change notices: remembering nothing until they are heard again"
        );
        listener = loop {
            tokio::time::sleep(RETRY).await;
            if remembered.strong_count() == 0 {
                return;
            }
            match connect(&url).await {
                Ok(listener) => break listener,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for the database's change notices")
                }
            }
        };
        let Some(record) = remembered.upgrade() else {
            return;
        };
        record.set_hearing(true);
        tracing::info!("hearing the database's change notices again");
    }
}

/// Applies what `listener` hears to `remembered` until the connection is lost (answers
/// why) or `remembered` is dropped (answers `None`).
async fn hear(listener: &mut PgListener, remembered: &Weak<Remembered>) -> Option<String> {
    let mut probed = false;
    loop {
        // `try_recv` is cancel-safe: a timeout loses no notification.
        let heard = match tokio::time::timeout(QUIET, listener.try_recv()).await {
            Ok(Ok(Some(heard))) => heard,
            Ok(Ok(None)) => return Some("the connection was lost".into()),
            Ok(Err(error)) => return Some(error.to_string()),
            Err(_) if probed => return Some(format!("a probe went unanswered for {QUIET:?}")),
            Err(_) => {
                let origin = remembered.upgrade()?.origin;
                let probe = payloads(origin, &Change::Probe).concat();
                let sent = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(probe)
                    .execute(&mut *listener)
                    .await;
                if let Err(error) = sent {
                    return Some(error.to_string());
                }
                probed = true;
                continue;
            }
        };
        probed = false;
        let remembered = remembered.upgrade()?;
        match serde_json::from_str::<Notice>(heard.payload()) {
            Ok(notice) if notice.origin == remembered.origin => {}
            Ok(notice) => remembered.apply(&notice.change),
            Err(error) => {
                // A newer server's change, say: what it dropped is unknown.
                tracing::warn!(%error, "an unreadable change notice: forgetting everything");
                remembered.forget_everything();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::leaderboard::{BoardMove, RankKey};

    #[test]
    fn many_moves_are_split_into_notices_under_the_payload_limit() {
        // The longest keys there are: uuids, and numbers of twenty characters.
        let key = || RankKey {
            neg_points: i64::MIN,
            reached_at: i64::MIN,
            user_id: uuid::Uuid::new_v4().to_string(),
        };
        let moved = |i: usize| BoardMove {
            campaign_id: uuid::Uuid::new_v4().to_string(),
            board: format!("week:2026-11-{:02}", i % 30),
            from: Some(key()),
            to: key(),
            version: i64::MIN,
        };
        let moves: Vec<BoardMove> = (0..95).map(moved).collect();
        let sent = payloads(
            7,
            &Change::Moved {
                moves: moves.clone(),
            },
        );
        assert_eq!(sent.len(), 5);
        assert!(sent.iter().all(|payload| payload.len() < 8_000));
        let heard: Vec<BoardMove> = sent
            .iter()
            .flat_map(|payload| {
                let notice: Notice = serde_json::from_str(payload).unwrap();
                assert_eq!(notice.origin, 7);
                match notice.change {
                    Change::Moved { moves } => moves,
                    other => panic!("{other:?}"),
                }
            })
            .collect();
        assert_eq!(heard, moves);
        assert!(payloads(7, &Change::Moved { moves: Vec::new() }).is_empty());
    }
}
