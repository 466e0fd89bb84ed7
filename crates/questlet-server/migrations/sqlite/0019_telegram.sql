-- Telegram (see auth/telegram.rs and db/telegram.rs): the bots an organization registered
-- for Mini App sign-in and Telegram tasks, and the other identities users are linked by.

-- An organization's bots. `token` is the bot's token when the partner shared it: the
-- server needs it as given (it keys initData's `hash` and authorizes Bot API calls), like a
-- webhook secret, and no API returns it after registration. Without it, initData is
-- checked by Telegram's Ed25519 `signature`, which needs only `bot_id`.
CREATE TABLE telegram_bots (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    bot_id           BIGINT NOT NULL,
    token            TEXT,
    label            TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    UNIQUE (organization_id, bot_id)
);

-- An identity from elsewhere (a Telegram user id; a wallet later) linked to one user of the
-- organization: signing in by it acts as that user. One identity per user per provider,
-- and one user per identity.
CREATE TABLE identity_links (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    provider         TEXT NOT NULL,
    external_id      TEXT NOT NULL,
    platform         TEXT NOT NULL,
    account          TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (organization_id, provider, external_id),
    UNIQUE (organization_id, provider, platform, account)
);
