package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
)

// BenchmarkConsolidation times the province's consolidated report for the year — the page, and
// its PDF — with 150 agencies in the programme (the demo's 56 and 94 more, a third of them
// with their yearly report submitted) over the dossiers of ISOGOV_BENCH_DOSSIERS_DB (an SQLite
// file made by `isogov demo --dossiers N --years 5 --seed 1`, kept; the agencies are added
// once) or ISOGOV_BENCH_REVIEW_DOSSIERS (default 200,000) generated over five years. Targets:
// the consolidated report < 5 s with 15 million dossiers, a report's PDF < 2 s (issue: oversight).
func BenchmarkConsolidation(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db, svc, changed := provinceCorpus(b, dialect, nil)
			year := time.Now().Year()
			if _, err := svc.Agency(ctx, service.System, "BENCH094"); qms.ErrorCode(err) == qms.ENotFound {
				for i := 1; i <= 94; i++ {
					code := fmt.Sprintf("BENCH%03d", i)
					if _, err := svc.CreateAgency(ctx, service.System, service.AgencyInput{Code: code, Name: fmt.Sprintf("Ủy ban nhân dân xã số %d", i),
						Kind: qms.KindCommuneCommittee, ParentCode: "UBNDT", ValidFrom: qms.NewDate(2025, 7, 1)}); err != nil {
						b.Fatal(err)
					}
					if _, err := svc.AddParticipant(ctx, service.System, demo.CurrentProgramme.Code, code, qms.GroupFirstTime); err != nil {
						b.Fatal(err)
					}
					if i%3 == 0 {
						x, err := svc.OpenReport(ctx, service.System, code, qms.ReportYear, year)
						if err != nil {
							b.Fatal(err)
						}
						if _, err := svc.SignReport(ctx, service.System, code, x.ID, 0); err != nil {
							b.Fatal(err)
						}
						if _, err := svc.SubmitReport(ctx, service.System, code, x.ID, 0); err != nil {
							b.Fatal(err)
						}
					}
				}
			} else if err != nil {
				b.Fatal(err)
			}
			if changed {
				if err := db.Analyze(ctx); err != nil {
					b.Fatal(err)
				}
			}
			h, _, err := newServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), serverOptions{})
			if err != nil {
				b.Fatal(err)
			}
			res, err := svc.SignIn(ctx, "dieuphoi@demo.isogov.vn", demo.Password, "127.0.0.1", "bench")
			if err != nil {
				b.Fatal(err)
			}
			q := "?kind=year&year=" + strconv.Itoa(year)
			var page, pdf []time.Duration
			i := 0
			for b.Loop() {
				path := "/province-reports" + q
				if i%2 == 1 {
					path = "/province-reports/pdf" + q
				}
				req := httptest.NewRequest("GET", path, nil)
				req.AddCookie(&http.Cookie{Name: httpkit.SessionCookie, Value: res.Secret})
				rec := httptest.NewRecorder()
				t0 := time.Now()
				h.ServeHTTP(rec, req)
				d := time.Since(t0)
				if rec.Code != 200 {
					b.Fatalf("%s: %d", path, rec.Code)
				}
				if i%2 == 1 {
					pdf = append(pdf, d)
					if !strings.HasPrefix(rec.Body.String(), "%PDF-") {
						b.Fatal("not a PDF")
					}
				} else {
					page = append(page, d)
					if n := strings.Count(rec.Body.String(), "<tr>"); n < 151 {
						b.Fatalf("%d rows", n)
					}
				}
				i++
			}
			if len(pdf) > 0 {
				b.ReportMetric(ms(percentile(page, 0.5)), "page-p50-ms")
				b.ReportMetric(ms(percentile(page, 0.95)), "page-p95-ms")
				b.ReportMetric(ms(percentile(pdf, 0.5)), "pdf-p50-ms")
				b.ReportMetric(ms(percentile(pdf, 0.95)), "pdf-p95-ms")
			}
		})
	}
}
