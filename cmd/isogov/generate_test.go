package main

import (
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// The volume generator writes dossiers whose aggregates match the dossiers themselves, whose
// journal chains verify, whose mix is realistic (a few percent late) and whose PINs the look-up
// accepts; the same seed gives the same dossiers.
func TestGenerateDossiers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		generate := func(db *store.DB) (*service.Service, []string) {
			t.Helper()
			ts := newTestServer(t, db)
			if err := demo.GenerateDossiers(ctx, ts.svc, demo.GenOptions{N: 3000, Years: 1, Seed: 7, Now: now}); err != nil {
				t.Fatal(err)
			}
			agencies, err := db.ListAgencies(ctx, store.AgencyFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			rated, ratingSum := 0, 0
			states := map[qms.DossierState]int{}
			outcomes := map[qms.Outcome]int{}
			for _, a := range agencies {
				list, err := db.Dossiers(ctx, store.DossierFilter{AgencyID: a.ID})
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range list {
					codes = append(codes, d.Code+":"+string(d.State)+":"+string(d.Outcome))
					states[d.State]++
					if d.Rating > 0 {
						rated, ratingSum = rated+1, ratingSum+d.Rating
					}
					outcomes[d.Outcome]++
				}
			}
			if len(codes) != 3000 {
				t.Fatalf("%d dossiers written", len(codes))
			}
			f, err := ts.svc.DossierFigures(ctx, service.System, "2025-11", "2026-11", "")
			if err != nil {
				t.Fatal(err)
			}
			finished := states[qms.DossierProcessed] + states[qms.DossierReturned]
			if f.Total.Received != 3000 || f.Total.Finished != finished || f.Total.Late != outcomes[qms.OutcomeLate] || f.Total.Early != outcomes[qms.OutcomeEarly] ||
				f.Total.Withdrawn != states[qms.DossierWithdrawal] || f.Total.Stopped != states[qms.DossierStopped] || f.Total.Rated != rated || f.Total.RatingSum != ratingSum || rated == 0 {
				t.Errorf("the aggregates %+v do not match the dossiers %v %v", f.Total, states, outcomes)
			}
			if late := float64(outcomes[qms.OutcomeLate]) / float64(finished); late < 0.01 || late > 0.07 || states[qms.DossierSupplement]+states[qms.DossierInProgress] == 0 {
				t.Errorf("the mix: %.1f %% late, states %v", 100*late, states)
			}
			if res, err := service.Verify(ctx, db, nil); err != nil || res.Entries < 9000 {
				t.Errorf("the journal: %+v %v", res, err)
			}
			code := strings.SplitN(codes[len(codes)/2], ":", 2)[0]
			if p, err := ts.svc.LookupDossier(ctx, code, demo.DemoPIN(7, code), "10.1.1.1"); err != nil || p.Code != code {
				t.Errorf("looking up %s with its demo PIN: %v", code, err)
			}
			return ts.svc, codes
		}
		_, first := generate(db)
		other := testdb.Open(t, db.Dialect().String())
		svc, second := generate(other)
		if strings.Join(first, ",") != strings.Join(second, ",") {
			t.Error("the same seed gave other dossiers")
		}
		// Receiving through the service on a generated day continues that day's numbering.
		for _, a := range []string{"SKHCN", "STP", "SYT"} {
			proc, err := svc.Procedures(ctx, service.System, service.ProcedureQuery{Agency: a, ProcedureFilter: store.ProcedureFilter{Status: qms.ProcInForce}})
			if err != nil || len(proc) == 0 {
				t.Fatal(a, err)
			}
			if _, err := svc.ReceiveDossier(ctx, service.System, a, service.IntakeInput{Procedure: proc[0].Code, Applicant: "Nguyễn Văn Mới",
				ReceivedAt: time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))}); err != nil {
				t.Errorf("a dossier after the generated ones at %s: %v", a, err)
			}
		}
	})
}
