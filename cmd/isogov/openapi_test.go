package main

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/api"
	"github.com/isogov/isogov/internal/testdb"
)

// The OpenAPI document and the registered /api routes must agree: a route without a spec,
// or a spec without a route, fails.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	ts := newTestServer(t, testdb.Open(t, "sqlite"))
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi = %q, want 3.1", doc.OpenAPI)
	}
	spec := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				spec[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	routes := map[string]bool{}
	for _, rt := range ts.routes {
		if rt.Method != "" && strings.HasPrefix(rt.Pattern, "/api/") {
			routes[rt.String()] = true
		}
	}
	var missing, extra []string
	for r := range routes {
		if !spec[r] {
			missing = append(missing, r)
		}
	}
	for s := range spec {
		if !routes[s] {
			extra = append(extra, s)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, r := range missing {
		t.Errorf("route %s is not in openapi.json", r)
	}
	for _, s := range extra {
		t.Errorf("openapi.json describes %s, which no route serves", s)
	}
	if len(routes) < 20 {
		t.Errorf("only %d API routes found", len(routes))
	}
	resp := ts.do(t, "GET", "/api/openapi.json", "", "", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("GET /api/openapi.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
