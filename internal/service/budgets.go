package service

import (
	"context"
	"slices"
	"strconv"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Budgets: the finance norms as versioned data (Circular 116/2015 shipped, an earlier one such
// as Circular 159/2010 entered by the coordinator), each agency's yearly estimate by heading
// with the caps of the norm in force for the year applied, its spending, the province's totals.

// Norms returns the norms: those stored, and the shipped Circular 116/2015 unless stored, the
// latest in force first.
func (s *Service) Norms(ctx context.Context, actor *qms.Actor) ([]qms.Norm, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.norms(ctx, s.db.Q)
}

func (s *Service) norms(ctx context.Context, q store.Q) ([]qms.Norm, error) {
	list, err := q.Norms(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(list, func(n qms.Norm) bool { return n.Code == qms.Circular116.Code }) {
		list = append(list, qms.Circular116)
	}
	slices.SortStableFunc(list, func(a, b qms.Norm) int { return -compareDates(a.EffectiveFrom, b.EffectiveFrom) })
	return list, nil
}

func compareDates(a, b qms.Date) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

// normFor is the norm in force at the end of a year.
func normFor(list []qms.Norm, year int) (qms.Norm, bool) {
	end := qms.NewDate(year, 12, 31)
	for _, n := range list {
		if !end.Before(n.EffectiveFrom) {
			return n, true
		}
	}
	return qms.Norm{}, false
}

// SaveNorm stores a version of the finance norms (the coordinator).
func (s *Service) SaveNorm(ctx context.Context, actor *qms.Actor, n qms.Norm) (qms.Norm, error) {
	if err := requireRules(actor); err != nil {
		return n, err
	}
	if err := n.Validate(); err != nil {
		return n, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SaveNorm(ctx, n); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "norm.save", "norm", 0, qms.Changes{"code": {New: n.Code}, "name": {New: n.Name},
			"effective_from": {New: n.EffectiveFrom.String()}})
	})
	return n, err
}

// BudgetView is an agency's budget for a year with the norm applied and what the actor may do.
type BudgetView struct {
	Budget  qms.Budget
	Norm    qms.Norm
	Found   bool // saved before
	MayEdit bool
}

// Budget returns an agency's budget for a year (an empty estimate, every heading at 0, when
// none was saved), its caps computed from the norm in force.
func (s *Service) Budget(ctx context.Context, actor *qms.Actor, agencyCode string, year int) (BudgetView, error) {
	var v BudgetView
	a, err := s.agencyFor(ctx, actor, qms.PermTrackRead, agencyCode)
	if err != nil {
		return v, err
	}
	if year < 2000 || year > 2100 {
		return v, fieldErr("year", "err.year")
	}
	norms, err := s.norms(ctx, s.db.Q)
	if err != nil {
		return v, err
	}
	if v.Budget, v.Found, err = s.db.Budget(ctx, a.ID, year); err != nil {
		return v, err
	}
	if !v.Found {
		v.Budget = qms.Budget{AgencyID: a.ID, AgencyCode: a.Code, AgencyName: a.Name, Kind: a.Kind, Year: year}
		for _, h := range qms.Headings {
			v.Budget.Lines = append(v.Budget.Lines, qms.BudgetLine{Heading: h})
		}
	}
	var ok bool
	if v.Norm, ok = normFor(norms, year); !ok {
		return v, qms.Errorf(qms.EConflict, "err.budget_no_norm", strconv.Itoa(year))
	}
	v.Budget.NormCode = v.Norm.Code
	_ = v.Budget.Apply(v.Norm) // the caps, for the page; an unexplained excess is shown, not refused, when reading
	v.MayEdit = actor.Can(qms.PermTrackEdit, a.Code)
	return v, nil
}

// BudgetInput is an estimate and its spending as entered.
type BudgetInput struct {
	Extension bool             `json:"extension"`
	Lines     []qms.BudgetLine `json:"lines"`
	Version   int64            `json:"version"`
}

// SaveBudget writes an agency's estimate and spending for a year: the caps of the norm in force
// applied, every amount above its cap explained.
func (s *Service) SaveBudget(ctx context.Context, actor *qms.Actor, agencyCode string, year int, in BudgetInput) (qms.Budget, error) {
	v, err := s.Budget(ctx, actor, agencyCode, year)
	if err != nil {
		return qms.Budget{}, err
	}
	if !v.MayEdit {
		return qms.Budget{}, qms.Errorf(qms.EForbidden, "err.forbidden")
	}
	b := v.Budget
	if v.Found && in.Version != 0 && in.Version != b.Version {
		return b, qms.Errorf(qms.EConflict, "err.stale")
	}
	old, _ := b.Totals()
	b.Extension, b.Lines = in.Extension, in.Lines
	if err := b.Apply(v.Norm); err != nil {
		return b, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if v.Norm.Code == qms.Circular116.Code {
			if err := tx.SaveNorm(ctx, v.Norm); err != nil { // the shipped norm, stored with the first budget under it
				return err
			}
		}
		if err := tx.SaveBudget(ctx, &b); err != nil {
			return err
		}
		est, act := b.Totals()
		return s.record(ctx, tx, actor, b.AgencyID, "budget.save", "budget", b.ID, qms.Changes{"year": {New: strconv.Itoa(year)},
			"estimate": {Old: strconv.FormatInt(old, 10), New: strconv.FormatInt(est, 10)}, "actual": {New: strconv.FormatInt(act, 10)}, "norm": {New: b.NormCode}})
	})
	return b, err
}

// ProvinceBudgets returns every agency's budget for a year (province roles).
func (s *Service) ProvinceBudgets(ctx context.Context, actor *qms.Actor, year int) ([]qms.Budget, error) {
	if err := actor.Require(qms.PermProvinceOversee, ""); err != nil {
		return nil, err
	}
	if year < 2000 || year > 2100 {
		return nil, fieldErr("year", "err.year")
	}
	return s.db.Budgets(ctx, year)
}

// YearTotal is the province's budget for one year: how many agencies estimated, the estimate
// and the spending, in VND.
type YearTotal struct {
	Year     int   `json:"year"`
	Agencies int   `json:"agencies"`
	Estimate int64 `json:"estimate"`
	Actual   int64 `json:"actual"`
}

// BudgetYears returns the province's totals by year, the latest first (province roles).
func (s *Service) BudgetYears(ctx context.Context, actor *qms.Actor) ([]YearTotal, error) {
	if err := actor.Require(qms.PermProvinceOversee, ""); err != nil {
		return nil, err
	}
	all, err := s.db.Budgets(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []YearTotal
	for _, b := range all { // ordered by year
		if len(out) == 0 || out[len(out)-1].Year != b.Year {
			out = append(out, YearTotal{Year: b.Year})
		}
		t := &out[len(out)-1]
		e, a := b.Totals()
		t.Agencies, t.Estimate, t.Actual = t.Agencies+1, t.Estimate+e, t.Actual+a
	}
	slices.Reverse(out)
	return out, nil
}
