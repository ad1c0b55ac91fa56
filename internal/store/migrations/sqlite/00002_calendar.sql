-- +goose Up
-- An administrator's arrangement of a year replaces the one shipped in the binary; the body is
-- in the format of internal/calendar/data/arrangements.txt.
CREATE TABLE calendar_arrangements (
    year       BIGINT  NOT NULL PRIMARY KEY,
    document   TEXT    NOT NULL,
    confidence TEXT    NOT NULL DEFAULT '',
    body       TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL,
    updated_by BIGINT  NOT NULL
);

-- Decree 61/2018 Art. 19: a dossier received after the agency's cut-off counts from the next working day.
ALTER TABLE agencies ADD COLUMN office_cutoff TEXT NOT NULL DEFAULT '15:00';

-- +goose Down
ALTER TABLE agencies DROP COLUMN office_cutoff;
DROP TABLE calendar_arrangements;
