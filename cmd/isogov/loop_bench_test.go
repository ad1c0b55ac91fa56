package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
)

// BenchmarkReviewPack times the management review page of the Department of Science and
// Technology, its input pack compiled live, over five years of its improvement loop (per year:
// two audits with their checklists and findings, nine nonconformities with two actions each,
// implemented, checked and closed, ten risks rescored, five objectives, a review held with its
// actions) and the province's dossiers: ISOGOV_BENCH_DOSSIERS_DB names an SQLite file made by
// `isogov demo --dossiers N --years 5 --seed 1` (kept between runs; the loop is added once),
// otherwise ISOGOV_BENCH_REVIEW_DOSSIERS (default 200,000) are generated over five years.
// Two packs: the latest year, and the five years. Target: < 500 ms (issue: improvement loop).
func BenchmarkReviewPack(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			var clock atomic.Int64
			db, svc, changed := provinceCorpus(b, dialect, func() time.Time {
				if t := clock.Load(); t != 0 {
					return time.UnixMicro(t)
				}
				return time.Now()
			})
			year := time.Now().Year()
			if _, list, err := svc.Reviews(ctx, service.System, "SKHCN"); err != nil {
				b.Fatal(err)
			} else if len(list) < 5 { // the loop is not there yet
				start := time.Now()
				if err := fiveYearsOfLoop(svc, &clock, year); err != nil {
					b.Fatal(err)
				}
				b.Logf("%s: five years of the loop in %s", dialect, time.Since(start).Round(time.Second))
			}
			clock.Store(0)
			if changed { // what autovacuum does after a bulk load; a kept corpus was analysed when made, what is added to it is small
				if err := db.Analyze(ctx); err != nil {
					b.Fatal(err)
				}
			}
			sec, err := svc.ActorByEmail(ctx, "thuky.skhcn@demo.isogov.vn")
			if err != nil {
				b.Fatal(err)
			}
			today := qms.DateOf(time.Now())
			var pages []string
			for _, from := range []qms.Date{qms.NewDate(year, 1, 1), qms.NewDate(year-4, 1, 1)} {
				r, err := svc.PlanReview(ctx, sec, "SKHCN", service.ReviewInput{MeetingOn: today, From: from, To: today})
				if err != nil {
					b.Fatal(err)
				}
				pages = append(pages, "/agencies/SKHCN/reviews/"+strconv.FormatInt(r.ID, 10))
			}
			h, _, err := newServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), serverOptions{})
			if err != nil {
				b.Fatal(err)
			}
			res, err := svc.SignIn(ctx, "thuky.skhcn@demo.isogov.vn", demo.Password, "127.0.0.1", "bench")
			if err != nil {
				b.Fatal(err)
			}
			times := [2][]time.Duration{}
			i := 0
			for b.Loop() {
				req := httptest.NewRequest("GET", pages[i%2], nil)
				req.AddCookie(&http.Cookie{Name: httpkit.SessionCookie, Value: res.Secret})
				rec := httptest.NewRecorder()
				t0 := time.Now()
				h.ServeHTTP(rec, req)
				times[i%2] = append(times[i%2], time.Since(t0))
				if rec.Code != 200 || !strings.Contains(rec.Body.String(), "pack-audits") || !strings.Contains(rec.Body.String(), "NC-") {
					b.Fatalf("review page: %d", rec.Code)
				}
				i++
			}
			if len(times[1]) > 0 {
				b.ReportMetric(ms(percentile(times[0], 0.5)), "year-p50-ms")
				b.ReportMetric(ms(percentile(times[0], 0.95)), "year-p95-ms")
				b.ReportMetric(ms(percentile(times[1], 0.5)), "5y-p50-ms")
				b.ReportMetric(ms(percentile(times[1], 0.95)), "5y-p95-ms")
			}
		})
	}
}

