-- +goose Up
-- How an agency's QMS is recognised: a certificate (certification regime) or the head's
-- announcement of conformity (Decision 19/2014 Art. 4, Annex I).
CREATE TABLE recognitions (
    id            INTEGER PRIMARY KEY,
    agency_id     BIGINT  NOT NULL REFERENCES agencies (id),
    kind          TEXT    NOT NULL,
    number        TEXT    NOT NULL,
    body          TEXT    NOT NULL DEFAULT '',
    edition       TEXT    NOT NULL,
    scope         TEXT    NOT NULL,
    issued_on     TEXT    NOT NULL,
    expires_on    TEXT    NOT NULL DEFAULT '',
    notified_on   TEXT    NOT NULL DEFAULT '',
    posted        TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT 'valid',
    closed_on     TEXT    NOT NULL DEFAULT '',
    closed_reason TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL,
    created_by    BIGINT  NOT NULL
);
CREATE INDEX recognitions_agency ON recognitions (agency_id, status);
CREATE INDEX recognitions_expiry ON recognitions (status, expires_on);

CREATE TABLE surveillance_audits (
    id             INTEGER PRIMARY KEY,
    agency_id      BIGINT  NOT NULL REFERENCES agencies (id),
    recognition_id BIGINT  NOT NULL REFERENCES recognitions (id),
    due_on         TEXT    NOT NULL,
    done_on        TEXT    NOT NULL DEFAULT '',
    note           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX surveillance_agency ON surveillance_audits (agency_id, recognition_id);
CREATE INDEX surveillance_due ON surveillance_audits (done_on, due_on);

-- +goose Down
DROP TABLE surveillance_audits;
DROP TABLE recognitions;
