-- Keys that sign JWTs (OAuth2 access tokens and user tokens). They live in the database so
-- tokens survive a restart and every server process sharing a PostgreSQL database signs and
-- verifies with the same keys. The oldest unretired key signs; all unretired keys verify.
CREATE TABLE signing_keys (
    kid            TEXT PRIMARY KEY,
    algorithm      TEXT NOT NULL,
    -- PKCS#8 document of the private key, base64.
    private_pkcs8  TEXT NOT NULL,
    -- Raw public key, base64url without padding (the JWK's "x").
    public_key     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    retired_at     BIGINT
);
