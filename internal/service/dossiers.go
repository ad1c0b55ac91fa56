package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/calendar"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
	"github.com/isogov/isogov/internal/store"
)

// Dossiers: intake at the one-stop desk, the moves along the process with the legal due dates
// (DOMAIN.md §5), the apology letter, and the public look-up by code and PIN.

// IntakeInput is a dossier as the desk or one-stop software gives it.
type IntakeInput struct {
	Procedure  string      `json:"procedure"`
	Applicant  string      `json:"applicant"`
	IDNumber   string      `json:"id_number"`
	Phone      string      `json:"phone"`
	Address    string      `json:"address"`
	Channel    qms.Channel `json:"channel"`
	ReceivedAt time.Time   `json:"received_at"` // zero: now
	// Refuse records a dossier not received (Form 03), with the reason.
	Refuse bool   `json:"refuse"`
	Reason string `json:"reason"`
	// IdempotencyKey makes a repeated call return the dossier the first one made.
	IdempotencyKey string `json:"-"`
}

// Intake is a received dossier; PIN is shown once, on the slip (empty when the call repeated
// an earlier one).
type Intake struct {
	Dossier  qms.Dossier
	PIN      string
	Repeated bool
}

// MaxIdempotencyKey bounds an idempotency key.
const MaxIdempotencyKey = 100

func newPIN() (pin, salt, hash string) {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	pin = strings.Repeat("0", 6-len(n.String())) + n.String()
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	salt = hex.EncodeToString(b)
	return pin, salt, pinHash(salt, pin)
}

func pinHash(salt, pin string) string {
	h := sha256.Sum256([]byte(salt + ":" + pin))
	return hex.EncodeToString(h[:])
}

// dossierClock is what the due dates need: the calendar and the agency's cut-off.
type dossierClock struct {
	cal    *calendar.Calendar
	cutoff int
}

func (s *Service) clockFor(ctx context.Context, a qms.Agency) (dossierClock, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return dossierClock{}, err
	}
	cutoff, err := qms.ParseClock(a.OfficeCutoff)
	if err != nil {
		cutoff, _ = qms.ParseClock(qms.DefaultOfficeCutoff)
	}
	return dossierClock{cal, cutoff}, nil
}

// schedule sets a dossier's counted-from day and due date from a moment of (re)start, and its
// open steps' due dates from their cumulative share of the limit.
func (c dossierClock) schedule(d *qms.Dossier, from time.Time) error {
	due, err := c.cal.DueDate(from.In(vietnam), d.LimitDays, c.cutoff, nil)
	if err != nil {
		return err
	}
	d.CountedFrom, d.DueOn = qms.DateOf(due.Effective), qms.DateOf(due.Due)
	return c.stepDues(d)
}

func (c dossierClock) stepDues(d *qms.Dossier) error {
	hours := 0
	for i := range d.Steps {
		hours += d.Steps[i].Hours
		days := int(math.Ceil(float64(hours) / qms.HoursPerDay))
		t, err := c.cal.AddWorkingDays(d.CountedFrom.Time(), min(days, d.LimitDays+d.PausedDays))
		if err != nil {
			return err
		}
		if d.Steps[i].DoneAt.IsZero() {
			d.Steps[i].DueOn = qms.DateOf(t)
		}
	}
	return nil
}

// ReceiveDossier receives a dossier at an agency for one of the procedures it settles: its
// code, due date and steps (from the process in force) are set, the receipt is journaled and
// counted. A repeated idempotency key returns the first dossier.
func (s *Service) ReceiveDossier(ctx context.Context, actor *qms.Actor, agencyCode string, in IntakeInput) (Intake, error) {
	return s.receive(ctx, actor, agencyCode, in, true)
}

