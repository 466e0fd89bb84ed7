//! What one batch of attempts writes, in a few set-based statements however many attempts
//! it holds, written once for every backend: the SQL is the portable subset, and the
//! connection it runs on only has to run a statement and hand back its rows
//! ([`BatchConnection`]: sqlx's on PostgreSQL, the writer's own SQLite connection on SQLite).

use std::collections::{HashMap, HashSet};

use questlet_types::attempt::AttemptOutcome;

use super::{StoreError, StoredBatch};
use crate::db::leaderboard::{self, ScoreChange};
use crate::db::progress::{FirstUse, NewAttempt, StoredAttempt, SubmissionStep, UserKey};
use crate::db::progress_cache::{Completions, ADJUSTED};
use crate::db::webhooks::{self, NewEvent};
use crate::db::{new_id, value_rows};
use crate::recurrence::{Slot, TaskRecord, STREAK_FACTOR};
use crate::tasks::invite_code::NOT_VALID;
use crate::tasks::proof_of_work;
use crate::time::now;
use crate::webhooks::events;

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SqlValue {
    /// NULL.
    Null,
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
}

impl From<&str> for SqlValue {
    fn from(text: &str) -> Self {
        SqlValue::Text(text.to_owned())
    }
}

impl From<&String> for SqlValue {
    fn from(text: &String) -> Self {
        SqlValue::Text(text.clone())
    }
}

impl From<String> for SqlValue {
    fn from(text: String) -> Self {
        SqlValue::Text(text)
    }
}

impl From<i64> for SqlValue {
    fn from(number: i64) -> Self {
        SqlValue::Int(number)
    }
}

impl<T: Into<SqlValue>> From<Option<T>> for SqlValue {
    fn from(value: Option<T>) -> Self {
        value.map_or(SqlValue::Null, Into::into)
    }
}

impl SqlValue {
    pub(crate) fn text(self) -> Result<String, StoreError> {
        match self {
            SqlValue::Text(text) => Ok(text),
            other => Err(StoreError::Writer(format!("expected text, read {other:?}"))),
        }
    }

    pub(crate) fn optional_text(self) -> Result<Option<String>, StoreError> {
        match self {
            SqlValue::Null => Ok(None),
            other => other.text().map(Some),
        }
    }

    pub(crate) fn int(self) -> Result<i64, StoreError> {
        match self {
            SqlValue::Int(number) => Ok(number),
            other => Err(StoreError::Writer(format!(
                "expected an integer, read {other:?}"
            ))),
        }
    }
}

/// A connection inside the caller's write transaction.
pub(crate) trait BatchConnection {
    /// Most rows one `INSERT` writes. On PostgreSQL, every row of a batch (each statement
    /// is a round trip). On SQLite, one: a statement that writes several rows and may abort
    /// midway (a foreign key, a NOT NULL) makes SQLite copy every page it touches into a
    /// statement journal, so that it can undo that statement alone; in a process that runs
    /// statements without a round trip, that copying cost more than the statements.
    fn rows_per_insert(&self) -> usize;

    /// Runs `sql` (numbered `$n` placeholders, first appearing in the order `$1`, `$2`, ...:
    /// the SQLite writer binds by position) with `params` and answers its rows (none for
    /// a statement that returns nothing).
    fn rows(
        &mut self,
        sql: &str,
        params: Vec<SqlValue>,
    ) -> impl std::future::Future<Output = Result<Vec<Vec<SqlValue>>, StoreError>> + Send;
}

/// Runs `INSERT {head} VALUES (...), ... {tail}` for `params`, rows of `columns` values,
/// in as few statements as `conn` takes ([`BatchConnection::rows_per_insert`]); answers
/// every row the statements return.
pub(crate) async fn insert_rows(
    conn: &mut impl BatchConnection,
    head: &str,
    tail: &str,
    columns: usize,
    params: Vec<SqlValue>,
) -> Result<Vec<Vec<SqlValue>>, StoreError> {
    insert_rows_as(conn, head, tail, columns, params, |first| {
        value_rows(first, 1, columns)
    })
    .await
}

