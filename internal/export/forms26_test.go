package export

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/qms"
)

// pdfText returns a PDF's text through pdftotext (Debian's poppler-utils, which CI installs
// before the tests and then requires, ISOGOV_PDFTOTEXT=required); without it, on a machine with
// only Go, the test checks only that the PDF was written.
func pdfText(t *testing.T, b []byte) (string, bool) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", b)
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("ISOGOV_PDFTOTEXT") == "required" { // CI installs it: the text must be read there
			t.Fatal("pdftotext (Debian's poppler-utils) is not installed")
		}
		t.Log("pdftotext not installed: the text is not read")
		return "", false
	}
	cmd := exec.Command(bin, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " "), true
}

// The inspection forms and the evaluation: their titles, the agency, numbers and dates, the
// results, with the diacritics kept; dots where a date is still to be filled by hand.
func TestInspectionForms(t *testing.T) {
	is := Issuer{Superior: "Ủy ban nhân dân tỉnh Nghệ An", Agency: "Sở Khoa học và Công nghệ", Code: "SKHCN", Place: "Nghệ An"}
	x := qms.Inspection{Year: 2026, AgencyName: "Sở Tư pháp", Code: "KT-2026-001", Form: qms.OnSite, Month: 11, Team: "Chi cục TĐC", Partner: "Sở Nội vụ", Budget: 5000000,
		DecisionNo: "25/QĐ-SKHCN", DecisionOn: qms.NewDate(2026, 11, 2), Members: "Nguyễn Văn An, Trưởng đoàn\nLê Thị Bình, thành viên"}
	for i, it := range qms.Art36Items {
		c := qms.CheckItem{Item: it, OK: i != 4}
		if !c.OK {
			c.Note, c.NCCode = "Chưa có sổ theo dõi phản ánh", "NC-2026-007"
		}
		x.Checklist = append(x.Checklist, c)
	}
	x.Conclusion, x.DoneOn, x.CorrectiveDue = "Cơ bản đạt yêu cầu", qms.NewDate(2026, 11, 20), qms.NewDate(2027, 1, 20)
	paper := x
	paper.AgencyName, paper.Form, paper.Budget = "Sở Nội vụ", qms.OnPaper, 0

	plan, err := InspectionPlanPDF(is, 2026, "150/QĐ-UBND", qms.NewDate(2026, 1, 20), qms.NewDate(2026, 11, 27), []qms.Inspection{x, paper})
	if err != nil {
		t.Fatal(err)
	}
	if text, ok := pdfText(t, plan); ok {
		for _, want := range []string{"KẾ HOẠCH", "Nghệ An, ngày 20 tháng 01 năm 2026", "Số: /KH-SKHCN", "Sở Tư pháp", "Tại trụ sở", "Hồ sơ",
			"5.000.000", "11/2026", "150/QĐ-UBND", "Đơn vị phối", "Chi cục TĐC Sở Nội vụ", "1 cơ quan được kiểm tra tại trụ sở"} {
			if !strings.Contains(text, want) {
				t.Errorf("the plan lacks %q: %s", want, text)
			}
		}
	}
	decision, err := InspectionDecisionPDF(is, "150/QĐ-UBND", qms.NewDate(2026, 1, 20), x)
	if err != nil {
		t.Fatal(err)
	}
	if text, ok := pdfText(t, decision); ok {
		for _, want := range []string{"QUYẾT ĐỊNH", "Số: 25/QĐ-SKHCN", "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Căn cứ Thông tư số 26/2014/TT-BKHCN",
			"Quyết định số 150/QĐ-UBND ngày 20/01/2026.", "QUYẾT ĐỊNH:", "Điều 1.", "Nguyễn Văn An, Trưởng đoàn", "Điều 3.", "Như Điều 3"} {
			if !strings.Contains(text, want) {
				t.Errorf("the decision lacks %q: %s", want, text)
			}
		}
	}
	minutes, err := InspectionMinutesPDF(is, x)
	if err != nil {
		t.Fatal(err)
	}
	if text, ok := pdfText(t, minutes); ok {
		for _, want := range []string{"BIÊN BẢN", "Căn cứ Quyết định số 25/QĐ-SKHCN ngày 02/11/2026", "Chưa đạt", "Chưa có sổ theo dõi phản ánh", "NC-2026-007",
			"20/01/2027", "02 bản", "ĐẠI DIỆN CƠ QUAN ĐƯỢC KIỂM TRA", "TRƯỞNG ĐOÀN KIỂM TRA"} {
			if !strings.Contains(text, want) {
				t.Errorf("the minutes lack %q: %s", want, text)
			}
		}
	}
	// Before the decision: dots to fill by hand, not a date of year 1.
	blankDecision, err := InspectionDecisionPDF(is, "", qms.Date{}, qms.Inspection{Year: 2026, AgencyName: "Sở Tư pháp", Form: qms.OnSite, Month: 11})
	if err != nil {
		t.Fatal(err)
	}
	if text, ok := pdfText(t, blankDecision); ok && (!strings.Contains(text, "Nghệ An, ngày ...... tháng") || strings.Contains(text, "0001")) {
		t.Errorf("the blank decision: %s", text)
	}

	crit := []qms.Criterion{{Code: "committee_notified", Name: "Ban chỉ đạo được thông báo", Weight: 60}, {Code: "reports_on_time", Name: "Báo cáo đúng hạn", Weight: 40}}
	list := []qms.Evaluation{{Agency: qms.Agency{Name: "Sở Tư pháp"}, Total: 95, Rank: 1, Proposed: true}, {Agency: qms.Agency{Name: "Sở Nội vụ"}, Total: 60.5, Rank: 2}}
	ev, err := EvaluationPDF(is, 2026, qms.NewDate(2026, 12, 20), crit, list, 90)
	if err != nil {
		t.Fatal(err)
	}
	if text, ok := pdfText(t, ev); ok {
		for _, want := range []string{"Kết quả đánh giá, xếp loại", "Ban chỉ đạo được thông báo", "60.5", "từ 90 điểm trở lên", "1 cơ quan", "1. Sở Tư pháp", "Sở Nội vụ (Ban Thi đua - Khen thưởng)"} {
			if !strings.Contains(text, want) {
				t.Errorf("the evaluation lacks %q: %s", want, text)
			}
		}
	}
}

func TestThousands(t *testing.T) {
	for v, want := range map[int64]string{0: "—", 5: "5", 1000: "1.000", 15000000: "15.000.000", 123456789: "123.456.789"} {
		if got := thousands(v); got != want {
			t.Errorf("thousands(%d) = %q, want %q", v, got, want)
		}
	}
}
