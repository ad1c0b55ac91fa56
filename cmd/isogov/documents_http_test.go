package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
)

// Document types and the clause trees through the API and the UI, on every database.
func TestDocTypesHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		coord := bearer(t, ts, "dieuphoi@demo.isogov.vn")
		sec := bearer(t, ts, "thuky.skhcn@demo.isogov.vn")
		staff := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")

		if resp, body := ts.api(t, "GET", "/api/v1/document-types", staff, ""); resp.StatusCode != 200 || !strings.Contains(body, `"code":"procedure","name_vi":"Quy trình hệ thống","name_en":"System procedure","code_pattern":"QT-##"`) {
			t.Errorf("types: %d %.300s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "PATCH", "/api/v1/document-types/procedure", sec, `{"review_months":6}`); resp.StatusCode != 403 {
			t.Errorf("a secretary changing a type: %d", resp.StatusCode)
		}
		if resp, body := ts.api(t, "PATCH", "/api/v1/document-types/procedure", coord, `{"code_pattern":"QT-01"}`); resp.StatusCode != 400 || !strings.Contains(body, `"field":"code_pattern"`) {
			t.Errorf("a pattern without #: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "PATCH", "/api/v1/document-types/procedure", coord, `{"review_months":6}`); resp.StatusCode != 200 || !strings.Contains(body, `"review_months":6`) || !strings.Contains(body, `"comment_round":true`) {
			t.Errorf("partial change: %d %s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "PATCH", "/api/v1/document-types/nope", coord, `{"review_months":6}`); resp.StatusCode != 404 {
			t.Errorf("unknown type: %d", resp.StatusCode)
		}
		plan := `{"code":"plan","name_vi":"Kế hoạch","code_pattern":"KH-##","review_months":12,"retain_years":3}`
		if resp, body := ts.api(t, "POST", "/api/v1/document-types", coord, plan); resp.StatusCode != 201 || !strings.Contains(body, `"approver":"leader"`) {
			t.Errorf("new type: %d %s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "POST", "/api/v1/document-types", coord, plan); resp.StatusCode != 409 {
			t.Errorf("the same code again: %d", resp.StatusCode)
		}
		if resp, body := ts.api(t, "GET", "/api/v1/clauses/2008", staff, ""); resp.StatusCode != 200 || !strings.Contains(body, `{"no":"8.5.3","vi":"Hành động phòng ngừa","en":"Preventive action","depth":3,"to_2015":["6.1"]}`) || !strings.Contains(body, `"mandatory_procedures"`) {
			t.Errorf("2008 clauses: %d %.300s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "GET", "/api/v1/clauses/TCVN%20ISO%209001:2015", staff, ""); resp.StatusCode != 200 || !strings.Contains(body, `"no":"10.3"`) || strings.Contains(body, "to_2015") {
			t.Errorf("2015 clauses: %d %.300s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "GET", "/api/v1/clauses/1994", staff, ""); resp.StatusCode != 404 {
			t.Errorf("an unknown edition: %d", resp.StatusCode)
		}

		// The UI: everyone reads the list; the coordinator edits, and a bad pattern comes back
		// next to its field with the rest of the form kept.
		staffCookie, coordCookie := ts.session(t, "chuyenvien.skhcn@demo.isogov.vn"), ts.session(t, "dieuphoi@demo.isogov.vn")
		page := readAll(t, ts.do(t, "GET", "/document-types", staffCookie, "", "").Body)
		if !strings.Contains(page, "Quy trình hệ thống") || strings.Contains(page, `href="/document-types/procedure"`) || strings.Contains(page, `action="/document-types"`) {
			t.Error("staff's view of the types: missing the list, or offered editing")
		}
		if resp := ts.do(t, "GET", "/document-types/procedure", staffCookie, "", ""); resp.StatusCode != 403 {
			t.Errorf("staff opening the edit form: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "GET", "/document-types/procedure", coordCookie, "", ""); resp.StatusCode != 200 || !strings.Contains(readAll(t, resp.Body), `value="QT-##"`) {
			t.Errorf("the coordinator's edit form: %d", resp.StatusCode)
		}
		edit := func(pattern string) (int, string) {
			resp := ts.do(t, "POST", "/document-types/procedure", coordCookie, "application/x-www-form-urlencoded",
				form("name_vi", "Quy trình hệ thống (sửa)", "code_pattern", pattern, "review_months", "18", "retain_years", "5", "approver", "leader", "comment_round", "1"))
			return resp.StatusCode, readAll(t, resp.Body)
		}
		if status, page := edit("QT 01"); status != 400 || !strings.Contains(page, `id="e-code_pattern"`) || !strings.Contains(page, "Quy trình hệ thống (sửa)") {
			t.Errorf("bad pattern through the UI: %d", status)
		}
		if status, _ := edit("QT-##"); status != 303 {
			t.Errorf("edit through the UI: %d", status)
		}
		if _, body := ts.api(t, "GET", "/api/v1/document-types", staff, ""); !strings.Contains(body, `"name_vi":"Quy trình hệ thống (sửa)","name_en":"","code_pattern":"QT-##","review_months":18`) {
			t.Errorf("after the UI edit: %.400s", body)
		}
		page = readAll(t, ts.do(t, "GET", "/clauses?edition=2008", staffCookie, "", "").Body)
		if !strings.Contains(page, "Hành động phòng ngừa") || !strings.Contains(page, `href="/clauses?edition=2015#c6.1"`) || !strings.Contains(page, "Quy trình kiểm soát tài liệu") {
			t.Error("the 2008 clause page")
		}
	})
}

func docxBytes(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("word/document.xml")
	_, _ = w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A work instruction through the API: drafted by staff with a Word file, submitted, signed
// by the leader with the password, effective; its next revision; what goes wrong on the way.
func TestDocumentsHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		staff := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")
		leader := bearer(t, ts, "lanhdao.skhcn@demo.isogov.vn")
		other := bearer(t, ts, "thuky.snv@demo.isogov.vn")
		base := "/api/v1/agencies/SKHCN"

		if resp, body := ts.api(t, "POST", base+"/documents", staff, `{"type":"instruction","code":"QT-01","title":"Hướng dẫn"}`); resp.StatusCode != 400 || !strings.Contains(body, `"field":"code"`) {
			t.Errorf("a code against the pattern: %d %s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "POST", base+"/documents", other, `{"type":"instruction","title":"Hướng dẫn"}`); resp.StatusCode != 403 {
			t.Errorf("another agency's secretary: %d", resp.StatusCode)
		}
		resp, body := ts.api(t, "POST", base+"/documents", staff, `{"type":"instruction","title":"Hướng dẫn tiếp nhận hồ sơ","clauses":["8.5.1"]}`)
		var doc struct {
			ID     int64  `json:"id"`
			Code   string `json:"code"`
			Latest struct {
				ID      int64 `json:"id"`
				Version int64 `json:"version"`
			} `json:"latest"`
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil || resp.StatusCode != 201 || doc.Code != "HD-01" {
			t.Fatalf("create: %d %s", resp.StatusCode, body)
		}
		rev := "/revisions/" + itoa(doc.Latest.ID)
		ctype, mp := multipartBody(t, "file", "hd.docx", docxBytes(t, "Hướng dẫn tiếp nhận hồ sơ tại bộ phận một cửa"))
		if resp, body := ts.api(t, "POST", base+rev+"/file?version="+itoa(doc.Latest.Version), staff, mp.String(), "Content-Type", ctype); resp.StatusCode != 200 || !strings.Contains(body, `"version":2`) {
			t.Fatalf("upload: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "PATCH", base+rev, staff, `{"title":"Cũ","version":1}`); resp.StatusCode != 409 || !strings.Contains(body, "Người khác vừa sửa") {
			t.Errorf("a stale edit: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "POST", base+rev+"/transition", staff, `{"event":"submit_approval"}`); resp.StatusCode != 200 || !strings.Contains(body, `"state":"submitted"`) {
			t.Fatalf("submit: %d %s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "POST", base+rev+"/transition", staff, `{"event":"approve","password":"demo-NgheAn-2026","effective_on":"2026-01-05"}`); resp.StatusCode != 403 {
			t.Errorf("staff approving: %d", resp.StatusCode)
		}
		if resp, body := ts.api(t, "POST", base+rev+"/transition", leader, `{"event":"approve","password":"sai","effective_on":"2026-01-05"}`); resp.StatusCode != 400 || !strings.Contains(body, `"field":"password"`) {
			t.Errorf("a wrong password: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "POST", base+rev+"/transition", leader, `{"event":"approve","password":"demo-NgheAn-2026","effective_on":"2026-01-05"}`); resp.StatusCode != 200 || !strings.Contains(body, `"state":"effective"`) {
			t.Fatalf("approve: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "POST", base+"/documents/"+itoa(doc.ID)+"/revisions", staff, ""); resp.StatusCode != 201 || !strings.Contains(body, `"number":2`) {
			t.Fatalf("new revision: %d %s", resp.StatusCode, body)
		}
		_, body = ts.api(t, "GET", base+"/documents", staff, "")
		if !strings.Contains(body, `"code":"HD-01"`) || !strings.Contains(body, `"next_review_on":"2028-01-05"`) {
			t.Errorf("master list: %.600s", body)
		}
		if resp, body := ts.api(t, "POST", base+"/documents/"+itoa(doc.ID)+"/review", staff, `{"note":"Không thay đổi"}`); resp.StatusCode != 200 || strings.Contains(body, `"next_review_on":"2028-01-05"`) {
			t.Errorf("periodic review: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "GET", base+rev+"/file", staff, ""); resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") || resp.Header.Get("X-Revision-State") != "effective" {
			t.Errorf("download: %d %q", resp.StatusCode, resp.Header.Get("X-Revision-State"))
		}
		if resp, _ := ts.api(t, "GET", base+rev+"/file", other, ""); resp.StatusCode != 403 {
			t.Errorf("another agency downloading: %d", resp.StatusCode)
		}
		if resp, _ := ts.api(t, "GET", "/api/v1/agencies/SNV/documents/"+itoa(doc.ID), other, ""); resp.StatusCode != 404 {
			t.Errorf("a document through another agency's path: %d", resp.StatusCode)
		}
	})
}

// The same life through the UI's forms: the staff member drafts a form with its file and
// submits it, the leader signs with the password; the second revision makes the first one
// obsolete, which the page and the download say.
func TestDocumentsUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		staff, leader := ts.session(t, "chuyenvien.skhcn@demo.isogov.vn"), ts.session(t, "lanhdao.skhcn@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"
		page := readAll(t, ts.do(t, "GET", "/agencies/SNV/documents", ts.session(t, "thuky.snv@demo.isogov.vn"), "", "").Body)
		if !strings.Contains(page, "Cơ quan chưa có tài liệu nào") {
			t.Error("the empty master list does not say what to do")
		}
		resp := ts.do(t, "POST", "/agencies/SKHCN/documents", staff, urlenc, form("type", "form", "code", "XX-1", "title", "Phiếu"))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-code"`) || !strings.Contains(body, "BM-##-##") {
			t.Errorf("a bad code through the UI: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/documents", staff, urlenc, form("type", "form", "title", "Phiếu theo dõi hồ sơ", "clauses", "8.5.2, 7.5.3"))
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/agencies/SKHCN/documents/") {
			t.Fatalf("create through the UI: %d %s", resp.StatusCode, loc)
		}
		page = readAll(t, ts.do(t, "GET", loc, staff, "", "").Body)
		revID := uploadRev(page)
		code := between(page, "<h1><code>", "</code>")
		if revID == "" || !strings.HasPrefix(code, "BM-") || !strings.Contains(page, "Dự thảo") {
			t.Fatalf("the draft's page: rev %q, code %q", revID, code)
		}
		// The upload form carries the version it was shown with.
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("version", "1")
		fw, _ := mw.CreateFormFile("file", "BM-01-01.docx")
		_, _ = fw.Write(docxBytes(t, "Phiếu theo dõi"))
		_ = mw.Close()
		if resp := ts.do(t, "POST", "/agencies/SKHCN/revisions/"+revID+"/file", staff, mw.FormDataContentType(), b.String()); resp.StatusCode != 303 {
			t.Fatalf("upload through the UI: %d %s", resp.StatusCode, readAll(t, resp.Body))
		}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/revisions/"+revID+"/transition", staff, urlenc, form("event", "submit_approval")); resp.StatusCode != 303 {
			t.Fatalf("submit through the UI: %d", resp.StatusCode)
		}
		page = readAll(t, ts.do(t, "GET", loc, leader, "", "").Body)
		if !strings.Contains(page, "Đang trình ký") || !strings.Contains(page, `name="password"`) {
			t.Error("the leader is not offered the signature")
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/revisions/"+revID+"/transition", leader, urlenc, form("event", "approve", "effective_on", "2026-01-02", "password", "sai"))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-password"`) {
			t.Errorf("a wrong password through the UI: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/revisions/"+revID+"/transition", leader, urlenc, form("event", "approve", "effective_on", "2026-01-02", "password", "demo-NgheAn-2026")); resp.StatusCode != 303 {
			t.Fatalf("sign through the UI: %d", resp.StatusCode)
		}
		page = readAll(t, ts.do(t, "GET", loc, staff, "", "").Body)
		if !strings.Contains(page, "Đang hiệu lực") || !strings.Contains(page, "Phê duyệt") || !strings.Contains(page, "02/01/2026") {
			t.Error("the effective revision's header")
		}
		// Everyone in the agency must now read it: the staff member sees it at home and acknowledges.
		if home := readAll(t, ts.do(t, "GET", "/", staff, "", "").Body); !strings.Contains(home, "Tài liệu chờ bạn đọc") || !strings.Contains(home, code) {
			t.Error("the staff member's home page does not ask to read the new form")
		}
		if !strings.Contains(page, `/revisions/`+revID+`/acknowledge"`) {
			t.Error("the document page does not offer the acknowledgement")
		}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/revisions/"+revID+"/acknowledge", staff, urlenc, ""); resp.StatusCode != 303 {
			t.Fatalf("acknowledge: %d", resp.StatusCode)
		}
		if home := readAll(t, ts.do(t, "GET", "/", staff, "", "").Body); strings.Contains(home, code) {
			t.Error("still asked to read after acknowledging")
		}
		if _, body := ts.api(t, "GET", "/api/v1/me/reading", bearer(t, ts, "thuky.skhcn@demo.isogov.vn"), ""); !strings.Contains(body, `"code":"`+code+`"`) {
			t.Errorf("the secretary's pending reads: %s", body)
		}
		if page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents", leader, "", "").Body); !strings.Contains(page, "Chờ xác nhận đã đọc") {
			t.Error("the master list does not show who has yet to read")
		}
		docID := strings.TrimPrefix(loc, "/agencies/SKHCN/documents/")
		if resp := ts.do(t, "POST", "/agencies/SKHCN/documents/"+docID+"/revisions", staff, urlenc, ""); resp.StatusCode != 303 {
			t.Fatalf("new revision through the UI: %d", resp.StatusCode)
		}
		page = readAll(t, ts.do(t, "GET", loc, staff, "", "").Body)
		rev2 := uploadRev(page)
		if resp := ts.do(t, "POST", "/agencies/SKHCN/revisions/"+rev2+"/transition", staff, urlenc, form("event", "submit_approval")); resp.StatusCode != 303 {
			t.Fatalf("submit revision 2: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/revisions/"+rev2+"/transition", leader, urlenc, form("event", "approve", "effective_on", "2026-02-01", "password", "demo-NgheAn-2026")); resp.StatusCode != 303 {
			t.Fatalf("sign revision 2: %d", resp.StatusCode)
		}
		page = readAll(t, ts.do(t, "GET", loc, staff, "", "").Body)
		if !strings.Contains(page, "HẾT HIỆU LỰC") || !strings.Contains(page, "Hết hiệu lực (đã thay thế)") {
			t.Error("the superseded revision is not marked")
		}
		resp = ts.do(t, "GET", "/agencies/SKHCN/revisions/"+revID+"/file", staff, "", "")
		if cd := resp.Header.Get("Content-Disposition"); resp.StatusCode != 200 || !strings.Contains(cd, "HET-HIEU-LUC_lan-1.docx") {
			t.Errorf("obsolete download: %d %q", resp.StatusCode, cd)
		}
		page = readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents?q=phieu+theo+doi", staff, "", "").Body)
		if !strings.Contains(page, code) || strings.Contains(page, "STCL-01") {
			t.Error("the master list search without diacritics")
		}
		if page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents?state=obsolete", staff, "", "").Body); strings.Contains(page, code) {
			t.Error("the obsolete filter shows a document in force")
		}
		rows := xlsxRows(t, ts.do(t, "GET", "/agencies/SKHCN/documents/export?format=xlsx&q=phieu+theo+doi", staff, "", ""), "Danh mục tài liệu")
		if len(rows) != 2 || rows[1][0] != code || rows[1][3] != "2" {
			t.Errorf("master list XLSX: %v", rows)
		}
		page = readAll(t, ts.do(t, "GET", "/agencies/SKHCN/coverage", staff, "", "").Body)
		if !strings.Contains(page, "điều khoản chi tiết đã có tài liệu") || !strings.Contains(page, ">STCL-01</a>") {
			t.Error("the coverage page")
		}
		if resp := ts.do(t, "GET", "/agencies/SKHCN/documents", ts.session(t, "thuky.snv@demo.isogov.vn"), "", ""); resp.StatusCode != 403 {
			t.Errorf("another agency's secretary reading the list: %d", resp.StatusCode)
		}
	})
}

// uploadRev finds the revision whose upload form a page shows.
func uploadRev(page string) string {
	m := regexp.MustCompile(`action="/agencies/[A-Z0-9]+/revisions/(\d+)/file"`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return m[1]
}

// A procedure's comment round through the UI forms, then through the API's view of it.
func TestCommentRoundUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		sec, staff := ts.session(t, "thuky.skhcn@demo.isogov.vn"), ts.session(t, "chuyenvien.skhcn@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"
		resp := ts.do(t, "POST", "/agencies/SKHCN/documents", sec, urlenc, form("type", "procedure", "title", "Quy trình cấp giấy phép hoạt động", "clauses", "8.5.1"))
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 {
			t.Fatalf("create: %d", resp.StatusCode)
		}
		page := readAll(t, ts.do(t, "GET", loc, sec, "", "").Body)
		rev := uploadRev(page)
		if !strings.Contains(page, `name="reviewers" value="chuyenvien.skhcn@demo.isogov.vn"`) {
			t.Fatal("the round form does not offer the agency's people")
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/revisions/"+rev+"/transition", sec, urlenc, form("event", "submit_review", "deadline", "2099-01-01"))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-reviewers"`) {
			t.Errorf("a round without reviewers: %d", resp.StatusCode)
		}
		v := url.Values{"event": {"submit_review"}, "deadline": {"2099-01-01"}, "reviewers": {"chuyenvien.skhcn@demo.isogov.vn"}}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/revisions/"+rev+"/transition", sec, urlenc, v.Encode()); resp.StatusCode != 303 {
			t.Fatalf("open the round: %d %s", resp.StatusCode, readAll(t, resp.Body))
		}
		page = readAll(t, ts.do(t, "GET", loc, staff, "", "").Body)
		if !strings.Contains(page, `action="/agencies/SKHCN/revisions/`+rev+`/comments"`) {
			t.Fatal("the reviewer is not offered the comment form")
		}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/revisions/"+rev+"/comments", staff, urlenc, form("body", "Bổ sung thời hạn giải quyết ở bước 3")); resp.StatusCode != 303 {
			t.Fatalf("comment: %d", resp.StatusCode)
		}
		page = readAll(t, ts.do(t, "GET", loc, sec, "", "").Body)
		cid := regexp.MustCompile(`action="/agencies/SKHCN/comments/(\d+)/answer"`).FindStringSubmatch(page)
		if cid == nil || !strings.Contains(page, "Bổ sung thời hạn giải quyết") {
			t.Fatal("the secretary does not see the comment to answer")
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/comments/"+cid[1]+"/answer", sec, urlenc, form("answer", "rejected", "revision", rev))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-note-`+cid[1]+`"`) {
			t.Errorf("rejected without a note: %d %.300s", resp.StatusCode, body)
		}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/comments/"+cid[1]+"/answer", sec, urlenc, form("answer", "accepted", "revision", rev)); resp.StatusCode != 303 {
			t.Fatalf("answer: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/revisions/"+rev+"/transition", sec, urlenc, form("event", "close_round")); resp.StatusCode != 303 {
			t.Fatalf("close the round: %d", resp.StatusCode)
		}
		docID := strings.TrimPrefix(loc, "/agencies/SKHCN/documents/")
		_, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/documents/"+docID, bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn"), "")
		if !strings.Contains(body, `"state":"reviewed"`) || !strings.Contains(body, `"answer":"accepted"`) || !strings.Contains(body, `"reviewers":[{"id":`) {
			t.Errorf("the API's view: %.600s", body)
		}
	})
}

// between returns the text between the first a and the first b after it.
func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if j := strings.Index(s, b); j >= 0 {
		return s[:j]
	}
	return ""
}

