-- +goose Up
-- The province's deployment programmes (DOMAIN.md §1–2) and each agency's track through them.
CREATE TABLE programmes (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    decision_no   TEXT    NOT NULL DEFAULT '',
    decision_date TEXT    NOT NULL DEFAULT '',
    signer        TEXT    NOT NULL DEFAULT '',
    year_from     BIGINT  NOT NULL,
    year_to       BIGINT  NOT NULL,
    edition       TEXT    NOT NULL,
    regime        TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);

CREATE TABLE programme_agencies (
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    agency_id    BIGINT NOT NULL REFERENCES agencies (id),
    grp          TEXT   NOT NULL,
    PRIMARY KEY (programme_id, agency_id)
);
CREATE INDEX programme_agencies_agency ON programme_agencies (agency_id, programme_id);

-- Step templates per regime; groups lists the groups a step applies to ('' = every group).
CREATE TABLE step_templates (
    id                INTEGER PRIMARY KEY,
    regime            TEXT    NOT NULL,
    code              TEXT    NOT NULL,
    phase             BIGINT  NOT NULL,
    seq               BIGINT  NOT NULL,
    title             TEXT    NOT NULL,
    groups            TEXT    NOT NULL DEFAULT '',
    evidence_required BOOLEAN NOT NULL DEFAULT FALSE,
    evidence_kinds    TEXT    NOT NULL DEFAULT '',
    UNIQUE (regime, code)
);

CREATE TABLE track_steps (
    id           INTEGER PRIMARY KEY,
    agency_id    BIGINT  NOT NULL REFERENCES agencies (id),
    programme_id BIGINT  NOT NULL REFERENCES programmes (id),
    template_id  BIGINT  NOT NULL REFERENCES step_templates (id),
    status       TEXT    NOT NULL DEFAULT 'not_started',
    planned_on   TEXT    NOT NULL DEFAULT '',
    done_on      TEXT    NOT NULL DEFAULT '',
    owner        TEXT    NOT NULL DEFAULT '',
    na_reason    TEXT    NOT NULL DEFAULT '',
    updated_at   BIGINT  NOT NULL,
    UNIQUE (agency_id, programme_id, template_id)
);
CREATE INDEX track_steps_programme ON track_steps (programme_id, agency_id);

-- Evidence of a step: an uploaded file (content-addressed under the data folder), a link to
-- any QMS object by type and id (documents, audits, reviews… as they come), or a note.
CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    agency_id     BIGINT  NOT NULL REFERENCES agencies (id),
    track_step_id BIGINT  NOT NULL REFERENCES track_steps (id),
    kind          TEXT    NOT NULL,
    file_sha256   TEXT    NOT NULL DEFAULT '',
    file_name     TEXT    NOT NULL DEFAULT '',
    file_size     BIGINT  NOT NULL DEFAULT 0,
    file_type     TEXT    NOT NULL DEFAULT '',
    link_type     TEXT    NOT NULL DEFAULT '',
    link_id       TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL,
    created_by    BIGINT  NOT NULL
);
CREATE INDEX evidence_step ON evidence (agency_id, track_step_id);

-- Steering committees: every composition is kept; the newest is in force.
CREATE TABLE committees (
    id            INTEGER PRIMARY KEY,
    agency_id     BIGINT  NOT NULL REFERENCES agencies (id),
    decision_no   TEXT    NOT NULL,
    decision_date TEXT    NOT NULL,
    rules_note    TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL,
    created_by    BIGINT  NOT NULL,
    notified_at   BIGINT  NOT NULL DEFAULT 0,
    notified_by   BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX committees_agency ON committees (agency_id, id);
CREATE INDEX committees_notified ON committees (notified_at);

CREATE TABLE committee_members (
    id           INTEGER PRIMARY KEY,
    agency_id    BIGINT  NOT NULL REFERENCES agencies (id),
    committee_id BIGINT  NOT NULL REFERENCES committees (id),
    seq          BIGINT  NOT NULL,
    name         TEXT    NOT NULL,
    position     TEXT    NOT NULL DEFAULT '',
    role         TEXT    NOT NULL
);
CREATE INDEX committee_members_committee ON committee_members (agency_id, committee_id, seq);

-- +goose Down
DROP TABLE committee_members;
DROP TABLE committees;
DROP TABLE evidence;
DROP TABLE track_steps;
DROP TABLE step_templates;
DROP TABLE programme_agencies;
DROP TABLE programmes;
