-- +goose Up
-- Controlled documents of an agency and their revisions (lần ban hành). A revision's content
-- (title, change note, main file) is hashed; the hash at submission is what the approver signs.
CREATE TABLE documents (
    id             INTEGER PRIMARY KEY,
    agency_id      BIGINT  NOT NULL REFERENCES agencies (id),
    type_code      TEXT    NOT NULL,
    code           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    clauses        TEXT    NOT NULL DEFAULT '',
    edition        TEXT    NOT NULL DEFAULT '2015',
    ext_number     TEXT    NOT NULL DEFAULT '',
    ext_issuer     TEXT    NOT NULL DEFAULT '',
    ext_signed_on  TEXT    NOT NULL DEFAULT '',
    ext_effective  TEXT    NOT NULL DEFAULT '',
    ext_expired_on TEXT    NOT NULL DEFAULT '',
    ext_status     TEXT    NOT NULL DEFAULT '',
    next_review_on TEXT    NOT NULL DEFAULT '',
    created_at     BIGINT  NOT NULL,
    created_by     BIGINT  NOT NULL,
    UNIQUE (agency_id, code)
);
CREATE INDEX documents_agency ON documents (agency_id, type_code, code);

CREATE TABLE revisions (
    id             INTEGER PRIMARY KEY,
    agency_id      BIGINT  NOT NULL REFERENCES agencies (id),
    document_id    BIGINT  NOT NULL REFERENCES documents (id),
    number         BIGINT  NOT NULL,
    state          TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    change_note    TEXT    NOT NULL DEFAULT '',
    file_sha256    TEXT    NOT NULL DEFAULT '',
    file_name      TEXT    NOT NULL DEFAULT '',
    file_size      BIGINT  NOT NULL DEFAULT 0,
    file_type      TEXT    NOT NULL DEFAULT '',
    body_text      TEXT    NOT NULL DEFAULT '',
    content_hash   TEXT    NOT NULL DEFAULT '',
    submitted_hash TEXT    NOT NULL DEFAULT '',
    effective_on   TEXT    NOT NULL DEFAULT '',
    author_id      BIGINT  NOT NULL,
    approver_id    BIGINT  NOT NULL DEFAULT 0,
    approved_at    BIGINT  NOT NULL DEFAULT 0,
    reason         TEXT    NOT NULL DEFAULT '',
    round          BIGINT  NOT NULL DEFAULT 0,
    round_deadline TEXT    NOT NULL DEFAULT '',
    version        BIGINT  NOT NULL DEFAULT 1,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    UNIQUE (document_id, number)
);
CREATE INDEX revisions_state ON revisions (state, effective_on);
CREATE INDEX revisions_agency ON revisions (agency_id, document_id);

-- Comment rounds: the named reviewers of each round and their comments, each answered.
CREATE TABLE revision_reviewers (
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    revision_id BIGINT NOT NULL REFERENCES revisions (id),
    round       BIGINT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (revision_id, round, user_id)
);

CREATE TABLE revision_comments (
    id          INTEGER PRIMARY KEY,
    agency_id   BIGINT  NOT NULL REFERENCES agencies (id),
    revision_id BIGINT  NOT NULL REFERENCES revisions (id),
    round       BIGINT  NOT NULL,
    author_id   BIGINT  NOT NULL,
    body        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    answer      TEXT    NOT NULL DEFAULT '',
    answer_note TEXT    NOT NULL DEFAULT '',
    answered_by BIGINT  NOT NULL DEFAULT 0,
    answered_at BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX revision_comments_revision ON revision_comments (agency_id, revision_id, round, id);

-- Distribution: who must read a document (no row: everyone with a role in the agency), and
-- each reader's acknowledgement of each revision that took effect.
CREATE TABLE document_readers (
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    document_id BIGINT NOT NULL REFERENCES documents (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (document_id, user_id)
);

CREATE TABLE acknowledgements (
    agency_id       BIGINT NOT NULL REFERENCES agencies (id),
    revision_id     BIGINT NOT NULL REFERENCES revisions (id),
    user_id         BIGINT NOT NULL REFERENCES users (id),
    acknowledged_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (revision_id, user_id)
);
CREATE INDEX acknowledgements_user ON acknowledgements (user_id, acknowledged_at);

-- Change requests (phiếu yêu cầu sửa đổi): anyone in the agency files one; the ISO secretary
-- accepts it (a new draft revision starts) or rejects it with a reason.
CREATE TABLE change_requests (
    id           INTEGER PRIMARY KEY,
    agency_id    BIGINT  NOT NULL REFERENCES agencies (id),
    document_id  BIGINT  NOT NULL REFERENCES documents (id),
    requester_id BIGINT  NOT NULL,
    body         TEXT    NOT NULL,
    state        TEXT    NOT NULL DEFAULT 'open',
    reason       TEXT    NOT NULL DEFAULT '',
    decided_by   BIGINT  NOT NULL DEFAULT 0,
    decided_at   BIGINT  NOT NULL DEFAULT 0,
    revision_id  BIGINT  NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX change_requests_document ON change_requests (agency_id, document_id, id);

-- The province's model documents (the framework model) that agencies copy into drafts.
CREATE TABLE doc_models (
    id           INTEGER PRIMARY KEY,
    type_code    TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    clauses      TEXT    NOT NULL DEFAULT '',
    edition      TEXT    NOT NULL DEFAULT '2015',
    file_sha256  TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    file_size    BIGINT  NOT NULL,
    file_type    TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    published_at BIGINT  NOT NULL,
    published_by BIGINT  NOT NULL
);

-- +goose Down
DROP TABLE doc_models;
DROP TABLE change_requests;
DROP TABLE acknowledgements;
DROP TABLE document_readers;
DROP TABLE revision_comments;
DROP TABLE revision_reviewers;
DROP TABLE revisions;
DROP TABLE documents;
