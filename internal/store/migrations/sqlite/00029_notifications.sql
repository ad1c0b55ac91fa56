-- +goose Up
-- Notifications: the in-app inbox (one per user and dedupe key), each user's preferences, and
-- the durable queue of e-mails (a job per message, with its attempts, next try and last error;
-- the dedupe key makes a message queued once).
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    kind       TEXT   NOT NULL,
    title      TEXT   NOT NULL,
    link       TEXT   NOT NULL DEFAULT '',
    dedupe     TEXT   NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    read_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);

CREATE TABLE notification_prefs (
    user_id   BIGINT PRIMARY KEY REFERENCES users (id),
    email_off TEXT   NOT NULL DEFAULT '[]',
    digest    BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE mail_jobs (
    id         INTEGER PRIMARY KEY,
    dedupe     TEXT   NOT NULL UNIQUE,
    recipient  TEXT   NOT NULL,
    subject    TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    state      TEXT   NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    next_at    BIGINT NOT NULL,
    last_error TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX mail_jobs_due ON mail_jobs (state, next_at);

-- +goose Down
DROP TABLE mail_jobs;
DROP TABLE notification_prefs;
DROP TABLE notifications;
