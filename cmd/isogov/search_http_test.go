package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/testdb"
)

// Search through the API and the UI over the demo's documents, on every database: folded
// words, the passage, scoping to what the caller may read, and bad input beside its field.
func TestSearchHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		staff := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")
		coord := bearer(t, ts, "dieuphoi@demo.isogov.vn")
		snv := bearer(t, ts, "thuky.snv@demo.isogov.vn")

		resp, body := ts.api(t, "GET", "/api/v1/search?q="+url.QueryEscape("quy trinh kiem soat tai lieu"), staff, "")
		if resp.StatusCode != 200 || !strings.Contains(body, `"code":"QT-01","type":"procedure","title":"Quy trình kiểm soát tài liệu"`) ||
			!strings.Contains(body, `{"text":"Quy trình kiểm soát tài liệu","hit":true}`) || !strings.Contains(body, `"total":1,`) {
			t.Errorf("folded search: %d %.600s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "GET", "/api/v1/search?q=01/2018", coord, ""); resp.StatusCode != 200 || !strings.Contains(body, `"agency_code":"SKHCN"`) || !strings.Contains(body, `"code":"BM-01-01"`) {
			t.Errorf("the province finds a legal number: %d %.400s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "GET", "/api/v1/search?q=01/2018", snv, ""); resp.StatusCode != 200 || !strings.Contains(body, `"total":0,`) || !strings.Contains(body, `"items":[]`) {
			t.Errorf("another agency's secretary: %d %.400s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "GET", "/api/v1/search?q=ho+so&agency=SKHCN", snv, ""); resp.StatusCode != 403 {
			t.Errorf("another agency by name: %d", resp.StatusCode)
		}
		for _, c := range []struct{ query, field string }{{"q=", "q"}, {"q=ho+so&page=x", "page"}, {"q=ho+so&clause=11.1", "clause"}, {"q=ho+so&state=lost", "state"}} {
			if resp, body := ts.api(t, "GET", "/api/v1/search?"+c.query, staff, ""); resp.StatusCode != 400 || !strings.Contains(body, `"field":"`+c.field+`"`) ||
				!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s: %d %s", c.query, resp.StatusCode, body)
			}
		}
		if resp, _ := ts.api(t, "GET", "/api/v1/search?q=ho+so", "", ""); resp.StatusCode != 401 {
			t.Errorf("anonymous: %d", resp.StatusCode)
		}

		cookie := ts.session(t, "chuyenvien.skhcn@demo.isogov.vn")
		page := readAll(t, ts.do(t, "GET", "/search", cookie, "", "").Body)
		if !strings.Contains(page, `role="search"`) || !strings.Contains(page, "không dấu") || !strings.Contains(page, `href="/search"`) {
			t.Error("the empty search page: no form, tips or menu entry")
		}
		page = readAll(t, ts.do(t, "GET", "/search?q="+url.QueryEscape("ho so luu tru"), cookie, "", "").Body)
		if !strings.Contains(page, `<code>QT-02</code> Quy trình kiểm soát hồ sơ`) || !strings.Contains(page, "<mark>lưu trữ</mark>") {
			t.Errorf("results page: %.2000s", page)
		}
		resp = ts.do(t, "GET", "/search?q=ho+so&clause=11.1", cookie, "", "")
		if page := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(page, `id="e-clause"`) || !strings.Contains(page, `value="ho so"`) {
			t.Errorf("a bad clause in the UI: %d", resp.StatusCode)
		}
		resp = ts.do(t, "GET", "/search/export?q="+url.QueryEscape("kiem soat"), cookie, "", "")
		if csv := readAll(t, resp.Body); resp.StatusCode != 200 || !strings.Contains(csv, "QT-01,Quy trình kiểm soát tài liệu,1,") || !strings.Contains(csv, "QT-02,") {
			t.Errorf("the results as CSV: %d %.300s", resp.StatusCode, csv)
		}
		if resp := ts.do(t, "GET", "/search/export?q=", cookie, "", ""); resp.StatusCode != 400 {
			t.Errorf("exporting an empty search: %d", resp.StatusCode)
		}
		page = readAll(t, ts.do(t, "GET", "/search?q=khong+co+gi+ca+xyz", cookie, "", "").Body)
		if !strings.Contains(page, "Không tìm thấy tài liệu nào khớp") {
			t.Error("no results: no empty state")
		}
	})
}

// The agency's document-control rule (self-approval) through the API and the UI: its leader
// changes it, others read it.
func TestDocumentSettingsHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		leader := bearer(t, ts, "lanhdao.skhcn@demo.isogov.vn")
		sec := bearer(t, ts, "thuky.skhcn@demo.isogov.vn")
		if resp, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/document-settings", sec, ""); resp.StatusCode != 200 || body != `{"self_approval":false}`+"\n" && body != `{"self_approval":false}` {
			t.Errorf("read: %d %q", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "PUT", "/api/v1/agencies/SKHCN/document-settings", sec, `{"self_approval":true}`); resp.StatusCode != 403 {
			t.Errorf("the secretary: %d", resp.StatusCode)
		}
		if resp, body := ts.api(t, "PUT", "/api/v1/agencies/SKHCN/document-settings", leader, `{"self_approval":"yes"}`); resp.StatusCode != 400 {
			t.Errorf("a bad body: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "PUT", "/api/v1/agencies/SKHCN/document-settings", leader, `{"self_approval":true}`); resp.StatusCode != 200 || !strings.Contains(body, `"self_approval":true`) {
			t.Errorf("the leader: %d %s", resp.StatusCode, body)
		}

		staffPage := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents", ts.session(t, "chuyenvien.skhcn@demo.isogov.vn"), "", "").Body)
		if strings.Contains(staffPage, `action="/agencies/SKHCN/document-settings"`) {
			t.Error("staff are offered the rule")
		}
		cookie := ts.session(t, "lanhdao.skhcn@demo.isogov.vn")
		page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents", cookie, "", "").Body)
		if !strings.Contains(page, `name="self_approval" value="1" checked`) {
			t.Error("the leader's page does not show the rule as set")
		}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/document-settings", cookie, "application/x-www-form-urlencoded", ""); resp.StatusCode != 303 {
			t.Errorf("turning it off: %d", resp.StatusCode)
		}
		if _, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/document-settings", sec, ""); !strings.Contains(body, `"self_approval":false`) {
			t.Errorf("after turning it off: %s", body)
		}
	})
}
