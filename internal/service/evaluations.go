package service

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// The yearly evaluation of the agencies of the programme: each criterion in force for the year
// scored from live data, the coordinator's adjustments (with their reason, journaled) added,
// the agencies ranked, those from the threshold proposed for commendation.

// Evaluations is a year's evaluation of the province.
type Evaluations struct {
	Year      int
	Criteria  []qms.Criterion
	YearFrom  int // the criteria's version: in force from this year (0: the defaults)
	List      []qms.Evaluation
	MayAdjust bool
}

// Evaluate scores every agency of the programme for a year and ranks them.
func (s *Service) Evaluate(ctx context.Context, actor *qms.Actor, year int) (Evaluations, error) {
	ev := Evaluations{Year: year, MayAdjust: actor.Can(qms.PermProgrammeManage, "")}
	c, err := s.Consolidate(ctx, actor, qms.ReportYear, year)
	if err != nil {
		return ev, err
	}
	if ev.Criteria, ev.YearFrom, err = s.db.CriteriaFor(ctx, year); err != nil {
		return ev, err
	}
	adjustments, err := s.db.Adjustments(ctx, year)
	if err != nil {
		return ev, err
	}
	to := c.To
	if today := qms.DateOf(s.now().In(vietnam)); today.Before(to) {
		to = today
	}
	for _, row := range c.Rows {
		a := row.Agency
		fractions := map[string]struct {
			f     float64
			basis string
		}{}
		set := func(code string, f float64, basis string) {
			fractions[code] = struct {
				f     float64
				basis string
			}{math.Max(0, math.Min(1, f)), basis}
		}
		yes := func(ok bool) float64 {
			if ok {
				return 1
			}
			return 0
		}
		set(qms.CritCommittee, yes(row.Committee == CommitteeNotified), string(row.Committee))
		total, overdue, err := s.db.DocumentsReviewed(ctx, a.ID, to)
		if err != nil {
			return ev, err
		}
		if total == 0 {
			set(qms.CritDocuments, 0, "0")
		} else {
			set(qms.CritDocuments, float64(total-overdue)/float64(total), fmt.Sprintf("%d/%d", total-overdue, total))
		}
		procs, err := s.Procedures(ctx, System, ProcedureQuery{Agency: a.Code})
		if err != nil {
			return ev, err
		}
		inForce, err := s.db.ProcessesInForce(ctx, a.ID)
		if err != nil {
			return ev, err
		}
		covered := map[string]bool{}
		for _, p := range inForce {
			for _, code := range p.Content.Procedures {
				covered[code] = true
			}
		}
		live, with := 0, 0
		for _, p := range procs {
			if p.Status != qms.ProcAbolished {
				live++
				if covered[p.Code] {
					with++
				}
			}
		}
		if live == 0 {
			set(qms.CritProcesses, 1, "—")
		} else {
			set(qms.CritProcesses, float64(with)/float64(live), fmt.Sprintf("%d/%d", with, live))
		}
		set(qms.CritAudit, yes(row.Audits > 0), strconv.Itoa(row.Audits))
		set(qms.CritReview, yes(row.Reviews > 0), strconv.Itoa(row.Reviews))
		switch rep := row.Report; {
		case rep == nil || rep.State == qms.ReportDraft || rep.State == qms.ReportSigned || rep.State == qms.ReportReturned:
			set(qms.CritReports, 0, "—")
		case rep.Late:
			set(qms.CritReports, 0.5, rep.Number)
		default:
			set(qms.CritReports, 1, rep.Number)
		}
		if row.OnTimeRate < 0 {
			set(qms.CritDossiers, 1, "—") // nothing settled: nothing late
		} else {
			set(qms.CritDossiers, row.OnTimeRate/100, fmt.Sprintf("%.1f%%", row.OnTimeRate))
		}
		due, onTime, err := s.db.ActionsDue(ctx, a.ID, c.From, to, func(due qms.Date, done time.Time) bool {
			return !due.Before(qms.DateOf(done.In(vietnam)))
		})
		if err != nil {
			return ev, err
		}
		if due == 0 {
			set(qms.CritActions, 1, "—")
		} else {
			set(qms.CritActions, float64(onTime)/float64(due), fmt.Sprintf("%d/%d", onTime, due))
		}
		set(qms.CritAnnounced, yes(row.Recognition != ""), row.Recognition)
		e := qms.Evaluation{Agency: a, Adjustments: adjustments[a.ID]}
		for _, cr := range ev.Criteria {
			x := fractions[cr.Code]
			e.Scores = append(e.Scores, qms.Score{Criterion: cr, Fraction: x.f, Basis: x.basis})
		}
		e.Tally()
		ev.List = append(ev.List, e)
	}
	slices.SortStableFunc(ev.List, func(x, y qms.Evaluation) int {
		switch {
		case x.Total > y.Total:
			return -1
		case x.Total < y.Total:
			return 1
		}
		return strings.Compare(x.Agency.Code, y.Agency.Code)
	})
	for i := range ev.List {
		ev.List[i].Rank = i + 1
		if i > 0 && ev.List[i].Total == ev.List[i-1].Total {
			ev.List[i].Rank = ev.List[i-1].Rank
		}
	}
	return ev, nil
}

