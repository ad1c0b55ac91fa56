-- +goose Up
-- The province's yearly inspection plan (Form 19) and its inspections: decision (Form 20),
-- minutes (Form 21) with the Art. 36 checklist as JSON, the agency's corrective report.
CREATE TABLE inspection_plans (
    year        BIGINT PRIMARY KEY,
    state       TEXT   NOT NULL,
    decision_no TEXT   NOT NULL DEFAULT '',
    approved_on TEXT   NOT NULL DEFAULT '',
    version     BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE inspections (
    id             INTEGER PRIMARY KEY,
    year           BIGINT NOT NULL REFERENCES inspection_plans (year),
    agency_id      BIGINT NOT NULL REFERENCES agencies (id),
    code           TEXT   NOT NULL UNIQUE,
    form           TEXT   NOT NULL,
    month          BIGINT NOT NULL,
    team           TEXT   NOT NULL DEFAULT '',
    budget         BIGINT NOT NULL DEFAULT 0,
    state          TEXT   NOT NULL,
    decision_no    TEXT   NOT NULL DEFAULT '',
    decision_on    TEXT   NOT NULL DEFAULT '',
    members        TEXT   NOT NULL DEFAULT '',
    checklist      TEXT   NOT NULL DEFAULT '[]',
    conclusion     TEXT   NOT NULL DEFAULT '',
    done_on        TEXT   NOT NULL DEFAULT '',
    corrective_due TEXT   NOT NULL DEFAULT '',
    corrective     TEXT   NOT NULL DEFAULT '',
    corrected_at   BIGINT NOT NULL DEFAULT 0,
    version        BIGINT NOT NULL DEFAULT 1,
    UNIQUE (year, agency_id)
);
CREATE INDEX inspections_agency ON inspections (agency_id, year);
CREATE INDEX inspections_due ON inspections (state, corrective_due);

-- +goose Down
DROP TABLE inspections;
DROP TABLE inspection_plans;
