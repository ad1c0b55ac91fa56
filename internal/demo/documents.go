package demo

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// demoDocs are the Department of Science and Technology's first documents, each carried
// through its whole life: drafted by the ISO secretary with a Word file, commented where its
// type asks for it, signed by the director, in force.
var demoDocs = []struct {
	Type, Title string
	Clauses     []string
	Text        string
	EffectiveOn qms.Date
}{
	{"manual", "Sổ tay chất lượng", []string{"4.3", "4.4"}, "Sổ tay chất lượng của Sở Khoa học và Công nghệ: phạm vi áp dụng, chính sách, các quá trình.", qms.NewDate(2025, 3, 3)},
	{"policy", "Chính sách chất lượng", []string{"5.2"}, "Chính sách chất lượng: phục vụ tổ chức, công dân nhanh chóng, đúng hẹn, minh bạch.", qms.NewDate(2025, 3, 3)},
	{"procedure", "Quy trình kiểm soát tài liệu", []string{"7.5.2", "7.5.3"}, "Quy trình kiểm soát tài liệu: soạn thảo, góp ý, phê duyệt, ban hành, phân phối, sửa đổi.", qms.NewDate(2025, 3, 10)},
	{"procedure", "Quy trình kiểm soát hồ sơ", []string{"7.5.3"}, "Quy trình kiểm soát hồ sơ: nhận biết, lưu trữ, bảo vệ, thời gian lưu và hủy hồ sơ.", qms.NewDate(2025, 3, 10)},
	{"form", "Phiếu kiểm soát quá trình giải quyết hồ sơ", []string{"8.5.1"}, "Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 05 Thông tư 01/2018/TT-VPCP).", qms.NewDate(2025, 4, 1)},
}

