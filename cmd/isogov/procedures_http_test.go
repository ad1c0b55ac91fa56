package main

import (
	"bytes"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/extract"
	"github.com/isogov/isogov/internal/testdb"
)

// The procedure catalogue through the UI and the API over the demo's 212 procedures.
func TestProceduresHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		staff, coord := ts.session(t, "chuyenvien.skhcn@demo.isogov.vn"), ts.session(t, "dieuphoi@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"

		page := readAll(t, ts.do(t, "GET", "/procedures", staff, "", "").Body)
		if n := strings.Count(page, `<tr><td><a href="/procedures/`); n != 50 || !strings.Contains(page, `rel="next"`) || strings.Contains(page, `href="/procedures/new"`) {
			t.Errorf("the first page: %d rows, next link %v, offers adding to staff %v", n, strings.Contains(page, `rel="next"`), strings.Contains(page, `href="/procedures/new"`))
		}
		page = readAll(t, ts.do(t, "GET", "/procedures?q="+url.QueryEscape("buc xa")+"&status=in_force", staff, "", "").Body)
		if !strings.Contains(page, "Cấp giấy phép tiến hành công việc bức xạ") || strings.Contains(page, "lữ hành") {
			t.Error("a folded search with a status filter")
		}
		page = readAll(t, ts.do(t, "GET", "/agencies/SKHCN/procedures", staff, "", "").Body)
		if !strings.Contains(page, "Mẫu số 02") || strings.Contains(page, "/agencies/SNV/procedures") {
			t.Error("SKHCN's list shows another agency's procedure or no Form 2 hint")
		}
		resp := ts.do(t, "GET", "/agencies/SKHCN/procedures/export", staff, "", "")
		if csv := readAll(t, resp.Body); resp.StatusCode != 200 || !strings.Contains(csv, "Mã thủ tục,Tên thủ tục") || strings.Count(csv, "\n") < 20 {
			t.Errorf("SKHCN's list as CSV: %d %.200s", resp.StatusCode, csv)
		}

		fields := func(kv ...string) string {
			base := map[string]string{"code": "1.999001", "name": "Thủ tục thử", "field": "Lĩnh vực thử", "level": "province", "agencies": "SKHCN, SNV",
				"time_limit_days": "12", "online": "full", "status": "in_force"}
			for i := 0; i+1 < len(kv); i += 2 {
				base[kv[i]] = kv[i+1]
			}
			var args []string
			for k, v := range base {
				args = append(args, k, v)
			}
			return form(args...)
		}
		if resp := ts.do(t, "POST", "/procedures", staff, urlenc, fields()); resp.StatusCode != 403 {
			t.Errorf("staff adding: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/procedures", coord, urlenc, fields("time_limit_days", "mười"))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, `id="e-time_limit_days"`) || !strings.Contains(body, `value="Thủ tục thử"`) {
			t.Errorf("a time limit in words: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", "/procedures", coord, urlenc, fields()); resp.StatusCode != 303 || resp.Header.Get("Location") != "/procedures/1.999001" {
			t.Fatalf("add through the UI: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp := ts.do(t, "POST", "/procedures/1.999001", coord, urlenc, fields("status", "abolished")); resp.StatusCode != 303 {
			t.Errorf("abolish through the UI: %d", resp.StatusCode)
		}

		token := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")
		resp, body := ts.api(t, "GET", "/api/v1/procedures?limit=100", token, "")
		next := regexp.MustCompile(`"next":"([^"]+)"`).FindStringSubmatch(body)
		if resp.StatusCode != 200 || strings.Count(body, `"code":"1.`) != 100 || next == nil {
			t.Fatalf("the first API page: %d", resp.StatusCode)
		}
		seen := 100
		for next != nil {
			_, body = ts.api(t, "GET", "/api/v1/procedures?limit=100&next="+next[1], token, "")
			seen += strings.Count(body, `"code":"1.`)
			next = regexp.MustCompile(`"next":"([^"]+)"`).FindStringSubmatch(body)
		}
		if seen != 213 {
			t.Errorf("paging through the API saw %d procedures, want 213", seen)
		}
		if _, body := ts.api(t, "GET", "/api/v1/procedures/1.999001", token, ""); !strings.Contains(body, `"status":"abolished"`) || !strings.Contains(body, `"agencies":["SKHCN","SNV"]`) {
			t.Errorf("one procedure: %s", body)
		}
		coordToken := bearer(t, ts, "dieuphoi@demo.isogov.vn")
		if resp, _ := ts.api(t, "POST", "/api/v1/procedures", token, `{"code":"1.999002"}`); resp.StatusCode != 403 {
			t.Errorf("staff through the API: %d", resp.StatusCode)
		}
		if resp, body := ts.api(t, "POST", "/api/v1/procedures", coordToken, `{"code":"1.999002","name":"Thủ tục","field":"Thử","level":"province","agencies":["STP"],"time_limit_days":401}`); resp.StatusCode != 400 || !strings.Contains(body, `"field":"time_limit_days"`) {
			t.Errorf("a time limit beyond 400 days: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, "PUT", "/api/v1/procedures/1.999001", coordToken, `{"name":"Thủ tục đã sửa","field":"Thử","level":"commune","agencies":["STP"],"time_limit_days":5}`); resp.StatusCode != 200 || !strings.Contains(body, `"level":"commune"`) {
			t.Errorf("PUT: %d %s", resp.StatusCode, body)
		}
		if _, body := ts.api(t, "GET", "/api/v1/agencies/STP/procedures?q=da+sua", token, ""); !strings.Contains(body, `"code":"1.999001"`) {
			t.Errorf("STP's list after the change: %.300s", body)
		}
	})
}

// Importing the catalogue through the UI (check, then import) and the API.
func TestImportProceduresHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		coord := ts.session(t, "dieuphoi@demo.isogov.vn")
		csv := "\uFEFFMã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Cơ quan giải quyết,Thời hạn (ngày làm việc)\n1.999200,Cấp giấy phép nhập thử,Thử,Cấp tỉnh,STP,8\n"
		upload := func(mode, data string) (int, string) {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			_ = mw.WriteField("mode", mode)
			fw, _ := mw.CreateFormFile("file", "thu-tuc.csv")
			_, _ = fw.Write([]byte(data))
			_ = mw.Close()
			resp := ts.do(t, "POST", "/procedures/import", coord, mw.FormDataContentType(), b.String())
			return resp.StatusCode, readAll(t, resp.Body)
		}
		if page := readAll(t, ts.do(t, "GET", "/procedures/import", coord, "", "").Body); !strings.Contains(page, "<code>time_limit_days</code>") {
			t.Error("the import page does not show the template")
		}
		if status, page := upload("check", csv); status != 200 || !strings.Contains(page, "sẽ thêm 1") {
			t.Errorf("check: %d", status)
		}
		if _, body := ts.api(t, "GET", "/api/v1/procedures/1.999200", bearer(t, ts, "dieuphoi@demo.isogov.vn"), ""); !strings.Contains(body, "not_found") {
			t.Error("a check wrote the procedure")
		}
		if status, page := upload("import", strings.Replace(csv, ",8\n", ",tám\n", 1)); status != 400 || !strings.Contains(page, "Phải là một số nguyên") {
			t.Errorf("a bad file: %d", status)
		}
		if status, page := upload("import", csv); status != 200 || !strings.Contains(page, "thêm 1") {
			t.Errorf("import: %d", status)
		}
		token := bearer(t, ts, "dieuphoi@demo.isogov.vn")
		if _, body := ts.api(t, "GET", "/api/v1/procedures/1.999200", token, ""); !strings.Contains(body, `"agencies":["STP"]`) {
			t.Errorf("the imported procedure: %s", body)
		}
		apiUpload := func(query, data, tok string) (int, string) {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			fw, _ := mw.CreateFormFile("file", "thu-tuc.csv")
			_, _ = fw.Write([]byte(data))
			_ = mw.Close()
			resp, body := ts.api(t, "POST", "/api/v1/procedures/import"+query, tok, b.String(), "Content-Type", mw.FormDataContentType())
			return resp.StatusCode, body
		}
		if status, body := apiUpload("?dry_run=true", strings.Replace(csv, "STP", "KHONGCO", 1), token); status != 422 || !strings.Contains(body, `"message":"err.proc_agency_unknown"`) {
			t.Errorf("API dry run with an unknown agency: %d %s", status, body)
		}
		if status, body := apiUpload("", csv, token); status != 200 || !strings.Contains(body, `"unchanged":1`) {
			t.Errorf("API import of the same file: %d %s", status, body)
		}
		if status, _ := apiUpload("", csv, bearer(t, ts, "thuky.skhcn@demo.isogov.vn")); status != 403 {
			t.Errorf("a secretary importing: %d", status)
		}
	})
}

