-- +goose Up
-- The province's catalogue of administrative procedures (thủ tục hành chính), kept by the
-- coordinator; each agency's list is the procedures it settles (procedure_agencies).
CREATE TABLE procedures (
    id              INTEGER PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    field           TEXT    NOT NULL,
    level           TEXT    NOT NULL,
    time_limit_days BIGINT  NOT NULL,
    fees            TEXT    NOT NULL DEFAULT '',
    components      TEXT    NOT NULL DEFAULT '',
    result          TEXT    NOT NULL DEFAULT '',
    online          TEXT    NOT NULL DEFAULT 'none',
    anywhere        BOOLEAN NOT NULL DEFAULT FALSE,
    status          TEXT    NOT NULL DEFAULT 'in_force',
    effective_on    TEXT    NOT NULL DEFAULT '',
    decision        TEXT    NOT NULL DEFAULT '',
    legal_bases     TEXT    NOT NULL DEFAULT '',
    search_text     TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX procedures_field ON procedures (field, code);

CREATE TABLE procedure_agencies (
    procedure_id BIGINT NOT NULL REFERENCES procedures (id),
    agency_id    BIGINT NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (procedure_id, agency_id)
);
CREATE INDEX procedure_agencies_agency ON procedure_agencies (agency_id, procedure_id);

-- +goose Down
DROP TABLE procedure_agencies;
DROP TABLE procedures;
