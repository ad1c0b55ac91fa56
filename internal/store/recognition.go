package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

const recognitionColumns = "id, agency_id, kind, number, body, edition, scope, issued_on, expires_on, notified_on, posted, status, closed_on, closed_reason"

func scanRecognition(r interface{ Scan(...any) error }) (qms.Recognition, error) {
	var x qms.Recognition
	var issued, expires, notified, closed string
	err := r.Scan(&x.ID, &x.AgencyID, &x.Kind, &x.Number, &x.Body, &x.Edition, &x.Scope, &issued, &expires, &notified, &x.Posted, &x.Status, &closed, &x.ClosedReason)
	x.IssuedOn, _ = qms.ParseDate(issued)
	x.ExpiresOn, _ = qms.ParseDate(expires)
	x.NotifiedOn, _ = qms.ParseDate(notified)
	x.ClosedOn, _ = qms.ParseDate(closed)
	return x, err
}

// Recognitions returns an agency's certificates and announcements, newest first, with their
// surveillance audits.
func (q Q) Recognitions(ctx context.Context, agencyID int64) ([]qms.Recognition, error) {
	rows, err := q.query(ctx, "SELECT "+recognitionColumns+" FROM recognitions WHERE agency_id = ? ORDER BY issued_on DESC, id DESC", agencyID)
	list, err := scanAll(rows, err, func(r *sql.Rows) (qms.Recognition, error) { return scanRecognition(r) })
	if err != nil {
		return nil, err
	}
	for i := range list {
		rows, err := q.query(ctx, "SELECT id, due_on, done_on, note FROM surveillance_audits WHERE agency_id = ? AND recognition_id = ? ORDER BY due_on", agencyID, list[i].ID)
		if list[i].Surveillance, err = scanAll(rows, err, func(r *sql.Rows) (qms.Surveillance, error) {
			var s qms.Surveillance
			var due, done string
			err := r.Scan(&s.ID, &due, &done, &s.Note)
			s.DueOn, _ = qms.ParseDate(due)
			s.DoneOn, _ = qms.ParseDate(done)
			return s, err
		}); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// CreateRecognition inserts r with its surveillance audits.
func (q Q) CreateRecognition(ctx context.Context, r *qms.Recognition, now time.Time, by int64) error {
	id, err := q.insert(ctx, `INSERT INTO recognitions (agency_id, kind, number, body, edition, scope, issued_on, expires_on, notified_on, posted, status, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.AgencyID, r.Kind, r.Number, r.Body, r.Edition, r.Scope, r.IssuedOn.String(), r.ExpiresOn.String(), r.NotifiedOn.String(), r.Posted, r.Status, micros(now), by)
	if err != nil {
		return err
	}
	r.ID = id
	for i := range r.Surveillance {
		s := &r.Surveillance[i]
		if s.ID, err = q.insert(ctx, "INSERT INTO surveillance_audits (agency_id, recognition_id, due_on) VALUES (?, ?, ?)", r.AgencyID, r.ID, s.DueOn.String()); err != nil {
			return err
		}
	}
	return nil
}

// EndRecognitions marks an agency's valid recognitions of a kind ("" for every kind) with a
// new status, and returns how many it changed.
func (q Q) EndRecognitions(ctx context.Context, agencyID int64, kind qms.RecognitionKind, status qms.RecognitionStatus, on qms.Date, reason string) (int64, error) {
	res, err := q.exec(ctx, `UPDATE recognitions SET status = ?, closed_on = ?, closed_reason = ? WHERE agency_id = ? AND status = 'valid' AND (? = '' OR kind = ?)`,
		status, on.String(), reason, agencyID, kind, kind)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CompleteSurveillance records a surveillance audit as done.
func (q Q) CompleteSurveillance(ctx context.Context, agencyID, id int64, on qms.Date, note string) (bool, error) {
	res, err := q.exec(ctx, "UPDATE surveillance_audits SET done_on = ?, note = ? WHERE agency_id = ? AND id = ? AND done_on = ''", on.String(), note, agencyID, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// RecognitionAlert is something due about a recognition.
type RecognitionAlert struct {
	AgencyID int64
	Kind     string // "expiry" or "surveillance"
	Number   string
	DueOn    qms.Date
}

// RecognitionAlerts returns valid certificates expiring and surveillance audits falling due
// up to the given day, soonest first.
func (q Q) RecognitionAlerts(ctx context.Context, until qms.Date) ([]RecognitionAlert, error) {
	rows, err := q.query(ctx, `SELECT agency_id, 'expiry', number, expires_on FROM recognitions WHERE status = 'valid' AND expires_on <> '' AND expires_on <= ?
		UNION ALL SELECT s.agency_id, 'surveillance', r.number, s.due_on FROM surveillance_audits s JOIN recognitions r ON r.id = s.recognition_id AND r.agency_id = s.agency_id
		WHERE r.status = 'valid' AND s.done_on = '' AND s.due_on <= ? ORDER BY 4`, until.String(), until.String())
	return scanAll(rows, err, func(r *sql.Rows) (RecognitionAlert, error) {
		var a RecognitionAlert
		var due string
		err := r.Scan(&a.AgencyID, &a.Kind, &a.Number, &due)
		a.DueOn, _ = qms.ParseDate(due)
		return a, err
	})
}

// AgenciesNeedingAnnouncement returns active agencies that succeeded a closed agency whose
// recognition was closed with it, and that have no valid recognition of their own.
func (q Q) AgenciesNeedingAnnouncement(ctx context.Context) ([]int64, error) {
	rows, err := q.query(ctx, `SELECT DISTINCT l.to_agency_id FROM agency_links l
		JOIN agencies t ON t.id = l.to_agency_id AND t.valid_to = ''
		WHERE EXISTS (SELECT 1 FROM recognitions r WHERE r.agency_id = l.from_agency_id AND r.status = 'closed')
		AND NOT EXISTS (SELECT 1 FROM recognitions r WHERE r.agency_id = l.to_agency_id AND r.status = 'valid' AND r.issued_on >= l.effective_on)
		ORDER BY l.to_agency_id`)
	return scanAll(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}