// receive checks an intake and, when write is set, receives the dossier.
func (s *Service) receive(ctx context.Context, actor *qms.Actor, agencyCode string, in IntakeInput, write bool) (Intake, error) {
	var res Intake
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDossierHandle, code); err != nil {
		return res, err
	}
	now := s.now()
	d := qms.Dossier{Applicant: in.Applicant, IDNumber: in.IDNumber, Phone: in.Phone, Address: in.Address, Channel: in.Channel, ReceivedAt: in.ReceivedAt,
		State: qms.DossierReceived, CreatedBy: actor.UserID}
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = now
	}
	var v qms.Validation
	if err := d.Validate(now); err != nil {
		var e *qms.Error
		if !errors.As(err, &e) {
			return res, err
		}
		for _, f := range e.Fields {
			v.Add(f.Field, f.Message, f.Args...)
		}
	}
	if len(in.IdempotencyKey) > MaxIdempotencyKey {
		v.Add("idempotency_key", "err.too_long")
	}
	if in.Refuse {
		d.State, d.Reason = qms.DossierNotReceived, strings.TrimSpace(in.Reason)
		if d.Reason == "" || len([]rune(d.Reason)) > 2000 {
			v.Add("reason", "err.dossier_reason")
		}
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return res, err
	}
	p, err := s.db.ProcedureByCode(ctx, qms.NormalizeProcCode(in.Procedure))
	switch {
	case qms.ErrorCode(err) == qms.ENotFound:
		v.Add("procedure", "err.proc_not_found")
	case err != nil:
		return res, err
	case !slices.Contains(p.Agencies, a.Code):
		v.Add("procedure", "err.dossier_procedure_agency", p.Code, a.Code)
	case p.Status == qms.ProcAbolished:
		v.Add("procedure", "err.dossier_procedure_abolished", p.Code)
	}
	if err := v.Err(); err != nil {
		return res, err
	}
	d.AgencyID, d.AgencyCode, d.ProcedureID, d.ProcedureCode, d.ProcedureName, d.LimitDays = a.ID, a.Code, p.ID, p.Code, p.Name, p.TimeLimitDays
	clock, err := s.clockFor(ctx, a)
	if err != nil {
		return res, err
	}
	if !in.Refuse {
		_, content, err := s.db.EffectiveProcess(ctx, a.ID, p.Code)
		if err != nil {
			return res, err
		}
		d.Steps, d.StepNo = content.DossierSteps(p.TimeLimitDays), 1
	}
	if err := clock.schedule(&d, d.ReceivedAt); err != nil {
		return res, err
	}
	if !write {
		res.Dossier = d
		return res, nil
	}
	pin, salt, hash := newPIN()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if in.IdempotencyKey != "" {
			id, err := tx.DossierByIdem(ctx, a.ID, in.IdempotencyKey)
			if err != nil {
				return err
			}
			if id != 0 {
				res.Repeated = true
				d, err = tx.Dossier(ctx, a.ID, id)
				return err
			}
		}
		day := qms.DateOf(d.ReceivedAt.In(vietnam))
		n, err := tx.NextDossierNo(ctx, a.ID, day)
		if err != nil {
			return err
		}
		d.Code = qms.DossierCode(a.Code, day, n)
		if err := tx.InsertDossier(ctx, &d, store.DossierSecret{Salt: salt, Hash: hash}, in.IdempotencyKey, now); err != nil {
			return err
		}
		action, delta := "dossier.receive", store.StatDelta{Received: 1}
		ch := qms.Changes{"code": {New: d.Code}, "procedure": {New: p.Code}, "channel": {New: string(d.Channel)}, "due_on": {New: d.DueOn.String()},
			"received_at": {New: d.ReceivedAt.In(vietnam).Format(time.RFC3339)}}
		if in.Refuse {
			action, delta = "dossier.refuse", store.StatDelta{}
			ch["reason"] = qms.Change{New: d.Reason}
		}
		if err := tx.AddDossierStats(ctx, a.ID, p.ID, monthOf(d.ReceivedAt), delta); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, action, "dossier", d.ID, ch)
	})
	if err != nil {
		return Intake{}, err
	}
	res.Dossier = d
	if !res.Repeated {
		res.PIN = pin
	}
	return res, nil
}

// monthOf is the month an instant falls in, in Vietnam ("YYYY-MM").
func monthOf(t time.Time) string { return t.In(vietnam).Format("2006-01") }

// DossierAction is a move of a dossier: the event, the handler (assign), a note (the reason
// of a supplement request, a withdrawal or a stop) and the version read.
type DossierAction struct {
	Event   qms.DossierEvent `json:"event"`
	Handler string           `json:"handler"`
	Note    string           `json:"note"`
	Version int64            `json:"version"`
}

// DossierView is a dossier with what the actor may do with it.
type DossierView struct {
	Dossier  qms.Dossier
	Events   []qms.DossierEvent // possible moves, for those who handle the agency's dossiers
	MayAct   bool
	Apology  bool // an apology letter may be issued today
	Overdue  bool
	Journal  []qms.JournalEntry
	Progress int // steps done, in percent
	// Supplement is what the latest supplement request asked for (Form 02), Components the
	// procedure's dossier components (Form 01).
	Supplement string
	Components []string
	// NCSource is the source of a nonconformity the actor may raise from this dossier in one
	// click (a late one, a low rating); "" when none.
	NCSource qms.NCSource
}