// A change request to the demo's quality manual through the UI: filed by a staff member,
// accepted by the ISO secretary, which opens revision 2 as a draft.
func TestChangeRequestUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		sec, staff := ts.session(t, "thuky.skhcn@demo.isogov.vn"), ts.session(t, "chuyenvien.skhcn@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"
		list := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents?q=so+tay+chat+luong", staff, "", "").Body)
		m := regexp.MustCompile(`href="(/agencies/SKHCN/documents/(\d+))"><code>STCL-01`).FindStringSubmatch(list)
		if m == nil {
			t.Fatal("the demo's quality manual is not in the master list")
		}
		loc, docID := m[1], m[2]
		resp := ts.do(t, "POST", loc+"/change-requests", staff, urlenc, form("request", " "))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-request"`) {
			t.Errorf("an empty request: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", loc+"/change-requests", staff, urlenc, form("request", "Mục 2: cập nhật cơ cấu tổ chức sau sáp nhập")); resp.StatusCode != 303 {
			t.Fatalf("file a request: %d", resp.StatusCode)
		}
		page := readAll(t, ts.do(t, "GET", loc, sec, "", "").Body)
		cr := regexp.MustCompile(`action="/agencies/SKHCN/change-requests/(\d+)/decision"`).FindStringSubmatch(page)
		if cr == nil {
			t.Fatal("the secretary is not offered the decision")
		}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/change-requests/"+cr[1]+"/decision", staff, urlenc, form("decision", "accept", "document", docID)); resp.StatusCode != 403 {
			t.Errorf("staff deciding: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/change-requests/"+cr[1]+"/decision", sec, urlenc, form("decision", "reject", "document", docID))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-crreason-`+cr[1]+`"`) {
			t.Errorf("a rejection without a reason: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", "/agencies/SKHCN/change-requests/"+cr[1]+"/decision", sec, urlenc, form("decision", "accept", "document", docID)); resp.StatusCode != 303 {
			t.Fatalf("accept: %d", resp.StatusCode)
		}
		page = readAll(t, ts.do(t, "GET", loc, staff, "", "").Body)
		if !strings.Contains(page, "Đã chấp nhận") || !strings.Contains(page, "Lần ban hành 2") {
			t.Error("the accepted request did not open revision 2")
		}
	})
}

