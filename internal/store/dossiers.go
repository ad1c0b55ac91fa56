package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

const dossierColumns = `x.id, x.agency_id, a.code, x.code, x.procedure_id, p.code, p.name, x.applicant, x.id_number, x.phone, x.address, x.channel, x.state,
	x.received_at, x.counted_from, x.limit_days, x.due_on, x.new_due_on, x.apology_reason, x.supplements, x.paused_days, x.finished_at, x.outcome, x.step_no,
	x.handler, x.reason, x.rated_at, x.rating, x.rating_note, x.created_by, x.version`

const dossierFrom = " FROM dossiers x JOIN agencies a ON a.id = x.agency_id JOIN procedures p ON p.id = x.procedure_id"

func scanDossier(r interface{ Scan(...any) error }, extra ...any) (qms.Dossier, error) {
	var d qms.Dossier
	var received, finished, rated int64
	var counted, due, newDue string
	err := r.Scan(append([]any{&d.ID, &d.AgencyID, &d.AgencyCode, &d.Code, &d.ProcedureID, &d.ProcedureCode, &d.ProcedureName, &d.Applicant, &d.IDNumber, &d.Phone,
		&d.Address, &d.Channel, &d.State, &received, &counted, &d.LimitDays, &due, &newDue, &d.ApologyReason, &d.Supplements, &d.PausedDays, &finished, &d.Outcome,
		&d.StepNo, &d.Handler, &d.Reason, &rated, &d.Rating, &d.RatingNote, &d.CreatedBy, &d.Version}, extra...)...)
	d.ReceivedAt = fromMicros(received)
	if finished != 0 {
		d.FinishedAt = fromMicros(finished)
	}
	if rated != 0 {
		d.RatedAt = fromMicros(rated)
	}
	d.CountedFrom, _ = qms.ParseDate(counted)
	d.DueOn, _ = qms.ParseDate(due)
	d.NewDueOn, _ = qms.ParseDate(newDue)
	return d, err
}

// NextDossierNo returns the next number of an agency's dossiers received on a day (1, 2, …):
// one upsert, so two desks receiving at once never get the same number.
func (q Q) NextDossierNo(ctx context.Context, agencyID int64, day qms.Date) (int, error) {
	var n int
	err := q.row(ctx, `INSERT INTO dossier_seq (agency_id, day, n) VALUES (?, ?, 1)
		ON CONFLICT (agency_id, day) DO UPDATE SET n = dossier_seq.n + 1 RETURNING n`, agencyID, day.String()).Scan(&n)
	return n, err
}

// DossierSecret is what proves a citizen holds a dossier's slip.
type DossierSecret struct {
	Salt, Hash string
}

