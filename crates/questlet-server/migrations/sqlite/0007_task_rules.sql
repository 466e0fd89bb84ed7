-- The task engine's rules. A task's multiplier, recurrence, messages and window are one JSON
-- object (`TaskRules`, db/campaigns.rs): they are read with the campaign's tree and never
-- filtered on in SQL. Quests get a window, campaigns the time zone whose midnights turn
-- daily and weekly tasks over.
ALTER TABLE campaigns ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE quests ADD COLUMN starts_at BIGINT;
ALTER TABLE quests ADD COLUMN ends_at BIGINT;
ALTER TABLE tasks ADD COLUMN rules TEXT NOT NULL DEFAULT '{}';

-- A repeating task is completed once per turn: completions are keyed by (user, task, slot)
-- (slot 0 for a once-only task, the day or week number for a daily or weekly one, a count
-- for the others; see src/recurrence.rs), so the key still awards each turn once however
-- many attempts race for it. SQLite cannot change a primary key in place: the table is
-- rebuilt, still stored in its key (WITHOUT ROWID, see 0006). Existing completions are
-- slot 0. Nothing references this table.
CREATE TABLE task_completions_by_slot (
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    task_id       TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    slot          BIGINT NOT NULL,
    points        BIGINT NOT NULL,
    ga_client_id  TEXT,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (user_id, task_id, slot)
) WITHOUT ROWID;
INSERT INTO task_completions_by_slot (user_id, task_id, slot, points, ga_client_id, created_at)
SELECT user_id, task_id, 0, points, ga_client_id, created_at FROM task_completions;
DROP TABLE task_completions;
ALTER TABLE task_completions_by_slot RENAME TO task_completions;
