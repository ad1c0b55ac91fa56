-- +goose Up
-- Citizens' ratings in the aggregates (month of the rating): how many and their sum, for the
-- average satisfaction and the measures of quality objectives.
ALTER TABLE dossier_stats ADD COLUMN rated BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dossier_stats ADD COLUMN rating_sum BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE dossier_stats DROP COLUMN rating_sum;
ALTER TABLE dossier_stats DROP COLUMN rated;
