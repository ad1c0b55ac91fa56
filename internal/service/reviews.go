package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Management reviews (ISO 9001:2015 clause 9.3): planned by the secretary or the leader for a
// period, their input pack compiled from live data, their minutes recorded with a conclusion on
// every input, decisions and actions, and approved by the leader.

// ReviewInput is a review's plan, or its minutes.
type ReviewInput struct {
	MeetingOn   qms.Date          `json:"meeting_on"`
	From        qms.Date          `json:"period_from"`
	To          qms.Date          `json:"period_to"`
	Chair       string            `json:"chair"`
	Attendees   string            `json:"attendees"`
	Conclusions map[string]string `json:"conclusions"`
	Decisions   string            `json:"decisions"`
	Version     int64             `json:"version"`
}

// PlanReview plans a management review of an agency for a period.
func (s *Service) PlanReview(ctx context.Context, actor *qms.Actor, agencyCode string, in ReviewInput) (qms.Review, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermLoopManage, agencyCode)
	if err != nil {
		return qms.Review{}, err
	}
	x := qms.Review{AgencyID: a.ID, AgencyCode: a.Code, MeetingOn: in.MeetingOn, From: in.From, To: in.To, Chair: in.Chair, Attendees: in.Attendees,
		State: qms.ReviewPlanned, CreatedBy: actor.UserID}
	if err := x.Validate(); err != nil {
		return x, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertReview(ctx, &x, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "review.plan", "review", x.ID, qms.Changes{"code": {New: x.Code}, "meeting_on": {New: x.MeetingOn.String()},
			"period": {New: x.From.String() + " – " + x.To.String()}})
	})
	return x, err
}

// ReviewView is a review with its input pack (live while planned, frozen once held) and what the
// actor may do.
type ReviewView struct {
	Review     qms.Review
	Pack       qms.ReviewPack
	MayMinutes bool // record the minutes (planned)
	MayApprove bool // the leader approves (held)
	MayAction  bool // plan actions (held or approved)
}

// Review returns one review with its pack.
func (s *Service) Review(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (ReviewView, error) {
	var v ReviewView
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return v, err
	}
	if v.Review, err = s.db.Review(ctx, a.ID, id); err != nil {
		return v, err
	}
	if v.Review.Pack != nil {
		v.Pack = *v.Review.Pack
	} else if v.Pack, err = s.compilePack(ctx, s.db.Q, a, v.Review); err != nil {
		return v, err
	}
	v.MayMinutes = v.Review.State == qms.ReviewPlanned && actor.Can(qms.PermLoopManage, a.Code)
	v.MayApprove = v.Review.State == qms.ReviewHeld && actor.Can(qms.PermDocApprove, a.Code)
	v.MayAction = v.Review.State != qms.ReviewPlanned && actor.Can(qms.PermNCEdit, a.Code)
	return v, nil
}

// Reviews lists an agency's reviews, the latest first.
func (s *Service) Reviews(ctx context.Context, actor *qms.Actor, agencyCode string) (qms.Agency, []qms.Review, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return a, nil, err
	}
	list, err := s.db.Reviews(ctx, a.ID)
	return a, list, err
}

// RecordMinutes records a review's minutes: a conclusion on every input of clause 9.3.2 and the
// decisions; the input pack is compiled and frozen with them.
func (s *Service) RecordMinutes(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, in ReviewInput) (qms.Review, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermLoopManage, agencyCode)
	if err != nil {
		return qms.Review{}, err
	}
	var x qms.Review
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if x, err = tx.Review(ctx, a.ID, id); err != nil {
			return err
		}
		if in.Version != 0 && in.Version != x.Version {
			return qms.Errorf(qms.EConflict, "err.stale")
		}
		if x.State != qms.ReviewPlanned {
			return qms.Errorf(qms.EConflict, "err.review_state", string(x.State))
		}
		x.Conclusions = map[string]string{}
		var v qms.Validation
		for _, k := range qms.ReviewInputs {
			c := strings.TrimSpace(in.Conclusions[k])
			if len([]rune(c)) > 4000 {
				v.Add("conclusion_"+k, "err.too_long")
			}
			x.Conclusions[k] = c
		}
		for _, k := range x.Missing() {
			v.Add("conclusion_"+k, "err.review_input_missing")
		}
		x.Decisions = strings.TrimSpace(in.Decisions)
		if x.Decisions == "" || len([]rune(x.Decisions)) > 8000 {
			v.Add("decisions", "err.review_decisions")
		}
		if c := strings.TrimSpace(in.Chair); c != "" {
			x.Chair = c
		}
		if at := strings.TrimSpace(in.Attendees); at != "" {
			x.Attendees = at
		}
		if err := v.Err(); err != nil {
			return err
		}
		pack, err := s.compilePack(ctx, tx.Q, a, x)
		if err != nil {
			return err
		}
		x.Pack, x.State = &pack, qms.ReviewHeld
		if err := tx.UpdateReview(ctx, &x); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "review.minutes", "review", x.ID, qms.Changes{"state": {Old: string(qms.ReviewPlanned), New: string(qms.ReviewHeld)},
			"decisions": {New: x.Decisions}})
	})
	return x, err
}

