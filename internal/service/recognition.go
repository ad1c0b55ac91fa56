package service

import (
	"context"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Recognitions returns an agency's certificates and announcements, newest first.
func (s *Service) Recognitions(ctx context.Context, actor *qms.Actor, agencyCode string) (qms.Agency, []qms.Recognition, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackRead, code); err != nil {
		return qms.Agency{}, nil, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return a, nil, err
	}
	list, err := s.db.Recognitions(ctx, a.ID)
	return a, list, err
}

// AddRecognition records a certificate or an announcement. It supersedes the agency's valid
// one of the same kind (a new scope or edition means a new announcement, Circular 26/2014), and
// plans a certificate's yearly surveillance audits up to its expiry.
func (s *Service) AddRecognition(ctx context.Context, actor *qms.Actor, agencyCode string, r qms.Recognition) (qms.Recognition, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackEdit, code); err != nil {
		return r, err
	}
	if err := r.Validate(qms.DateOf(s.now().In(vietnam))); err != nil {
		return r, err
	}
	r.Status, r.Surveillance = qms.RecognitionValid, nil
	if r.Kind == qms.Certificate {
		for y := 1; ; y++ {
			due := qms.DateOf(r.IssuedOn.Time().AddDate(y, 0, 0))
			if !due.Before(r.ExpiresOn) {
				break
			}
			r.Surveillance = append(r.Surveillance, qms.Surveillance{DueOn: due})
		}
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if a.Closed() {
			return fieldErr("kind", "err.agency_closed")
		}
		r.AgencyID = a.ID
		superseded, err := tx.EndRecognitions(ctx, a.ID, r.Kind, qms.RecognitionSuperseded, r.IssuedOn, "superseded by "+r.Number)
		if err != nil {
			return err
		}
		if err := tx.CreateRecognition(ctx, &r, s.now(), actor.UserID); err != nil {
			return err
		}
		ch := qms.Changes{"kind": {New: string(r.Kind)}, "number": {New: r.Number}, "edition": {New: r.Edition}, "scope": {New: r.Scope},
			"issued_on": {New: r.IssuedOn.String()}}
		if r.Kind == qms.Certificate {
			ch["body"], ch["expires_on"] = qms.Change{New: r.Body}, qms.Change{New: r.ExpiresOn.String()}
		}
		if superseded > 0 {
			ch["superseded"] = qms.Change{New: int(superseded)}
		}
		return s.record(ctx, tx, actor, a.ID, "recognition.add", "recognition", r.ID, ch)
	})
	return r, err
}

// CompleteSurveillance records that a surveillance audit took place.
func (s *Service) CompleteSurveillance(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, on qms.Date, note string) error {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackEdit, code); err != nil {
		return err
	}
	today := qms.DateOf(s.now().In(vietnam))
	if on.IsZero() {
		on = today
	}
	if today.Before(on) {
		return fieldErr("done_on", "err.date_future")
	}
	if len([]rune(note)) > 500 {
		return fieldErr("note", "err.too_long")
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		ok, err := tx.CompleteSurveillance(ctx, a.ID, id, on, note)
		if err != nil {
			return err
		}
		if !ok {
			return qms.Errorf(qms.ENotFound, "err.surveillance_not_found")
		}
		return s.record(ctx, tx, actor, a.ID, "surveillance.done", "surveillance", id, qms.Changes{"done_on": {New: on.String()}, "note": {New: note}})
	})
}

// Alert is a certificate expiring or a surveillance audit falling due, for the dashboards.
type Alert struct {
	Agency qms.Agency
	Kind   string // "expiry" or "surveillance"
	Number string
	DueOn  qms.Date
}

// recognitionAlerts lists what falls due within 90 days (or is overdue), and the agencies
// that must announce anew because they succeeded an agency whose recognition closed with it.
func (s *Service) recognitionAlerts(ctx context.Context, byID map[int64]qms.Agency) ([]Alert, []qms.Agency, error) {
	until := qms.DateOf(s.now().In(vietnam).Add(90 * 24 * time.Hour))
	raw, err := s.db.RecognitionAlerts(ctx, until)
	if err != nil {
		return nil, nil, err
	}
	var alerts []Alert
	for _, a := range raw {
		alerts = append(alerts, Alert{Agency: byID[a.AgencyID], Kind: a.Kind, Number: a.Number, DueOn: a.DueOn})
	}
	ids, err := s.db.AgenciesNeedingAnnouncement(ctx)
	var need []qms.Agency
	for _, id := range ids {
		need = append(need, byID[id])
	}
	return alerts, need, err
}
