-- Points the partner awards or deducts through the admin API, beside those completions
-- award. One row per partner-chosen reward id in the organization (the key makes a
-- repeated id change nothing); it keeps what was asked, what moved (a deduction stops at
-- zero unless asked otherwise) and the user's points right after, which a repeat answers.
CREATE TABLE point_adjustments (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    reward_id        TEXT NOT NULL,
    campaign_id      TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    requested        BIGINT NOT NULL,
    applied          BIGINT NOT NULL,
    points_after     BIGINT NOT NULL,
    reason           TEXT,
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (organization_id, reward_id)
);
-- A user's adjustments in a campaign, summed into their points.
CREATE INDEX point_adjustments_by_user ON point_adjustments (user_id, campaign_id);
