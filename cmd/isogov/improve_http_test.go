package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/testdb"
)

// A nonconformity through the UI over the demo: raised in one click from a late dossier,
// analysed, an action planned, implemented by its owner, checked by someone else, verified and
// closed; the owner's own check is refused on the page; the API reads the register.
func TestNonconformitiesHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		sec, staff, auditor := ts.session(t, "thuky.skhcn@demo.isogov.vn"), ts.session(t, "chuyenvien.skhcn@demo.isogov.vn"), ts.session(t, "danhgia@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"
		// A dossier received two months ago for a 17-day procedure is late: its page offers to
		// raise a nonconformity.
		received := time.Now().In(time.FixedZone("ICT", 7*3600)).AddDate(0, -2, 0).Format("2006-01-02T09:00")
		resp := ts.do(t, "POST", "/agencies/SKHCN/dossiers", staff, urlenc, form("procedure", "1.001207", "applicant", "Nguyễn Thị Mai", "channel", "direct", "received_at", received))
		slip := readAll(t, resp.Body)
		code := regexp.MustCompile(`<code>(SKHCN-[0-9]{6}-[0-9]{4})</code>`).FindStringSubmatch(slip)
		link := regexp.MustCompile(`href="(/agencies/SKHCN/dossiers/[0-9]+)"`).FindStringSubmatch(slip)
		if resp.StatusCode != 200 || code == nil || link == nil {
			t.Fatalf("intake: %d", resp.StatusCode)
		}
		page := readAll(t, ts.do(t, "GET", link[1], sec, "", "").Body)
		raise := regexp.MustCompile(`href="(/agencies/SKHCN/nonconformities/new\?[^"]+)"`).FindStringSubmatch(page)
		if raise == nil || !strings.Contains(raise[1], "late_dossier") {
			t.Fatalf("no one-click nonconformity on a late dossier")
		}
		form2 := readAll(t, ts.do(t, "GET", strings.ReplaceAll(raise[1], "&amp;", "&"), sec, "", "").Body)
		if !strings.Contains(form2, `value="`+code[1]+`"`) || !strings.Contains(form2, `<option value="late_dossier" selected>`) {
			t.Errorf("the form does not carry the dossier")
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/nonconformities", auditor, urlenc, form("title", "Hồ sơ giải quyết quá hạn", "description", "Hồ sơ "+code[1]+" quá hạn 20 ngày",
			"source", "late_dossier", "source_ref", code[1], "severity", "major", "clause", "8.5.1"))
		nc := resp.Header.Get("Location")
		if resp.StatusCode != 303 || !strings.HasPrefix(nc, "/agencies/SKHCN/nonconformities/") {
			t.Fatalf("report: %d %s", resp.StatusCode, nc)
		}
		post := func(who, step string, kv ...string) (int, string) {
			t.Helper()
			r := ts.do(t, "POST", nc, who, urlenc, form(kv...))
			return r.StatusCode, readAll(t, r.Body)
		}
		if status, _ := post(sec, "analyse", "event", "analyse"); status != 303 {
			t.Fatalf("analyse: %d", status)
		}
		if status, page := post(sec, "plan", "event", "plan"); status != 400 || !strings.Contains(page, "Hãy ghi nguyên nhân gốc") {
			t.Errorf("a plan without a cause: %d", status)
		}
		if status, _ := post(sec, "plan", "event", "plan", "why1", "Chuyên viên nghỉ phép", "why2", "Không có người thay", "root_cause", "Quy trình không quy định người thay thế",
			"category", "method"); status != 303 {
			t.Fatalf("plan: %d", status)
		}
		due := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
		if status, _ := post(sec, "add", "event", "add_action", "type", "corrective", "description", "Bổ sung phân công người thay thế vào QT-TTHC", "owner",
			"chuyenvien.skhcn@demo.isogov.vn", "due_on", due); status != 303 {
			t.Fatalf("add an action: %d", status)
		}
		if status, _ := post(sec, "start", "event", "start"); status != 303 {
			t.Fatalf("start: %d", status)
		}
		page = readAll(t, ts.do(t, "GET", nc, staff, "", "").Body)
		action := regexp.MustCompile(`name="action" value="([0-9]+)"`).FindStringSubmatch(page)
		if action == nil || !strings.Contains(page, `value="implement"`) {
			t.Fatalf("the owner is not offered to implement the action")
		}
		if home := readAll(t, ts.do(t, "GET", "/", staff, "", "").Body); !strings.Contains(home, "Hành động khắc phục của tôi (1)") {
			t.Error("the owner's home page does not list the action")
		}
		if reg := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/nonconformities", sec, "", "").Body); !strings.Contains(reg, "Hành động đang thực hiện (1)") {
			t.Error("the register does not list the open action")
		}
		if status, _ := post(staff, "implement", "event", "implement", "action", action[1], "evidence", "QT-TTHC-001 lần 2"); status != 303 {
			t.Fatalf("implement: %d", status)
		}
		if status, page := post(staff, "check", "event", "check", "action", action[1], "result", "effective", "note", "Tốt"); status != 400 || !strings.Contains(page, "không được tự đánh giá") {
			t.Errorf("the owner checks: %d", status)
		}
		if status, _ := post(sec, "check", "event", "check", "action", action[1], "result", "effective", "note", "Đã kiểm tra 10 hồ sơ"); status != 303 {
			t.Fatalf("check: %d", status)
		}
		for _, ev := range []string{"verify", "close"} {
			if status, page := post(sec, ev, "event", ev); status != 303 {
				t.Fatalf("%s: %d %.300s", ev, status, page)
			}
		}
		token := bearer(t, ts, "giamsat@demo.isogov.vn")
		r, out := ts.api(t, "GET", "/api/v1/agencies/SKHCN/nonconformities?source=late_dossier", token, "")
		if r.StatusCode != 200 || !strings.Contains(out, `"state":"closed"`) || !strings.Contains(out, `"source_ref":"`+code[1]+`"`) {
			t.Errorf("the register through the API: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "GET", "/api/v1"+nc, token, ""); r.StatusCode != 200 || !strings.Contains(out, `"state":"effective"`) || !strings.Contains(out, `"evidence":"QT-TTHC-001 lần 2"`) {
			t.Errorf("one nonconformity through the API: %d %s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "POST", "/api/v1/agencies/SKHCN/nonconformities", token, `{"title":"x","description":"x","source":"self_reported"}`); r.StatusCode != 403 {
			t.Errorf("the observer reports: %d", r.StatusCode)
		}
		if page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/nonconformities?"+url.Values{"open": {"1"}, "source": {"late_dossier"}}.Encode(), sec, "", "").Body); !strings.Contains(page, "Chưa ghi nhận") {
			t.Error("open nonconformities after the closure")
		}
	})
}
