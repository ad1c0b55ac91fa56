package service_test

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
	"github.com/xuri/excelize/v2"
)

// The catalogue: the coordinator adds and amends procedures (journaled), everyone reads it,
// filters it and each agency's list; bad input names its field.
func TestProcedureCatalogue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		who := seed(t, svc)
		coord, leader := who["coordinator"], who["leader@SKHCN"]
		in := service.ProcedureInput{Code: " 1.004227 ", Name: "Cấp giấy phép tiến hành công việc bức xạ", Field: "An toàn bức xạ", Level: qms.LevelProvince,
			Agencies: []string{"skhcn"}, TimeLimitDays: 15, Fees: "Theo Thông tư 287/2016/TT-BTC", Online: qms.OnlinePartial}
		if _, err := svc.SaveProcedure(ctx, leader, "", in); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an agency's leader adding to the catalogue: %v", err)
		}
		p, err := svc.SaveProcedure(ctx, coord, "", in)
		if err != nil || p.Code != "1.004227" || p.Status != qms.ProcInForce || strings.Join(p.Agencies, ",") != "SKHCN" {
			t.Fatalf("add: %+v %v", p, err)
		}
		if _, err := svc.SaveProcedure(ctx, coord, "", in); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("the same code again: %v", err)
		}
		second := in
		second.Code, second.Name, second.Field, second.Agencies, second.TimeLimitDays = "1.005000", "Cấp giấy phép thành lập hội", "Tổ chức phi chính phủ", []string{"SNV", "SKHCN"}, 30
		if _, err := svc.SaveProcedure(ctx, coord, "", second); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			change func(*service.ProcedureInput)
			field  string
		}{
			{func(x *service.ProcedureInput) { x.Code = "a b" }, "code"},
			{func(x *service.ProcedureInput) { x.Name = " " }, "name"},
			{func(x *service.ProcedureInput) { x.TimeLimitDays = -1 }, "time_limit_days"},
			{func(x *service.ProcedureInput) { x.Level = "nation" }, "level"},
			{func(x *service.ProcedureInput) { x.Agencies = nil }, "agencies"},
			{func(x *service.ProcedureInput) { x.Agencies = []string{"NOPE"} }, "agencies"},
		} {
			bad := in
			bad.Code = "1.009999"
			c.change(&bad)
			_, err := svc.SaveProcedure(ctx, coord, "", bad)
			var e *qms.Error
			if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
				t.Errorf("bad %s: %v", c.field, err)
			}
		}
		// Amended: the change is journaled with what changed.
		in.Status, in.TimeLimitDays = qms.ProcAmended, 10
		if p, err = svc.SaveProcedure(ctx, coord, "1.004227", in); err != nil || p.Status != qms.ProcAmended || p.TimeLimitDays != 10 {
			t.Fatalf("amend: %+v %v", p, err)
		}
		entries, err := svc.Journal(ctx, coord, service.JournalQuery{Limit: 3})
		if err != nil || len(entries) == 0 || entries[0].Action != "procedure.update" || !strings.Contains(entries[0].Changes, `"time_limit_days":{"old":"15","new":"10"}`) {
			t.Errorf("the journal: %+v %v", entries, err)
		}

		list := func(q service.ProcedureQuery) string {
			t.Helper()
			got, err := svc.Procedures(ctx, leader, q)
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, p := range got {
				codes = append(codes, p.Code)
			}
			return strings.Join(codes, " ")
		}
		if got := list(service.ProcedureQuery{}); got != "1.004227 1.005000" {
			t.Errorf("the catalogue: %q", got)
		}
		if got := list(service.ProcedureQuery{ProcedureFilter: store.ProcedureFilter{Query: "giay phep buc xa"}}); got != "1.004227" {
			t.Errorf("folded search: %q", got)
		}
		if got := list(service.ProcedureQuery{Agency: "SNV"}); got != "1.005000" {
			t.Errorf("SNV's list: %q", got)
		}
		if got := list(service.ProcedureQuery{ProcedureFilter: store.ProcedureFilter{Status: qms.ProcAmended}}); got != "1.004227" {
			t.Errorf("by status: %q", got)
		}
		if got := list(service.ProcedureQuery{ProcedureFilter: store.ProcedureFilter{After: "1.004227", Limit: 1}}); got != "1.005000" {
			t.Errorf("the next page: %q", got)
		}
		if _, err := svc.Procedures(ctx, leader, service.ProcedureQuery{ProcedureFilter: store.ProcedureFilter{Level: "nation"}}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a bad level filter: %v", err)
		}
		if _, err := svc.Procedure(ctx, leader, "9.999999"); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("an unknown code: %v", err)
		}
		if _, err := svc.Procedures(ctx, nil, service.ProcedureQuery{}); qms.ErrorCode(err) != qms.EUnauthenticated {
			t.Errorf("anonymous: %v", err)
		}
	})
}

