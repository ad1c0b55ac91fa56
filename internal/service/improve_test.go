package service_test

import (
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// A nonconformity's life with its guards: analysis before planning, an action before carrying
// out the plan, implementation by the owner only, the effectiveness check by someone else (not
// effective reopens the plan), closing only with every action checked and by someone who owns
// none of them; cancelling needs a reason.
func TestNonconformities(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clk := newService(t, db)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		sec, staff, leader, auditor := who["secretary@SKHCN"], who["staff@SKHCN"], who["leader@SKHCN"], who["auditor@SKHCN"]
		for name, in := range map[string]service.NCInput{
			"no title":           {Description: "x", Source: qms.SourceSelf},
			"unknown source":     {Title: "x", Description: "x", Source: "rumour"},
			"unknown clause":     {Title: "x", Description: "x", Source: qms.SourceSelf, Clause: "99.9"},
			"an unknown dossier": {Title: "x", Description: "x", Source: qms.SourceLate, SourceRef: "SKHCN-261127-0999"},
		} {
			if _, err := svc.ReportNC(ctx, sec, "SKHCN", in); qms.ErrorCode(err) != qms.EInvalid {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := svc.ReportNC(ctx, who["leader@SNV"], "SKHCN", service.NCInput{Title: "x", Description: "x", Source: qms.SourceSelf}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency reports: %v", err)
		}
		n, err := svc.ReportNC(ctx, auditor, "SKHCN", service.NCInput{Title: "Hồ sơ lưu không đủ thành phần", Description: "3/10 hồ sơ thiếu phiếu kiểm soát",
			Source: qms.SourceAudit, Clause: "7.5.3", Severity: qms.SeverityMajor, Unit: "Phòng QLKH"})
		if err != nil || n.Code != "NC-2026-001" || n.State != qms.NCDraft {
			t.Fatalf("report: %+v %v", n, err)
		}
		act := func(a *qms.Actor, in service.NCAction) (qms.Nonconformity, error) {
			return svc.ActOnNC(ctx, a, "SKHCN", n.ID, in)
		}
		if _, err := act(sec, service.NCAction{Event: qms.NCvStart}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("starting a draft: %v", err)
		}
		if _, err := act(sec, service.NCAction{Event: qms.NCvAnalyse}); err != nil {
			t.Fatal(err)
		}
		if _, err := act(sec, service.NCAction{Event: qms.NCvPlan}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("planning without a root cause: %v", err)
		}
		if n, err = act(sec, service.NCAction{Event: qms.NCvPlan, Whys: []string{"Thiếu phiếu", "Không có biểu mẫu", "Quy trình chưa quy định"}, RootCause: "Quy trình chưa quy định phiếu kiểm soát",
			Category: "method"}); err != nil || n.State != qms.NCActionPlan || len(n.Whys) != 3 {
			t.Fatalf("plan: %+v %v", n, err)
		}
		if _, err := act(sec, service.NCAction{Event: qms.NCvStart}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("carrying out a plan without actions: %v", err)
		}
		due := qms.NewDate(2026, 12, 31)
		if _, err := svc.AddAction(ctx, sec, "SKHCN", n.ID, service.ActionInput{Type: qms.ActionCorrective, Description: "Sửa quy trình", Owner: "leader.snv@test.vn", DueOn: due}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("an owner from another agency: %v", err)
		}
		if _, err := svc.AddAction(ctx, sec, "SKHCN", n.ID, service.ActionInput{Type: qms.ActionCorrective, Description: "Sửa quy trình", Owner: "staff.skhcn@test.vn", DueOn: qms.NewDate(2026, 1, 1)}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a due date in the past: %v", err)
		}
		first, err := svc.AddAction(ctx, sec, "SKHCN", n.ID, service.ActionInput{Type: qms.ActionCorrective, Description: "Bổ sung phiếu kiểm soát vào quy trình", Owner: "staff.skhcn@test.vn", DueOn: due})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := act(sec, service.NCAction{Event: qms.NCvStart}); err != nil {
			t.Fatal(err)
		}
		if _, err := act(sec, service.NCAction{Event: qms.NCvVerify}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("verifying with an open action: %v", err)
		}
		if _, err := svc.ImplementAction(ctx, sec, "SKHCN", n.ID, first.ID, "Đã sửa"); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("someone else implements: %v", err)
		}
		if _, err := svc.ImplementAction(ctx, staff, "SKHCN", n.ID, first.ID, ""); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("no evidence: %v", err)
		}
		if first, err = svc.ImplementAction(ctx, staff, "SKHCN", n.ID, first.ID, "QT-05 lần 2 có hiệu lực"); err != nil || first.CheckOn != qms.NewDate(2026, 12, 27) {
			t.Fatalf("implement: %+v %v", first, err)
		}
		if _, err := svc.CheckAction(ctx, staff, "SKHCN", n.ID, first.ID, qms.ActionEffective, "Tốt"); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("the owner checks: %v", err)
		}
		clk.t = clk.t.AddDate(0, 1, 0)
		if _, err := svc.CheckAction(ctx, sec, "SKHCN", n.ID, first.ID, qms.ActionPartly, "Còn 1/10 hồ sơ thiếu phiếu"); err != nil {
			t.Fatal(err)
		}
		if v, _ := svc.NC(ctx, sec, "SKHCN", n.ID); v.NC.State != qms.NCActionPlan || !v.MayAddAction {
			t.Fatalf("a partly effective action reopens the plan: %s", v.NC.State)
		}
		second, err := svc.AddAction(ctx, sec, "SKHCN", n.ID, service.ActionInput{Type: qms.ActionCorrective, Description: "Tập huấn bộ phận một cửa", Owner: "secretary.skhcn@test.vn", DueOn: qms.NewDate(2027, 2, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := act(sec, service.NCAction{Event: qms.NCvStart}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ImplementAction(ctx, sec, "SKHCN", n.ID, second.ID, "Biên bản tập huấn ngày 05/01/2027"); err != nil {
			t.Fatal(err)
		}
		if v, _ := svc.NC(ctx, staff, "SKHCN", n.ID); !v.Check[second.ID] || v.Implement[second.ID] {
			t.Errorf("what staff may do: %+v", v)
		}
		if _, err := svc.CheckAction(ctx, staff, "SKHCN", n.ID, second.ID, qms.ActionEffective, "Kiểm tra 20 hồ sơ đều đủ phiếu"); err != nil {
			t.Fatal(err)
		}
		if _, err := act(sec, service.NCAction{Event: qms.NCvVerify}); err != nil {
			t.Fatal(err)
		}
		if _, err := act(sec, service.NCAction{Event: qms.NCvClose}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an action's owner verifies: %v", err)
		}
		if n, err = act(leader, service.NCAction{Event: qms.NCvClose}); err != nil || n.State != qms.NCClosed || n.ClosedAt.IsZero() || len(n.Actions) != 2 {
			t.Fatalf("close: %+v %v", n, err)
		}
		other, err := svc.ReportNC(ctx, staff, "SKHCN", service.NCInput{Title: "Trùng", Description: "Báo nhầm", Source: qms.SourceSelf})
		if err != nil || other.Code != "NC-2026-002" {
			t.Fatalf("the second: %+v %v", other, err)
		}
		if _, err := svc.ActOnNC(ctx, staff, "SKHCN", other.ID, service.NCAction{Event: qms.NCvCancel}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("cancelling without a reason: %v", err)
		}
		if x, err := svc.ActOnNC(ctx, staff, "SKHCN", other.ID, service.NCAction{Event: qms.NCvCancel, Reason: "Không phải sự không phù hợp"}); err != nil || x.State != qms.NCCancelled {
			t.Errorf("cancel: %v", err)
		}
		if _, list, err := svc.NCs(ctx, who["observer"], "SKHCN", store.NCFilter{Open: true}); err != nil || len(list) != 0 {
			t.Errorf("open nonconformities: %d %v", len(list), err)
		}
		if _, _, err := svc.NCs(ctx, who["leader@SNV"], "SKHCN", store.NCFilter{}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency reads: %v", err)
		}
	})
}
