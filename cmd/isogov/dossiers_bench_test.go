package main

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
)

// BenchmarkDossierTransitions drives dossiers through the HTTP API with 50 concurrent clients:
// each iteration receives a dossier, assigns it, completes its step and returns it (four
// transitions, each with its journal entry and aggregate update). Target: ≥ 1,000 transitions a
// second on SQLite, p99 < 100 ms (issue: dossiers).
func BenchmarkDossierTransitions(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := testdb.Open(b, dialect)
			svc := service.New(db, service.Config{Argon: fastArgon, DataDir: b.TempDir()}, nil, nil)
			if err := demo.Load(ctx, svc); err != nil {
				b.Fatal(err)
			}
			h, _, err := newServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), serverOptions{})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			tok, err := svc.CreateTokenFor(ctx, service.System, "chuyenvien.skhcn@demo.isogov.vn", "bench")
			if err != nil {
				b.Fatal(err)
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			call := func(method, path, body string) (string, time.Duration, error) {
				req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tok.Secret)
				req.Header.Set("Content-Type", "application/json")
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					return "", 0, err
				}
				out, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				if resp.StatusCode >= 300 {
					return "", d, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, out)
				}
				return string(out), d, nil
			}
			const clients = 50
			var mu sync.Mutex
			var times []time.Duration
			work := make(chan int)
			errs := make(chan error, clients)
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for c := 0; c < clients; c++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var mine []time.Duration
					for range work {
						out, d, err := call("POST", "/api/v1/agencies/SKHCN/dossiers", `{"procedure":"1.001207","applicant":"Nguyễn Văn Tải","channel":"online"}`)
						if err != nil {
							errs <- err
							return
						}
						mine = append(mine, d)
						id := out[strings.Index(out, `"id":`)+5 : strings.Index(out, `,"code"`)]
						for _, step := range []string{`assign","handler":"Chuyên viên`, "complete-step", "return"} {
							action, body := step, ""
							if strings.HasPrefix(step, "assign") {
								action, body = "assign", `{"handler":"Chuyên viên thụ lý"}`
							}
							if _, d, err = call("POST", "/api/v1/agencies/SKHCN/dossiers/"+id+"/"+action, body); err != nil {
								errs <- err
								return
							}
							mine = append(mine, d)
						}
					}
					mu.Lock()
					times = append(times, mine...)
					mu.Unlock()
				}()
			}
			for i := 0; i < b.N; i++ {
				select {
				case work <- i:
				case err := <-errs:
					b.Fatal(err)
				}
			}
			close(work)
			wg.Wait()
			elapsed := time.Since(start)
			select {
			case err := <-errs:
				b.Fatal(err)
			default:
			}
			b.ReportMetric(float64(len(times))/elapsed.Seconds(), "transitions/s")
			b.ReportMetric(ms(percentile(times, 0.5)), "p50-ms")
			b.ReportMetric(ms(percentile(times, 0.99)), "p99-ms")
		})
	}
}

// BenchmarkDossierReads times the province dashboard (this year's figures per agency with the
// months' trend, the whole page) and the public look-up by code and PIN over a corpus of
// generated dossiers: ISOGOV_BENCH_DOSSIERS_DB names an SQLite file made by
// `isogov demo --dossiers N --seed 1` (kept between runs), otherwise 100,000 are generated
// (ISOGOV_BENCH_DOSSIERS sets how many, ISOGOV_BENCH_DOSSIERS_YEARS over how many years). Targets: dashboard p95 < 100 ms, look-up p95 < 5 ms
// at 15 million (issue: dossiers).
func BenchmarkDossierReads(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			dsn, fresh := testdb.DSN(b, dialect), true
			if f := env("ISOGOV_BENCH_DOSSIERS_DB", ""); f != "" && dialect == "sqlite" {
				if _, err := os.Stat(f); err == nil {
					dsn, fresh = f, false
				}
			}
			db := testdb.OpenDSN(b, dsn)
			svc := service.New(db, service.Config{Argon: fastArgon, DataDir: b.TempDir()}, nil, nil)
			if fresh {
				n, years := 100_000, 1
				fmt.Sscan(env("ISOGOV_BENCH_DOSSIERS", "100000"), &n)
				fmt.Sscan(env("ISOGOV_BENCH_DOSSIERS_YEARS", "1"), &years)
				if err := demo.Load(ctx, svc); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				if err := demo.GenerateDossiers(ctx, svc, demo.GenOptions{N: n, Years: years, Seed: 1}); err != nil {
					b.Fatal(err)
				}
				b.Logf("%s: %d dossiers generated in %s", dialect, n, time.Since(start).Round(time.Second))
				if err := db.Analyze(ctx); err != nil {
					b.Fatal(err)
				}
			}
			// Codes to look up: 2,000 dossiers drawn at random over the whole table.
			raw := testdb.Raw(b, dsn)
			var top int64
			if err := raw.QueryRow("SELECT max(id) FROM dossiers").Scan(&top); err != nil {
				b.Fatal(err)
			}
			pick := rand.New(rand.NewPCG(1, 2))
			var codes []string
			for len(codes) < 2000 {
				var code string
				if err := raw.QueryRow("SELECT code FROM dossiers WHERE id = " + fmt.Sprint(1+pick.Int64N(top))).Scan(&code); err == nil {
					codes = append(codes, code)
				}
			}
			h, _, err := newServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), serverOptions{})
			if err != nil {
				b.Fatal(err)
			}
			res, err := svc.SignIn(ctx, "giamsat@demo.isogov.vn", demo.Password, "127.0.0.1", "bench")
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(5, 6))
			var dash, look []time.Duration
			i := 0
			for b.Loop() {
				if i%2 == 0 {
					req := httptest.NewRequest("GET", "/dossier-figures", nil)
					req.AddCookie(&http.Cookie{Name: httpkit.SessionCookie, Value: res.Secret})
					rec := httptest.NewRecorder()
					t0 := time.Now()
					h.ServeHTTP(rec, req)
					dash = append(dash, time.Since(t0))
					if rec.Code != 200 || !strings.Contains(rec.Body.String(), "figure class=\"card trend\"") {
						b.Fatalf("dashboard: %d", rec.Code)
					}
				} else {
					code := codes[rng.IntN(len(codes))]
					t0 := time.Now()
					p, err := svc.LookupDossier(ctx, code, demo.DemoPIN(1, code), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
					look = append(look, time.Since(t0))
					if err != nil || p.Code != code {
						b.Fatalf("look-up %s: %v", code, err)
					}
				}
				i++
			}
			if len(dash) > 0 && len(look) > 0 {
				b.ReportMetric(ms(percentile(dash, 0.5)), "dash-p50-ms")
				b.ReportMetric(ms(percentile(dash, 0.95)), "dash-p95-ms")
				b.ReportMetric(ms(percentile(look, 0.5)), "lookup-p50-ms")
				b.ReportMetric(ms(percentile(look, 0.95)), "lookup-p95-ms")
			}
		})
	}
}
