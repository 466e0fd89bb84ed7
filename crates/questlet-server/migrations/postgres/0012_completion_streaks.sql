-- Streaks of daily tasks: each completion stores how many consecutive daily turns end with
-- it (the previous turn's streak plus one, or 1 after a gap), computed by the insert that
-- stores it, so reading a user's current streak needs no scan of their history. Other
-- tasks' completions have 1.
ALTER TABLE task_completions ADD COLUMN streak BIGINT NOT NULL DEFAULT 1;
