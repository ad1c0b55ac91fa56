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
	"github.com/isogov/isogov/internal/store"
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

// BenchmarkChangeImpact amends a law cited by 300 of 2,000 procedures settled by 40 agencies,
// each agency holding ten processes (five procedures each, naming a form): the change opens a
// task in every agency concerned listing its processes and forms, journaled (issue:
// procedures, target < 1 s).
func BenchmarkChangeImpact(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			dsn := testdb.DSN(b, dialect)
			db, raw := testdb.OpenDSN(b, dsn), testdb.Raw(b, dsn)
			svc := service.New(db, service.Config{Argon: fastArgon, DataDir: b.TempDir()}, nil, nil)
			if err := svc.SeedReferenceData(ctx); err != nil {
				b.Fatal(err)
			}
			agencies := benchAgencies(b, svc, 40)
			var csv strings.Builder
			csv.WriteString("code,name,field,level,agencies,time_limit_days,legal_bases\n")
			byAgency := map[string][]string{}
			for i := 0; i < 2000; i++ {
				law := "Luật Khác số 01/2020/QH14"
				if i < 300 { // seven or eight procedures of every agency
					law = "Luật Thử nghiệm số 99/2025/QH15"
				}
				code, agency := fmt.Sprintf("1.%06d", 300000+i), agencies[i%len(agencies)]
				byAgency[agency] = append(byAgency[agency], code)
				fmt.Fprintf(&csv, "%s,Thủ tục %d,Lĩnh vực %d,province,%s,20,\"%s\nNghị định số 61/2018/NĐ-CP\"\n", code, i, i%30, agency, law)
			}
			if rep, err := svc.ImportProcedures(ctx, service.System, strings.NewReader(csv.String()), int64(csv.Len()), false, nil); err != nil || rep.Added != 2000 {
				b.Fatalf("load: %+v %v", rep.Issues, err)
			}
			for _, agency := range agencies {
				for p := 0; p < 10; p++ {
					form, err := svc.CreateDocument(ctx, service.System, agency, service.DocumentInput{Type: "form", Title: fmt.Sprintf("Biểu mẫu %d", p)})
					if err != nil {
						b.Fatal(err)
					}
					d, err := svc.CreateDocument(ctx, service.System, agency, service.DocumentInput{Type: "process", Title: fmt.Sprintf("Quy trình %d", p)})
					if err != nil {
						b.Fatal(err)
					}
					c := qms.ProcessContent{Procedures: byAgency[agency][p*5 : p*5+5], Steps: []qms.ProcessStep{
						{Description: "Tiếp nhận", Responsible: "Một cửa", Amount: 1, Unit: qms.UnitDays, Output: "Phiếu " + form.Code},
						{Description: "Giải quyết", Responsible: "Phòng", Amount: 10, Unit: qms.UnitDays}}}
					if _, err := svc.SaveProcess(ctx, service.System, agency, d.Latest.ID, 0, c); err != nil {
						b.Fatal(err)
					}
				}
			}
			if err := db.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			law, err := svc.LegalDocs(ctx, service.System, store.LegalFilter{Query: "99/2025"})
			if err != nil || len(law) != 1 {
				b.Fatalf("the law: %+v %v", law, err)
			}
			in := service.LegalInput{Number: law[0].Number, Title: law[0].Title, Status: qms.ExtAmended, ChangedBy: "Luật số 100/2026/QH15"}
			var times []time.Duration
			for b.Loop() {
				b.StopTimer()
				for _, q := range []string{"DELETE FROM update_task_items", "DELETE FROM update_tasks", "UPDATE legal_documents SET status = 'in_force', changed_by = ''"} {
					if _, err := raw.Exec(q); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				start := time.Now()
				_, opened, err := svc.SaveLegalDoc(ctx, service.System, law[0].ID, in)
				times = append(times, time.Since(start))
				if err != nil || opened != 40 {
					b.Fatalf("impact: %d tasks, %v", opened, err)
				}
			}
			tasks, err := db.UpdateTasks(ctx, store.TaskFilter{LegalID: law[0].ID})
			if err != nil || len(tasks) != 40 || len(tasks[0].Items) == 0 {
				b.Fatalf("tasks: %d %v", len(tasks), err)
			}
			b.ReportMetric(float64(percentile(times, 0.5).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(times, 1).Microseconds())/1000, "max-ms")
		})
	}
}