/// [`insert_rows`] with each row's `VALUES` tuple written by `row` from its first
/// placeholder's number (a row may compute a column from its own values).
async fn insert_rows_as(
    conn: &mut impl BatchConnection,
    head: &str,
    tail: &str,
    columns: usize,
    params: Vec<SqlValue>,
    row: impl Fn(usize) -> String,
) -> Result<Vec<Vec<SqlValue>>, StoreError> {
    let per_statement = conn.rows_per_insert().max(1).saturating_mul(columns);
    let mut returned = Vec::new();
    let mut params = params.into_iter().peekable();
    while params.peek().is_some() {
        let chunk: Vec<SqlValue> = params.by_ref().take(per_statement).collect();
        let rows: Vec<String> = (0..chunk.len() / columns)
            .map(|i| row(1 + i * columns))
            .collect();
        let sql = format!("INSERT {head} VALUES {} {tail}", rows.join(", "));
        returned.extend(conn.rows(&sql, chunk).await?);
    }
    Ok(returned)
}

/// Stores a batch of attempts on `conn`, inside the caller's transaction: the users
/// (created on first sight; `user_ids` is the caller's memory of their ids, see
/// [`ensure_users`]), the partner completion ids they claim (a repeated id answers its
/// first result and stores nothing), the completions of passed verdicts (the (user, task,
/// slot) key makes a second one a no-op, so points are awarded once per turn, and within a
/// batch the first attempt in order wins), every attempt in the activity log, and each
/// user's completions after it. Answers in the order given.
pub(crate) async fn store_attempts(
    conn: &mut impl BatchConnection,
    attempts: &[&NewAttempt],
    user_ids: &mut HashMap<UserKey, String>,
) -> Result<StoredBatch, StoreError> {
    let new_users = ensure_users(conn, attempts.iter().map(|a| &a.user), user_ids).await?;
    let user_ids = &*user_ids;
    let user_of = |attempt: &NewAttempt| user_ids[&attempt.user].as_str();
    let repeats = claim_partner_completions(conn, attempts).await?;
    let mut refusals = claim_invite_codes(conn, attempts, |a| user_of(a).to_owned()).await?;
    let used = claim_puzzles(conn, attempts, |a| user_of(a).to_owned()).await?;
    let counted = claim_transactions(conn, attempts, |a| user_of(a).to_owned()).await?;
    for ((refusal, used), counted) in refusals.iter_mut().zip(used).zip(counted) {
        *refusal = refusal.take().or(used).or(counted);
    }
    let steps = apply_submissions(conn, attempts, |a| user_of(a).to_owned()).await?;
    for (refusal, step) in refusals.iter_mut().zip(&steps) {
        if *step == Some(Step::Stale) {
            *refusal = Some(NOT_PENDING.to_owned());
        }
    }
    // Each attempt's verdict, with the pool's refusal of an invite code and the reviewer's
    // rejection of a proof.
    let verdicts: Vec<Result<(), String>> = attempts
        .iter()
        .zip(&refusals)
        .zip(&steps)
        .map(|((attempt, refusal), step)| match (refusal, step) {
            (Some(reason), _) => Err(reason.clone()),
            (None, Some(Step::Rejected(message))) => Err(message.clone()),
            (None, _) => attempt.verdict.clone(),
        })
        .collect();

    // Completions: the first passed attempt of each (user, task) in the batch may add one;
    // the (user, task, slot) key decides against earlier batches and other processes.
    let mut candidates: Vec<&NewAttempt> = Vec::new();
    // A proof sent for review completes nothing until approved.
    let fresh = attempts
        .iter()
        .zip(&repeats)
        .zip(&verdicts)
        .zip(&steps)
        .filter(|(((_, repeat), verdict), step)| {
            repeat.is_none() && verdict.is_ok() && step.as_ref().is_none_or(Step::may_complete)
        })
        .map(|(((attempt, _), _), _)| attempt);
    for attempt in fresh {
        let pair = (user_of(attempt), attempt.task_id.as_str());
        if !candidates
            .iter()
            .any(|c| (user_of(c), c.task_id.as_str()) == pair)
        {
            candidates.push(attempt);
        }
    }
    let mut completed: HashSet<(String, String)> = HashSet::new();
    let (fixed, next): (Vec<&NewAttempt>, Vec<&NewAttempt>) = candidates
        .into_iter()
        .partition(|attempt| matches!(attempt.slot, Slot::Fixed(_)));
    if !fixed.is_empty() {
        let mut params = Vec::with_capacity(fixed.len() * 6);
        for attempt in &fixed {
            let Slot::Fixed(slot) = attempt.slot else {
                unreachable!("partitioned by slot kind")
            };
            params.extend([
                user_of(attempt).into(),
                (&attempt.task_id).into(),
                slot.into(),
                attempt.points.into(),
                attempt.ga_client_id.as_ref().into(),
                attempt.at.into(),
            ]);
        }
        // The streak: the previous turn's plus one (daily turns are consecutive numbers).
        let inserted = insert_rows_as(
            conn,
            "INTO task_completions
                (user_id, task_id, slot, points, ga_client_id, created_at, streak)",
            "ON CONFLICT (user_id, task_id, slot) DO NOTHING RETURNING user_id, task_id",
            6,
            params,
            |n| {
                let [user, task, slot] = [n, n + 1, n + 2];
                format!(
                    "(${user}, ${task}, ${slot}, ${}, ${}, ${}, COALESCE((SELECT p.streak
                        FROM task_completions p WHERE p.user_id = ${user} AND p.task_id = ${task}
                        AND p.slot = ${slot} - 1), 0) + 1)",
                    n + 3,
                    n + 4,
                    n + 5
                )
            },
        )
        .await?;
        completed.extend(completion_pairs(inserted)?);
    }
    // The slot after the user's last, claimed in the statement that stores it, and only
    // when the count allows and the wait is over: one statement per attempt.
    for attempt in next {
        let Slot::Next { limit, wait } = attempt.slot else {
            unreachable!("partitioned by slot kind")
        };
        let inserted = conn
            .rows(
                "INSERT INTO task_completions
                    (user_id, task_id, slot, points, ga_client_id, created_at)
                 SELECT $1, $2, n.slot, $3, $4, $5 FROM
                    (SELECT COALESCE(MAX(slot) + 1, 0) AS slot, MAX(created_at) AS last
                     FROM task_completions WHERE user_id = $1 AND task_id = $2) n
                 WHERE n.slot < $6 AND (n.last IS NULL OR n.last <= $7)
                 ON CONFLICT (user_id, task_id, slot) DO NOTHING RETURNING user_id, task_id",
                vec![
                    user_of(attempt).into(),
                    (&attempt.task_id).into(),
                    attempt.points.into(),
                    attempt.ga_client_id.as_ref().into(),
                    attempt.at.into(),
                    limit.into(),
                    attempt.at.saturating_sub(wait).into(),
                ],
            )
            .await?;
        completed.extend(completion_pairs(inserted)?);
    }
    let mut outcomes: Vec<(AttemptOutcome, i64)> = attempts
        .iter()
        .zip(&verdicts)
        .zip(&steps)
        .map(|((attempt, verdict), step)| match (verdict, step) {
            (Err(_), _) => (AttemptOutcome::Failed, 0),
            (Ok(()), Some(Step::Queued | Step::Waiting)) => (AttemptOutcome::Pending, 0),
            (Ok(()), Some(Step::WasApproved)) => (AttemptOutcome::AlreadyCompleted, 0),
            (Ok(()), _) => {
                let pair = (user_of(attempt).to_owned(), attempt.task_id.clone());
                if completed.remove(&pair) {
                    (AttemptOutcome::Completed, attempt.points)
                } else {
                    (AttemptOutcome::AlreadyCompleted, 0)
                }
            }
        })
        .collect();

    // The leaderboards move with the points, in this transaction.
    let changes: Vec<ScoreChange> = attempts
        .iter()
        .zip(&outcomes)
        .filter(|(_, (outcome, points))| *outcome == AttemptOutcome::Completed && *points != 0)
        .map(|(attempt, (_, points))| ScoreChange {
            campaign_id: attempt.campaign_id.clone(),
            boards: attempt.boards.clone(),
            user_id: user_of(attempt).to_owned(),
            delta: *points,
            at: attempt.at,
        })
        .collect();
    let moved = leaderboard::apply(conn, &changes).await?;

    // A repeated partner completion id answers its first result.
    for (i, repeat) in repeats.iter().enumerate() {
        match repeat {
            Some(Repeat::InBatch(first)) => outcomes[i] = outcomes[*first],
            Some(Repeat::Stored {
                outcome, points, ..
            }) => outcomes[i] = (*outcome, *points),
            None => {}
        }
    }
    for (attempt, (outcome, points)) in attempts.iter().zip(&outcomes) {
        let Some(id) = attempt.partner_completion() else {
            continue;
        };
        conn.rows(
            // Placeholders in order of appearance: the SQLite writer binds by position.
            "UPDATE partner_completions SET outcome = $1, points_awarded = $2
             WHERE organization_id = $3 AND completion_id = $4 AND outcome = 'pending'",
            vec![
                outcome.as_str().into(),
                (*points).into(),
                (&attempt.user.organization_id).into(),
                id.into(),
            ],
        )
        .await?;
    }

    // What happened, as the activity log and the partner's webhooks hear it: every attempt,
    // but a repeated partner completion only once, and not a review that found its
    // submission decided already.
    let happened = || {
        attempts
            .iter()
            .zip(&outcomes)
            .zip(&repeats)
            .zip(&verdicts)
            .zip(&steps)
            .filter(|(((_, repeat), _), step)| repeat.is_none() && **step != Some(Step::Stale))
            .map(|((((attempt, outcome), _), verdict), _)| (*attempt, *outcome, verdict))
    };
    let mut params = Vec::with_capacity(attempts.len() * 8);
    for (attempt, (outcome, _), verdict) in happened() {
        params.extend([
            new_id().into(),
            user_of(attempt).into(),
            (&attempt.task_id).into(),
            outcome.as_str().into(),
            verdict.as_ref().err().into(),
            attempt.answer.as_ref().into(),
            attempt.ga_client_id.as_ref().into(),
            attempt.at.into(),
        ]);
    }
    insert_rows(
        conn,
        "INTO task_attempts (id, user_id, task_id, outcome, reason, answer, ga_client_id,
            created_at)",
        "",
        8,
        params,
    )
    .await?;

    let completions = user_completions(conn, attempts.iter().map(|a| user_of(a))).await?;

    // The partner's webhooks hear of the same attempts (and of the users they brought), in
    // this transaction.
    let mut events: Vec<NewEvent> = new_users
        .iter()
        .filter_map(|user| {
            let first = attempts.iter().find(|a| a.user == *user)?;
            Some(events::user_created(
                user,
                Some(&first.campaign_id),
                first.at,
            ))
        })
        .collect();
    events.extend(
        happened().filter_map(|(attempt, (outcome, points), verdict)| {
            events::attempt_event(attempt, outcome, points, verdict.as_ref().err())
        }),
    );
    events.extend(milestone_events(
        attempts,
        &outcomes,
        &repeats,
        &completions,
        user_of,
    ));
    let deliveries = webhooks::enqueue(conn, &events).await?.len();

    let stored = attempts
        .iter()
        .zip(outcomes)
        .zip(repeats)
        .zip(refusals)
        .map(
            |(((attempt, (outcome, points_awarded)), repeat), refusal)| StoredAttempt {
                outcome,
                points_awarded,
                refusal,
                completions: completions
                    .get(user_of(attempt))
                    .cloned()
                    .unwrap_or_default(),
                first_use: repeat.map(|repeat| match repeat {
                    Repeat::InBatch(first) => FirstUse::of(attempts[first]),
                    Repeat::Stored { first, .. } => first,
                }),
            },
        )
        .collect();
    Ok(StoredBatch {
        stored,
        moved,
        deliveries,
    })
}

