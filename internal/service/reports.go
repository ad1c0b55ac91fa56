package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Periodic reports of an agency to the Department of Science and Technology: drafted from live
// data, their text written by the secretary, signed by the leader (the figures frozen and the
// report numbered), submitted before the deadline (late ones flagged; none once the period has
// closed), accepted or returned with comments by the Department's coordinator.

// ReportText is a report's free-text sections.
type ReportText struct {
	Results      string `json:"results"`
	Difficulties string `json:"difficulties"`
	Proposals    string `json:"proposals"`
	Version      int64  `json:"version"`
}

// OpenReport opens an agency's report for a period, as a draft.
func (s *Service) OpenReport(ctx context.Context, actor *qms.Actor, agencyCode string, kind qms.ReportKind, year int) (qms.Report, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermTrackEdit, agencyCode)
	if err != nil {
		return qms.Report{}, err
	}
	x := qms.Report{AgencyID: a.ID, AgencyCode: a.Code, AgencyName: a.Name, Kind: kind, Year: year, State: qms.ReportDraft}
	if year < 2000 || year > 2100 {
		return x, fieldErr("year", "err.year")
	}
	if x.From, x.To, x.DueOn, x.ClosesOn, err = s.period(ctx, kind, year); err != nil {
		return x, err
	}
	if qms.DateOf(s.now().In(vietnam)).Before(x.From) {
		return x, fieldErr("year", "err.report_future")
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertReport(ctx, &x, actor.UserID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "report.open", "report", x.ID, qms.Changes{"kind": {New: string(kind)}, "year": {New: fmt.Sprint(year)}})
	})
	return x, err
}

// ReportView is a report with its figures (live while a draft, frozen once signed) and what the
// actor may do.
type ReportView struct {
	Report    qms.Report
	Data      qms.ReportData
	Superior  string // the agency's superior, above its name on the first page
	Place     string
	MayEdit   bool
	MaySign   bool
	MaySubmit bool
	MayReview bool
}

// Report returns one of an agency's reports.
func (s *Service) Report(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (ReportView, error) {
	var v ReportView
	a, err := s.agencyFor(ctx, actor, qms.PermTrackRead, agencyCode)
	if err != nil {
		return v, err
	}
	if v.Report, err = s.db.Report(ctx, a.ID, id); err != nil {
		return v, err
	}
	if v.Report.Data != nil {
		v.Data = *v.Report.Data
	} else if v.Data, err = s.compileReport(ctx, s.db.Q, a, v.Report.From, v.Report.To); err != nil {
		return v, err
	}
	if a.ParentCode != "" {
		if p, err := s.db.AgencyByCode(ctx, a.ParentCode); err == nil {
			v.Superior = p.Name
		}
	}
	if v.Place, err = s.place(ctx); err != nil {
		return v, err
	}
	x := v.Report
	v.MayEdit = x.Editable() && actor.Can(qms.PermTrackEdit, a.Code)
	v.MaySign = x.Editable() && actor.Can(qms.PermDocApprove, a.Code)
	v.MaySubmit = x.State == qms.ReportSigned && actor.Can(qms.PermTrackEdit, a.Code)
	v.MayReview = x.State == qms.ReportSubmitted && actor.Can(qms.PermProgrammeManage, "")
	return v, nil
}

// Reports lists an agency's reports, the latest period first.
func (s *Service) Reports(ctx context.Context, actor *qms.Actor, agencyCode string) (qms.Agency, []qms.Report, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermTrackRead, agencyCode)
	if err != nil {
		return a, nil, err
	}
	list, err := s.db.Reports(ctx, store.ReportFilter{AgencyID: a.ID})
	return a, list, err
}

