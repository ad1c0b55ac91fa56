package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// A periodic report: opened as a draft over live figures, written, signed by the leader only
// (figures frozen, numbered), submitted (late after the deadline, refused once the period
// closed), returned with a comment, signed and submitted again, accepted.
func TestReports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clk := newService(t, db)
		who := seed(t, svc)
		sec, leader, coord, staff := who["secretary@SKHCN"], who["leader@SKHCN"], who["coordinator"], who["staff@SKHCN"]
		if _, err := svc.OpenReport(ctx, sec, "SKHCN", "quarter", 2026); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("an unknown kind: %v", err)
		}
		if _, err := svc.OpenReport(ctx, sec, "SKHCN", qms.ReportYear, 2027); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("next year's report: %v", err)
		}
		if _, err := svc.OpenReport(ctx, staff, "SKHCN", qms.ReportYear, 2026); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("staff opens a report: %v", err)
		}
		x, err := svc.OpenReport(ctx, sec, "SKHCN", qms.ReportYear, 2026)
		if err != nil || x.DueOn != qms.NewDate(2026, 12, 15) || x.State != qms.ReportDraft {
			t.Fatalf("open: %+v %v", x, err)
		}
		if _, err := svc.OpenReport(ctx, sec, "SKHCN", qms.ReportYear, 2026); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("the same period twice: %v", err)
		}
		// A nonconformity reported now shows in the live figures.
		if _, err := svc.ReportNC(ctx, sec, "SKHCN", service.NCInput{Title: "Thiếu hồ sơ", Description: "x", Source: qms.SourceSelf}); err != nil {
			t.Fatal(err)
		}
		v, err := svc.Report(ctx, coord, "SKHCN", x.ID)
		if err != nil || v.Data.Pack.NCOpened != 1 || v.Report.Data != nil || v.Superior != "Ủy ban nhân dân tỉnh Nghệ An" || v.Place != "Nghệ An" {
			t.Fatalf("the live report: %+v %v", v.Data.Pack, err)
		}
		if x, err = svc.SaveReportText(ctx, sec, "SKHCN", x.ID, service.ReportText{Results: "Duy trì tốt", Difficulties: "Thiếu nhân lực", Proposals: "Tập huấn thêm"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SignReport(ctx, sec, "SKHCN", x.ID, 0); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("the secretary signs: %v", err)
		}
		if _, err := svc.SubmitReport(ctx, sec, "SKHCN", x.ID, 0); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("submitting a draft: %v", err)
		}
		if x, err = svc.SignReport(ctx, leader, "SKHCN", x.ID, 0); err != nil || x.Number != "01/BC-SKHCN" || x.Data == nil || x.Data.Pack.NCOpened != 1 {
			t.Fatalf("sign: %+v %v", x, err)
		}
		if _, err := svc.SaveReportText(ctx, sec, "SKHCN", x.ID, service.ReportText{Results: "khác"}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("editing a signed report: %v", err)
		}
		// Frozen: a second nonconformity does not change the signed figures.
		if _, err := svc.ReportNC(ctx, sec, "SKHCN", service.NCInput{Title: "Khác", Description: "x", Source: qms.SourceSelf}); err != nil {
			t.Fatal(err)
		}
		if v, _ := svc.Report(ctx, sec, "SKHCN", x.ID); v.Data.Pack.NCOpened != 1 {
			t.Errorf("the signed figures moved: %d", v.Data.Pack.NCOpened)
		}
		clk.t = time.Date(2026, 12, 20, 3, 0, 0, 0, time.UTC) // after the deadline
		if x, err = svc.SubmitReport(ctx, sec, "SKHCN", x.ID, 0); err != nil || !x.Late || x.State != qms.ReportSubmitted {
			t.Fatalf("a late submission: %+v %v", x, err)
		}
		if _, err := svc.ReviewReport(ctx, leader, "SKHCN", x.ID, 0, true, ""); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("the agency reviews its own report: %v", err)
		}
		if _, err := svc.ReviewReport(ctx, coord, "SKHCN", x.ID, 0, false, ""); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a return without a comment: %v", err)
		}
		if x, err = svc.ReviewReport(ctx, coord, "SKHCN", x.ID, 0, false, "Bổ sung số liệu đào tạo"); err != nil || x.State != qms.ReportReturned {
			t.Fatalf("return: %v", err)
		}
		if _, err := svc.SaveReportText(ctx, sec, "SKHCN", x.ID, service.ReportText{Results: "Duy trì tốt; đã đào tạo 12 người"}); err != nil {
			t.Fatal(err)
		}
		if x, err = svc.SignReport(ctx, leader, "SKHCN", x.ID, 0); err != nil || x.Number != "01/BC-SKHCN" || x.Data.Pack.NCOpened != 2 {
			t.Fatalf("signed again (same number, new figures): %+v %v", x, err)
		}
		clk.t = time.Date(2027, 2, 20, 3, 0, 0, 0, time.UTC) // the period closed on 13/02/2027
		if _, err := svc.SubmitReport(ctx, sec, "SKHCN", x.ID, 0); qms.ErrorCode(err) != qms.EConflict || !strings.Contains(err.Error(), "err.report_period_closed") {
			t.Errorf("after the period closed: %v", err)
		}
		clk.t = time.Date(2027, 2, 1, 3, 0, 0, 0, time.UTC)
		if _, err := svc.SubmitReport(ctx, sec, "SKHCN", x.ID, 0); err != nil {
			t.Fatal(err)
		}
		if x, err = svc.ReviewReport(ctx, coord, "SKHCN", x.ID, 0, true, ""); err != nil || x.State != qms.ReportAccepted {
			t.Fatalf("accept: %v", err)
		}
		if _, list, err := svc.Reports(ctx, who["leader@SNV"], "SKHCN"); qms.ErrorCode(err) != qms.EForbidden || list != nil {
			t.Errorf("another agency's leader reads the reports: %v", err)
		}
	})
}
