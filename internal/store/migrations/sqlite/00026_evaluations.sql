-- +goose Up
-- The yearly evaluation: the criteria and their weights as versioned data (the set in force
-- for a year is the latest from a year not after it), and the manual adjustments of scores.
CREATE TABLE evaluation_criteria (
    id        INTEGER PRIMARY KEY,
    year_from BIGINT NOT NULL UNIQUE,
    criteria  TEXT   NOT NULL,
    set_by    BIGINT NOT NULL,
    set_at    BIGINT NOT NULL
);

CREATE TABLE evaluation_adjustments (
    id        INTEGER PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    year      BIGINT NOT NULL,
    criterion TEXT   NOT NULL,
    points    DOUBLE PRECISION NOT NULL,
    reason    TEXT   NOT NULL,
    made_by   BIGINT NOT NULL,
    made_at   BIGINT NOT NULL
);
CREATE INDEX evaluation_adjustments_year ON evaluation_adjustments (year, agency_id);

-- +goose Down
DROP TABLE evaluation_adjustments;
DROP TABLE evaluation_criteria;
