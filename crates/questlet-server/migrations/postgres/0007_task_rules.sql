-- The task engine's rules. A task's multiplier, recurrence, messages and window are one JSON
-- object (`TaskRules`, db/campaigns.rs): they are read with the campaign's tree and never
-- filtered on in SQL. Quests get a window, campaigns the time zone whose midnights turn
-- daily and weekly tasks over. (Numbered as SQLite's 0007; SQLite alone has a 0006.)
ALTER TABLE campaigns ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE quests ADD COLUMN starts_at BIGINT;
ALTER TABLE quests ADD COLUMN ends_at BIGINT;
ALTER TABLE tasks ADD COLUMN rules TEXT NOT NULL DEFAULT '{}';

-- A repeating task is completed once per turn: completions are keyed by (user, task, slot)
-- (slot 0 for a once-only task, the day or week number for a daily or weekly one, a count
-- for the others; see src/recurrence.rs), so the key still awards each turn once however
-- many attempts race for it. Existing completions are slot 0.
ALTER TABLE task_completions ADD COLUMN slot BIGINT NOT NULL DEFAULT 0;
ALTER TABLE task_completions DROP CONSTRAINT task_completions_pkey;
ALTER TABLE task_completions ADD PRIMARY KEY (user_id, task_id, slot);
