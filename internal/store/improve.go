package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

const ncColumns = `n.id, n.agency_id, a.code, n.code, n.title, n.description, n.source, n.source_ref, n.clause, n.unit, n.severity, n.state, n.correction,
	n.whys, n.root_cause, n.category, n.reason, n.reported_by, n.reported_at, n.closed_at, n.version`

func scanNC(r interface{ Scan(...any) error }) (qms.Nonconformity, error) {
	var n qms.Nonconformity
	var whys string
	var reported, closed int64
	err := r.Scan(&n.ID, &n.AgencyID, &n.AgencyCode, &n.Code, &n.Title, &n.Description, &n.Source, &n.SourceRef, &n.Clause, &n.Unit, &n.Severity, &n.State,
		&n.Correction, &whys, &n.RootCause, &n.Category, &n.Reason, &n.ReportedBy, &reported, &closed, &n.Version)
	_ = json.Unmarshal([]byte(whys), &n.Whys)
	n.ReportedAt = fromMicros(reported)
	if closed != 0 {
		n.ClosedAt = fromMicros(closed)
	}
	return n, err
}

// InsertNC records a nonconformity, numbering it NC-YYYY-NNN within its agency and year.
func (q Q) InsertNC(ctx context.Context, n *qms.Nonconformity) error {
	year := n.ReportedAt.In(vietnamZone).Format("2006")
	var count int
	if err := q.row(ctx, "SELECT count(*) FROM nonconformities WHERE agency_id = ? AND code LIKE ?", n.AgencyID, "NC-"+year+"-%").Scan(&count); err != nil {
		return err
	}
	n.Code = fmt.Sprintf("NC-%s-%03d", year, count+1)
	whys, _ := json.Marshal(n.Whys)
	id, err := q.insert(ctx, `INSERT INTO nonconformities (agency_id, code, title, description, source, source_ref, clause, unit, severity, state, correction, whys,
		reported_by, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.AgencyID, n.Code, n.Title, n.Description, n.Source, n.SourceRef, n.Clause, n.Unit, n.Severity, n.State, n.Correction, string(whys), n.ReportedBy,
		micros(n.ReportedAt))
	if err != nil {
		return conflict(err, "err.stale")
	}
	n.ID, n.Version = id, 1
	return nil
}

// NC returns one of an agency's nonconformities with its actions.
func (q Q) NC(ctx context.Context, agencyID, id int64) (qms.Nonconformity, error) {
	n, err := scanNC(q.row(ctx, "SELECT "+ncColumns+" FROM nonconformities n JOIN agencies a ON a.id = n.agency_id WHERE n.agency_id = ? AND n.id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return n, qms.Errorf(qms.ENotFound, "err.nc_not_found")
	}
	if err != nil {
		return n, err
	}
	n.Actions, err = q.actions(ctx, "x.nc_id = ?", n.ID)
	return n, err
}

// NCFilter selects an agency's nonconformities, newest first.
type NCFilter struct {
	AgencyID  int64
	State     qms.NCState
	Open      bool
	Source    qms.NCSource
	SourceRef string
	Limit     int
}

// NCs returns the nonconformities matching f (without their actions).
func (q Q) NCs(ctx context.Context, f NCFilter) ([]qms.Nonconformity, error) {
	where, args := []string{"n.agency_id = ?"}, []any{f.AgencyID}
	if f.State != "" {
		where, args = append(where, "n.state = ?"), append(args, f.State)
	}
	if f.Open {
		where, args = append(where, "n.state NOT IN (?, ?)"), append(args, qms.NCClosed, qms.NCCancelled)
	}
	if f.Source != "" {
		where, args = append(where, "n.source = ?"), append(args, f.Source)
	}
	if f.SourceRef != "" {
		where, args = append(where, "n.source_ref = ?"), append(args, f.SourceRef)
	}
	text := "SELECT " + ncColumns + " FROM nonconformities n JOIN agencies a ON a.id = n.agency_id WHERE " + strings.Join(where, " AND ") + " ORDER BY n.id DESC"
	if f.Limit > 0 {
		text += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := q.query(ctx, text, args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Nonconformity, error) { return scanNC(r) })
}

// UpdateNC writes a nonconformity's changing fields when its version is the one read.
func (q Q) UpdateNC(ctx context.Context, n *qms.Nonconformity) error {
	whys, _ := json.Marshal(n.Whys)
	res, err := q.exec(ctx, `UPDATE nonconformities SET state = ?, correction = ?, whys = ?, root_cause = ?, category = ?, reason = ?, closed_at = ?,
		version = version + 1 WHERE id = ? AND version = ?`,
		n.State, n.Correction, string(whys), n.RootCause, n.Category, n.Reason, microsOrZero(n.ClosedAt), n.ID, n.Version)
	if err != nil {
		return err
	}
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		if err == nil {
			err = qms.Errorf(qms.EConflict, "err.stale")
		}
		return err
	}
	n.Version++
	return nil
}

const actionColumns = `x.id, COALESCE(x.nc_id, 0), COALESCE(x.risk_id, 0), COALESCE(x.objective_id, 0), COALESCE(x.review_id, 0), x.type, x.description, x.owner_id, COALESCE(o.name, ''), x.due_on, x.state, x.evidence, x.done_at, x.check_on,
	x.checked_by, COALESCE(c.name, ''), x.check_note, x.checked_at`

func (q Q) actions(ctx context.Context, cond string, args ...any) ([]qms.Action, error) {
	rows, err := q.query(ctx, "SELECT "+actionColumns+` FROM nc_actions x LEFT JOIN users o ON o.id = x.owner_id LEFT JOIN users c ON c.id = x.checked_by
		WHERE `+cond+" ORDER BY x.id", args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Action, error) {
		var a qms.Action
		var due, check string
		var done, checked int64
		err := r.Scan(&a.ID, &a.NCID, &a.RiskID, &a.ObjectiveID, &a.ReviewID, &a.Type, &a.Description, &a.OwnerID, &a.OwnerName, &due, &a.State, &a.Evidence, &done, &check, &a.CheckedBy,
			&a.CheckedByName, &a.CheckNote, &checked)
		a.DueOn, _ = qms.ParseDate(due)
		a.CheckOn, _ = qms.ParseDate(check)
		if done != 0 {
			a.DoneAt = fromMicros(done)
		}
		if checked != 0 {
			a.CheckedAt = fromMicros(checked)
		}
		return a, err
	})
}

// InsertAction adds an action to its nonconformity, risk, objective or review.
func (q Q) InsertAction(ctx context.Context, agencyID int64, a *qms.Action, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO nc_actions (agency_id, nc_id, risk_id, objective_id, review_id, type, description, owner_id, due_on, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		agencyID, nullID(a.NCID), nullID(a.RiskID), nullID(a.ObjectiveID), nullID(a.ReviewID), a.Type, a.Description, a.OwnerID, a.DueOn.String(), a.State, micros(now))
	a.ID = id
	return err
}

// Action returns one of an agency's actions.
func (q Q) Action(ctx context.Context, agencyID, id int64) (qms.Action, error) {
	list, err := q.actions(ctx, "x.agency_id = ? AND x.id = ?", agencyID, id)
	if err == nil && len(list) == 0 {
		err = qms.Errorf(qms.ENotFound, "err.action_not_found")
	}
	if err != nil {
		return qms.Action{}, err
	}
	return list[0], nil
}

// UpdateAction writes an action's progress.
func (q Q) UpdateAction(ctx context.Context, a qms.Action) error {
	_, err := q.exec(ctx, `UPDATE nc_actions SET state = ?, evidence = ?, done_at = ?, check_on = ?, checked_by = ?, check_note = ?, checked_at = ? WHERE id = ?`,
		a.State, a.Evidence, microsOrZero(a.DoneAt), a.CheckOn.String(), a.CheckedBy, a.CheckNote, microsOrZero(a.CheckedAt), a.ID)
	return err
}

// OpenActions returns an agency's actions not yet implemented, by due date.
func (q Q) OpenActions(ctx context.Context, agencyID int64) ([]qms.Action, error) {
	return q.actions(ctx, "x.agency_id = ? AND x.state = ?", agencyID, qms.ActionOpen)
}

// OwnedActions returns the open actions a user owns, in every agency, by due date, with the
// agency code, and the code and title of what they belong to.
func (q Q) OwnedActions(ctx context.Context, userID int64) ([]OwnedAction, error) {
	return q.ownedActions(ctx, "x.owner_id = ? AND x.state = ?", userID, qms.ActionOpen)
}

// DueActions returns every open action due on or before a day, by due date.
func (q Q) DueActions(ctx context.Context, by qms.Date) ([]OwnedAction, error) {
	return q.ownedActions(ctx, "x.state = ? AND x.due_on <= ?", qms.ActionOpen, by.String())
}

func (q Q) ownedActions(ctx context.Context, cond string, args ...any) ([]OwnedAction, error) {
	rows, err := q.query(ctx, "SELECT "+actionColumns+`, a.code, COALESCE(n.code, r.code, v.code, ''), COALESCE(n.title, r.title, j.title, '')
		FROM nc_actions x LEFT JOIN users o ON o.id = x.owner_id LEFT JOIN users c ON c.id = x.checked_by LEFT JOIN nonconformities n ON n.id = x.nc_id
		LEFT JOIN risks r ON r.id = x.risk_id LEFT JOIN objectives j ON j.id = x.objective_id LEFT JOIN reviews v ON v.id = x.review_id
		JOIN agencies a ON a.id = x.agency_id
		WHERE `+cond+" ORDER BY x.due_on, x.id", args...)
	return scanAll(rows, err, func(r *sql.Rows) (OwnedAction, error) {
		var o OwnedAction
		var due, check string
		var done, checked int64
		err := r.Scan(&o.ID, &o.NCID, &o.RiskID, &o.ObjectiveID, &o.ReviewID, &o.Type, &o.Description, &o.OwnerID, &o.OwnerName, &due, &o.State, &o.Evidence, &done, &check, &o.CheckedBy,
			&o.CheckedByName, &o.CheckNote, &checked, &o.AgencyCode, &o.NCCode, &o.NCTitle)
		o.DueOn, _ = qms.ParseDate(due)
		return o, err
	})
}

// OwnedAction is an action with where it belongs.
type OwnedAction struct {
	qms.Action
	AgencyCode, NCCode, NCTitle string
}
