package service

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/export"
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
		f := qms.Facts{CommitteeNotified: row.Committee == CommitteeNotified, Audits: row.Audits, Reviews: row.Reviews, Report: row.Report,
			OnTimeRate: row.OnTimeRate, Recognition: row.Recognition}
		if f.DocsTotal, f.DocsOverdue, err = s.db.DocumentsReviewed(ctx, a.ID, to); err != nil {
			return ev, err
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
		for _, p := range procs {
			if p.Status != qms.ProcAbolished {
				f.Procedures++
				if covered[p.Code] {
					f.WithProcess++
				}
			}
		}
		if f.ActionsDue, f.ActionsOnTime, err = s.db.ActionsDue(ctx, a.ID, c.From, to, func(due qms.Date, done time.Time) bool {
			return !due.Before(qms.DateOf(done.In(vietnam)))
		}); err != nil {
			return ev, err
		}
		e := qms.Evaluation{Agency: a, Adjustments: adjustments[a.ID]}
		for _, cr := range ev.Criteria {
			fraction, basis := f.Fraction(cr.Code)
			e.Scores = append(e.Scores, qms.Score{Criterion: cr, Fraction: fraction, Basis: basis})
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

// Criteria returns the evaluation criteria in force in a year and the year they are in force
// from (0: the defaults) (province roles).
func (s *Service) Criteria(ctx context.Context, actor *qms.Actor, year int) ([]qms.Criterion, int, error) {
	if err := actor.Require(qms.PermProvinceOversee, ""); err != nil {
		return nil, 0, err
	}
	return s.db.CriteriaFor(ctx, year)
}

// SetCriteria replaces the evaluation criteria from a year on (administrators and the
// coordinator): known criteria, weights summing to 100.
func (s *Service) SetCriteria(ctx context.Context, actor *qms.Actor, yearFrom int, list []qms.Criterion) error {
	if err := requireRules(actor); err != nil {
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

// EvaluationPDF writes the year's evaluation for Home Affairs: criteria, ranking, the agencies
// proposed for commendation (province roles).
func (s *Service) EvaluationPDF(ctx context.Context, actor *qms.Actor, year int) ([]byte, error) {
	ev, err := s.Evaluate(ctx, actor, year)
	if err != nil {
		return nil, err
	}
	is, err := s.Issuer(ctx)
	if err != nil {
		return nil, err
	}
	return export.EvaluationPDF(is, year, qms.DateOf(s.now().In(vietnam)), ev.Criteria, ev.List, qms.CommendationThreshold)
}