// provinceCorpus opens the benchmarks' province: the SQLite file ISOGOV_BENCH_DOSSIERS_DB when it
// exists (made by `isogov demo --dossiers N --years 5 --seed 1`, kept between runs), otherwise
// the demo with ISOGOV_BENCH_REVIEW_DOSSIERS (default 200,000) dossiers generated over five years.
func provinceCorpus(b *testing.B, dialect string, now func() time.Time) (*storeDB, *service.Service, bool) {
	dsn, fresh := testdb.DSN(b, dialect), true
	if f := env("ISOGOV_BENCH_DOSSIERS_DB", ""); f != "" && dialect == "sqlite" {
		if _, err := os.Stat(f); err == nil {
			dsn, fresh = f, false
		}
	}
	db := testdb.OpenDSN(b, dsn)
	svc := service.New(db, service.Config{Argon: fastArgon, DataDir: b.TempDir()}, now, nil)
	if fresh {
		n := 200_000
		fmt.Sscan(env("ISOGOV_BENCH_REVIEW_DOSSIERS", "200000"), &n)
		if err := demo.Load(ctx, svc); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := demo.GenerateDossiers(ctx, svc, demo.GenOptions{N: n, Years: 5, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: %d dossiers generated in %s", dialect, n, time.Since(start).Round(time.Second))
	}
	return db, svc, fresh
}

// fiveYearsOfLoop writes SKHCN's improvement loop for the five years up to this one, moving the
// service's clock through each year.
func fiveYearsOfLoop(svc *service.Service, clock *atomic.Int64, thisYear int) error {
	who := map[string]*qms.Actor{}
	for _, e := range []string{"thuky.skhcn", "danhgia", "lanhdao.skhcn", "chuyenvien.skhcn"} {
		a, err := svc.ActorByEmail(ctx, e+"@demo.isogov.vn")
		if err != nil {
			return err
		}
		who[e] = a
	}
	sec, auditor, leader, staff := who["thuky.skhcn"], who["danhgia"], who["lanhdao.skhcn"], who["chuyenvien.skhcn"]
	at := func(y int, m time.Month, d int) qms.Date {
		clock.Store(time.Date(y, m, d, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600)).UnixMicro())
		return qms.NewDate(y, m, d)
	}
	clauses := []string{"4.4", "5.2", "6.1", "6.2", "7.1.5", "7.2", "7.5", "8.1", "8.2", "8.4", "8.5.1", "8.6", "8.7", "9.1.2", "9.1.3", "9.2", "9.3", "10.2"}
	for y := thisYear - 4; y <= thisYear; y++ {
		last := time.December
		if y == thisYear {
			last = time.Now().Month()
		}
		for k, m := range []time.Month{time.March, time.September} {
			if m > last {
				break
			}
			day := at(y, m, 10)
			x, err := svc.PlanAudit(ctx, sec, "SKHCN", service.AuditInput{Title: fmt.Sprintf("Đánh giá nội bộ %d đợt %d", y, k+1), Clauses: clauses, Units: []string{"QLKH", "QLCN"},
				StartsOn: day, EndsOn: day.AddDays(1), Lead: service.TeamMember{Email: auditor.Email, Unit: "VP"}})
			if err != nil {
				return err
			}
			for _, ev := range []qms.AuditEvent{qms.AuditvPrepare, qms.AuditvSend, qms.AuditvFieldwork} {
				if _, err := svc.ActOnAudit(ctx, sec, "SKHCN", x.ID, service.AuditAction{Event: ev}); err != nil {
					return err
				}
			}
			var answers []qms.AuditItem
			for _, it := range x.Items {
				answers = append(answers, qms.AuditItem{ID: it.ID, Result: qms.ChecklistYes})
			}
			if _, err := svc.AnswerChecklist(ctx, auditor, "SKHCN", x.ID, answers); err != nil {
				return err
			}
			var ncs []int64
			for j := 0; j < 10; j++ {
				t := []qms.FindingType{qms.FindingMinor, qms.FindingOFI, qms.FindingObservation, qms.FindingConformity, qms.FindingMinor}[j%5]
				if j == 9 {
					t = qms.FindingMajor
				}
				f, err := svc.RecordFinding(ctx, auditor, "SKHCN", x.ID, service.FindingInput{Type: t, Clause: clauses[j], Unit: "QLKH",
					Description: fmt.Sprintf("Phát hiện %d của %s", j+1, x.Code), Evidence: "Hồ sơ kiểm tra"})
				if err != nil {
					return err
				}
				if f.NCID != 0 {
					ncs = append(ncs, f.NCID)
				}
			}
			sum := "Hệ thống được duy trì"
			if _, err := svc.ActOnAudit(ctx, auditor, "SKHCN", x.ID, service.AuditAction{Summary: &sum}); err != nil {
				return err
			}
			for _, ev := range []qms.AuditEvent{qms.AuditvReport, qms.AuditvFollowUp} {
				if _, err := svc.ActOnAudit(ctx, sec, "SKHCN", x.ID, service.AuditAction{Event: ev}); err != nil {
					return err
				}
			}
			for _, id := range ncs {
				if err := closeNC(svc, at, y, m, sec, staff, leader, id); err != nil {
					return err
				}
			}
			at(y, m+2, 1)
			if _, err := svc.ActOnAudit(ctx, sec, "SKHCN", x.ID, service.AuditAction{Event: qms.AuditvClose}); err != nil {
				return err
			}
		}
		for j := 0; j < 10; j++ {
			at(y, time.January, 15)
			r, err := svc.AddRisk(ctx, sec, "SKHCN", service.RiskInput{Kind: qms.KindRisk, Title: fmt.Sprintf("Rủi ro %d/%d", j+1, y), Likelihood: 1 + j%5, Impact: 1 + (j+2)%5,
				ReviewOn: qms.NewDate(y, 7, 1)})
			if err != nil {
				return err
			}
			at(y, time.July, 1)
			if _, err := svc.RescoreRisk(ctx, sec, "SKHCN", r.ID, service.RiskInput{Likelihood: 1 + (j+1)%5, Impact: r.Impact, ReviewOn: qms.NewDate(y+1, 1, 15),
				Note: "Xem xét định kỳ", Close: y < thisYear-1}); err != nil {
				return err
			}
		}
		at(y, time.January, 5)
		for _, o := range []service.ObjectiveInput{
			{Title: "Đúng hạn", Measure: qms.MeasureOnTime, Target: 98, Frequency: qms.Quarterly},
			{Title: "Hài lòng", Measure: qms.MeasureRating, Target: 4, Frequency: qms.Quarterly},
			{Title: "Hành động đúng hạn", Measure: qms.MeasureActions, Target: 90, Frequency: qms.Quarterly},
			{Title: "Tài liệu được xem xét", Measure: qms.MeasureDocsReviewed, Target: 95, Frequency: qms.Quarterly},
			{Title: "Phản ánh", Measure: qms.MeasureManual, Target: 2, Direction: qms.AtMost, Frequency: qms.Monthly},
		} {
			o.Year, o.Owner = y, sec.Email
			x, err := svc.AddObjective(ctx, sec, "SKHCN", o)
			if err != nil {
				return err
			}
			if o.Measure == qms.MeasureManual {
				for m := 1; m <= int(last); m++ {
					if _, err := svc.EnterObjectiveValue(ctx, sec, "SKHCN", x.ID, fmt.Sprintf("%d-%02d", y, m), float64(m%4), "Sổ theo dõi"); err != nil {
						return err
					}
				}
			}
		}
		if y == thisYear {
			continue
		}
		at(y, time.December, 10)
		r, err := svc.PlanReview(ctx, sec, "SKHCN", service.ReviewInput{MeetingOn: qms.NewDate(y, 12, 15), From: qms.NewDate(y, 1, 1), To: qms.NewDate(y, 12, 15)})
		if err != nil {
			return err
		}
		in := service.ReviewInput{Conclusions: map[string]string{}, Decisions: "Duy trì và cải tiến HTQLCL"}
		for _, k := range qms.ReviewInputs {
			in.Conclusions[k] = "Đã xem xét"
		}
		if _, err := svc.RecordMinutes(ctx, sec, "SKHCN", r.ID, in); err != nil {
			return err
		}
		if _, err := svc.ApproveReview(ctx, leader, "SKHCN", r.ID, 0); err != nil {
			return err
		}
		for j := 0; j < 5; j++ {
			if _, err := svc.AddLoopAction(ctx, sec, "SKHCN", qms.Action{ReviewID: r.ID}, service.ActionInput{Type: qms.ActionImprovement,
				Description: fmt.Sprintf("Cải tiến %d năm %d", j+1, y), Owner: staff.Email, DueOn: qms.NewDate(y+1, 3, 31)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// closeNC takes a nonconformity found in month m of year y through its analysis, two actions
// implemented by their owner and checked by the leader, to its closure.
func closeNC(svc *service.Service, at func(int, time.Month, int) qms.Date, y int, m time.Month, sec, staff, leader *qms.Actor, id int64) error {
	at(y, m, 12)
	for _, ev := range []qms.NCEvent{qms.NCvAnalyse, qms.NCvPlan} {
		if _, err := svc.ActOnNC(ctx, sec, "SKHCN", id, service.NCAction{Event: ev, RootCause: "Chưa quy định rõ", Category: "method"}); err != nil {
			return err
		}
	}
	var acts []int64
	for j := 0; j < 2; j++ {
		a, err := svc.AddAction(ctx, sec, "SKHCN", id, service.ActionInput{Type: qms.ActionCorrective, Description: fmt.Sprintf("Khắc phục %d", j+1),
			Owner: staff.Email, DueOn: qms.NewDate(y, m, 28)})
		if err != nil {
			return err
		}
		acts = append(acts, a.ID)
	}
	if _, err := svc.ActOnNC(ctx, sec, "SKHCN", id, service.NCAction{Event: qms.NCvStart}); err != nil {
		return err
	}
	at(y, m, 20)
	for _, a := range acts {
		if _, err := svc.ImplementAction(ctx, staff, "SKHCN", id, a, "Đã thực hiện"); err != nil {
			return err
		}
	}
	at(y, m+1, 25)
	for _, a := range acts {
		if _, err := svc.CheckAction(ctx, leader, "SKHCN", id, a, qms.ActionEffective, "Hiệu lực"); err != nil {
			return err
		}
	}
	for _, ev := range []qms.NCEvent{qms.NCvVerify, qms.NCvClose} {
		if _, err := svc.ActOnNC(ctx, leader, "SKHCN", id, service.NCAction{Event: ev}); err != nil {
			return err
		}
	}
	return nil
}
