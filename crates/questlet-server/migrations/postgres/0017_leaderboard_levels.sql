-- Leaderboard counters in bands of 2^7 at every level (exact scores; 2^7, 2^14 and 2^21
-- bands of scores; per score, 2^7, 2^14 and 2^21 bands of seconds, levels 0 to 6) instead
-- of 2^10 and 2^20: a place reads at most 2^7 counters a level (at 2^10, a place on a
-- board of a million users read ~500 scattered counters of one level). The counters of
-- every board are rebuilt from its entries; `>>` rounds down on both backends.
DELETE FROM leaderboard_counts;
INSERT INTO leaderboard_counts (campaign_id, period, level, score, band, users)
    SELECT campaign_id, period, 0, -neg_points, 0, COUNT(*) FROM leaderboard_entries
    GROUP BY campaign_id, period, -neg_points;
INSERT INTO leaderboard_counts (campaign_id, period, level, score, band, users)
    SELECT campaign_id, period, 1, (-neg_points) >> 7, 0, COUNT(*) FROM leaderboard_entries
    GROUP BY campaign_id, period, (-neg_points) >> 7;
INSERT INTO leaderboard_counts (campaign_id, period, level, score, band, users)
    SELECT campaign_id, period, 2, (-neg_points) >> 14, 0, COUNT(*) FROM leaderboard_entries
    GROUP BY campaign_id, period, (-neg_points) >> 14;
INSERT INTO leaderboard_counts (campaign_id, period, level, score, band, users)
    SELECT campaign_id, period, 3, (-neg_points) >> 21, 0, COUNT(*) FROM leaderboard_entries
    GROUP BY campaign_id, period, (-neg_points) >> 21;
INSERT INTO leaderboard_counts (campaign_id, period, level, score, band, users)
    SELECT campaign_id, period, 4, -neg_points, reached_at >> 7, COUNT(*)
    FROM leaderboard_entries GROUP BY campaign_id, period, -neg_points, reached_at >> 7;
INSERT INTO leaderboard_counts (campaign_id, period, level, score, band, users)
    SELECT campaign_id, period, 5, -neg_points, reached_at >> 14, COUNT(*)
    FROM leaderboard_entries GROUP BY campaign_id, period, -neg_points, reached_at >> 14;
INSERT INTO leaderboard_counts (campaign_id, period, level, score, band, users)
    SELECT campaign_id, period, 6, -neg_points, reached_at >> 21, COUNT(*)
    FROM leaderboard_entries GROUP BY campaign_id, period, -neg_points, reached_at >> 21;
