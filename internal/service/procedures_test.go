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
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		// The amendment opens the agencies' update tasks (see TestChangeImpact).
		if err != nil || len(entries) < 2 || actions[0] != "update_task.open" || actions[1] != "procedure.update" ||
			!strings.Contains(entries[1].Changes, `"time_limit_days":{"old":"15","new":"10"}`) {
			t.Errorf("the journal: %v %+v %v", actions, entries, err)
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

// A process: its steps must fit the procedure's legal limit (the error names the overrun); its
// content is signed with the revision, which can be submitted without a main file; the next
// revision starts from it.
func TestProcessContent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		coord, sec, leader := who["coordinator"], who["secretary@SKHCN"], who["leader@SKHCN"]
		if _, err := svc.SaveProcedure(ctx, coord, "", service.ProcedureInput{Code: "1.004227", Name: "Cấp giấy phép tiến hành công việc bức xạ", Field: "An toàn bức xạ",
			Level: qms.LevelProvince, Agencies: []string{"SKHCN"}, TimeLimitDays: 15}); err != nil {
			t.Fatal(err)
		}
		d, err := svc.CreateDocument(ctx, sec, "SKHCN", service.DocumentInput{Type: "process", Title: "Quy trình cấp giấy phép tiến hành công việc bức xạ"})
		if err != nil {
			t.Fatal(err)
		}
		step := func(desc string, amount int, unit string) qms.ProcessStep {
			return qms.ProcessStep{Description: desc, Responsible: "Phòng QLCN", Amount: amount, Unit: unit}
		}
		c := qms.ProcessContent{Procedures: []string{"1.004227"}, Purpose: "Quy định trình tự cấp giấy phép", WhereFiled: "Trung tâm Phục vụ hành chính công",
			Steps: []qms.ProcessStep{step("Tiếp nhận hồ sơ", 4, qms.UnitHours), step("Thẩm định hồ sơ", 10, qms.UnitDays), step("Trình ký", 2, qms.UnitDays),
				step("Ký duyệt", 2, qms.UnitDays), step("Trả kết quả", 4, qms.UnitHours), {}},
			Records: []qms.ProcessRecord{{Record: "Hồ sơ đề nghị", Place: "Phòng QLCN", Retention: "5 năm"}}}
		long := c
		long.Steps = append(append([]qms.ProcessStep(nil), c.Steps...), step("Họp hội đồng", 1, qms.UnitDays)) // 16 days in all
		_, err = svc.SaveProcess(ctx, sec, "SKHCN", d.Latest.ID, 0, long)
		var e *qms.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "steps" || fmt.Sprint(e.Fields[0].Args) != "[16 15 1]" {
			t.Errorf("a 16-day process for a 15-day procedure: %v %+v", err, e)
		}
		bad := c
		bad.Procedures = []string{"9.999999"}
		if _, err := svc.SaveProcess(ctx, sec, "SKHCN", d.Latest.ID, 0, bad); !errors.As(err, &e) || e.Fields[0].Field != "procedures" {
			t.Errorf("an unknown procedure: %v", err)
		}
		v, err := svc.SaveProcess(ctx, sec, "SKHCN", d.Latest.ID, 0, c)
		if err != nil || v.ProcessDigest == "" || v.ContentHash == "" {
			t.Fatalf("save: %+v %v", v, err)
		}
		if res, err := svc.Search(ctx, who["staff@SKHCN"], service.SearchRequest{Query: "tham dinh ho so"}); err != nil || res.Total != 1 {
			t.Errorf("the process's steps are not searched: %d %v", res.Total, err)
		}
		view, err := svc.Process(ctx, who["staff@SKHCN"], "SKHCN", v.ID)
		if err != nil || len(view.Content.Steps) != 5 || view.LimitDays != 15 || qms.FormatDays(view.Content.TotalHours()) != "15" {
			t.Fatalf("the view: %+v %v", view, err)
		}
		// No main file: the structured content is the document.
		if v, err = svc.Transition(ctx, sec, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvSubmitReview, Reviewers: []string{"staff.skhcn@test.vn"}, Deadline: qms.NewDate(2026, 12, 4)}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveProcess(ctx, sec, "SKHCN", v.ID, 0, c); err != nil {
			t.Errorf("saving the same content during the round: %v", err)
		}
		if v, err = svc.Transition(ctx, sec, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvCloseRound}); err == nil {
			v, err = svc.Transition(ctx, sec, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvSubmitApproval})
		}
		if err != nil {
			t.Fatal(err)
		}
		changed := c
		changed.Purpose = "Sửa sau khi trình"
		if _, err := svc.SaveProcess(ctx, sec, "SKHCN", v.ID, 0, changed); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("changing a submitted process: %v", err)
		}
		if v, err = svc.Transition(ctx, leader, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 11, 27)}); err != nil || v.State != qms.RevEffective {
			t.Fatalf("approve: %v %v", v.State, err)
		}
		wf, err := svc.ProcedureWorkflow(ctx, who["staff@SKHCN"], "SKHCN", "1.004227")
		if err != nil || wf.RevisionID != v.ID || len(wf.Steps) != 5 || wf.Steps[1].StartHours != 4 || wf.Steps[4].EndHours != 15*qms.HoursPerDay {
			t.Errorf("the workflow dossiers follow: %+v %v", wf, err)
		}
		if wf, err := svc.ProcedureWorkflow(ctx, who["leader@SNV"], "SNV", "1.004227"); err != nil || wf.RevisionID != 0 || len(wf.Steps) != 0 {
			t.Errorf("an agency without a process for it: %+v %v", wf, err)
		}
		next, err := svc.NewRevision(ctx, sec, "SKHCN", d.ID)
		if err != nil || next.ProcessDigest != v.ProcessDigest {
			t.Fatalf("the next revision: %v %v", next.ProcessDigest, err)
		}
		if view, err := svc.Process(ctx, sec, "SKHCN", next.ID); err != nil || len(view.Content.Steps) != 5 {
			t.Errorf("the next revision's content: %v", err)
		}
		form, err := svc.CreateDocument(ctx, sec, "SKHCN", service.DocumentInput{Type: "form", Title: "Biểu mẫu"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveProcess(ctx, sec, "SKHCN", form.Latest.ID, 0, c); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("process content on a form: %v", err)
		}
	})
}