// Dossier returns one of an agency's dossiers.
func (s *Service) Dossier(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (DossierView, error) {
	var v DossierView
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDossierRead, code); err != nil {
		return v, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return v, err
	}
	if v.Dossier, err = s.db.Dossier(ctx, a.ID, id); err != nil {
		return v, err
	}
	today := qms.DateOf(s.now().In(vietnam))
	v.MayAct = actor.Can(qms.PermDossierHandle, code)
	if v.MayAct {
		v.Events = v.Dossier.State.Events()
		v.Apology = s.apologyAllowed(ctx, v.Dossier, today) == nil
	}
	v.Overdue = v.Dossier.State.Open() && v.Dossier.DueOn.Before(today)
	if actor.Can(qms.PermNCEdit, code) {
		v.NCSource = v.Dossier.NCSource(today)
	}
	done := 0
	for _, st := range v.Dossier.Steps {
		if !st.DoneAt.IsZero() {
			done++
		}
	}
	if len(v.Dossier.Steps) > 0 {
		v.Progress = done * 100 / len(v.Dossier.Steps)
	}
	if v.Journal, err = s.db.ListJournal(ctx, store.JournalFilter{Chain: &a.ID, ObjectType: "dossier", ObjectID: strconv.FormatInt(id, 10), Limit: 100}); err != nil {
		return v, err
	}
	for _, e := range v.Journal { // newest first
		if e.Action == "dossier."+string(qms.DvRequestSupply) {
			if note, ok := qms.DecodeChanges(e.Changes)["note"].New.(string); ok {
				v.Supplement = note
			}
			break
		}
	}
	p, err := s.db.ProcedureByCode(ctx, v.Dossier.ProcedureCode)
	if err != nil {
		return v, err
	}
	v.Components = qms.SplitLines(p.Components)
	return v, nil
}

// Dossiers lists an agency's dossiers, newest first (or, with DueBy, the open ones by due date).
func (s *Service) Dossiers(ctx context.Context, actor *qms.Actor, agencyCode string, f store.DossierFilter) (qms.Agency, []qms.Dossier, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDossierRead, code); err != nil {
		return qms.Agency{}, nil, err
	}
	if f.State != "" && !f.State.Valid() {
		return qms.Agency{}, nil, fieldErr("state", "err.choice")
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return a, nil, err
	}
	f.AgencyID = a.ID
	f.Code = strings.ToUpper(strings.TrimSpace(f.Code))
	list, err := s.db.Dossiers(ctx, f)
	return a, list, err
}

