package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// Programmes of the demo province: the seed's, and a current one under today's regime, so
// that both regimes show side by side.
var (
	SeedProgramme = qms.Programme{Code: "KH37-2012",
		Name:       "Kế hoạch triển khai áp dụng HTQLCL theo TCVN ISO 9001:2008 vào hoạt động của các cơ quan hành chính nhà nước trên địa bàn tỉnh Nghệ An, giai đoạn 2011–2013",
		DecisionNo: "37/QĐ-UBND", DecisionDate: qms.NewDate(2012, 1, 4), Signer: "Ủy ban nhân dân tỉnh Nghệ An",
		YearFrom: 2011, YearTo: 2013, Edition: "TCVN ISO 9001:2008", Regime: qms.RegimeCertification}
	CurrentProgramme = qms.Programme{Code: "ISO2015",
		Name:     "Chuyển đổi, duy trì HTQLCL theo TCVN ISO 9001:2015 và công bố hệ thống phù hợp (dữ liệu mẫu)",
		YearFrom: 2025, YearTo: 2026, Edition: "TCVN ISO 9001:2015", Regime: qms.RegimeAnnouncement}
)

// loadProgrammes creates both programmes with the seed's 56 agencies in their groups, fills in
// plausible, deterministic progress, and gives some agencies a steering committee.
func loadProgrammes(ctx context.Context, svc *service.Service) error {
	if err := svc.SeedReferenceData(ctx); err != nil {
		return err
	}
	for _, p := range []qms.Programme{SeedProgramme, CurrentProgramme} {
		if _, err := svc.CreateProgramme(ctx, service.System, p); err != nil {
			return err
		}
	}
	// The seed's section III, year by year.
	if err := svc.SetMilestones(ctx, service.System, SeedProgramme.Code, []qms.Milestone{
		{Year: 2011, Text: "Xây dựng kế hoạch triển khai, hướng dẫn, đào tạo về áp dụng mô hình khung HTQLCL"},
		{Year: 2012, Text: "Các cơ quan xây dựng, chuyển đổi, mở rộng và áp dụng HTQLCL"},
		{Year: 2013, Text: "Hoàn thành áp dụng, mở rộng HTQLCL tại tất cả cơ quan"},
	}); err != nil {
		return err
	}
	if err := svc.SetMilestones(ctx, service.System, CurrentProgramme.Code, []qms.Milestone{
		{Year: 2025, Text: "Chuyển đổi tài liệu sang TCVN ISO 9001:2015, đánh giá nội bộ"},
		{Year: 2026, Text: "Xem xét của lãnh đạo, công bố HTQLCL phù hợp, thông báo Sở KH&CN"},
	}); err != nil {
		return err
	}
	for i, a := range Agencies {
		if a.Group == Province {
			continue
		}
		seedGroup := qms.GroupFirstTime
		if a.Group == Extend {
			seedGroup = qms.GroupConvertExtend
		}
		seedSteps, err := svc.AddParticipant(ctx, service.System, SeedProgramme.Code, a.Code, seedGroup)
		if err != nil {
			return err
		}
		currentSteps, err := svc.AddParticipant(ctx, service.System, CurrentProgramme.Code, a.Code, qms.GroupConvert)
		if err != nil {
			return err
		}
		// The seed's programme is long over: most agencies finished it, some left steps behind.
		if err := svc.ImportTrack(ctx, service.System, SeedProgramme.Code, a.Code, progress(seedSteps, len(seedSteps)-(i%5)*2, 2013)); err != nil {
			return err
		}
		// The current one is under way: agencies stand at different places.
		if err := svc.ImportTrack(ctx, service.System, CurrentProgramme.Code, a.Code, progress(currentSteps, (i*7)%len(currentSteps), 2025)); err != nil {
			return err
		}
	}
	if err := loadCommittees(ctx, svc); err != nil {
		return err
	}
	if err := loadRecognitions(ctx, svc); err != nil {
		return err
	}
	if err := loadTraining(ctx, svc); err != nil {
		return err
	}
	return loadConsultancies(ctx, svc)
}

