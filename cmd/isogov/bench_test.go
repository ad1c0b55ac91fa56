package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
)

// percentile returns the p-th percentile of durations (sorted in place).
func percentile(d []time.Duration, p float64) time.Duration {
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// BenchmarkAgencyListPage renders GET /agencies (all 57 agencies, hierarchy view) for a
// signed-in coordinator through the whole handler: session lookup, query, Vietnamese sort,
// template. Target: p50 < 5 ms (bench/README.md).
func BenchmarkAgencyListPage(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := testdb.Open(b, dialect)
			svc := service.New(db, service.Config{Argon: fastArgon}, nil, nil)
			if err := demo.Load(ctx, svc); err != nil {
				b.Fatal(err)
			}
			h, _, err := newServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), serverOptions{})
			if err != nil {
				b.Fatal(err)
			}
			res, err := svc.SignIn(ctx, "dieuphoi@demo.isogov.vn", demo.Password, "127.0.0.1", "bench")
			if err != nil {
				b.Fatal(err)
			}
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequest("GET", "/agencies", nil)
				req.AddCookie(&http.Cookie{Name: httpkit.SessionCookie, Value: res.Secret})
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != 200 || !strings.Contains(rec.Body.String(), "57 cơ quan") {
					b.Fatalf("status %d", rec.Code)
				}
			}
			b.ReportMetric(float64(percentile(times, 0.50).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(times, 0.99).Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkSignInBurst fires 200 concurrent sign-in attempts with production argon2id
// parameters while a prober keeps loading the agency list as another, signed-in user. It
// reports the prober's latency during the burst and how the attempts were answered.
// "distinct-addresses": every attempt from its own address (the per-address limit never
// trips; the hashing slots keep the server responsive). "one-address": all from one address
// (the per-address limit answers most attempts at once).
func BenchmarkSignInBurst(b *testing.B) {
	for _, mode := range []string{"distinct-addresses", "one-address"} {
		b.Run(mode, func(b *testing.B) {
			db := testdb.Open(b, "sqlite")
			svc := service.New(db, service.Config{}, nil, nil) // production argon2id parameters
			if err := demo.Load(ctx, svc); err != nil {
				b.Fatal(err)
			}
			h, _, err := newServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), serverOptions{TrustProxy: true})
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(h)
			defer ts.Close()
			prober, err := svc.SignIn(ctx, "giamsat@demo.isogov.vn", demo.Password, "10.9.9.9", "bench")
			if err != nil {
				b.Fatal(err)
			}
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
				Transport: &http.Transport{MaxIdleConnsPerHost: 300}}
			for b.Loop() {
				var probes []time.Duration
				codes := map[int]int{}
				var mu sync.Mutex
				done := make(chan struct{})
				var probeWG sync.WaitGroup
				probeWG.Add(1)
				go func() {
					defer probeWG.Done()
					for {
						select {
						case <-done:
							return
						default:
						}
						req, _ := http.NewRequest("GET", ts.URL+"/agencies", nil)
						req.AddCookie(&http.Cookie{Name: httpkit.SessionCookie, Value: prober.Secret})
						start := time.Now()
						resp, err := client.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						probes = append(probes, time.Since(start))
					}
				}()
				var wg sync.WaitGroup
				start := time.Now()
				for i := 0; i < 200; i++ {
					wg.Add(1)
					go func(i int) {
						defer wg.Done()
						email := demo.Accounts[i%len(demo.Accounts)].Email
						body := strings.NewReader("email=" + email + "&password=wrong-password-" + strconv.Itoa(i))
						req, _ := http.NewRequest("POST", ts.URL+"/login", body)
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
						ip := "10.1.0.1"
						if mode == "distinct-addresses" {
							ip = "10.2." + strconv.Itoa(i/250) + "." + strconv.Itoa(i%250+1)
						}
						req.Header.Set("X-Forwarded-For", ip)
						resp, err := client.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						mu.Lock()
						codes[resp.StatusCode]++
						mu.Unlock()
					}(i)
				}
				wg.Wait()
				burst := time.Since(start)
				close(done)
				probeWG.Wait()
				if len(probes) == 0 {
					b.Fatal("no probe finished during the burst")
				}
				b.ReportMetric(burst.Seconds(), "burst-s")
				b.ReportMetric(float64(percentile(probes, 0.5).Microseconds())/1000, "probe-p50-ms")
				b.ReportMetric(float64(percentile(probes, 0.99).Microseconds())/1000, "probe-p99-ms")
				b.ReportMetric(float64(codes[401]), "refused-401")
				b.ReportMetric(float64(codes[429]), "limited-429")
			}
		})
	}
}
