-- Every task attempt, successful or not: the activity partners read, with the GA client id
-- the widget sent so server-side activity can be joined with Google Analytics data.
CREATE TABLE task_attempts (
    -- Insertion order (timestamps tie within a second); also a cursor for activity feeds.
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    task_id       TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    -- completed, already_completed or failed
    outcome       TEXT NOT NULL,
    reason        TEXT,
    -- The user's answer as JSON (poll choice, form values, quiz choices); never a secret code.
    answer        TEXT,
    ga_client_id  TEXT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX task_attempts_user ON task_attempts(user_id);
CREATE INDEX task_attempts_task ON task_attempts(task_id);
