package service_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

func TestLegalNumbers(t *testing.T) {
	for text, want := range map[string]string{
		"Luật Năng lượng nguyên tử số 18/2008/QH12 ngày 03/6/2008":          "18/2008/QH12",
		"Nghị định 61/2018/NĐ-CP; Quyết định số 19/2014/QĐ-TTg":             "61/2018/NĐ-CP 19/2014/QĐ-TTg",
		"Quyết định 825/QĐ-UBND ngày 15/3/2024 của UBND tỉnh":               "825/QĐ-UBND",
		"Thông tư 26/2014/TT-BKHCN và thông tư 26/2014/tt-bkhcn (nhắc lại)": "26/2014/TT-BKHCN",
		"15 ngày/lần, 1/2 số hồ sơ, ngày 03/6/2008":                         "",
	} {
		if got := strings.Join(qms.LegalNumbers(text), " "); got != want {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
	if g := qms.GuessIssuer("61/2018/NĐ-CP"); g != "Chính phủ" {
		t.Errorf("issuer: %q", g)
	}
}

// A change in a procedure or a legal document opens update tasks in the agencies concerned,
// listing their documents concerned; tasks close when new revisions take effect or with a
// justification, and show as overdue to the province once a window has passed.
func TestChangeImpact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clk := newService(t, db)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		coord, sec, leader, staff := who["coordinator"], who["secretary@SKHCN"], who["leader@SKHCN"], who["staff@SKHCN"]
		proc := service.ProcedureInput{Code: "1.004227", Name: "Cấp giấy phép tiến hành công việc bức xạ", Field: "An toàn bức xạ", Level: qms.LevelProvince,
			Agencies: []string{"SKHCN", "SNV"}, TimeLimitDays: 15, LegalBases: "Luật Năng lượng nguyên tử số 18/2008/QH12\nNghị định số 61/2018/NĐ-CP"}
		if _, err := svc.SaveProcedure(ctx, coord, "", proc); err != nil {
			t.Fatal(err)
		}
		reg, err := svc.LegalDocs(ctx, staff, store.LegalFilter{})
		if err != nil || len(reg) != 2 || reg[0].Number != "18/2008/QH12" || reg[0].Issuer != "Quốc hội" || !strings.Contains(reg[0].Title, "Năng lượng nguyên tử") {
			t.Fatalf("the register from the legal bases: %+v %v", reg, err)
		}
		law := reg[0]
		if v, err := svc.LegalDoc(ctx, staff, law.ID); err != nil || strings.Join(v.Codes, " ") != "1.004227" {
			t.Errorf("procedures citing the law: %+v %v", v.Codes, err)
		}
		if _, _, err := svc.SaveLegalDoc(ctx, sec, law.ID, service.LegalInput{Number: law.Number, Title: law.Title, Status: qms.ExtAmended}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a secretary edits the register: %v", err)
		}
		if _, _, err := svc.SaveLegalDoc(ctx, coord, 0, service.LegalInput{Number: "18/2008/qh12", Title: "Trùng"}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("the same number twice: %v", err)
		}
		if _, _, err := svc.SaveLegalDoc(ctx, coord, 0, service.LegalInput{Number: "số 18", Title: "Sai"}); err == nil || !strings.Contains(err.Error(), "number") {
			t.Errorf("a malformed number: %v", err)
		}

		// SKHCN's documents: a process for the procedure naming form BM-01-02, the form, an
		// unrelated form, and the law as an external document.
		doc := func(in service.DocumentInput) qms.Document {
			t.Helper()
			d, err := svc.CreateDocument(ctx, sec, "SKHCN", in)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		process := doc(service.DocumentInput{Type: "process", Title: "Quy trình cấp giấy phép tiến hành công việc bức xạ"})
		content := qms.ProcessContent{Procedures: []string{"1.004227"}, Steps: []qms.ProcessStep{
			{Description: "Tiếp nhận hồ sơ", Responsible: "Bộ phận một cửa", Amount: 1, Unit: qms.UnitDays, Output: "Phiếu tiếp nhận BM-01-02"},
			{Description: "Thẩm định", Responsible: "Phòng QLCN", Amount: 10, Unit: qms.UnitDays}}}
		if _, err := svc.SaveProcess(ctx, sec, "SKHCN", process.Latest.ID, 0, content); err != nil {
			t.Fatal(err)
		}
		form := doc(service.DocumentInput{Type: "form", Code: "BM-01-02", Title: "Phiếu tiếp nhận hồ sơ"})
		other := doc(service.DocumentInput{Type: "form", Code: "BM-01-03", Title: "Một biểu mẫu khác"})
		external := doc(service.DocumentInput{Type: "external", Title: "Luật Năng lượng nguyên tử", External: &qms.ExternalDoc{Number: "18/2008/QH12",
			Issuer: "Quốc hội", SignedOn: qms.NewDate(2008, 6, 3), EffectiveOn: qms.NewDate(2009, 1, 1)}})
		inForce := func(revID int64) qms.Revision {
			t.Helper()
			v, err := svc.RevisionOf(ctx, sec, "SKHCN", revID)
			if err != nil {
				t.Fatal(err)
			}
			if v.File.SHA256 == "" && v.ProcessDigest == "" {
				if v, err = svc.UploadMainFile(ctx, sec, "SKHCN", v.ID, v.Version, bytes.NewReader(docx(t, "Nội dung")), "noi-dung.docx"); err != nil {
					t.Fatal(err)
				}
			}
			steps := []service.TransitionRequest{{Event: qms.EvSubmitApproval}}
			if v.State == qms.RevDraft && process.ID == v.DocumentID {
				steps = []service.TransitionRequest{{Event: qms.EvSubmitReview, Reviewers: []string{"staff.skhcn@test.vn"}, Deadline: qms.NewDate(2027, 6, 1)},
					{Event: qms.EvCloseRound}, {Event: qms.EvSubmitApproval}}
			}
			for _, st := range steps {
				if v, err = svc.Transition(ctx, sec, "SKHCN", v.ID, st); err != nil {
					t.Fatalf("%s: %v", st.Event, err)
				}
			}
			today := qms.DateOf(clk.now().In(time.FixedZone("ICT", 7*3600)))
			if v, err = svc.Transition(ctx, leader, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: today}); err != nil || v.State != qms.RevEffective {
				t.Fatalf("approve: %v %v", v.State, err)
			}
			return v
		}
		first := inForce(process.Latest.ID)
		formRev := inForce(form.Latest.ID)
		inForce(other.Latest.ID)

		// The coordinator marks the procedure amended.
		proc.Status, proc.Decision = qms.ProcAmended, "1500/QĐ-UBND ngày 27/11/2026"
		if _, err := svc.SaveProcedure(ctx, coord, "1.004227", proc); err != nil {
			t.Fatal(err)
		}
		_, tasks, err := svc.UpdateTasks(ctx, staff, "SKHCN", "")
		if err != nil || len(tasks) != 1 {
			t.Fatalf("SKHCN's tasks: %+v %v", tasks, err)
		}
		task := tasks[0]
		var codes []string
		for _, it := range task.Items {
			codes = append(codes, it.DocumentCode)
		}
		// 27/11/2026 is a Friday: five working days later is Friday 4/12; three months, 27/2/2027.
		if task.Cause != qms.CauseProcedure || task.ProcedureCode != "1.004227" || task.Change != "amended" || task.State != qms.TaskOpen ||
			task.ListDueOn != qms.NewDate(2026, 12, 4) || task.DueOn != qms.NewDate(2027, 2, 27) || strings.Join(codes, " ") != "BM-01-02 "+process.Code || task.Items[1].RevisionID != first.ID {
			t.Fatalf("the task: %+v (documents %v)", task, codes)
		}
		if _, snv, err := svc.UpdateTasks(ctx, who["leader@SNV"], "SNV", qms.TaskOpen); err != nil || len(snv) != 1 || len(snv[0].Items) != 0 {
			t.Errorf("SNV's task (it settles the procedure, has no process): %+v %v", snv, err)
		}
		if _, _, err := svc.UpdateTasks(ctx, who["leader@SNV"], "SKHCN", ""); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency's tasks: %v", err)
		}
		// Saving again changes nothing; another decision restates the same task.
		if _, err := svc.SaveProcedure(ctx, coord, "1.004227", proc); err != nil {
			t.Fatal(err)
		}
		proc.Decision = "1600/QĐ-UBND"
		if _, err := svc.SaveProcedure(ctx, coord, "1.004227", proc); err != nil {
			t.Fatal(err)
		}
		if _, tasks, _ = svc.UpdateTasks(ctx, staff, "SKHCN", ""); len(tasks) != 1 || tasks[0].Decision != "1600/QĐ-UBND" || tasks[0].ListDueOn != task.ListDueOn {
			t.Errorf("restated: %+v", tasks)
		}

		if _, err := svc.MarkListUpdated(ctx, staff, "SKHCN", task.ID); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("staff marks the list: %v", err)
		}
		if task, err = svc.MarkListUpdated(ctx, sec, "SKHCN", task.ID); err != nil || task.ListDoneOn.IsZero() || task.State != qms.TaskOpen {
			t.Fatalf("list updated: %+v %v", task, err)
		}
		if _, err := svc.MarkListUpdated(ctx, sec, "SKHCN", task.ID); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("the list marked twice: %v", err)
		}
		if _, err := svc.CloseUpdateTask(ctx, sec, "SKHCN", task.ID, "  "); err == nil {
			t.Error("closed without a justification")
		}
		// A new revision of the process takes effect, the form is withdrawn: the task closes.
		next, err := svc.NewRevision(ctx, sec, "SKHCN", process.ID)
		if err != nil {
			t.Fatal(err)
		}
		inForce(next.ID)
		if v, _ := svc.UpdateTask(ctx, staff, "SKHCN", task.ID); v.Task.State != qms.TaskOpen || v.Task.Pending() != 1 || !v.Task.Items[1].Done || v.Task.Items[1].DoneRevisionID != next.ID || v.MayAct {
			t.Errorf("one document settled: %+v", v)
		}
		if _, err := svc.Transition(ctx, sec, "SKHCN", formRev.ID, service.TransitionRequest{Event: qms.EvWithdraw, Reason: "Bỏ biểu mẫu"}); err != nil {
			t.Fatal(err)
		}
		if v, _ := svc.UpdateTask(ctx, staff, "SKHCN", task.ID); v.Task.State != qms.TaskClosed || v.Task.ClosedHow != qms.ClosedRevised {
			t.Errorf("everything settled: %+v", v.Task)
		}
		if _, err := svc.CloseUpdateTask(ctx, sec, "SKHCN", task.ID, "Đã xong"); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("closing a closed task: %v", err)
		}

		// The law is amended: SKHCN must update its process and its external document.
		_, opened, err := svc.SaveLegalDoc(ctx, coord, law.ID, service.LegalInput{Number: law.Number, Title: law.Title, Issuer: law.Issuer,
			Status: qms.ExtAmended, ChangedOn: qms.NewDate(2026, 12, 1), ChangedBy: "Luật số 94/2025/QH15"})
		if err != nil || opened != 2 {
			t.Fatalf("amend the law: %d tasks, %v", opened, err)
		}
		_, tasks, _ = svc.UpdateTasks(ctx, staff, "SKHCN", qms.TaskOpen)
		if len(tasks) != 1 || tasks[0].Cause != qms.CauseLegal || tasks[0].LegalNumber != "18/2008/QH12" || !tasks[0].ListDueOn.IsZero() ||
			tasks[0].DueOn != qms.NewDate(2027, 3, 1) {
			t.Fatalf("the law's task: %+v", tasks)
		}
		codes = nil
		for _, it := range tasks[0].Items {
			codes = append(codes, it.DocumentCode)
		}
		if strings.Join(codes, " ") != "BM-01-02 "+process.Code+" "+external.Code {
			t.Errorf("the law's task lists %v", codes)
		}
		if tasks[0].Items[1].RevisionID != next.ID {
			t.Errorf("the process's revision in force is not recorded: %+v", tasks[0].Items)
		}
		legalTask := tasks[0]

		// Four months on, the law's task is overdue for the province; SNV justifies its own.
		if _, err := svc.OverdueUpdateTasks(ctx, sec, 10); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a secretary reads the province's overdue list: %v", err)
		}
		if late, err := svc.OverdueUpdateTasks(ctx, who["observer"], 10); err != nil || len(late) != 0 {
			t.Errorf("nothing overdue yet: %+v %v", late, err)
		}
		clk.t = clk.t.AddDate(0, 4, 0)
		_, snv, _ := svc.UpdateTasks(ctx, who["leader@SNV"], "SNV", qms.TaskOpen)
		if len(snv) != 2 {
			t.Fatalf("SNV's open tasks: %+v", snv)
		}
		late, err := svc.OverdueUpdateTasks(ctx, who["observer"], 10)
		if err != nil || len(late) != 3 {
			t.Fatalf("overdue: %+v %v", late, err)
		}
		for _, x := range snv {
			if _, err := svc.CloseUpdateTask(ctx, who["leader@SNV"], "SNV", x.ID, "Sở Nội vụ không còn tiếp nhận thủ tục này từ 01/7/2025."); err != nil {
				t.Fatal(err)
			}
		}
		if late, _ = svc.OverdueUpdateTasks(ctx, who["observer"], 10); len(late) != 1 || late[0].ID != legalTask.ID || !late[0].Overdue(qms.DateOf(clk.t)) {
			t.Errorf("overdue after SNV closed: %+v", late)
		}
		if v, err := svc.LegalDoc(ctx, coord, law.ID); err != nil || len(v.Tasks) != 2 {
			t.Errorf("the law's tasks for the province: %+v %v", v.Tasks, err)
		}

		// An agency with a process (even a draft) for a procedure it does not settle is concerned too.
		snvOnly := service.ProcedureInput{Code: "1.009999", Name: "Thủ tục của Sở Nội vụ", Field: "Thử", Level: qms.LevelProvince, Agencies: []string{"SNV"}, TimeLimitDays: 10}
		if _, err := svc.SaveProcedure(ctx, coord, "", snvOnly); err != nil {
			t.Fatal(err)
		}
		draft := doc(service.DocumentInput{Type: "process", Title: "Quy trình mượn của Sở Nội vụ"})
		if _, err := svc.SaveProcess(ctx, sec, "SKHCN", draft.Latest.ID, 0, qms.ProcessContent{Procedures: []string{"1.009999"},
			Steps: []qms.ProcessStep{{Description: "Giải quyết", Responsible: "Phòng QLCN", Amount: 5, Unit: qms.UnitDays}}}); err != nil {
			t.Fatal(err)
		}
		snvOnly.Status = qms.ProcAbolished
		if _, err := svc.SaveProcedure(ctx, coord, "1.009999", snvOnly); err != nil {
			t.Fatal(err)
		}
		_, tasks, _ = svc.UpdateTasks(ctx, staff, "SKHCN", qms.TaskOpen)
		found := false
		for _, x := range tasks {
			if x.ProcedureCode == "1.009999" {
				found = x.Change == "abolished" && len(x.Items) == 1 && x.Items[0].DocumentID == draft.ID && x.Items[0].RevisionID == 0
			}
		}
		if !found {
			t.Errorf("the task of the agency holding a draft process: %+v", tasks)
		}
	})
}