// The coordinator publishes a model through the UI; a secretary copies it into her agency
// through the API and gets a draft holding the model's file.
func TestModelsHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		coord := ts.session(t, "dieuphoi@demo.isogov.vn")
		publish := func(cookie, title string, file []byte) *http.Response {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			for k, v := range map[string]string{"type": "procedure", "title": title, "edition": "2015", "clauses": "9.2"} {
				_ = mw.WriteField(k, v)
			}
			fw, _ := mw.CreateFormFile("file", "mo-hinh.docx")
			_, _ = fw.Write(file)
			_ = mw.Close()
			return ts.do(t, "POST", "/document-models", cookie, mw.FormDataContentType(), b.String())
		}
		if resp := publish(ts.session(t, "thuky.skhcn@demo.isogov.vn"), "Mẫu", docxBytes(t, "x")); resp.StatusCode != 403 {
			t.Errorf("a secretary publishing: %d", resp.StatusCode)
		}
		resp := publish(coord, "Quy trình đánh giá nội bộ (mô hình khung)", []byte("<html>not a document</html>"))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-file"`) || !strings.Contains(body, "Quy trình đánh giá nội bộ (mô hình khung)") {
			t.Errorf("a web page as the model: %d", resp.StatusCode)
		}
		if resp := publish(coord, "Quy trình đánh giá nội bộ (mô hình khung)", docxBytes(t, "Đánh giá nội bộ")); resp.StatusCode != 303 {
			t.Fatalf("publish: %d %s", resp.StatusCode, readAll(t, resp.Body))
		}
		sec := bearer(t, ts, "thuky.skhcn@demo.isogov.vn")
		_, body := ts.api(t, "GET", "/api/v1/document-models", sec, "")
		var models struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &models); err != nil || len(models.Items) != 1 {
			t.Fatalf("models: %s", body)
		}
		id := itoa(models.Items[0].ID)
		if resp, _ := ts.api(t, "POST", "/api/v1/agencies/SNV/document-models/"+id+"/copy", sec, ""); resp.StatusCode != 403 {
			t.Errorf("copying into another agency: %d", resp.StatusCode)
		}
		resp2, body := ts.api(t, "POST", "/api/v1/agencies/SKHCN/document-models/"+id+"/copy", sec, "")
		if resp2.StatusCode != 201 || !strings.Contains(body, `"code":"QT-03"`) || !strings.Contains(body, `"state":"draft"`) || !strings.Contains(body, `"name":"mo-hinh.docx"`) {
			t.Errorf("copy: %d %s", resp2.StatusCode, body)
		}
		page := readAll(t, ts.do(t, "GET", "/document-models", ts.session(t, "thuky.skhcn@demo.isogov.vn"), "", "").Body)
		if !strings.Contains(page, "Sao chép vào SKHCN") {
			t.Error("the models page does not offer the copy")
		}
	})
}

