package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/isogov/isogov/internal/qms"
)

// InspectionPlan is a year's plan: its state and approval.
type InspectionPlan struct {
	Year       int
	State      string // draft, approved
	DecisionNo string
	ApprovedOn qms.Date
	Version    int64
}

// Plan returns a year's plan; found is false when there is none.
func (q Q) Plan(ctx context.Context, year int) (InspectionPlan, bool, error) {
	p := InspectionPlan{Year: year}
	var on string
	err := q.row(ctx, "SELECT state, decision_no, approved_on, version FROM inspection_plans WHERE year = ?", year).Scan(&p.State, &p.DecisionNo, &on, &p.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	p.ApprovedOn, _ = qms.ParseDate(on)
	return p, err == nil, err
}

// SavePlanItems writes a draft plan: the plan row and its inspections, replacing those of the year.
func (q Q) SavePlanItems(ctx context.Context, year int, items []qms.Inspection) error {
	if _, err := q.exec(ctx, `INSERT INTO inspection_plans (year, state) VALUES (?, 'draft') ON CONFLICT (year) DO UPDATE SET version = inspection_plans.version + 1`,
		year); err != nil {
		return err
	}
	if _, err := q.exec(ctx, "DELETE FROM inspections WHERE year = ?", year); err != nil {
		return err
	}
	for i := range items {
		x := &items[i]
		x.Code = qms.InspectionCode(year, i+1)
		id, err := q.insert(ctx, `INSERT INTO inspections (year, agency_id, code, form, month, team, partner, budget, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			year, x.AgencyID, x.Code, x.Form, x.Month, x.Team, x.Partner, x.Budget, qms.InspPlanned)
		if err != nil {
			return err
		}
		x.ID = id
	}
	return nil
}

// ApprovePlan records a plan's approval.
func (q Q) ApprovePlan(ctx context.Context, year int, decisionNo string, on qms.Date) error {
	_, err := q.exec(ctx, "UPDATE inspection_plans SET state = 'approved', decision_no = ?, approved_on = ?, version = version + 1 WHERE year = ?", decisionNo, on.String(), year)
	return err
}

const inspectionColumns = `x.id, x.year, x.agency_id, a.code, a.name, x.code, x.form, x.month, x.team, x.partner, x.budget, x.state, x.decision_no, x.decision_on, x.members,
	x.checklist, x.conclusion, x.done_on, x.corrective_due, x.corrective, x.corrected_at, x.version`

func scanInspection(r interface{ Scan(...any) error }) (qms.Inspection, error) {
	var x qms.Inspection
	var decided, done, due, list string
	var corrected int64
	err := r.Scan(&x.ID, &x.Year, &x.AgencyID, &x.AgencyCode, &x.AgencyName, &x.Code, &x.Form, &x.Month, &x.Team, &x.Partner, &x.Budget, &x.State, &x.DecisionNo, &decided,
		&x.Members, &list, &x.Conclusion, &done, &due, &x.Corrective, &corrected, &x.Version)
	x.DecisionOn, _ = qms.ParseDate(decided)
	x.DoneOn, _ = qms.ParseDate(done)
	x.CorrectiveDue, _ = qms.ParseDate(due)
	_ = json.Unmarshal([]byte(list), &x.Checklist)
	if corrected != 0 {
		x.CorrectedAt = fromMicros(corrected)
	}
	return x, err
}

// Inspections returns a year's inspections (agencyID 0: every agency), by code.
func (q Q) Inspections(ctx context.Context, year int, agencyID int64) ([]qms.Inspection, error) {
	where, args := "x.year = ?", []any{year}
	if year == 0 {
		where, args = "1 = 1", nil
	}
	if agencyID != 0 {
		where, args = where+" AND x.agency_id = ?", append(args, agencyID)
	}
	rows, err := q.query(ctx, "SELECT "+inspectionColumns+" FROM inspections x JOIN agencies a ON a.id = x.agency_id WHERE "+where+" ORDER BY x.code", args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Inspection, error) { return scanInspection(r) })
}

// Inspection returns one inspection.
func (q Q) Inspection(ctx context.Context, id int64) (qms.Inspection, error) {
	x, err := scanInspection(q.row(ctx, "SELECT "+inspectionColumns+" FROM inspections x JOIN agencies a ON a.id = x.agency_id WHERE x.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, qms.Errorf(qms.ENotFound, "err.inspection_not_found")
	}
	return x, err
}

// UpdateInspection writes an inspection when its version is the one read.
func (q Q) UpdateInspection(ctx context.Context, x *qms.Inspection) error {
	return q.versioned(ctx, &x.Version, `UPDATE inspections SET state = ?, decision_no = ?, decision_on = ?, members = ?, checklist = ?, conclusion = ?, done_on = ?,
		corrective_due = ?, corrective = ?, corrected_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		x.State, x.DecisionNo, x.DecisionOn.String(), x.Members, jsonText(x.Checklist), x.Conclusion, x.DoneOn.String(), x.CorrectiveDue.String(), x.Corrective,
		microsOrZero(x.CorrectedAt), x.ID, x.Version)
}