/// `quest.completed` and `campaign.completed` for the attempts of a batch that completed a
/// quest or their campaign, once per user and quest (or campaign). `after` holds each
/// user's completions after the batch; a task was done before it unless all its
/// completions are the batch's.
fn milestone_events<'a>(
    attempts: &[&'a NewAttempt],
    outcomes: &[(AttemptOutcome, i64)],
    repeats: &[Option<Repeat>],
    after: &HashMap<String, Completions>,
    user_of: impl Fn(&'a NewAttempt) -> &'a str,
) -> Vec<NewEvent> {
    // A repeated partner completion answers its first result but completed nothing now.
    let completed = || {
        attempts
            .iter()
            .zip(outcomes)
            .zip(repeats)
            .filter(|((_, (outcome, _)), repeat)| {
                *outcome == AttemptOutcome::Completed && repeat.is_none()
            })
            .map(|((attempt, _), _)| *attempt)
    };
    let mut fresh: HashMap<(&str, &str), i64> = HashMap::new();
    for attempt in completed() {
        *fresh
            .entry((user_of(attempt), attempt.task_id.as_str()))
            .or_default() += 1;
    }
    let mut announced: HashSet<(&str, String)> = HashSet::new();
    let mut events = Vec::new();
    for attempt in completed() {
        let user = user_of(attempt);
        let Some(records) = after.get(user).map(|c| &c.records) else {
            continue;
        };
        let done_after = |task: &str| records.contains_key(task);
        let done_before = |task: &str| {
            let this_batch = fresh.get(&(user, task)).copied().unwrap_or(0);
            records.get(task).is_some_and(|r| r.count > this_batch)
        };
        let (quest, campaign) =
            attempt
                .milestones
                .reached(&attempt.task_id, &done_before, &done_after);
        if let Some(quest) = quest {
            if announced.insert((user, quest.to_owned())) {
                events.push(events::quest_completed(attempt, quest));
            }
        }
        if campaign && announced.insert((user, attempt.campaign_id.clone())) {
            events.push(events::campaign_completed(attempt));
        }
    }
    events
}

/// Claims the invite code of each attempt that offers one (in order; one statement each):
/// a claim row keyed by (task, user), with the code unique per task, inserted only if the
/// task's pool has the code. Answers, per attempt, why it is refused (`None`: claimed now,
/// or the user claimed a code of this task before, so the completion decides, or no code).
/// Racing claims of one code, or of one user, meet on those keys: in this transaction, in
/// an earlier batch, or in another process (the insert waits for its transaction).
async fn claim_invite_codes(
    conn: &mut impl BatchConnection,
    attempts: &[&NewAttempt],
    user_of: impl Fn(&NewAttempt) -> String,
) -> Result<Vec<Option<String>>, StoreError> {
    let mut refusals = Vec::with_capacity(attempts.len());
    for attempt in attempts {
        let Some(code) = attempt.invite_code().filter(|_| attempt.verdict.is_ok()) else {
            refusals.push(None);
            continue;
        };
        let user = user_of(attempt);
        let claimed = conn
            .rows(
                "INSERT INTO invite_claims (task_id, user_id, code, claimed_at)
                 SELECT $1, $2, $3, $4 WHERE EXISTS
                    (SELECT 1 FROM invite_codes WHERE task_id = $1 AND code = $3)
                 ON CONFLICT DO NOTHING RETURNING code",
                vec![
                    (&attempt.task_id).into(),
                    user.as_str().into(),
                    code.into(),
                    attempt.at.into(),
                ],
            )
            .await?;
        if !claimed.is_empty() {
            refusals.push(None);
            continue;
        }
        let earlier = conn
            .rows(
                "SELECT code FROM invite_claims WHERE task_id = $1 AND user_id = $2",
                vec![(&attempt.task_id).into(), user.as_str().into()],
            )
            .await?;
        refusals.push(earlier.is_empty().then(|| NOT_VALID.to_owned()));
    }
    Ok(refusals)
}

/// Claims the puzzle of each attempt that solved one (one statement each): its id is the
/// key, so a replay, in this batch or later or in another process, is refused.
async fn claim_puzzles(
    conn: &mut impl BatchConnection,
    attempts: &[&NewAttempt],
    user_of: impl Fn(&NewAttempt) -> String,
) -> Result<Vec<Option<String>>, StoreError> {
    claim_single_use(
        conn,
        attempts,
        user_of,
        NewAttempt::puzzle,
        "INSERT INTO pow_solutions (puzzle_id, task_id, user_id, solved_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING puzzle_id",
        proof_of_work::USED,
    )
    .await
}

/// Claims the transaction of each attempt that counted one, for its task: a transaction
/// completes a task once, in this batch or later or in another process.
async fn claim_transactions(
    conn: &mut impl BatchConnection,
    attempts: &[&NewAttempt],
    user_of: impl Fn(&NewAttempt) -> String,
) -> Result<Vec<Option<String>>, StoreError> {
    claim_single_use(
        conn,
        attempts,
        user_of,
        NewAttempt::transaction,
        "INSERT INTO transaction_claims (tx, task_id, user_id, claimed_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING tx",
        TRANSACTION_USED,
    )
    .await
}

/// Why a transaction was refused a second time.
pub const TRANSACTION_USED: &str = "This transaction has already completed this task.";

/// Claims what `claimed` picks from each passed attempt with `insert` (binds: the claim,
/// the task, the user, the time; it answers a row when the claim is new), one statement
/// each; an attempt whose claim was taken gets `refusal`.
async fn claim_single_use(
    conn: &mut impl BatchConnection,
    attempts: &[&NewAttempt],
    user_of: impl Fn(&NewAttempt) -> String,
    claimed: fn(&NewAttempt) -> Option<&String>,
    insert: &str,
    refusal: &str,
) -> Result<Vec<Option<String>>, StoreError> {
    let mut refusals = Vec::with_capacity(attempts.len());
    for attempt in attempts {
        let Some(claim) = claimed(attempt).filter(|_| attempt.verdict.is_ok()) else {
            refusals.push(None);
            continue;
        };
        let rows = conn
            .rows(
                insert,
                vec![
                    claim.into(),
                    (&attempt.task_id).into(),
                    user_of(attempt).into(),
                    attempt.at.into(),
                ],
            )
            .await?;
        refusals.push(rows.is_empty().then(|| refusal.to_owned()));
    }
    Ok(refusals)
}

/// Why a review was not applied.
pub const NOT_PENDING: &str = "this submission is not pending review";

/// What an attempt did to the review queue.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// Its proof now waits for review.
    Queued,
    /// A proof of the user's waits already: this one was not kept.
    Waiting,
    /// The user's proof was approved already.
    WasApproved,
    /// The review approved the submission: the attempt completes the task.
    Approved,
    /// The review rejected the submission, with this reason for the user.
    Rejected(String),
    /// The review found the submission decided already (or gone): nothing changed.
    Stale,
}