// InsertDossier writes a new dossier and its steps; idemKey ("" for none) makes a repeated
// intake from one-stop software find the first one.
func (q Q) InsertDossier(ctx context.Context, d *qms.Dossier, secret DossierSecret, idemKey string, now time.Time) error {
	var idem any
	if idemKey != "" {
		idem = idemKey
	}
	id, err := q.insert(ctx, `INSERT INTO dossiers (agency_id, code, procedure_id, applicant, id_number, phone, address, channel, state, received_at, counted_from,
		limit_days, due_on, step_no, reason, pin_salt, pin_hash, idem_key, created_by, created_at, updated_at, finished_at, outcome)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.AgencyID, d.Code, d.ProcedureID, d.Applicant, d.IDNumber, d.Phone, d.Address, d.Channel, d.State, micros(d.ReceivedAt), d.CountedFrom.String(),
		d.LimitDays, d.DueOn.String(), d.StepNo, d.Reason, secret.Salt, secret.Hash, idem, d.CreatedBy, micros(now), micros(now), microsOrZero(d.FinishedAt), d.Outcome)
	if err != nil {
		return conflict(err, "err.dossier_duplicate")
	}
	d.ID, d.Version = id, 1
	if len(d.Steps) == 0 {
		return nil
	}
	values := make([]string, len(d.Steps))
	args := make([]any, 0, 6*len(d.Steps))
	for i, s := range d.Steps {
		values[i] = "(?, ?, ?, ?, ?, ?, ?)"
		args = append(args, d.ID, s.No, d.AgencyID, s.Description, s.Responsible, s.Hours, s.DueOn.String())
	}
	_, err = q.exec(ctx, "INSERT INTO dossier_steps (dossier_id, no, agency_id, description, responsible, hours, due_on) VALUES "+strings.Join(values, ", "), args...)
	return err
}

func microsOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return micros(t)
}

// DossierByIdem returns an agency's dossier filed with an idempotency key (0 when none).
func (q Q) DossierByIdem(ctx context.Context, agencyID int64, key string) (int64, error) {
	var id int64
	err := q.row(ctx, "SELECT id FROM dossiers WHERE agency_id = ? AND idem_key = ?", agencyID, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// Dossier returns one of an agency's dossiers with its steps.
func (q Q) Dossier(ctx context.Context, agencyID, id int64) (qms.Dossier, error) {
	d, err := scanDossier(q.row(ctx, "SELECT "+dossierColumns+dossierFrom+" WHERE x.agency_id = ? AND x.id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, qms.Errorf(qms.ENotFound, "err.dossier_not_found")
	}
	if err != nil {
		return d, err
	}
	d.Steps, err = q.dossierSteps(ctx, d.ID)
	return d, err
}

// DossierByCode returns a dossier by its code with its steps and the secret of its slip.
func (q Q) DossierByCode(ctx context.Context, code string) (qms.Dossier, DossierSecret, error) {
	var s DossierSecret
	d, err := scanDossier(q.row(ctx, "SELECT "+dossierColumns+", x.pin_salt, x.pin_hash"+dossierFrom+" WHERE x.code = ?", code), &s.Salt, &s.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return d, s, qms.Errorf(qms.ENotFound, "err.dossier_not_found")
	}
	if err != nil {
		return d, s, err
	}
	d.Steps, err = q.dossierSteps(ctx, d.ID)
	return d, s, err
}

func (q Q) dossierSteps(ctx context.Context, id int64) ([]qms.DossierStep, error) {
	rows, err := q.query(ctx, "SELECT no, description, responsible, hours, due_on, handler, done_at, outcome FROM dossier_steps WHERE dossier_id = ? ORDER BY no", id)
	return scanAll(rows, err, func(r *sql.Rows) (qms.DossierStep, error) {
		var s qms.DossierStep
		var due string
		var done int64
		err := r.Scan(&s.No, &s.Description, &s.Responsible, &s.Hours, &due, &s.Handler, &done, &s.Outcome)
		s.DueOn, _ = qms.ParseDate(due)
		if done != 0 {
			s.DoneAt = fromMicros(done)
		}
		return s, err
	})
}

// UpdateDossier writes a dossier's changing fields when its version is still the one read
// (a conflict otherwise) and its steps' progress.
func (q Q) UpdateDossier(ctx context.Context, d *qms.Dossier, now time.Time) error {
	res, err := q.exec(ctx, `UPDATE dossiers SET state = ?, counted_from = ?, due_on = ?, new_due_on = ?, apology_reason = ?, supplements = ?, paused_days = ?,
		finished_at = ?, outcome = ?, step_no = ?, handler = ?, reason = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		d.State, d.CountedFrom.String(), d.DueOn.String(), d.NewDueOn.String(), d.ApologyReason, d.Supplements, d.PausedDays, microsOrZero(d.FinishedAt), d.Outcome,
		d.StepNo, d.Handler, d.Reason, micros(now), d.ID, d.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err == nil {
			err = qms.Errorf(qms.EConflict, "err.stale")
		}
		return err
	}
	d.Version++
	return nil
}

// UpdateDossierStep writes a step's handler and completion.
func (q Q) UpdateDossierStep(ctx context.Context, dossierID int64, s qms.DossierStep) error {
	_, err := q.exec(ctx, "UPDATE dossier_steps SET handler = ?, done_at = ?, outcome = ?, due_on = ? WHERE dossier_id = ? AND no = ?",
		s.Handler, microsOrZero(s.DoneAt), s.Outcome, s.DueOn.String(), dossierID, s.No)
	return err
}

// SetPause records when a supplement request stopped a dossier's clock (zero: running again)
// and whether the clock restarts from zero when the dossier is complete.
func (q Q) SetPause(ctx context.Context, dossierID int64, at time.Time, restart bool) error {
	_, err := q.exec(ctx, "UPDATE dossiers SET paused_at = ?, restart = ? WHERE id = ?", microsOrZero(at), restart, dossierID)
	return err
}

// Pause returns when a dossier's clock was stopped (zero: running) and whether it restarts.
func (q Q) Pause(ctx context.Context, dossierID int64) (time.Time, bool, error) {
	var at int64
	var restart bool
	if err := q.row(ctx, "SELECT paused_at, restart FROM dossiers WHERE id = ?", dossierID).Scan(&at, &restart); err != nil || at == 0 {
		return time.Time{}, restart, err
	}
	return fromMicros(at), restart, nil
}

