package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/testdb"
)

// Reports, consolidation and evaluation over the demo through the API and the pages: the
// agency's yearly report opened, written, signed by the leader only, submitted, accepted; the
// province's consolidation shows it; the evaluation ranks the agencies, takes an adjustment
// with its reason and exports.
func TestReportsHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		sec, leader, coord := bearer(t, ts, "thuky.skhcn@demo.isogov.vn"), bearer(t, ts, "lanhdao.skhcn@demo.isogov.vn"), bearer(t, ts, "dieuphoi@demo.isogov.vn")
		year := strconv.Itoa(time.Now().In(time.FixedZone("ICT", 7*3600)).Year())
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/reports", sec, `{"kind":"month","year":`+year+`}`); r.StatusCode != 400 || !strings.Contains(out, "kind") {
			t.Errorf("an unknown kind: %d %s", r.StatusCode, out)
		}
		r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/reports", sec, `{"kind":"year","year":`+year+`}`)
		if r.StatusCode != 201 {
			t.Fatalf("open: %d %s", r.StatusCode, out)
		}
		id := out[strings.Index(out, `"id":`)+5 : strings.Index(out, `,`)]
		base := "/api/v1/agencies/SKHCN/reports/" + id
		if r, out := ts.api(t, "GET", base, sec, ""); r.StatusCode != 200 || !strings.Contains(out, `"audits":[{`) || !strings.Contains(out, `"steps_total":`) {
			t.Errorf("the live report: %d %.300s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "PUT", base+"/text", sec, `{"results":"Duy trì","difficulties":"Thiếu người","proposals":"Tập huấn"}`); r.StatusCode != 200 {
			t.Errorf("text: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "POST", base+"/sign", sec, ""); r.StatusCode != 403 || !strings.Contains(out, "lãnh đạo") {
			t.Errorf("the secretary signs: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "POST", base+"/sign", leader, ""); r.StatusCode != 200 || !strings.Contains(out, `"number":"01/BC-SKHCN"`) {
			t.Fatalf("sign: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "POST", base+"/submit", sec, ""); r.StatusCode != 200 || !strings.Contains(out, `"state":"submitted"`) {
			t.Fatalf("submit: %d %s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "POST", base+"/accept", leader, ""); r.StatusCode != 403 {
			t.Errorf("the agency accepts its own report: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "POST", base+"/accept", coord, ""); r.StatusCode != 200 || !strings.Contains(out, `"state":"accepted"`) {
			t.Fatalf("accept: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "GET", base+"/pdf", sec, ""); r.StatusCode != 200 || !strings.HasPrefix(out, "%PDF-") {
			t.Errorf("the PDF: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "GET", "/api/v1/province-reports?kind=year&year="+year, coord, ""); r.StatusCode != 200 || !strings.Contains(out, `"submitted":1`) ||
			!strings.Contains(out, `"report":"accepted"`) {
			t.Errorf("the consolidation: %d %.300s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "GET", "/api/v1/province-reports?kind=year&year="+year, sec, ""); r.StatusCode != 403 {
			t.Errorf("an agency reads the province's consolidation: %d", r.StatusCode)
		}

		// The evaluation.
		if r, out := ts.api(t, "GET", "/api/v1/evaluations?year="+year, coord, ""); r.StatusCode != 200 || !strings.Contains(out, `"agency":"SKHCN"`) || !strings.Contains(out, `"rank":1`) {
			t.Errorf("the evaluation: %d %.300s", r.StatusCode, out)
		}
		cookie := ts.session(t, "dieuphoi@demo.isogov.vn")
		resp := ts.do(t, "POST", "/evaluations", cookie, "application/x-www-form-urlencoded", form("year", year, "agency", "SKHCN", "criterion", "management_review", "points", "5"))
		if page := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(page, "Hãy ghi lý do điều chỉnh") {
			t.Errorf("an adjustment without a reason: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/evaluations", cookie, "application/x-www-form-urlencoded", form("year", year, "agency", "SKHCN", "criterion", "management_review",
			"points", "5", "reason", "Biên bản họp gửi bổ sung"))
		if resp.StatusCode != 303 {
			t.Fatalf("adjust: %d", resp.StatusCode)
		}
		if page := readAll(t, ts.do(t, "GET", "/evaluations?year="+year, cookie, "", "").Body); !strings.Contains(page, "Biên bản họp gửi bổ sung") {
			t.Error("the adjustment is not shown")
		}
		if csv := readAll(t, ts.do(t, "GET", "/evaluations/export?year="+year, cookie, "", "").Body); !strings.Contains(csv, "Sở Khoa học và Công nghệ") {
			t.Error("the export for Home Affairs")
		}
		if csv := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/reports/export", ts.session(t, "thuky.skhcn@demo.isogov.vn"), "", "").Body); !strings.Contains(csv, "01/BC-SKHCN") {
			t.Error("the agency's reports exported")
		}
		if page := readAll(t, ts.do(t, "GET", "/province-reports?kind=year&year="+year, cookie, "", "").Body); !strings.Contains(page, "Sở KH&amp;CN đã tiếp nhận") {
			t.Error("the consolidation page")
		}

		// The criteria through their form: weights not summing to 100 refused, nothing saved;
		// from next year on, two criteria only; this year keeps the defaults.
		next := strconv.Itoa(time.Now().In(time.FixedZone("ICT", 7*3600)).Year() + 1)
		if page := readAll(t, ts.do(t, "GET", "/evaluation-criteria?year="+year, ts.session(t, "giamsat@demo.isogov.vn"), "", "").Body); !strings.Contains(page, "Ban chỉ đạo") ||
			strings.Contains(page, `action="/evaluation-criteria"`) {
			t.Error("the criteria for the observer")
		}
		resp = ts.do(t, "POST", "/evaluation-criteria", cookie, "application/x-www-form-urlencoded", form("year_from", next, "weight_committee_notified", "50",
			"name_committee_notified", "Ban chỉ đạo", "weight_reports_on_time", "40", "name_reports_on_time", "Báo cáo đúng hạn"))
		if page := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(page, "Tổng trọng số phải bằng 100.") {
			t.Errorf("weights summing to 90: %d", resp.StatusCode)
		}
		if r, out := ts.api(t, "GET", "/api/v1/evaluations?year="+next, coord, ""); !strings.Contains(out, `"criteria_from":0`) {
			t.Errorf("a refused form saved criteria: %d %.200s", r.StatusCode, out)
		}
		resp = ts.do(t, "POST", "/evaluation-criteria", cookie, "application/x-www-form-urlencoded", form("year_from", next, "weight_committee_notified", "60",
			"name_committee_notified", "Ban chỉ đạo", "weight_reports_on_time", "40", "name_reports_on_time", "Báo cáo đúng hạn"))
		if resp.StatusCode != 303 {
			t.Fatalf("save the criteria: %d %s", resp.StatusCode, readAll(t, resp.Body))
		}
		if r, out := ts.api(t, "GET", "/api/v1/evaluations?year="+next, coord, ""); !strings.Contains(out, `"criteria_from":`+next) || strings.Count(out, `"weight":`) != 2 {
			t.Errorf("next year's criteria: %d %.300s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "GET", "/api/v1/evaluations?year="+year, coord, ""); !strings.Contains(out, `"criteria_from":0`) {
			t.Errorf("this year's criteria moved: %d %.200s", r.StatusCode, out)
		}
	})
}

// A budget through the page and the API: an estimate above its cap refused beside its field
// until explained, the province's totals and export, Circular 159/2010 entered for 2013.
func TestBudgetsHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		cookie := ts.session(t, "thuky.skhcn@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"
		resp := ts.do(t, "POST", "/agencies/SKHCN/budgets", cookie, urlenc, form("year", "2026", "e_consultant", "50", "a_consultant", "45", "e_training", "12"))
		if page := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(page, "Vượt mức tối đa 45 triệu đồng") {
			t.Errorf("above the consultant cap: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/budgets", cookie, urlenc, form("year", "2026", "e_consultant", "50", "a_consultant", "45",
			"x_consultant", "Gói tư vấn chuyển đổi và mở rộng", "e_training", "12"))
		if resp.StatusCode != 303 {
			t.Fatalf("save: %d", resp.StatusCode)
		}
		coord := bearer(t, ts, "dieuphoi@demo.isogov.vn")
		if r, out := ts.api(t, "GET", "/api/v1/budgets?year=2026", coord, ""); r.StatusCode != 200 || !strings.Contains(out, `"estimate":62000000`) || !strings.Contains(out, `"actual":45000000`) {
			t.Errorf("the province's budgets: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "GET", "/api/v1/budget-years", coord, ""); r.StatusCode != 200 ||
			!strings.Contains(out, `{"year":2026,"agencies":1,"estimate":62000000,"actual":45000000}`) {
			t.Errorf("the totals by year: %d %s", r.StatusCode, out)
		}
		obs := ts.session(t, "giamsat@demo.isogov.vn")
		if csv := readAll(t, ts.do(t, "GET", "/budgets/export?by=year&format=csv", obs, "", "").Body); !strings.Contains(csv, "2026,1,62000000,45000000") {
			t.Errorf("the totals by year exported: %s", csv)
		}
		// The export links keep the year shown (a query written as text was escaped before).
		if page := readAll(t, ts.do(t, "GET", "/budgets?year=2013", obs, "", "").Body); !strings.Contains(page, `href="/budgets/export?year=2013"`) ||
			!strings.Contains(page, `href="/budgets/export?by=year"`) {
			t.Errorf("the export links: %s", regexpAll(`href="(/budgets/export[^"]*)"`, page))
		}
		if csv := readAll(t, ts.do(t, "GET", "/budgets/export?year=2026", obs, "", "").Body); !strings.Contains(csv, "Gói tư vấn chuyển đổi và mở rộng") {
			t.Error("the export")
		}
		sec := bearer(t, ts, "thuky.skhcn@demo.isogov.vn")
		if r, out := ts.api(t, "PUT", "/api/v1/agencies/SKHCN/budgets/2026", sec, `{"lines":[{"heading":"maintenance","estimate":20000000}]}`); r.StatusCode != 400 || !strings.Contains(out, "line_maintenance") {
			t.Errorf("upkeep above 15 M: %d %s", r.StatusCode, out)
		}
		norm := `{"code":"TT159-2010","name":"Thông tư 159/2010/TT-BTC","effective_from":"2010-11-29","self_build_pct":85,"maintenance":10000000,"inspection":5000000,
			"tiers":{"province":{"consultant_first":50000000},"department":{"consultant_first":40000000},"sub_department":{"consultant_first":30000000},"commune":{"consultant_first":24000000}}}`
		if r, _ := ts.api(t, "PUT", "/api/v1/finance-norms", sec, norm); r.StatusCode != 403 {
			t.Errorf("an agency enters a norm: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "PUT", "/api/v1/finance-norms", coord, norm); r.StatusCode != 200 {
			t.Fatalf("enter Circular 159/2010: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "GET", "/api/v1/agencies/SKHCN/budgets/2013", sec, ""); r.StatusCode != 200 || !strings.Contains(out, `"norm":"TT159-2010"`) {
			t.Errorf("2013's budget: %d %s", r.StatusCode, out)
		}

		// The norms' page: read by an agency (no form), corrected by the coordinator through
		// the form, in million VND; a bad amount is named beside its cell and nothing is saved.
		if page := readAll(t, ts.do(t, "GET", "/finance-norms?code=TT159-2010", cookie, "", "").Body); !strings.Contains(page, "Thông tư 159/2010/TT-BTC") ||
			strings.Contains(page, `action="/finance-norms"`) {
			t.Error("the norms' page for an agency")
		}
		ccookie := ts.session(t, "dieuphoi@demo.isogov.vn")
		page := readAll(t, ts.do(t, "GET", "/finance-norms?code=TT159-2010", ccookie, "", "").Body)
		if !strings.Contains(page, `name="department_consultant_first" inputmode="decimal" size="6" aria-label="Sở, UBND cấp huyện — Tư vấn, xây dựng mới" value="40"`) {
			t.Errorf("the form holds the version asked for: %s", regexpAll(`(name="department_consultant_first"[^>]*)>`, page))
		}
		fields := []string{"code", "TT159-2010", "name", "Thông tư 159/2010/TT-BTC", "effective_from", "2010-11-29", "self_build_pct", "85", "maintenance", "10",
			"inspection", "5"}
		for _, tier := range []string{"province", "department", "sub_department", "commune"} {
			fields = append(fields, tier+"_consultant_first", "42", tier+"_own_first", "20,5", tier+"_per_process", "1,5")
		}
		bad := append(append([]string(nil), fields...), "commune_own_extension", "mười")
		resp = ts.do(t, "POST", "/finance-norms", ccookie, urlenc, form(bad...))
		if page := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(page, `value="mười"><p class="error">`) {
			t.Errorf("a bad amount: %d", resp.StatusCode)
		}
		if r, out := ts.api(t, "GET", "/api/v1/finance-norms", coord, ""); !strings.Contains(out, `"consultant_first":40000000`) {
			t.Errorf("a refused form saved something: %d %.300s", r.StatusCode, out)
		}
		if resp := ts.do(t, "POST", "/finance-norms", cookie, urlenc, form(fields...)); resp.StatusCode != 403 {
			t.Errorf("an agency saves a norm: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", "/finance-norms", ccookie, urlenc, form(fields...)); resp.StatusCode != 303 {
			t.Fatalf("save by the form: %d", resp.StatusCode)
		}
		if r, out := ts.api(t, "GET", "/api/v1/finance-norms", coord, ""); !strings.Contains(out, `"consultant_first":42000000`) || !strings.Contains(out, `"own_first":20500000`) ||
			!strings.Contains(out, `"per_process":1500000`) {
			t.Errorf("the norm saved by the form: %d %.400s", r.StatusCode, out)
		}
	})
}

// Inspections through the pages and the API: the plan with too few agencies on site refused on
// the page, saved and approved through the API, the decision and the minutes on the pages (a
// shortcoming becomes the agency's nonconformity), the agency's corrective report.
func TestInspectionsHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		coord, urlenc := ts.session(t, "dieuphoi@demo.isogov.vn"), "application/x-www-form-urlencoded"
		year := strconv.Itoa(time.Now().In(time.FixedZone("ICT", 7*3600)).Year())
		token := bearer(t, ts, "dieuphoi@demo.isogov.vn")
		r, out := ts.api(t, "GET", "/api/v1/inspection-plans/"+year, token, "")
		if r.StatusCode != 200 {
			t.Fatalf("the plan: %d %s", r.StatusCode, out)
		}
		// The page's form: every agency on paper.
		page := readAll(t, ts.do(t, "GET", "/inspections?year="+year, coord, "", "").Body)
		var kv []string
		for _, m := range regexpAll(`name="agency" value="([A-Z0-9_-]+)"`, page) {
			kv = append(kv, "agency", m, "form_"+m, "paper", "month_"+m, "5")
		}
		if len(kv) < 150 {
			t.Fatalf("the plan's form lists %d agencies", len(kv)/6)
		}
		resp := ts.do(t, "POST", "/inspections", coord, urlenc, form(append([]string{"year", year, "event", "save"}, kv...)...))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, "cần ít nhất") {
			t.Errorf("all on paper: %d %s", resp.StatusCode, regexpAll(`class="error"[^>]*>([^<]*)<`, body))
		}
		bad := append([]string{"year", year, "event", "save", "budget_" + kv[1], "năm triệu"}, kv...)
		resp = ts.do(t, "POST", "/inspections", coord, urlenc, form(bad...))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `value="năm triệu"><p class="error">`) {
			t.Errorf("a budget in words: %d", resp.StatusCode)
		}
		var items []string
		for i := 0; i < len(kv); i += 6 {
			f := "paper"
			if i%18 == 0 || kv[i+1] == "SKHCN" {
				f = "on_site"
			}
			items = append(items, `{"agency":"`+kv[i+1]+`","form":"`+f+`","month":11,"team":"Chi cục TĐC","partner":"Sở Nội vụ","budget":5000000}`)
		}
		if r, out := ts.api(t, "PUT", "/api/v1/inspection-plans/"+year, token, `{"items":[`+strings.Join(items, ",")+`]}`); r.StatusCode != 200 {
			t.Fatalf("save the plan: %d %s", r.StatusCode, out)
		}
		r, out = ts.api(t, "POST", "/api/v1/inspection-plans/"+year+"/approve", token, `{"decision_no":"150/QĐ-UBND","approved_on":"`+year+`-01-20"}`)
		if r.StatusCode != 200 || !strings.Contains(out, `"state":"approved"`) {
			t.Fatalf("approve: %d %s", r.StatusCode, out)
		}
		m := regexpAll(`"id":(\d+),"code":"KT-\d+-\d+","year":\d+,"agency":"SKHCN"`, out)
		if len(m) != 1 {
			t.Fatalf("SKHCN's inspection: %s", out)
		}
		path := "/inspections/" + m[0]
		today := time.Now().In(time.FixedZone("ICT", 7*3600)).Format("2006-01-02")
		if resp := ts.do(t, "POST", path, coord, urlenc, form("event", "decide", "decision_no", "25/QĐ-SKHCN", "decision_on", today, "members", "Nguyễn Văn A; Lê Thị B")); resp.StatusCode != 303 {
			t.Fatalf("decide: %d", resp.StatusCode)
		}
		kv = []string{"event", "minutes", "conclusion", "Cơ bản đạt yêu cầu", "done_on", today}
		for i := 0; i < 10; i++ {
			if i != 4 {
				kv = append(kv, "ok_"+strconv.Itoa(i), "1")
			}
		}
		resp = ts.do(t, "POST", path, coord, urlenc, form(kv...))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, "Hãy ghi tồn tại") {
			t.Errorf("a shortcoming without its description: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", path, coord, urlenc, form(append(kv, "note_4", "Chưa có sổ theo dõi phản ánh")...)); resp.StatusCode != 303 {
			t.Fatalf("minutes: %d", resp.StatusCode)
		}
		sec := ts.session(t, "thuky.skhcn@demo.isogov.vn")
		if body := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/nonconformities?source=inspection", sec, "", "").Body); !strings.Contains(body, "Giải quyết khiếu nại, phản ánh") {
			t.Error("the shortcoming is not in the agency's register")
		}
		if resp := ts.do(t, "GET", path, ts.session(t, "thuky.snv@demo.isogov.vn"), "", ""); resp.StatusCode != 403 {
			t.Errorf("another agency reads the inspection: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", path, sec, urlenc, form("event", "corrective", "corrective", "Đã lập sổ theo dõi phản ánh từ tháng 12")); resp.StatusCode != 303 {
			t.Fatalf("the corrective report: %d", resp.StatusCode)
		}
		if csv := readAll(t, ts.do(t, "GET", "/inspections/export?year="+year, coord, "", "").Body); !strings.Contains(csv, "Đã báo cáo khắc phục") {
			t.Error("the plan exported")
		}
		if body := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/inspections", sec, "", "").Body); !strings.Contains(body, "Đã báo cáo khắc phục") {
			t.Error("the agency's inspections")
		}
		if r, out := ts.api(t, "GET", "/api/v1/province-reports?kind=year&year="+year, token, ""); r.StatusCode != 200 ||
			!regexp.MustCompile(`"agency":"SKHCN"[^}]*"inspection":"corrected"`).MatchString(out) {
			t.Errorf("the year's consolidation shows the inspection: %d %.300s", r.StatusCode, out)
		}
		if csv := readAll(t, ts.do(t, "GET", "/province-reports/export?kind=year&year="+year+"&format=csv", coord, "", "").Body); !strings.Contains(csv, "Kết quả kiểm tra") ||
			!strings.Contains(csv, "1 tồn tại, đã khắc phục") {
			t.Errorf("the yearly consolidation's export lacks the annex: %.400s", csv)
		}
		// The forms as PDFs: the plan (Form 19), the decision (Form 20), the minutes (Form 21);
		// the agency reads its own decision and minutes, not the plan.
		for _, f := range []struct{ path, who string }{{"/inspections/pdf?year=" + year, coord}, {path + "/pdf/decision", sec}, {path + "/pdf/minutes", sec},
			{"/evaluations/pdf?year=" + year, coord}} {
			resp := ts.do(t, "GET", f.path, f.who, "", "")
			if b := readAll(t, resp.Body); resp.StatusCode != 200 || !strings.HasPrefix(b, "%PDF-") || resp.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("%s: %d", f.path, resp.StatusCode)
			}
		}
		if resp := ts.do(t, "GET", "/inspections/pdf?year="+year, sec, "", ""); resp.StatusCode != 403 {
			t.Errorf("an agency reads the province's plan: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "GET", path+"/pdf/minutes", ts.session(t, "thuky.snv@demo.isogov.vn"), "", ""); resp.StatusCode != 403 {
			t.Errorf("another agency reads the minutes: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "GET", path+"/pdf/letter", coord, "", ""); resp.StatusCode != 404 {
			t.Errorf("an unknown form: %d", resp.StatusCode)
		}
		if r, out := ts.api(t, "GET", "/api/v1/inspections/"+m[0]+"/pdf/minutes", token, ""); r.StatusCode != 200 || !strings.HasPrefix(out, "%PDF-") {
			t.Errorf("the minutes through the API: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "GET", "/api/v1/inspection-plans/"+year+"/pdf", token, ""); r.StatusCode != 200 || !strings.HasPrefix(out, "%PDF-") {
			t.Errorf("the plan through the API: %d", r.StatusCode)
		}
	})
}

func regexpAll(pattern, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// The inbox and the queue's page: the sweep's notification in the auditor's inbox, opened (it
// becomes read and leads to its page), the preferences saved; the queue's page for
// administrators only.
func TestInboxHTTP(t *testing.T) {
	ts := newTestServer(t, testdb.Open(t, "sqlite"))
	if _, err := ts.svc.FanOut(ctx, "report_due", "Nhắc gửi báo cáo năm", "/agencies/SKHCN/reports", 20); err != nil {
		t.Fatal(err)
	}
	cookie, urlenc := ts.session(t, "danhgia@demo.isogov.vn"), "application/x-www-form-urlencoded"
	page := readAll(t, ts.do(t, "GET", "/inbox", cookie, "", "").Body)
	ids := regexpAll(`name="id" value="(\d+)"><input type="hidden" name="go" value="/agencies/SKHCN/reports"`, page)
	if len(ids) == 0 || !strings.Contains(page, "Nhắc gửi báo cáo năm") {
		t.Fatalf("the inbox: %.500s", page)
	}
	resp := ts.do(t, "POST", "/inbox", cookie, urlenc, form("event", "read", "id", ids[0], "go", "/agencies/SKHCN/reports"))
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/agencies/SKHCN/reports" {
		t.Errorf("open a notification: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := ts.do(t, "POST", "/inbox", cookie, urlenc, form("event", "read", "id", "0", "go", "//evil.example")); resp.Header.Get("Location") != "/inbox" {
		t.Errorf("an outside address followed: %s", resp.Header.Get("Location"))
	}
	if resp := ts.do(t, "POST", "/inbox", cookie, urlenc, form("event", "prefs", "email_action_due", "1")); resp.StatusCode != 303 {
		t.Errorf("preferences: %d", resp.StatusCode)
	}
	token := bearer(t, ts, "danhgia@demo.isogov.vn")
	if r, out := ts.api(t, "GET", "/api/v1/me/notification-prefs", token, ""); r.StatusCode != 200 || !strings.Contains(out, `"audit_coming"`) || !strings.Contains(out, `"digest":false`) {
		t.Errorf("the preferences through the API: %d %s", r.StatusCode, out)
	}
	if resp := ts.do(t, "GET", "/admin/mail", cookie, "", ""); resp.StatusCode != 403 {
		t.Errorf("an auditor reads the queue: %d", resp.StatusCode)
	}
	if page := readAll(t, ts.do(t, "GET", "/admin/mail", ts.session(t, "quantri@demo.isogov.vn"), "", "").Body); !strings.Contains(page, "Hàng đợi thư điện tử") {
		t.Error("the queue's page")
	}
}

// The province's consolidated report as a document: opened by the Department's coordinator,
// written, signed by the Department's leader only (the table frozen, numbered in the
// Department's register after its own report), submitted to the People's Committee and the
// Ministry; the PDF carries the number and the signer; the pages offer each step to whom it
// belongs.
func TestProvinceReportHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		sec, leader, coord, observer := bearer(t, ts, "thuky.skhcn@demo.isogov.vn"), bearer(t, ts, "lanhdao.skhcn@demo.isogov.vn"),
			bearer(t, ts, "dieuphoi@demo.isogov.vn"), bearer(t, ts, "giamsat@demo.isogov.vn")
		otherLeader := bearer(t, ts, "thuky.sngv@demo.isogov.vn")
		year := strconv.Itoa(time.Now().In(time.FixedZone("ICT", 7*3600)).Year())
		base := "/api/v1/province-reports/year/" + year
		// The Department's own report takes the first number of its register.
		r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/reports", sec, `{"kind":"year","year":`+year+`}`)
		if r.StatusCode != 201 {
			t.Fatalf("open the Department's report: %d %s", r.StatusCode, out)
		}
		id := out[strings.Index(out, `"id":`)+5 : strings.Index(out, `,`)]
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/reports/"+id+"/sign", leader, ""); r.StatusCode != 200 || !strings.Contains(out, `"number":"01/BC-SKHCN"`) {
			t.Fatalf("sign the Department's report: %d %s", r.StatusCode, out)
		}

		if r, out := ts.api(t, "GET", "/api/v1/province-reports?kind=year&year="+year, leader, ""); r.StatusCode != 200 || !strings.Contains(out, `"document":null`) ||
			!strings.Contains(out, `"frozen":false`) {
			t.Errorf("the Department's leader reads the live consolidation: %d %.200s", r.StatusCode, out)
		}
		// The yearly table's consultants: SNGV's engagement ran in 2025 only.
		withConsultant := regexp.MustCompile(`"agency":"SNGV"[^}]*"consultants":\["[^"]+"\]`)
		if _, out := ts.api(t, "GET", "/api/v1/province-reports?kind=year&year=2025", coord, ""); !withConsultant.MatchString(out) {
			t.Errorf("2025's consultants: %.300s", out[strings.Index(out, `"agency":"SNGV"`):])
		}
		if _, out := ts.api(t, "GET", "/api/v1/province-reports?kind=year&year="+year, coord, ""); withConsultant.MatchString(out) {
			t.Error("a consultant of 2025 in this year's table")
		}
		if r, _ := ts.api(t, "GET", "/api/v1/province-reports?kind=year&year="+year, otherLeader, ""); r.StatusCode != 403 {
			t.Errorf("another agency reads the province's report: %d", r.StatusCode)
		}
		if r, _ := ts.api(t, "POST", base+"/open", leader, ""); r.StatusCode != 403 {
			t.Errorf("the leader opens the draft: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "POST", "/api/v1/province-reports/quarter/"+year+"/open", coord, ""); r.StatusCode != 400 || !strings.Contains(out, "kind") {
			t.Errorf("an unknown kind: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "POST", base+"/open", coord, ""); r.StatusCode != 201 || !strings.Contains(out, `"state":"draft"`) {
			t.Fatalf("open: %d %s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "POST", base+"/open", coord, ""); r.StatusCode != 409 {
			t.Errorf("opened twice: %d", r.StatusCode)
		}
		if r, _ := ts.api(t, "POST", base+"/text", observer, `{"results":"x"}`); r.StatusCode != 403 {
			t.Errorf("the observer writes: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "POST", base+"/text", coord, `{"results":"Các cơ quan duy trì hệ thống","difficulties":"Cấp xã thiếu nhân lực","proposals":"Bố trí kinh phí"}`); r.StatusCode != 200 ||
			!strings.Contains(out, "Cấp xã thiếu nhân lực") {
			t.Fatalf("text: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "POST", base+"/submit", coord, `{"to":["Ủy ban nhân dân tỉnh"]}`); r.StatusCode != 409 {
			t.Errorf("a draft submitted: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "POST", base+"/sign", coord, ""); r.StatusCode != 403 || !strings.Contains(out, "Chỉ lãnh đạo Sở Khoa học và Công nghệ") {
			t.Errorf("the coordinator signs: %d %s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "POST", base+"/sign", otherLeader, ""); r.StatusCode != 403 {
			t.Errorf("another agency's secretary signs: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "POST", base+"/sign", leader, ""); r.StatusCode != 200 || !strings.Contains(out, `"number":"02/BC-SKHCN"`) {
			t.Fatalf("sign: %d %s", r.StatusCode, out)
		}
		_, before := ts.api(t, "GET", "/api/v1/province-reports?kind=year&year="+year, coord, "")
		if !strings.Contains(before, `"frozen":true`) || !strings.Contains(before, `"state":"signed"`) {
			t.Fatalf("the signed report: %.300s", before)
		}
		// Frozen: a nonconformity reported now does not move the signed table.
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/nonconformities", sec, `{"title":"Thiếu hồ sơ","description":"x","source":"self_reported"}`); r.StatusCode != 201 {
			t.Fatalf("a nonconformity: %d %s", r.StatusCode, out)
		}
		if _, after := ts.api(t, "GET", "/api/v1/province-reports?kind=year&year="+year, coord, ""); after != before {
			t.Error("the signed table moved")
		}
		if r, out := ts.api(t, "POST", base+"/text", coord, `{"results":"khác"}`); r.StatusCode != 409 {
			t.Errorf("a signed report edited: %d %s", r.StatusCode, out)
		}
		// The leader withdraws his signature to correct it, and signs again: the same number,
		// the figures of now.
		if r, _ := ts.api(t, "POST", base+"/reopen", coord, ""); r.StatusCode != 403 {
			t.Errorf("the coordinator reopens: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "POST", base+"/reopen", leader, ""); r.StatusCode != 200 || !strings.Contains(out, `"state":"draft"`) {
			t.Fatalf("reopen: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "POST", base+"/sign", leader, ""); r.StatusCode != 200 || !strings.Contains(out, `"number":"02/BC-SKHCN"`) {
			t.Fatalf("signed again: %d %s", r.StatusCode, out)
		}
		if _, again := ts.api(t, "GET", "/api/v1/province-reports?kind=year&year="+year, coord, ""); again == before {
			t.Error("signed again, the table still the old one")
		}
		for _, bad := range []string{`{}`, `{"to":[]}`, `{"to":["Bộ Tài chính"]}`} {
			if r, out := ts.api(t, "POST", base+"/submit", coord, bad); r.StatusCode != 400 || !strings.Contains(out, `"to"`) {
				t.Errorf("submitted to %s: %d %s", bad, r.StatusCode, out)
			}
		}
		if r, out := ts.api(t, "POST", base+"/submit", coord, `{"to":["Ủy ban nhân dân tỉnh","Bộ Khoa học và Công nghệ"]}`); r.StatusCode != 200 ||
			!strings.Contains(out, `"state":"submitted"`) || !strings.Contains(out, `"submitted_to":["Ủy ban nhân dân tỉnh","Bộ Khoa học và Công nghệ"]`) {
			t.Fatalf("submit: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "GET", "/api/v1/province-report-documents", observer, ""); r.StatusCode != 200 || !strings.Contains(out, `"number":"02/BC-SKHCN"`) {
			t.Errorf("the documents listed: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "GET", base+"/pdf", leader, ""); r.StatusCode != 200 || !strings.HasPrefix(out, "%PDF-") {
			t.Errorf("the PDF: %d", r.StatusCode)
		}
		// The pages: the journal keeps every step; the page shows the document.
		cookie := ts.session(t, "dieuphoi@demo.isogov.vn")
		page := readAll(t, ts.do(t, "GET", "/province-reports?kind=year&year="+year, cookie, "", "").Body)
		for _, want := range []string{"02/BC-SKHCN", "Cấp xã thiếu nhân lực", "Ủy ban nhân dân tỉnh; Bộ Khoa học và Công nghệ", "Các báo cáo tổng hợp đã lập"} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if journal := readAll(t, ts.do(t, "GET", "/journal", cookie, "", "").Body); !strings.Contains(journal, "Ký báo cáo tổng hợp") {
			t.Error("the signature is not in the province's journal")
		}
		// The half-year's document through the form: opened, a refusal shown on the form.
		resp := ts.do(t, "POST", "/province-reports", cookie, "application/x-www-form-urlencoded", form("event", "open", "kind", "half", "year", year))
		if resp.StatusCode != 303 {
			t.Fatalf("open by the form: %d", resp.StatusCode)
		}
		lcookie := ts.session(t, "lanhdao.skhcn@demo.isogov.vn")
		page = readAll(t, ts.do(t, "GET", "/province-reports?kind=half&year="+year, lcookie, "", "").Body)
		if !strings.Contains(page, `href="/province-reports/pdf?kind=half&amp;year=`+year+`"`) || !strings.Contains(page, `href="/province-reports/export?kind=half&amp;year=`+year+`&amp;format=xlsx"`) {
			t.Errorf("the half-year's links: %s", regexpAll(`href="(/province-reports/[^"]*)"`, page))
		}
		if !strings.Contains(page, `value="sign"`) || strings.Contains(page, `name="results"`) {
			t.Error("the leader is offered the signature and not the text")
		}
		if page = readAll(t, ts.do(t, "GET", "/province-reports?kind=half&year="+year, cookie, "", "").Body); strings.Contains(page, `value="sign"`) ||
			!strings.Contains(page, `name="results"`) {
			t.Error("the coordinator is offered the text and not the signature")
		}
		resp = ts.do(t, "POST", "/province-reports", cookie, "application/x-www-form-urlencoded", form("event", "sign", "kind", "half", "year", year))
		if page := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(page, "Chỉ lãnh đạo Sở Khoa học và Công nghệ") {
			t.Errorf("the coordinator signs by the form: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/province-reports", lcookie, "application/x-www-form-urlencoded", form("event", "sign", "kind", "half", "year", year))
		if resp.StatusCode != 303 {
			t.Errorf("the leader signs by the form: %d", resp.StatusCode)
		}

		// The schedules' page: a bad day named beside its field; a new deadline from next year.
		next := strconv.Itoa(time.Now().In(time.FixedZone("ICT", 7*3600)).Year() + 1)
		resp = ts.do(t, "POST", "/report-schedules", cookie, "application/x-www-form-urlencoded", form("kind", "year", "year_from", next, "due_day", "31",
			"due_month", "11", "close_days", "30"))
		if page := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(page, `<p class="error">Hạn gửi phải là một ngày có trong mọi năm`) {
			t.Errorf("31 November: %d %s", resp.StatusCode, regexpAll(`class="error"[^>]*>([^<]*)<`, page))
		}
		resp = ts.do(t, "POST", "/report-schedules", cookie, "application/x-www-form-urlencoded", form("kind", "year", "year_from", next, "due_day", "5",
			"due_month", "12", "close_days", "30"))
		if resp.StatusCode != 303 {
			t.Fatalf("a new schedule: %d", resp.StatusCode)
		}
		if r, out := ts.api(t, "GET", "/api/v1/report-schedules?year="+next, sec, ""); r.StatusCode != 200 ||
			!strings.Contains(out, `{"kind":"year","year_from":`+next+`,"due_month":12,"due_day":5,"close_days":30}`) {
			t.Errorf("next year's schedule: %d %s", r.StatusCode, out)
		}
		if page := readAll(t, ts.do(t, "GET", "/report-schedules?year="+next, ts.session(t, "thuky.skhcn@demo.isogov.vn"), "", "").Body); !strings.Contains(page, "05/12") ||
			strings.Contains(page, `action="/report-schedules" class="card"`) {
			t.Error("the schedules' page for an agency")
		}
		if r, _ := ts.api(t, "PUT", "/api/v1/report-schedules", sec, `{"kind":"year","year_from":2030,"due_month":12,"due_day":1,"close_days":10}`); r.StatusCode != 403 {
			t.Errorf("an agency sets a schedule: %d", r.StatusCode)
		}
	})
}
