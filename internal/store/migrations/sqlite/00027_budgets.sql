-- +goose Up
-- Finance norms as versioned data (the caps as JSON) and each agency's yearly estimate with its
-- spending (the lines as JSON: heading, estimate, actual, explanation).
CREATE TABLE finance_norms (
    code           TEXT   PRIMARY KEY,
    effective_from TEXT   NOT NULL,
    norm           TEXT   NOT NULL
);

CREATE TABLE budgets (
    id        INTEGER PRIMARY KEY,
    agency_id BIGINT  NOT NULL REFERENCES agencies (id),
    year      BIGINT  NOT NULL,
    norm_code TEXT    NOT NULL REFERENCES finance_norms (code),
    extension BOOLEAN NOT NULL DEFAULT FALSE,
    lines     TEXT    NOT NULL,
    version   BIGINT  NOT NULL DEFAULT 1,
    UNIQUE (agency_id, year)
);
CREATE INDEX budgets_year ON budgets (year);

-- +goose Down
DROP TABLE budgets;
DROP TABLE finance_norms;
