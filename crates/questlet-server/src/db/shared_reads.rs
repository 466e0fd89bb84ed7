//! One query answering many concurrent callers, without weakening what any of them sees.
//!
//! Every widget call asks the database something (a campaign's version, a user's progress)
//! unless a cache can answer; on PostgreSQL nothing local can, and on two cores the round
//! trip, not the query, is the cost. So callers asking the same kind of question at the
//! same moment share one query:
//!
//! - a caller joins the *next* batch of its key, and a batch begins after everyone in it
//!   asked, so each answer reflects every write committed before its caller asked, exactly
//!   as the caller's own query would (an edit is still visible to the very next call);
//! - while one batch's query runs, the callers arriving meanwhile gather for the next, so
//!   under load one query answers many calls, and with no concurrency a batch is one
//!   caller and costs what its own query did.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::oneshot;

/// A failed shared read, given to every caller of its batch.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct SharedReadError(Arc<sqlx::Error>);

impl SharedReadError {
    /// Whether the read failed for want of a free connection (the server is busy).
    pub fn pool_timed_out(&self) -> bool {
        matches!(*self.0, sqlx::Error::PoolTimedOut)
    }
}

/// What a batch's query answers: for each question it has an answer to, that answer (a
/// question left out is answered `None`).
pub(crate) type Answers<Q, A> = HashMap<Q, A>;

/// The query of one batch: the batch's key and its distinct questions.
pub(crate) type Fetch<K, Q, A> = dyn Fn(K, Vec<Q>) -> Pin<Box<dyn Future<Output = Result<Answers<Q, A>, sqlx::Error>> + Send>>
    + Send
    + Sync;

type Reply<A> = oneshot::Sender<Result<Option<A>, SharedReadError>>;

/// The callers waiting for each key's next batch; a key is present while a runner serves
/// it.
type Waiting<K, Q, A> = Arc<Mutex<HashMap<K, Vec<(Q, Reply<A>)>>>>;

/// Batches of questions `Q` by key `K`, answered `A` by one [`Fetch`] per batch.
pub(crate) struct SharedReads<K, Q, A> {
    fetch: Arc<Fetch<K, Q, A>>,
    waiting: Waiting<K, Q, A>,
}

impl<K, Q, A> std::fmt::Debug for SharedReads<K, Q, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedReads").finish_non_exhaustive()
    }
}

impl<K, Q, A> SharedReads<K, Q, A>
where
    K: Hash + Eq + Clone + Send + 'static,
    Q: Hash + Eq + Clone + Send + 'static,
    A: Clone + Send + 'static,
{
    /// Batches answered by `fetch`.
    pub(crate) fn new(fetch: Arc<Fetch<K, Q, A>>) -> Self {
        Self {
            fetch,
            waiting: Arc::default(),
        }
    }

    /// Asks `question` under `key`, answered by a query that begins after this call.
    pub(crate) async fn read(&self, key: K, question: Q) -> Result<Option<A>, SharedReadError> {
        let (reply, answer) = oneshot::channel();
        let first = {
            let mut waiting = lock(&self.waiting);
            match waiting.get_mut(&key) {
                Some(batch) => {
                    batch.push((question, reply));
                    false
                }
                None => {
                    waiting.insert(key.clone(), vec![(question, reply)]);
                    true
                }
            }
        };
        if first {
            tokio::spawn(serve(self.waiting.clone(), self.fetch.clone(), key));
        }
        answer.await.unwrap_or_else(|_| {
            // The runner is gone without answering (it panicked): fail this call only.
            Err(SharedReadError(Arc::new(sqlx::Error::WorkerCrashed)))
        })
    }
}

