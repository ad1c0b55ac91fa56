package service_test

import (
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// A department's estimate under Circular 116/2015: the caps of its row applied (self-build 85 %
// of the consultant cap, drafting per process), an excess refused until explained; an earlier
// norm entered for the seed's years applies to them.
func TestBudgets(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		who := seed(t, svc)
		sec, staff, coord := who["secretary@SKHCN"], who["staff@SKHCN"], who["coordinator"]
		v, err := svc.Budget(ctx, sec, "SKHCN", 2026)
		if err != nil || v.Found || v.Norm.Code != "TT116-2015" || len(v.Budget.Lines) != len(qms.Headings) {
			t.Fatalf("an empty estimate: %+v %v", v, err)
		}
		in := service.BudgetInput{Lines: []qms.BudgetLine{
			{Heading: qms.HeadSelfBuild, Estimate: 40 * qms.Million},
			{Heading: qms.HeadDrafting, Estimate: 30 * qms.Million, Processes: 12},
			{Heading: qms.HeadTraining, Estimate: 20 * qms.Million, Actual: 18 * qms.Million},
		}}
		_, err = svc.SaveBudget(ctx, sec, "SKHCN", 2026, in)
		if qms.ErrorCode(err) != qms.EInvalid || !strings.Contains(err.Error(), "line_self_build") || !strings.Contains(err.Error(), "line_drafting") {
			t.Errorf("above the caps (38.25 and 24) without explanation: %v", err)
		}
		in.Lines[0].Explanation = "Hợp đồng trọn gói được UBND tỉnh phê duyệt"
		in.Lines[1].Explanation = "12 quy trình liên thông"
		b, err := svc.SaveBudget(ctx, sec, "SKHCN", 2026, in)
		if err != nil || b.Lines[0].Cap != 38_250_000 || b.Lines[1].Cap != 24*qms.Million || b.Lines[2].Capped {
			t.Fatalf("save: %+v %v", b.Lines, err)
		}
		if est, act := b.Totals(); est != 90*qms.Million || act != 18*qms.Million {
			t.Errorf("totals: %v %v", est, act)
		}
		if _, err := svc.SaveBudget(ctx, staff, "SKHCN", 2026, in); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("staff edits the budget: %v", err)
		}
		in.Lines = append(in.Lines, qms.BudgetLine{Heading: qms.HeadTraining, Estimate: qms.Million})
		if _, err := svc.SaveBudget(ctx, sec, "SKHCN", 2026, in); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a heading twice: %v", err)
		}
		// Circular 159/2010 for the seed's years.
		old := qms.Circular116
		old.Code, old.Name, old.EffectiveFrom = "TT159-2010", "Thông tư 159/2010/TT-BTC", qms.NewDate(2010, 11, 29)
		old.Tiers = map[qms.Tier]qms.TierCaps{qms.TierProvince: {ConsultantFirst: 50000000, ConsultantExtension: 25000000, OwnFirst: 50000000, OwnExtension: 40000000, PerProcess: 2000000}, qms.TierDepartment: {ConsultantFirst: 40000000, ConsultantExtension: 20000000, OwnFirst: 40000000, OwnExtension: 30000000, PerProcess: 2000000}, qms.TierSubDepartment: {ConsultantFirst: 30000000, ConsultantExtension: 15000000, OwnFirst: 30000000, OwnExtension: 20000000, PerProcess: 2000000},
			qms.TierCommune: {ConsultantFirst: 24000000, ConsultantExtension: 12000000, OwnFirst: 24000000, OwnExtension: 16000000, PerProcess: 1600000}}
		if _, err := svc.SaveNorm(ctx, sec, old); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an agency enters a norm: %v", err)
		}
		if _, err := svc.SaveNorm(ctx, coord, old); err != nil {
			t.Fatal(err)
		}
		if v, err := svc.Budget(ctx, sec, "SKHCN", 2013); err != nil || v.Norm.Code != "TT159-2010" {
			t.Errorf("2013's norm: %s %v", v.Norm.Code, err)
		}
		if v, err := svc.Budget(ctx, sec, "SKHCN", 2026); err != nil || v.Norm.Code != "TT116-2015" || !v.Found {
			t.Errorf("2026's norm: %s %v", v.Norm.Code, err)
		}
		if _, err := svc.Budget(ctx, sec, "SKHCN", 2009); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("a year before every norm: %v", err)
		}
		list, err := svc.ProvinceBudgets(ctx, coord, 2026)
		if err != nil || len(list) != 1 || list[0].AgencyCode != "SKHCN" {
			t.Errorf("the province's budgets: %+v %v", list, err)
		}
	})
}