impl Step {
    /// Whether the attempt may add a completion.
    fn may_complete(&self) -> bool {
        *self == Step::Approved
    }
}

/// The reason a rejection without a message gives the user.
const REJECTED: &str = "Your proof was not accepted.";

/// Applies each attempt's [`SubmissionStep`], in order (one statement each; attempts
/// without one cost nothing). A proof is upserted into the (task, user) row only over a
/// rejected one, so racing proofs of one user meet on that key; a review updates the row
/// only while it is pending, so racing reviews decide once.
async fn apply_submissions(
    conn: &mut impl BatchConnection,
    attempts: &[&NewAttempt],
    user_of: impl Fn(&NewAttempt) -> String,
) -> Result<Vec<Option<Step>>, StoreError> {
    let mut steps = Vec::with_capacity(attempts.len());
    for attempt in attempts {
        let step = match attempt.submission() {
            None => None,
            Some(_) if attempt.verdict.is_err() => None,
            Some(SubmissionStep::Submit { proof }) => {
                let user = user_of(attempt);
                let queued = conn
                    .rows(
                        "INSERT INTO task_submissions (task_id, user_id, id, proof, state,
                            message, submitted_at, reviewed_at)
                         VALUES ($1, $2, $3, $4, 'pending', NULL, $5, NULL)
                         ON CONFLICT (task_id, user_id) DO UPDATE SET id = excluded.id,
                            proof = excluded.proof, state = 'pending', message = NULL,
                            submitted_at = excluded.submitted_at, reviewed_at = NULL
                         WHERE task_submissions.state = 'rejected'
                         RETURNING id",
                        vec![
                            (&attempt.task_id).into(),
                            user.as_str().into(),
                            new_id().into(),
                            proof.into(),
                            attempt.at.into(),
                        ],
                    )
                    .await?;
                if !queued.is_empty() {
                    Some(Step::Queued)
                } else {
                    let row = conn
                        .rows(
                            "SELECT state FROM task_submissions
                             WHERE task_id = $1 AND user_id = $2",
                            vec![(&attempt.task_id).into(), user.as_str().into()],
                        )
                        .await?;
                    let approved = row
                        .into_iter()
                        .flatten()
                        .next()
                        .is_some_and(|state| state == SqlValue::from("approved"));
                    Some(if approved {
                        Step::WasApproved
                    } else {
                        Step::Waiting
                    })
                }
            }
            Some(SubmissionStep::Review {
                id,
                approve,
                message,
            }) => {
                let state = if *approve { "approved" } else { "rejected" };
                let decided = conn
                    .rows(
                        "UPDATE task_submissions SET state = $1, message = $2, reviewed_at = $3
                         WHERE id = $4 AND task_id = $5 AND state = 'pending'
                         RETURNING id",
                        vec![
                            state.into(),
                            message.as_ref().into(),
                            attempt.at.into(),
                            id.into(),
                            (&attempt.task_id).into(),
                        ],
                    )
                    .await?;
                Some(match (decided.is_empty(), approve) {
                    (true, _) => Step::Stale,
                    (false, true) => Step::Approved,
                    (false, false) => {
                        Step::Rejected(message.clone().unwrap_or_else(|| REJECTED.to_owned()))
                    }
                })
            }
        };
        steps.push(step);
    }
    Ok(steps)
}

