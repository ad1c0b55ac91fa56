-- +goose Up
-- Aggregates of completed steps per agency, unit (the step's responsible unit or role) or
-- handler, and month of completion, kept in the same transaction as each step's completion.
CREATE TABLE dossier_step_stats (
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    kind      TEXT   NOT NULL,
    name      TEXT   NOT NULL,
    month     TEXT   NOT NULL,
    done      BIGINT NOT NULL DEFAULT 0,
    early     BIGINT NOT NULL DEFAULT 0,
    on_time   BIGINT NOT NULL DEFAULT 0,
    late      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (agency_id, kind, name, month)
);

-- +goose Down
DROP TABLE dossier_step_stats;
