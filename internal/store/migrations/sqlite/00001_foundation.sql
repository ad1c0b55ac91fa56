-- +goose Up
-- Instants are microseconds since the Unix epoch (UTC), 0 for "never"; dates are 'YYYY-MM-DD' or ''.
CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    short_name  TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL,
    parent_id   BIGINT  REFERENCES agencies (id),
    valid_from  TEXT    NOT NULL DEFAULT '',
    valid_to    TEXT    NOT NULL DEFAULT '',
    search_text TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX agencies_parent ON agencies (parent_id);

CREATE TABLE agency_links (
    id             INTEGER PRIMARY KEY,
    from_agency_id BIGINT  NOT NULL REFERENCES agencies (id),
    to_agency_id   BIGINT  NOT NULL REFERENCES agencies (id),
    kind           TEXT    NOT NULL,
    effective_on   TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    UNIQUE (from_agency_id, to_agency_id)
);
CREATE INDEX agency_links_to ON agency_links (to_agency_id);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    agency_id   BIGINT  NOT NULL REFERENCES agencies (id),
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    closed      BOOLEAN NOT NULL DEFAULT FALSE,
    search_text TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    UNIQUE (agency_id, code)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    lang          TEXT    NOT NULL DEFAULT 'vi',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT    NOT NULL,
    search_text   TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);

CREATE TABLE role_grants (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL,
    agency_id  BIGINT  REFERENCES agencies (id),
    granted_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX role_grants_agency ON role_grants (user_id, role, agency_id) WHERE agency_id IS NOT NULL;
CREATE UNIQUE INDEX role_grants_province ON role_grants (user_id, role) WHERE agency_id IS NULL;
CREATE INDEX role_grants_by_agency ON role_grants (agency_id, role);

-- Sessions are keyed by the SHA-256 of the cookie value, so a copy of the table signs nobody in.
CREATE TABLE sessions (
    id           TEXT    PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    agency_code  TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    ip           TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    prefix       TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT  NOT NULL DEFAULT 0,
    expires_at   BIGINT  NOT NULL DEFAULT 0,
    revoked_at   BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The journal: one entry per change, hash-chained per agency (chain = agency id) and for the
-- province (chain = 0). journal_heads holds each chain's last seq and hash, so entries removed
-- from the end of a chain are caught too.
CREATE TABLE journal (
    id          INTEGER PRIMARY KEY,
    chain       BIGINT  NOT NULL,
    seq         BIGINT  NOT NULL,
    at          BIGINT  NOT NULL,
    actor_id    BIGINT  NOT NULL,
    actor_name  TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    object_type TEXT    NOT NULL,
    object_id   TEXT    NOT NULL,
    changes     TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    UNIQUE (chain, seq)
);
CREATE INDEX journal_object ON journal (object_type, object_id, id);

CREATE TABLE journal_heads (
    chain BIGINT NOT NULL PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT   NOT NULL
);

-- +goose Down
DROP TABLE journal_heads;
DROP TABLE journal;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE role_grants;
DROP TABLE users;
DROP TABLE units;
DROP TABLE agency_links;
DROP TABLE agencies;
