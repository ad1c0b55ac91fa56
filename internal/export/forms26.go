package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/qms"
)

// The inspection forms of Circular 26/2014 (Annex I): the yearly plan (Form 19 KHKT), the
// decision (Form 20 QĐKT), the minutes (Form 21 BBKT); and the yearly evaluation's result. Each
// in the layout of Decree 30/2020, issued by the Department that runs the programme. The
// official annex files were not available: the content follows what Arts. 34–39 require
// (forms.md §1(c)).

// Issuer is who issues a provincial document: the Department, its superior, the province's
// place name for the date line.
type Issuer struct {
	Superior string
	Agency   string
	Code     string
	Place    string
}

var (
	basisDecision19 = "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng " +
		"theo Tiêu chuẩn quốc gia TCVN ISO 9001 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước"
	basisCircular26 = "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014 của Bộ trưởng Bộ Khoa học và Công nghệ quy định chi tiết thi hành " +
		"Quyết định số 19/2014/QĐ-TTg"
	qmsWork = "việc xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001"
)

var (
	formNames = map[qms.InspectionForm]string{qms.OnPaper: "Kiểm tra hồ sơ", qms.OnSite: "Kiểm tra tại trụ sở"}
	formShort = map[qms.InspectionForm]string{qms.OnPaper: "Hồ sơ", qms.OnSite: "Tại trụ sở"}
)

// orDots is a number or text left to fill by hand.
func orDots(s string) string {
	if s == "" {
		return "......"
	}
	return s
}

// dateOrDots is a date, or dots to fill by hand.
func dateOrDots(d qms.Date) string { return orDots(d.VN()) }

// InspectionPlanPDF writes a year's inspection plan (Form 19): the agencies, the inspecting
// unit, the time, the form of inspection and the budget (Art. 34(2)); dated the day of its
// approval once approved.
func InspectionPlanPDF(is Issuer, year int, approvalNo string, approvedOn, today qms.Date, items []qms.Inspection) ([]byte, error) {
	on := today
	if !approvedOn.IsZero() {
		on = approvedOn
	}
	d := NewDoc(is.Superior, is.Agency, "      /KH-"+is.Code, DateLine(is.Place, on), "Kế hoạch",
		"Kiểm tra "+qmsWork+" tại các cơ quan hành chính nhà nước năm "+strconv.Itoa(year))
	onSite := 0
	var budget int64
	for _, x := range items {
		if x.Form == qms.OnSite {
			onSite++
		}
		budget += x.Budget
	}
	d.Heading("I. MỤC ĐÍCH, YÊU CẦU")
	d.Para("Đánh giá " + qmsWork + " tại các cơ quan theo Điều 36 Thông tư số 26/2014/TT-BKHCN; kịp thời phát hiện, hướng dẫn khắc phục những tồn tại.")
	d.Para(fmt.Sprintf("Tất cả %d cơ quan được kiểm tra qua hồ sơ; %d cơ quan được kiểm tra tại trụ sở (không ít hơn một phần ba số cơ quan).", len(items), onSite))
	d.Heading("II. NỘI DUNG KIỂM TRA")
	for i, it := range qms.Art36Items {
		d.Para(fmt.Sprintf("%d. %s.", i+1, it))
	}
	d.Heading("III. CƠ QUAN CHỊU SỰ KIỂM TRA, THỜI GIAN, HÌNH THỨC VÀ KINH PHÍ")
	rows := make([][]string, 0, len(items)+1)
	for i, x := range items {
		rows = append(rows, []string{strconv.Itoa(i + 1), x.AgencyName, x.Team, x.Partner, fmt.Sprintf("%02d/%d", x.Month, x.Year), formShort[x.Form],
			thousands(x.Budget)})
	}
	rows = append(rows, []string{"", "Tổng cộng", "", "", "", "", thousands(budget)})
	d.Table([]float64{9, 44, 26, 24, 18, 22, 22}, []string{"TT", "Cơ quan chịu sự kiểm tra", "Đơn vị kiểm tra", "Đơn vị phối hợp", "Tháng", "Hình thức", "Kinh phí (đồng)"}, rows)
	d.Heading("IV. TỔ CHỨC THỰC HIỆN")
	d.Para(is.Agency + " chủ trì, ban hành quyết định kiểm tra đối với từng cơ quan được kiểm tra tại trụ sở; các cơ quan chịu sự kiểm tra chuẩn bị hồ sơ, báo cáo theo yêu cầu và báo cáo kết quả khắc phục trong thời hạn 02 tháng kể từ ngày kết thúc kiểm tra.")
	if approvalNo != "" {
		d.Para("Kế hoạch được phê duyệt tại Quyết định số " + approvalNo + " ngày " + dateOrDots(approvedOn) + ".")
	}
	d.Sign("Giám đốc", "")
	d.Recipients("Ủy ban nhân dân tỉnh (để báo cáo)", "Các cơ quan có tên tại Mục III", "Lưu: VT")
	return d.Bytes()
}

