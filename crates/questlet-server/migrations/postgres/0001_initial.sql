-- The first schema (PostgreSQL twin of migrations/sqlite/0001_initial.sql; keep them in step):
-- tenants, their credentials, the content model (organization -> campaigns -> groups -> quests
-- -> tasks), users and completions. Times are Unix seconds, ids TEXT and booleans 0/1 BIGINTs
-- so that one set of queries runs on both backends through sqlx's Any driver.

-- Organizations are the tenants: every other row hangs off one.
CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Organization API tokens (seed 000): only a SHA-256 of the secret part is kept.
CREATE TABLE api_tokens (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    label            TEXT NOT NULL,
    secret_hash      TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    last_used_at     BIGINT,
    revoked_at       BIGINT
);
CREATE INDEX api_tokens_organization ON api_tokens(organization_id);

-- OAuth2 client-credentials clients (seed 004): only a SHA-256 of the secret is kept.
CREATE TABLE oauth_clients (
    client_id        TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    label            TEXT NOT NULL,
    secret_hash      TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    revoked_at       BIGINT
);
CREATE INDEX oauth_clients_organization ON oauth_clients(organization_id);

CREATE TABLE campaigns (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    slug             TEXT NOT NULL,
    title            TEXT NOT NULL,
    description_md   TEXT NOT NULL,
    image_url        TEXT,
    starts_at        BIGINT,
    ends_at          BIGINT,
    status           TEXT NOT NULL CHECK (status IN ('draft', 'published', 'ended')),
    points_name      TEXT NOT NULL,
    -- JSON array of origins allowed to embed the widget.
    allowed_origins  TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (organization_id, slug)
);

CREATE TABLE campaign_groups (
    id           TEXT PRIMARY KEY,
    campaign_id  TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    -- The partner's key from the campaign document, unique within the campaign.
    key          TEXT NOT NULL,
    title        TEXT NOT NULL,
    position     BIGINT NOT NULL
);
CREATE INDEX campaign_groups_campaign ON campaign_groups(campaign_id);

CREATE TABLE quests (
    id              TEXT PRIMARY KEY,
    group_id        TEXT NOT NULL REFERENCES campaign_groups(id) ON DELETE CASCADE,
    -- The partner's key, unique within the campaign; prerequisites refer to it.
    key             TEXT NOT NULL,
    title           TEXT NOT NULL,
    description_md  TEXT NOT NULL,
    image_url       TEXT,
    points          BIGINT NOT NULL,
    position        BIGINT NOT NULL,
    -- JSON array of quest keys that must be completed first.
    prerequisites   TEXT NOT NULL
);
CREATE INDEX quests_group ON quests(group_id);

CREATE TABLE tasks (
    id              TEXT PRIMARY KEY,
    quest_id        TEXT NOT NULL REFERENCES quests(id) ON DELETE CASCADE,
    -- The partner's key, unique within the quest.
    key             TEXT NOT NULL,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description_md  TEXT NOT NULL,
    points          BIGINT NOT NULL,
    required        BIGINT NOT NULL,
    position        BIGINT NOT NULL,
    -- JSON of the kind's full settings, secrets (codes, quiz answers) included: server only.
    config          TEXT NOT NULL
);
CREATE INDEX tasks_quest ON tasks(quest_id);

-- End users, per organization, identified by (platform, account) from a user token.
CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    platform         TEXT NOT NULL,
    account          TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    UNIQUE (organization_id, platform, account)
);

-- One row per (user, task): the unique key is what makes completion idempotent.
CREATE TABLE task_completions (
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    task_id       TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    points        BIGINT NOT NULL,
    ga_client_id  TEXT,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (user_id, task_id)
);