// RateDossier records the citizen's rating once; false when it was rated already.
func (q Q) RateDossier(ctx context.Context, id int64, rating int, note string, now time.Time) (bool, error) {
	res, err := q.exec(ctx, "UPDATE dossiers SET rating = ?, rating_note = ?, rated_at = ? WHERE id = ? AND rated_at = 0", rating, note, micros(now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DossierFilter selects an agency's dossiers, newest first.
type DossierFilter struct {
	AgencyID    int64
	State       qms.DossierState
	ProcedureID int64
	Open        bool      // only those still being handled
	DueBy       qms.Date  // only open ones due on or before this day
	Code        string    // a code, or its beginning
	From, To    time.Time // received in [From, To) when set
	Before      int64     // keyset cursor: ids below this one
	Limit       int
}

// Dossiers returns the dossiers matching f.
func (q Q) Dossiers(ctx context.Context, f DossierFilter) ([]qms.Dossier, error) {
	where := []string{"x.agency_id = ?"}
	args := []any{f.AgencyID}
	if f.State != "" {
		where = append(where, "x.state = ?")
		args = append(args, f.State)
	}
	if f.Open || !f.DueBy.IsZero() {
		where = append(where, "x.state IN (?, ?, ?, ?)")
		args = append(args, qms.DossierReceived, qms.DossierInProgress, qms.DossierSupplement, qms.DossierAwaitingFee)
	}
	if !f.DueBy.IsZero() {
		where = append(where, "x.due_on <= ?")
		args = append(args, f.DueBy.String())
	}
	if f.ProcedureID != 0 {
		where = append(where, "x.procedure_id = ?")
		args = append(args, f.ProcedureID)
	}
	if f.Code != "" {
		where = append(where, `x.code LIKE ? ESCAPE '\'`)
		args = append(args, escapeLikePrefix(f.Code)+"%")
	}
	if !f.From.IsZero() {
		where, args = append(where, "x.received_at >= ?"), append(args, micros(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "x.received_at < ?"), append(args, micros(f.To))
	}
	if f.Before != 0 {
		where = append(where, "x.id < ?")
		args = append(args, f.Before)
	}
	order := " ORDER BY x.id DESC"
	if !f.From.IsZero() && f.Limit == 0 {
		order = " ORDER BY x.received_at, x.id" // a ledger, in the order of receipt
	}
	if !f.DueBy.IsZero() {
		order = " ORDER BY x.due_on, x.id DESC"
	}
	text := "SELECT " + dossierColumns + dossierFrom + " WHERE " + strings.Join(where, " AND ") + order
	if f.Limit > 0 {
		text += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := q.query(ctx, text, args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Dossier, error) { return scanDossier(r) })
}

func escapeLikePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// StatDelta is a change to the aggregates of one agency, procedure and month.
type StatDelta struct {
	Received, Finished, Early, OnTime, Late, Withdrawn, Stopped int
	Rated, RatingSum                                            int // citizens' ratings: how many, their sum
}

// AddDossierStats adds a delta to the aggregates, in the transaction of the change.
func (q Q) AddDossierStats(ctx context.Context, agencyID, procedureID int64, month string, d StatDelta) error {
	_, err := q.exec(ctx, `INSERT INTO dossier_stats (agency_id, procedure_id, month, received, finished, early, on_time, late, withdrawn, stopped, rated, rating_sum)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agency_id, procedure_id, month) DO UPDATE SET
		received = dossier_stats.received + excluded.received, finished = dossier_stats.finished + excluded.finished,
		early = dossier_stats.early + excluded.early, on_time = dossier_stats.on_time + excluded.on_time, late = dossier_stats.late + excluded.late,
		withdrawn = dossier_stats.withdrawn + excluded.withdrawn, stopped = dossier_stats.stopped + excluded.stopped,
		rated = dossier_stats.rated + excluded.rated, rating_sum = dossier_stats.rating_sum + excluded.rating_sum`,
		agencyID, procedureID, month, d.Received, d.Finished, d.Early, d.OnTime, d.Late, d.Withdrawn, d.Stopped, d.Rated, d.RatingSum)
	return err
}

// DossierStat is the aggregates of one group (an agency, a procedure or a month) over a span
// of months.
type DossierStat struct {
	Key        string // the agency's code, the procedure's code or the month
	AgencyID   int64
	AgencyCode string
	AgencyName string
	Name       string // the procedure's name
	StatDelta
	OpenLate int // still open and past their due date (agency and procedure groups)
}

// Stat groupings.
const (
	ByAgency    = "agency"
	ByProcedure = "procedure"
	ByMonth     = "month"
)

// DossierStats sums the aggregates for the months in [from, to] ("YYYY-MM") of the agencies
// given (nil: every agency), grouped by agency, procedure or month; the agency and procedure
// groups also count their open dossiers past due on today.
func (q Q) DossierStats(ctx context.Context, by string, agencyIDs []int64, from, to string, today qms.Date) ([]DossierStat, error) {
	where, args := "s.month >= ? AND s.month <= ?", []any{from, to}
	var lateWhere string
	var lateArgs []any
	if agencyIDs != nil {
		if len(agencyIDs) == 0 {
			return nil, nil
		}
		in, ids := inList(agencyIDs)
		where += " AND s.agency_id IN " + in
		args = append(args, ids...)
		lateWhere, lateArgs = " AND x.agency_id IN "+in, ids
	}
	var cols, group, order, lateKey string
	switch by {
	case ByProcedure:
		cols, group, order = "p.code, s.agency_id, a.code, a.name, p.name", "p.code, s.agency_id, a.code, a.name, p.name", "p.code, a.code"
		lateKey = "p.code"
	case ByMonth:
		cols, group, order = "s.month, 0, '', '', ''", "s.month", "s.month"
	default:
		cols, group, order = "a.code, s.agency_id, a.code, a.name, ''", "s.agency_id, a.code, a.name", "a.code"
		lateKey = "a.code"
	}
	rows, err := q.query(ctx, "SELECT "+cols+`, sum(s.received), sum(s.finished), sum(s.early), sum(s.on_time), sum(s.late), sum(s.withdrawn), sum(s.stopped),
		sum(s.rated), sum(s.rating_sum) FROM dossier_stats s JOIN agencies a ON a.id = s.agency_id JOIN procedures p ON p.id = s.procedure_id WHERE `+where+" GROUP BY "+group+" ORDER BY "+order, args...)
	list, err := scanAll(rows, err, func(r *sql.Rows) (DossierStat, error) {
		var s DossierStat
		return s, r.Scan(&s.Key, &s.AgencyID, &s.AgencyCode, &s.AgencyName, &s.Name, &s.Received, &s.Finished, &s.Early, &s.OnTime, &s.Late, &s.Withdrawn, &s.Stopped,
			&s.Rated, &s.RatingSum)
	})
	if err != nil || len(list) == 0 || lateKey == "" {
		return list, err
	}
	byKey := map[string]*DossierStat{}
	for i := range list {
		byKey[list[i].Key+"|"+list[i].AgencyCode] = &list[i]
	}
	rows, err = q.query(ctx, "SELECT "+lateKey+`, a.code, count(*) FROM dossiers x JOIN agencies a ON a.id = x.agency_id JOIN procedures p ON p.id = x.procedure_id
		WHERE x.state IN (?, ?, ?, ?) AND x.due_on < ?`+lateWhere+" GROUP BY "+lateKey+", a.code",
		append([]any{qms.DossierReceived, qms.DossierInProgress, qms.DossierSupplement, qms.DossierAwaitingFee, today.String()}, lateArgs...)...)
	type late struct {
		key, agency string
		n           int
	}
	lates, err := scanAll(rows, err, func(r *sql.Rows) (late, error) {
		var l late
		return l, r.Scan(&l.key, &l.agency, &l.n)
	})
	for _, l := range lates {
		if s := byKey[l.key+"|"+l.agency]; s != nil {
			s.OpenLate = l.n
		}
	}
	return list, err
}

// Step stat kinds.
const (
	StepByUnit    = "unit"
	StepByHandler = "handler"
)

// AddStepStat counts a completed step for its unit and its handler in the month it was done.
func (q Q) AddStepStat(ctx context.Context, agencyID int64, unit, handler, month string, outcome qms.Outcome) error {
	early, onTime, late := 0, 0, 0
	switch outcome {
	case qms.OutcomeEarly:
		early = 1
	case qms.OutcomeOnTime:
		onTime = 1
	default:
		late = 1
	}
	for _, k := range [][2]string{{StepByUnit, unit}, {StepByHandler, handler}} {
		if k[1] == "" {
			continue
		}
		if _, err := q.exec(ctx, `INSERT INTO dossier_step_stats (agency_id, kind, name, month, done, early, on_time, late) VALUES (?, ?, ?, ?, 1, ?, ?, ?)
			ON CONFLICT (agency_id, kind, name, month) DO UPDATE SET done = dossier_step_stats.done + 1, early = dossier_step_stats.early + excluded.early,
			on_time = dossier_step_stats.on_time + excluded.on_time, late = dossier_step_stats.late + excluded.late`,
			agencyID, k[0], k[1], month, early, onTime, late); err != nil {
			return err
		}
	}
	return nil
}

// StepStat is the completed steps of one unit or handler over a span of months.
type StepStat struct {
	Name                      string
	Done, Early, OnTime, Late int
}

// StepStats sums an agency's completed steps per unit or handler for the months in [from, to].
func (q Q) StepStats(ctx context.Context, agencyID int64, kind, from, to string) ([]StepStat, error) {
	rows, err := q.query(ctx, `SELECT name, sum(done), sum(early), sum(on_time), sum(late) FROM dossier_step_stats
		WHERE agency_id = ? AND kind = ? AND month >= ? AND month <= ? GROUP BY name ORDER BY name`, agencyID, kind, from, to)
	return scanAll(rows, err, func(r *sql.Rows) (StepStat, error) {
		var s StepStat
		return s, r.Scan(&s.Name, &s.Done, &s.Early, &s.OnTime, &s.Late)
	})
}
