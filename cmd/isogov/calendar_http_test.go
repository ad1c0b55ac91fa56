package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/testdb"
)

// The calendar through the API and the UI, on every database: the year with lunar dates, the
// due date with an agency's cut-off, and an administrator correcting a year (journaled).
func TestCalendarHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *storeDB) {
		ts := newTestServer(t, db)
		admin := bearer(t, ts, "quantri@demo.isogov.vn")
		staff := bearer(t, ts, "chuyenvien.skhcn@demo.isogov.vn")
		coord := bearer(t, ts, "dieuphoi@demo.isogov.vn")

		resp, body := ts.api(t, "GET", "/api/v1/calendar/2026", staff, "")
		var year struct {
			Source string `json:"source"`
			Days   []struct {
				Date, Kind, Reason, Lunar string
				Working                   bool
			} `json:"days"`
		}
		if err := json.Unmarshal([]byte(body), &year); err != nil || resp.StatusCode != 200 || len(year.Days) != 365 || year.Source != "shipped" {
			t.Fatalf("GET calendar/2026: %d %v %.200s", resp.StatusCode, err, body)
		}
		if d := year.Days[47]; d.Date != "2026-02-17" || d.Lunar != "1/1/2026" || d.Working || d.Kind != "holiday" {
			t.Errorf("17/02/2026 = %+v", d)
		}
		// The Department of Science and Technology closes its desk at 16:00.
		if resp, body := ts.api(t, "PATCH", "/api/v1/agencies/SKHCN", coord, `{"office_cutoff":"16:00"}`); resp.StatusCode != 200 || !strings.Contains(body, `"office_cutoff":"16:00"`) {
			t.Fatalf("set cut-off: %d %s", resp.StatusCode, body)
		}
		for _, c := range []struct {
			name, query string
			status      int
			want        string
		}{
			{"default cut-off", "received=2026-11-23T15:30&days=5", 200, `"due":"2026-12-02"`},
			{"the agency's cut-off", "received=2026-11-23T15:30&days=5&agency=SKHCN", 200, `"due":"2026-12-01"`},
			{"make-up Saturday", "received=2026-01-10T09:00&days=1", 200, `"effective_receipt":"2026-01-10"`},
			{"malformed time", "received=23/11/2026&days=5", 400, `"field":"received"`},
			{"negative limit", "received=2026-11-23T09:00&days=-1", 400, `"field":"days"`},
			{"bad cut-off", "received=2026-11-23T09:00&days=1&cutoff=25:99", 400, `"field":"cutoff"`},
			{"unknown agency", "received=2026-11-23T09:00&days=1&agency=NOPE", 404, `"not_found"`},
			{"out of range", "received=2300-01-01T09:00&days=1", 400, `"field":"received"`},
			{"a supplement pause", "received=2026-11-23T09:00&days=5&pause=2026-11-25/2026-11-27", 200, `"due":"2026-12-03"`},
			{"a malformed pause", "received=2026-11-23T09:00&days=5&pause=2026-11-25", 400, `"field":"pause"`},
			{"a pause backwards", "received=2026-11-23T09:00&days=5&pause=2026-11-27/2026-11-25", 400, `"field":"pause"`},
		} {
			resp, body := ts.api(t, "GET", "/api/v1/calendar/due?"+c.query, staff, "")
			if resp.StatusCode != c.status || !strings.Contains(body, c.want) {
				t.Errorf("%s: %d %s", c.name, resp.StatusCode, body)
			}
		}
		if resp, _ := ts.api(t, "GET", "/api/v1/calendar/2200", staff, ""); resp.StatusCode != 400 {
			t.Errorf("year 2200: %d", resp.StatusCode)
		}

		// An administrator arranges 2027; errors name the line.
		bad := `{"document":"TB 1/TB-BNV","lines":"2027-02-05 off Tết Nguyên đán\n2027-02-30 off sai"}`
		if resp, body := ts.api(t, "POST", "/api/v1/calendar/2027/arrangement", admin, bad); resp.StatusCode != 400 || !strings.Contains(body, "Dòng 2") {
			t.Errorf("bad line: %d %s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, "POST", "/api/v1/calendar/2027/arrangement", coord, bad); resp.StatusCode != 403 {
			t.Errorf("coordinator arranging: %d", resp.StatusCode)
		}
		good := `{"document":"TB 1/TB-BNV (thử)","confidence":"✅","lines":"2027-02-05 off Tết Nguyên đán\n2027-02-20 work Làm bù ngày 5/2"}`
		resp, body = ts.api(t, "POST", "/api/v1/calendar/2027/arrangement", admin, good)
		if resp.StatusCode != 200 || !strings.Contains(body, `"source":"administrator"`) || !strings.Contains(body, `"date":"2027-02-20","weekday":"Saturday","working":true,"kind":"makeup"`) {
			t.Fatalf("arrange 2027: %d %.300s", resp.StatusCode, body)
		}
		// The Tết days the rules would have given are working days now: only the listed ones are off.
		if _, body := ts.api(t, "GET", "/api/v1/calendar/due?received=2027-02-08T09:00&days=0", staff, ""); !strings.Contains(body, `"effective_receipt":"2027-02-08"`) {
			t.Errorf("after the arrangement: %s", body)
		}
		if _, body := ts.api(t, "GET", "/api/v1/journal?chain=province&limit=1", admin, ""); !strings.Contains(body, `"action":"calendar.arrange"`) {
			t.Errorf("arrangement not journaled: %.300s", body)
		}
		if resp, _ := ts.api(t, "POST", "/api/v1/calendar/2027/arrangement/reset", admin, ""); resp.StatusCode != 204 {
			t.Errorf("reset: %d", resp.StatusCode)
		}
		if resp, _ := ts.api(t, "POST", "/api/v1/calendar/2027/arrangement/reset", admin, ""); resp.StatusCode != 404 {
			t.Errorf("second reset: %d", resp.StatusCode)
		}

		// The UI: the year view, the calculator, and the editor's errors beside the field.
		cookie := ts.session(t, "quantri@demo.isogov.vn")
		for _, c := range []struct {
			method, path, body string
			status             int
			want               string
		}{
			{"GET", "/calendar/2026", "", 200, "Ngày Văn hóa Việt Nam"},
			{"GET", "/calendar/2026", "", 200, `title="Tết Nguyên đán"`},
			{"GET", "/calendar/2025", "", 200, "năm nhuận tháng 6 âm lịch"},
			{"GET", "/calendar/2031", "", 200, "Theo quy định của Bộ luật Lao động"},
			{"GET", "/calendar/1800", "", 404, "Năm phải từ 1900 đến 2199"},
			{"GET", "/calendar/due?received=2026-11-23T15:30&days=5&agency=SKHCN", "", 200, `id="due-date">Thứ Ba 01/12/2026`},
			{"GET", "/calendar/due?received=x&days=5", "", 400, `id="e-received"`},
			{"GET", "/calendar/2027/edit", "", 200, "2027-02-05 off"},
			{"POST", "/calendar/2027/edit", form("document", "TB thử", "lines", "2027-01-04 work sai"), 400, "Dòng 1: 2027-01-04 không phải thứ Bảy hoặc Chủ nhật"},
		} {
			ctype := ""
			if c.method == "POST" {
				ctype = "application/x-www-form-urlencoded"
			}
			resp := ts.do(t, c.method, c.path, cookie, ctype, c.body)
			page := readAll(t, resp.Body)
			if resp.StatusCode != c.status || !strings.Contains(page, c.want) {
				t.Errorf("%s %s: %d, want %d with %q", c.method, c.path, resp.StatusCode, c.status, c.want)
			}
		}
	})
}
