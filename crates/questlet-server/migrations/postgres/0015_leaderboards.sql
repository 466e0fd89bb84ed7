-- Leaderboards (see db/leaderboard.rs): per campaign and board (`all`, `week:<Monday>`,
-- `month:<YYYY-MM>`), one row per user with their score, negated so that ascending index
-- order is the board's order, and when they reached it (ties go to the earlier); changed in
-- the transaction that moves the points.
CREATE TABLE leaderboard_entries (
    campaign_id  TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    neg_points   BIGINT NOT NULL,
    reached_at   BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, period, user_id)
);
CREATE INDEX leaderboard_order ON leaderboard_entries
    (campaign_id, period, neg_points, reached_at, user_id);

-- How many users of a board hold each score (level 0), each 2^10 and 2^20 band of scores
-- (levels 1, 2), and, per score, reached it in each 2^10 and 2^20 band of seconds (levels
-- 3, 4): a user's place sums a bounded number of these, whatever the number of users.
CREATE TABLE leaderboard_counts (
    campaign_id  TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    level        INTEGER NOT NULL,
    score        BIGINT NOT NULL,
    band         BIGINT NOT NULL,
    users        BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, period, level, score, band)
);
