-- +goose Up
-- Distribution to units (phòng ban): the units that receive a document, and each unit's
-- acknowledgement of each revision that took effect, given by one of the agency's people on
-- the unit's behalf.
CREATE TABLE document_units (
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    document_id BIGINT NOT NULL REFERENCES documents (id),
    unit_id     BIGINT NOT NULL REFERENCES units (id),
    PRIMARY KEY (document_id, unit_id)
);

CREATE TABLE unit_acknowledgements (
    agency_id       BIGINT NOT NULL REFERENCES agencies (id),
    revision_id     BIGINT NOT NULL REFERENCES revisions (id),
    unit_id         BIGINT NOT NULL REFERENCES units (id),
    acknowledged_by BIGINT NOT NULL DEFAULT 0,
    acknowledged_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (revision_id, unit_id)
);
CREATE INDEX unit_acknowledgements_agency ON unit_acknowledgements (agency_id, acknowledged_at);

-- +goose Down
DROP TABLE unit_acknowledgements;
DROP TABLE document_units;
