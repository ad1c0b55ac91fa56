-- +goose Up
-- Full-text search: one entry per searchable thing (kind 'revision' for now), holding its
-- folded terms (search.IndexTerms) and what search filters on. SQLite indexes the terms with
-- FTS5 (search_fts, kept in step by triggers); PostgreSQL with a tsvector column and a GIN
-- index (00011 there). Both receive the same terms and the same query. tags repeats the
-- filters as terms (agency, type, state, clauses) so that FTS5 filters inside its index;
-- lead_terms (the beginning of the text) is what ranking reads.
-- Queries never ask for phrases (codes and numbers have compound terms, search.IndexTerms),
-- so the index keeps which column a term is in but not where (detail = column).
CREATE TABLE search_entries (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    ref_id      BIGINT  NOT NULL,
    agency_id   BIGINT  NOT NULL,
    document_id BIGINT  NOT NULL DEFAULT 0,
    type_code   TEXT    NOT NULL DEFAULT '',
    state       TEXT    NOT NULL DEFAULT '',
    clauses     TEXT    NOT NULL DEFAULT '',
    title_terms TEXT    NOT NULL,
    body_terms  TEXT    NOT NULL,
    lead_terms  TEXT    NOT NULL DEFAULT '',
    tags        TEXT    NOT NULL DEFAULT '',
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_entries_agency ON search_entries (agency_id, type_code, state);

CREATE VIRTUAL TABLE search_fts USING fts5 (title_terms, body_terms, tags, content = 'search_entries', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3', detail = column);

-- +goose StatementBegin
CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
    INSERT INTO search_fts (rowid, title_terms, body_terms, tags) VALUES (new.id, new.title_terms, new.body_terms, new.tags);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
    INSERT INTO search_fts (search_fts, rowid, title_terms, body_terms, tags) VALUES ('delete', old.id, old.title_terms, old.body_terms, old.tags);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_entries_au AFTER UPDATE OF title_terms, body_terms, tags ON search_entries BEGIN
    INSERT INTO search_fts (search_fts, rowid, title_terms, body_terms, tags) VALUES ('delete', old.id, old.title_terms, old.body_terms, old.tags);
    INSERT INTO search_fts (rowid, title_terms, body_terms, tags) VALUES (new.id, new.title_terms, new.body_terms, new.tags);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER search_entries_au;
DROP TRIGGER search_entries_ad;
DROP TRIGGER search_entries_ai;
DROP TABLE search_fts;
DROP TABLE search_entries;
