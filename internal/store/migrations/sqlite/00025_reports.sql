-- +goose Up
-- Periodic reports of an agency to the Department of Science and Technology: one per agency,
-- kind (half, year) and year; the figures (JSON) frozen at signing, the free-text sections,
-- the workflow's marks.
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    agency_id    BIGINT NOT NULL REFERENCES agencies (id),
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
    late         BOOLEAN NOT NULL DEFAULT FALSE,
    reviewed_by  BIGINT NOT NULL DEFAULT 0,
    reviewed_at  BIGINT NOT NULL DEFAULT 0,
    comment      TEXT   NOT NULL DEFAULT '',
    created_by   BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1,
    UNIQUE (agency_id, kind, year)
);
CREATE INDEX reports_period ON reports (kind, year, state);

-- +goose Down
DROP TABLE reports;