/// Runs `key`'s batches one after another until no caller waits.
async fn serve<K, Q, A>(waiting: Waiting<K, Q, A>, fetch: Arc<Fetch<K, Q, A>>, key: K)
where
    K: Hash + Eq + Clone,
    Q: Hash + Eq + Clone,
    A: Clone,
{
    // A runner that panics hands the key back (and drops its callers' replies, so they
    // fail instead of waiting for nobody); the next caller starts a new one.
    struct OnPanic<K: Hash + Eq, Q, A> {
        waiting: Waiting<K, Q, A>,
        key: K,
    }
    impl<K: Hash + Eq, Q, A> Drop for OnPanic<K, Q, A> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                lock(&self.waiting).remove(&self.key);
            }
        }
    }
    let _on_panic = OnPanic {
        waiting: waiting.clone(),
        key: key.clone(),
    };
    loop {
        let batch = {
            let mut waiting = lock(&waiting);
            match waiting.get_mut(&key) {
                Some(batch) if !batch.is_empty() => std::mem::take(batch),
                _ => {
                    // Under the lock: a caller arriving after this starts a new runner.
                    waiting.remove(&key);
                    return;
                }
            }
        };
        let mut questions: Vec<Q> = Vec::with_capacity(batch.len());
        for (question, _) in &batch {
            if !questions.contains(question) {
                questions.push(question.clone());
            }
        }
        match fetch(key.clone(), questions).await {
            Ok(answers) => {
                for (question, reply) in batch {
                    let _ = reply.send(Ok(answers.get(&question).cloned()));
                }
            }
            Err(error) => {
                let error = SharedReadError(Arc::new(error));
                for (_, reply) in batch {
                    let _ = reply.send(Err(error.clone()));
                }
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    /// A "database" whose value callers change, read by a slow query that counts itself.
    fn slow_reads(
        value: Arc<AtomicUsize>,
        queries: Arc<AtomicUsize>,
    ) -> SharedReads<u8, u8, usize> {
        SharedReads::new(Arc::new(move |_key, questions: Vec<u8>| {
            let (value, queries) = (value.clone(), queries.clone());
            Box::pin(async move {
                queries.fetch_add(1, Ordering::SeqCst);
                let seen = value.load(Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(questions.into_iter().map(|q| (q, seen)).collect())
            })
        }))
    }

    #[tokio::test]
    async fn concurrent_callers_share_a_query() {
        let queries = Arc::new(AtomicUsize::new(0));
        let reads = Arc::new(slow_reads(Arc::new(AtomicUsize::new(7)), queries.clone()));
        let callers: Vec<_> = (0..50)
            .map(|i| {
                let reads = reads.clone();
                tokio::spawn(async move { reads.read(1, i % 3).await })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap().unwrap(), Some(7));
        }
        // The first caller's batch, then at most one for everyone who came meanwhile.
        assert!(queries.load(Ordering::SeqCst) <= 2, "{queries:?}");
    }

    #[tokio::test]
    async fn a_caller_never_gets_an_answer_read_before_it_asked() {
        let (value, queries) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let reads = Arc::new(slow_reads(value.clone(), queries));
        // A batch is running (it read 0) when the write lands and a second caller asks.
        let early = tokio::spawn({
            let reads = reads.clone();
            async move { reads.read(1, 0).await }
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
        value.store(1, Ordering::SeqCst);
        let late = reads.read(1, 0).await.unwrap();
        assert_eq!(early.await.unwrap().unwrap(), Some(0));
        assert_eq!(late, Some(1));
    }

    #[tokio::test]
    async fn a_failed_query_fails_its_batch_and_the_next_batch_runs() {
        let failing = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let reads: SharedReads<u8, u8, u8> = SharedReads::new(Arc::new({
            let failing = failing.clone();
            move |_key, _questions| {
                let fail = failing.swap(false, Ordering::SeqCst);
                Box::pin(async move {
                    if fail {
                        Err(sqlx::Error::PoolTimedOut)
                    } else {
                        Ok(HashMap::from([(1, 2)]))
                    }
                })
            }
        }));
        assert!(reads.read(0, 1).await.is_err());
        assert_eq!(reads.read(0, 1).await.unwrap(), Some(2));
        assert_eq!(reads.read(0, 3).await.unwrap(), None);
    }
}
