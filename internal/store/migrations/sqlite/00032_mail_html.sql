-- +goose Up
-- An e-mail's HTML part, sent with its plain text as multipart/alternative (empty: text only).
ALTER TABLE mail_jobs ADD COLUMN html TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE mail_jobs DROP COLUMN html;
