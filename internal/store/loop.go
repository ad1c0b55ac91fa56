package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

// The rest of the improvement loop: audits, risks, objectives and management reviews.

func jsonText(v any) string { b, _ := json.Marshal(v); return string(b) }

// ProcessInForce is a process document with its revision in force.
type ProcessInForce struct {
	Code     string
	Title    string
	AuthorID int64 // the author of the revision in force: the process's owner
	Content  qms.ProcessContent
}

// ProcessesInForce returns an agency's processes in force, by code.
func (q Q) ProcessesInForce(ctx context.Context, agencyID int64) ([]ProcessInForce, error) {
	rows, err := q.query(ctx, `SELECT d.code, r.title, r.author_id, p.content FROM process_contents p JOIN revisions r ON r.id = p.revision_id
		JOIN documents d ON d.id = r.document_id WHERE p.agency_id = ? AND r.state = ? ORDER BY d.code`, agencyID, qms.RevEffective)
	return scanAll(rows, err, func(r *sql.Rows) (ProcessInForce, error) {
		var p ProcessInForce
		var raw string
		if err := r.Scan(&p.Code, &p.Title, &p.AuthorID, &raw); err != nil {
			return p, err
		}
		return p, json.Unmarshal([]byte(raw), &p.Content)
	})
}

// ---- audits

const auditColumns = `x.id, x.agency_id, a.code, x.year, x.code, x.title, x.scope, x.clauses, x.processes, x.units, x.starts_on, x.ends_on, x.lead_id,
	COALESCE(u.name, ''), x.team, x.auditees, x.state, x.summary, x.created_by, x.created_at, x.version`

func scanAudit(r interface{ Scan(...any) error }) (qms.Audit, error) {
	var x qms.Audit
	var clauses, procs, units, team, starts, ends string
	var created int64
	var lead struct {
		id   int64
		name string
	}
	err := r.Scan(&x.ID, &x.AgencyID, &x.AgencyCode, &x.Year, &x.Code, &x.Title, &x.Scope, &clauses, &procs, &units, &starts, &ends, &lead.id, &lead.name,
		&team, &x.Auditees, &x.State, &x.Summary, &x.CreatedBy, &created, &x.Version)
	_ = json.Unmarshal([]byte(clauses), &x.Clauses)
	_ = json.Unmarshal([]byte(procs), &x.Processes)
	_ = json.Unmarshal([]byte(units), &x.Units)
	var all []qms.Auditor
	_ = json.Unmarshal([]byte(team), &all)
	x.Lead = qms.Auditor{UserID: lead.id, Name: lead.name}
	for _, m := range all {
		if m.UserID == lead.id {
			x.Lead.Unit = m.Unit
		} else {
			x.Team = append(x.Team, m)
		}
	}
	x.StartsOn, _ = qms.ParseDate(starts)
	x.EndsOn, _ = qms.ParseDate(ends)
	x.CreatedAt = fromMicros(created)
	return x, err
}

