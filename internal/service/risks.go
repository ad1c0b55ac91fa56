package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Risks and opportunities per process (ISO 9001:2015 clause 6.1), and quality objectives with
// their measures (clause 6.2).

// RiskInput is a risk or opportunity as entered, or its new scoring.
type RiskInput struct {
	Kind        qms.RiskKind `json:"kind"`
	Process     string       `json:"process"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Likelihood  int          `json:"likelihood"`
	Impact      int          `json:"impact"`
	Treatment   string       `json:"treatment"`
	ReviewOn    qms.Date     `json:"review_on"`
	Note        string       `json:"note"`  // why the score (a rescoring)
	Close       bool         `json:"close"` // a rescoring that closes it
	Version     int64        `json:"version"`
}

// AddRisk records a risk or opportunity of a process in force (or of the whole system).
func (s *Service) AddRisk(ctx context.Context, actor *qms.Actor, agencyCode string, in RiskInput) (qms.Risk, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCEdit, agencyCode)
	if err != nil {
		return qms.Risk{}, err
	}
	x := qms.Risk{AgencyID: a.ID, AgencyCode: a.Code, Kind: in.Kind, Process: in.Process, Title: in.Title, Description: in.Description, Likelihood: in.Likelihood,
		Impact: in.Impact, Treatment: in.Treatment, ReviewOn: in.ReviewOn, State: qms.RiskOpen, CreatedBy: actor.UserID}
	if err := x.Validate(); err != nil {
		return x, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if x.Process != "" {
			procs, err := tx.ProcessesInForce(ctx, a.ID)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(procs, func(p store.ProcessInForce) bool { return p.Code == x.Process }) {
				return fieldErr("process", "err.audit_process_unknown", x.Process)
			}
		}
		if err := tx.InsertRisk(ctx, &x, strings.TrimSpace(in.Note), s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "risk.add", "risk", x.ID, qms.Changes{"code": {New: x.Code}, "kind": {New: string(x.Kind)}, "title": {New: x.Title},
			"process": {New: x.Process}, "score": {New: strconv.Itoa(x.Score())}, "review_on": {New: x.ReviewOn.String()}})
	})
	return x, err
}

// RescoreRisk records a risk's new scoring (kept in its history), its treatment and next review
// date, or closes it.
func (s *Service) RescoreRisk(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, in RiskInput) (qms.Risk, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCEdit, agencyCode)
	if err != nil {
		return qms.Risk{}, err
	}
	var x qms.Risk
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if x, err = tx.Risk(ctx, a.ID, id); err != nil {
			return err
		}
		if in.Version != 0 && in.Version != x.Version {
			return qms.Errorf(qms.EConflict, "err.stale")
		}
		if x.State != qms.RiskOpen {
			return qms.Errorf(qms.EConflict, "err.risk_closed")
		}
		old := x
		x.Likelihood, x.Impact, x.ReviewOn = in.Likelihood, in.Impact, in.ReviewOn
		if t := strings.TrimSpace(in.Treatment); t != "" {
			x.Treatment = t
		}
		if in.Close {
			x.State = qms.RiskClosed
		}
		if err := x.Validate(); err != nil {
			return err
		}
		note := strings.TrimSpace(in.Note)
		if note == "" || len([]rune(note)) > 2000 {
			return fieldErr("note", "err.risk_note")
		}
		if err := tx.UpdateRisk(ctx, &x); err != nil {
			return err
		}
		if err := tx.AddRiskScore(ctx, x, note, actor.UserID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "risk.score", "risk", x.ID, qms.Changes{"score": {Old: strconv.Itoa(old.Score()), New: strconv.Itoa(x.Score())},
			"likelihood": {Old: strconv.Itoa(old.Likelihood), New: strconv.Itoa(x.Likelihood)}, "impact": {Old: strconv.Itoa(old.Impact), New: strconv.Itoa(x.Impact)},
			"review_on": {Old: old.ReviewOn.String(), New: x.ReviewOn.String()}, "state": {Old: string(old.State), New: string(x.State)}, "note": {New: note}})
	})
	if err != nil {
		return x, err
	}
	return s.db.Risk(ctx, a.ID, id)
}

// Risks lists an agency's risks and opportunities, the highest score first.
func (s *Service) Risks(ctx context.Context, actor *qms.Actor, agencyCode string) (qms.Agency, []qms.Risk, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return a, nil, err
	}
	list, err := s.db.Risks(ctx, a.ID, false)
	return a, list, err
}

// Risk returns one risk with its history and actions.
func (s *Service) Risk(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (qms.Risk, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return qms.Risk{}, err
	}
	return s.db.Risk(ctx, a.ID, id)
}

// ObjectiveInput is a quality objective as set.
type ObjectiveInput struct {
	Year      int           `json:"year"`
	Title     string        `json:"title"`
	Measure   qms.Measure   `json:"measure"`
	Target    float64       `json:"target"`
	Direction qms.Direction `json:"direction"`
	Frequency qms.Frequency `json:"frequency"`
	Owner     string        `json:"owner"` // e-mail of a member of the agency
}

// AddObjective sets a quality objective of an agency for a year.
func (s *Service) AddObjective(ctx context.Context, actor *qms.Actor, agencyCode string, in ObjectiveInput) (qms.Objective, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermLoopManage, agencyCode)
	if err != nil {
		return qms.Objective{}, err
	}
	x := qms.Objective{AgencyID: a.ID, AgencyCode: a.Code, Year: in.Year, Title: in.Title, Measure: in.Measure, Target: in.Target, Direction: in.Direction,
		Frequency: in.Frequency}
	if strings.TrimSpace(in.Owner) != "" {
		x.OwnerID = -1 // resolved below
	}
	if x.Measure.Computed() {
		x.Direction = qms.AtLeast // every computed measure is better higher
	}
	if err := x.Validate(); err != nil {
		return x, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		ids, names, err := s.agencyMembers(ctx, tx, a.Code, "owner", []string{in.Owner})
		if err != nil {
			return err
		}
		x.OwnerID, x.OwnerName = ids[0], names[0]
		if err := tx.InsertObjective(ctx, &x, actor.UserID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "objective.add", "objective", x.ID, qms.Changes{"title": {New: x.Title}, "measure": {New: string(x.Measure)},
			"target": {New: strconv.FormatFloat(x.Target, 'f', -1, 64)}, "year": {New: strconv.Itoa(x.Year)}, "owner": {New: x.OwnerName}})
	})
	return x, err
}

// ObjectiveView is an objective with its status per period.
type ObjectiveView struct {
	qms.Objective
	Statuses  []qms.Status
	Latest    *qms.Status // the latest period with a value
	OffTarget bool        // the latest value misses the target: an action is proposed
}

// Objectives lists an agency's objectives of a year with their status per period.
func (s *Service) Objectives(ctx context.Context, actor *qms.Actor, agencyCode string, year int) (qms.Agency, []ObjectiveView, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return a, nil, err
	}
	if year < 2000 || year > 2100 {
		return a, nil, fieldErr("year", "err.year")
	}
	list, err := s.db.Objectives(ctx, a.ID, year)
	if err != nil {
		return a, nil, err
	}
	out := make([]ObjectiveView, len(list))
	for i, o := range list {
		if out[i], err = s.objectiveStatus(ctx, o); err != nil {
			return a, nil, err
		}
	}
	return a, out, nil
}

// Objective returns one objective with its status, values and actions.
func (s *Service) Objective(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (ObjectiveView, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return ObjectiveView{}, err
	}
	o, err := s.db.Objective(ctx, a.ID, id)
	if err != nil {
		return ObjectiveView{}, err
	}
	return s.objectiveStatus(ctx, o)
}

// objectiveStatus computes an objective's value for each of its periods so far.
func (s *Service) objectiveStatus(ctx context.Context, o qms.Objective) (ObjectiveView, error) {
	v := ObjectiveView{Objective: o}
	today := qms.DateOf(s.now().In(vietnam))
	for _, p := range o.Periods(today) {
		st, err := s.measure(ctx, o, p, today)
		if err != nil {
			return v, err
		}
		v.Statuses = append(v.Statuses, st)
		if st.Known {
			v.Latest = &v.Statuses[len(v.Statuses)-1]
		}
	}
	v.OffTarget = v.Latest != nil && !v.Latest.Met
	return v, nil
}

// measure computes (or reads) an objective's value for a period.
func (s *Service) measure(ctx context.Context, o qms.Objective, p qms.Period, today qms.Date) (qms.Status, error) {
	st := qms.Status{Period: p}
	end := p.To
	if today.Before(end) {
		end = today
	}
	switch o.Measure {
	case qms.MeasureOnTime, qms.MeasureRating:
		stats, err := s.db.DossierStats(ctx, store.ByAgency, []int64{o.AgencyID}, p.From.String()[:7], p.To.String()[:7], today)
		if err != nil || len(stats) == 0 {
			return st, err
		}
		d := stats[0]
		if p.To.Before(today) {
			d.OpenLate = 0 // a past period counts what was settled in it
		}
		if o.Measure == qms.MeasureOnTime {
			if d.Finished+d.OpenLate > 0 {
				st.Value, st.Known = OnTimeRate(d), true
				st.Basis = strconv.Itoa(d.Finished+d.OpenLate) + " hồ sơ"
			}
		} else if d.Rated > 0 {
			st.Value, st.Known = MeanRating(d), true
			st.Basis = strconv.Itoa(d.Rated) + " đánh giá"
		}
	case qms.MeasureDocsReviewed:
		total, overdue, err := s.db.DocumentsReviewed(ctx, o.AgencyID, end)
		if err != nil || total == 0 {
			return st, err
		}
		st.Value, st.Known = 100*float64(total-overdue)/float64(total), true
		st.Basis = strconv.Itoa(total) + " tài liệu"
	case qms.MeasureActions:
		due, onTime, err := s.db.ActionsDue(ctx, o.AgencyID, p.From, end, func(due qms.Date, done time.Time) bool {
			return !due.Before(qms.DateOf(done.In(vietnam)))
		})
		if err != nil || due == 0 {
			return st, err
		}
		st.Value, st.Known = 100*float64(onTime)/float64(due), true
		st.Basis = strconv.Itoa(due) + " hành động"
	case qms.MeasureManual:
		for _, e := range o.Entries {
			if e.Period == p.Key {
				st.Value, st.Known, st.Basis = e.Value, true, e.Evidence
			}
		}
	}
	st.Value = float64(int(st.Value*10+0.5)) / 10
	st.Met = st.Known && o.Met(st.Value)
	return st, nil
}

// EnterObjectiveValue records the value of a manual measure for a period, with its evidence.
func (s *Service) EnterObjectiveValue(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, period string, value float64, evidence string) (ObjectiveView, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCEdit, agencyCode)
	if err != nil {
		return ObjectiveView{}, err
	}
	evidence = strings.TrimSpace(evidence)
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.Objective(ctx, a.ID, id)
		if err != nil {
			return err
		}
		if o.Measure != qms.MeasureManual {
			return qms.Errorf(qms.EConflict, "err.objective_computed")
		}
		var v qms.Validation
		if !o.ValidPeriod(period) {
			v.Add("period", "err.objective_period", strconv.Itoa(o.Year))
		}
		if value < 0 || value != value || value > 1e12 {
			v.Add("value", "err.objective_target")
		}
		if evidence == "" || len([]rune(evidence)) > 2000 {
			v.Add("evidence", "err.objective_evidence")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := tx.SetObjectiveValue(ctx, o, qms.ObjectiveValue{Period: period, Value: value, Evidence: evidence}, actor.UserID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "objective.value", "objective", o.ID, qms.Changes{"period": {New: period},
			"value": {New: strconv.FormatFloat(value, 'f', -1, 64)}, "evidence": {New: evidence}})
	})
	if err != nil {
		return ObjectiveView{}, err
	}
	return s.Objective(ctx, actor, agencyCode, id)
}