// ActOnDossier moves a dossier (DOMAIN.md §5): assigning or completing steps, supplement
// requests (within 3 working days of receipt the clock starts again when the dossier is
// complete; later ones pause it), fees, withdrawal, stop and return. The last step makes the
// dossier processed and scores it against its legal due date. Journaled and counted in the
// same transaction.
func (s *Service) ActOnDossier(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, in DossierAction) (qms.Dossier, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermDossierHandle, agencyCode)
	if err != nil {
		return qms.Dossier{}, err
	}
	clock, err := s.clockFor(ctx, a)
	if err != nil {
		return qms.Dossier{}, err
	}
	note, handler := strings.TrimSpace(in.Note), strings.TrimSpace(in.Handler)
	if len([]rune(note)) > 2000 {
		return qms.Dossier{}, fieldErr("note", "err.too_long")
	}
	if len([]rune(handler)) > 200 {
		return qms.Dossier{}, fieldErr("handler", "err.too_long")
	}
	now := s.now()
	today := qms.DateOf(now.In(vietnam))
	var d qms.Dossier
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if d, err = tx.Dossier(ctx, a.ID, id); err != nil {
			return err
		}
		if in.Version != 0 && in.Version != d.Version {
			return qms.Errorf(qms.EConflict, "err.stale")
		}
		from := d.State
		to, err := qms.NextDossierState(d.State, in.Event)
		if err != nil {
			return err
		}
		ch := qms.Changes{"state": {Old: string(from), New: string(to)}}
		var delta store.StatDelta
		month := monthOf(now)
		switch in.Event {
		case qms.DvAssign:
			if handler == "" {
				return fieldErr("handler", "err.required")
			}
			d.Handler = handler
			if st := currentStep(&d); st != nil {
				st.Handler = handler
				if err := tx.UpdateDossierStep(ctx, d.ID, *st); err != nil {
					return err
				}
				ch["step"] = qms.Change{New: strconv.Itoa(st.No)}
			}
			ch["handler"] = qms.Change{New: handler}
		case qms.DvCompleteStep:
			st := currentStep(&d)
			if st == nil {
				return qms.Errorf(qms.EConflict, "err.dossier_no_step")
			}
			st.DoneAt, st.Outcome = now, qms.OutcomeOf(today, st.DueOn)
			if st.Handler == "" {
				st.Handler = actor.Name
			}
			if err := tx.UpdateDossierStep(ctx, d.ID, *st); err != nil {
				return err
			}
			if err := tx.AddStepStat(ctx, d.AgencyID, st.Responsible, st.Handler, month, st.Outcome); err != nil {
				return err
			}
			ch["step"], ch["step_outcome"] = qms.Change{New: strconv.Itoa(st.No)}, qms.Change{New: string(st.Outcome)}
			d.StepNo++
			if d.StepNo > len(d.Steps) {
				d.StepNo, to = 0, qms.DossierProcessed
				d.FinishedAt, d.Outcome = now, qms.DossierOutcome(today, d.DueOn, d.Supplements)
				delta = store.StatDelta{Finished: 1}
				switch d.Outcome {
				case qms.OutcomeEarly:
					delta.Early = 1
				case qms.OutcomeOnTime:
					delta.OnTime = 1
				default:
					delta.Late = 1
				}
				ch["state"] = qms.Change{Old: string(from), New: string(to)}
				ch["outcome"] = qms.Change{New: string(d.Outcome)}
			}
		case qms.DvRequestSupply:
			if note == "" {
				return fieldErr("note", "err.dossier_supplement_note")
			}
			elapsed, err := clock.cal.CountWorkingDays(d.CountedFrom.Time(), today.Time())
			if err != nil {
				return err
			}
			restart := d.Supplements == 0 && elapsed < 3 // within 3 working days of receipt
			d.Supplements++
			if err := tx.SetPause(ctx, d.ID, now, restart); err != nil {
				return err
			}
			ch["supplements"] = qms.Change{New: strconv.Itoa(d.Supplements)}
			ch["clock"] = qms.Change{New: map[bool]string{true: "restarts", false: "paused"}[restart]}
		case qms.DvSupplied:
			at, restart, err := tx.Pause(ctx, d.ID)
			if err != nil {
				return err
			}
			if restart {
				if err := clock.schedule(&d, now); err != nil {
					return err
				}
			} else if !at.IsZero() {
				days, err := clock.cal.CountWorkingDays(at.In(vietnam), today.Time())
				if err != nil {
					return err
				}
				if days > 0 {
					d.PausedDays += days
					t, err := clock.cal.AddWorkingDays(d.DueOn.Time(), days)
					if err != nil {
						return err
					}
					d.DueOn = qms.DateOf(t)
					if err := clock.stepDues(&d); err != nil {
						return err
					}
				}
			}
			for _, st := range d.Steps {
				if st.DoneAt.IsZero() {
					if err := tx.UpdateDossierStep(ctx, d.ID, st); err != nil {
						return err
					}
				}
			}
			if err := tx.SetPause(ctx, d.ID, time.Time{}, false); err != nil {
				return err
			}
			ch["due_on"] = qms.Change{New: d.DueOn.String()}
		case qms.DvWithdraw, qms.DvStop:
			if note == "" {
				return fieldErr("note", "err.dossier_reason")
			}
			d.Reason = note
			if in.Event == qms.DvWithdraw {
				delta.Withdrawn = 1
			} else {
				delta.Stopped = 1
			}
		}
		if note != "" {
			ch["note"] = qms.Change{New: note}
		}
		d.State = to
		if err := tx.UpdateDossier(ctx, &d, now); err != nil {
			return err
		}
		if delta != (store.StatDelta{}) {
			if err := tx.AddDossierStats(ctx, d.AgencyID, d.ProcedureID, month, delta); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, actor, a.ID, "dossier."+string(in.Event), "dossier", d.ID, ch)
	})
	return d, err
}

func currentStep(d *qms.Dossier) *qms.DossierStep {
	if d.StepNo < 1 || d.StepNo > len(d.Steps) {
		return nil
	}
	return &d.Steps[d.StepNo-1]
}

