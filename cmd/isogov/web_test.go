package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/testdb"
)

func xlsxRows(t *testing.T, resp *http.Response, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatalf("%s: not an XLSX file: %v", resp.Request.URL, err)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("%s: sheet %q: %v", resp.Request.URL, sheet, err)
	}
	return rows
}

func sessionCookie(resp *http.Response) string {
	for _, c := range resp.Cookies() {
		if c.Name == httpkit.SessionCookie && c.MaxAge >= 0 {
			return c.Value
		}
	}
	return ""
}

// Web scenarios through the real router: request, expected status, body fragments.
func TestWebScenarios(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		const formType = "application/x-www-form-urlencoded"

		// A wrong password shows the error beside the form and opens no session.
		resp := ts.do(t, "POST", "/login", "", formType, form("email", "dieuphoi@demo.isogov.vn", "password", "sai-mat-khau-123"))
		body := readAll(t, resp.Body)
		if resp.StatusCode != 401 || !strings.Contains(body, "Thư điện tử hoặc mật khẩu không đúng") || sessionCookie(resp) != "" {
			t.Errorf("wrong password: %d, cookie %q", resp.StatusCode, sessionCookie(resp))
		}
		// The right one opens a session (HttpOnly, SameSite=Lax) and goes where the visitor was headed.
		resp = ts.do(t, "POST", "/login", "", formType, form("email", "DieuPhoi@demo.isogov.vn ", "password", demo.Password, "next", "/agencies"))
		coord := sessionCookie(resp)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/agencies" || coord == "" {
			t.Fatalf("sign in: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		for _, c := range resp.Cookies() {
			if c.Name == httpkit.SessionCookie && (!c.HttpOnly || c.SameSite != http.SameSiteLaxMode) {
				t.Errorf("session cookie flags: %+v", c)
			}
		}
		// An open redirect through next is refused.
		resp = ts.do(t, "POST", "/login", "", formType, form("email", "dieuphoi@demo.isogov.vn", "password", demo.Password, "next", "//evil.example/x"))
		if resp.Header.Get("Location") != "/" {
			t.Errorf("next=//evil.example: redirected to %q", resp.Header.Get("Location"))
		}

		cases := []struct {
			name, method, path, cookie, body string
			status                           int
			want, not                        []string
		}{
			{"home shows real figures", "GET", "/", coord, "", 200, []string{"Xin chào, Trần Văn Hùng", ">57<", "Điều phối cấp tỉnh"}, nil},
			{"all 57 agencies", "GET", "/agencies", coord, "", 200, []string{"57 cơ quan", "Chi cục Kiểm lâm", "Ban Thi đua - Khen thưởng"}, nil},
			{"search without diacritics", "GET", "/agencies?q=so+khoa+hoc", coord, "", 200, []string{"1 cơ quan", "Sở Khoa học và Công nghệ"}, []string{"Sở Nội vụ"}},
			{"search finds nothing", "GET", "/agencies?q=zzz", coord, "", 200, []string{"Không tìm thấy cơ quan nào khớp với “zzz”"}, nil},
			{"filter by kind", "GET", "/agencies?kind=sub_department", coord, "", 200, []string{"13 cơ quan"}, nil},
			{"agency page", "GET", "/agencies/SKHCN", coord, "", 200, []string{"Phòng Quản lý khoa học", "Thêm phòng, ban"}, nil},
			{"unknown agency", "GET", "/agencies/NOPE", coord, "", 404, []string{"Không tìm thấy cơ quan có mã này"}, nil},
			{"unknown page", "GET", "/khong-co", coord, "", 404, []string{"Không tìm thấy"}, nil},
			{"create with errors beside fields", "POST", "/agencies", coord, form("code", "sở x", "name", "", "kind", ""), 400,
				[]string{`id="e-code"`, `id="e-name"`, `id="e-kind"`, `aria-invalid="true"`, "Vui lòng sửa các ô"}, nil},
			{"create", "POST", "/agencies", coord, form("code", "XSS1", "name", `<script>alert(1)</script>`, "kind", "other", "parent_code", "SKHCN"), 303, nil, nil},
			{"markup is escaped", "GET", "/agencies/XSS1", coord, "", 200, []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>alert(1)"}},
			{"journal of the agency", "GET", "/agencies/SKHCN/journal", coord, "", 200, []string{"Nhật ký: Sở Khoa học và Công nghệ", "Phê duyệt (ký)"}, nil},
			{"switch to English", "POST", "/lang", coord, form("lang", "en", "next", "/agencies"), 303, nil, nil},
			{"English", "GET", "/agencies", coord, "", 200, []string{"58 agencies", `lang="en"`, "Department"}, nil},
			{"errors in English", "GET", "/agencies/NOPE", coord, "", 404, []string{"No agency has this code"}, nil},
			{"back to Vietnamese", "POST", "/lang", coord, form("lang", "vi"), 303, nil, nil},
			{"Vietnamese again", "GET", "/agencies", coord, "", 200, []string{"58 cơ quan"}, nil},
			{"bad language", "POST", "/lang", coord, form("lang", "fr"), 400, nil, nil},
			{"profile", "GET", "/profile", coord, "", 200, []string{"Khóa API", "Đổi mật khẩu"}, nil},
			{"new token shown once", "POST", "/profile/tokens", coord, form("token_name", "bảng điều khiển"), 201, []string{`id="new-token">isg_`}, nil},
			{"token listed without secret", "GET", "/profile", coord, "", 200, []string{"bảng điều khiển", "Chưa dùng"}, []string{`id="new-token"`}},
			{"weak new password", "POST", "/profile/password", coord, form("current", demo.Password, "password", "1234567890", "confirm", "1234567890"), 400, []string{"quá phổ biến"}, nil},
			{"wrong current password", "POST", "/profile/password", coord, form("current", "nope-nope-nope", "password", "Mat-khau-moi-2026", "confirm", "Mat-khau-moi-2026"), 400, []string{"Mật khẩu hiện tại không đúng"}, nil},
			{"admin pages refused", "GET", "/admin/users", coord, "", 403, []string{"Bạn không có quyền"}, nil},
			{"anonymous sent to sign in", "GET", "/agencies/SKHCN", "", "", 303, nil, nil},
			{"static asset", "GET", "/static/htmx.min.js", "", "", 200, []string{"htmx"}, nil},
			{"health", "GET", "/healthz", "", "", 200, []string{"ok"}, nil},
			{"ready", "GET", "/readyz", "", "", 200, []string{"ready"}, nil},
			{"metrics", "GET", "/metrics", "", "", 200, []string{`isogov_http_requests_total{code="200",method="GET",route="GET /healthz"}`, "isogov_http_request_duration_seconds_bucket", `isogov_db_connections_open{pool=`}, nil},
		}
		for _, c := range cases {
			ctype := ""
			if c.method == "POST" {
				ctype = formType
			}
			resp := ts.do(t, c.method, c.path, c.cookie, ctype, c.body)
			body := readAll(t, resp.Body)
			if resp.StatusCode != c.status {
				t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.status)
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: page lacks %q", c.name, w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(body, n) {
					t.Errorf("%s: page contains %q", c.name, n)
				}
			}
		}

		// Every list exports: CSV with a byte-order mark and one line per row, or XLSX.
		resp = ts.do(t, "GET", "/agencies/export", coord, "", "")
		csv := readAll(t, resp.Body)
		if !strings.HasPrefix(csv, "\uFEFF") || strings.Count(csv, "\n") != 59 || !strings.Contains(csv, "SKHCN,Sở Khoa học và Công nghệ") {
			t.Errorf("agencies export: %d lines: %.200s", strings.Count(csv, "\n"), csv)
		}
		resp = ts.do(t, "GET", "/agencies/export?q=so+khoa+hoc", coord, "", "")
		if csv := readAll(t, resp.Body); strings.Count(csv, "\n") != 2 {
			t.Errorf("filtered export has %d lines, want header + 1", strings.Count(csv, "\n"))
		}
		for path, sheet := range map[string]string{
			"/agencies/export?format=xlsx": "Cơ quan, đơn vị", "/agencies/SKHCN/units/export?format=xlsx": "Phòng, ban",
			"/agencies/SKHCN/journal/export?format=xlsx": "Nhật ký thay đổi", "/journal/export?format=xlsx&chain=province": "Nhật ký thay đổi",
		} {
			resp := ts.do(t, "GET", path, coord, "", "")
			rows := xlsxRows(t, resp, sheet)
			if resp.StatusCode != 200 || len(rows) < 2 {
				t.Errorf("%s: %d, %d rows", path, resp.StatusCode, len(rows))
			}
		}
		resp = ts.do(t, "GET", "/agencies/SKHCN/journal/export", coord, "", "")
		if j := readAll(t, resp.Body); !strings.Contains(j, "Thêm phòng, ban") || !strings.Contains(j, "Chi cục Tiêu chuẩn Đo lường Chất lượng") {
			t.Errorf("journal export: %.300s", j)
		}

		// A cross-site form post is refused (CSRF), even with a valid session.
		req, _ := http.NewRequest("POST", ts.URL+"/agencies", strings.NewReader(form("code", "EVIL", "name", "X", "kind", "other")))
		req.Header.Set("Content-Type", formType)
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.AddCookie(&http.Cookie{Name: httpkit.SessionCookie, Value: coord})
		r2, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r2.Body.Close()
		if r2.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST: status %d, want 403", r2.StatusCode)
		}
		if _, err := ts.db.AgencyByCode(ctx, "EVIL"); err == nil {
			t.Error("the cross-site POST created an agency")
		}

		// Signing out ends the session on the server.
		ts.do(t, "POST", "/logout", coord, formType, "")
		if resp := ts.do(t, "GET", "/agencies", coord, "", ""); resp.StatusCode != 303 {
			t.Errorf("after sign-out: %d", resp.StatusCode)
		}
	})
}

// Over TLS the session cookie is marked Secure even without --secure-cookies.
func TestSecureCookieOverTLS(t *testing.T) {
	plain := newTestServer(t, testdb.Open(t, "sqlite"))
	ts := httptest.NewTLSServer(plain.Config.Handler)
	defer ts.Close()
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.PostForm(ts.URL+"/login", map[string][]string{"email": {"dieuphoi@demo.isogov.vn"}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	found := false
	for _, c := range resp.Cookies() {
		if c.Name == httpkit.SessionCookie {
			found = true
			if !c.Secure || !c.HttpOnly {
				t.Errorf("session cookie over TLS: %+v", c)
			}
		}
	}
	if !found {
		t.Errorf("no session cookie (status %d)", resp.StatusCode)
	}
}