// Importing the catalogue: a dry run reports every row's issues and writes nothing; a clean
// file is imported whole, and again changes nothing; XLSX as exported reads back; other
// encodings, formulas and missing columns are refused clearly.
func TestImportProcedures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		who := seed(t, svc)
		coord := who["coordinator"]
		run := func(data []byte, dry bool) (service.ImportReport, error) {
			return svc.ImportProcedures(ctx, coord, bytes.NewReader(data), int64(len(data)), dry, nil)
		}
		header := "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Cơ quan giải quyết,Thời hạn (ngày làm việc),Trạng thái,Hiệu lực từ\n"
		bad := "\uFEFF" + header +
			"1.000001,Cấp giấy phép A,Lĩnh vực A,Cấp tỉnh,SKHCN,15,Đang áp dụng,15/3/2024\n" +
			"1.000002,Cấp giấy phép B,Lĩnh vực A,cap tinh,\"SKHCN, SNV\",mười,,\n" + // a number in words
			"1.000001,Trùng mã,Lĩnh vực A,province,SKHCN,5,,\n" + // the first row's code again
			"1.000003,Cấp giấy phép C,Lĩnh vực A,quốc gia,NOPE,5,,2024-13-01\n" // a bad level, agency and date
		rep, err := run([]byte(bad), true)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, is := range rep.Issues {
			got = append(got, fmt.Sprintf("%d:%s:%s", is.Row, is.Column, is.Message))
		}
		sort.Strings(got)
		want := []string{"3:Thời hạn (ngày làm việc):err.import_number", "4:Mã thủ tục:err.import_code_twice", "5:Cơ quan giải quyết:err.proc_agency_unknown",
			"5:Hiệu lực từ:err.date", "5:Cấp thực hiện:err.choice"}
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("issues:\n got %s\nwant %s", strings.Join(got, " "), strings.Join(want, " "))
		}
		if rep, err := run([]byte(bad), false); err != nil || len(rep.Issues) == 0 || rep.Added != 0 {
			t.Errorf("a confirmed import with issues: %+v %v", rep, err)
		}
		if list, _ := svc.Procedures(ctx, coord, service.ProcedureQuery{}); len(list) != 0 {
			t.Fatalf("something was written: %d procedures", len(list))
		}

		good := header + "1.000001,Cấp giấy phép A,Lĩnh vực A,Cấp tỉnh,SKHCN,15,Đang áp dụng,15/3/2024\n\n" +
			"1.000002;x,Cấp giấy phép B,Lĩnh vực B,province,SKHCN SNV,10,,\n"
		good = strings.Replace(good, "1.000002;x", "1.000002", 1)
		if rep, err := run([]byte(good), true); err != nil || rep.Added != 2 || len(rep.Issues) != 0 {
			t.Fatalf("dry run of a good file: %+v %v", rep, err)
		}
		if rep, err := run([]byte(good), false); err != nil || rep.Added != 2 || rep.Rows != 2 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		if rep, err := run([]byte(good), false); err != nil || rep.Unchanged != 2 || rep.Added+rep.Updated != 0 {
			t.Errorf("the same file again: %+v %v", rep, err)
		}
		p, err := svc.Procedure(ctx, coord, "1.000002")
		if err != nil || strings.Join(p.Agencies, ",") != "SKHCN,SNV" || p.TimeLimitDays != 10 {
			t.Errorf("an imported procedure: %+v %v", p, err)
		}
		if p, _ := svc.Procedure(ctx, coord, "1.000001"); p.EffectiveOn != qms.NewDate(2024, 3, 15) {
			t.Errorf("a Vietnamese date: %v", p.EffectiveOn)
		}

		// Bad files as a whole.
		var e *qms.Error
		for name, data := range map[string][]byte{
			"Windows-1258": append([]byte(header[:10]), 0xC3, 0xA0, 0xFF, '\n'),
			"not a table":  []byte("PK\x03\x04 nothing"),
		} {
			if _, err := run(data, true); !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "file" {
				t.Errorf("%s: %v", name, err)
			}
		}
		if rep, _ := run([]byte("Mã thủ tục,Tên thủ tục,Cột lạ\n1.1,x,y\n"), true); len(rep.Issues) < 4 {
			t.Errorf("missing and unknown columns: %+v", rep.Issues)
		}
		// A workbook with a formula in a cell.
		x := excelize.NewFile()
		for i, h := range strings.Split(strings.TrimSpace(header), ",") {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			_ = x.SetCellValue("Sheet1", cell, h)
		}
		for i, v := range []any{"1.000009", "Thủ tục", "Lĩnh vực", "province", "SNV", 10} {
			cell, _ := excelize.CoordinatesToCellName(i+1, 2)
			_ = x.SetCellValue("Sheet1", cell, v)
		}
		_ = x.SetCellFormula("Sheet1", "F2", "=5+5")
		var buf bytes.Buffer
		if err := x.Write(&buf); err != nil {
			t.Fatal(err)
		}
		if rep, err := run(buf.Bytes(), true); err != nil || len(rep.Issues) != 1 || rep.Issues[0].Message != "err.import_formula" || rep.Issues[0].Row != 2 {
			t.Errorf("a formula: %+v %v", rep.Issues, err)
		}
	})
}
