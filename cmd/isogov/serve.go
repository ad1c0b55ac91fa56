package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/isogov/isogov/internal/api"
	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/web"
)

func englishOf(key string, args ...any) string { return i18n.T("en", key, args...) }

// serverOptions configure the HTTP server.
type serverOptions struct {
	Demo          bool
	TrustProxy    bool
	SecureCookies bool
}

// newServer composes the UI, the API and the operational endpoints into one handler and
// returns the route table with it (the route × role test walks that table).
func newServer(svc *service.Service, log *slog.Logger, opts serverOptions) (http.Handler, []httpkit.Route, error) {
	db := svc.DB()
	metrics := httpkit.NewMetrics(db)
	stack := &httpkit.Stack{Svc: svc, Log: log, Metrics: metrics, TrustProxy: opts.TrustProxy, SecureCookies: opts.SecureCookies}
	wopts := web.Options{Demo: opts.Demo, Version: version}
	if opts.Demo {
		for _, a := range demo.Accounts {
			wopts.DemoHelp = append(wopts.DemoHelp, web.DemoAccount{Email: a.Email, Roles: strings.Join(a.Roles, ", "), Password: demo.Password})
		}
	}
	ui, err := web.New(svc, stack, log, wopts)
	if err != nil {
		return nil, nil, err
	}
	ops := []httpkit.Route{
		httpkit.R("GET", "/healthz", httpkit.Public, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = io.WriteString(w, "ok\n")
		}),
		httpkit.R("GET", "/readyz", httpkit.Public, func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			if err := db.Ping(ctx); err != nil {
				log.ErrorContext(ctx, "readiness", "err", err)
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, "database unavailable\n")
				return
			}
			_, _ = io.WriteString(w, "ready\n")
		}),
		// /metrics is public on the listener; deploy/nginx.conf keeps it off the internet.
		httpkit.R("GET", "/metrics", httpkit.Public, metrics.Handler().ServeHTTP),
	}
	ops = httpkit.Guard(ops, func(w http.ResponseWriter, r *http.Request, err error) {
		http.Error(w, "forbidden", http.StatusForbidden)
	})
	routes := append(append(ops, ui.Routes()...), api.New(svc, log, stack.ClientIP).Routes()...)
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.HandleFunc(rt.String(), rt.Handler)
	}
	return stack.Wrap(mux), routes, nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, st := newFlags("serve", stderr)
	addr := fs.String("addr", env("ISOGOV_ADDR", "127.0.0.1:8080"), "address to listen on (ISOGOV_ADDR)")
	withDemo := fs.Bool("demo", env("ISOGOV_DEMO", "") == "1", "load the demo province into an empty database and show the demo accounts (ISOGOV_DEMO=1)")
	trustProxy := fs.Bool("trust-proxy", env("ISOGOV_TRUST_PROXY", "") == "1", "take client addresses from X-Forwarded-For: only behind a reverse proxy (ISOGOV_TRUST_PROXY=1)")
	secure := fs.Bool("secure-cookies", env("ISOGOV_SECURE_COOKIES", "") == "1", "mark cookies Secure: set when users reach the server over HTTPS (ISOGOV_SECURE_COOKIES=1)")
	logLevel := fs.String("log-level", env("ISOGOV_LOG_LEVEL", "info"), "debug, info, warn or error (ISOGOV_LOG_LEVEL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	log := newLogger(stderr, *logLevel)
	svc, db, err := st.service(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		if err := loadDemo(ctx, svc, stdout); err != nil {
			return err
		}
	}
	// The shipped reference data (step templates, document types) goes into a database that lacks it.
	if err := svc.SeedReferenceData(ctx); err != nil {
		return err
	}
	handler, _, err := newServer(svc, log, serverOptions{Demo: *withDemo, TrustProxy: *trustProxy, SecureCookies: *secure})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go notifyLoop(ctx, svc, log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "isogov %s listening on http://%s (database: %s)\n", version, ln.Addr(), db.Dialect())
	log.Info("listening", "addr", ln.Addr().String(), "db", db.Dialect().String(), "version", version)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemo loads the demo province when the database is empty, then prints the accounts.
func loadDemo(ctx context.Context, svc *service.Service, stdout io.Writer) error {
	err := demo.Load(ctx, svc)
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		if !demo.IsLoaded(ctx, svc.DB()) {
			fmt.Fprintln(stdout, "the database already holds data: demo province not loaded")
			return nil
		}
		fmt.Fprintln(stdout, "demo province already loaded")
	case err != nil:
		return fmt.Errorf("demo: %w", describe(err))
	default:
		fmt.Fprintf(stdout, "demo province loaded: %d agencies and %d accounts\n", len(demo.Agencies), len(demo.Accounts))
	}
	fmt.Fprintf(stdout, "demo accounts (password %q):\n", demo.Password)
	for _, a := range demo.Accounts {
		fmt.Fprintf(stdout, "  %-34s %s\n", a.Email, strings.Join(a.Roles, ", "))
	}
	return nil
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, st := newFlags("demo", stderr)
	n := fs.Int("dossiers", 0, "also generate this many dossiers over the demo's procedures")
	years := fs.Int("years", 1, "spread the generated dossiers over this many years up to today")
	seed := fs.Uint64("seed", 1, "the generator's seed: the same seed gives the same dossiers")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *n < 0 || *n > 50_000_000 {
		return fmt.Errorf("--dossiers must be between 0 and 50000000")
	}
	if *years < 1 || *years > 20 {
		return fmt.Errorf("--years must be between 1 and 20")
	}
	svc, db, err := st.service(ctx, newLogger(stderr, "warn"))
	if err != nil {
		return err
	}
	defer db.Close()
	switch loaded := demo.IsLoaded(ctx, db); {
	case loaded && *n == 0:
		return describe(demo.ErrNotEmpty)
	case loaded:
		fmt.Fprintln(stdout, "the demo province is loaded already: adding dossiers")
	default:
		if err := demo.Load(ctx, svc); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "demo province loaded: %d agencies and %d accounts (password %q)\n", len(demo.Agencies), len(demo.Accounts), demo.Password)
	}
	if *n == 0 {
		return nil
	}
	start := time.Now()
	var progress func(int, int)
	if isTerminal(stderr) {
		progress = func(done, total int) {
			const width = 30
			filled := width * done / max(total, 1)
			fmt.Fprintf(stderr, "\rdossiers [%s%s] %d/%d (%d%%)", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, 100*done/max(total, 1))
		}
	}
	err = demo.GenerateDossiers(ctx, svc, demo.GenOptions{N: *n, Years: *years, Seed: *seed, Progress: progress})
	if progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated %d dossiers over %d year(s) in %s\n", *n, *years, time.Since(start).Round(time.Second))
	return nil
}

// notifyLoop sweeps for notifications at start and every hour, and sends the e-mail queue every
// ten seconds, until the server stops. The queue lives in the database: what is not sent when
// the server stops is sent after it starts again.
func notifyLoop(ctx context.Context, svc *service.Service, log *slog.Logger) {
	sweep := time.NewTicker(time.Hour)
	send := time.NewTicker(10 * time.Second)
	defer sweep.Stop()
	defer send.Stop()
	do := func() {
		if n, err := svc.Sweep(ctx); err != nil && ctx.Err() == nil {
			log.Error("sweep", "err", err)
		} else if n > 0 {
			log.Info("notifications", "added", n)
		}
	}
	do()
	for {
		select {
		case <-ctx.Done():
			return
		case <-sweep.C:
			do()
		case <-send.C:
			if _, err := svc.SendMailParallel(ctx, 4); err != nil && ctx.Err() == nil {
				log.Error("mail", "err", err)
			}
		}
	}
}
