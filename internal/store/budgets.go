package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/isogov/isogov/internal/qms"
)

// SaveNorm stores a version of the finance norms (replacing one of the same code).
func (q Q) SaveNorm(ctx context.Context, n qms.Norm) error {
	_, err := q.exec(ctx, `INSERT INTO finance_norms (code, effective_from, norm) VALUES (?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET effective_from = excluded.effective_from, norm = excluded.norm`, n.Code, n.EffectiveFrom.String(), jsonText(n))
	return err
}

// Norms returns the stored norms, the latest in force first.
func (q Q) Norms(ctx context.Context) ([]qms.Norm, error) {
	rows, err := q.query(ctx, "SELECT norm FROM finance_norms ORDER BY effective_from DESC")
	return scanAll(rows, err, func(r *sql.Rows) (qms.Norm, error) {
		var raw string
		var n qms.Norm
		if err := r.Scan(&raw); err != nil {
			return n, err
		}
		return n, json.Unmarshal([]byte(raw), &n)
	})
}

const budgetColumns = "b.id, b.agency_id, a.code, a.name, a.kind, b.year, b.norm_code, b.extension, b.lines, b.version"

func scanBudget(r interface{ Scan(...any) error }) (qms.Budget, error) {
	var b qms.Budget
	var lines string
	if err := r.Scan(&b.ID, &b.AgencyID, &b.AgencyCode, &b.AgencyName, &b.Kind, &b.Year, &b.NormCode, &b.Extension, &lines, &b.Version); err != nil {
		return b, err
	}
	return b, json.Unmarshal([]byte(lines), &b.Lines)
}

// Budget returns an agency's budget for a year; found is false when there is none.
func (q Q) Budget(ctx context.Context, agencyID int64, year int) (qms.Budget, bool, error) {
	b, err := scanBudget(q.row(ctx, "SELECT "+budgetColumns+" FROM budgets b JOIN agencies a ON a.id = b.agency_id WHERE b.agency_id = ? AND b.year = ?", agencyID, year))
	if errors.Is(err, sql.ErrNoRows) {
		return b, false, nil
	}
	return b, err == nil, err
}

// SaveBudget writes an agency's budget for a year: a new one, or the one read at its version.
func (q Q) SaveBudget(ctx context.Context, b *qms.Budget) error {
	if b.ID == 0 {
		id, err := q.insert(ctx, "INSERT INTO budgets (agency_id, year, norm_code, extension, lines) VALUES (?, ?, ?, ?, ?)",
			b.AgencyID, b.Year, b.NormCode, b.Extension, jsonText(b.Lines))
		if err != nil {
			return conflict(err, "err.stale")
		}
		b.ID, b.Version = id, 1
		return nil
	}
	return q.versioned(ctx, &b.Version, "UPDATE budgets SET norm_code = ?, extension = ?, lines = ?, version = version + 1 WHERE id = ? AND version = ?",
		b.NormCode, b.Extension, jsonText(b.Lines), b.ID, b.Version)
}

// Budgets returns every agency's budget for a year (0: every year), by year and agency code.
func (q Q) Budgets(ctx context.Context, year int) ([]qms.Budget, error) {
	where, args := "b.year = ?", []any{year}
	if year == 0 {
		where, args = "1 = 1", nil
	}
	rows, err := q.query(ctx, "SELECT "+budgetColumns+" FROM budgets b JOIN agencies a ON a.id = b.agency_id WHERE "+where+" ORDER BY b.year, a.code", args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Budget, error) { return scanBudget(r) })
}