// apologyAllowed says whether an apology letter may be issued today: the dossier is open, none
// was issued, and at least one working day is left before the due date.
func (s *Service) apologyAllowed(ctx context.Context, d qms.Dossier, today qms.Date) error {
	if !d.State.Open() {
		return qms.Errorf(qms.EConflict, "err.apology_closed")
	}
	if !d.NewDueOn.IsZero() {
		return qms.Errorf(qms.EConflict, "err.apology_twice")
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	left, err := cal.CountWorkingDays(today.Time(), d.DueOn.Time())
	if err != nil {
		return err
	}
	if left < 1 {
		return qms.Errorf(qms.EConflict, "err.apology_late", d.DueOn.VN())
	}
	return nil
}

// Apologize issues the apology letter (Form 04) for a dossier that will be late: the reason and
// the new date promised. Once per dossier, at least one working day before the due date; the
// statistics keep counting against the legal due date.
func (s *Service) Apologize(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, reason string, newDue qms.Date) (qms.Dossier, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDossierHandle, code); err != nil {
		return qms.Dossier{}, err
	}
	reason = strings.TrimSpace(reason)
	var v qms.Validation
	if reason == "" || len([]rune(reason)) > 2000 {
		v.Add("reason", "err.dossier_reason")
	}
	if newDue.IsZero() {
		v.Add("new_due_on", "err.required")
	}
	if err := v.Err(); err != nil {
		return qms.Dossier{}, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return qms.Dossier{}, err
	}
	today := qms.DateOf(s.now().In(vietnam))
	var d qms.Dossier
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if d, err = tx.Dossier(ctx, a.ID, id); err != nil {
			return err
		}
		if err := s.apologyAllowed(ctx, d, today); err != nil {
			return err
		}
		if !d.DueOn.Before(newDue) {
			return fieldErr("new_due_on", "err.apology_date", d.DueOn.VN())
		}
		d.NewDueOn, d.ApologyReason = newDue, reason
		if err := tx.UpdateDossier(ctx, &d, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "dossier.apologize", "dossier", d.ID,
			qms.Changes{"new_due_on": {New: newDue.String()}, "reason": {New: reason}, "due_on": {New: d.DueOn.String()}})
	})
	return d, err
}

// PublicDossier is what a citizen sees with the code and PIN of a slip: nothing personal
// beyond a masked name.
type PublicDossier struct {
	Code       string           `json:"code"`
	Agency     string           `json:"agency"`
	Procedure  string           `json:"procedure"`
	Applicant  string           `json:"applicant"` // masked
	State      qms.DossierState `json:"state"`
	ReceivedOn qms.Date         `json:"received_on"`
	DueOn      qms.Date         `json:"due_on"`
	NewDueOn   qms.Date         `json:"new_due_on,omitzero"`
	StepsDone  int              `json:"steps_done"`
	Steps      []PublicStep     `json:"steps"`
	Rated      bool             `json:"rated"`
	MayRate    bool             `json:"may_rate"`
	Outcome    qms.Outcome      `json:"outcome,omitempty"`
	Finished   bool             `json:"finished"`
}

// PublicStep is a step as the citizen sees it.
type PublicStep struct {
	Description string `json:"description"`
	Done        bool   `json:"done"`
}

// Citizen is who acts through the public look-up: no account.
var Citizen = &qms.Actor{Name: "citizen"}

// lookupFailed is the one answer to a wrong code and a wrong PIN alike.
var lookupFailed = qms.Errorf(qms.ENotFound, "err.lookup_failed")

// LookupDossier finds a dossier by the code and PIN of its slip, for anyone: limited per code
// and per address, the same answer for a wrong code and a wrong PIN.
func (s *Service) LookupDossier(ctx context.Context, code, pin, ip string) (PublicDossier, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	pin = strings.TrimSpace(pin)
	now := s.now()
	if wait := s.lookups.allow(now, code, ip); wait > 0 {
		return PublicDossier{}, qms.Errorf(qms.ERateLimited, "err.lookup_limited", int(math.Ceil(wait.Minutes())))
	}
	var d qms.Dossier
	var secret store.DossierSecret
	var err error = lookupFailed
	if qms.ValidDossierCode(code) && len(pin) == 6 {
		d, secret, err = s.db.DossierByCode(ctx, code)
	}
	if qms.ErrorCode(err) == qms.ENotFound || err == nil && subtle.ConstantTimeCompare([]byte(pinHash(secret.Salt, pin)), []byte(secret.Hash)) != 1 {
		s.lookups.failed(now, code)
		return PublicDossier{}, lookupFailed
	}
	if err != nil {
		return PublicDossier{}, err
	}
	s.lookups.succeeded(code)
	return publicOf(d), nil
}