// loadConsultancies: one well-staffed consultancy with a contract with the Department of
// Foreign Affairs, one with too few consultants, and a certification body (all sample data).
func loadConsultancies(ctx context.Context, svc *service.Service) error {
	orgs := []struct {
		org     qms.Organisation
		experts int
	}{
		{qms.Organisation{Code: "TVCL", Name: "Công ty Tư vấn Chất lượng (dữ liệu mẫu)", Kind: qms.Consultancy, Address: "Vinh, Nghệ An"}, 6},
		{qms.Organisation{Code: "TVNHO", Name: "Trung tâm Tư vấn Quản lý nhỏ (dữ liệu mẫu)", Kind: qms.Consultancy}, 3},
		{qms.Organisation{Code: "CNQT", Name: "Tổ chức Chứng nhận (dữ liệu mẫu)", Kind: qms.CertificationBody}, 0},
	}
	for _, o := range orgs {
		if _, err := svc.CreateOrganisation(ctx, service.System, o.org); err != nil {
			return err
		}
		for i := 1; i <= o.experts; i++ {
			e := qms.Expert{Name: fmt.Sprintf("Chuyên gia %s %d", o.org.Code, i), Role: qms.ExpertConsultant, Qualification: "Chuyên gia đánh giá trưởng ISO 9001",
				CertificateNo: fmt.Sprintf("CG-%s-%02d", o.org.Code, i)}
			if _, err := svc.AddExpert(ctx, service.System, o.org.Code, e); err != nil {
				return err
			}
		}
	}
	_, err := svc.AddEngagement(ctx, service.System, "SNGV", qms.Engagement{OrganisationCode: "TVCL", ContractNo: "05/2025/HĐTV", SignedOn: qms.NewDate(2025, 2, 10),
		StartsOn: qms.NewDate(2025, 3, 1), EndsOn: qms.NewDate(2025, 12, 31), ValueVND: 45_000_000, Scope: "Chuyển đổi HTQLCL sang TCVN ISO 9001:2015"})
	return err
}

// loadTraining: the catalogue, DOST's internal auditor course of 2025, and an awareness
// session the Department of Science and Technology held itself.
func loadTraining(ctx context.Context, svc *service.Service) error {
	for _, c := range []qms.Course{
		{Code: "NT2015", Title: "Nhận thức về TCVN ISO 9001:2015", Kind: qms.CourseAwareness},
		{Code: "VTL", Title: "Xây dựng hệ thống tài liệu", Kind: qms.CourseDocumentation},
		{Code: "DGNB", Title: "Chuyên gia đánh giá nội bộ HTQLCL", Kind: qms.CourseInternalAuditor},
	} {
		if _, err := svc.CreateCourse(ctx, service.System, c); err != nil {
			return err
		}
	}
	auditors, err := svc.CreateTrainingSession(ctx, service.System, service.SessionInput{Course: "DGNB", Organiser: qms.OrganisedByDOST,
		StartsOn: qms.NewDate(2025, 5, 12), EndsOn: qms.NewDate(2025, 5, 14), Place: "Sở Khoa học và Công nghệ, Vinh"})
	if err != nil {
		return err
	}
	for _, a := range []service.AttendanceInput{
		{Agency: "SKHCN", Name: "Phạm Thị Bình", Email: "thuky.skhcn@demo.isogov.vn", Result: qms.ResultPassed, CertificateNo: "DGNB-2025-001"},
		{Agency: "SKHCN", Name: "Đặng Thị Dung", Email: "danhgia@demo.isogov.vn", Result: qms.ResultPassed, CertificateNo: "DGNB-2025-002"},
		{Agency: "STP", Name: "Trịnh Văn Long", Result: qms.ResultPassed, CertificateNo: "DGNB-2025-003"},
		{Agency: "SNV", Name: "Bùi Thị Giang", Email: "thuky.snv@demo.isogov.vn", Result: qms.ResultAttended},
	} {
		if _, err := svc.AddAttendance(ctx, service.System, auditors.ID, a); err != nil {
			return err
		}
	}
	awareness, err := svc.CreateTrainingSession(ctx, service.System, service.SessionInput{Course: "NT2015", Organiser: qms.OrganisedByAgency, Agency: "SKHCN",
		StartsOn: qms.NewDate(2025, 3, 10), Place: "Hội trường Sở"})
	if err != nil {
		return err
	}
	_, err = svc.AddAttendance(ctx, service.System, awareness.ID, service.AttendanceInput{Agency: "SKHCN", Name: "Hoàng Văn Cường", Email: "chuyenvien.skhcn@demo.isogov.vn"})
	return err
}

