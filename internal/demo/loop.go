package demo

import (
	"context"
	"fmt"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// loadLoop gives the Department of Science and Technology its improvement loop: an internal
// audit held six weeks ago, now in follow-up with a minor nonconformity being analysed and an
// opportunity for improvement; the next audit in ten days (a reminder on the team's home
// pages); two risks of its process; four quality objectives (three measured from live data);
// a management review planned in three weeks, its input pack compiled live.
func loadLoop(ctx context.Context, svc *service.Service) error {
	who := map[string]*qms.Actor{}
	for _, e := range []string{"thuky.skhcn", "danhgia", "lanhdao.skhcn"} {
		a, err := svc.ActorByEmail(ctx, e+"@demo.isogov.vn")
		if err != nil {
			return err
		}
		who[e] = a
	}
	sec, auditor := who["thuky.skhcn"], who["danhgia"]
	procs, err := svc.AuditOptions(ctx, sec, "SKHCN")
	if err != nil || len(procs.Processes) == 0 {
		return fmt.Errorf("demo loop: no process in force (%v)", err)
	}
	process := procs.Processes[0].Code
	today := qms.DateOf(svc.Now())
	held, err := svc.PlanAudit(ctx, sec, "SKHCN", service.AuditInput{Title: "Đánh giá nội bộ HTQLCL đợt 1", Scope: "Toàn bộ HTQLCL; quy trình cấp lại giấy chứng nhận",
		Clauses: []string{"7.5", "8.5.1", "9.1.2"}, Processes: []string{process}, Units: []string{"QLKH"}, StartsOn: today.AddDays(-45), EndsOn: today.AddDays(-44),
		Lead: service.TeamMember{Email: auditor.Email, Unit: "VP"}, Auditees: "Trưởng phòng Quản lý khoa học; bộ phận một cửa"})
	if err != nil {
		return fmt.Errorf("demo audit: %w", err)
	}
	for _, ev := range []qms.AuditEvent{qms.AuditvPrepare, qms.AuditvSend, qms.AuditvFieldwork} {
		if _, err := svc.ActOnAudit(ctx, sec, "SKHCN", held.ID, service.AuditAction{Event: ev}); err != nil {
			return fmt.Errorf("demo audit %s: %w", ev, err)
		}
	}
	var answers []qms.AuditItem
	for i, it := range held.Items {
		a := qms.AuditItem{ID: it.ID, Result: qms.ChecklistYes}
		if i == 1 {
			a.Result, a.Note = qms.ChecklistNo, "2/15 hồ sơ không lưu phiếu kiểm soát quá trình"
		}
		answers = append(answers, a)
	}
	if _, err := svc.AnswerChecklist(ctx, auditor, "SKHCN", held.ID, answers); err != nil {
		return fmt.Errorf("demo audit answers: %w", err)
	}
	for _, f := range []service.FindingInput{
		{Type: qms.FindingMinor, Clause: "8.5.1", Unit: "QLKH", Description: "Hồ sơ cấp lại giấy chứng nhận không lưu phiếu kiểm soát quá trình giải quyết",
			Evidence: "Kiểm tra 15 hồ sơ quý III: 2 hồ sơ thiếu phiếu kiểm soát"},
		{Type: qms.FindingOFI, Clause: "7.5", Description: "Số hoá sổ theo dõi hồ sơ của bộ phận một cửa", Evidence: "Sổ theo dõi đang ghi tay"},
		{Type: qms.FindingConformity, Clause: "9.1.2", Description: "Có theo dõi sự hài lòng của người dân", Evidence: "Báo cáo khảo sát quý III"},
	} {
		if _, err := svc.RecordFinding(ctx, auditor, "SKHCN", held.ID, f); err != nil {
			return fmt.Errorf("demo finding: %w", err)
		}
	}
	sum := "HTQLCL được duy trì phù hợp TCVN ISO 9001:2015; 01 điểm không phù hợp nhẹ về kiểm soát hồ sơ, 01 cơ hội cải tiến."
	if _, err := svc.ActOnAudit(ctx, auditor, "SKHCN", held.ID, service.AuditAction{Summary: &sum}); err != nil {
		return err
	}
	for _, ev := range []qms.AuditEvent{qms.AuditvReport, qms.AuditvFollowUp} {
		if _, err := svc.ActOnAudit(ctx, sec, "SKHCN", held.ID, service.AuditAction{Event: ev}); err != nil {
			return fmt.Errorf("demo audit %s: %w", ev, err)
		}
	}
	if _, err := svc.PlanAudit(ctx, sec, "SKHCN", service.AuditInput{Title: "Đánh giá nội bộ đợt 2: kiểm soát tài liệu", Clauses: []string{"7.5.2", "7.5.3"},
		Units: []string{"VP"}, StartsOn: today.AddDays(10), EndsOn: today.AddDays(10), Lead: service.TeamMember{Email: auditor.Email, Unit: "QLKH"}}); err != nil {
		return fmt.Errorf("demo audit 2: %w", err)
	}
	for _, r := range []service.RiskInput{
		{Kind: qms.KindRisk, Process: process, Title: "Trễ hạn khi cán bộ thẩm định nghỉ phép", Likelihood: 3, Impact: 4, ReviewOn: today.AddDays(60),
			Treatment: "Phân công người thay thế trong quy trình"},
		{Kind: qms.KindOpportunity, Title: "Tiếp nhận hồ sơ trực tuyến toàn trình", Likelihood: 4, Impact: 3, ReviewOn: today.AddDays(90)},
	} {
		if _, err := svc.AddRisk(ctx, sec, "SKHCN", r); err != nil {
			return fmt.Errorf("demo risk: %w", err)
		}
	}
	year := today.Time().Year()
	for _, o := range []service.ObjectiveInput{
		{Title: "Giải quyết đúng hạn ít nhất 98% hồ sơ", Measure: qms.MeasureOnTime, Target: 98, Frequency: qms.Quarterly},
		{Title: "Điểm hài lòng bình quân của người dân từ 4/5", Measure: qms.MeasureRating, Target: 4, Frequency: qms.Quarterly},
		{Title: "Hoàn thành đúng hạn ít nhất 90% hành động khắc phục", Measure: qms.MeasureActions, Target: 90, Frequency: qms.Quarterly},
		{Title: "Không quá 2 phản ánh, kiến nghị mỗi tháng", Measure: qms.MeasureManual, Target: 2, Direction: qms.AtMost, Frequency: qms.Monthly},
	} {
		o.Year, o.Owner = year, sec.Email
		x, err := svc.AddObjective(ctx, sec, "SKHCN", o)
		if err != nil {
			return fmt.Errorf("demo objective: %w", err)
		}
		if o.Measure == qms.MeasureManual {
			last := today.Time().AddDate(0, -1, 0)
			if last.Year() == year {
				if _, err := svc.EnterObjectiveValue(ctx, sec, "SKHCN", x.ID, last.Format("2006-01"), 1, "Sổ tiếp nhận phản ánh, kiến nghị"); err != nil {
					return err
				}
			}
		}
	}
	_, err = svc.PlanReview(ctx, sec, "SKHCN", service.ReviewInput{MeetingOn: today.AddDays(21), From: qms.NewDate(year, 1, 1), To: today, Chair: "Giám đốc Sở",
		Attendees: "Ban Giám đốc; trưởng các phòng; thư ký ISO"})
	return err
}
