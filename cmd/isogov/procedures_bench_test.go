package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
	"github.com/xuri/excelize/v2"
)

// benchAgencies creates n departments CQ000… for a benchmark's procedures.
func benchAgencies(b *testing.B, svc *service.Service, n int) []string {
	var codes []string
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("CQ%03d", i)
		if _, err := svc.CreateAgency(ctx, service.System, service.AgencyInput{Code: code, Name: "Cơ quan " + code, Kind: qms.KindDepartment}); err != nil {
			b.Fatal(err)
		}
		codes = append(codes, code)
	}
	return codes
}

// BenchmarkImportProcedures imports a 2,000-row XLSX catalogue into an empty one: reading,
// validating every row, then writing and journaling all of them in one transaction (issue:
// procedures, target < 2 s).
func BenchmarkImportProcedures(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			dsn := testdb.DSN(b, dialect)
			db, raw := testdb.OpenDSN(b, dsn), testdb.Raw(b, dsn)
			svc := service.New(db, service.Config{Argon: fastArgon, DataDir: b.TempDir()}, nil, nil)
			agencies := benchAgencies(b, svc, 40)
			x := excelize.NewFile()
			sw, err := x.NewStreamWriter("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			header := []any{"Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện", "Cơ quan giải quyết", "Thời hạn (ngày làm việc)", "Phí, lệ phí", "Thành phần hồ sơ", "Tình trạng"}
			_ = sw.SetRow("A1", header)
			for i := 0; i < 2000; i++ {
				cell, _ := excelize.CoordinatesToCellName(1, i+2)
				_ = sw.SetRow(cell, []any{fmt.Sprintf("1.%06d", 100000+i), fmt.Sprintf("Cấp giấy phép hoạt động số %d", i), fmt.Sprintf("Lĩnh vực %d", i%40), "Cấp tỉnh",
					agencies[i%len(agencies)], 5 + i%25, "500.000 đồng", "Đơn đề nghị\nBản sao giấy tờ", "Đang áp dụng"})
			}
			if err := sw.Flush(); err != nil {
				b.Fatal(err)
			}
			var file bytes.Buffer
			if err := x.Write(&file); err != nil {
				b.Fatal(err)
			}
			data := file.Bytes()
			var times []time.Duration
			for b.Loop() {
				b.StopTimer()
				for _, q := range []string{"DELETE FROM procedure_agencies", "DELETE FROM procedures"} {
					if _, err := raw.Exec(q); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				start := time.Now()
				rep, err := svc.ImportProcedures(ctx, service.System, bytes.NewReader(data), int64(len(data)), false, nil)
				times = append(times, time.Since(start))
				if err != nil || rep.Added != 2000 || len(rep.Issues) != 0 {
					b.Fatalf("import: %+v %v", rep.Issues, err)
				}
			}
			b.ReportMetric(float64(percentile(times, 0.5).Milliseconds()), "p50-ms")
			b.ReportMetric(float64(percentile(times, 1).Milliseconds()), "max-ms")
		})
	}
}

// BenchmarkProcedureList renders the catalogue page over 5,000 procedures with a word and a
// field filter, as an agency's staff member (issue: procedures, target p95 < 30 ms).
func BenchmarkProcedureList(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := testdb.Open(b, dialect)
			svc := service.New(db, service.Config{Argon: fastArgon, DataDir: b.TempDir()}, nil, nil)
			agencies := benchAgencies(b, svc, 100)
			var csv strings.Builder
			csv.WriteString("code,name,field,level,agencies,time_limit_days\n")
			for i := 0; i < 5000; i++ {
				fmt.Fprintf(&csv, "1.%06d,Cấp giấy phép hoạt động loại %d,Lĩnh vực %d,province,%s,%d\n", 200000+i, i, i%60, agencies[i%len(agencies)], 5+i%25)
			}
			if rep, err := svc.ImportProcedures(ctx, service.System, strings.NewReader(csv.String()), int64(csv.Len()), false, nil); err != nil || rep.Added != 5000 {
				b.Fatalf("load: %+v %v", rep.Issues, err)
			}
			if err := db.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			if _, err := svc.CreateUser(ctx, service.System, service.UserInput{Email: "cv@test.vn", Name: "Chuyên viên", Password: "Kh0ng-de-doan-2026", Roles: []string{"staff@CQ001"}}); err != nil {
				b.Fatal(err)
			}
			h, _, err := newServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), serverOptions{})
			if err != nil {
				b.Fatal(err)
			}
			res, err := svc.SignIn(ctx, "cv@test.vn", "Kh0ng-de-doan-2026", "127.0.0.1", "bench")
			if err != nil {
				b.Fatal(err)
			}
			paths := []string{"/procedures", "/procedures?q=giay+phep+hoat+dong&field=" + "L%C4%A9nh+v%E1%BB%B1c+7", "/procedures?status=in_force&level=province&after=1.202000",
				"/agencies/CQ007/procedures", "/procedures?q=loai+4999"}
			var times []time.Duration
			i := 0
			for b.Loop() {
				req := httptest.NewRequest("GET", paths[i%len(paths)], nil)
				req.AddCookie(&http.Cookie{Name: httpkit.SessionCookie, Value: res.Secret})
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != 200 || !strings.Contains(rec.Body.String(), "<table class=\"list procedures\">") {
					b.Fatalf("%s: %d", paths[i%len(paths)], rec.Code)
				}
				i++
			}
			b.ReportMetric(float64(percentile(times, 0.5).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(times, 0.95).Microseconds())/1000, "p95-ms")
		})
	}
}
