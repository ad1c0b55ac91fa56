-- +goose Up
-- Nonconformities of an agency (code NC-YYYY-NNN numbered per agency and year) with their
-- analysis (the whys as JSON), and their actions: owner, due date, evidence, and the
-- effectiveness check by another user.
CREATE TABLE nonconformities (
    id          INTEGER PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    code        TEXT   NOT NULL,
    title       TEXT   NOT NULL,
    description TEXT   NOT NULL,
    source      TEXT   NOT NULL,
    source_ref  TEXT   NOT NULL DEFAULT '',
    clause      TEXT   NOT NULL DEFAULT '',
    unit        TEXT   NOT NULL DEFAULT '',
    severity    TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    correction  TEXT   NOT NULL DEFAULT '',
    whys        TEXT   NOT NULL DEFAULT '[]',
    root_cause  TEXT   NOT NULL DEFAULT '',
    category    TEXT   NOT NULL DEFAULT '',
    reason      TEXT   NOT NULL DEFAULT '',
    reported_by BIGINT NOT NULL DEFAULT 0,
    reported_at BIGINT NOT NULL,
    closed_at   BIGINT NOT NULL DEFAULT 0,
    version     BIGINT NOT NULL DEFAULT 1,
    UNIQUE (agency_id, code)
);
CREATE INDEX nonconformities_state ON nonconformities (agency_id, state, id);
CREATE INDEX nonconformities_source ON nonconformities (agency_id, source, source_ref);

CREATE TABLE nc_actions (
    id          INTEGER PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    nc_id       BIGINT NOT NULL REFERENCES nonconformities (id),
    type        TEXT   NOT NULL,
    description TEXT   NOT NULL,
    owner_id    BIGINT NOT NULL REFERENCES users (id),
    due_on      TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    evidence    TEXT   NOT NULL DEFAULT '',
    done_at     BIGINT NOT NULL DEFAULT 0,
    check_on    TEXT   NOT NULL DEFAULT '',
    checked_by  BIGINT NOT NULL DEFAULT 0,
    check_note  TEXT   NOT NULL DEFAULT '',
    checked_at  BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE INDEX nc_actions_nc ON nc_actions (nc_id, id);
CREATE INDEX nc_actions_open ON nc_actions (agency_id, state, due_on);

-- +goose Down
DROP TABLE nc_actions;
DROP TABLE nonconformities;
