-- +goose Up
-- Dossiers (hồ sơ thủ tục hành chính): one request under a procedure, from receipt to the
-- result returned; their history is the journal (object "dossier"). code is
-- <unit code>-YYMMDD-NNNN, numbered per agency and day by dossier_seq. pin_hash is the
-- SHA-256 of the look-up PIN printed on the receipt slip with a per-dossier salt. paused_at is
-- when a supplement request stopped the clock; restart says the request came within 3 working
-- days of receipt, so the clock starts again from zero when the dossier is complete. Dates are
-- calendar dates (YYYY-MM-DD); instants micro-seconds since 1970 UTC.
CREATE TABLE dossiers (
    id             INTEGER PRIMARY KEY,
    agency_id      BIGINT NOT NULL REFERENCES agencies (id),
    code           TEXT   NOT NULL UNIQUE,
    procedure_id   BIGINT NOT NULL REFERENCES procedures (id),
    applicant      TEXT   NOT NULL,
    id_number      TEXT   NOT NULL DEFAULT '',
    phone          TEXT   NOT NULL DEFAULT '',
    address        TEXT   NOT NULL DEFAULT '',
    channel        TEXT   NOT NULL,
    state          TEXT   NOT NULL,
    received_at    BIGINT NOT NULL,
    counted_from   TEXT   NOT NULL,
    limit_days     BIGINT NOT NULL,
    due_on         TEXT   NOT NULL,
    new_due_on     TEXT   NOT NULL DEFAULT '',
    apology_reason TEXT   NOT NULL DEFAULT '',
    supplements    BIGINT NOT NULL DEFAULT 0,
    paused_days    BIGINT NOT NULL DEFAULT 0,
    paused_at      BIGINT NOT NULL DEFAULT 0,
    restart        BOOLEAN NOT NULL DEFAULT FALSE,
    finished_at    BIGINT NOT NULL DEFAULT 0,
    outcome        TEXT   NOT NULL DEFAULT '',
    step_no        BIGINT NOT NULL DEFAULT 0,
    handler        TEXT   NOT NULL DEFAULT '',
    reason         TEXT   NOT NULL DEFAULT '',
    pin_salt       TEXT   NOT NULL,
    pin_hash       TEXT   NOT NULL,
    rated_at       BIGINT NOT NULL DEFAULT 0,
    rating         BIGINT NOT NULL DEFAULT 0,
    rating_note    TEXT   NOT NULL DEFAULT '',
    idem_key       TEXT,
    created_by     BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX dossiers_idem ON dossiers (agency_id, idem_key);
CREATE INDEX dossiers_agency_received ON dossiers (agency_id, received_at);
CREATE INDEX dossiers_agency_open ON dossiers (agency_id, state, due_on);

CREATE TABLE dossier_steps (
    dossier_id  BIGINT NOT NULL REFERENCES dossiers (id),
    no          BIGINT NOT NULL,
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    description TEXT   NOT NULL,
    responsible TEXT   NOT NULL DEFAULT '',
    hours       BIGINT NOT NULL,
    due_on      TEXT   NOT NULL,
    handler     TEXT   NOT NULL DEFAULT '',
    done_at     BIGINT NOT NULL DEFAULT 0,
    outcome     TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (dossier_id, no)
);

CREATE TABLE dossier_seq (
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    day       TEXT   NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (agency_id, day)
);

-- Aggregates kept in the same transaction as each change: per agency, procedure and month of
-- receipt (received) or of finishing (the outcomes).
CREATE TABLE dossier_stats (
    agency_id    BIGINT NOT NULL REFERENCES agencies (id),
    procedure_id BIGINT NOT NULL REFERENCES procedures (id),
    month        TEXT   NOT NULL,
    received     BIGINT NOT NULL DEFAULT 0,
    finished     BIGINT NOT NULL DEFAULT 0,
    early        BIGINT NOT NULL DEFAULT 0,
    on_time      BIGINT NOT NULL DEFAULT 0,
    late         BIGINT NOT NULL DEFAULT 0,
    withdrawn    BIGINT NOT NULL DEFAULT 0,
    stopped      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (agency_id, procedure_id, month)
);
CREATE INDEX dossier_stats_month ON dossier_stats (month, agency_id);

-- +goose Down
DROP TABLE dossier_stats;
DROP TABLE dossier_seq;
DROP TABLE dossier_steps;
DROP TABLE dossiers;
