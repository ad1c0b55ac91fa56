-- +goose Up
-- Attachments of a revision (annexes, forms, diagrams) besides its main file. They are part of
-- what the approver signs: the revision's hash covers them. Their text is searched with the
-- revision's.
CREATE TABLE revision_attachments (
    id          INTEGER PRIMARY KEY,
    agency_id   BIGINT  NOT NULL REFERENCES agencies (id),
    revision_id BIGINT  NOT NULL REFERENCES revisions (id),
    file_sha256 TEXT    NOT NULL,
    file_name   TEXT    NOT NULL,
    file_size   BIGINT  NOT NULL,
    file_type   TEXT    NOT NULL,
    body_text   TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL
);
CREATE INDEX revision_attachments_revision ON revision_attachments (agency_id, revision_id, id);

-- +goose Down
DROP TABLE revision_attachments;