// An external document (a legal text) registered through the UI, repealed through the API.
func TestExternalDocumentsHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		sec := ts.session(t, "thuky.skhcn@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"
		resp := ts.do(t, "POST", "/agencies/SKHCN/documents", sec, urlenc, form("type", "external", "title", "Quyết định áp dụng ISO", "ext_issuer", "Thủ tướng Chính phủ", "ext_signed_on", "05/03/2014"))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-ext_signed_on"`) || !strings.Contains(body, "Thủ tướng Chính phủ") {
			t.Errorf("a bad date: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/documents", sec, urlenc, form("type", "external", "title", "Quyết định áp dụng ISO", "ext_issuer", "Thủ tướng Chính phủ", "ext_signed_on", "2014-03-05"))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-ext_number"`) {
			t.Errorf("no number: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/documents", sec, urlenc, form("type", "external", "title", "Quyết định áp dụng ISO", "ext_number", "19/2014/QĐ-TTg",
			"ext_issuer", "Thủ tướng Chính phủ", "ext_signed_on", "2014-03-05", "ext_status", "in_force"))
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 {
			t.Fatalf("register: %d", resp.StatusCode)
		}
		docID := strings.TrimPrefix(loc, "/agencies/SKHCN/documents/")
		tok := bearer(t, ts, "thuky.skhcn@demo.isogov.vn")
		if resp, body := ts.api(t, "PUT", "/api/v1/agencies/SKHCN/documents/"+docID+"/external", tok, `{"number":"19/2014/QĐ-TTg","issuer":"Thủ tướng Chính phủ","signed_on":"2014-03-05","status":"repealed"}`); resp.StatusCode != 400 || !strings.Contains(body, `"field":"ext_expired_on"`) {
			t.Errorf("repealed without an end: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "PUT", "/api/v1/agencies/SKHCN/documents/"+docID+"/external", tok, `{"number":"19/2014/QĐ-TTg","issuer":"Thủ tướng Chính phủ","signed_on":"2014-03-05","status":"repealed","expired_on":"2025-07-01"}`); resp.StatusCode != 200 || !strings.Contains(body, `"status":"repealed"`) {
			t.Errorf("repeal: %d %s", resp.StatusCode, body)
		}
		page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents?type=external", sec, "", "").Body)
		if !strings.Contains(page, "19/2014/QĐ-TTg") || !strings.Contains(page, "Đã bị bãi bỏ, thay thế") {
			t.Error("the external master list")
		}
	})
}