/// An attempt whose partner completion id was used before.
enum Repeat {
    /// By this earlier attempt of the batch.
    InBatch(usize),
    /// By a stored completion, with its result.
    Stored {
        /// Whom and what it completed.
        first: FirstUse,
        /// Its outcome.
        outcome: AttemptOutcome,
        /// The points it awarded.
        points: i64,
    },
}

impl FirstUse {
    fn of(attempt: &NewAttempt) -> Self {
        Self {
            task_id: attempt.task_id.clone(),
            platform: attempt.user.platform.clone(),
            account: attempt.user.account.clone(),
        }
    }
}

/// Claims the partner completion id of each attempt that has one, in order: an id claimed
/// here (a row inserted `pending`, its result written once known, in this transaction)
/// makes its attempt a first use; an id claimed before, in this batch or stored (by an
/// earlier batch or another process: the insert waits for that transaction), makes it a
/// repeat. Answers, per attempt, whether it repeats one.
async fn claim_partner_completions(
    conn: &mut impl BatchConnection,
    attempts: &[&NewAttempt],
) -> Result<Vec<Option<Repeat>>, StoreError> {
    let mut repeats = Vec::with_capacity(attempts.len());
    for (i, attempt) in attempts.iter().enumerate() {
        let Some(id) = attempt.partner_completion() else {
            repeats.push(None);
            continue;
        };
        let org = &attempt.user.organization_id;
        let earlier = attempts[..i]
            .iter()
            .position(|a| a.user.organization_id == *org && a.partner_completion() == Some(id));
        if let Some(first) = earlier {
            repeats.push(Some(Repeat::InBatch(first)));
            continue;
        }
        let claimed = conn
            .rows(
                "INSERT INTO partner_completions (organization_id, completion_id, task_id,
                    platform, account, outcome, points_awarded, created_at)
                 VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6)
                 ON CONFLICT (organization_id, completion_id) DO NOTHING
                 RETURNING completion_id",
                vec![
                    org.into(),
                    id.into(),
                    (&attempt.task_id).into(),
                    (&attempt.user.platform).into(),
                    (&attempt.user.account).into(),
                    attempt.at.into(),
                ],
            )
            .await?;
        if !claimed.is_empty() {
            repeats.push(None);
            continue;
        }
        let stored = conn
            .rows(
                "SELECT task_id, platform, account, outcome, points_awarded
                 FROM partner_completions WHERE organization_id = $1 AND completion_id = $2",
                vec![org.into(), id.into()],
            )
            .await?;
        let row = stored
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Writer("a claimed completion id has no row".into()))?;
        let [task_id, platform, account, outcome, points] = <[SqlValue; 5]>::try_from(row)
            .map_err(|_| StoreError::Writer("a partner completion row has five columns".into()))?;
        let outcome = AttemptOutcome::parse(&outcome.text()?).ok_or_else(|| {
            StoreError::Writer("a partner completion's outcome is unknown".into())
        })?;
        repeats.push(Some(Repeat::Stored {
            first: FirstUse {
                task_id: task_id.text()?,
                platform: platform.text()?,
                account: account.text()?,
            },
            outcome,
            points: points.int()?,
        }));
    }
    Ok(repeats)
}

