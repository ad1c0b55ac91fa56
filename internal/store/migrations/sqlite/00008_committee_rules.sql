-- +goose Up
-- The operating rules (quy chế hoạt động) of a steering committee composition, as a stored file.
ALTER TABLE committees ADD COLUMN rules_file_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE committees ADD COLUMN rules_file_name TEXT NOT NULL DEFAULT '';
ALTER TABLE committees ADD COLUMN rules_file_size BIGINT NOT NULL DEFAULT 0;
ALTER TABLE committees ADD COLUMN rules_file_type TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE committees DROP COLUMN rules_file_type;
ALTER TABLE committees DROP COLUMN rules_file_size;
ALTER TABLE committees DROP COLUMN rules_file_name;
ALTER TABLE committees DROP COLUMN rules_file_sha256;
