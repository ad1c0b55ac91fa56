-- +goose Up
-- The unit that takes part in an inspection with the inspecting one (Circular 26/2014 Art.
-- 34(2): "đơn vị phối hợp").
ALTER TABLE inspections ADD COLUMN partner TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE inspections DROP COLUMN partner;
