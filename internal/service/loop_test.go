package service_test

import (
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// The improvement loop end to end: an audit planned with trained, independent auditors, its
// checklist, a major nonconformity found and closed, a risk, objectives with a computed and an
// entered measure, and the management review whose pack shows them.
func TestImprovementLoop(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clk := newService(t, db)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		coord, sec, staff, leader, auditor := who["coordinator"], who["secretary@SKHCN"], who["staff@SKHCN"], who["leader@SKHCN"], who["auditor@SKHCN"]
		for _, u := range []service.UnitInput{{Code: "VP", Name: "Văn phòng"}, {Code: "QLCN", Name: "Phòng Quản lý công nghệ"}} {
			if _, err := svc.CreateUnit(ctx, leader, "SKHCN", u); err != nil {
				t.Fatal(err)
			}
		}
		// The auditor and the secretary passed the internal auditor course; the staff did not.
		if _, err := svc.CreateCourse(ctx, coord, qms.Course{Code: "DG", Title: "Đánh giá nội bộ", Kind: qms.CourseInternalAuditor}); err != nil {
			t.Fatal(err)
		}
		course, err := svc.CreateTrainingSession(ctx, coord, service.SessionInput{Course: "DG", Organiser: qms.OrganisedByDOST, StartsOn: qms.NewDate(2025, 5, 12)})
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"auditor.skhcn@test.vn", "secretary.skhcn@test.vn"} {
			if _, err := svc.AddAttendance(ctx, coord, course.ID, service.AttendanceInput{Agency: "SKHCN", Name: who, Email: who, Result: qms.ResultPassed}); err != nil {
				t.Fatal(err)
			}
		}
		// A process in force, drafted by the secretary: she owns it.
		if _, err := svc.SaveProcedure(ctx, coord, "", service.ProcedureInput{Code: "1.004227", Name: "Cấp giấy phép tiến hành công việc bức xạ",
			Field: "An toàn bức xạ", Level: qms.LevelProvince, Agencies: []string{"SKHCN"}, TimeLimitDays: 15}); err != nil {
			t.Fatal(err)
		}
		process, err := svc.CreateDocument(ctx, sec, "SKHCN", service.DocumentInput{Type: "process", Title: "Quy trình cấp phép"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveProcess(ctx, sec, "SKHCN", process.Latest.ID, 0, qms.ProcessContent{Procedures: []string{"1.004227"}, Steps: []qms.ProcessStep{
			{Description: "Tiếp nhận hồ sơ", Responsible: "Bộ phận một cửa", Amount: 4, Unit: qms.UnitHours},
			{Description: "Thẩm định", Responsible: "Phòng QLCN", Amount: 10, Unit: qms.UnitDays, Output: "Tờ trình"}}}); err != nil {
			t.Fatal(err)
		}
		rev := *process.Latest
		for _, st := range []service.TransitionRequest{{Event: qms.EvSubmitReview, Reviewers: []string{"staff.skhcn@test.vn"}, Deadline: qms.NewDate(2027, 6, 1)},
			{Event: qms.EvCloseRound}, {Event: qms.EvSubmitApproval}} {
			if rev, err = svc.Transition(ctx, sec, "SKHCN", rev.ID, st); err != nil {
				t.Fatalf("%s: %v", st.Event, err)
			}
		}
		if rev, err = svc.Transition(ctx, leader, "SKHCN", rev.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword,
			EffectiveOn: qms.NewDate(2026, 11, 27)}); err != nil || rev.State != qms.RevEffective {
			t.Fatalf("approve the process: %v %v", rev.State, err)
		}
		pcode := process.Code

		// Plan an audit: bad plans first.
		plan := service.AuditInput{Title: "Đánh giá nội bộ lần 1", Clauses: []string{"7.5", "8.5.1"}, Processes: []string{pcode}, Units: []string{"QLCN"},
			StartsOn: qms.NewDate(2026, 12, 7), EndsOn: qms.NewDate(2026, 12, 8), Lead: service.TeamMember{Email: "auditor.skhcn@test.vn", Unit: "VP"}}
		for name, c := range map[string]struct {
			change func(*service.AuditInput)
			code   string
			text   string
		}{
			"no criteria":        {func(p *service.AuditInput) { p.Clauses, p.Processes = nil, nil }, qms.EInvalid, "clauses"},
			"dates out of order": {func(p *service.AuditInput) { p.EndsOn = qms.NewDate(2026, 12, 1) }, qms.EInvalid, "ends_on"},
			"an unknown clause":  {func(p *service.AuditInput) { p.Clauses = []string{"11.2"} }, qms.EInvalid, "clauses"},
			"no lead":            {func(p *service.AuditInput) { p.Lead.Email = "" }, qms.EInvalid, "lead"},
			"an untrained lead":  {func(p *service.AuditInput) { p.Lead.Email = "staff.skhcn@test.vn" }, qms.EInvalid, "lead"},
			"an unknown unit":    {func(p *service.AuditInput) { p.Units = []string{"KHONG"} }, qms.EInvalid, "units"},
			"own unit":           {func(p *service.AuditInput) { p.Lead.Unit = "QLCN" }, qms.EConflict, "err.audit_own_unit"},
			"own process": {func(p *service.AuditInput) {
				p.Team = []service.TeamMember{{Email: "secretary.skhcn@test.vn"}}
			}, qms.EConflict, "err.audit_own_process"},
		} {
			in := plan
			c.change(&in)
			_, err := svc.PlanAudit(ctx, sec, "SKHCN", in)
			if qms.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.text) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := svc.PlanAudit(ctx, auditor, "SKHCN", plan); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an auditor plans: %v", err)
		}
		au, err := svc.PlanAudit(ctx, sec, "SKHCN", plan)
		if err != nil {
			t.Fatal(err)
		}
		if au.Code != "DG-2026-01" || len(au.Items) != 4 || au.Items[2].Process != pcode || !strings.Contains(au.Items[3].Question, "Tờ trình") {
			t.Fatalf("the audit and its checklist: %s %+v", au.Code, au.Items)
		}
		if up, err := svc.UpcomingAudits(ctx, auditor); err != nil || len(up) != 1 || up[0].InDays != 10 {
			t.Errorf("the auditor's reminder: %+v %v", up, err)
		}
		prog, err := svc.AuditProgramme(ctx, staff, "SKHCN", 2026)
		if err != nil || prog.NoAudit || len(prog.Processes) != 1 || len(prog.Uncovered) != 0 {
			t.Errorf("the programme: %+v %v", prog, err)
		}
		if p27, _ := svc.AuditProgramme(ctx, staff, "SKHCN", 2027); !p27.NoAudit {
			t.Error("2027 has no audit: a warning")
		}
		move := func(a *qms.Actor, ev qms.AuditEvent) (qms.Audit, error) {
			return svc.ActOnAudit(ctx, a, "SKHCN", au.ID, service.AuditAction{Event: ev})
		}
		items := au.Items[:3]
		if au, err = svc.EditChecklist(ctx, sec, "SKHCN", au.ID, append(items, qms.AuditItem{Question: "Hồ sơ lưu có đủ thành phần?", Process: pcode})); err != nil || len(au.Items) != 4 {
			t.Fatalf("edit the checklist: %v", err)
		}
		for _, ev := range []qms.AuditEvent{qms.AuditvPrepare, qms.AuditvSend, qms.AuditvFieldwork} {
			if au, err = move(sec, ev); err != nil {
				t.Fatalf("%s: %v", ev, err)
			}
		}
		if _, err := svc.EditChecklist(ctx, sec, "SKHCN", au.ID, au.Items); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("editing the checklist during fieldwork: %v", err)
		}
		if _, err := move(sec, qms.AuditvClose); qms.ErrorCode(err) != qms.EConflict || !strings.Contains(err.Error(), "err.audit_transition") {
			t.Errorf("closing during fieldwork: %v", err)
		}
		finding := service.FindingInput{Type: qms.FindingMajor, Clause: "7.5.3", Unit: "QLCN", Description: "Hồ sơ cấp phép lưu không đủ thành phần", Evidence: ""}
		if _, err := svc.RecordFinding(ctx, auditor, "SKHCN", au.ID, finding); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a finding without evidence: %v", err)
		}
		finding.Evidence = "3/10 hồ sơ năm 2026 thiếu phiếu kiểm soát"
		if _, err := svc.RecordFinding(ctx, staff, "SKHCN", au.ID, finding); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("someone off the team records: %v", err)
		}
		f, err := svc.RecordFinding(ctx, auditor, "SKHCN", au.ID, finding)
		if err != nil || f.NCID == 0 || f.NCCode != "NC-2026-001" {
			t.Fatalf("a major nonconformity: %+v %v", f, err)
		}
		if _, err := svc.RecordFinding(ctx, auditor, "SKHCN", au.ID, service.FindingInput{Type: qms.FindingOFI, Description: "Số hoá sổ theo dõi", Evidence: "Sổ giấy"}); err != nil {
			t.Fatal(err)
		}
		if _, err := move(sec, qms.AuditvReport); err != nil {
			t.Fatal(err)
		}
		if _, err := move(sec, qms.AuditvFollowUp); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("reporting with unanswered lines: %v", err)
		}
		au, _ = svc.ActOnAudit(ctx, auditor, "SKHCN", au.ID, service.AuditAction{})
		var answers []qms.AuditItem
		for _, it := range au.Items {
			answers = append(answers, qms.AuditItem{ID: it.ID, Result: qms.ChecklistYes})
		}
		answers[3].Result, answers[3].Note = qms.ChecklistNo, "3/10 thiếu"
		if au, err = svc.AnswerChecklist(ctx, auditor, "SKHCN", au.ID, answers); err != nil || au.Items[3].Result != qms.ChecklistNo {
			t.Fatalf("answer: %v", err)
		}
		sum := "Hệ thống được duy trì; 1 điểm không phù hợp nặng"
		if au, err = svc.ActOnAudit(ctx, auditor, "SKHCN", au.ID, service.AuditAction{Summary: &sum}); err != nil || au.Summary != sum {
			t.Fatalf("the report's conclusion: %v", err)
		}
		if _, err := move(sec, qms.AuditvFollowUp); err != nil {
			t.Fatal(err)
		}
		if _, err := move(sec, qms.AuditvClose); qms.ErrorCode(err) != qms.EConflict || !strings.Contains(err.Error(), "err.audit_nc_open") {
			t.Errorf("closing with its nonconformity open: %v", err)
		}

		// The nonconformity is analysed, acted on, checked by another user and closed.
		nc := func(a *qms.Actor, ev qms.NCEvent) {
			t.Helper()
			if _, err := svc.ActOnNC(ctx, a, "SKHCN", f.NCID, service.NCAction{Event: ev, RootCause: "Quy trình chưa quy định phiếu kiểm soát"}); err != nil {
				t.Fatalf("%s: %v", ev, err)
			}
		}
		nc(sec, qms.NCvAnalyse)
		nc(sec, qms.NCvPlan)
		act, err := svc.AddAction(ctx, sec, "SKHCN", f.NCID, service.ActionInput{Type: qms.ActionCorrective, Description: "Bổ sung phiếu kiểm soát", Owner: "staff.skhcn@test.vn",
			DueOn: qms.NewDate(2026, 12, 31)})
		if err != nil {
			t.Fatal(err)
		}
		nc(sec, qms.NCvStart)
		if _, err := svc.ImplementAction(ctx, staff, "SKHCN", 0, act.ID, "QT lần 2"); err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.AddDate(0, 0, 10)
		if _, err := svc.CheckAction(ctx, leader, "SKHCN", 0, act.ID, qms.ActionEffective, "20 hồ sơ đủ phiếu"); err != nil {
			t.Fatal(err)
		}
		nc(sec, qms.NCvVerify)
		nc(leader, qms.NCvClose)
		if au, err = move(sec, qms.AuditvClose); err != nil || au.State != qms.AuditClosed {
			t.Fatalf("close the audit: %v", err)
		}

		// A risk of the process, rescored, with a treatment action.
		risk := service.RiskInput{Kind: qms.KindRisk, Process: pcode, Title: "Trễ hạn do thiếu người", Likelihood: 4, Impact: 4, ReviewOn: qms.NewDate(2027, 3, 1)}
		if _, err := svc.AddRisk(ctx, sec, "SKHCN", service.RiskInput{Kind: qms.KindRisk, Title: "x", Likelihood: 6, Impact: 1, ReviewOn: qms.NewDate(2027, 3, 1)}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a likelihood of 6: %v", err)
		}
		r, err := svc.AddRisk(ctx, sec, "SKHCN", risk)
		if err != nil || r.Code != "RR-001" || r.Level() != "high" {
			t.Fatalf("a risk: %+v %v", r, err)
		}
		if _, err := svc.AddLoopAction(ctx, sec, "SKHCN", qms.Action{RiskID: r.ID}, service.ActionInput{Type: qms.ActionPreventive, Description: "Bố trí người dự phòng",
			Owner: "leader.skhcn@test.vn", DueOn: qms.NewDate(2027, 1, 15)}); err != nil {
			t.Fatal(err)
		}
		risk.Likelihood, risk.Note = 2, "Đã bố trí người dự phòng"
		if r, err = svc.RescoreRisk(ctx, staff, "SKHCN", r.ID, risk); err != nil || r.Score() != 8 || len(r.Scores) != 2 || len(r.Actions) != 1 {
			t.Fatalf("rescore: %+v %v", r, err)
		}

		// Objectives: an on-time rate with no dossier yet, a manual measure off target.
		if _, err := svc.AddObjective(ctx, sec, "SKHCN", service.ObjectiveInput{Year: 2026, Title: "Không đo", Frequency: qms.Quarterly, Owner: "staff.skhcn@test.vn"}); qms.ErrorCode(err) != qms.EInvalid || !strings.Contains(err.Error(), "measure") {
			t.Errorf("an objective with no measure: %v", err)
		}
		if _, err := svc.AddObjective(ctx, sec, "SKHCN", service.ObjectiveInput{Year: 2026, Title: "x", Measure: qms.MeasureOnTime, Target: 120, Frequency: qms.Quarterly, Owner: "staff.skhcn@test.vn"}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a rate of 120%%: %v", err)
		}
		if _, err := svc.AddObjective(ctx, sec, "SKHCN", service.ObjectiveInput{Year: 2026, Title: "Hồ sơ đúng hạn", Measure: qms.MeasureOnTime, Target: 98, Frequency: qms.Quarterly, Owner: "staff.skhcn@test.vn"}); err != nil {
			t.Fatal(err)
		}
		manual, err := svc.AddObjective(ctx, sec, "SKHCN", service.ObjectiveInput{Year: 2026, Title: "Khiếu nại không quá 2", Measure: qms.MeasureManual, Target: 2,
			Direction: qms.AtMost, Frequency: qms.Monthly, Owner: "staff.skhcn@test.vn"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.EnterObjectiveValue(ctx, staff, "SKHCN", manual.ID, "2026-13", 1, "Sổ"); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("month 13: %v", err)
		}
		ov, err := svc.EnterObjectiveValue(ctx, staff, "SKHCN", manual.ID, "2026-11", 3, "Sổ tiếp nhận khiếu nại tháng 11")
		if err != nil || !ov.OffTarget || ov.Latest.Value != 3 || len(ov.Statuses) != 12 {
			t.Fatalf("an entered value: %+v %v", ov, err)
		}
		_, objs, err := svc.Objectives(ctx, staff, "SKHCN", 2026)
		if err != nil || len(objs) != 2 || objs[0].Latest != nil {
			t.Errorf("objectives: %+v %v", objs, err)
		}

		// The management review: its pack, its minutes, its approval.
		rv, err := svc.PlanReview(ctx, sec, "SKHCN", service.ReviewInput{MeetingOn: qms.NewDate(2026, 12, 15), From: qms.NewDate(2026, 1, 1), To: qms.NewDate(2026, 12, 31),
			Chair: "Giám đốc Sở"})
		if err != nil || rv.Code != "XXLD-2026-01" {
			t.Fatalf("plan a review: %+v %v", rv, err)
		}
		view, err := svc.Review(ctx, staff, "SKHCN", rv.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := view.Pack
		if len(p.Audits) != 1 || p.FindingCounts[string(qms.FindingMajor)] != 1 || p.NCClosed != 1 || len(p.NCs) != 1 || p.NCs[0].State != qms.NCClosed ||
			len(p.Risks) != 1 || len(p.Objectives) != 2 || len(p.Improvements) != 1 || p.ActionsOnTime != 1 || p.OnTimeRate != -1 {
			t.Errorf("the pack: %+v", p)
		}
		in := service.ReviewInput{Conclusions: map[string]string{"audits": "Đạt"}, Decisions: "Duy trì"}
		if _, err := svc.RecordMinutes(ctx, sec, "SKHCN", rv.ID, in); qms.ErrorCode(err) != qms.EInvalid || !strings.Contains(err.Error(), "conclusion_risks") {
			t.Errorf("minutes without every input: %v", err)
		}
		for _, k := range qms.ReviewInputs {
			in.Conclusions[k] = "Đã xem xét"
		}
		if rv, err = svc.RecordMinutes(ctx, sec, "SKHCN", rv.ID, in); err != nil || rv.State != qms.ReviewHeld || rv.Pack == nil || rv.Pack.NCClosed != 1 {
			t.Fatalf("minutes: %+v %v", rv, err)
		}
		if _, err := svc.ApproveReview(ctx, sec, "SKHCN", rv.ID, 0); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("the secretary approves: %v", err)
		}
		if rv, err = svc.ApproveReview(ctx, leader, "SKHCN", rv.ID, 0); err != nil || rv.State != qms.ReviewApproved {
			t.Fatalf("approve: %v", err)
		}
		if _, err := svc.AddLoopAction(ctx, sec, "SKHCN", qms.Action{ReviewID: rv.ID}, service.ActionInput{Type: qms.ActionImprovement, Description: "Số hoá sổ theo dõi",
			Owner: "staff.skhcn@test.vn", DueOn: qms.NewDate(2027, 6, 30)}); err != nil {
			t.Fatal(err)
		}
		// The next review's pack carries this one's actions.
		next, err := svc.PlanReview(ctx, sec, "SKHCN", service.ReviewInput{MeetingOn: qms.NewDate(2027, 6, 15), From: qms.NewDate(2027, 1, 1), To: qms.NewDate(2027, 5, 31)})
		if err != nil {
			t.Fatal(err)
		}
		if v, err := svc.Review(ctx, sec, "SKHCN", next.ID); err != nil || v.Pack.PreviousReview != rv.Code || len(v.Pack.PreviousActions) != 1 {
			t.Errorf("the next pack: %+v %v", v.Pack, err)
		}
		if _, err := svc.Review(ctx, who["leader@SNV"], "SKHCN", next.ID); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency reads the review: %v", err)
		}
	})
}
