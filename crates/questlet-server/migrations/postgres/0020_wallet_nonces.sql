-- Sign-In with Ethereum (see auth/siwe.rs and db/wallet_nonces.rs): the nonces this server
-- issued for sign-in messages. A nonce is good for one sign-in in its organization until it
-- expires: a sign-in uses it up by setting `used_at`, so a replayed message is refused.
-- Expired rows are deleted as new ones are issued.
CREATE TABLE wallet_nonces (
    nonce            TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    expires_at       BIGINT NOT NULL,
    used_at          BIGINT
);
CREATE INDEX wallet_nonces_expiry ON wallet_nonces (expires_at);