// InsertAudit plans an audit, numbering it DG-YYYY-NN within its agency and year.
func (q Q) InsertAudit(ctx context.Context, x *qms.Audit, now time.Time) error {
	var n int
	if err := q.row(ctx, "SELECT count(*) FROM audits WHERE agency_id = ? AND year = ?", x.AgencyID, x.Year).Scan(&n); err != nil {
		return err
	}
	x.Code = qms.AuditCode(x.Year, n+1)
	id, err := q.insert(ctx, `INSERT INTO audits (agency_id, year, code, title, scope, clauses, processes, units, starts_on, ends_on, lead_id, team, auditees,
		state, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		x.AgencyID, x.Year, x.Code, x.Title, x.Scope, jsonText(x.Clauses), jsonText(x.Processes), jsonText(x.Units), x.StartsOn.String(), x.EndsOn.String(),
		x.Lead.UserID, jsonText(x.Auditors()), x.Auditees, x.State, x.CreatedBy, micros(now))
	if err != nil {
		return conflict(err, "err.stale")
	}
	x.ID, x.Version, x.CreatedAt = id, 1, now
	return nil
}

// Audit returns one of an agency's audits with its checklist and findings.
func (q Q) Audit(ctx context.Context, agencyID, id int64) (qms.Audit, error) {
	x, err := scanAudit(q.row(ctx, "SELECT "+auditColumns+` FROM audits x JOIN agencies a ON a.id = x.agency_id LEFT JOIN users u ON u.id = x.lead_id
		WHERE x.agency_id = ? AND x.id = ?`, agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, qms.Errorf(qms.ENotFound, "err.audit_not_found")
	}
	if err != nil {
		return x, err
	}
	rows, err := q.query(ctx, "SELECT id, position, clause, process, question, result, note FROM audit_items WHERE audit_id = ? ORDER BY position", x.ID)
	if x.Items, err = scanAll(rows, err, func(r *sql.Rows) (qms.AuditItem, error) {
		var it qms.AuditItem
		return it, r.Scan(&it.ID, &it.Position, &it.Clause, &it.Process, &it.Question, &it.Result, &it.Note)
	}); err != nil {
		return x, err
	}
	rows, err = q.query(ctx, `SELECT f.id, f.type, f.clause, f.process, f.unit, f.description, f.evidence, COALESCE(f.nc_id, 0), COALESCE(n.code, ''),
		COALESCE(n.state, ''), f.recorded_by, f.recorded_at FROM audit_findings f LEFT JOIN nonconformities n ON n.id = f.nc_id WHERE f.audit_id = ? ORDER BY f.id`, x.ID)
	x.Findings, err = scanAll(rows, err, func(r *sql.Rows) (qms.Finding, error) {
		f := qms.Finding{AuditID: x.ID}
		var at int64
		err := r.Scan(&f.ID, &f.Type, &f.Clause, &f.Process, &f.Unit, &f.Description, &f.Evidence, &f.NCID, &f.NCCode, &f.NCState, &f.RecordedBy, &at)
		f.RecordedAt = fromMicros(at)
		return f, err
	})
	return x, err
}

// AuditFilter selects audits.
type AuditFilter struct {
	AgencyIDs []int64 // nil: every agency
	Year      int
	State     qms.AuditState
	From, To  qms.Date // audits starting in [From, To]
}

// Audits returns the audits matching f (without checklist and findings), by start date.
func (q Q) Audits(ctx context.Context, f AuditFilter) ([]qms.Audit, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.AgencyIDs != nil {
		if len(f.AgencyIDs) == 0 {
			return nil, nil
		}
		in, ids := inList(f.AgencyIDs)
		where, args = append(where, "x.agency_id IN "+in), append(args, ids...)
	}
	if f.Year != 0 {
		where, args = append(where, "x.year = ?"), append(args, f.Year)
	}
	if f.State != "" {
		where, args = append(where, "x.state = ?"), append(args, f.State)
	}
	if !f.From.IsZero() {
		where, args = append(where, "x.starts_on >= ?"), append(args, f.From.String())
	}
	if !f.To.IsZero() {
		where, args = append(where, "x.starts_on <= ?"), append(args, f.To.String())
	}
	rows, err := q.query(ctx, "SELECT "+auditColumns+` FROM audits x JOIN agencies a ON a.id = x.agency_id LEFT JOIN users u ON u.id = x.lead_id
		WHERE `+strings.Join(where, " AND ")+" ORDER BY x.starts_on, x.id", args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Audit, error) { return scanAudit(r) })
}

// UpdateAudit writes an audit's state and conclusion when its version is the one read.
func (q Q) UpdateAudit(ctx context.Context, x *qms.Audit) error {
	return q.versioned(ctx, &x.Version, "UPDATE audits SET state = ?, summary = ?, version = version + 1 WHERE id = ? AND version = ?", x.State, x.Summary, x.ID, x.Version)
}

// versioned runs an UPDATE guarded by a version and bumps the version read.
func (q Q) versioned(ctx context.Context, version *int64, query string, args ...any) error {
	res, err := q.exec(ctx, query, args...)
	if err != nil {
		return err
	}
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		if err == nil {
			err = qms.Errorf(qms.EConflict, "err.stale")
		}
		return err
	}
	*version++
	return nil
}

// SetChecklist replaces an audit's checklist, numbering the lines and giving them their ids.
func (q Q) SetChecklist(ctx context.Context, agencyID, auditID int64, items []qms.AuditItem) error {
	if _, err := q.exec(ctx, "DELETE FROM audit_items WHERE audit_id = ?", auditID); err != nil {
		return err
	}
	for i := range items {
		it := &items[i]
		it.Position = i + 1
		id, err := q.insert(ctx, `INSERT INTO audit_items (agency_id, audit_id, position, clause, process, question, result, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			agencyID, auditID, it.Position, it.Clause, it.Process, it.Question, it.Result, it.Note)
		if err != nil {
			return err
		}
		it.ID = id
	}
	return nil
}