// InspectionDecisionPDF writes an on-site inspection's decision (Form 20): its grounds (the
// Decision, the Circular, the approved plan), the agency inspected, the team, the content and
// time, the duty to execute it.
func InspectionDecisionPDF(is Issuer, approvalNo string, approvedOn qms.Date, x qms.Inspection) ([]byte, error) {
	d := NewDoc(is.Superior, is.Agency, orDots(x.DecisionNo), DateLine(is.Place, x.DecisionOn), "Quyết định",
		"Về việc kiểm tra "+qmsWork+" tại "+x.AgencyName)
	d.Authority("Giám đốc " + is.Agency)
	d.Basis(basisDecision19, basisCircular26,
		"Căn cứ Kế hoạch kiểm tra năm "+strconv.Itoa(x.Year)+" đã được phê duyệt tại Quyết định số "+orDots(approvalNo)+" ngày "+dateOrDots(approvedOn))
	d.Center("QUYẾT ĐỊNH:")
	d.Para(fmt.Sprintf("Điều 1. Kiểm tra %s tại %s trong tháng %02d năm %d, hình thức: %s. Thành lập Đoàn kiểm tra gồm các ông (bà) có tên sau:",
		qmsWork, x.AgencyName, x.Month, x.Year, strings.ToLower(formNames[x.Form])))
	for _, m := range strings.Split(x.Members, "\n") {
		if m = strings.TrimSpace(m); m != "" {
			d.Para("- " + m)
		}
	}
	d.Para("Điều 2. Đoàn kiểm tra có nhiệm vụ kiểm tra các nội dung quy định tại Điều 36 Thông tư số 26/2014/TT-BKHCN:")
	for i, it := range qms.Art36Items {
		d.Para(fmt.Sprintf("%c) %s;", 'a'+i, it))
	}
	d.Para("Kết quả kiểm tra được lập thành biên bản theo Mẫu 21 BBKT; Đoàn kiểm tra tự giải thể sau khi hoàn thành nhiệm vụ.")
	d.Para("Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Đoàn kiểm tra, " + x.AgencyName + " và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.")
	d.Sign("Giám đốc", "")
	d.Recipients("Như Điều 3", "Lưu: VT")
	return d.Bytes()
}