// loadRecognitions: the Forest Protection sub-department's certificate falls due soon, the
// Department of Science and Technology announced its 2015 system.
func loadRecognitions(ctx context.Context, svc *service.Service) error {
	cert := qms.Recognition{Kind: qms.Certificate, Number: "HT 2468.24", Body: "Tổ chức chứng nhận (dữ liệu mẫu)", Edition: "TCVN ISO 9001:2015",
		Scope: "Giải quyết thủ tục hành chính thuộc lĩnh vực kiểm lâm", IssuedOn: qms.NewDate(2024, 1, 15), ExpiresOn: qms.NewDate(2027, 1, 14)}
	made, err := svc.AddRecognition(ctx, service.System, "CCKL", cert)
	if err != nil {
		return err
	}
	if err := svc.CompleteSurveillance(ctx, service.System, "CCKL", made.Surveillance[0].ID, qms.NewDate(2025, 1, 20), "Không có điểm không phù hợp lớn"); err != nil {
		return err
	}
	_, err = svc.AddRecognition(ctx, service.System, "SKHCN", qms.Recognition{Kind: qms.Announcement, Number: "120/QĐ-SKHCN", Edition: "TCVN ISO 9001:2015",
		Scope: "Toàn bộ thủ tục hành chính thuộc thẩm quyền giải quyết của Sở", IssuedOn: qms.NewDate(2025, 10, 20), NotifiedOn: qms.NewDate(2025, 10, 27),
		Posted: "Trụ sở Sở và trang thông tin điện tử của Sở"})
	return err
}

// progress marks the first n steps done in the given year.
func progress(steps []qms.TrackStep, n, year int) []service.ImportedStep {
	var out []service.ImportedStep
	for i, s := range steps {
		if i >= n {
			break
		}
		out = append(out, service.ImportedStep{Code: s.Template.Code, Status: qms.StepDone, DoneOn: qms.NewDate(year, time.Month(3+s.Template.Phase), 15),
			Note: fmt.Sprintf("Dữ liệu mẫu: hồ sơ lưu tại bộ phận ISO (bước %s)", s.Template.Code)})
	}
	return out
}

// committees of a few agencies: the Department of Science and Technology renewed its committee
// and told DOST both times; Home Affairs renewed it without telling.
func loadCommittees(ctx context.Context, svc *service.Service) error {
	compositions := []struct {
		agency   string
		decision string
		date     qms.Date
		notify   bool
		members  []qms.CommitteeMemberEntry
	}{
		{"SKHCN", "15/QĐ-SKHCN", qms.NewDate(2024, 3, 1), true, []qms.CommitteeMemberEntry{
			{Name: "Nguyễn Văn An", Position: "Giám đốc Sở", Role: qms.CommitteeHead},
			{Name: "Lê Văn Bình", Position: "Phó Giám đốc Sở", Role: qms.CommitteeDeputy},
			{Name: "Phạm Thị Bình", Position: "Chuyên viên Văn phòng", Role: qms.CommitteeSecretary},
			{Name: "Trần Thị Cúc", Position: "Trưởng phòng Kế hoạch - Tài chính", Role: qms.CommitteeMember},
		}},
		{"SKHCN", "42/QĐ-SKHCN", qms.NewDate(2026, 2, 2), true, []qms.CommitteeMemberEntry{
			{Name: "Nguyễn Văn An", Position: "Giám đốc Sở", Role: qms.CommitteeHead, Email: "lanhdao.skhcn@demo.isogov.vn"},
			{Name: "Phạm Thị Bình", Position: "Chuyên viên Văn phòng", Role: qms.CommitteeSecretary, Email: "thuky.skhcn@demo.isogov.vn"},
			{Name: "Trần Thị Cúc", Position: "Trưởng phòng Kế hoạch - Tài chính", Role: qms.CommitteeDeputy},
			{Name: "Hồ Văn Dũng", Position: "Chánh Văn phòng Sở", Role: qms.CommitteeMember},
		}},
		{"SNV", "08/QĐ-SNV", qms.NewDate(2025, 9, 10), false, []qms.CommitteeMemberEntry{
			{Name: "Trần Quốc Hưng", Position: "Giám đốc Sở", Role: qms.CommitteeHead},
			{Name: "Bùi Thị Giang", Position: "Chuyên viên", Role: qms.CommitteeSecretary},
		}},
	}
	for _, c := range compositions {
		made, err := svc.NewComposition(ctx, service.System, c.agency, qms.Committee{DecisionNo: c.decision, DecisionDate: c.date, Members: c.members})
		if err != nil {
			return err
		}
		if c.notify {
			if err := svc.NotifyComposition(ctx, service.System, c.agency, made.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