func publicOf(d qms.Dossier) PublicDossier {
	p := PublicDossier{Code: d.Code, Agency: d.AgencyCode, Procedure: d.ProcedureName, Applicant: qms.MaskName(d.Applicant), State: d.State,
		ReceivedOn: qms.DateOf(d.ReceivedAt.In(vietnam)), DueOn: d.DueOn, NewDueOn: d.NewDueOn, Rated: !d.RatedAt.IsZero(), Steps: []PublicStep{},
		Outcome: d.Outcome, Finished: d.State.Finished()}
	for _, st := range d.Steps {
		p.Steps = append(p.Steps, PublicStep{st.Description, !st.DoneAt.IsZero()})
		if !st.DoneAt.IsZero() {
			p.StepsDone++
		}
	}
	p.MayRate = d.RatedAt.IsZero() && d.State != qms.DossierNotReceived
	return p
}

// RateDossier records the citizen's rating (1–5 and a comment) once, with the code and PIN.
func (s *Service) RateDossier(ctx context.Context, code, pin, ip string, rating int, note string) (PublicDossier, error) {
	var v qms.Validation
	note = strings.TrimSpace(note)
	if rating < 1 || rating > 5 {
		v.Add("rating", "err.rating")
	}
	if len([]rune(note)) > 1000 || strings.ContainsRune(note, 0) {
		v.Add("comment", "err.too_long")
	}
	if err := v.Err(); err != nil {
		return PublicDossier{}, err
	}
	p, err := s.LookupDossier(ctx, code, pin, ip)
	if err != nil {
		return p, err
	}
	if !p.MayRate {
		return p, qms.Errorf(qms.EConflict, "err.rated_twice")
	}
	d, _, err := s.db.DossierByCode(ctx, p.Code)
	if err != nil {
		return p, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		ok, err := tx.RateDossier(ctx, d.ID, rating, note, s.now())
		if err != nil {
			return err
		}
		if !ok {
			return qms.Errorf(qms.EConflict, "err.rated_twice")
		}
		if err := tx.AddDossierStats(ctx, d.AgencyID, d.ProcedureID, monthOf(s.now()), store.StatDelta{Rated: 1, RatingSum: rating}); err != nil {
			return err
		}
		return s.record(ctx, tx, Citizen, d.AgencyID, "dossier.rate", "dossier", d.ID, qms.Changes{"rating": {New: strconv.Itoa(rating)}, "comment": {New: note}})
	})
	if err != nil {
		return p, err
	}
	p.Rated, p.MayRate = true, false
	return p, nil
}

// DossierFigures are on-time figures from the aggregates (never a scan of the dossiers): per
// agency for the province (or the agencies the actor may read), or per procedure for one agency,
// with the months' trend and the total.
type DossierFigures struct {
	From, To string // months, YYYY-MM
	Agency   *qms.Agency
	Rows     []store.DossierStat // per agency, or per procedure of Agency
	Months   []store.DossierStat
	Total    store.DossierStat
	Units    []store.StepStat // one agency's completed steps per unit and per handler
	Handlers []store.StepStat
}

// OnTimeRate is (early + on time) ÷ (finished + open past due), in percent (DOMAIN.md §5);
// -1 when nothing counts yet.
func OnTimeRate(s store.DossierStat) float64 {
	den := s.Finished + s.OpenLate
	if den == 0 {
		return -1
	}
	return float64(s.Early+s.OnTime) * 100 / float64(den)
}

// MeanRating is the citizens' average rating (1–5), 0 when nobody rated.
func MeanRating(s store.DossierStat) float64 {
	if s.Rated == 0 {
		return 0
	}
	return float64(s.RatingSum) / float64(s.Rated)
}