// AnswerItem records a checklist line's result and note.
func (q Q) AnswerItem(ctx context.Context, auditID int64, it qms.AuditItem) error {
	_, err := q.exec(ctx, "UPDATE audit_items SET result = ?, note = ? WHERE audit_id = ? AND id = ?", it.Result, it.Note, auditID, it.ID)
	return err
}

// InsertFinding records a finding.
func (q Q) InsertFinding(ctx context.Context, agencyID int64, f *qms.Finding) error {
	id, err := q.insert(ctx, `INSERT INTO audit_findings (agency_id, audit_id, type, clause, process, unit, description, evidence, nc_id, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, agencyID, f.AuditID, f.Type, f.Clause, f.Process, f.Unit, f.Description, f.Evidence, nullID(f.NCID), f.RecordedBy, micros(f.RecordedAt))
	f.ID = id
	return err
}

// AuditCounts counts each agency's audits starting in [from, to] that are not cancelled.
func (q Q) AuditCounts(ctx context.Context, from, to qms.Date) (map[int64]int, error) {
	return q.countsBy(ctx, "SELECT agency_id, count(*) FROM audits WHERE starts_on >= ? AND starts_on <= ? AND state <> ? GROUP BY agency_id",
		from.String(), to.String(), qms.AuditCancelled)
}

// ReviewCounts counts each agency's management reviews held in [from, to].
func (q Q) ReviewCounts(ctx context.Context, from, to qms.Date) (map[int64]int, error) {
	return q.countsBy(ctx, "SELECT agency_id, count(*) FROM reviews WHERE meeting_on >= ? AND meeting_on <= ? AND state <> ? GROUP BY agency_id",
		from.String(), to.String(), qms.ReviewPlanned)
}

// NCCounts counts each agency's nonconformities reported in [from, to), closed in it, and open.
func (q Q) NCCounts(ctx context.Context, from, to time.Time) (opened, closed, open map[int64]int, err error) {
	if opened, err = q.countsBy(ctx, "SELECT agency_id, count(*) FROM nonconformities WHERE reported_at >= ? AND reported_at < ? GROUP BY agency_id",
		micros(from), micros(to)); err != nil {
		return
	}
	if closed, err = q.countsBy(ctx, "SELECT agency_id, count(*) FROM nonconformities WHERE closed_at >= ? AND closed_at < ? GROUP BY agency_id",
		micros(from), micros(to)); err != nil {
		return
	}
	open, err = q.countsBy(ctx, "SELECT agency_id, count(*) FROM nonconformities WHERE state NOT IN (?, ?) GROUP BY agency_id", qms.NCClosed, qms.NCCancelled)
	return
}

func (q Q) countsBy(ctx context.Context, query string, args ...any) (map[int64]int, error) {
	out := map[int64]int{}
	rows, err := q.query(ctx, query, args...)
	_, err = scanAll(rows, err, func(r *sql.Rows) (struct{}, error) {
		var id int64
		var n int
		err := r.Scan(&id, &n)
		out[id] = n
		return struct{}{}, err
	})
	return out, err
}

// FindingCounts counts an agency's findings by type for audits starting in [from, to].
func (q Q) FindingCounts(ctx context.Context, agencyID int64, from, to qms.Date) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	rows, err := q.query(ctx, `SELECT f.audit_id, f.type, count(*) FROM audit_findings f JOIN audits x ON x.id = f.audit_id
		WHERE x.agency_id = ? AND x.starts_on >= ? AND x.starts_on <= ? GROUP BY f.audit_id, f.type`, agencyID, from.String(), to.String())
	_, err = scanAll(rows, err, func(r *sql.Rows) (struct{}, error) {
		var id int64
		var t string
		var n int
		err := r.Scan(&id, &t, &n)
		if out[id] == nil {
			out[id] = map[string]int{}
		}
		out[id][t] = n
		return struct{}{}, err
	})
	return out, err
}

// Findings of a type recorded by an agency's audits in [from, to].
func (q Q) FindingsOfType(ctx context.Context, agencyID int64, t qms.FindingType, from, to time.Time) ([]string, error) {
	rows, err := q.query(ctx, "SELECT description FROM audit_findings WHERE agency_id = ? AND type = ? AND recorded_at >= ? AND recorded_at < ? ORDER BY id",
		agencyID, t, micros(from), micros(to))
	return scanAll(rows, err, func(r *sql.Rows) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
}

// ---- risks

const riskColumns = `x.id, x.agency_id, a.code, x.code, x.kind, x.process, x.title, x.description, x.likelihood, x.impact, x.treatment, x.review_on, x.state,
	x.created_by, x.created_at, x.version`

func scanRisk(r interface{ Scan(...any) error }) (qms.Risk, error) {
	var x qms.Risk
	var review string
	var created int64
	err := r.Scan(&x.ID, &x.AgencyID, &x.AgencyCode, &x.Code, &x.Kind, &x.Process, &x.Title, &x.Description, &x.Likelihood, &x.Impact, &x.Treatment, &review,
		&x.State, &x.CreatedBy, &created, &x.Version)
	x.ReviewOn, _ = qms.ParseDate(review)
	x.CreatedAt = fromMicros(created)
	return x, err
}

// InsertRisk records a risk, numbering it RR-NNN within its agency, and its first score.
func (q Q) InsertRisk(ctx context.Context, x *qms.Risk, note string, now time.Time) error {
	var n int
	if err := q.row(ctx, "SELECT count(*) FROM risks WHERE agency_id = ?", x.AgencyID).Scan(&n); err != nil {
		return err
	}
	x.Code = qms.RiskCode(n + 1)
	id, err := q.insert(ctx, `INSERT INTO risks (agency_id, code, kind, process, title, description, likelihood, impact, treatment, review_on, state, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, x.AgencyID, x.Code, x.Kind, x.Process, x.Title, x.Description, x.Likelihood, x.Impact, x.Treatment,
		x.ReviewOn.String(), x.State, x.CreatedBy, micros(now))
	if err != nil {
		return conflict(err, "err.stale")
	}
	x.ID, x.Version, x.CreatedAt = id, 1, now
	return q.AddRiskScore(ctx, *x, note, x.CreatedBy, now)
}

// AddRiskScore keeps a scoring in the risk's history.
func (q Q) AddRiskScore(ctx context.Context, x qms.Risk, note string, by int64, now time.Time) error {
	_, err := q.exec(ctx, "INSERT INTO risk_scores (agency_id, risk_id, likelihood, impact, note, scored_by, scored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		x.AgencyID, x.ID, x.Likelihood, x.Impact, note, by, micros(now))
	return err
}

// Risk returns one of an agency's risks with its history and actions.
func (q Q) Risk(ctx context.Context, agencyID, id int64) (qms.Risk, error) {
	x, err := scanRisk(q.row(ctx, "SELECT "+riskColumns+" FROM risks x JOIN agencies a ON a.id = x.agency_id WHERE x.agency_id = ? AND x.id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, qms.Errorf(qms.ENotFound, "err.risk_not_found")
	}
	if err != nil {
		return x, err
	}
	rows, err := q.query(ctx, `SELECT s.likelihood, s.impact, s.note, COALESCE(u.name, ''), s.scored_at FROM risk_scores s LEFT JOIN users u ON u.id = s.scored_by
		WHERE s.risk_id = ? ORDER BY s.id`, x.ID)
	if x.Scores, err = scanAll(rows, err, func(r *sql.Rows) (qms.RiskScore, error) {
		var s qms.RiskScore
		var at int64
		err := r.Scan(&s.Likelihood, &s.Impact, &s.Note, &s.ByName, &at)
		s.At = fromMicros(at)
		return s, err
	}); err != nil {
		return x, err
	}
	x.Actions, err = q.actions(ctx, "x.risk_id = ?", x.ID)
	return x, err
}

// Risks returns an agency's risks, the highest score first (open before closed).
func (q Q) Risks(ctx context.Context, agencyID int64, openOnly bool) ([]qms.Risk, error) {
	where := "x.agency_id = ?"
	args := []any{agencyID}
	if openOnly {
		where, args = where+" AND x.state = ?", append(args, qms.RiskOpen)
	}
	rows, err := q.query(ctx, "SELECT "+riskColumns+" FROM risks x JOIN agencies a ON a.id = x.agency_id WHERE "+where+
		" ORDER BY CASE WHEN x.state = 'open' THEN 0 ELSE 1 END, x.likelihood * x.impact DESC, x.id", args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Risk, error) { return scanRisk(r) })
}

// UpdateRisk writes a risk's changing fields when its version is the one read.
func (q Q) UpdateRisk(ctx context.Context, x *qms.Risk) error {
	return q.versioned(ctx, &x.Version, `UPDATE risks SET likelihood = ?, impact = ?, treatment = ?, review_on = ?, state = ?, version = version + 1
		WHERE id = ? AND version = ?`, x.Likelihood, x.Impact, x.Treatment, x.ReviewOn.String(), x.State, x.ID, x.Version)
}

// ---- objectives

const objectiveColumns = `x.id, x.agency_id, a.code, x.year, x.title, x.measure, x.target, x.direction, x.frequency, x.owner_id, COALESCE(u.name, ''),
	x.created_at, x.version`

func scanObjective(r interface{ Scan(...any) error }) (qms.Objective, error) {
	var x qms.Objective
	var created int64
	err := r.Scan(&x.ID, &x.AgencyID, &x.AgencyCode, &x.Year, &x.Title, &x.Measure, &x.Target, &x.Direction, &x.Frequency, &x.OwnerID, &x.OwnerName, &created, &x.Version)
	x.CreatedAt = fromMicros(created)
	return x, err
}

// InsertObjective records an objective.
func (q Q) InsertObjective(ctx context.Context, x *qms.Objective, by int64, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO objectives (agency_id, year, title, measure, target, direction, frequency, owner_id, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, x.AgencyID, x.Year, x.Title, x.Measure, x.Target, x.Direction, x.Frequency, x.OwnerID, by, micros(now))
	x.ID, x.Version, x.CreatedAt = id, 1, now
	return err
}

// Objectives returns an agency's objectives of a year with the values entered.
func (q Q) Objectives(ctx context.Context, agencyID int64, year int) ([]qms.Objective, error) {
	rows, err := q.query(ctx, "SELECT "+objectiveColumns+` FROM objectives x JOIN agencies a ON a.id = x.agency_id LEFT JOIN users u ON u.id = x.owner_id
		WHERE x.agency_id = ? AND x.year = ? ORDER BY x.id`, agencyID, year)
	list, err := scanAll(rows, err, func(r *sql.Rows) (qms.Objective, error) { return scanObjective(r) })
	for i := range list {
		if err == nil {
			list[i].Entries, err = q.objectiveValues(ctx, list[i].ID)
		}
	}
	return list, err
}

// Objective returns one of an agency's objectives with its values and actions.
func (q Q) Objective(ctx context.Context, agencyID, id int64) (qms.Objective, error) {
	x, err := scanObjective(q.row(ctx, "SELECT "+objectiveColumns+` FROM objectives x JOIN agencies a ON a.id = x.agency_id LEFT JOIN users u ON u.id = x.owner_id
		WHERE x.agency_id = ? AND x.id = ?`, agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, qms.Errorf(qms.ENotFound, "err.objective_not_found")
	}
	if err != nil {
		return x, err
	}
	if x.Entries, err = q.objectiveValues(ctx, x.ID); err != nil {
		return x, err
	}
	x.Actions, err = q.actions(ctx, "x.objective_id = ?", x.ID)
	return x, err
}

func (q Q) objectiveValues(ctx context.Context, id int64) ([]qms.ObjectiveValue, error) {
	rows, err := q.query(ctx, `SELECT v.period, v.value, v.evidence, COALESCE(u.name, ''), v.entered_at FROM objective_values v LEFT JOIN users u ON u.id = v.entered_by
		WHERE v.objective_id = ? ORDER BY v.period`, id)
	return scanAll(rows, err, func(r *sql.Rows) (qms.ObjectiveValue, error) {
		var v qms.ObjectiveValue
		var at int64
		err := r.Scan(&v.Period, &v.Value, &v.Evidence, &v.ByName, &at)
		v.At = fromMicros(at)
		return v, err
	})
}

// SetObjectiveValue records (or replaces) a period's value.
func (q Q) SetObjectiveValue(ctx context.Context, x qms.Objective, v qms.ObjectiveValue, by int64, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO objective_values (agency_id, objective_id, period, value, evidence, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (objective_id, period) DO UPDATE SET value = excluded.value, evidence = excluded.evidence, entered_by = excluded.entered_by,
		entered_at = excluded.entered_at`, x.AgencyID, x.ID, v.Period, v.Value, v.Evidence, by, micros(now))
	return err
}

// DocumentsReviewed counts an agency's documents having a review date and those of them past it
// on a day.
func (q Q) DocumentsReviewed(ctx context.Context, agencyID int64, on qms.Date) (total, overdue int, err error) {
	err = q.row(ctx, `SELECT count(*), COALESCE(sum(CASE WHEN next_review_on < ? THEN 1 ELSE 0 END), 0) FROM documents
		WHERE agency_id = ? AND next_review_on <> ''`, on.String(), agencyID).Scan(&total, &overdue)
	return
}

// ActionsDue counts an agency's actions due in [from, to] (not cancelled) and those done by their
// due date.
func (q Q) ActionsDue(ctx context.Context, agencyID int64, from, to qms.Date, doneBy func(due qms.Date, done time.Time) bool) (due, onTime int, err error) {
	rows, err := q.query(ctx, "SELECT due_on, done_at FROM nc_actions WHERE agency_id = ? AND due_on >= ? AND due_on <= ? AND state <> ?",
		agencyID, from.String(), to.String(), qms.ActionCancelled)
	_, err = scanAll(rows, err, func(r *sql.Rows) (struct{}, error) {
		var d string
		var done int64
		if err := r.Scan(&d, &done); err != nil {
			return struct{}{}, err
		}
		day, _ := qms.ParseDate(d)
		due++
		if done != 0 && doneBy(day, fromMicros(done)) {
			onTime++
		}
		return struct{}{}, nil
	})
	return
}

// ---- reviews

const reviewColumns = `x.id, x.agency_id, a.code, x.code, x.meeting_on, x.period_from, x.period_to, x.chair, x.attendees, x.state, x.pack, x.conclusions,
	x.decisions, x.approved_by, x.approved_at, x.created_by, x.created_at, x.version`

func scanReview(r interface{ Scan(...any) error }) (qms.Review, error) {
	var x qms.Review
	var meeting, from, to, pack, concl string
	var approved, created int64
	err := r.Scan(&x.ID, &x.AgencyID, &x.AgencyCode, &x.Code, &meeting, &from, &to, &x.Chair, &x.Attendees, &x.State, &pack, &concl, &x.Decisions,
		&x.ApprovedBy, &approved, &x.CreatedBy, &created, &x.Version)
	x.MeetingOn, _ = qms.ParseDate(meeting)
	x.From, _ = qms.ParseDate(from)
	x.To, _ = qms.ParseDate(to)
	if pack != "" {
		x.Pack = &qms.ReviewPack{}
		_ = json.Unmarshal([]byte(pack), x.Pack)
	}
	_ = json.Unmarshal([]byte(concl), &x.Conclusions)
	if approved != 0 {
		x.ApprovedAt = fromMicros(approved)
	}
	x.CreatedAt = fromMicros(created)
	return x, err
}

// InsertReview plans a review, numbering it XXLD-YYYY-NN within its agency and the meeting's year.
func (q Q) InsertReview(ctx context.Context, x *qms.Review, now time.Time) error {
	year := x.MeetingOn.Time().Year()
	var n int
	if err := q.row(ctx, "SELECT count(*) FROM reviews WHERE agency_id = ? AND code LIKE ?", x.AgencyID, "XXLD-"+strconv.Itoa(year)+"-%").Scan(&n); err != nil {
		return err
	}
	x.Code = qms.ReviewCode(year, n+1)
	id, err := q.insert(ctx, `INSERT INTO reviews (agency_id, code, meeting_on, period_from, period_to, chair, attendees, state, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, x.AgencyID, x.Code, x.MeetingOn.String(), x.From.String(), x.To.String(), x.Chair, x.Attendees, x.State,
		x.CreatedBy, micros(now))
	if err != nil {
		return conflict(err, "err.stale")
	}
	x.ID, x.Version, x.CreatedAt = id, 1, now
	return nil
}

// Review returns one of an agency's reviews with its actions.
func (q Q) Review(ctx context.Context, agencyID, id int64) (qms.Review, error) {
	x, err := scanReview(q.row(ctx, "SELECT "+reviewColumns+" FROM reviews x JOIN agencies a ON a.id = x.agency_id WHERE x.agency_id = ? AND x.id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, qms.Errorf(qms.ENotFound, "err.review_not_found")
	}
	if err != nil {
		return x, err
	}
	x.Actions, err = q.actions(ctx, "x.review_id = ?", x.ID)
	return x, err
}

// Reviews returns an agency's reviews, the latest meeting first (without pack or actions).
func (q Q) Reviews(ctx context.Context, agencyID int64) ([]qms.Review, error) {
	rows, err := q.query(ctx, "SELECT "+strings.Replace(reviewColumns, "x.pack", "''", 1)+
		" FROM reviews x JOIN agencies a ON a.id = x.agency_id WHERE x.agency_id = ? ORDER BY x.meeting_on DESC, x.id DESC", agencyID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Review, error) { return scanReview(r) })
}

// UpdateReview writes a review's minutes, pack and approval when its version is the one read.
func (q Q) UpdateReview(ctx context.Context, x *qms.Review) error {
	pack := ""
	if x.Pack != nil {
		pack = jsonText(x.Pack)
	}
	return q.versioned(ctx, &x.Version, `UPDATE reviews SET state = ?, pack = ?, conclusions = ?, decisions = ?, chair = ?, attendees = ?, approved_by = ?,
		approved_at = ?, version = version + 1 WHERE id = ? AND version = ?`, x.State, pack, jsonText(x.Conclusions), x.Decisions, x.Chair, x.Attendees,
		x.ApprovedBy, microsOrZero(x.ApprovedAt), x.ID, x.Version)
}
