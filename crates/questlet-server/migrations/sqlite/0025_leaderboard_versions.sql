-- Each leaderboard row's version, raised by one with each move of the row: the servers
-- that hold boards in memory (see `ranked_boards.rs`) apply the moves they hear only
-- forward, whatever order they arrive in.
ALTER TABLE leaderboard_entries ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