// AdjustScore records the coordinator's adjustment of one criterion of an agency's score for a
// year, with its reason.
func (s *Service) AdjustScore(ctx context.Context, actor *qms.Actor, agencyCode string, year int, criterion string, points float64, reason string) (qms.Adjustment, error) {
	adj := qms.Adjustment{Year: year, Criterion: criterion, Points: points, Reason: strings.TrimSpace(reason), At: s.now()}
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return adj, err
	}
	a, err := s.db.AgencyByCode(ctx, qms.NormalizeCode(agencyCode))
	if err != nil {
		return adj, err
	}
	adj.AgencyID = a.ID
	criteria, _, err := s.db.CriteriaFor(ctx, year)
	if err != nil {
		return adj, err
	}
	var v qms.Validation
	i := slices.IndexFunc(criteria, func(c qms.Criterion) bool { return c.Code == criterion })
	if i < 0 {
		v.Add("criterion", "err.choice")
	} else if points == 0 || math.IsNaN(points) || math.Abs(points) > criteria[i].Weight {
		v.Add("points", "err.adjust_points", criteria[i].Weight)
	}
	if adj.Reason == "" || len([]rune(adj.Reason)) > 2000 {
		v.Add("reason", "err.adjust_reason")
	}
	if year < 2000 || year > 2100 {
		v.Add("year", "err.year")
	}
	if err := v.Err(); err != nil {
		return adj, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.AddAdjustment(ctx, &adj, actor.UserID); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "evaluation.adjust", "agency", a.ID, qms.Changes{"year": {New: strconv.Itoa(year)}, "criterion": {New: criterion},
			"points": {New: strconv.FormatFloat(points, 'f', -1, 64)}, "reason": {New: adj.Reason}})
	})
	return adj, err
}

// SetCriteria replaces the evaluation criteria from a year on (administrators and the
// coordinator): known criteria, weights summing to 100.
func (s *Service) SetCriteria(ctx context.Context, actor *qms.Actor, yearFrom int, list []qms.Criterion) error {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return err
	}
	if yearFrom < 2000 || yearFrom > 2100 {
		return fieldErr("year_from", "err.year")
	}
	if err := qms.ValidateCriteria(list); err != nil {
		return err
	}
	var parts []string
	for _, c := range list {
		parts = append(parts, c.Code+"="+strconv.FormatFloat(c.Weight, 'f', -1, 64))
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetCriteria(ctx, yearFrom, list, actor.UserID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "evaluation.criteria", "evaluation", int64(yearFrom), qms.Changes{"criteria": {New: strings.Join(parts, ", ")}})
	})
}