// Attachments through the UI (attach, see, download, remove) and the API.
func TestAttachmentsHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		staff := ts.session(t, "chuyenvien.skhcn@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"
		resp := ts.do(t, "POST", "/agencies/SKHCN/documents", staff, urlenc, form("type", "instruction", "title", "Hướng dẫn có phụ lục"))
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 {
			t.Fatalf("create: %d", resp.StatusCode)
		}
		page := readAll(t, ts.do(t, "GET", loc, staff, "", "").Body)
		rev := uploadRev(page)
		if rev == "" || !strings.Contains(page, `action="/agencies/SKHCN/revisions/`+rev+`/attachments"`) {
			t.Fatal("the draft offers no attachment form")
		}
		attach := func(name string, data []byte) *http.Response {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			fw, _ := mw.CreateFormFile("attachment", name)
			_, _ = fw.Write(data)
			_ = mw.Close()
			return ts.do(t, "POST", "/agencies/SKHCN/revisions/"+rev+"/attachments", staff, mw.FormDataContentType(), b.String())
		}
		if resp := attach("so-do.docx", docxBytes(t, "Sơ đồ")); resp.StatusCode != 303 {
			t.Fatalf("attach: %d %s", resp.StatusCode, readAll(t, resp.Body))
		}
		resp = attach("so-do.docx", docxBytes(t, "Khác"))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-attachment"`) {
			t.Errorf("the same name again: %d", resp.StatusCode)
		}
		page = readAll(t, ts.do(t, "GET", loc, staff, "", "").Body)
		link := regexp.MustCompile(`href="(/agencies/SKHCN/revisions/` + rev + `/attachments/(\d+))" download>so-do.docx`).FindStringSubmatch(page)
		if link == nil {
			t.Fatal("the attachment is not listed")
		}
		resp = ts.do(t, "GET", link[1], staff, "", "")
		if body := readAll(t, resp.Body); resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "lan-1_dinh-kem-1.docx") || len(body) < 100 {
			t.Errorf("download: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		if resp := ts.do(t, "GET", link[1], ts.session(t, "thuky.snv@demo.isogov.vn"), "", ""); resp.StatusCode != 403 {
			t.Errorf("another agency downloading: %d", resp.StatusCode)
		}

		token := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")
		if resp, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/documents/"+strings.TrimPrefix(loc, "/agencies/SKHCN/documents/"), token, ""); resp.StatusCode != 200 || !strings.Contains(body, `"attachments":[{"id":`+link[2]+`,"file":{`) {
			t.Errorf("the API's revision: %d %.600s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "DELETE", "/api/v1/agencies/SKHCN/revisions/"+rev+"/attachments/"+link[2]+"?version=1", token, ""); resp.StatusCode != 409 {
			t.Errorf("removing with a stale version: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", link[1]+"/delete", staff, urlenc, ""); resp.StatusCode != 303 {
			t.Errorf("remove through the UI: %d", resp.StatusCode)
		}
		if resp, _ := ts.api(t, "GET", "/api/v1/agencies/SKHCN/revisions/"+rev+"/attachments/"+link[2], token, ""); resp.StatusCode != 404 {
			t.Errorf("a removed attachment: %d", resp.StatusCode)
		}
	})
}

