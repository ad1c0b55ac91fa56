package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/testdb"
)

// Change impact through the UI and the API over the demo: SKHCN's task for the amended
// procedure 1.001214 (its process in force is listed), the register of legal documents, and a
// law amended by the coordinator opening tasks.
func TestChangeImpactHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		sec, staff, coord := ts.session(t, "thuky.skhcn@demo.isogov.vn"), ts.session(t, "chuyenvien.skhcn@demo.isogov.vn"), ts.session(t, "dieuphoi@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"

		page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/update-tasks", staff, "", "").Body)
		link := regexp.MustCompile(`href="(/agencies/SKHCN/update-tasks/[0-9]+)"`).FindStringSubmatch(page)
		if link == nil || !strings.Contains(page, "1.001214") || !strings.Contains(page, "0/1") && !strings.Contains(page, "1/1") {
			t.Fatalf("SKHCN's tasks: %.2000s", page)
		}
		task := link[1]
		page = readAll(t, ts.do(t, "GET", task, staff, "", "").Body)
		if !strings.Contains(page, "QT-TTHC-") || !strings.Contains(page, "2150/QĐ-UBND") || !strings.Contains(page, "Hạn cập nhật danh mục TTHC") ||
			strings.Contains(page, "/close\"") {
			t.Errorf("the task page for staff: %.3000s", page)
		}
		if !strings.Contains(readAll(t, ts.do(t, "GET", "/", sec, "", "").Body), "Nhiệm vụ cập nhật đang mở (1)") {
			t.Error("the secretary's home page does not show the open task")
		}
		if resp := ts.do(t, "POST", task+"/close", staff, urlenc, form("justification", "Không cần")); resp.StatusCode != 403 {
			t.Errorf("staff closes: %d", resp.StatusCode)
		}
		resp := ts.do(t, "POST", task+"/close", sec, urlenc, form("justification", " "))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-justification"`) {
			t.Errorf("closing without a justification: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", task+"/list-updated", sec, urlenc, ""); resp.StatusCode != 303 {
			t.Errorf("list updated: %d", resp.StatusCode)
		}
		if page = readAll(t, ts.do(t, "GET", task, sec, "", "").Body); !strings.Contains(page, "Đã cập nhật") || strings.Contains(page, "/list-updated\"") {
			t.Error("the list is not shown updated")
		}
		resp = ts.do(t, "GET", "/agencies/SKHCN/update-tasks/export", staff, "", "")
		if csv := readAll(t, resp.Body); resp.StatusCode != 200 || !strings.Contains(csv, "1.001214") {
			t.Errorf("export: %d %.300s", resp.StatusCode, csv)
		}
		if page = readAll(t, ts.do(t, "GET", "/procedures/1.001214", coord, "", "").Body); !strings.Contains(page, ">29/2013/QH13</a>") || !strings.Contains(page, task) {
			t.Error("the procedure page links neither its laws nor the agencies' tasks")
		}

		// The register.
		page = readAll(t, ts.do(t, "GET", "/legal?q="+url.QueryEscape("khoa hoc cong nghe"), staff, "", "").Body)
		law := regexp.MustCompile(`href="/legal/([0-9]+)"><code>29/2013/QH13`).FindStringSubmatch(page)
		if law == nil || strings.Contains(page, "60/2014/QH13") || strings.Contains(page, `method="post" action="/legal"`) {
			t.Fatalf("searching the register: %s", page[strings.Index(page, "<main"):])
		}
		if resp := ts.do(t, "POST", "/legal", coord, urlenc, form("number", "số mười", "title", "Sai")); resp.StatusCode != 400 {
			t.Errorf("a malformed number: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/legal/"+law[1], coord, urlenc, form("number", "29/2013/QH13", "title", "Luật Khoa học và Công nghệ", "issuer", "Quốc hội",
			"status", "amended", "changed_on", "2026-12-01", "changed_by", "Luật số 93/2025/QH15"))
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/legal/"+law[1] {
			t.Fatalf("amend the law: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if page = readAll(t, ts.do(t, "GET", "/legal/"+law[1], coord, "", "").Body); !strings.Contains(page, "Nhiệm vụ cập nhật đã tạo (1)") {
			t.Errorf("the law's tasks: %.3000s", page)
		}

		// The API.
		token, coordToken := bearer(t, ts, "thuky.skhcn@demo.isogov.vn"), bearer(t, ts, "dieuphoi@demo.isogov.vn")
		if r, body := ts.api(t, "GET", "/api/v1/legal-documents?q=61%2F2018", token, ""); r.StatusCode != 200 || !strings.Contains(body, `"number":"61/2018/NĐ-CP"`) {
			t.Errorf("the register through the API: %d %s", r.StatusCode, body)
		}
		if r, body := ts.api(t, "PUT", "/api/v1/legal-documents/"+law[1], coordToken, `{"number":"29/2013","title":"x"}`); r.StatusCode != 400 || !strings.Contains(body, `"field":"number"`) {
			t.Errorf("a bad number through the API: %d %s", r.StatusCode, body)
		}
		if r, body := ts.api(t, "POST", "/api/v1/legal-documents", coordToken, `{"number":"72/2025/QH15","title":"Luật Tổ chức chính quyền địa phương","issuer":"Quốc hội"}`); r.StatusCode != 201 || !strings.Contains(body, `"tasks_opened":0`) {
			t.Errorf("a new entry through the API: %d %s", r.StatusCode, body)
		}
		r, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/update-tasks?state=open", token, "")
		ids := regexp.MustCompile(`"id":([0-9]+),"agency":"SKHCN","agency_name":"[^"]*","cause":"legal"`).FindStringSubmatch(body)
		if r.StatusCode != 200 || ids == nil || !strings.Contains(body, `"legal_number":"29/2013/QH13"`) {
			t.Fatalf("the tasks through the API: %d %s", r.StatusCode, body)
		}
		if r, _ := ts.api(t, "GET", "/api/v1/agencies/SKHCN/update-tasks", bearer(t, ts, "thuky.snv@demo.isogov.vn"), ""); r.StatusCode != 403 {
			t.Errorf("another agency's tasks: %d", r.StatusCode)
		}
		if r, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/update-tasks/"+ids[1]+"/close", token, `{"justification":"Luật sửa đổi không ảnh hưởng đến quy trình của Sở."}`); r.StatusCode != 200 || !strings.Contains(body, `"closed_how":"justified"`) {
			t.Errorf("close through the API: %d %s", r.StatusCode, body)
		}
		if r, body := ts.api(t, "GET", "/api/v1/update-tasks/overdue", coordToken, ""); r.StatusCode != 200 || !strings.Contains(body, `"items":[]`) {
			t.Errorf("nothing overdue in the demo: %d %s", r.StatusCode, body)
		}
		if r, body := ts.api(t, "GET", "/api/v1/procedures/1.001214", token, ""); r.StatusCode != 200 || !strings.Contains(body, `"number":"29/2013/QH13","status":"amended"`) {
			t.Errorf("the procedure's legal documents through the API: %s", body)
		}
	})
}