var monthPattern = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// DossierFigures sums the aggregates for the months from..to (YYYY-MM; both empty: this year
// so far), for the province or one agency (its code; "" for every agency the actor may read).
func (s *Service) DossierFigures(ctx context.Context, actor *qms.Actor, from, to, agencyCode string) (DossierFigures, error) {
	f := DossierFigures{From: from, To: to}
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return f, err
	}
	now := s.now().In(vietnam)
	if f.From == "" && f.To == "" {
		f.From, f.To = now.Format("2006")+"-01", now.Format("2006-01")
	}
	var v qms.Validation
	if !monthPattern.MatchString(f.From) {
		v.Add("from", "err.month")
	}
	if !monthPattern.MatchString(f.To) || f.To < f.From {
		v.Add("to", "err.month")
	}
	if err := v.Err(); err != nil {
		return f, err
	}
	var ids []int64 // nil: every agency
	by := store.ByAgency
	switch code := qms.NormalizeCode(agencyCode); {
	case code != "":
		if err := actor.Require(qms.PermDossierRead, code); err != nil {
			return f, err
		}
		a, err := s.db.AgencyByCode(ctx, code)
		if err != nil {
			return f, err
		}
		f.Agency, ids, by = &a, []int64{a.ID}, store.ByProcedure
		if f.Units, err = s.db.StepStats(ctx, a.ID, store.StepByUnit, f.From, f.To); err != nil {
			return f, err
		}
		if f.Handlers, err = s.db.StepStats(ctx, a.ID, store.StepByHandler, f.From, f.To); err != nil {
			return f, err
		}
	case !actor.Can(qms.PermDossierRead, ""):
		ids = []int64{}
		for _, c := range actor.AgencyCodes() {
			if !actor.Can(qms.PermDossierRead, c) {
				continue
			}
			a, err := s.db.AgencyByCode(ctx, c)
			if err != nil {
				return f, err
			}
			ids = append(ids, a.ID)
		}
	}
	today := qms.DateOf(now)
	var err error
	if f.Rows, err = s.db.DossierStats(ctx, by, ids, f.From, f.To, today); err != nil {
		return f, err
	}
	if f.Months, err = s.db.DossierStats(ctx, store.ByMonth, ids, f.From, f.To, today); err != nil {
		return f, err
	}
	for _, r := range f.Rows {
		t := &f.Total
		t.Received, t.Finished, t.Early, t.OnTime, t.Late = t.Received+r.Received, t.Finished+r.Finished, t.Early+r.Early, t.OnTime+r.OnTime, t.Late+r.Late
		t.Withdrawn, t.Stopped, t.OpenLate = t.Withdrawn+r.Withdrawn, t.Stopped+r.Stopped, t.OpenLate+r.OpenLate
		t.Rated, t.RatingSum = t.Rated+r.Rated, t.RatingSum+r.RatingSum
	}
	return f, nil
}

// DueSoon lists an agency's open dossiers due by the next working day (the late ones first),
// for those who handle its dossiers; nil for others.
func (s *Service) DueSoon(ctx context.Context, actor *qms.Actor, agencyCode string, limit int) ([]qms.Dossier, error) {
	code := qms.NormalizeCode(agencyCode)
	if code == "" || !actor.Can(qms.PermDossierHandle, code) {
		return nil, nil
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	next, err := cal.AddWorkingDays(s.now().In(vietnam), 1)
	if err != nil {
		return nil, err
	}
	return s.db.Dossiers(ctx, store.DossierFilter{AgencyID: a.ID, DueBy: qms.DateOf(next), Limit: limit})
}

// dossierColumns is the template of a dossier import, in order; headers are matched like the
// procedure template's (key, Vietnamese or English label, aliases, without diacritics).
var dossierColumns = []procColumn{
	{"procedure", true, "dossier.procedure", []string{"mã thủ tục", "mã TTHC", "thủ tục"}},
	{"applicant", true, "dossier.applicant", []string{"họ tên", "người nộp hồ sơ", "tên tổ chức, cá nhân"}},
	{"id_number", false, "dossier.id_number", []string{"CCCD", "số CCCD", "số định danh"}},
	{"phone", false, "dossier.phone", []string{"số điện thoại"}},
	{"address", false, "dossier.address", nil},
	{"channel", false, "dossier.channel", []string{"kênh"}},
	{"received_at", true, "dossier.received_at", []string{"ngày tiếp nhận", "thời gian tiếp nhận"}},
	{"idempotency_key", false, "dossier.source_id", []string{"mã hồ sơ một cửa", "số hồ sơ gốc"}},
}

// DossierTemplate returns the keys and label message keys of the dossier import columns.
func DossierTemplate() (keys, labels []string) {
	for _, c := range dossierColumns {
		keys, labels = append(keys, c.key), append(labels, c.label)
	}
	return keys, labels
}

// parseReceivedAt reads a receipt time as the desks write it: YYYY-MM-DD HH:MM, DD/MM/YYYY HH:MM
// or RFC 3339.
func parseReceivedAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "02/01/2006 15:04", "2/1/2006 15:04"} {
		if t, err := time.ParseInLocation(layout, s, vietnam); err == nil {
			return t, nil
		}
	}
	return time.Parse(time.RFC3339, s)
}