// A process through the UI: a secretary writes five steps for a demo procedure; a step table
// over the legal limit is refused with the overrun named and the typed rows kept; the API reads it.
func TestProcessHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		sec := ts.session(t, "thuky.skhcn@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"
		resp := ts.do(t, "POST", "/agencies/SKHCN/documents", sec, urlenc, form("type", "process", "title", "Quy trình cấp giấy chứng nhận đăng ký hoạt động KH&CN"))
		if resp.StatusCode != 303 {
			t.Fatalf("create: %d", resp.StatusCode)
		}
		page := readAll(t, ts.do(t, "GET", resp.Header.Get("Location"), sec, "", "").Body)
		rev := uploadRev(page)
		if !strings.Contains(page, `/revisions/`+rev+`/process"`) {
			t.Fatal("the process document does not link to its content")
		}
		path := "/agencies/SKHCN/revisions/" + rev + "/process"
		// 1.001207: "Cấp giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", 17 working days in the demo.
		steps := func(days ...string) string {
			v := url.Values{"procedures": {"1.001207"}, "purpose": {"Quy định trình tự"}, "version": {"0"}}
			for i, d := range days {
				v.Add("step_description", "Bước "+string(rune('1'+i)))
				v.Add("step_responsible", "Phòng QLKH")
				v.Add("step_amount", d)
				v.Add("step_unit", "days")
				v.Add("step_output", "")
			}
			return v.Encode()
		}
		resp = ts.do(t, "POST", path, sec, urlenc, steps("1", "10", "3", "2", "2"))
		if body := readAll(t, resp.Body); resp.StatusCode != 400 || !strings.Contains(body, "Tổng thời gian các bước là 18 ngày làm việc, vượt thời hạn 17 ngày làm việc của thủ tục 1 ngày") ||
			!strings.Contains(body, `value="Bước 5"`) {
			t.Errorf("18 days for a 17-day procedure: %d", resp.StatusCode)
		}
		if resp := ts.do(t, "POST", path, sec, urlenc, steps("1", "9", "3", "2", "2")); resp.StatusCode != 303 {
			t.Fatalf("save: %d %s", resp.StatusCode, readAll(t, resp.Body))
		}
		page = readAll(t, ts.do(t, "GET", path, sec, "", "").Body)
		if !strings.Contains(page, "QUY TRÌNH") || !strings.Contains(page, "<strong>17 / 17 ngày làm việc</strong>") || !strings.Contains(page, "Bước 5") {
			t.Error("the process page")
		}
		resp = ts.do(t, "GET", path+"/docx", sec, "", "")
		doc := []byte(readAll(t, resp.Body))
		text, err := extract.Text(bytes.NewReader(doc), int64(len(doc)), extract.TypeDOCX, extract.DefaultLimits)
		if resp.StatusCode != 200 || err != nil || !strings.Contains(text, "QUY TRÌNH") || !strings.Contains(text, "Bước 5") || !strings.Contains(text, "17 / 17 ngày làm việc") {
			t.Errorf("the process as DOCX: %d %v %.300q", resp.StatusCode, err, text)
		}
		token := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")
		if _, body := ts.api(t, "GET", "/api/v1/agencies/SKHCN/revisions/"+rev+"/process", token, ""); !strings.Contains(body, `"limit_days":17`) || !strings.Contains(body, `"total_days":"17"`) {
			t.Errorf("the API's view: %s", body)
		}
		if resp, body := ts.api(t, "PUT", "/api/v1/agencies/SKHCN/revisions/"+rev+"/process", token, `{"procedures":["1.001207"],"steps":[{"description":"Một bước","amount":30,"unit":"days"}]}`); resp.StatusCode != 400 || !strings.Contains(body, `"field":"steps"`) {
			t.Errorf("a 30-day step through the API: %d %s", resp.StatusCode, body)
		}
	})
}
