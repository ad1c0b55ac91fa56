package httpkit

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/isogov/isogov/internal/store"
)

// Metrics are the server's Prometheus figures: requests and latency per route, and the
// database pools.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the collectors, including gauges that read db's pool statistics.
func NewMetrics(db *store.DB) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "isogov_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "isogov_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.duration, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for pool := range db.Stats() {
		pool := pool
		gauge := func(name, help string, f func() float64) {
			m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: name, Help: help, ConstLabels: prometheus.Labels{"pool": pool},
			}, f))
		}
		stat := func() map[string]float64 {
			st := db.Stats()[pool]
			return map[string]float64{"open": float64(st.OpenConnections), "in_use": float64(st.InUse),
				"idle": float64(st.Idle), "wait": float64(st.WaitCount)}
		}
		gauge("isogov_db_connections_open", "Open database connections.", func() float64 { return stat()["open"] })
		gauge("isogov_db_connections_in_use", "Database connections in use.", func() float64 { return stat()["in_use"] })
		gauge("isogov_db_connections_idle", "Idle database connections.", func() float64 { return stat()["idle"] })
		gauge("isogov_db_wait_count", "Times a request waited for a database connection.", func() float64 { return stat()["wait"] })
	}
	return m
}

func (m *Metrics) observe(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// Handler serves the figures in Prometheus text format.
func (m *Metrics) Handler() http.Handler { return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}) }
