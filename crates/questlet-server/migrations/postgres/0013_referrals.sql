-- Referrals. Every user has a referral code, derived from who they are (so the widget can
-- show it before the user has a row) and stored here so that a code finds its user. A new
-- user who arrives with someone's code records it in `referred_by` when their row is
-- created: a user is referred once, and only before they have done anything.
ALTER TABLE users ADD COLUMN referral_code TEXT;
ALTER TABLE users ADD COLUMN referred_by TEXT;
ALTER TABLE users ADD COLUMN referred_at BIGINT;
-- Not unique: codes are 60-bit hashes, and a rare collision must not refuse a user.
CREATE INDEX users_by_referral_code ON users (organization_id, referral_code);
-- A referral task counts the users a code brought.
CREATE INDEX users_by_referrer ON users (organization_id, referred_by);
-- Where referral links point.
ALTER TABLE campaigns ADD COLUMN referral_url TEXT;