// Distribution to units through the UI and the API.
func TestUnitDistributionHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		_, units, err := ts.svc.Units(ctx, service.System, "SKHCN")
		if err != nil || len(units) < 2 {
			t.Fatalf("the demo's units: %d %v", len(units), err)
		}
		sec := ts.session(t, "thuky.skhcn@demo.isogov.vn")
		page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents?q=QT-01", sec, "", "").Body)
		m := regexp.MustCompile(`href="/agencies/SKHCN/documents/(\d+)"><code>QT-01<`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no QT-01 in the demo")
		}
		doc := m[1]
		page = readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents/"+doc, sec, "", "").Body)
		if !strings.Contains(page, `name="units" value="`+units[0].Code+`"`) {
			t.Fatal("the units are not offered")
		}
		resp := ts.do(t, "POST", "/agencies/SKHCN/documents/"+doc+"/units", sec, "application/x-www-form-urlencoded", form("units", units[0].Code))
		if resp.StatusCode != 303 {
			t.Fatalf("save through the UI: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/agencies/SKHCN/documents/"+doc+"/units", sec, "application/x-www-form-urlencoded", form("units", "KHONG-CO"))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, "Không tìm thấy phòng, ban") {
			t.Errorf("an unknown unit through the UI: %d", resp.StatusCode)
		}
		token := bearer(t, ts, "thuky.skhcn@demo.isogov.vn")
		if _, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/documents/"+doc, token, ""); !strings.Contains(body, `"units":[{"id":`) || !strings.Contains(body, `"code":"`+units[0].Code+`"`) {
			t.Errorf("the API's view: %.400s", body)
		}
		if resp, _ := ts.api(t, "PUT", "/api/v1/agencies/SKHCN/documents/"+doc+"/units", token, `{"units":["`+units[0].Code+`","`+units[1].Code+`"]}`); resp.StatusCode != 204 {
			t.Errorf("PUT units: %d", resp.StatusCode)
		}
		if resp, _ := ts.api(t, "PUT", "/api/v1/agencies/SKHCN/documents/"+doc+"/units", bearer(t, ts, "thuky.snv@demo.isogov.vn"), `{"units":[]}`); resp.StatusCode != 403 {
			t.Errorf("another agency's secretary: %d", resp.StatusCode)
		}
	})
}

