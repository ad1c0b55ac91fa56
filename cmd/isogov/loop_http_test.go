package main

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/testdb"
)

// The improvement loop over the demo through the API and the pages: an audit planned (an
// auditor of the unit audited is refused), run, a major nonconformity found; a risk rescored;
// an objective without a measure refused; the demo's review pack, its minutes refused without
// every input, recorded, approved by the leader only; the report page and its PDF; the
// province dashboard's yearly warnings.
func TestImprovementLoopHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		sec, auditor, leader := bearer(t, ts, "thuky.skhcn@demo.isogov.vn"), bearer(t, ts, "danhgia@demo.isogov.vn"), bearer(t, ts, "lanhdao.skhcn@demo.isogov.vn")
		today := time.Now().In(time.FixedZone("ICT", 7*3600))
		start := today.AddDate(0, 0, 20).Format("2006-01-02")
		plan := `{"title":"Đánh giá đột xuất","clauses":["8.5.1"],"units":["QLKH"],"starts_on":"` + start + `","ends_on":"` + start + `","lead":{"email":"danhgia@demo.isogov.vn","unit":"QLKH"}}`
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/audits", sec, plan); r.StatusCode != 409 || !strings.Contains(out, "QLKH") ||
			!strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("an auditor of the unit audited: %d %s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "POST", "/api/v1/agencies/SKHCN/audits", auditor, strings.Replace(plan, `"unit":"QLKH"`, `"unit":"VP"`, 1)); r.StatusCode != 403 {
			t.Errorf("the auditor plans: %d", r.StatusCode)
		}
		r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/audits", sec, strings.Replace(plan, `"unit":"QLKH"`, `"unit":"VP"`, 1))
		var audit struct {
			ID        int64  `json:"id"`
			Code      string `json:"code"`
			Checklist []struct {
				ID int64 `json:"id"`
			} `json:"checklist"`
		}
		if err := json.Unmarshal([]byte(out), &audit); r.StatusCode != 201 || err != nil || len(audit.Checklist) != 1 {
			t.Fatalf("plan: %d %s", r.StatusCode, out)
		}
		base := "/api/v1/agencies/SKHCN/audits/" + strconv.FormatInt(audit.ID, 10)
		for _, ev := range []string{"prepare", "send_checklist", "start_fieldwork"} {
			if r, out := ts.api(t, "POST", base+"/"+ev, sec, ""); r.StatusCode != 200 {
				t.Fatalf("%s: %d %s", ev, r.StatusCode, out)
			}
		}
		r, out = ts.api(t, "POST", base+"/findings", auditor, `{"type":"major_nc","clause":"8.5.1","description":"Hồ sơ trả kết quả không ký nhận","evidence":"Sổ trả kết quả tháng 11"}`)
		if r.StatusCode != 201 || !regexp.MustCompile(`"nonconformity":"NC-\d{4}-\d{3}"`).MatchString(out) {
			t.Fatalf("a major nonconformity: %d %s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "POST", base+"/findings", sec, `{"type":"observation","description":"x","evidence":"y"}`); r.StatusCode != 403 {
			t.Errorf("off the team: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "POST", base+"/answers", auditor, `{"items":[{"id":`+strconv.FormatInt(audit.Checklist[0].ID, 10)+`,"result":"no","note":"thiếu chữ ký"}]}`); r.StatusCode != 200 || !strings.Contains(out, `"result":"no"`) {
			t.Errorf("answers: %d %s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "POST", base+"/summary", auditor, `{"summary":"Một điểm không phù hợp nặng"}`); r.StatusCode != 200 {
			t.Errorf("summary: %d", r.StatusCode)
		}
		for _, ev := range []string{"report", "follow_up"} {
			if r, out := ts.api(t, "POST", base+"/"+ev, sec, ""); r.StatusCode != 200 {
				t.Fatalf("%s: %d %s", ev, r.StatusCode, out)
			}
		}
		if r, out := ts.api(t, "POST", base+"/close", sec, ""); r.StatusCode != 409 || !strings.Contains(out, "NC-") {
			t.Errorf("closing with its nonconformity open: %d %s", r.StatusCode, out)
		}

		// A risk rescored; an objective with no measure.
		r, out = ts.api(t, "POST", "/api/v1/agencies/SKHCN/risks", sec, `{"kind":"risk","title":"Mất dữ liệu","likelihood":2,"impact":5,"review_on":"`+start+`"}`)
		id := regexp.MustCompile(`"id":(\d+)`).FindStringSubmatch(out)
		if r.StatusCode != 201 || id == nil {
			t.Fatalf("a risk: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/risks/"+id[1]+"/score", sec, `{"likelihood":1,"impact":5,"review_on":"`+start+`"}`); r.StatusCode != 400 || !strings.Contains(out, "note") {
			t.Errorf("a rescoring without a note: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/risks/"+id[1]+"/score", sec, `{"likelihood":1,"impact":5,"review_on":"`+start+`","note":"Sao lưu hằng ngày"}`); r.StatusCode != 200 || strings.Count(out, `"by"`) != 2 {
			t.Errorf("rescore: %d %s", r.StatusCode, out)
		}
		r, out = ts.api(t, "POST", "/api/v1/agencies/SKHCN/risks/"+id[1]+"/actions", sec, `{"type":"preventive","description":"Sao lưu ngoài trụ sở","owner":"thuky.skhcn@demo.isogov.vn","due_on":"`+start+`"}`)
		act := regexp.MustCompile(`"id":(\d+)`).FindStringSubmatch(out)
		if r.StatusCode != 201 || act == nil {
			t.Fatalf("a risk's action: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/actions/"+act[1]+"/implement", sec, `{"evidence":"Biên bản sao lưu"}`); r.StatusCode != 200 || !strings.Contains(out, `"state":"implemented"`) {
			t.Errorf("implement: %d %s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "POST", "/api/v1/agencies/SKHCN/actions/"+act[1]+"/check", sec, `{"result":"effective","note":"x"}`); r.StatusCode != 403 {
			t.Errorf("the owner checks: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/actions/"+act[1]+"/check", leader, `{"result":"effective","note":"Đã thử khôi phục"}`); r.StatusCode != 200 || !strings.Contains(out, `"state":"effective"`) {
			t.Errorf("check: %d %s", r.StatusCode, out)
		}
		r, out = ts.api(t, "GET", "/api/v1/agencies/SKHCN/risks?limit=1", sec, "")
		next := regexp.MustCompile(`"next":"([^"]+)"`).FindStringSubmatch(out)
		if r.StatusCode != 200 || next == nil || strings.Count(out, `"code":"RR-`) != 1 {
			t.Errorf("a page of risks: %d %s", r.StatusCode, out)
		} else if r, out := ts.api(t, "GET", "/api/v1/agencies/SKHCN/risks?limit=1&next="+next[1], sec, ""); r.StatusCode != 200 || strings.Count(out, `"code":"RR-`) != 1 {
			t.Errorf("the next page: %d %s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "GET", "/api/v1/agencies/SKHCN/risks?limit=900", sec, ""); r.StatusCode != 400 {
			t.Errorf("a limit of 900: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/objectives", sec, `{"year":2026,"title":"x","target":1,"frequency":"monthly","owner":"thuky.skhcn@demo.isogov.vn"}`); r.StatusCode != 400 || !strings.Contains(out, "measure") {
			t.Errorf("an objective with no measure: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "GET", "/api/v1/agencies/SKHCN/objectives?year="+strconv.Itoa(today.Year()), sec, ""); r.StatusCode != 200 || strings.Count(out, `"measure"`) != 4 {
			t.Errorf("the demo's objectives: %d %s", r.StatusCode, out)
		}

		// The demo's management review: the live pack, the minutes, the approval.
		r, out = ts.api(t, "GET", "/api/v1/agencies/SKHCN/reviews", sec, "")
		rid := regexp.MustCompile(`"id":(\d+)`).FindStringSubmatch(out)
		if r.StatusCode != 200 || rid == nil {
			t.Fatalf("reviews: %d %s", r.StatusCode, out)
		}
		rbase := "/api/v1/agencies/SKHCN/reviews/" + rid[1]
		if r, out := ts.api(t, "GET", rbase, sec, ""); r.StatusCode != 200 || !strings.Contains(out, `"audits":[{`) || !strings.Contains(out, `"risks":[{`) {
			t.Errorf("the live pack: %d %.500s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "POST", rbase+"/minutes", sec, `{"conclusions":{"audits":"Đạt"},"decisions":"Duy trì"}`); r.StatusCode != 400 || !strings.Contains(out, "conclusion_risks") {
			t.Errorf("minutes without every input: %d %s", r.StatusCode, out)
		}
		var concl []string
		for _, k := range []string{"previous_actions", "changes", "feedback", "objectives", "processes", "nonconformities", "audits", "risks", "improvement"} {
			concl = append(concl, `"`+k+`":"Đã xem xét"`)
		}
		if r, out := ts.api(t, "POST", rbase+"/minutes", sec, `{"conclusions":{`+strings.Join(concl, ",")+`},"decisions":"Duy trì HTQLCL; số hoá sổ theo dõi"}`); r.StatusCode != 200 || !strings.Contains(out, `"state":"held"`) || !strings.Contains(out, `"pack":{`) {
			t.Fatalf("minutes: %d %.300s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "POST", rbase+"/approve", sec, ""); r.StatusCode != 403 {
			t.Errorf("the secretary approves: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "POST", rbase+"/approve", leader, ""); r.StatusCode != 200 || !strings.Contains(out, `"state":"approved"`) {
			t.Errorf("approve: %d %s", r.StatusCode, out)
		}

		// The pages.
		cookie := ts.session(t, "thuky.skhcn@demo.isogov.vn")
		page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/audits/"+strconv.FormatInt(audit.ID, 10)+"/report", cookie, "", "").Body)
		if !strings.Contains(page, "BÁO CÁO ĐÁNH GIÁ NỘI BỘ") || !strings.Contains(page, "Hồ sơ trả kết quả không ký nhận") || !strings.Contains(page, "Nghệ An") {
			t.Errorf("the report page: %.300s", page)
		}
		resp := ts.do(t, "GET", "/agencies/SKHCN/audits/"+strconv.FormatInt(audit.ID, 10)+"/report.pdf", cookie, "", "")
		if pdf := readAll(t, resp.Body); resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("the PDF: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for path, want := range map[string]string{
			"/agencies/SKHCN/audits":            audit.Code,
			"/agencies/SKHCN/risks":             "Mất dữ liệu",
			"/agencies/SKHCN/objectives":        "Không quá 2 phản ánh",
			"/agencies/SKHCN/reviews/" + rid[1]: "Duy trì HTQLCL",
		} {
			if page := readAll(t, ts.do(t, "GET", path, cookie, "", "").Body); !strings.Contains(page, want) {
				t.Errorf("%s does not show %q", path, want)
			}
		}
		for path, want := range map[string]string{
			"/agencies/SKHCN/audits/export?year=" + strconv.Itoa(today.Year()):     audit.Code,
			"/agencies/SKHCN/risks/export":                                         "Mất dữ liệu",
			"/agencies/SKHCN/objectives/export?year=" + strconv.Itoa(today.Year()): "Không quá 2 phản ánh",
			"/agencies/SKHCN/reviews/export":                                       "Duy trì HTQLCL",
		} {
			if csv := readAll(t, ts.do(t, "GET", path, cookie, "", "").Body); !strings.Contains(csv, want) {
				t.Errorf("%s: no %q", path, want)
			}
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/audits", cookie, "application/x-www-form-urlencoded", form("title", "Đánh giá", "clauses", "7.5", "units", "QLKH",
			"starts_on", start, "ends_on", start, "lead", "danhgia@demo.isogov.vn", "lead_unit", "QLKH"))
		if page := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(page, "không được đánh giá đơn vị QLKH") {
			t.Errorf("the form's independence message: %d", resp.StatusCode)
		}
		dash := readAll(t, ts.do(t, "GET", "/programmes", ts.session(t, "dieuphoi@demo.isogov.vn"), "", "").Body)
		if !strings.Contains(dash, "loop-gaps") || !strings.Contains(dash, "/agencies/SNV/audits") {
			t.Error("the province dashboard does not warn of agencies without an audit")
		}
		if strings.Contains(dash, "/agencies/SKHCN/audits") {
			t.Error("SKHCN held its audit and review this year: no warning")
		}
	})
}
