-- +goose Up
-- When periodic reports are due and when their period closes, as versioned data: a version per
-- kind (half, year) in force from a year until a later one; without any, the defaults.
CREATE TABLE report_schedules (
    kind       TEXT   NOT NULL,
    year_from  BIGINT NOT NULL,
    due_month  BIGINT NOT NULL,
    due_day    BIGINT NOT NULL,
    close_days BIGINT NOT NULL,
    PRIMARY KEY (kind, year_from)
);

-- +goose Down
DROP TABLE report_schedules;
