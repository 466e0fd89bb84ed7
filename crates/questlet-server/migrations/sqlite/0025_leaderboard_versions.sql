-- Each leaderboard row's version, raised by one with each move of the row: the servers
-- that hold boards in memory (see `ranked_boards.rs`) apply the moves they hear only
-- forward, whatever order they arrive in.
ALTER TABLE leaderboard_entries ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- The board's order now ends with the version, so that a board is read into memory, in
-- order, from the index alone (a row's version changes only with its place, so the index
-- is written no more often than before).
DROP INDEX leaderboard_order;
CREATE INDEX leaderboard_order ON leaderboard_entries
    (campaign_id, period, neg_points, reached_at, user_id, version);