/// The (user, task) of each completion row an insert returned.
fn completion_pairs(
    rows: Vec<Vec<SqlValue>>,
) -> Result<impl Iterator<Item = (String, String)>, StoreError> {
    let mut pairs = Vec::with_capacity(rows.len());
    for row in rows {
        let [user_id, task_id] = <[SqlValue; 2]>::try_from(row)
            .map_err(|_| StoreError::Writer("a completion row has two columns".into()))?;
        pairs.push((user_id.text()?, task_id.text()?));
    }
    Ok(pairs.into_iter())
}

/// A `users` row as the statements below return it.
fn user_row(row: Vec<SqlValue>) -> Result<(UserKey, String), StoreError> {
    let [id, organization_id, platform, account] = <[SqlValue; 4]>::try_from(row)
        .map_err(|_| StoreError::Writer("a user row has four columns".into()))?;
    Ok((
        UserKey {
            organization_id: organization_id.text()?,
            platform: platform.text()?,
            account: account.text()?,
        },
        id.text()?,
    ))
}

/// The ids of `users`, creating those never seen: the ones in `known` cost nothing, new
/// ones one statement for the whole batch, and only users created meanwhile by someone else
/// a second. Safe under concurrency: the unique key decides, and the select reads the
/// winners' rows. Users are never deleted, so a known id stays right. Answers the users it
/// created.
pub(crate) async fn ensure_users<'a>(
    conn: &mut impl BatchConnection,
    users: impl Iterator<Item = &'a UserKey>,
    known: &mut HashMap<UserKey, String>,
) -> Result<Vec<UserKey>, StoreError> {
    let mut missing: Vec<&UserKey> = Vec::new();
    for user in users {
        if !known.contains_key(user) && !missing.contains(&user) {
            missing.push(user);
        }
    }
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let created = now();
    let mut params = Vec::with_capacity(missing.len() * 6);
    for user in &missing {
        params.extend([
            new_id().into(),
            (&user.organization_id).into(),
            (&user.platform).into(),
            (&user.account).into(),
            created.into(),
            crate::tasks::referral::code(user).into(),
        ]);
    }
    let inserted = insert_rows(
        conn,
        "INTO users (id, organization_id, platform, account, created_at, referral_code)",
        "ON CONFLICT (organization_id, platform, account) DO NOTHING
         RETURNING id, organization_id, platform, account",
        6,
        params,
    )
    .await?;
    let mut new_users = Vec::with_capacity(inserted.len());
    for row in inserted {
        let (user, id) = user_row(row)?;
        known.insert(user.clone(), id);
        new_users.push(user);
    }
    let existing: Vec<&UserKey> = missing
        .into_iter()
        .filter(|user| !known.contains_key(*user))
        .collect();
    if !existing.is_empty() {
        let sql = format!(
            "SELECT id, organization_id, platform, account FROM users
             WHERE (organization_id, platform, account) IN (VALUES {})",
            value_rows(1, existing.len(), 3)
        );
        let mut params = Vec::with_capacity(existing.len() * 3);
        for user in &existing {
            params.extend([
                (&user.organization_id).into(),
                (&user.platform).into(),
                (&user.account).into(),
            ]);
        }
        for row in conn.rows(&sql, params).await? {
            let (user, id) = user_row(row)?;
            known.insert(user, id);
        }
    }
    Ok(new_users)
}

