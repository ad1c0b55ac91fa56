-- +goose Up
-- Retention of obsolete revisions: the day a revision stopped being in force (superseded or
-- withdrawn), and its destruction once the type's retention has passed (its file, attachments
-- and text are removed; the record of what it was, with its hash, stays).
ALTER TABLE revisions ADD COLUMN obsolete_on TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN purged_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE revisions ADD COLUMN purged_by BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE revisions DROP COLUMN purged_by;
ALTER TABLE revisions DROP COLUMN purged_at;
ALTER TABLE revisions DROP COLUMN obsolete_on;
