package service_test

import (
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// The yearly evaluation over the demo province: criteria from the defaults, scores from live
// data, a coordinator's adjustment with its reason, the ranking, criteria changed as data.
func TestEvaluations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		if err := demo.Load(ctx, svc); err != nil {
			t.Fatal(err)
		}
		coord, err := svc.ActorByEmail(ctx, "dieuphoi@demo.isogov.vn")
		if err != nil {
			t.Fatal(err)
		}
		sec, _ := svc.ActorByEmail(ctx, "thuky.skhcn@demo.isogov.vn")
		if _, err := svc.Evaluate(ctx, sec, 2026); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an agency's secretary evaluates the province: %v", err)
		}
		ev, err := svc.Evaluate(ctx, coord, 2026)
		if err != nil || len(ev.List) < 50 || ev.YearFrom != 0 || len(ev.Criteria) != len(qms.DefaultCriteria) {
			t.Fatalf("evaluate: %d %v", len(ev.List), err)
		}
		var skhcn qms.Evaluation
		for _, e := range ev.List {
			if e.Agency.Code == "SKHCN" {
				skhcn = e
			}
			if e.Rank < 1 || e.Total < 0 || e.Total > 100 {
				t.Errorf("%s: rank %d total %.1f", e.Agency.Code, e.Rank, e.Total)
			}
		}
		if ev.List[0].Total < ev.List[len(ev.List)-1].Total {
			t.Error("not ranked")
		}
		points := map[string]float64{}
		for _, s := range skhcn.Scores {
			points[s.Criterion.Code] = s.Points
		}
		// SKHCN held its audit this year (the demo) but no review yet.
		if points[qms.CritAudit] != 15 || points[qms.CritReview] != 0 {
			t.Errorf("SKHCN's scores: %v", points)
		}
		if _, err := svc.AdjustScore(ctx, coord, "SKHCN", 2026, qms.CritReview, 5, ""); qms.ErrorCode(err) != qms.EInvalid || !strings.Contains(err.Error(), "reason") {
			t.Errorf("an adjustment without a reason: %v", err)
		}
		if _, err := svc.AdjustScore(ctx, coord, "SKHCN", 2026, qms.CritReview, 50, "x"); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("an adjustment above the weight: %v", err)
		}
		if _, err := svc.AdjustScore(ctx, sec, "SKHCN", 2026, qms.CritReview, 5, "x"); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("the agency adjusts its own score: %v", err)
		}
		if _, err := svc.AdjustScore(ctx, coord, "SKHCN", 2026, qms.CritReview, 5, "Họp xem xét ngày 20/12, biên bản gửi kèm"); err != nil {
			t.Fatal(err)
		}
		ev2, _ := svc.Evaluate(ctx, coord, 2026)
		for _, e := range ev2.List {
			if e.Agency.Code == "SKHCN" && (e.Total != skhcn.Total+5 || len(e.Adjustments) != 1) {
				t.Errorf("after the adjustment: %.1f (was %.1f)", e.Total, skhcn.Total)
			}
		}
		bad := append([]qms.Criterion(nil), qms.DefaultCriteria...)
		bad[0].Weight = 50
		if err := svc.SetCriteria(ctx, coord, 2027, bad); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("weights not summing to 100: %v", err)
		}
		good := append([]qms.Criterion(nil), qms.DefaultCriteria...)
		good[0].Weight, good[1].Weight = 5, 15
		if err := svc.SetCriteria(ctx, coord, 2027, good); err != nil {
			t.Fatal(err)
		}
		if ev, _ := svc.Evaluate(ctx, coord, 2027); ev.YearFrom != 2027 || ev.Criteria[0].Weight != 5 {
			t.Errorf("2027's criteria: %+v", ev.Criteria[:2])
		}
		if ev, _ := svc.Evaluate(ctx, coord, 2026); ev.YearFrom != 0 || ev.Criteria[0].Weight != 10 {
			t.Errorf("2026 keeps its criteria: %+v", ev.Criteria[:2])
		}
	})
}
