package service_test

import (
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

func TestRecognitions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, who, _, _ := programmeFixture(t, db) // the clock stands at 27/11/2026
		sec, coord := who["secretary@SKHCN"], who["coordinator"]
		for name, r := range map[string]qms.Recognition{
			"no kind":               {Number: "1", Edition: "2015", Scope: "x", IssuedOn: qms.NewDate(2025, 1, 1)},
			"certificate, no body":  {Kind: qms.Certificate, Number: "1", Edition: "2015", Scope: "x", IssuedOn: qms.NewDate(2024, 1, 1), ExpiresOn: qms.NewDate(2027, 1, 1)},
			"expires before issue":  {Kind: qms.Certificate, Number: "1", Body: "B", Edition: "2015", Scope: "x", IssuedOn: qms.NewDate(2024, 1, 1), ExpiresOn: qms.NewDate(2023, 1, 1)},
			"issued in the future":  {Kind: qms.Announcement, Number: "1", Edition: "2015", Scope: "x", IssuedOn: qms.NewDate(2030, 1, 1)},
			"notified before issue": {Kind: qms.Announcement, Number: "1", Edition: "2015", Scope: "x", IssuedOn: qms.NewDate(2025, 5, 1), NotifiedOn: qms.NewDate(2025, 4, 1)},
			"no scope":              {Kind: qms.Announcement, Number: "1", Edition: "2015", IssuedOn: qms.NewDate(2025, 5, 1)},
		} {
			if _, err := svc.AddRecognition(ctx, sec, "SKHCN", r); qms.ErrorCode(err) != qms.EInvalid {
				t.Errorf("%s: %v", name, err)
			}
		}
		cert, err := svc.AddRecognition(ctx, sec, "SKHCN", qms.Recognition{Kind: qms.Certificate, Number: "HT 1", Body: "B", Edition: "TCVN ISO 9001:2015",
			Scope: "TTHC", IssuedOn: qms.NewDate(2024, 1, 15), ExpiresOn: qms.NewDate(2027, 1, 14)})
		if err != nil || len(cert.Surveillance) != 2 || cert.Surveillance[1].DueOn.String() != "2026-01-15" {
			t.Fatalf("certificate: %+v %v", cert.Surveillance, err)
		}
		d, err := svc.ProvinceDashboard(ctx, coord, service.DashboardFilter{})
		if err != nil || len(d.Alerts) != 3 { // two surveillance audits overdue or due, and the expiry within 90 days
			t.Fatalf("alerts: %+v %v", d.Alerts, err)
		}
		if err := svc.CompleteSurveillance(ctx, sec, "SKHCN", cert.Surveillance[0].ID, qms.NewDate(2025, 1, 20), "tốt"); err != nil {
			t.Fatal(err)
		}
		if err := svc.CompleteSurveillance(ctx, sec, "SKHCN", cert.Surveillance[0].ID, qms.Date{}, ""); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("completing twice: %v", err)
		}
		if err := svc.CompleteSurveillance(ctx, who["staff@SKHCN"], "SKHCN", cert.Surveillance[1].ID, qms.Date{}, ""); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("staff completing: %v", err)
		}
		ann := qms.Recognition{Kind: qms.Announcement, Number: "5/QĐ", Edition: "TCVN ISO 9001:2015", Scope: "TTHC", IssuedOn: qms.NewDate(2025, 6, 1)}
		if _, err := svc.AddRecognition(ctx, sec, "SKHCN", ann); err != nil {
			t.Fatal(err)
		}
		ann.Number, ann.IssuedOn, ann.Scope = "9/QĐ", qms.NewDate(2026, 3, 1), "TTHC mở rộng"
		if _, err := svc.AddRecognition(ctx, sec, "SKHCN", ann); err != nil {
			t.Fatal(err)
		}
		_, list, err := svc.Recognitions(ctx, sec, "SKHCN")
		if err != nil || len(list) != 3 || list[0].Number != "9/QĐ" || list[0].Status != qms.RecognitionValid || list[1].Status != qms.RecognitionSuperseded ||
			list[2].Status != qms.RecognitionValid {
			t.Fatalf("after re-announcing: %+v %v", list, err)
		}
		// SKHCN merges into SNV: its certificate and announcement end, SNV must announce anew.
		if _, err := svc.CloseAgency(ctx, service.System, "SKHCN", service.CloseInput{On: qms.NewDate(2026, 7, 1), Kind: qms.LinkMerge, Successors: []string{"SNV"}}); err != nil {
			t.Fatal(err)
		}
		_, list, _ = svc.Recognitions(ctx, coord, "SKHCN")
		for _, r := range list {
			if r.Status == qms.RecognitionValid {
				t.Errorf("%s is still valid after the merger", r.Number)
			}
		}
		d, err = svc.ProvinceDashboard(ctx, coord, service.DashboardFilter{})
		if err != nil || len(d.Reannounce) != 1 || d.Reannounce[0].Code != "SNV" || len(d.Alerts) != 0 {
			t.Fatalf("after the merger: reannounce %+v, alerts %+v, %v", d.Reannounce, d.Alerts, err)
		}
		if _, err := svc.AddRecognition(ctx, who["leader@SNV"], "SNV", qms.Recognition{Kind: qms.Announcement, Number: "1/QĐ-SNV", Edition: "TCVN ISO 9001:2015",
			Scope: "TTHC sau hợp nhất", IssuedOn: qms.NewDate(2026, 8, 1)}); err != nil {
			t.Fatal(err)
		}
		if d, _ := svc.ProvinceDashboard(ctx, coord, service.DashboardFilter{}); len(d.Reannounce) != 0 {
			t.Errorf("SNV announced but is still listed: %+v", d.Reannounce)
		}
		if _, err := svc.AddRecognition(ctx, sec, "SKHCN", ann); err == nil {
			t.Error("a closed agency announced")
		}
	})
}
