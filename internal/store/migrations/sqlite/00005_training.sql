-- +goose Up
-- Training: the province's course catalogue, sessions, and who attended with what result.
CREATE TABLE courses (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL UNIQUE,
    title      TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

CREATE TABLE training_sessions (
    id             INTEGER PRIMARY KEY,
    course_id      BIGINT  NOT NULL REFERENCES courses (id),
    organiser      TEXT    NOT NULL,
    agency_id      BIGINT  REFERENCES agencies (id),
    organiser_name TEXT    NOT NULL DEFAULT '',
    starts_on      TEXT    NOT NULL,
    ends_on        TEXT    NOT NULL,
    place          TEXT    NOT NULL DEFAULT '',
    created_at     BIGINT  NOT NULL,
    created_by     BIGINT  NOT NULL
);
CREATE INDEX training_sessions_start ON training_sessions (starts_on);

-- The attendee's agency leads the index: an agency reads its own people's records.
CREATE TABLE attendees (
    id             INTEGER PRIMARY KEY,
    agency_id      BIGINT  NOT NULL REFERENCES agencies (id),
    session_id     BIGINT  NOT NULL REFERENCES training_sessions (id),
    user_id        BIGINT  REFERENCES users (id),
    name           TEXT    NOT NULL,
    result         TEXT    NOT NULL DEFAULT 'attended',
    certificate_no TEXT    NOT NULL DEFAULT '',
    created_at     BIGINT  NOT NULL
);
CREATE INDEX attendees_agency ON attendees (agency_id, session_id);
CREATE INDEX attendees_session ON attendees (session_id);

-- +goose Down
DROP TABLE attendees;
DROP TABLE training_sessions;
DROP TABLE courses;
