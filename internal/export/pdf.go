package export

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifbolditalic"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	"github.com/go-pdf/fpdf"

	"github.com/isogov/isogov/internal/qms"
)

// PDF documents in the layout of a Vietnamese administrative document (Decree 30/2020): A4,
// margins 20–25 mm left 30 mm, a Times-compatible Unicode serif embedded (Liberation Serif), the
// agency and the national title side by side, the title centred in bold capitals, the body,
// the signature block on the right.

// Doc builds one such document.
type Doc struct {
	pdf *fpdf.Fpdf
}

// NewDoc starts a document: the agency (its superior above, if any) and the national title, the
// place and date line, the title and the subtitle.
func NewDoc(superior, agency, number, placeDate, title, subtitle string) *Doc {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes("serif", "", liberationserifregular.TTF)
	p.AddUTF8FontFromBytes("serif", "B", liberationserifbold.TTF)
	p.AddUTF8FontFromBytes("serif", "I", liberationserifitalic.TTF)
	p.AddUTF8FontFromBytes("serif", "BI", liberationserifbolditalic.TTF)
	p.SetMargins(30, 20, 15)
	p.SetAutoPageBreak(true, 20)
	p.SetHeaderFunc(func() { // the page number, centred in the top margin, from page 2 on
		if n := p.PageNo(); n > 1 {
			p.SetY(10)
			p.SetFont("serif", "", 13)
			p.CellFormat(0, 6, fmt.Sprint(n), "", 0, "C", false, 0, "")
			p.SetY(20)
		}
	})
	p.AddPage()
	d := &Doc{pdf: p}
	left, right := 74.0, 91.0
	y := p.GetY()
	p.SetFont("serif", "", 12)
	if superior != "" {
		p.MultiCell(left, 5.5, strings.ToUpper(superior), "", "C", false)
	}
	p.SetFont("serif", "B", 12)
	p.MultiCell(left, 5.5, strings.ToUpper(agency), "", "C", false)
	p.SetFont("serif", "", 12)
	if number != "" {
		p.MultiCell(left, 6, "Số: "+number, "", "C", false)
	}
	yLeft := p.GetY()
	p.SetXY(30+left, y)
	p.SetFont("serif", "B", 12)
	p.MultiCell(right, 5.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", "C", false)
	p.SetX(30 + left)
	p.SetFont("serif", "B", 13)
	p.MultiCell(right, 6, "Độc lập - Tự do - Hạnh phúc", "", "C", false)
	p.SetX(30 + left)
	p.SetFont("serif", "I", 13)
	p.MultiCell(right, 8, placeDate, "", "C", false)
	p.SetY(max(yLeft, p.GetY()) + 6)
	p.SetFont("serif", "B", 14)
	p.MultiCell(0, 7, strings.ToUpper(title), "", "C", false)
	if subtitle != "" {
		p.SetFont("serif", "B", 13)
		p.MultiCell(0, 6.5, subtitle, "", "C", false)
	}
	p.Ln(4)
	return d
}

// Heading writes a section heading.
func (d *Doc) Heading(s string) {
	d.pdf.Ln(2)
	d.pdf.SetFont("serif", "B", 13)
	d.pdf.MultiCell(0, 6.5, s, "", "L", false)
}

// Para writes a paragraph of body text, justified.
func (d *Doc) Para(s string) {
	d.pdf.SetFont("serif", "", 13)
	d.pdf.MultiCell(0, 6.5, s, "", "J", false)
}

// Field writes "label: value".
func (d *Doc) Field(label, value string) {
	d.pdf.SetFont("serif", "", 13)
	d.pdf.MultiCell(0, 6.5, label+": "+value, "", "L", false)
}

// Table writes a table with bordered cells; widths are in mm and sum to the text width.
func (d *Doc) Table(widths []float64, header []string, rows [][]string) {
	p := d.pdf
	line := func(cells []string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		p.SetFont("serif", style, 10.5)
		h := 0.0
		for i, c := range cells {
			n := len(p.SplitText(c, widths[i]-2))
			h = max(h, float64(max(n, 1))*5)
		}
		if p.GetY()+h > 297-20 {
			p.AddPage()
		}
		x, y := p.GetX(), p.GetY()
		for i, c := range cells {
			p.Rect(x, y, widths[i], h+2, "D")
			p.SetXY(x+1, y+1)
			p.MultiCell(widths[i]-2, 5, c, "", "L", false)
			x += widths[i]
		}
		p.SetXY(30, y+h+2)
	}
	line(header, true)
	for _, r := range rows {
		line(r, false)
	}
	p.Ln(2)
}

// Sign writes the signature block on the right: the title, the name.
func (d *Doc) Sign(title, name string) {
	p := d.pdf
	p.Ln(6)
	p.SetX(30 + 70)
	p.SetFont("serif", "B", 13)
	p.MultiCell(95, 6.5, strings.ToUpper(title), "", "C", false)
	p.Ln(18)
	p.SetX(30 + 70)
	p.MultiCell(95, 6.5, name, "", "C", false)
}

// Recipients writes the "Nơi nhận" block on the left.
func (d *Doc) Recipients(items ...string) {
	p := d.pdf
	p.Ln(4)
	p.SetFont("serif", "BI", 12)
	p.MultiCell(80, 5, "Nơi nhận:", "", "L", false)
	p.SetFont("serif", "", 11)
	for i, it := range items {
		end := ";"
		if i == len(items)-1 {
			end = "."
		}
		p.MultiCell(80, 5, "- "+it+end, "", "L", false)
	}
}

// Bytes finishes the document.
func (d *Doc) Bytes() ([]byte, error) {
	var b bytes.Buffer
	err := d.pdf.Output(&b)
	return b.Bytes(), err
}

var findingNames = map[qms.FindingType]string{qms.FindingConformity: "Phù hợp", qms.FindingObservation: "Khuyến nghị (quan sát)",
	qms.FindingOFI: "Cơ hội cải tiến", qms.FindingMinor: "Không phù hợp nhẹ", qms.FindingMajor: "Không phù hợp nặng"}

var answerNames = map[string]string{qms.ChecklistYes: "Đạt", qms.ChecklistNo: "Không đạt", qms.ChecklistNA: "Không áp dụng", "": "Chưa đánh giá"}

// AuditReportPDF writes an internal audit's report: plan, team, checklist results, findings,
// conclusion, the lead auditor's signature block.
func AuditReportPDF(x qms.Audit, agencyName, place string) ([]byte, error) {
	d := NewDoc("", agencyName, x.Code+"/BC-ĐGNB", DateLine(place, x.EndsOn), "Báo cáo đánh giá nội bộ", x.Title)
	d.Heading("I. Phạm vi và chuẩn mực đánh giá")
	d.Field("Thời gian", x.StartsOn.VN()+" – "+x.EndsOn.VN())
	if x.Scope != "" {
		d.Field("Phạm vi", x.Scope)
	}
	if len(x.Clauses) > 0 {
		d.Field("Điều khoản TCVN ISO 9001:2015", strings.Join(x.Clauses, ", "))
	}
	if len(x.Processes) > 0 {
		d.Field("Quy trình", strings.Join(x.Processes, ", "))
	}
	if len(x.Units) > 0 {
		d.Field("Đơn vị được đánh giá", strings.Join(x.Units, ", "))
	}
	if x.Auditees != "" {
		d.Field("Người được đánh giá", x.Auditees)
	}
	var team []string
	for _, m := range x.Auditors() {
		team = append(team, m.Name)
	}
	d.Field("Đoàn đánh giá", strings.Join(team, ", ")+" (trưởng đoàn: "+x.Lead.Name+")")
	d.Heading("II. Kết quả theo danh mục kiểm tra")
	var rows [][]string
	for _, it := range x.Items {
		rows = append(rows, []string{fmt.Sprint(it.Position), it.Question, answerNames[it.Result], it.Note})
	}
	d.Table([]float64{10, 95, 25, 35}, []string{"TT", "Nội dung kiểm tra", "Kết quả", "Ghi chú"}, rows)
	d.Heading("III. Các phát hiện")
	if len(x.Findings) == 0 {
		d.Para("Không có phát hiện.")
	} else {
		rows = nil
		for i, f := range x.Findings {
			where := strings.TrimSpace(strings.Join([]string{f.Clause, f.Process, f.Unit}, " "))
			desc := f.Description + "\nBằng chứng: " + f.Evidence
			if f.NCCode != "" {
				desc += "\nSố phiếu: " + f.NCCode
			}
			rows = append(rows, []string{fmt.Sprint(i + 1), findingNames[f.Type], where, desc})
		}
		d.Table([]float64{10, 35, 25, 95}, []string{"TT", "Loại", "Điều khoản, nơi", "Mô tả và bằng chứng"}, rows)
	}
	d.Heading("IV. Kết luận")
	if x.Summary != "" {
		d.Para(x.Summary)
	} else {
		d.Para("(Chưa có kết luận.)")
	}
	d.Sign("Trưởng đoàn đánh giá", x.Lead.Name)
	return d.Bytes()
}

// DateLine writes "<place>, ngày DD tháng MM năm YYYY" (Decree 30/2020: day and month with a
// leading zero).
func DateLine(place string, d qms.Date) string {
	if place == "" {
		place = "......"
	}
	if d.IsZero() { // left to fill by hand
		return place + ", ngày ...... tháng ...... năm ......"
	}
	t := d.Time()
	return fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", place, t.Day(), int(t.Month()), t.Year())
}

// Paper is an administrative document to write as PDF: its header, sections (paragraphs and
// tables), signer and recipients.
type Paper struct {
	Superior, Agency, Number, DateLine, Title, Subtitle string
	Sections                                            []PaperSection
	SignTitle, Signer                                   string
	Recipients                                          []string
}

// PaperSection is a heading with its paragraphs and, optionally, a table.
type PaperSection struct {
	Heading string
	Paras   []string
	Widths  []float64 // mm, summing to 165
	Header  []string
	Rows    [][]string
}

// PDF writes the paper.
func (pp Paper) PDF() ([]byte, error) {
	d := NewDoc(pp.Superior, pp.Agency, pp.Number, pp.DateLine, pp.Title, pp.Subtitle)
	for _, sec := range pp.Sections {
		d.Heading(sec.Heading)
		for _, para := range sec.Paras {
			d.Para(para)
		}
		if len(sec.Header) > 0 {
			d.Table(sec.Widths, sec.Header, sec.Rows)
		}
	}
	d.Sign(pp.SignTitle, pp.Signer)
	if len(pp.Recipients) > 0 {
		d.Recipients(pp.Recipients...)
	}
	return d.Bytes()
}

// ReportPDF writes an agency's periodic report: its sections, the signer, the recipients.
func ReportPDF(x qms.Report, data qms.ReportData, superior, place string) ([]byte, error) {
	on := qms.DateOf(data.Compiled.In(vnZone))
	if !x.SignedAt.IsZero() {
		on = qms.DateOf(x.SignedAt.In(vnZone))
	}
	pp := Paper{Superior: superior, Agency: x.AgencyName, Number: x.Number, DateLine: DateLine(place, on), Title: "Báo cáo", Subtitle: x.Title(),
		SignTitle: "Thủ trưởng cơ quan", Signer: x.SignerName, Recipients: []string{"Sở Khoa học và Công nghệ", "Lưu: VT"}}
	if pp.Number == "" {
		pp.Number = "      /BC-" + x.AgencyCode
	}
	if pp.Signer == "" {
		pp.Signer = "(dự thảo, chưa ký)"
	}
	for _, sec := range x.Sections(data) {
		pp.Sections = append(pp.Sections, PaperSection{Heading: sec.Heading, Paras: sec.Paras})
	}
	return pp.PDF()
}

var vnZone = time.FixedZone("ICT", 7*3600)

// Authority writes the issuing authority of a decision, centred in bold capitals (Decree
// 30/2020, Annex III, Form 1.2).
func (d *Doc) Authority(s string) {
	d.pdf.Ln(2)
	d.pdf.SetFont("serif", "B", 13)
	d.pdf.MultiCell(0, 6.5, strings.ToUpper(s), "", "C", false)
	d.pdf.Ln(2)
}

// Basis writes the grounds of a decision in italics, each line ending ";" and the last ".".
func (d *Doc) Basis(lines ...string) {
	d.pdf.SetFont("serif", "I", 13)
	for i, l := range lines {
		end := ";"
		if i == len(lines)-1 {
			end = "."
		}
		d.pdf.MultiCell(0, 6.5, strings.TrimRight(l, ";.")+end, "", "J", false)
	}
}

// Center writes a line centred in bold ("QUYẾT ĐỊNH:").
func (d *Doc) Center(s string) {
	d.pdf.Ln(2)
	d.pdf.SetFont("serif", "B", 13)
	d.pdf.MultiCell(0, 6.5, s, "", "C", false)
	d.pdf.Ln(1)
}

// SignBoth writes two signature blocks side by side, as minutes are signed: the left party, the
// right party.
func (d *Doc) SignBoth(leftTitle, leftName, rightTitle, rightName string) {
	p := d.pdf
	p.Ln(6)
	if p.GetY()+40 > 297-20 {
		p.AddPage()
	}
	y := p.GetY()
	p.SetFont("serif", "B", 12)
	p.SetXY(30, y)
	p.MultiCell(80, 6, strings.ToUpper(leftTitle), "", "C", false)
	p.SetXY(30+85, y)
	p.MultiCell(80, 6, strings.ToUpper(rightTitle), "", "C", false)
	y += 30
	p.SetFont("serif", "B", 13)
	p.SetXY(30, y)
	p.MultiCell(80, 6.5, leftName, "", "C", false)
	p.SetXY(30+85, y)
	p.MultiCell(80, 6.5, rightName, "", "C", false)
}
