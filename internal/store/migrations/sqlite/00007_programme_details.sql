-- +goose Up
-- A programme's milestones per year, comments on an agency's steps, and committee members
-- who have an account.
CREATE TABLE programme_milestones (
    id           INTEGER PRIMARY KEY,
    programme_id BIGINT  NOT NULL REFERENCES programmes (id),
    year         BIGINT  NOT NULL,
    seq          BIGINT  NOT NULL,
    text         TEXT    NOT NULL
);
CREATE INDEX programme_milestones_programme ON programme_milestones (programme_id, year, seq);

CREATE TABLE step_comments (
    id            INTEGER PRIMARY KEY,
    agency_id     BIGINT  NOT NULL REFERENCES agencies (id),
    track_step_id BIGINT  NOT NULL REFERENCES track_steps (id),
    body          TEXT    NOT NULL,
    author        TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    created_by    BIGINT  NOT NULL
);
CREATE INDEX step_comments_step ON step_comments (agency_id, track_step_id, id);

ALTER TABLE committee_members ADD COLUMN user_id BIGINT REFERENCES users (id);

-- +goose Down
ALTER TABLE committee_members DROP COLUMN user_id;
DROP TABLE step_comments;
DROP TABLE programme_milestones;
