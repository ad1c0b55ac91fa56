package service_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

var ict = time.FixedZone("ICT", 7*3600)

// A dossier's life with its legal due dates: intake (code, PIN, due date), idempotent repeats,
// a supplement request within 3 working days (the clock restarts) and a later one (it pauses),
// the apology letter, completion scored against the legal due date, the public look-up and
// rating, and the aggregates.
func TestDossiers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clk := newService(t, db)
		who := seed(t, svc)
		staff, leader := who["staff@SKHCN"], who["leader@SKHCN"]
		if _, err := svc.SaveProcedure(ctx, who["coordinator"], "", service.ProcedureInput{Code: "1.004227", Name: "Cấp giấy phép tiến hành công việc bức xạ",
			Field: "An toàn bức xạ", Level: qms.LevelProvince, Agencies: []string{"SKHCN"}, TimeLimitDays: 15}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveProcedure(ctx, who["coordinator"], "", service.ProcedureInput{Code: "1.005000", Name: "Thủ tục của Sở Nội vụ",
			Field: "Thử", Level: qms.LevelProvince, Agencies: []string{"SNV"}, TimeLimitDays: 5}); err != nil {
			t.Fatal(err)
		}
		// Thursday 26/11/2026 at 09:00: the 15th working day after is Thursday 17/12.
		in := service.IntakeInput{Procedure: "1.004227", Applicant: "Nguyễn Văn An", IDNumber: "040123456789", Phone: "0912345678",
			ReceivedAt: time.Date(2026, 11, 26, 9, 0, 0, 0, ict)}
		first, err := svc.ReceiveDossier(ctx, staff, "SKHCN", in)
		if err != nil {
			t.Fatal(err)
		}
		d := first.Dossier
		if d.Code != "SKHCN-261126-0001" || len(first.PIN) != 6 || d.DueOn != qms.NewDate(2026, 12, 17) || d.State != qms.DossierReceived || len(d.Steps) != 1 || d.StepNo != 1 {
			t.Fatalf("the first dossier: %+v pin %q", d, first.PIN)
		}
		in.IdempotencyKey = "mot-cua-42"
		second, err := svc.ReceiveDossier(ctx, staff, "SKHCN", in)
		if err != nil || second.Dossier.Code != "SKHCN-261126-0002" {
			t.Fatalf("the second: %+v %v", second.Dossier.Code, err)
		}
		again, err := svc.ReceiveDossier(ctx, staff, "SKHCN", in)
		if err != nil || !again.Repeated || again.PIN != "" || again.Dossier.ID != second.Dossier.ID {
			t.Errorf("a repeated idempotency key: %+v %v", again, err)
		}
		// Received after the 15:00 cut-off: counted from the next working day.
		late := in
		late.IdempotencyKey, late.ReceivedAt = "", time.Date(2026, 11, 27, 16, 30, 0, 0, ict)
		clk.t = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		if x, err := svc.ReceiveDossier(ctx, staff, "SKHCN", late); err != nil || x.Dossier.CountedFrom != qms.NewDate(2026, 11, 30) || x.Dossier.Code != "SKHCN-261127-0001" {
			t.Errorf("after the cut-off: %+v %v", x.Dossier, err)
		}

		// Bad input.
		for name, c := range map[string]struct {
			in    service.IntakeInput
			field string
		}{
			"unknown procedure":  {service.IntakeInput{Procedure: "9.999999", Applicant: "A B"}, "procedure"},
			"another agency's":   {service.IntakeInput{Procedure: "1.005000", Applicant: "A B"}, "procedure"},
			"in the future":      {service.IntakeInput{Procedure: "1.004227", Applicant: "A B", ReceivedAt: clk.t.Add(2 * time.Hour)}, "received_at"},
			"no applicant":       {service.IntakeInput{Procedure: "1.004227"}, "applicant"},
			"a bad identity":     {service.IntakeInput{Procedure: "1.004227", Applicant: "A B", IDNumber: "12ab"}, "id_number"},
			"refused, no reason": {service.IntakeInput{Procedure: "1.004227", Applicant: "A B", Refuse: true}, "reason"},
		} {
			_, err := svc.ReceiveDossier(ctx, staff, "SKHCN", c.in)
			if qms.ErrorCode(err) != qms.EInvalid || !strings.Contains(err.Error(), c.field) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := svc.ReceiveDossier(ctx, who["auditor@SKHCN"], "SKHCN", in); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an auditor receives: %v", err)
		}
		if _, err := svc.Dossier(ctx, who["leader@SNV"], "SKHCN", d.ID); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency reads: %v", err)
		}
		var e *qms.Error
		if _, err := svc.ActOnDossier(ctx, staff, "SKHCN", d.ID, service.DossierAction{Event: qms.DvReturn}); !errors.As(err, &e) || e.Code != qms.EConflict ||
			!strings.Contains(fmt.Sprint(e.Args), "request_supplement") {
			t.Errorf("returning a dossier just received: %v", err)
		}

		// A supplement request the next day restarts the clock when the dossier comes back
		// complete on Tuesday 1/12: due 15 working days after, Tuesday 22/12.
		act := func(ev qms.DossierEvent, note string) qms.Dossier {
			t.Helper()
			x, err := svc.ActOnDossier(ctx, staff, "SKHCN", d.ID, service.DossierAction{Event: ev, Note: note, Handler: note})
			if err != nil {
				t.Fatalf("%s: %v", ev, err)
			}
			return x
		}
		if _, err := svc.ActOnDossier(ctx, staff, "SKHCN", d.ID, service.DossierAction{Event: qms.DvRequestSupply}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a supplement request without saying what: %v", err)
		}
		act(qms.DvRequestSupply, "Thiếu bản sao giấy phép kinh doanh")
		clk.t = time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
		if d = act(qms.DvSupplied, ""); d.DueOn != qms.NewDate(2026, 12, 22) || d.CountedFrom != qms.NewDate(2026, 12, 1) || d.Steps[0].DueOn != d.DueOn {
			t.Errorf("after the restart: counted from %s, due %s, step due %s", d.CountedFrom, d.DueOn, d.Steps[0].DueOn)
		}
		// A later request pauses it: Thursday 3/12 to Monday 7/12 adds 2 working days.
		clk.t = time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
		act(qms.DvRequestSupply, "Thiếu sơ đồ mặt bằng")
		clk.t = time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
		if d = act(qms.DvSupplied, ""); d.DueOn != qms.NewDate(2026, 12, 24) || d.PausedDays != 2 || d.Supplements != 2 {
			t.Errorf("after the pause: due %s, paused %d", d.DueOn, d.PausedDays)
		}
		// The apology letter: a new date after the due date, once.
		if _, err := svc.Apologize(ctx, staff, "SKHCN", d.ID, "Cần thẩm định thực tế", qms.NewDate(2026, 12, 20)); err == nil {
			t.Error("an apology with a date before the due date")
		}
		if d, err = svc.Apologize(ctx, staff, "SKHCN", d.ID, "Cần thẩm định thực tế", qms.NewDate(2026, 12, 30)); err != nil || d.NewDueOn != qms.NewDate(2026, 12, 30) {
			t.Fatalf("apology: %v", err)
		}
		if _, err := svc.Apologize(ctx, staff, "SKHCN", d.ID, "Lần nữa", qms.NewDate(2027, 1, 5)); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("a second apology: %v", err)
		}
		act(qms.DvAssign, "Trần Thị Hoa")
		if d = act(qms.DvCompleteStep, ""); d.State != qms.DossierProcessed || d.Outcome != qms.OutcomeLate {
			t.Errorf("finished early but with two supplement requests: %s %s", d.State, d.Outcome)
		}

		// The second dossier, finished the day it is due: on time; then returned.
		clk.t = time.Date(2026, 12, 17, 2, 0, 0, 0, time.UTC)
		x, err := svc.ActOnDossier(ctx, leader, "SKHCN", second.Dossier.ID, service.DossierAction{Event: qms.DvCompleteStep, Version: second.Dossier.Version})
		if err != nil || x.Outcome != qms.OutcomeOnTime || x.Steps[0].Handler == "" || x.Steps[0].Outcome != qms.OutcomeOnTime {
			t.Fatalf("on time: %+v %v", x, err)
		}
		if _, err := svc.ActOnDossier(ctx, leader, "SKHCN", second.Dossier.ID, service.DossierAction{Event: qms.DvReturn, Version: second.Dossier.Version}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("a stale version: %v", err)
		}
		if v, err := svc.Dossier(ctx, who["auditor@SKHCN"], "SKHCN", second.Dossier.ID); err != nil || v.MayAct || len(v.Journal) != 2 || v.Progress != 100 {
			t.Errorf("the auditor's view: %+v %v", v, err)
		}

		// The public look-up: the same answer for a wrong code and a wrong PIN.
		_, errPIN := svc.LookupDossier(ctx, first.Dossier.Code, "000000", "10.0.0.1")
		if first.PIN == "000000" {
			_, errPIN = svc.LookupDossier(ctx, first.Dossier.Code, "000001", "10.0.0.1")
		}
		_, errCode := svc.LookupDossier(ctx, "SKHCN-261126-0999", first.PIN, "10.0.0.1")
		if errPIN == nil || errCode == nil || errPIN.Error() != errCode.Error() {
			t.Errorf("wrong PIN %v, wrong code %v", errPIN, errCode)
		}
		p, err := svc.LookupDossier(ctx, first.Dossier.Code, first.PIN, "10.0.0.1")
		if err != nil || p.Applicant != "N. V. An" || p.State != qms.DossierProcessed || p.StepsDone != 1 || strings.Contains(strings.Join([]string{p.Code, p.Applicant, p.Procedure}, " "), "0912345678") {
			t.Fatalf("look-up: %+v %v", p, err)
		}
		if _, err := svc.RateDossier(ctx, first.Dossier.Code, first.PIN, "10.0.0.1", 6, ""); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a rating of 6: %v", err)
		}
		if p, err = svc.RateDossier(ctx, first.Dossier.Code, first.PIN, "10.0.0.1", 5, "Cán bộ nhiệt tình"); err != nil || !p.Rated {
			t.Fatalf("rate: %+v %v", p, err)
		}
		if _, err := svc.RateDossier(ctx, first.Dossier.Code, first.PIN, "10.0.0.1", 1, ""); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("rating twice: %v", err)
		}
		for i := 0; i < 5; i++ {
			_, err = svc.LookupDossier(ctx, second.Dossier.Code, "123456", "10.0.0.2")
		}
		if _, err = svc.LookupDossier(ctx, second.Dossier.Code, second.PIN, "10.0.0.3"); qms.ErrorCode(err) != qms.ERateLimited {
			t.Errorf("guessing a code's PIN is not limited: %v", err)
		}

		// The aggregates: 3 received in November, 2 finished in December (1 on time, 1 late).
		f, err := svc.DossierFigures(ctx, who["observer"], "2026-11", "2026-12", "")
		if err != nil || len(f.Rows) != 1 || f.Total.Received != 3 || f.Total.Finished != 2 || f.Total.OnTime != 1 || f.Total.Late != 1 || f.Total.OpenLate != 0 ||
			f.Total.Rated != 1 || service.MeanRating(f.Total) != 5 {
			t.Fatalf("figures: %+v %v", f, err)
		}
		if rate := service.OnTimeRate(f.Total); rate != 50 {
			t.Errorf("on-time rate %v", rate)
		}
		// The third dossier (due 21/12) is still open: by January it counts as late.
		clk.t = time.Date(2027, 1, 4, 2, 0, 0, 0, time.UTC)
		if f, _ = svc.DossierFigures(ctx, who["observer"], "2026-11", "2026-12", ""); f.Total.OpenLate != 1 || service.OnTimeRate(f.Total) < 33 || service.OnTimeRate(f.Total) > 34 {
			t.Errorf("an open dossier past due: %+v", f.Total)
		}
		if due, err := svc.DueSoon(ctx, staff, "SKHCN", 10); err != nil || len(due) != 1 || due[0].Code != "SKHCN-261127-0001" {
			t.Errorf("the handlers' list of dossiers due: %+v %v", due, err)
		}
		if due, _ := svc.DueSoon(ctx, who["auditor@SKHCN"], "SKHCN", 10); due != nil {
			t.Errorf("an auditor's list of dossiers due: %+v", due)
		}
		// One agency's figures per procedure, and the months' trend.
		f, err = svc.DossierFigures(ctx, leader, "2026-11", "2026-12", "SKHCN")
		if err != nil || len(f.Rows) != 1 || f.Rows[0].Key != "1.004227" || f.Rows[0].OpenLate != 1 || len(f.Months) != 2 || f.Months[0].Received != 3 || f.Months[1].Finished != 2 {
			t.Errorf("SKHCN's figures: %+v %v", f, err)
		}
		// Per handler: the first dossier's step by the one it was assigned to (early), the second's
		// by the leader who completed it (on time).
		if len(f.Handlers) != 2 || f.Handlers[0].Name != "Trần Thị Hoa" || f.Handlers[0].Early != 1 || f.Handlers[1].Name != "leader@SKHCN" || f.Handlers[1].OnTime != 1 {
			t.Errorf("per handler: %+v", f.Handlers)
		}
		if _, err := svc.DossierFigures(ctx, who["leader@SNV"], "2026-11", "2026-12", "SKHCN"); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency's figures: %v", err)
		}
		if f, _ = svc.DossierFigures(ctx, who["leader@SNV"], "2026-11", "2026-12", ""); len(f.Rows) != 0 {
			t.Errorf("SNV sees SKHCN's figures: %+v", f.Rows)
		}
		if _, err := svc.DossierFigures(ctx, who["observer"], "2026-13", "2026-12", ""); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a bad month: %v", err)
		}
	})
}
