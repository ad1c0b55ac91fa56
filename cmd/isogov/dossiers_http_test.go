package main

import (
	"bytes"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/testdb"
)

// Dossiers through the UI and the API over the demo: the desk receives one for 1.001214 (whose
// process has five steps) and prints the slip with its PIN, a handler completes the steps, the
// citizen looks it up and rates it without an account; the API receives with an idempotency
// key and in a batch with one bad item.
func TestDossiersHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		desk := ts.session(t, "chuyenvien.skhcn@demo.isogov.vn")
		urlenc := "application/x-www-form-urlencoded"
		now := time.Now().In(time.FixedZone("ICT", 7*3600))

		if page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/dossiers", desk, "", "").Body); !strings.Contains(page, "Chưa có hồ sơ nào") {
			t.Error("the empty list does not say what to do")
		}
		if page := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/dossiers/new", desk, "", "").Body); !strings.Contains(page, `<option value="1.001214"`) {
			t.Error("the intake form does not offer SKHCN's procedures")
		}
		intake := func(kv ...string) (int, string) {
			base := map[string]string{"procedure": "1.001214", "applicant": "Lê Văn Bình", "phone": "0912345678", "channel": "direct",
				"received_at": now.Add(-time.Hour).Format("2006-01-02T15:04")}
			for i := 0; i+1 < len(kv); i += 2 {
				base[kv[i]] = kv[i+1]
			}
			var args []string
			for k, v := range base {
				args = append(args, k, v)
			}
			resp := ts.do(t, "POST", "/agencies/SKHCN/dossiers", desk, urlenc, form(args...))
			return resp.StatusCode, readAll(t, resp.Body)
		}
		if status, page := intake("received_at", now.Add(48*time.Hour).Format("2006-01-02T15:04")); status != 400 || !strings.Contains(page, `id="e-received_at"`) {
			t.Errorf("a receipt in the future: %d", status)
		}
		status, page := intake()
		pin := regexp.MustCompile(`class="pin">([0-9]{6})<`).FindStringSubmatch(page)
		code := regexp.MustCompile(`<code>(SKHCN-[0-9]{6}-[0-9]{4})</code>`).FindStringSubmatch(page)
		if status != 200 || pin == nil || code == nil || !strings.Contains(page, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả") || !strings.Contains(page, `<div class="qr"><svg`) {
			t.Fatalf("the slip: %d %.1500s", status, page)
		}
		list := readAll(t, ts.do(t, "GET", "/agencies/SKHCN/dossiers?code="+url.QueryEscape(code[1]), desk, "", "").Body)
		link := regexp.MustCompile(`href="(/agencies/SKHCN/dossiers/[0-9]+)"`).FindStringSubmatch(list)
		if link == nil || !strings.Contains(list, "L. V. Bình") || strings.Contains(list, "0912345678") {
			t.Fatalf("the list (applicant masked): %.2000s", list)
		}
		page = readAll(t, ts.do(t, "GET", link[1], desk, "", "").Body)
		if n := strings.Count(page, "<tr ") + strings.Count(page, "<tr>"); !strings.Contains(page, "Vào sổ, trả kết quả") || !strings.Contains(page, "0912345678") || n < 6 {
			t.Errorf("the dossier page: the process's five steps and the full contact for the desk")
		}
		if resp := ts.do(t, "POST", link[1], desk, urlenc, form("event", "return")); resp.StatusCode != 400 || !strings.Contains(readAll(t, resp.Body), "Có thể:") {
			t.Errorf("an impossible move: %d", resp.StatusCode)
		}
		for i := 0; i < 5; i++ {
			if resp := ts.do(t, "POST", link[1], desk, urlenc, form("event", "complete_step")); resp.StatusCode != 303 {
				t.Fatalf("step %d: %d", i+1, resp.StatusCode)
			}
		}
		if page := readAll(t, ts.do(t, "GET", link[1]+"/forms/05", desk, "", "").Body); !strings.Contains(page, "Phiếu kiểm soát quá trình giải quyết hồ sơ") || strings.Count(page, "Hoàng Văn Cường") < 5 {
			t.Error("Form 05 does not show each step's hand-over")
		}
		if page = readAll(t, ts.do(t, "GET", link[1], desk, "", "").Body); !strings.Contains(page, "Đã giải quyết") || !strings.Contains(page, "Sớm hạn") {
			t.Errorf("after the last step: %.200s", page[strings.Index(page, "<main"):])
		}

		// The citizen, without an account.
		if page := readAll(t, ts.do(t, "GET", "/lookup?code="+url.QueryEscape(code[1]), "", "", "").Body); !strings.Contains(page, `value="`+code[1]+`"`) {
			t.Error("the look-up form does not take the code from the slip's link")
		}
		wrong := "000000"
		if pin[1] == wrong {
			wrong = "000001"
		}
		resp := ts.do(t, "POST", "/lookup", "", urlenc, form("code", code[1], "pin", wrong))
		if body := readAll(t, resp.Body); resp.StatusCode != 404 || !strings.Contains(body, "Mã hồ sơ hoặc mã tra cứu không đúng") {
			t.Errorf("a wrong PIN: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/lookup", "", urlenc, form("code", code[1], "pin", pin[1]))
		if body := readAll(t, resp.Body); resp.StatusCode != 200 || !strings.Contains(body, "L. V. Bình") || strings.Contains(body, "0912345678") || !strings.Contains(body, `name="rating"`) {
			t.Errorf("the look-up: %d", resp.StatusCode)
		}
		resp = ts.do(t, "POST", "/lookup/rating", "", urlenc, form("code", code[1], "pin", pin[1], "rating", "5", "comment", "Nhanh"))
		if body := readAll(t, resp.Body); resp.StatusCode != 200 || !strings.Contains(body, "Cảm ơn ông/bà đã đánh giá") {
			t.Errorf("rating: %d", resp.StatusCode)
		}

		// The API.
		token := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")
		body := `{"procedure":"1.001207","applicant":"Công ty TNHH Thử Nghiệm","channel":"online"}`
		r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/dossiers", token, body, "Idempotency-Key", "ot-2026-000123")
		apiPIN := regexp.MustCompile(`"pin":"([0-9]{6})"`).FindStringSubmatch(out)
		apiCode := regexp.MustCompile(`"code":"(SKHCN-[0-9]{6}-[0-9]{4})"`).FindStringSubmatch(out)
		if r.StatusCode != 201 || apiPIN == nil || apiCode == nil {
			t.Fatalf("receive through the API: %d %s", r.StatusCode, out)
		}
		apiID := regexp.MustCompile(`"id":([0-9]+)`).FindStringSubmatch(out)[1]
		form := "/agencies/SKHCN/dossiers/" + apiID + "/forms/"
		if resp := ts.do(t, "GET", form+"02", desk, "", ""); resp.StatusCode != 404 {
			t.Errorf("Form 02 before any supplement request: %d", resp.StatusCode)
		}
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/dossiers/"+apiID+"/request-supplement", token, `{"note":"Bản sao giấy phép đăng ký kinh doanh"}`); r.StatusCode != 200 || !strings.Contains(out, `"state":"supplement_requested"`) {
			t.Errorf("a supplement request through the API: %d %s", r.StatusCode, out)
		}
		if page := readAll(t, ts.do(t, "GET", form+"02", desk, "", "").Body); !strings.Contains(page, "Bản sao giấy phép đăng ký kinh doanh") || !strings.Contains(page, "Mẫu số 02") {
			t.Error("Form 02 does not name what to supply")
		}
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/dossiers/"+apiID+"/supplement-received", token, ""); r.StatusCode != 200 {
			t.Errorf("supplement received: %d %s", r.StatusCode, out)
		}
		newDue := now.AddDate(0, 2, 0).Format("2006-01-02")
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/dossiers/"+apiID+"/apologize", token, `{"reason":"Chờ ý kiến của Bộ","new_due_on":"`+newDue+`"}`); r.StatusCode != 200 || !strings.Contains(out, `"new_due_on":"`+newDue+`"`) {
			t.Errorf("an apology through the API: %d %s", r.StatusCode, out)
		}
		if page := readAll(t, ts.do(t, "GET", form+"04", desk, "", "").Body); !strings.Contains(page, "Chờ ý kiến của Bộ") || !strings.Contains(page, now.AddDate(0, 2, 0).Format("02/01/2006")) {
			t.Error("Form 04 does not carry the reason and the new date")
		}
		if r, out := ts.api(t, "POST", "/api/v1/agencies/SKHCN/dossiers", token, body, "Idempotency-Key", "ot-2026-000123"); r.StatusCode != 200 || strings.Contains(out, `"pin"`) || !strings.Contains(out, apiCode[1]) {
			t.Errorf("a repeated key: %d %s", r.StatusCode, out)
		}
		batch := `[{"procedure":"1.001207","applicant":"A Một","idempotency_key":"b1"},{"procedure":"9.999999","applicant":"B Hai"},{"procedure":"1.001214","applicant":"C Ba","phone":"0987654321"}]`
		r, out = ts.api(t, "POST", "/api/v1/agencies/SKHCN/dossiers/batch", token, batch)
		if r.StatusCode != 207 || !strings.Contains(out, `"received":2`) || !strings.Contains(out, `"index":1,"status":400`) || !strings.Contains(out, `"field":"procedure"`) {
			t.Errorf("a batch with one bad item: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "GET", "/api/v1/agencies/SKHCN/dossiers?open=true", token, ""); r.StatusCode != 200 || strings.Count(out, `"code":"SKHCN-`) != 3 || strings.Contains(out, "0987654321") {
			t.Errorf("the open dossiers, contacts masked: %d %s", r.StatusCode, out)
		}
		if r, _ := ts.api(t, "GET", "/api/v1/agencies/SKHCN/dossiers", bearer(t, ts, "thuky.snv@demo.isogov.vn"), ""); r.StatusCode != 403 {
			t.Errorf("another agency's dossiers: %d", r.StatusCode)
		}
		if r, out := ts.api(t, "GET", "/api/v1/lookup?code="+apiCode[1]+"&pin="+apiPIN[1], "", ""); r.StatusCode != 200 || !strings.Contains(out, `"applicant":"C. T. T. T. Nghiệm"`) {
			t.Errorf("the public look-up through the API: %d %s", r.StatusCode, out)
		}
		if r, out := ts.api(t, "GET", "/api/v1/dossier-figures", bearer(t, ts, "dieuphoi@demo.isogov.vn"), ""); r.StatusCode != 200 || !strings.Contains(out, `"agency":"SKHCN"`) ||
			!strings.Contains(out, `"received":4`) || !strings.Contains(out, `"early":1`) {
			t.Errorf("the figures: %d %s", r.StatusCode, out)
		}
		// A file from the one-stop software: checked whole first, received once.
		upload := func(mode, data string) (int, string) {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			_ = mw.WriteField("mode", mode)
			fw, _ := mw.CreateFormFile("file", "ho-so.csv")
			_, _ = fw.Write([]byte(data))
			_ = mw.Close()
			resp := ts.do(t, "POST", "/agencies/SKHCN/dossiers/import", desk, mw.FormDataContentType(), b.String())
			return resp.StatusCode, readAll(t, resp.Body)
		}
		day := now.AddDate(0, 0, -3).Format("02/01/2006")
		csv := "\uFEFFMã thủ tục,Người nộp,Điện thoại,Hình thức nộp,Thời điểm tiếp nhận,Mã hồ sơ bên gửi\n" +
			"1.001207,Phạm Văn Đông,0911222333,Trực tuyến," + day + " 09:15,MC-001\n" +
			"1.001207,Đỗ Thị Thu,09xx,Trực tiếp," + day + " 10:00,MC-002\n"
		if status, page := upload("import", csv); status != 400 || !strings.Contains(page, "Số điện thoại gồm 9–12 chữ số") {
			t.Errorf("a file with a bad phone: %d", status)
		}
		if _, out := ts.api(t, "GET", "/api/v1/agencies/SKHCN/dossiers?code=SKHCN-", bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn"), ""); strings.Contains(out, "Phạm Văn Đông") || strings.Contains(out, "P. V. Đông") {
			t.Error("a refused file received a row")
		}
		csv = strings.Replace(csv, "09xx", "0944555666", 1)
		if status, page := upload("import", csv); status != 200 || !strings.Contains(page, "thêm 2") {
			t.Errorf("the import: %d %.300s", status, page[strings.Index(page, "<main"):])
		}
		if status, page := upload("import", csv); status != 200 || !strings.Contains(page, "thêm 0") {
			t.Errorf("the same file again: %d", status)
		}
		resp = ts.do(t, "GET", "/agencies/SKHCN/dossiers/ledger?year="+now.AddDate(0, 0, -3).Format("2006"), desk, "", "")
		if ledger := readAll(t, resp.Body); resp.StatusCode != 200 || !strings.HasPrefix(strings.TrimPrefix(ledger, "\uFEFF"), "STT,Mã hồ sơ") || !strings.Contains(ledger, "\n1,SKHCN-") ||
			!strings.Contains(ledger, "Phạm Văn Đông") {
			t.Errorf("the year's ledger (Form 06): %d %.400s", resp.StatusCode, ledger)
		}
		coord := ts.session(t, "dieuphoi@demo.isogov.vn")
		if page := readAll(t, ts.do(t, "GET", "/dossier-figures", coord, "", "").Body); !strings.Contains(page, `agency=SKHCN`) || !strings.Contains(page, "figure class=\"card trend\"") {
			t.Error("the province's figures: no SKHCN row or no trend")
		}
		if page := readAll(t, ts.do(t, "GET", "/dossier-figures?agency=SKHCN", coord, "", "").Body); !strings.Contains(page, "procedure=1.001214") || !strings.Contains(page, "100.0%") ||
			!strings.Contains(page, "<td>Hoàng Văn Cường</td><td class=\"num\">5</td>") || !strings.Contains(page, "<td>Bộ phận một cửa</td><td class=\"num\">2</td>") || !strings.Contains(page, "Quý này") {
			t.Error("SKHCN's figures per procedure, unit and handler")
		}
		if r, out := ts.api(t, "GET", "/api/v1/dossier-figures?agency=SKHCN", bearer(t, ts, "dieuphoi@demo.isogov.vn"), ""); r.StatusCode != 200 || !strings.Contains(out, `"procedure":"1.001214"`) || !strings.Contains(out, `"months":[{`) {
			t.Errorf("one agency's figures through the API: %d %s", r.StatusCode, out)
		}
		if resp := ts.do(t, "GET", "/dossier-figures?agency=SKHCN", ts.session(t, "thuky.snv@demo.isogov.vn"), "", ""); resp.StatusCode != 403 {
			t.Errorf("another agency's figures: %d", resp.StatusCode)
		}
	})
}