// InspectionMinutesPDF writes an inspection's minutes (Form 21): the decision it rests on, the
// team, the results by Art. 36 item with the shortcomings (and the nonconformities they
// raised), the conclusion, the corrective report's deadline, two copies, the two signatures.
func InspectionMinutesPDF(is Issuer, x qms.Inspection) ([]byte, error) {
	d := NewDoc(is.Superior, is.Agency, "", DateLine(is.Place, x.DoneOn), "Biên bản", "Kiểm tra "+qmsWork+" tại "+x.AgencyName)
	d.Basis("Căn cứ Quyết định số " + orDots(x.DecisionNo) + " ngày " + dateOrDots(x.DecisionOn) + " của Giám đốc " + is.Agency + " về việc kiểm tra " + qmsWork +
		" tại " + x.AgencyName)
	d.Para("Hôm nay, ngày " + dateOrDots(x.DoneOn) + ", Đoàn kiểm tra tiến hành " + strings.ToLower(formNames[x.Form]) + " đối với " + x.AgencyName + ".")
	d.Heading("Đoàn kiểm tra gồm:")
	for _, m := range strings.Split(x.Members, "\n") {
		if m = strings.TrimSpace(m); m != "" {
			d.Para("- " + m)
		}
	}
	d.Heading("Đại diện cơ quan được kiểm tra:")
	d.Para("- ............................................................")
	d.Heading("I. KẾT QUẢ KIỂM TRA")
	rows := make([][]string, 0, len(x.Checklist))
	var shortcomings []string
	for i, it := range x.Checklist {
		result, note := "Đạt", ""
		if !it.OK {
			result, note = "Chưa đạt", it.Note
			if it.NCCode != "" {
				note += " (phiếu " + it.NCCode + ")"
			}
			shortcomings = append(shortcomings, it.Note)
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), it.Item, result, note})
	}
	d.Table([]float64{9, 76, 20, 60}, []string{"TT", "Nội dung kiểm tra (Điều 36)", "Kết quả", "Tồn tại"}, rows)
	d.Heading("II. TỒN TẠI")
	if len(shortcomings) == 0 {
		d.Para("Không có.")
	}
	for i, s := range shortcomings {
		d.Para(fmt.Sprintf("%d. %s", i+1, s))
	}
	d.Heading("III. KẾT LUẬN VÀ KIẾN NGHỊ")
	d.Para(orDots(x.Conclusion))
	if !x.CorrectiveDue.IsZero() {
		d.Para(x.AgencyName + " báo cáo kết quả khắc phục các tồn tại về " + is.Agency + " trước ngày " + x.CorrectiveDue.VN() + ".")
	}
	d.Heading("IV. Ý KIẾN CỦA CƠ QUAN ĐƯỢC KIỂM TRA")
	d.Para("............................................................")
	d.Para("Biên bản được lập thành 02 bản có giá trị như nhau, Đoàn kiểm tra giữ 01 bản, cơ quan được kiểm tra giữ 01 bản.")
	d.SignBoth("Đại diện cơ quan được kiểm tra", "", "Trưởng đoàn kiểm tra", "")
	return d.Bytes()
}

// EvaluationPDF writes the year's evaluation of the agencies for Home Affairs: the criteria and
// their weights, the ranking with each agency's total, the agencies proposed for commendation.
func EvaluationPDF(is Issuer, year int, today qms.Date, criteria []qms.Criterion, list []qms.Evaluation, threshold float64) ([]byte, error) {
	d := NewDoc(is.Superior, is.Agency, "      /BC-"+is.Code, DateLine(is.Place, today), "Báo cáo",
		"Kết quả đánh giá, xếp loại "+qmsWork+" tại các cơ quan hành chính nhà nước năm "+strconv.Itoa(year))
	d.Heading("I. TIÊU CHÍ VÀ THANG ĐIỂM")
	rows := make([][]string, 0, len(criteria))
	for i, c := range criteria {
		rows = append(rows, []string{strconv.Itoa(i + 1), c.Name, strconv.FormatFloat(c.Weight, 'f', -1, 64)})
	}
	d.Table([]float64{9, 131, 25}, []string{"TT", "Tiêu chí", "Điểm tối đa"}, rows)
	d.Heading("II. KẾT QUẢ XẾP LOẠI")
	rows = rows[:0]
	var proposed []string
	for _, e := range list {
		mark, adj := "", ""
		if e.Proposed {
			mark = "x"
			proposed = append(proposed, e.Agency.Name)
		}
		if n := len(e.Adjustments); n > 0 {
			adj = strconv.Itoa(n)
		}
		rows = append(rows, []string{strconv.Itoa(e.Rank), e.Agency.Name, strconv.FormatFloat(e.Total, 'f', 1, 64), adj, mark})
	}
	d.Table([]float64{12, 93, 20, 20, 20}, []string{"Xếp hạng", "Cơ quan", "Tổng điểm", "Điều chỉnh", "Đề nghị khen thưởng"}, rows)
	d.Heading("III. ĐỀ NGHỊ KHEN THƯỞNG")
	d.Para(fmt.Sprintf("Các cơ quan đạt từ %s điểm trở lên được đề nghị khen thưởng: %d cơ quan.", strconv.FormatFloat(threshold, 'f', -1, 64), len(proposed)))
	for i, n := range proposed {
		d.Para(fmt.Sprintf("%d. %s", i+1, n))
	}
	d.Sign("Giám đốc", "")
	d.Recipients("Sở Nội vụ (Ban Thi đua - Khen thưởng)", "Ủy ban nhân dân tỉnh (để báo cáo)", "Lưu: VT")
	return d.Bytes()
}

// thousands writes a sum of money with dots between thousands, as Vietnamese documents do.
func thousands(v int64) string {
	if v == 0 {
		return "—"
	}
	s := strconv.FormatInt(v, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}
