package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

var ctx = context.Background()

var fastArgon = service.ArgonParams{Time: 1, MemoryK: 1024, Threads: 1}

// testServer is the whole application over a fresh database with the demo province.
type testServer struct {
	*httptest.Server
	svc    *service.Service
	db     *store.DB
	routes []httpkit.Route
	ip     int
}

func newTestServer(t *testing.T, db *store.DB) *testServer {
	t.Helper()
	svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir()}, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := demo.Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	h, routes, err := newServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), serverOptions{Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(h), svc: svc, db: db, routes: routes}
	t.Cleanup(ts.Close)
	return ts
}

// session signs email in and returns its cookie value. Each sign-in comes from a new
// address so the per-address limit never interferes.
func (ts *testServer) session(t *testing.T, email string) string {
	t.Helper()
	ts.ip++
	res, err := ts.svc.SignIn(ctx, email, demo.Password, "192.0.2."+strconv.Itoa(ts.ip%250), "test")
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return res.Secret
}

// do sends a request; cookie "" is anonymous. It never follows redirects.
func (ts *testServer) do(t *testing.T, method, path, cookie, contentType, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: httpkit.SessionCookie, Value: cookie})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// form encodes pairs as a form body; a name given twice keeps both values.
func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

type storeDB = store.DB

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