// ImportDossiers receives dossiers from a CSV or XLSX file (the template's columns): every row
// is checked first, and only a file without issues is received, row by row; the idempotency
// key column (the one-stop system's own number) makes importing the same file again receive
// nothing twice.
func (s *Service) ImportDossiers(ctx context.Context, actor *qms.Actor, agencyCode string, r io.ReaderAt, size int64, dryRun bool) (ImportReport, error) {
	rep := ImportReport{DryRun: dryRun, Issues: []ImportIssue{}}
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDossierHandle, code); err != nil {
		return rep, err
	}
	sheet, index, err := readTemplate(r, size, dossierColumns, &rep)
	if err != nil || len(rep.Issues) > 0 {
		return rep, err
	}
	issue := func(row int, col, key string, args ...any) {
		rep.Issues = append(rep.Issues, ImportIssue{Row: row, Column: col, Message: key, Args: args})
	}
	column := func(key string) string { return strings.TrimSpace(sheet.Header[index[key]-1]) }
	var inputs []IntakeInput
	keys := map[string]int{}
	for _, row := range sheet.Rows {
		cell := func(key string) string {
			if i := index[key]; i > 0 {
				return strings.TrimSpace(row.Cell(i - 1))
			}
			return ""
		}
		for _, i := range row.Formulas {
			issue(row.Line, strings.TrimSpace(sheet.Header[i]), "err.import_formula")
		}
		in := IntakeInput{Procedure: cell("procedure"), Applicant: cell("applicant"), IDNumber: cell("id_number"), Phone: cell("phone"), Address: cell("address"),
			Channel: qms.Channel(cell("channel")), IdempotencyKey: cell("idempotency_key")}
		if c := search.Fold(string(in.Channel)); c != "" {
			for _, ch := range qms.Channels {
				if c == string(ch) || c == search.Fold(i18n.T("vi", "channel."+string(ch))) {
					in.Channel = ch
				}
			}
		}
		t, err := parseReceivedAt(cell("received_at"))
		if err != nil {
			issue(row.Line, column("received_at"), "err.datetime")
		}
		in.ReceivedAt = t
		if k := in.IdempotencyKey; k != "" {
			if first, dup := keys[k]; dup {
				issue(row.Line, column("idempotency_key"), "err.import_code_twice", first)
			}
			keys[k] = row.Line
		}
		if err == nil {
			if _, err := s.receive(ctx, actor, code, in, false); err != nil {
				var e *qms.Error
				if !errors.As(err, &e) {
					return rep, err
				}
				for _, f := range e.Fields {
					col := f.Field
					if index[f.Field] > 0 {
						col = column(f.Field)
					}
					issue(row.Line, col, f.Message, f.Args...)
				}
				if len(e.Fields) == 0 {
					issue(row.Line, "", e.Key, e.Args...)
				}
			}
		}
		inputs = append(inputs, in)
	}
	if len(rep.Issues) > 0 || dryRun {
		if len(rep.Issues) == 0 {
			rep.Added = len(inputs)
		}
		return rep, nil
	}
	for _, in := range inputs {
		res, err := s.receive(ctx, actor, code, in, true)
		if err != nil {
			return rep, err
		}
		if res.Repeated {
			rep.Unchanged++
		} else {
			rep.Added++
		}
	}
	return rep, nil
}

// ImportDossiersFrom imports dossiers from an uploaded file (see ImportDossiers).
func (s *Service) ImportDossiersFrom(ctx context.Context, actor *qms.Actor, agencyCode string, r io.Reader, dryRun bool) (ImportReport, error) {
	if err := actor.Require(qms.PermDossierHandle, qms.NormalizeCode(agencyCode)); err != nil {
		return ImportReport{}, err
	}
	var rep ImportReport
	err := s.spool(r, func(f io.ReaderAt, n int64) (err error) {
		rep, err = s.ImportDossiers(ctx, actor, agencyCode, f, n, dryRun)
		return err
	})
	return rep, err
}