// ApproveReview records the leader's approval of a review's minutes.
func (s *Service) ApproveReview(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, version int64) (qms.Review, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermDocApprove, agencyCode)
	if err != nil {
		return qms.Review{}, err
	}
	var x qms.Review
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if x, err = tx.Review(ctx, a.ID, id); err != nil {
			return err
		}
		if version != 0 && version != x.Version {
			return qms.Errorf(qms.EConflict, "err.stale")
		}
		if x.State != qms.ReviewHeld {
			return qms.Errorf(qms.EConflict, "err.review_state", string(x.State))
		}
		x.State, x.ApprovedBy, x.ApprovedAt = qms.ReviewApproved, actor.UserID, s.now()
		if err := tx.UpdateReview(ctx, &x); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "review.approve", "review", x.ID, qms.Changes{"state": {Old: string(qms.ReviewHeld), New: string(qms.ReviewApproved)}})
	})
	return x, err
}

// ReviewPack compiles the input pack of an agency for a period from live data, for the API and
// the benchmark.
func (s *Service) ReviewPack(ctx context.Context, actor *qms.Actor, agencyCode string, from, to qms.Date) (qms.ReviewPack, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return qms.ReviewPack{}, err
	}
	x := qms.Review{AgencyID: a.ID, From: from, To: to, MeetingOn: to}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return qms.ReviewPack{}, fieldErr("period_to", "err.audit_dates")
	}
	return s.compilePack(ctx, s.db.Q, a, x)
}

// compilePack gathers a review's inputs (clause 9.3.2) for its period: audits and their findings,
// nonconformities and actions, objectives, dossiers and citizens' ratings, risks, the previous
// review's actions, changes of procedures and legal documents, and opportunities for improvement.
func (s *Service) compilePack(ctx context.Context, q store.Q, a qms.Agency, x qms.Review) (qms.ReviewPack, error) {
	p := qms.ReviewPack{AgencyCode: a.Code, From: x.From, To: x.To, Compiled: s.now(), FindingCounts: map[string]int{}}
	today := qms.DateOf(s.now().In(vietnam))
	inPeriod := func(t time.Time) bool {
		d := qms.DateOf(t.In(vietnam))
		return !d.Before(x.From) && !x.To.Before(d)
	}
	// Audits.
	audits, err := q.Audits(ctx, store.AuditFilter{AgencyIDs: []int64{a.ID}, From: x.From, To: x.To})
	if err != nil {
		return p, err
	}
	counts, err := q.FindingCounts(ctx, a.ID, x.From, x.To)
	if err != nil {
		return p, err
	}
	for _, au := range audits {
		if au.State == qms.AuditCancelled {
			continue
		}
		p.Audits = append(p.Audits, qms.PackAudit{Code: au.Code, Title: au.Title, State: au.State, StartsOn: au.StartsOn, Findings: counts[au.ID], Summary: au.Summary})
		for t, n := range counts[au.ID] {
			p.FindingCounts[t] += n
		}
	}
	// Nonconformities.
	ncs, err := q.NCs(ctx, store.NCFilter{AgencyID: a.ID})
	if err != nil {
		return p, err
	}
	for _, n := range ncs {
		opened, closed := inPeriod(n.ReportedAt), !n.ClosedAt.IsZero() && inPeriod(n.ClosedAt)
		open := n.State.Open() && !x.To.Before(qms.DateOf(n.ReportedAt.In(vietnam)))
		if opened {
			p.NCOpened++
		}
		if closed {
			p.NCClosed++
		}
		if open {
			p.NCOpen++
		}
		if !opened && !closed && !open {
			continue
		}
		pn := qms.PackNC{ID: n.ID, Code: n.Code, Title: n.Title, Source: n.Source, SourceRef: n.SourceRef, Severity: n.Severity, State: n.State}
		if !n.ClosedAt.IsZero() {
			pn.ClosedOn = qms.DateOf(n.ClosedAt.In(vietnam))
		}
		p.NCs = append(p.NCs, pn)
		if n.Source == qms.SourceComplaint {
			p.Complaints = append(p.Complaints, pn)
		}
	}
	// Actions.
	if p.ActionsDue, p.ActionsOnTime, err = q.ActionsDue(ctx, a.ID, x.From, x.To, func(due qms.Date, done time.Time) bool {
		return !due.Before(qms.DateOf(done.In(vietnam)))
	}); err != nil {
		return p, err
	}
	open, err := q.OpenActions(ctx, a.ID)
	if err != nil {
		return p, err
	}
	p.ActionsOpen = len(open)
	for _, act := range open {
		if act.Overdue(today) {
			p.ActionsOverdue++
		}
		if act.Type == qms.ActionImprovement {
			p.Improvements = append(p.Improvements, act.Description)
		}
	}
	// Objectives of the years of the period.
	for y := x.From.Time().Year(); y <= x.To.Time().Year(); y++ {
		objs, err := q.Objectives(ctx, a.ID, y)
		if err != nil {
			return p, err
		}
		for _, o := range objs {
			v, err := s.objectiveStatus(ctx, o)
			if err != nil {
				return p, err
			}
			po := qms.PackObjective{Title: o.Title, Target: o.Target, Dir: string(o.Direction), Measure: o.Measure}
			if v.Latest != nil {
				po.Latest, po.Value, po.Known, po.Met = v.Latest.Period.Key, v.Latest.Value, true, v.Latest.Met
			}
			p.Objectives = append(p.Objectives, po)
		}
	}
	// Dossiers and ratings, from the monthly aggregates.
	stats, err := q.DossierStats(ctx, store.ByAgency, []int64{a.ID}, x.From.String()[:7], x.To.String()[:7], today)
	if err != nil {
		return p, err
	}
	p.OnTimeRate = -1
	if len(stats) > 0 {
		d := stats[0]
		if x.To.Before(today) {
			d.OpenLate = 0
		}
		p.Dossiers, p.OnTime, p.Late, p.Received = d.Finished, d.Early+d.OnTime, d.Late, d.Received
		if d.Finished+d.OpenLate > 0 {
			p.OnTimeRate = OnTimeRate(d)
		}
		p.Rated, p.MeanRating = d.Rated, MeanRating(d)
	}
	// Risks.
	risks, err := q.Risks(ctx, a.ID, true)
	if err != nil {
		return p, err
	}
	for _, r := range risks {
		p.Risks = append(p.Risks, qms.PackRisk{Code: r.Code, Kind: r.Kind, Title: r.Title, Score: r.Score(), Level: r.Level()})
	}
	// The previous review's actions.
	reviews, err := q.Reviews(ctx, a.ID)
	if err != nil {
		return p, err
	}
	for _, r := range reviews {
		if r.ID == x.ID || r.State == qms.ReviewPlanned || !r.MeetingOn.Before(x.MeetingOn) {
			continue
		}
		p.PreviousReview = r.Code
		acts, err := q.Review(ctx, a.ID, r.ID)
		if err != nil {
			return p, err
		}
		for _, act := range acts.Actions {
			p.PreviousActions = append(p.PreviousActions, qms.PackAction{Description: act.Description, Owner: act.OwnerName, DueOn: act.DueOn, State: act.State})
		}
		break
	}
	// Changes of procedures and legal documents.
	tasks, err := q.UpdateTasks(ctx, store.TaskFilter{AgencyID: a.ID})
	if err != nil {
		return p, err
	}
	for _, t := range tasks {
		if !inPeriod(t.CreatedAt) {
			continue
		}
		subject := t.ProcedureCode + " " + t.ProcedureName
		if t.LegalNumber != "" {
			subject = t.LegalNumber + " " + t.LegalTitle
		}
		p.UpdateTasks = append(p.UpdateTasks, qms.PackTask{ID: t.ID, Subject: strings.TrimSpace(subject), Change: t.Change, Opened: qms.DateOf(t.CreatedAt.In(vietnam)),
			Closed: t.State != qms.TaskOpen})
	}
	// Opportunities for improvement found by audits.
	ofis, err := q.FindingsOfType(ctx, a.ID, qms.FindingOFI, x.From.Time().Add(-7*time.Hour), x.To.AddDays(1).Time().Add(-7*time.Hour))
	if err != nil {
		return p, err
	}
	p.Improvements = append(ofis, p.Improvements...)
	slices.SortStableFunc(p.Risks, func(a, b qms.PackRisk) int { return b.Score - a.Score })
	return p, nil
}

