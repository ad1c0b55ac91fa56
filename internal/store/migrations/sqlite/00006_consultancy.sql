-- +goose Up
-- The register of consultancies and certification bodies (Circular 27/2011/TT-BKHCN, later
-- Circular 26/2014/TT-BKHCN), their experts, agencies' engagements and DOST's inspections.
CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    licence    TEXT    NOT NULL DEFAULT '',
    address    TEXT    NOT NULL DEFAULT '',
    created_at BIGINT  NOT NULL
);

CREATE TABLE experts (
    id              INTEGER PRIMARY KEY,
    organisation_id BIGINT  NOT NULL REFERENCES organisations (id),
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    qualification   TEXT    NOT NULL DEFAULT '',
    certificate_no  TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL
);
CREATE INDEX experts_organisation ON experts (organisation_id);

CREATE TABLE engagements (
    id              INTEGER PRIMARY KEY,
    agency_id       BIGINT  NOT NULL REFERENCES agencies (id),
    organisation_id BIGINT  NOT NULL REFERENCES organisations (id),
    contract_no     TEXT    NOT NULL,
    signed_on       TEXT    NOT NULL,
    starts_on       TEXT    NOT NULL,
    ends_on         TEXT    NOT NULL,
    value_vnd       BIGINT  NOT NULL,
    scope           TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX engagements_agency ON engagements (agency_id, starts_on);
CREATE INDEX engagements_organisation ON engagements (organisation_id);

CREATE TABLE organisation_inspections (
    id              INTEGER PRIMARY KEY,
    organisation_id BIGINT  NOT NULL REFERENCES organisations (id),
    inspected_on    TEXT    NOT NULL,
    findings        TEXT    NOT NULL,
    conclusion      TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX organisation_inspections_org ON organisation_inspections (organisation_id, inspected_on);

-- +goose Down
DROP TABLE organisation_inspections;
DROP TABLE engagements;
DROP TABLE experts;
DROP TABLE organisations;
