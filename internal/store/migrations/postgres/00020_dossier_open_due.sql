-- +goose Up
-- The province's count of open dossiers past due, across agencies: by state and due date.
CREATE INDEX dossiers_open_due ON dossiers (state, due_on);

-- +goose Down
DROP INDEX dossiers_open_due;
