package main

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/testdb"
)

var pdfBytes = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func multipartBody(t *testing.T, field, name string, content []byte) (string, *bytes.Buffer) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	return mw.FormDataContentType(), &b
}

// The programme through the API and the UI on every database: the dashboard and its filters,
// a secretary recording a step with an uploaded file, the coordinator seeing the progress, a
// committee change reaching the coordinator's inbox.
func TestProgrammeHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		coord := bearer(t, ts, "dieuphoi@demo.isogov.vn")
		sec := bearer(t, ts, "thuky.skhcn@demo.isogov.vn")
		staff := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")

		_, body := ts.api(t, "GET", "/api/v1/programmes/KH37-2012/dashboard?group=first_time", coord, "")
		var dash struct {
			Agencies int `json:"agencies"`
			Rows     []struct {
				Agency   string `json:"agency"`
				Progress struct {
					Done    int `json:"done"`
					Percent int `json:"percent"`
				} `json:"progress"`
			} `json:"rows"`
		}
		if err := json.Unmarshal([]byte(body), &dash); err != nil || dash.Agencies != 56 || len(dash.Rows) != 14 {
			t.Fatalf("first-time group: %d of %d (%v) %.200s", len(dash.Rows), dash.Agencies, err, body)
		}
		for _, c := range []struct {
			path, token string
			status      int
			want        string
		}{
			{"/api/v1/programmes", staff, 200, `"code":"KH37-2012"`},
			{"/api/v1/programmes/ISO2015", staff, 200, `"agency":"SKHCN","group":"convert"`},
			{"/api/v1/programmes/ISO2015/dashboard?status=late", coord, 200, `"rows":[`},
			{"/api/v1/programmes/ISO2015/dashboard?group=everyone", coord, 400, `"field":"group"`},
			{"/api/v1/programmes/NOPE/dashboard", coord, 404, "not_found"},
			{"/api/v1/programmes/ISO2015/dashboard", staff, 403, "forbidden"},
			{"/api/v1/step-templates?regime=announcement", staff, 200, `"code":"A4.2"`},
			{"/api/v1/step-templates?regime=royal", staff, 400, `"field":"regime"`},
			{"/api/v1/agencies/SNV/tracks", staff, 403, "forbidden"},
			{"/api/v1/committee-notifications", coord, 200, `"agency":"SKHCN"`},
		} {
			resp, body := ts.api(t, "GET", c.path, c.token, "")
			if resp.StatusCode != c.status || !strings.Contains(body, c.want) {
				t.Errorf("GET %s: %d %.200s", c.path, resp.StatusCode, body)
			}
		}

		// SKHCN's current track: find A3.1 (no evidence needed) and A3.2 (evidence needed).
		_, body = ts.api(t, "GET", "/api/v1/agencies/SKHCN/tracks", staff, "")
		var tracks struct {
			Items []struct {
				Programme string `json:"programme"`
				Progress  struct {
					Done int `json:"done"`
				} `json:"progress"`
				Steps []struct {
					ID     int64  `json:"id"`
					Code   string `json:"code"`
					Status string `json:"status"`
				} `json:"steps"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &tracks); err != nil || len(tracks.Items) != 2 {
			t.Fatalf("tracks: %v %.200s", err, body)
		}
		track := tracks.Items[0]
		if track.Programme != "ISO2015" {
			track = tracks.Items[1]
		}
		stepID := map[string]int64{}
		for _, s := range track.Steps {
			stepID[s.Code] = s.ID
		}
		a32 := itoa(stepID["A3.2"])
		if resp, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/steps/"+a32+"/update", sec, `{"status":"done"}`); resp.StatusCode != 400 || !strings.Contains(body, "minh chứng") {
			t.Errorf("done without evidence: %d %s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "POST", "/api/v1/agencies/SKHCN/steps/"+a32+"/update", staff, `{"status":"done"}`); resp.StatusCode != 403 {
			t.Errorf("staff updating: %d", resp.StatusCode)
		}
		ctype, mp := multipartBody(t, "file", "bao-cao-danh-gia.exe", []byte("MZ\x90\x00 not a document"))
		if resp, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/steps/"+a32+"/evidence", sec, mp.String(), "Content-Type", ctype); resp.StatusCode != 400 || !strings.Contains(body, `"field":"file"`) {
			t.Errorf("an executable: %d %s", resp.StatusCode, body)
		}
		ctype, mp = multipartBody(t, "file", "bao-cao-danh-gia.pdf", pdfBytes)
		resp, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/steps/"+a32+"/evidence", sec, mp.String(), "Content-Type", ctype)
		if resp.StatusCode != 201 || !strings.Contains(body, `"file_type":"application/pdf"`) {
			t.Fatalf("PDF upload: %d %s", resp.StatusCode, body)
		}
		var ev struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &ev)
		if resp, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/steps/"+a32+"/update", sec, `{"status":"done","owner":"Phạm Thị Bình"}`); resp.StatusCode != 200 || !strings.Contains(body, `"status":"done"`) {
			t.Fatalf("done with evidence: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/evidence/"+itoa(ev.ID), staff, ""); resp.StatusCode != 200 || body != string(pdfBytes) || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("download: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if resp, _ := ts.api(t, "GET", "/api/v1/agencies/SKHCN/evidence/"+itoa(ev.ID), bearer(t, ts, "thuky.snv@demo.isogov.vn"), ""); resp.StatusCode != 403 {
			t.Errorf("another agency downloading: %d", resp.StatusCode)
		}
		_, body = ts.api(t, "GET", "/api/v1/agencies/SKHCN/tracks", staff, "")
		if !strings.Contains(body, `"done":`+itoa(int64(track.Progress.Done+1))) {
			t.Errorf("progress did not move from %d: %.300s", track.Progress.Done, body)
		}

		// A new composition without a head is refused; with one it is kept, and once notified
		// it reaches the coordinator's inbox with the difference.
		if resp, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/committees", sec, `{"decision_no":"50/QĐ-SKHCN","decision_date":"2026-11-02","members":[{"name":"Phạm Thị Bình","role":"secretary"}]}`); resp.StatusCode != 400 || !strings.Contains(body, "Trưởng ban") {
			t.Errorf("no head: %d %s", resp.StatusCode, body)
		}
		resp, body = ts.api(t, "POST", "/api/v1/agencies/SKHCN/committees", sec, `{"decision_no":"50/QĐ-SKHCN","decision_date":"2026-11-02","members":[
			{"name":"Nguyễn Văn An","position":"Giám đốc Sở","role":"head"},{"name":"Phạm Thị Bình","role":"secretary"},{"name":"Đỗ Minh Khoa","role":"member"}]}`)
		var comp struct{ ID int64 }
		if err := json.Unmarshal([]byte(body), &comp); err != nil || resp.StatusCode != 201 {
			t.Fatalf("composition: %d %s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "POST", "/api/v1/agencies/SKHCN/committees/"+itoa(comp.ID)+"/notify", sec, ""); resp.StatusCode != 204 {
			t.Fatalf("notify: %d", resp.StatusCode)
		}
		rules := "/api/v1/agencies/SKHCN/committees/" + itoa(comp.ID) + "/rules"
		if resp, _ := ts.api(t, "GET", rules, staff, ""); resp.StatusCode != 404 {
			t.Errorf("rules before any upload: %d", resp.StatusCode)
		}
		ctype, mp = multipartBody(t, "rules_file", "quy-che.pdf", []byte("<html>not a pdf</html>"))
		if resp, body := ts.api(t, "POST", rules, sec, mp.String(), "Content-Type", ctype); resp.StatusCode != 400 || !strings.Contains(body, `"field":"rules_file"`) {
			t.Errorf("rules of a forbidden type: %d %s", resp.StatusCode, body)
		}
		ctype, mp = multipartBody(t, "rules_file", "Quy chế hoạt động.pdf", pdfBytes)
		if resp, _ := ts.api(t, "POST", rules, staff, mp.String(), "Content-Type", ctype); resp.StatusCode != 403 {
			t.Errorf("staff uploading the rules: %d", resp.StatusCode)
		}
		if resp, body := ts.api(t, "POST", rules, sec, mp.String(), "Content-Type", ctype); resp.StatusCode != 200 || !strings.Contains(body, `"rules_file":{"sha256":`) {
			t.Errorf("rules upload: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "GET", rules, staff, ""); resp.StatusCode != 200 || body != string(pdfBytes) || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("rules download: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		_, body = ts.api(t, "GET", "/api/v1/committee-notifications?limit=1", coord, "")
		if !strings.Contains(body, `"decision_no":"50/QĐ-SKHCN"`) || !strings.Contains(body, `{"name":"Đỗ Minh Khoa","to":"member"}`) || !strings.Contains(body, `"previous_decision":"42/QĐ-SKHCN"`) {
			t.Errorf("inbox: %s", body)
		}

		// Certificates and announcements: the demo's Forest Protection certificate is due for
		// surveillance; an announcement is added through the API and shown on the agency's page.
		if resp, body := ts.api(t, "GET", "/api/v1/agencies/CCKL/recognitions", coord, ""); resp.StatusCode != 200 || !strings.Contains(body, `"number":"HT 2468.24"`) {
			t.Errorf("CCKL recognitions: %d %.200s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/recognitions", sec, `{"kind":"certificate","number":"X","edition":"2015","scope":"TTHC","issued_on":"2024-01-01"}`); resp.StatusCode != 400 || !strings.Contains(body, `"field":"body"`) {
			t.Errorf("certificate without a body: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/recognitions", sec, `{"kind":"announcement","number":"130/QĐ-SKHCN","edition":"TCVN ISO 9001:2015","scope":"Mở rộng sang TTHC lĩnh vực sở hữu trí tuệ","issued_on":"2026-11-02","notified_on":"2026-11-05"}`); resp.StatusCode != 201 || !strings.Contains(body, `"status":"valid"`) {
			t.Errorf("announcement: %d %s", resp.StatusCode, body)
		}
		if resp := ts.do(t, "GET", "/agencies/SKHCN/recognitions", ts.session(t, "chuyenvien.skhcn@demo.isogov.vn"), "", ""); !strings.Contains(readAll(t, resp.Body), "Đã được thay thế") {
			t.Error("the earlier announcement is not shown as superseded")
		}

		// Training: the demo's auditor course gives SKHCN two trained internal auditors.
		if resp, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/training", staff, ""); resp.StatusCode != 200 || !strings.Contains(body, `"auditors":[{`) || strings.Count(body, `"result":"passed"`) < 4 {
			t.Errorf("SKHCN training: %d %.300s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "POST", "/api/v1/training-sessions", sec, `{"course":"DGNB","organiser":"dost","starts_on":"2026-03-01"}`); resp.StatusCode != 403 {
			t.Errorf("a secretary recording a DOST session: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "POST", "/api/v1/training-sessions", sec, `{"course":"VTL","organiser":"agency","agency":"SKHCN","starts_on":"2026-03-01"}`); resp.StatusCode != 201 {
			t.Errorf("the agency's own session: %d %s", resp.StatusCode, body)
		}
		staffCookie := ts.session(t, "chuyenvien.skhcn@demo.isogov.vn")
		for path, want := range map[string]string{"/training": "Nhận thức về TCVN ISO 9001:2015", "/agencies/SKHCN/training": "Chuyên gia đánh giá nội bộ đã được đào tạo (2)"} {
			if resp := ts.do(t, "GET", path, staffCookie, "", ""); !strings.Contains(readAll(t, resp.Body), want) {
				t.Errorf("GET %s lacks %q", path, want)
			}
		}

		// Consultancies: the register through the API, an engagement refused for an unregistered
		// organisation, the understaffed consultancy flagged in the UI.
		if resp, body := ts.api(t, "GET", "/api/v1/organisations", staff, ""); resp.StatusCode != 200 || !strings.Contains(body, `"code":"TVNHO"`) || !strings.Contains(body, `"understaffed":true`) {
			t.Errorf("register: %d %.300s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/engagements", sec, `{"organisation":"NOPE","contract_no":"1","signed_on":"2026-01-01","starts_on":"2026-01-02","ends_on":"2026-06-30","value_vnd":30000000,"scope":"Tư vấn"}`); resp.StatusCode != 400 || !strings.Contains(body, "sổ đăng ký") {
			t.Errorf("unregistered consultancy: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/engagements", sec, `{"organisation":"TVCL","contract_no":"2/2026/HĐTV","signed_on":"2026-01-01","starts_on":"2026-01-02","ends_on":"2026-06-30","value_vnd":30000000,"scope":"Tư vấn mở rộng"}`); resp.StatusCode != 201 {
			t.Errorf("engagement: %d %s", resp.StatusCode, body)
		}
		if resp := ts.do(t, "GET", "/organisations", staffCookie, "", ""); !strings.Contains(readAll(t, resp.Body), "dưới 5") {
			t.Error("the understaffed consultancy is not flagged")
		}

		// The UI: the dashboard, its XLSX export, the step page with an upload form, and an upload.
		cookie := ts.session(t, "dieuphoi@demo.isogov.vn")
		for _, c := range []struct{ path, want string }{
			{"/programmes?programme=KH37-2012&group=first_time", `14 / 56 cơ quan`},
			{"/committees/inbox", "Đỗ Minh Khoa tham gia (Thành viên)"},
			{"/agencies/SKHCN/track", "A3.2"},
		} {
			resp := ts.do(t, "GET", c.path, cookie, "", "")
			if page := readAll(t, resp.Body); resp.StatusCode != 200 || !strings.Contains(page, c.want) {
				t.Errorf("GET %s: %d, want %q", c.path, resp.StatusCode, c.want)
			}
		}
		// The coordinator edits a step template, creates a programme and adds an agency to it.
		_, body = ts.api(t, "GET", "/api/v1/step-templates?regime=announcement", staff, "")
		var tpls struct {
			Items []struct {
				ID   int64  `json:"id"`
				Code string `json:"code"`
			} `json:"items"`
		}
		_ = json.Unmarshal([]byte(body), &tpls)
		a44 := ""
		for _, x := range tpls.Items {
			if x.Code == "A4.4" {
				a44 = itoa(x.ID)
			}
		}
		const formType = "application/x-www-form-urlencoded"
		if resp := ts.do(t, "POST", "/step-templates/"+a44, cookie, formType, form("title", "", "phase", "4")); resp.StatusCode != 400 {
			t.Errorf("empty template title: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", "/step-templates/"+a44, cookie, formType, form("title", "Niêm yết công khai tại trụ sở và trên cổng thông tin", "phase", "4",
			"evidence_required", "1", "evidence_kinds", "file, note")); resp.StatusCode != 303 {
			t.Errorf("template edit: %d", resp.StatusCode)
		}
		if _, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/tracks", staff, ""); !strings.Contains(body, "Niêm yết công khai tại trụ sở") {
			t.Error("the template edit did not reach the agency's track")
		}
		resp = ts.do(t, "POST", "/programmes", cookie, formType, form("code", "KH2027", "name", "Kế hoạch 2027", "year_from", "2027", "year_to", "2026", "edition", "TCVN ISO 9001:2015", "regime", "announcement"))
		if page := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(page, `id="e-year_to"`) {
			t.Errorf("years out of order: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/programmes", cookie, formType, form("code", "KH2027", "name", "Kế hoạch 2027", "year_from", "2027", "year_to", "2027", "edition", "TCVN ISO 9001:2015", "regime", "announcement"))
		if resp.StatusCode != 303 {
			t.Fatalf("create programme: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", "/programmes/KH2027/participants", cookie, formType, form("agency", "NOPE", "group", "convert")); resp.StatusCode != 400 {
			t.Errorf("unknown agency: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", "/programmes/KH2027/participants", cookie, formType, form("agency", "skhcn", "group", "convert")); resp.StatusCode != 303 {
			t.Errorf("add participant: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "GET", "/programmes?programme=KH2027", cookie, "", ""); !strings.Contains(readAll(t, resp.Body), "1 / 1 cơ quan") {
			t.Error("the new programme's dashboard does not show its agency")
		}
		rows := xlsxRows(t, ts.do(t, "GET", "/programmes/export?programme=KH37-2012&group=first_time&format=xlsx", cookie, "", ""), "KH37-2012")
		if len(rows) != 15 || rows[0][3] != "1. Chuẩn bị" {
			t.Errorf("dashboard XLSX: %d rows, header %v", len(rows), rows[0])
		}
		secCookie := ts.session(t, "thuky.skhcn@demo.isogov.vn")
		a33 := itoa(stepID["A3.3"])
		ctype, mp = multipartBody(t, "file", "bien-ban.html", []byte("<html><script>alert(1)</script></html>"))
		req, _ := http.NewRequest("POST", ts.URL+"/agencies/SKHCN/track/steps/"+a33+"/evidence", mp)
		req.Header.Set("Content-Type", ctype)
		req.AddCookie(&http.Cookie{Name: httpkit.SessionCookie, Value: secCookie})
		r2, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page := readAll(t, r2.Body)
		r2.Body.Close()
		if r2.StatusCode != 400 || !strings.Contains(page, `id="e-file"`) || !strings.Contains(page, "Loại tệp không được phép") {
			t.Errorf("HTML upload through the UI: %d", r2.StatusCode)
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/track/steps/"+a33+"/evidence", secCookie, "application/x-www-form-urlencoded", form("note", "Biên bản họp"))
		if resp.StatusCode != 400 { // A3.3 takes a file or a link to the review, not a note
			t.Errorf("a note where none is taken: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/track/steps/"+itoa(stepID["A3.1"])+"/evidence", secCookie, "application/x-www-form-urlencoded", form("note", "Đã áp dụng tại các phòng"))
		if resp.StatusCode != 303 {
			t.Errorf("note through the UI: %d", resp.StatusCode)
		}

		// The committee's operating rules through the UI: a renamed web page is refused next to
		// its field; a PDF is kept and offered for download on the committee page.
		ctype, mp = multipartBody(t, "rules_file", "quy-che.pdf", []byte("<html><script>alert(1)</script></html>"))
		resp = ts.do(t, "POST", "/agencies/SKHCN/committee/"+itoa(comp.ID)+"/rules", secCookie, ctype, mp.String())
		if page := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(page, `id="e-rules-`+itoa(comp.ID)+`"`) || !strings.Contains(page, "Loại tệp không được phép") {
			t.Errorf("HTML rules through the UI: %d", resp.StatusCode)
		}
		ctype, mp = multipartBody(t, "rules_file", "Quy chế 2026.pdf", pdfBytes)
		if resp := ts.do(t, "POST", "/agencies/SKHCN/committee/"+itoa(comp.ID)+"/rules", secCookie, ctype, mp.String()); resp.StatusCode != 303 {
			t.Errorf("rules through the UI: %d", resp.StatusCode)
		}
		page = readAll(t, ts.do(t, "GET", "/agencies/SKHCN/committee", cookie, "", "").Body)
		if !strings.Contains(page, `href="/agencies/SKHCN/committee/`+itoa(comp.ID)+`/rules"`) || !strings.Contains(page, "Quy chế 2026.pdf") {
			t.Error("the committee page does not offer the rules file")
		}
		resp = ts.do(t, "GET", "/agencies/SKHCN/committee/"+itoa(comp.ID)+"/rules", cookie, "", "")
		if body := readAll(t, resp.Body); resp.StatusCode != 200 || body != string(pdfBytes) || !strings.Contains(resp.Header.Get("Content-Disposition"), "quy-che-") {
			t.Errorf("rules download through the UI: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
	})
}
