-- +goose Up
-- The province's register of legal documents (văn bản pháp luật) the catalogue cites, kept by
-- the coordinator: a procedure's legal bases link to it (procedure_legal_bases), found by the
-- number written in each line. number_key is the number upper-cased, for matching.
CREATE TABLE legal_documents (
    id           INTEGER PRIMARY KEY,
    number       TEXT   NOT NULL,
    number_key   TEXT   NOT NULL UNIQUE,
    title        TEXT   NOT NULL DEFAULT '',
    issuer       TEXT   NOT NULL DEFAULT '',
    signed_on    TEXT   NOT NULL DEFAULT '',
    effective_on TEXT   NOT NULL DEFAULT '',
    status       TEXT   NOT NULL DEFAULT 'in_force',
    changed_on   TEXT   NOT NULL DEFAULT '',
    changed_by   TEXT   NOT NULL DEFAULT '',
    search_text  TEXT   NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE procedure_legal_bases (
    procedure_id BIGINT NOT NULL REFERENCES procedures (id),
    legal_id     BIGINT NOT NULL REFERENCES legal_documents (id),
    PRIMARY KEY (procedure_id, legal_id)
);
CREATE INDEX procedure_legal_bases_legal ON procedure_legal_bases (legal_id, procedure_id);

-- Change impact: when a procedure is amended or abolished, or a legal document is amended or
-- repealed, each agency concerned gets an update task listing its documents concerned
-- (update_task_items, with the revision in force when the task was opened). The TTHC list is
-- due within 5 working days (list_due_on, procedures only), the documents within 3 months
-- (due_on). An item is settled when another revision of its document takes effect or the one
-- in force is withdrawn; the task closes when everything is settled, or with a justification.
CREATE TABLE update_tasks (
    id            INTEGER PRIMARY KEY,
    agency_id     BIGINT NOT NULL REFERENCES agencies (id),
    cause         TEXT   NOT NULL,
    procedure_id  BIGINT REFERENCES procedures (id),
    legal_id      BIGINT REFERENCES legal_documents (id),
    change        TEXT   NOT NULL,
    decision      TEXT   NOT NULL DEFAULT '',
    changed_on    TEXT   NOT NULL,
    list_due_on   TEXT   NOT NULL DEFAULT '',
    list_done_on  TEXT   NOT NULL DEFAULT '',
    list_done_by  BIGINT NOT NULL DEFAULT 0,
    due_on        TEXT   NOT NULL,
    state         TEXT   NOT NULL DEFAULT 'open',
    closed_how    TEXT   NOT NULL DEFAULT '',
    justification TEXT   NOT NULL DEFAULT '',
    closed_at     BIGINT NOT NULL DEFAULT 0,
    closed_by     BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);
CREATE INDEX update_tasks_agency ON update_tasks (agency_id, state, due_on);
CREATE INDEX update_tasks_open ON update_tasks (state, due_on);

CREATE TABLE update_task_items (
    task_id          BIGINT NOT NULL REFERENCES update_tasks (id),
    document_id      BIGINT NOT NULL REFERENCES documents (id),
    revision_id      BIGINT NOT NULL DEFAULT 0,
    done_revision_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, document_id)
);
CREATE INDEX update_task_items_document ON update_task_items (document_id, done_revision_id);

-- +goose Down
DROP TABLE update_task_items;
DROP TABLE update_tasks;
DROP TABLE procedure_legal_bases;
DROP TABLE legal_documents;