// SaveReportText writes a draft's (or a returned report's) free-text sections.
func (s *Service) SaveReportText(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, in ReportText) (qms.Report, error) {
	return s.actOnReport(ctx, actor, qms.PermTrackEdit, agencyCode, id, in.Version, "report.text", func(x *qms.Report) (qms.Changes, error) {
		if !x.Editable() {
			return nil, qms.Errorf(qms.EConflict, "err.report_state", string(x.State))
		}
		old := *x
		x.Results, x.Difficulties, x.Proposals = in.Results, in.Difficulties, in.Proposals
		if err := x.CheckText(); err != nil {
			return nil, err
		}
		return qms.Changes{"results": {Old: old.Results, New: x.Results}, "difficulties": {Old: old.Difficulties, New: x.Difficulties},
			"proposals": {Old: old.Proposals, New: x.Proposals}}, nil
	})
}

// SignReport records the leader's signature: the figures are compiled and frozen, the report
// numbered NN/BC-<agency>.
func (s *Service) SignReport(ctx context.Context, actor *qms.Actor, agencyCode string, id, version int64) (qms.Report, error) {
	if err := actor.Require(qms.PermDocApprove, qms.NormalizeCode(agencyCode)); err != nil {
		return qms.Report{}, qms.Errorf(qms.EForbidden, "err.report_leader")
	}
	return s.actOnReport(ctx, actor, qms.PermDocApprove, agencyCode, id, version, "report.sign", func(x *qms.Report) (qms.Changes, error) {
		if !x.Editable() {
			return nil, qms.Errorf(qms.EConflict, "err.report_state", string(x.State))
		}
		a, err := s.db.AgencyByCode(ctx, x.AgencyCode)
		if err != nil {
			return nil, err
		}
		data, err := s.compileReport(ctx, s.db.Q, a, x.From, x.To)
		if err != nil {
			return nil, err
		}
		if x.Number == "" {
			n, err := s.db.NextReportNumber(ctx, x.AgencyID, x.Year, a.Code == s.cfg.LeadAgency)
			if err != nil {
				return nil, err
			}
			x.Number = fmt.Sprintf("%02d/BC-%s", n, a.Code)
		}
		old := x.State
		x.Data, x.State, x.SignedBy, x.SignerName, x.SignedAt = &data, qms.ReportSigned, actor.UserID, actor.Name, s.now()
		return qms.Changes{"state": {Old: string(old), New: string(x.State)}, "number": {New: x.Number}}, nil
	})
}

// SubmitReport sends a signed report to the Department: after its deadline it is flagged late;
// once its period has closed it can no longer be submitted.
func (s *Service) SubmitReport(ctx context.Context, actor *qms.Actor, agencyCode string, id, version int64) (qms.Report, error) {
	return s.actOnReport(ctx, actor, qms.PermTrackEdit, agencyCode, id, version, "report.submit", func(x *qms.Report) (qms.Changes, error) {
		if x.State != qms.ReportSigned {
			return nil, qms.Errorf(qms.EConflict, "err.report_state", string(x.State))
		}
		today := qms.DateOf(s.now().In(vietnam))
		if x.ClosesOn.Before(today) {
			return nil, qms.Errorf(qms.EConflict, "err.report_period_closed", x.ClosesOn.VN())
		}
		x.State, x.SubmittedAt, x.Late = qms.ReportSubmitted, s.now(), x.DueOn.Before(today)
		return qms.Changes{"state": {Old: string(qms.ReportSigned), New: string(x.State)}, "late": {New: fmt.Sprint(x.Late)}}, nil
	})
}

