package service_test

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

// The yearly inspections over the demo province: a plan with less than a third on site refused,
// the plan approved, an inspection decided, its minutes turning a shortcoming into a
// nonconformity of the agency, the corrective report due in two months and made by the agency.
func TestInspections(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clk := newService(t, db)
		if err := demo.Load(ctx, svc); err != nil {
			t.Fatal(err)
		}
		coord, _ := svc.ActorByEmail(ctx, "dieuphoi@demo.isogov.vn")
		sec, _ := svc.ActorByEmail(ctx, "thuky.skhcn@demo.isogov.vn")
		v, err := svc.InspectionPlan(ctx, coord, 2026)
		if err != nil || v.Found || len(v.Agencies) < 50 || !v.MayEdit {
			t.Fatalf("an empty plan: %v", err)
		}
		var items []qms.PlanItem
		for i, a := range v.Agencies {
			form := qms.OnPaper
			if i%4 == 0 {
				form = qms.OnSite
			}
			items = append(items, qms.PlanItem{AgencyCode: a.Code, Form: form, Month: 1 + i%12})
		}
		if _, err := svc.SavePlan(ctx, coord, 2026, items); qms.ErrorCode(err) != qms.EInvalid || !strings.Contains(err.Error(), "err.plan_on_site") {
			t.Errorf("a quarter on site: %v", err)
		}
		if _, err := svc.SavePlan(ctx, coord, 2026, items[1:]); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("an agency left out: %v", err)
		}
		for i := range items {
			if i%3 == 0 {
				items[i].Form = qms.OnSite
			}
			if items[i].AgencyCode == "SKHCN" {
				items[i].Form, items[i].Month = qms.OnSite, 11
			}
		}
		if _, err := svc.SavePlan(ctx, sec, 2026, items); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an agency plans: %v", err)
		}
		if v, err = svc.SavePlan(ctx, coord, 2026, items); err != nil || len(v.Items) != len(items) || v.OnSite*3 < len(items) {
			t.Fatalf("save the plan: %v", err)
		}
		var id, paper int64
		for _, x := range v.Items {
			if x.AgencyCode == "SKHCN" {
				id = x.ID
			} else if x.Form == qms.OnPaper && paper == 0 {
				paper = x.ID
			}
		}
		if _, err := svc.DecideInspection(ctx, coord, id, service.InspectionStep{DecisionNo: "12/QĐ-SKHCN", DecisionOn: qms.NewDate(2026, 11, 2), Members: "A, B"}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("a decision before the plan's approval: %v", err)
		}
		if err := svc.ApprovePlan(ctx, coord, 2026, "150/QĐ-UBND", qms.NewDate(2026, 1, 20)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SavePlan(ctx, coord, 2026, items); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("changing an approved plan: %v", err)
		}
		if _, err := svc.DecideInspection(ctx, coord, id, service.InspectionStep{DecisionNo: "12/QĐ-SKHCN", DecisionOn: qms.NewDate(2026, 11, 2), Members: "Nguyễn A, Trần B"}); err != nil {
			t.Fatal(err)
		}
		check := make([]qms.CheckItem, len(qms.Art36Items))
		for i, it := range qms.Art36Items {
			check[i] = qms.CheckItem{Item: it, OK: true}
		}
		// On paper: no decision (Art. 35), the minutes straight away.
		if _, err := svc.DecideInspection(ctx, coord, paper, service.InspectionStep{DecisionNo: "13/QĐ-SKHCN", DecisionOn: qms.NewDate(2026, 11, 2), Members: "A"}); qms.ErrorCode(err) != qms.EConflict ||
			!strings.Contains(err.Error(), "err.decision_on_site") {
			t.Errorf("a decision for an inspection on paper: %v", err)
		}
		if x, err := svc.RecordInspection(ctx, coord, paper, service.InspectionStep{Checklist: check, Conclusion: "Đạt", DoneOn: qms.NewDate(2026, 11, 20)}); err != nil ||
			x.State != qms.InspDone {
			t.Errorf("the minutes of an inspection on paper: %v", err)
		}
		check[7].OK = false
		if _, err := svc.RecordInspection(ctx, coord, id, service.InspectionStep{Checklist: check, Conclusion: "Cơ bản đạt", DoneOn: qms.NewDate(2026, 11, 20)}); qms.ErrorCode(err) != qms.EInvalid || !strings.Contains(err.Error(), "note_7") {
			t.Errorf("a shortcoming without its description: %v", err)
		}
		check[7].Note = "Chưa cập nhật Nghị định 118/2025\nvào quy trình"
		x, err := svc.RecordInspection(ctx, coord, id, service.InspectionStep{Checklist: check, Conclusion: "Cơ bản đạt; 01 tồn tại", DoneOn: qms.NewDate(2026, 11, 20)})
		if err != nil || x.State != qms.InspDone || x.CorrectiveDue != qms.NewDate(2027, 1, 20) || !strings.HasPrefix(x.Checklist[7].NCCode, "NC-") {
			t.Fatalf("minutes: %+v %v", x, err)
		}
		_, ncs, err := svc.NCs(ctx, sec, "SKHCN", store.NCFilter{Source: qms.SourceInspection})
		if err != nil || len(ncs) != 1 || ncs[0].SourceRef != x.Code {
			t.Errorf("the agency's register: %+v %v", ncs, err)
		}
		if _, err := svc.ReportCorrective(ctx, coord, id, service.InspectionStep{Corrective: "x"}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("the coordinator reports for the agency: %v", err)
		}
		clk.t = time.Date(2027, 1, 25, 3, 0, 0, 0, time.UTC)
		if v, _ := svc.Inspection(ctx, sec, id); !v.Inspection.Overdue(v.Today) || !v.MayCorrect {
			t.Errorf("the corrective report is overdue: %+v", v)
		}
		if x, err = svc.ReportCorrective(ctx, sec, id, service.InspectionStep{Corrective: "Đã cập nhật quy trình QT-01 lần 3"}); err != nil || x.State != qms.InspCorrected {
			t.Fatalf("corrective report: %v", err)
		}
		other, _ := svc.ActorByEmail(ctx, "thuky.snv@demo.isogov.vn")
		if _, err := svc.Inspection(ctx, other, id); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency reads the inspection: %v", err)
		}
	})
}
