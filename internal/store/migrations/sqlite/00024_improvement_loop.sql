-- +goose Up
-- The rest of the improvement loop: internal audits with their checklist and findings, risks
-- and opportunities with the history of their scores, quality objectives with the values
-- entered for them, management reviews with their frozen input pack; and the actions of
-- nc_actions now belong to one of a nonconformity, a risk, an objective or a review.
CREATE TABLE audits (
    id         INTEGER PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id),
    year       BIGINT NOT NULL,
    code       TEXT   NOT NULL,
    title      TEXT   NOT NULL,
    scope      TEXT   NOT NULL DEFAULT '',
    clauses    TEXT   NOT NULL DEFAULT '[]',
    processes  TEXT   NOT NULL DEFAULT '[]',
    units      TEXT   NOT NULL DEFAULT '[]',
    starts_on  TEXT   NOT NULL,
    ends_on    TEXT   NOT NULL,
    lead_id    BIGINT NOT NULL REFERENCES users (id),
    team       TEXT   NOT NULL DEFAULT '[]',
    auditees   TEXT   NOT NULL DEFAULT '',
    state      TEXT   NOT NULL,
    summary    TEXT   NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    UNIQUE (agency_id, code)
);
CREATE INDEX audits_year ON audits (agency_id, year, starts_on);
CREATE INDEX audits_state ON audits (state, starts_on);

CREATE TABLE audit_items (
    id        INTEGER PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    audit_id  BIGINT NOT NULL REFERENCES audits (id),
    position  BIGINT NOT NULL,
    clause    TEXT   NOT NULL DEFAULT '',
    process   TEXT   NOT NULL DEFAULT '',
    question  TEXT   NOT NULL,
    result    TEXT   NOT NULL DEFAULT '',
    note      TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX audit_items_audit ON audit_items (audit_id, position);

CREATE TABLE audit_findings (
    id          INTEGER PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    audit_id    BIGINT NOT NULL REFERENCES audits (id),
    type        TEXT   NOT NULL,
    clause      TEXT   NOT NULL DEFAULT '',
    process     TEXT   NOT NULL DEFAULT '',
    unit        TEXT   NOT NULL DEFAULT '',
    description TEXT   NOT NULL,
    evidence    TEXT   NOT NULL,
    nc_id       BIGINT REFERENCES nonconformities (id),
    recorded_by BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX audit_findings_audit ON audit_findings (audit_id, id);
CREATE INDEX audit_findings_agency ON audit_findings (agency_id, recorded_at);

CREATE TABLE risks (
    id          INTEGER PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    code        TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    process     TEXT   NOT NULL DEFAULT '',
    title       TEXT   NOT NULL,
    description TEXT   NOT NULL DEFAULT '',
    likelihood  BIGINT NOT NULL,
    impact      BIGINT NOT NULL,
    treatment   TEXT   NOT NULL DEFAULT '',
    review_on   TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    created_by  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    UNIQUE (agency_id, code)
);
CREATE INDEX risks_agency ON risks (agency_id, state, review_on);

CREATE TABLE risk_scores (
    id         INTEGER PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id),
    risk_id    BIGINT NOT NULL REFERENCES risks (id),
    likelihood BIGINT NOT NULL,
    impact     BIGINT NOT NULL,
    note       TEXT   NOT NULL DEFAULT '',
    scored_by  BIGINT NOT NULL,
    scored_at  BIGINT NOT NULL
);
CREATE INDEX risk_scores_risk ON risk_scores (risk_id, id);

CREATE TABLE objectives (
    id         INTEGER PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id),
    year       BIGINT NOT NULL,
    title      TEXT   NOT NULL,
    measure    TEXT   NOT NULL,
    target     DOUBLE PRECISION NOT NULL,
    direction  TEXT   NOT NULL,
    frequency  TEXT   NOT NULL,
    owner_id   BIGINT NOT NULL REFERENCES users (id),
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX objectives_agency ON objectives (agency_id, year, id);

CREATE TABLE objective_values (
    id           INTEGER PRIMARY KEY,
    agency_id    BIGINT NOT NULL REFERENCES agencies (id),
    objective_id BIGINT NOT NULL REFERENCES objectives (id),
    period       TEXT   NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    evidence     TEXT   NOT NULL,
    entered_by   BIGINT NOT NULL,
    entered_at   BIGINT NOT NULL,
    UNIQUE (objective_id, period)
);

CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    code        TEXT   NOT NULL,
    meeting_on  TEXT   NOT NULL,
    period_from TEXT   NOT NULL,
    period_to   TEXT   NOT NULL,
    chair       TEXT   NOT NULL DEFAULT '',
    attendees   TEXT   NOT NULL DEFAULT '',
    state       TEXT   NOT NULL,
    pack        TEXT   NOT NULL DEFAULT '',
    conclusions TEXT   NOT NULL DEFAULT '{}',
    decisions   TEXT   NOT NULL DEFAULT '',
    approved_by BIGINT NOT NULL DEFAULT 0,
    approved_at BIGINT NOT NULL DEFAULT 0,
    created_by  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    UNIQUE (agency_id, code)
);
CREATE INDEX reviews_agency ON reviews (agency_id, meeting_on);

CREATE TABLE loop_actions (
    id           INTEGER PRIMARY KEY,
    agency_id    BIGINT NOT NULL REFERENCES agencies (id),
    nc_id        BIGINT REFERENCES nonconformities (id),
    risk_id      BIGINT REFERENCES risks (id),
    objective_id BIGINT REFERENCES objectives (id),
    review_id    BIGINT REFERENCES reviews (id),
    type         TEXT   NOT NULL,
    description  TEXT   NOT NULL,
    owner_id     BIGINT NOT NULL REFERENCES users (id),
    due_on       TEXT   NOT NULL,
    state        TEXT   NOT NULL,
    evidence     TEXT   NOT NULL DEFAULT '',
    done_at      BIGINT NOT NULL DEFAULT 0,
    check_on     TEXT   NOT NULL DEFAULT '',
    checked_by   BIGINT NOT NULL DEFAULT 0,
    check_note   TEXT   NOT NULL DEFAULT '',
    checked_at   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
);
INSERT INTO loop_actions (id, agency_id, nc_id, type, description, owner_id, due_on, state, evidence, done_at, check_on, checked_by, check_note, checked_at, created_at)
    SELECT id, agency_id, nc_id, type, description, owner_id, due_on, state, evidence, done_at, check_on, checked_by, check_note, checked_at, created_at FROM nc_actions;
DROP TABLE nc_actions;
ALTER TABLE loop_actions RENAME TO nc_actions;
CREATE INDEX nc_actions_nc ON nc_actions (nc_id, id);
CREATE INDEX nc_actions_risk ON nc_actions (risk_id, id);
CREATE INDEX nc_actions_objective ON nc_actions (objective_id, id);
CREATE INDEX nc_actions_review ON nc_actions (review_id, id);
CREATE INDEX nc_actions_open ON nc_actions (agency_id, state, due_on);
CREATE INDEX nc_actions_owner ON nc_actions (owner_id, state, due_on);

-- +goose Down
DELETE FROM nc_actions WHERE nc_id IS NULL;
DROP INDEX nc_actions_risk;
DROP INDEX nc_actions_objective;
DROP INDEX nc_actions_review;
DROP INDEX nc_actions_owner;
DROP TABLE reviews;
DROP TABLE objective_values;
DROP TABLE objectives;
DROP TABLE risk_scores;
DROP TABLE risks;
DROP TABLE audit_findings;
DROP TABLE audit_items;
DROP TABLE audits;