// ReviewReport records the Department's acceptance of a submitted report, or its return to
// the agency with comments (a returned report is edited and signed again).
func (s *Service) ReviewReport(ctx context.Context, actor *qms.Actor, agencyCode string, id, version int64, accept bool, comment string) (qms.Report, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return qms.Report{}, err
	}
	comment = strings.TrimSpace(comment)
	return s.actOnReport(ctx, actor, qms.PermTrackRead, agencyCode, id, version, "report.review", func(x *qms.Report) (qms.Changes, error) {
		if x.State != qms.ReportSubmitted {
			return nil, qms.Errorf(qms.EConflict, "err.report_state", string(x.State))
		}
		if !accept && comment == "" {
			return nil, fieldErr("comment", "err.report_comment")
		}
		if len([]rune(comment)) > 4000 {
			return nil, fieldErr("comment", "err.too_long")
		}
		x.State = qms.ReportAccepted
		if !accept {
			x.State = qms.ReportReturned
		}
		x.ReviewedBy, x.ReviewedAt, x.Comment = actor.UserID, s.now(), comment
		return qms.Changes{"state": {Old: string(qms.ReportSubmitted), New: string(x.State)}, "comment": {New: comment}}, nil
	})
}

// actOnReport changes one report in a transaction, journaled.
func (s *Service) actOnReport(ctx context.Context, actor *qms.Actor, p qms.Permission, agencyCode string, id, version int64, action string,
	change func(x *qms.Report) (qms.Changes, error)) (qms.Report, error) {
	a, err := s.agencyFor(ctx, actor, p, agencyCode)
	if err != nil {
		return qms.Report{}, err
	}
	var x qms.Report
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if x, err = tx.Report(ctx, a.ID, id); err != nil {
			return err
		}
		if version != 0 && version != x.Version {
			return qms.Errorf(qms.EConflict, "err.stale")
		}
		ch, err := change(&x)
		if err != nil {
			return err
		}
		if err := tx.UpdateReport(ctx, &x); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, action, "report", x.ID, ch)
	})
	return x, err
}

// compileReport gathers a report's figures for its period from live data.
func (s *Service) compileReport(ctx context.Context, q store.Q, a qms.Agency, from, to qms.Date) (qms.ReportData, error) {
	d := qms.ReportData{Compiled: s.now()}
	var err error
	if d.Pack, err = s.compilePack(ctx, q, a, qms.Review{AgencyID: a.ID, From: from, To: to, MeetingOn: to.AddDays(1)}); err != nil {
		return d, err
	}
	tracks, err := s.AgencyTracks(ctx, System, a.Code)
	if err != nil {
		return d, err
	}
	for _, t := range tracks {
		d.StepsDone, d.StepsTotal = d.StepsDone+t.Progress.Done, d.StepsTotal+t.Progress.Total
	}
	_, committees, err := s.Committees(ctx, System, a.Code)
	if err != nil {
		return d, err
	}
	if len(committees) > 0 {
		c := committees[0]
		d.CommitteeMembers = len(c.Members)
		if !c.NotifiedAt.IsZero() {
			d.CommitteeNotified = qms.DateOf(c.NotifiedAt.In(vietnam))
		}
	}
	tr, err := s.TrainingOf(ctx, System, a.Code)
	if err != nil {
		return d, err
	}
	for _, r := range tr.Records {
		if !r.Session.StartsOn.Before(from) && !to.Before(r.Session.StartsOn) {
			d.Trained++
			if r.Session.Course.Kind == qms.CourseInternalAuditor && r.Result == qms.ResultPassed {
				d.TrainedAuditor++
			}
		}
	}
	if d.DocsIssued, err = q.RevisionsEffective(ctx, a.ID, from, to); err != nil {
		return d, err
	}
	if d.DocsTotal, d.DocsOverdue, err = q.DocumentsReviewed(ctx, a.ID, to); err != nil {
		return d, err
	}
	procs, err := s.Procedures(ctx, System, ProcedureQuery{Agency: a.Code})
	if err != nil {
		return d, err
	}
	covered := map[string]bool{}
	inForce, err := q.ProcessesInForce(ctx, a.ID)
	if err != nil {
		return d, err
	}
	for _, p := range inForce {
		for _, c := range p.Content.Procedures {
			covered[c] = true
		}
	}
	for _, p := range procs {
		if p.Status != qms.ProcAbolished {
			d.Procedures++
			if covered[p.Code] {
				d.WithProcess++
			}
		}
	}
	_, recs, err := s.Recognitions(ctx, System, a.Code)
	if err != nil {
		return d, err
	}
	for _, r := range recs {
		if r.Status == qms.RecognitionValid && !to.Before(r.IssuedOn) && (d.RecognitionOn.IsZero() || d.RecognitionOn.Before(r.IssuedOn)) {
			kind := "Quyết định công bố"
			if r.Kind == qms.Certificate {
				kind = "Giấy chứng nhận"
			}
			d.Recognition, d.RecognitionOn, d.Scope = strings.TrimSpace(kind+" "+r.Number+" "+r.Edition), r.IssuedOn, r.Scope
		}
		if r.Kind != qms.Certificate && !r.IssuedOn.Before(from) && !to.Before(r.IssuedOn) {
			d.Announced++
		}
	}
	engagements, err := q.EngagementsDuring(ctx, a.ID, from, to)
	if err != nil {
		return d, err
	}
	d.Consultants = consultantsOf(engagements)[a.ID]
	if b, found, err := q.Budget(ctx, a.ID, from.Time().Year()); err != nil {
		return d, err
	} else if found {
		d.BudgetEstimate, d.BudgetActual = b.Totals()
	}
	reviews, err := q.Reviews(ctx, a.ID)
	if err != nil {
		return d, err
	}
	for _, r := range reviews {
		if r.State != qms.ReviewPlanned && !r.MeetingOn.Before(from) && !to.Before(r.MeetingOn) {
			d.Reviews++
		}
	}
	return d, nil
}

