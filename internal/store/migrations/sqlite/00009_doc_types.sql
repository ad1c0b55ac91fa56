-- +goose Up
-- Kinds of controlled documents, as data the coordinator edits (the issue of documents).
CREATE TABLE doc_types (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE,
    name_vi        TEXT    NOT NULL,
    name_en        TEXT    NOT NULL DEFAULT '',
    code_pattern   TEXT    NOT NULL,
    review_months  BIGINT  NOT NULL DEFAULT 0,
    comment_round  BOOLEAN NOT NULL DEFAULT FALSE,
    approver       TEXT    NOT NULL DEFAULT 'leader',
    self_approval  BOOLEAN NOT NULL DEFAULT FALSE,
    retain_years   BIGINT  NOT NULL DEFAULT 0,
    external       BOOLEAN NOT NULL DEFAULT FALSE,
    mandatory_2008 BOOLEAN NOT NULL DEFAULT FALSE
);

-- +goose Down
DROP TABLE doc_types;
