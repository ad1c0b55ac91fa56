-- +goose Up
-- Who checked a revision before it went for signature: the one who submitted it for approval.
-- The revision header shows them as "Soát xét", between the author and the approver.
ALTER TABLE revisions ADD COLUMN checker_id BIGINT NOT NULL DEFAULT 0;
-- An agency may let an author approve their own documents (its leader decides).
ALTER TABLE agencies ADD COLUMN doc_self_approval BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE agencies DROP COLUMN doc_self_approval;
ALTER TABLE revisions DROP COLUMN checker_id;
