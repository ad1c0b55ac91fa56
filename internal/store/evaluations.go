package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

// CriteriaFor returns the evaluation criteria in force for a year and the year they apply
// from; none stored: the defaults (from year 0).
func (q Q) CriteriaFor(ctx context.Context, year int) ([]qms.Criterion, int, error) {
	var raw string
	var from int
	err := q.row(ctx, "SELECT criteria, year_from FROM evaluation_criteria WHERE year_from <= ? ORDER BY year_from DESC LIMIT 1", year).Scan(&raw, &from)
	if errors.Is(err, sql.ErrNoRows) {
		return append([]qms.Criterion(nil), qms.DefaultCriteria...), 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	var list []qms.Criterion
	return list, from, json.Unmarshal([]byte(raw), &list)
}

// SetCriteria stores the criteria in force from a year (replacing those set for that year).
func (q Q) SetCriteria(ctx context.Context, yearFrom int, list []qms.Criterion, by int64, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO evaluation_criteria (year_from, criteria, set_by, set_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (year_from) DO UPDATE SET criteria = excluded.criteria, set_by = excluded.set_by, set_at = excluded.set_at`, yearFrom, jsonText(list), by, micros(now))
	return err
}

// AddAdjustment records a manual adjustment of a score.
func (q Q) AddAdjustment(ctx context.Context, a *qms.Adjustment, by int64) error {
	id, err := q.insert(ctx, `INSERT INTO evaluation_adjustments (agency_id, year, criterion, points, reason, made_by, made_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.AgencyID, a.Year, a.Criterion, a.Points, a.Reason, by, micros(a.At))
	a.ID = id
	return err
}

// Adjustments returns a year's adjustments by agency.
func (q Q) Adjustments(ctx context.Context, year int) (map[int64][]qms.Adjustment, error) {
	rows, err := q.query(ctx, `SELECT x.id, x.agency_id, x.year, x.criterion, x.points, x.reason, COALESCE(u.name, ''), x.made_at FROM evaluation_adjustments x
		LEFT JOIN users u ON u.id = x.made_by WHERE x.year = ? ORDER BY x.id`, year)
	list, err := scanAll(rows, err, func(r *sql.Rows) (qms.Adjustment, error) {
		var a qms.Adjustment
		var at int64
		err := r.Scan(&a.ID, &a.AgencyID, &a.Year, &a.Criterion, &a.Points, &a.Reason, &a.ByName, &at)
		a.At = fromMicros(at)
		return a, err
	})
	out := map[int64][]qms.Adjustment{}
	for _, a := range list {
		out[a.AgencyID] = append(out[a.AgencyID], a)
	}
	return out, err
}
