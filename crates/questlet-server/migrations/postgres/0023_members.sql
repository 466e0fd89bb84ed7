-- The partner console's team (see auth/sessions.rs): an organization's members sign in
-- with an email and a password and act through the admin API in a role. An email is one
-- member, in one organization, so signing in needs nothing else. Only the password's
-- argon2id PHC string is stored.
CREATE TABLE members (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email            TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    role             TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX members_organization ON members(organization_id);

-- A signed-in browser: the cookie carries `qls_<id>_<secret>`, only the secret's SHA-256 is
-- kept. A session ends at `expires_at`, or after a spell unused (`last_seen_at`), or when
-- its member signs out, is removed or changes role.
CREATE TABLE member_sessions (
    id            TEXT PRIMARY KEY,
    member_id     TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    secret_hash   TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX member_sessions_member ON member_sessions(member_id);