// period returns a report's period, deadline and closing day under the schedule in force; an
// unknown kind is the kind field's error.
func (s *Service) period(ctx context.Context, kind qms.ReportKind, year int) (from, to, due, closes qms.Date, err error) {
	sch, err := s.db.ReportSchedules(ctx)
	if err != nil {
		return from, to, due, closes, err
	}
	if from, to, due, closes, err = sch.Period(kind, year); err != nil {
		return from, to, due, closes, fieldErr("kind", "err.report_kind")
	}
	return from, to, due, closes, nil
}

// ReportSchedules returns the schedules in force for a year, a kind each (any signed-in user:
// agencies plan by them), and every stored version.
func (s *Service) ReportSchedules(ctx context.Context, actor *qms.Actor, year int) (inForce, versions qms.Schedules, err error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, nil, err
	}
	if versions, err = s.db.ReportSchedules(ctx); err != nil {
		return nil, nil, err
	}
	for _, kind := range []qms.ReportKind{qms.ReportHalf, qms.ReportYear} {
		x, _ := versions.For(kind, year)
		inForce = append(inForce, x)
	}
	return inForce, versions, nil
}

// MaySetRules tells whether the actor may change the province's rules kept as data — the
// finance norms, the evaluation criteria, the report schedules: the Department's coordinator
// and administrators. The one place that decides it, for the pages and the saving alike.
func (s *Service) MaySetRules(actor *qms.Actor) bool { return actor.Can(qms.PermProgrammeManage, "") }

func requireRules(actor *qms.Actor) error { return actor.Require(qms.PermProgrammeManage, "") }

// SaveReportSchedule stores a version of a schedule, in force from its year (the Department's
// coordinator); reports of those years take its deadline and closing day from now on.
func (s *Service) SaveReportSchedule(ctx context.Context, actor *qms.Actor, x qms.ReportSchedule) error {
	if err := requireRules(actor); err != nil {
		return err
	}
	if err := x.Validate(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SaveReportSchedule(ctx, x); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "report.schedule", "report_schedule", int64(x.YearFrom), qms.Changes{"kind": {New: string(x.Kind)},
			"due": {New: fmt.Sprintf("%02d/%02d", x.DueDay, int(x.DueMonth))}, "close_days": {New: fmt.Sprint(x.CloseDays)}})
	})
}
