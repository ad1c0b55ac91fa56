package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
)

func bearer(t *testing.T, ts *testServer, email string) string {
	t.Helper()
	nt, err := ts.svc.CreateTokenFor(ctx, service.System, email, "test")
	if err != nil {
		t.Fatal(err)
	}
	return nt.Secret
}

func (ts *testServer) api(t *testing.T, method, path, token, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp, readAll(t, resp.Body)
}

// API scenarios: each states the request, the expected status, and fragments of the body.
// Bad input gets problem+json naming the field, in the caller's language, and stores nothing.
func TestAPIScenarios(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		coord := bearer(t, ts, "dieuphoi@demo.isogov.vn")
		admin := bearer(t, ts, "quantri@demo.isogov.vn")
		staff := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")
		revoked := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")
		if _, body := ts.api(t, "GET", "/api/v1/tokens", revoked, ""); !strings.Contains(body, `"prefix"`) {
			t.Fatal(body)
		}
		var list struct {
			Items []struct{ ID int64 } `json:"items"`
		}
		_, body := ts.api(t, "GET", "/api/v1/tokens", revoked, "")
		_ = json.Unmarshal([]byte(body), &list)
		for _, it := range list.Items {
			ts.api(t, "POST", "/api/v1/tokens/"+itoa(it.ID)+"/revoke", revoked, "")
		}
		journalBefore, _ := db.JournalCount(ctx)

		huge := `{"code":"BIG","name":"` + strings.Repeat("x", 1<<20) + `","kind":"other"}`
		cases := []struct {
			name, method, path, token, body string
			status                          int
			want, not                       []string
		}{
			{"list agencies", "GET", "/api/v1/agencies?limit=500", staff, "", 200, []string{`"code":"SKHCN"`, `"name":"Sở Khoa học và Công nghệ"`}, nil},
			{"search without diacritics", "GET", "/api/v1/agencies?q=so+khoa+hoc", staff, "", 200, []string{`"SKHCN"`}, nil},
			{"paged", "GET", "/api/v1/agencies?limit=2", staff, "", 200, []string{`"next":"`}, nil},
			{"bad limit", "GET", "/api/v1/agencies?limit=9999", staff, "", 400, []string{`"code":"invalid"`, `"field":"limit"`}, nil},
			{"bad cursor", "GET", "/api/v1/agencies?next=!!!", staff, "", 400, []string{`"field":"next"`}, nil},
			{"bad kind", "GET", "/api/v1/agencies?kind=ministry", staff, "", 400, []string{`"field":"kind"`}, nil},
			{"one agency", "GET", "/api/v1/agencies/skhcn", staff, "", 200, []string{`"parent_code":"UBNDT"`, `"children":[]`}, nil},
			{"children", "GET", "/api/v1/agencies/SNV", staff, "", 200, []string{`"children":["BTDKT","BTG"]`}, nil},
			{"walk the hierarchy", "GET", "/api/v1/agencies?parent=SNNPTNT", staff, "", 200, []string{`"CCKL"`, `"CCTY"`}, []string{`"SKHCN"`}},
			{"unknown agency", "GET", "/api/v1/agencies/NOPE", staff, "", 404, []string{`"code":"not_found"`}, nil},
			{"no token", "GET", "/api/v1/agencies", "", "", 401, []string{`"code":"unauthenticated"`}, nil},
			{"garbage token", "GET", "/api/v1/agencies", "isg_garbage", "", 401, []string{`"code":"unauthenticated"`}, nil},
			{"revoked token", "GET", "/api/v1/agencies", revoked, "", 401, []string{`"code":"unauthenticated"`, "thu hồi"}, nil},
			{"staff cannot create", "POST", "/api/v1/agencies", staff, `{"code":"NEW1","name":"Mới","kind":"other"}`, 403, []string{`"code":"forbidden"`}, nil},
			{"malformed JSON", "POST", "/api/v1/agencies", coord, `{"code":`, 400, []string{`"field":"body"`}, nil},
			{"two objects", "POST", "/api/v1/agencies", coord, `{"code":"A1","name":"A","kind":"other"}{}`, 400, []string{`"field":"body"`}, nil},
			{"unknown field", "POST", "/api/v1/agencies", coord, `{"code":"A1","name":"A","kind":"other","ministry":true}`, 400, []string{`"field":"ministry"`}, nil},
			{"wrong type", "POST", "/api/v1/agencies", coord, `{"code":1,"name":"A","kind":"other"}`, 400, []string{`"field":"code"`}, nil},
			{"bad date", "POST", "/api/v1/agencies", coord, `{"code":"A1","name":"A","kind":"other","valid_from":"31/12/2025"}`, 400, []string{`"code":"invalid"`}, nil},
			{"oversized", "POST", "/api/v1/agencies", coord, huge, 400, []string{`"field":"body"`, "1 MiB"}, nil},
			{"invalid code", "POST", "/api/v1/agencies", coord, `{"code":"Sở KH","name":"A","kind":"other"}`, 400, []string{`"field":"code"`}, nil},
			{"duplicate code", "POST", "/api/v1/agencies", coord, `{"code":"SKHCN","name":"A","kind":"other"}`, 400, []string{`"field":"code"`, "đã được dùng"}, nil},
			{"injection kept as text", "POST", "/api/v1/agencies", coord, `{"code":"INJ","name":"<b>x</b>'); DROP TABLE agencies;--","kind":"other","parent_code":"UBNDT"}`, 201, []string{`"name":"\u003cb\u003ex\u003c/b\u003e'); DROP TABLE agencies;--"`}, nil},
			{"edit agency", "PATCH", "/api/v1/agencies/INJ", coord, `{"short_name":"Thử"}`, 200, []string{`"short_name":"Thử"`}, nil},
			{"close with successor", "POST", "/api/v1/agencies/INJ/close", coord, `{"on":"2025-07-01","kind":"merge","successors":["SKHCN"]}`, 200, []string{`"valid_to":"2025-07-01"`}, nil},
			{"predecessor shown", "GET", "/api/v1/agencies/SKHCN", staff, "", 200, []string{`"predecessors":[{"from":"INJ","to":"SKHCN","kind":"merge"`}, nil},
			{"units", "GET", "/api/v1/agencies/SKHCN/units", staff, "", 200, []string{`"code":"KHTC"`}, nil},
			{"other agency's units", "GET", "/api/v1/agencies/SNV/units", staff, "", 403, nil, nil},
			{"create unit", "POST", "/api/v1/agencies/SKHCN/units", coord, `{"code":"TTTT","name":"Trung tâm Thông tin"}`, 201, []string{`"code":"TTTT"`}, nil},
			{"duplicate unit", "POST", "/api/v1/agencies/SKHCN/units", coord, `{"code":"TTTT","name":"Lần hai"}`, 400, []string{`"field":"code"`}, nil},
			{"duplicate e-mail", "POST", "/api/v1/users", admin, `{"email":"DIEUPHOI@demo.isogov.vn","name":"X","password":"Kh0ng-de-doan-2026"}`, 400, []string{`"field":"email"`}, nil},
			{"weak password", "POST", "/api/v1/users", admin, `{"email":"new@test.vn","name":"X","password":"12345678901"}`, 400, []string{`"field":"password"`, "phổ biến"}, nil},
			{"bad role", "POST", "/api/v1/users", admin, `{"email":"new@test.vn","name":"X","password":"Kh0ng-de-doan-2026","roles":["leader"]}`, 400, []string{`"field":"roles"`}, nil},
			{"unknown agency in role", "POST", "/api/v1/users", admin, `{"email":"new@test.vn","name":"X","password":"Kh0ng-de-doan-2026","roles":["leader@NOPE"]}`, 400, []string{`"field":"roles"`}, nil},
			{"create user", "POST", "/api/v1/users", admin, `{"email":"new@test.vn","name":"Người mới","password":"Kh0ng-de-doan-2026","roles":["staff@SNV"]}`, 201, []string{`"role":"staff","agency":"SNV"`}, nil},
			{"users list for coordinator", "GET", "/api/v1/users", coord, "", 403, nil, nil},
			{"users of one agency", "GET", "/api/v1/users?agency=SNV", admin, "", 200, []string{`"email":"thuky.snv@demo.isogov.vn"`, `"email":"new@test.vn"`}, []string{"dieuphoi"}},
			{"journal of agency", "GET", "/api/v1/agencies/SKHCN/journal?limit=3", coord, "", 200, []string{`"action":"`, `"hash":"`, `"next":"`}, nil},
			{"journal for staff", "GET", "/api/v1/agencies/SKHCN/journal", staff, "", 403, nil, nil},
			{"province chain", "GET", "/api/v1/journal?chain=province&limit=1", coord, "", 200, []string{`"chain":0`}, nil},
			{"object half given", "GET", "/api/v1/journal?object_type=user", coord, "", 400, []string{`"field":"object_id"`}, nil},
			{"unknown API path", "GET", "/api/v1/nothing", staff, "", 404, []string{`"code":"not_found"`}, nil},
			{"create token", "POST", "/api/v1/tokens", staff, `{"name":"một cửa"}`, 201, []string{`"token":"isg_`}, nil},
			{"token without name", "POST", "/api/v1/tokens", staff, `{"name":" "}`, 400, []string{`"field":"name"`}, nil},
			{"me", "GET", "/api/v1/me", staff, "", 200, []string{`"email":"chuyenvien.skhcn@demo.isogov.vn"`, `"role":"staff"`}, nil},
		}
		for _, c := range cases {
			resp, body := ts.api(t, c.method, c.path, c.token, c.body)
			if resp.StatusCode != c.status {
				t.Errorf("%s: status %d, want %d; body %.300s", c.name, resp.StatusCode, c.status, body)
				continue
			}
			if c.status >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: content type %q", c.name, resp.Header.Get("Content-Type"))
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: body lacks %s: %.400s", c.name, w, body)
				}
			}
			for _, n := range c.not {
				if strings.Contains(body, n) {
					t.Errorf("%s: body contains %s", c.name, n)
				}
			}
		}
		// A machine client without an account language gets problems in its Accept-Language.
		if _, body := ts.api(t, "GET", "/api/v1/me", revoked, "", "Accept-Language", "en-US,en;q=0.9"); !strings.Contains(body, "revoked or has expired") {
			t.Errorf("English problem: %s", body)
		}
		// Three successful writes (agency create, edit, close+link: 1+1+2 entries, unit, user+grant)
		// and nothing from the refused ones.
		journalAfter, _ := db.JournalCount(ctx)
		if got := journalAfter - journalBefore; got != 8 {
			t.Errorf("journal grew by %d entries, want 8", got)
		}
		if _, err := service.Verify(ctx, db, nil); err != nil {
			t.Error(err)
		}
	})
}
