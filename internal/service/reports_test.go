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

// The report schedules as versioned data: a new deadline and closing delay from a year on move
// the reports of that year (already opened ones too), not those of earlier years; a submission
// after the new closing day is refused though the default would have taken it; bad schedules
// are refused field by field.
func TestReportSchedules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clk := newService(t, db)
		who := seed(t, svc)
		sec, leader, coord := who["secretary@SKHCN"], who["leader@SKHCN"], who["coordinator"]
		x, err := svc.OpenReport(ctx, sec, "SKHCN", qms.ReportYear, 2026)
		if err != nil || x.DueOn != qms.NewDate(2026, 12, 15) || x.ClosesOn != qms.NewDate(2027, 2, 13) {
			t.Fatalf("the default schedule: %v %v %v", x.DueOn, x.ClosesOn, err)
		}
		old, err := svc.OpenReport(ctx, sec, "SKHCN", qms.ReportYear, 2025)
		if err != nil {
			t.Fatal(err)
		}
		good := qms.ReportSchedule{Kind: qms.ReportYear, YearFrom: 2026, DueMonth: time.December, DueDay: 10, CloseDays: 30}
		if err := svc.SaveReportSchedule(ctx, sec, good); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an agency sets the schedule: %v", err)
		}
		for field, bad := range map[string]qms.ReportSchedule{
			"due":        {Kind: qms.ReportHalf, YearFrom: 2026, DueMonth: time.June, DueDay: 20, CloseDays: 30},
			"due ":       {Kind: qms.ReportYear, YearFrom: 2026, DueMonth: time.November, DueDay: 31, CloseDays: 30},
			"due  ":      {Kind: qms.ReportYear, YearFrom: 2026, DueMonth: time.February, DueDay: 29, CloseDays: 30},
			"close_days": {Kind: qms.ReportYear, YearFrom: 2026, DueMonth: time.December, DueDay: 10, CloseDays: 400},
			"year_from":  {Kind: qms.ReportYear, YearFrom: 1999, DueMonth: time.December, DueDay: 10, CloseDays: 30},
			"kind":       {Kind: "quarter", YearFrom: 2026, DueMonth: time.December, DueDay: 10, CloseDays: 30},
		} {
			err := svc.SaveReportSchedule(ctx, coord, bad)
			if qms.ErrorCode(err) != qms.EInvalid || !strings.Contains(err.Error(), strings.TrimSpace(field)) {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		if err := svc.SaveReportSchedule(ctx, coord, good); err != nil {
			t.Fatal(err)
		}
		if v, err := svc.Report(ctx, sec, "SKHCN", x.ID); err != nil || v.Report.DueOn != qms.NewDate(2026, 12, 10) || v.Report.ClosesOn != qms.NewDate(2027, 1, 9) {
			t.Errorf("the opened report under the new schedule: %v %v %v", v.Report.DueOn, v.Report.ClosesOn, err)
		}
		if v, _ := svc.Report(ctx, sec, "SKHCN", old.ID); v.Report.DueOn != qms.NewDate(2025, 12, 15) {
			t.Errorf("the earlier year moved: %v", v.Report.DueOn)
		}
		inForce, versions, err := svc.ReportSchedules(ctx, sec, 2027)
		if err != nil || len(versions) != 1 || inForce[1] != good || inForce[0].DueMonth != time.July {
			t.Errorf("the schedules in force in 2027: %+v %+v %v", inForce, versions, err)
		}
		if _, err := svc.SignReport(ctx, leader, "SKHCN", x.ID, 0); err != nil {
			t.Fatal(err)
		}
		clk.t = time.Date(2027, 1, 15, 3, 0, 0, 0, time.UTC) // closed on 09/01/2027 (the default: 13/02/2027)
		if _, err := svc.SubmitReport(ctx, sec, "SKHCN", x.ID, 0); qms.ErrorCode(err) != qms.EConflict || !strings.Contains(err.Error(), "err.report_period_closed") {
			t.Errorf("after the new closing day: %v", err)
		}
	})
}

// The yearly report's annex (Decision 19/2014, Annex II): scope cut to its cell, consultants
// or "self-built", the announcement with its date, the upkeep, the inspection's result.
func TestAnnexRows(t *testing.T) {
	done := qms.Inspection{State: qms.InspCorrected, Form: qms.OnSite, DoneOn: qms.NewDate(2026, 11, 20),
		Checklist: []qms.CheckItem{{OK: true}, {OK: false, Note: "x"}, {OK: false, Note: "y"}}}
	c := service.Consolidated{Rows: []service.ConsolidatedRow{
		{Agency: qms.Agency{Name: "Sở Tư pháp"}, Scope: strings.Repeat("Thủ tục ", 30), Consultants: []string{"Công ty A", "Công ty B"},
			Recognition: "120/QĐ-STP", RecognitionOn: qms.NewDate(2025, 3, 5), Audits: 2, Reviews: 1, Inspection: &done},
		{Agency: qms.Agency{Name: "Sở Nội vụ"}, Inspection: &qms.Inspection{State: qms.InspPlanned}},
	}}
	rows := c.AnnexRows()
	if len(rows) != 2 {
		t.Fatal(rows)
	}
	if r := rows[0]; len([]rune(r[2])) != 120 || !strings.HasSuffix(r[2], "…") || r[3] != "Công ty A; Công ty B" || r[4] != "120/QĐ-STP, 05/03/2025" ||
		r[5] != "ĐGNB: 2; XXLĐ: 1" || r[6] != "Tại trụ sở 20/11/2026; 2 tồn tại, đã khắc phục" {
		t.Errorf("the first row: %q", r)
	}
	if r := rows[1]; r[3] != "Tự xây dựng" || r[4] != "" || r[6] != "Theo kế hoạch" {
		t.Errorf("the second row: %q", r)
	}
}
