-- Proofs of custom tasks the partner reviews: the latest proof of each user for each task,
-- keyed by (task, user), so a user has one proof in the queue at a time. A rejected proof
-- is replaced by the user's next one (with a new id, so a stale decision cannot approve
-- it); the activity log keeps every attempt. Written and reviewed in the attempt writer's
-- transactions, so approving one stores its completion in the same commit.
CREATE TABLE task_submissions (
    task_id       TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id            TEXT NOT NULL UNIQUE,
    proof         TEXT NOT NULL,
    state         TEXT NOT NULL,
    message       TEXT,
    submitted_at  BIGINT NOT NULL,
    reviewed_at   BIGINT,
    PRIMARY KEY (task_id, user_id)
);
-- A user's proofs, read with their completions.
CREATE INDEX task_submissions_by_user ON task_submissions (user_id);
-- The queue: a task's proofs in a state, oldest first.
CREATE INDEX task_submissions_queue ON task_submissions (task_id, state, submitted_at);