/// The completed tasks (with their completions) and the reviews of proofs of each of
/// `users` (ids), in every campaign of their organization, in one statement. Read by the
/// key alone: a user's completions are one range of it (on SQLite one leaf page), where
/// joining each to its task and quest to keep one campaign's cost two lookups a completion;
/// the caller, which holds the campaign's tasks, keeps that campaign's.
async fn user_completions<'a>(
    conn: &mut impl BatchConnection,
    users: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, Completions>, StoreError> {
    let mut distinct: Vec<&str> = Vec::new();
    for user in users {
        if !distinct.contains(&user) {
            distinct.push(user);
        }
    }
    let values = value_rows(1, distinct.len(), 1);
    let sql = format!(
        "SELECT user_id, task_id, CAST(SUM(points) AS BIGINT), COUNT(*),
                MAX(slot * {STREAK_FACTOR} + streak), MAX(created_at), NULL, NULL
         FROM task_completions
         WHERE user_id IN (VALUES {values})
         GROUP BY user_id, task_id
         UNION ALL
         SELECT user_id, task_id, CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT),
                CAST(0 AS BIGINT), state, message
         FROM task_submissions
         WHERE user_id IN (VALUES {values})
         UNION ALL
         SELECT user_id, campaign_id, CAST(SUM(applied) AS BIGINT), CAST(0 AS BIGINT),
                CAST(0 AS BIGINT), CAST(0 AS BIGINT), '{ADJUSTED}', NULL
         FROM point_adjustments
         WHERE user_id IN (VALUES {values})
         GROUP BY user_id, campaign_id"
    );
    let params = distinct.iter().map(|user_id| (*user_id).into()).collect();
    let mut completions: HashMap<String, Completions> = HashMap::new();
    for row in conn.rows(&sql, params).await? {
        let [user_id, task_id, points, count, packed, last_at, state, message] =
            <[SqlValue; 8]>::try_from(row)
                .map_err(|_| StoreError::Writer("a completion row has eight columns".into()))?;
        let record =
            TaskRecord::from_packed(points.int()?, count.int()?, packed.int()?, last_at.int()?);
        let state = state.optional_text()?;
        completions
            .entry(user_id.text()?)
            .or_default()
            .add_row(
                task_id.text()?,
                record,
                state.as_deref(),
                message.optional_text()?,
            )
            .map_err(StoreError::Writer)?;
    }
    Ok(completions)
}
