-- +goose Up
-- The Department of Science and Technology's consolidated report to the People's Committee and
-- the Ministry, as a document of its own: one per kind (half, year) and year; its text written by
-- the Department, the table per agency (JSON) frozen when its leader signs, numbered, submitted
-- to the recipients named.
CREATE TABLE province_reports (
    id           INTEGER PRIMARY KEY,
    kind         TEXT   NOT NULL,
    year         BIGINT NOT NULL,
    state        TEXT   NOT NULL,
    number       TEXT   NOT NULL DEFAULT '',
    data         TEXT   NOT NULL DEFAULT '',
    results      TEXT   NOT NULL DEFAULT '',
    difficulties TEXT   NOT NULL DEFAULT '',
    proposals    TEXT   NOT NULL DEFAULT '',
    signed_by    BIGINT NOT NULL DEFAULT 0,
    signed_at    BIGINT NOT NULL DEFAULT 0,
    submitted_at BIGINT NOT NULL DEFAULT 0,
    submitted_to TEXT   NOT NULL DEFAULT '',
    created_by   BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1,
    UNIQUE (kind, year)
);

-- +goose Down
DROP TABLE province_reports;
