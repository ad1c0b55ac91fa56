-- +goose Up
-- The structured content of a process (quy trình): one row per revision of a document of type
-- "process", its step table and records as JSON (qms.ProcessContent); digest is part of what
-- the approver signs.
CREATE TABLE process_contents (
    revision_id BIGINT NOT NULL PRIMARY KEY REFERENCES revisions (id),
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    procedures  TEXT   NOT NULL DEFAULT '',
    content     TEXT   NOT NULL,
    digest      TEXT   NOT NULL
);

-- +goose Down
DROP TABLE process_contents;
