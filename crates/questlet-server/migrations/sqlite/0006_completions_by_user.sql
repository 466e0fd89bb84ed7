-- SQLite only: task_completions is stored in its (user_id, task_id) key (WITHOUT ROWID).
-- Why: every progress read and every attempt's answer reads one user's completions with
-- their points. In a rowid table the key's index pointed at rows scattered one per page, so
-- a user with ten completions cost ten random page reads in a large database (and a write
-- touched two B-trees); stored in the key, a user's completions share one leaf page.
-- PostgreSQL keeps its heap table and key index (it has no clustered tables to match).
-- Nothing references this table, so it is rebuilt and the old one dropped safely with
-- foreign keys on.
CREATE TABLE task_completions_by_user (
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    task_id       TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    points        BIGINT NOT NULL,
    ga_client_id  TEXT,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (user_id, task_id)
) WITHOUT ROWID;
INSERT INTO task_completions_by_user (user_id, task_id, points, ga_client_id, created_at)
SELECT user_id, task_id, points, ga_client_id, created_at FROM task_completions;
DROP TABLE task_completions;
ALTER TABLE task_completions_by_user RENAME TO task_completions;
