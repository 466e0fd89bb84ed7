-- Ranks and rewards (see db/rewards.rs).
--
-- A campaign's ranks and rewards are part of its document, kept as JSON on its row like the
-- intro: they are read with the campaign and have no rows of their own to join.
ALTER TABLE campaigns ADD COLUMN ranks TEXT NOT NULL DEFAULT '[]';
ALTER TABLE campaigns ADD COLUMN rewards TEXT NOT NULL DEFAULT '[]';

-- A gift code reward's pool, keyed by the reward's key (stable across edits, as campaign
-- as code keys are). A code is given by setting `claimed_by` in the claim's transaction;
-- the partial index finds the free ones without reading the given ones.
CREATE TABLE reward_codes (
    campaign_id  TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    reward_key   TEXT NOT NULL,
    code         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    claimed_by   TEXT,
    claimed_at   BIGINT,
    PRIMARY KEY (campaign_id, reward_key, code)
);
CREATE INDEX reward_codes_free ON reward_codes (campaign_id, reward_key, code)
    WHERE claimed_by IS NULL;

-- One claim per (reward, user): the key makes a claim once, however many race; the points
-- the user had then are kept for the partner who fulfils it.
CREATE TABLE reward_claims (
    campaign_id  TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    reward_key   TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code         TEXT,
    points       BIGINT NOT NULL,
    claimed_at   BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, reward_key, user_id)
);

-- The name a partner gives a user on `GET /token` (shown on leaderboards and with claims),
-- kept apart from `users` so that naming someone never creates their row (a user's row is
-- created by what they do, which is when a referral is recorded).
CREATE TABLE user_names (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    platform         TEXT NOT NULL,
    account          TEXT NOT NULL,
    name             TEXT NOT NULL,
    PRIMARY KEY (organization_id, platform, account)
);