// The retention list through the UI and the API; a revision in force cannot be destroyed.
func TestRetentionHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		leader := ts.session(t, "lanhdao.skhcn@demo.isogov.vn")
		page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents/retention", leader, "", "").Body)
		if !strings.Contains(page, "Không có lần ban hành nào đến hạn hủy") {
			t.Error("the empty retention list says nothing")
		}
		if !strings.Contains(readAll(t, ts.do(t, "GET", "/agencies/SKHCN/documents", leader, "", "").Body), `href="/agencies/SKHCN/documents/retention"`) {
			t.Error("the master list does not link to the retention list")
		}
		token := bearer(t, ts, "lanhdao.skhcn@demo.isogov.vn")
		if resp, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/retention", token, ""); resp.StatusCode != 200 || !strings.Contains(body, `"items":[]`) {
			t.Errorf("the API's list: %d %s", resp.StatusCode, body)
		}
		_, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/documents?q=QT-01", token, "")
		m := regexp.MustCompile(`"effective":\{"id":(\d+)`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no revision in force: %.300s", body)
		}
		if resp, _ := ts.api(t, "POST", "/api/v1/agencies/SKHCN/revisions/"+m[1]+"/destroy", token, `{"note":"BB-01"}`); resp.StatusCode != 409 {
			t.Errorf("destroying a revision in force: %d", resp.StatusCode)
		}
		resp := ts.do(t, "POST", "/agencies/SKHCN/revisions/"+m[1]+"/destroy", leader, "application/x-www-form-urlencoded", form("note", "BB-01"))
		if page := readAll(t, resp.Body); resp.StatusCode != 409 || !strings.Contains(page, "chưa đến hạn hủy") {
			t.Errorf("the same through the UI: %d", resp.StatusCode)
		}
	})
}
