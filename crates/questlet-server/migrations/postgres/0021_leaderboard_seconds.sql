-- Leaderboard counters per exact second (level 7, see db/leaderboard.rs `LEVELS`): how many
-- users of a board reached each score in each second. A place then counts row by row only
-- the users who reached the same score in the same second, not everyone of its 2^7 seconds
-- (a burst of completions, hundreds a second at a few scores, left thousands there). Built
-- for every board from its entries; later changes keep it with the other levels.
INSERT INTO leaderboard_counts (campaign_id, period, level, score, band, users)
    SELECT campaign_id, period, 7, -neg_points, reached_at, COUNT(*) FROM leaderboard_entries
    GROUP BY campaign_id, period, neg_points, reached_at;