// wordFile writes a minimal DOCX holding one paragraph.
func wordFile(text string) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>`, text)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func loadDocuments(ctx context.Context, svc *service.Service) error {
	secretary, err := svc.ActorByEmail(ctx, "thuky.skhcn@demo.isogov.vn")
	if err != nil {
		return err
	}
	leader, err := svc.ActorByEmail(ctx, "lanhdao.skhcn@demo.isogov.vn")
	if err != nil {
		return err
	}
	staff, err := svc.ActorByEmail(ctx, "chuyenvien.skhcn@demo.isogov.vn")
	if err != nil {
		return err
	}
	for _, dd := range demoDocs {
		d, err := svc.CreateDocument(ctx, secretary, "SKHCN", service.DocumentInput{Type: dd.Type, Title: dd.Title, Clauses: dd.Clauses})
		if err != nil {
			return fmt.Errorf("demo document %s: %w", dd.Title, err)
		}
		file, err := wordFile(dd.Text)
		if err != nil {
			return err
		}
		rev := d.Latest.ID
		if _, err := svc.UploadMainFile(ctx, secretary, "SKHCN", rev, 0, bytes.NewReader(file), d.Code+".docx"); err != nil {
			return err
		}
		step := func(a *qms.Actor, in service.TransitionRequest) error {
			_, err := svc.Transition(ctx, a, "SKHCN", rev, in)
			return err
		}
		if dd.Type == "manual" || dd.Type == "policy" || dd.Type == "procedure" {
			if err := step(secretary, service.TransitionRequest{Event: qms.EvSubmitReview, Reviewers: []string{staff.Email, leader.Email}, Deadline: qms.DateOf(svc.Now()).AddDays(7)}); err != nil {
				return err
			}
			c, err := svc.CommentRevision(ctx, staff, "SKHCN", rev, "Đề nghị ghi rõ thời hạn áp dụng.")
			if err != nil {
				return err
			}
			if _, err := svc.AnswerComment(ctx, secretary, "SKHCN", c.ID, qms.AnswerAccepted, "Đã bổ sung."); err != nil {
				return err
			}
			if err := step(secretary, service.TransitionRequest{Event: qms.EvCloseRound}); err != nil {
				return err
			}
		}
		if err := step(secretary, service.TransitionRequest{Event: qms.EvSubmitApproval}); err != nil {
			return err
		}
		if err := step(leader, service.TransitionRequest{Event: qms.EvApprove, Password: Password, EffectiveOn: dd.EffectiveOn}); err != nil {
			return fmt.Errorf("demo document %s: %w", dd.Title, err)
		}
	}
	return nil
}

// demoProcessCode is the procedure the demo's process handles; the province then amends it, so
// that SKHCN has an update task listing the process.
const demoProcessCode = "1.001214"

// loadProcess gives SKHCN a process in force for one procedure (11 working days in five
// steps), then marks the procedure amended.
func loadProcess(ctx context.Context, svc *service.Service) error {
	secretary, err := svc.ActorByEmail(ctx, "thuky.skhcn@demo.isogov.vn")
	if err != nil {
		return err
	}
	leader, err := svc.ActorByEmail(ctx, "lanhdao.skhcn@demo.isogov.vn")
	if err != nil {
		return err
	}
	staff, err := svc.ActorByEmail(ctx, "chuyenvien.skhcn@demo.isogov.vn")
	if err != nil {
		return err
	}
	d, err := svc.CreateDocument(ctx, secretary, "SKHCN", service.DocumentInput{Type: qms.ProcessType,
		Title: "Quy trình cấp lại giấy chứng nhận đăng ký hoạt động khoa học và công nghệ"})
	if err != nil {
		return err
	}
	step := func(desc, who string, amount int, unit, output string) qms.ProcessStep {
		return qms.ProcessStep{Description: desc, Responsible: who, Amount: amount, Unit: unit, Output: output}
	}
	c := qms.ProcessContent{Procedures: []string{demoProcessCode},
		Purpose:    "Quy định trình tự, thời hạn cấp lại giấy chứng nhận đăng ký hoạt động khoa học và công nghệ.",
		Scope:      "Áp dụng cho tổ chức khoa học và công nghệ đề nghị cấp lại giấy chứng nhận tại Sở Khoa học và Công nghệ.",
		WhereFiled: "Trung tâm Phục vụ hành chính công tỉnh Nghệ An",
		Steps: []qms.ProcessStep{
			step("Tiếp nhận, kiểm tra hồ sơ, lập phiếu hẹn", "Bộ phận một cửa", 4, qms.UnitHours, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
			step("Thẩm định hồ sơ, dự thảo giấy chứng nhận", "Phòng Quản lý khoa học", 6, qms.UnitDays, "Tờ trình, dự thảo giấy chứng nhận"),
			step("Xem xét, trình lãnh đạo Sở", "Trưởng phòng Quản lý khoa học", 2, qms.UnitDays, "Hồ sơ trình ký"),
			step("Ký duyệt giấy chứng nhận", "Lãnh đạo Sở", 2, qms.UnitDays, "Giấy chứng nhận"),
			step("Vào sổ, trả kết quả", "Bộ phận một cửa", 4, qms.UnitHours, "Sổ theo dõi hồ sơ"),
		},
		Records: []qms.ProcessRecord{{Record: "Hồ sơ đề nghị cấp lại", Place: "Phòng Quản lý khoa học", Retention: "5 năm"}},
	}
	rev := d.Latest.ID
	if _, err := svc.SaveProcess(ctx, secretary, "SKHCN", rev, 0, c); err != nil {
		return fmt.Errorf("demo process: %w", err)
	}
	today := qms.DateOf(svc.Now())
	for _, st := range []struct {
		who *qms.Actor
		in  service.TransitionRequest
	}{
		{secretary, service.TransitionRequest{Event: qms.EvSubmitReview, Reviewers: []string{staff.Email}, Deadline: today.AddDays(7)}},
		{secretary, service.TransitionRequest{Event: qms.EvCloseRound}},
		{secretary, service.TransitionRequest{Event: qms.EvSubmitApproval}},
		{leader, service.TransitionRequest{Event: qms.EvApprove, Password: Password, EffectiveOn: today.AddDays(-30)}},
	} {
		if _, err := svc.Transition(ctx, st.who, "SKHCN", rev, st.in); err != nil {
			return fmt.Errorf("demo process, %s: %w", st.in.Event, err)
		}
	}
	for _, p := range Procedures() {
		if p.Code == demoProcessCode {
			p.Status, p.Decision = qms.ProcAmended, "2150/QĐ-UBND"
			_, err := svc.SaveProcedure(ctx, service.System, p.Code, p)
			return err
		}
	}
	return fmt.Errorf("demo process: no procedure %s", demoProcessCode)
}