// LoopGap is an agency missing its yearly internal audit or management review.
type LoopGap struct {
	Agency   qms.Agency
	Year     int
	NoAudit  bool
	NoReview bool
}

// LoopGaps lists, for a year, the open agencies the actor oversees (or, for an agency's own
// people, their agency) that have no internal audit planned or held, or no management review
// held: the rule is at least one of each a year.
func (s *Service) LoopGaps(ctx context.Context, actor *qms.Actor, agencyCode string, year int) ([]LoopGap, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	var agencies []qms.Agency
	if code := qms.NormalizeCode(agencyCode); code != "" {
		a, err := s.agencyFor(ctx, actor, qms.PermNCRead, code)
		if err != nil {
			return nil, err
		}
		agencies = []qms.Agency{a}
	} else {
		if err := actor.Require(qms.PermProvinceOversee, ""); err != nil {
			return nil, err
		}
		var err error
		if agencies, err = s.db.ListAgencies(ctx, store.AgencyFilter{}); err != nil {
			return nil, err
		}
	}
	from, to := qms.NewDate(year, 1, 1), qms.NewDate(year, 12, 31)
	audits, err := s.db.AuditCounts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	reviews, err := s.db.ReviewCounts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var out []LoopGap
	for _, a := range agencies {
		if a.Closed() || a.Kind == qms.KindProvincialCommittee {
			continue
		}
		g := LoopGap{Agency: a, Year: year, NoAudit: audits[a.ID] == 0, NoReview: reviews[a.ID] == 0}
		if g.NoAudit || g.NoReview {
			out = append(out, g)
		}
	}
	return out, nil
}
