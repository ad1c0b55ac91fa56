package qms

import (
	"fmt"
	"strings"
	"time"
)

// Periodic reports of an agency to the Department of Science and Technology (DOMAIN.md §1:
// every six months and yearly): drafted from live data with free-text sections, signed by the
// leader, submitted before the period's deadline (late ones flagged), accepted or returned.

// ReportKind is the period a report covers.
type ReportKind string

const (
	ReportHalf ReportKind = "half" // the first six months of a year
	ReportYear ReportKind = "year" // the whole year
)

// ReportState is where a report stands.
type ReportState string

const (
	ReportDraft     ReportState = "draft"
	ReportSigned    ReportState = "signed"
	ReportSubmitted ReportState = "submitted"
	ReportAccepted  ReportState = "accepted"
	ReportReturned  ReportState = "returned" // back to its agency with comments; edited as a draft
)

// ReportSchedule is when a kind of report is due and when its period closes, as versioned data:
// in force from a year (0: the defaults) until a later version. The defaults: the six-month
// report by 15 July, the yearly one by 15 December (Decision 19/2014 Art. 12(6): each
// December); a period closes — no submission any more — 60 days after its deadline.
type ReportSchedule struct {
	Kind      ReportKind `json:"kind"`
	YearFrom  int        `json:"year_from"`
	DueMonth  time.Month `json:"due_month"`
	DueDay    int        `json:"due_day"`
	CloseDays int        `json:"close_days"`
}

// DefaultSchedules are the defaults.
var DefaultSchedules = Schedules{
	{Kind: ReportHalf, DueMonth: time.July, DueDay: 15, CloseDays: 60},
	{Kind: ReportYear, DueMonth: time.December, DueDay: 15, CloseDays: 60},
}

// Validate checks a schedule: a known kind, a year, a day of its month (a 29 February is
// refused: it does not come every year), a closing delay of up to a year.
func (r ReportSchedule) Validate() error {
	var v Validation
	if r.Kind != ReportHalf && r.Kind != ReportYear {
		v.Add("kind", "err.report_kind")
	}
	if r.YearFrom < 2000 || r.YearFrom > 2100 {
		v.Add("year_from", "err.year")
	}
	if r.DueMonth < time.January || r.DueMonth > time.December || r.DueDay < 1 || r.DueDay > NewDate(2001, r.DueMonth+1, 1).AddDays(-1).Time().Day() {
		v.Add("due", "err.schedule_due")
	} else if r.Kind == ReportHalf && r.DueMonth < time.July {
		v.Add("due", "err.schedule_before_period")
	}
	if r.CloseDays < 0 || r.CloseDays > 365 {
		v.Add("close_days", "err.schedule_close_days")
	}
	return v.Err()
}

// Schedules are the versions of the schedules stored; the defaults fill what they lack.
type Schedules []ReportSchedule

// For returns the schedule of a kind in force in a year: the stored version of the latest year
// not after it, else the default.
func (s Schedules) For(kind ReportKind, year int) (ReportSchedule, bool) {
	best, found := ReportSchedule{}, false
	for _, list := range []Schedules{DefaultSchedules, s} {
		for _, x := range list {
			if x.Kind == kind && x.YearFrom <= year && (!found || x.YearFrom >= best.YearFrom) {
				best, found = x, true
			}
		}
	}
	return best, found
}

// Period returns the period a report of a kind covers in a year, its deadline and the day its
// period closes.
func (s Schedules) Period(kind ReportKind, year int) (from, to, due, closes Date, err error) {
	sch, ok := s.For(kind, year)
	if !ok {
		return from, to, due, closes, Errorf(EInvalid, "err.report_kind")
	}
	from = NewDate(year, time.January, 1)
	to = NewDate(year, time.December, 31)
	if kind == ReportHalf {
		to = NewDate(year, time.June, 30)
	}
	due = NewDate(year, sch.DueMonth, sch.DueDay)
	return from, to, due, due.AddDays(sch.CloseDays), nil
}

// Report is one periodic report of an agency.
type Report struct {
	ID           int64
	AgencyID     int64
	AgencyCode   string
	AgencyName   string
	Kind         ReportKind
	Year         int
	From, To     Date
	DueOn        Date
	ClosesOn     Date
	State        ReportState
	Number       string // 05/BC-SKHCN, given at signing
	Data         *ReportData
	Results      string
	Difficulties string
	Proposals    string
	SignedBy     int64
	SignerName   string
	SignedAt     time.Time
	SubmittedAt  time.Time
	Late         bool
	ReviewedBy   int64
	ReviewedAt   time.Time
	Comment      string // the Department's, when it returns or accepts the report
	CreatedAt    time.Time
	Version      int64
}

// Title names the report as on its first page.
func (r Report) Title() string {
	if r.Kind == ReportHalf {
		return fmt.Sprintf("Kết quả xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng 6 tháng đầu năm %d", r.Year)
	}
	return fmt.Sprintf("Kết quả xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng năm %d", r.Year)
}

// Editable tells whether the report's text can change.
func (r Report) Editable() bool { return r.State == ReportDraft || r.State == ReportReturned }

// CheckText validates the free-text sections.
func (r *Report) CheckText() error {
	var v Validation
	r.Results, r.Difficulties, r.Proposals = strings.TrimSpace(r.Results), strings.TrimSpace(r.Difficulties), strings.TrimSpace(r.Proposals)
	for field, s := range map[string]string{"results": r.Results, "difficulties": r.Difficulties, "proposals": r.Proposals} {
		if len([]rune(s)) > 20000 {
			v.Add(field, "err.too_long")
		}
	}
	return v.Err()
}

// ReportData are the figures of a report, compiled from live data for its period and frozen
// when the leader signs.
type ReportData struct {
	Compiled time.Time `json:"compiled"`

	StepsDone  int `json:"steps_done"` // the agency's deployment steps
	StepsTotal int `json:"steps_total"`

	CommitteeMembers  int  `json:"committee_members"`
	CommitteeNotified Date `json:"committee_notified"`

	Trained        int `json:"trained"` // people trained in the period
	TrainedAuditor int `json:"trained_auditors"`

	DocsIssued  int `json:"docs_issued"` // revisions that took effect in the period
	DocsTotal   int `json:"docs_total"`  // documents with a review date
	DocsOverdue int `json:"docs_overdue"`
	Procedures  int `json:"procedures"` // the procedures the agency settles
	WithProcess int `json:"with_process"`

	Recognition   string   `json:"recognition"` // the certificate or announcement in force
	RecognitionOn Date     `json:"recognition_on"`
	Scope         string   `json:"scope,omitempty"`       // its scope
	Announced     int      `json:"announced,omitempty"`   // announcements (or re-announcements) issued in the period
	Consultants   []string `json:"consultants,omitempty"` // consultancies engaged in the period

	Reviews int `json:"reviews"` // management reviews held in the period

	BudgetEstimate int64 `json:"budget_estimate"` // the year's estimate, VND
	BudgetActual   int64 `json:"budget_actual"`   // spent so far, VND

	Pack ReviewPack `json:"pack"` // audits, nonconformities, actions, objectives, dossiers, ratings
}

// Figure is one figure of a report's annex: its label and value.
type Figure struct{ Label, Value string }

// ReportSection is one section of a report as written: a heading, paragraphs, figures.
type ReportSection struct {
	Heading string
	Paras   []string
	Figures []Figure
}

func pct(n, of int) string {
	if of == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

// Sections writes a report from its figures and its free text, in the order of the yearly
// report (Decision 19/2014, Annex II): the deployment, the results, the difficulties, the
// proposals.
func (r Report) Sections(d ReportData) []ReportSection {
	p := d.Pack
	committee := "Chưa thành lập Ban chỉ đạo ISO."
	if d.CommitteeMembers > 0 {
		committee = fmt.Sprintf("Ban chỉ đạo ISO gồm %d thành viên", d.CommitteeMembers)
		if !d.CommitteeNotified.IsZero() {
			committee += fmt.Sprintf(", đã thông báo Sở Khoa học và Công nghệ ngày %s.", d.CommitteeNotified.VN())
		} else {
			committee += ", chưa thông báo Sở Khoa học và Công nghệ."
		}
	}
	recog := "Chưa công bố Hệ thống quản lý chất lượng phù hợp TCVN ISO 9001."
	if d.Recognition != "" {
		recog = fmt.Sprintf("%s ngày %s.", d.Recognition, d.RecognitionOn.VN())
	}
	rate := "chưa có hồ sơ giải quyết trong kỳ"
	if p.OnTimeRate >= 0 {
		rate = fmt.Sprintf("tỷ lệ đúng hạn %.1f%%", p.OnTimeRate)
	}
	met := 0
	for _, o := range p.Objectives {
		if o.Known && o.Met {
			met++
		}
	}
	findings := 0
	for _, n := range p.FindingCounts {
		findings += n
	}
	deploy := ReportSection{Heading: "I. TÌNH HÌNH TRIỂN KHAI", Paras: []string{
		committee,
		fmt.Sprintf("Tiến độ triển khai theo kế hoạch: hoàn thành %d/%d bước (%s).", d.StepsDone, d.StepsTotal, pct(d.StepsDone, d.StepsTotal)),
		fmt.Sprintf("Đào tạo trong kỳ: %d lượt người, trong đó %d người đạt chứng chỉ chuyên gia đánh giá nội bộ.", d.Trained, d.TrainedAuditor),
	}}
	results := ReportSection{Heading: "II. KẾT QUẢ XÂY DỰNG, ÁP DỤNG, DUY TRÌ VÀ CẢI TIẾN", Paras: []string{
		fmt.Sprintf("1. Tài liệu: ban hành mới, sửa đổi %d tài liệu; %d/%d tài liệu được xem xét đúng hạn.", d.DocsIssued, d.DocsTotal-d.DocsOverdue, d.DocsTotal),
		fmt.Sprintf("2. Quy trình: %d/%d thủ tục hành chính thuộc thẩm quyền đã có quy trình (%s).", d.WithProcess, d.Procedures, pct(d.WithProcess, d.Procedures)),
		fmt.Sprintf("3. Giải quyết hồ sơ: tiếp nhận %d, đã giải quyết %d, trong đó đúng hạn %d, trễ hạn %d; %s.", p.Received, p.Dossiers, p.OnTime, p.Late, rate),
		fmt.Sprintf("4. Đánh giá nội bộ: %d cuộc, %d phát hiện, trong đó %d điểm không phù hợp.", len(p.Audits), findings,
			p.FindingCounts[string(FindingMinor)]+p.FindingCounts[string(FindingMajor)]),
		fmt.Sprintf("5. Sự không phù hợp: phát sinh %d, đã khắc phục %d, còn %d; hành động đến hạn %d, hoàn thành đúng hạn %d.", p.NCOpened, p.NCClosed, p.NCOpen,
			p.ActionsDue, p.ActionsOnTime),
		fmt.Sprintf("6. Xem xét của lãnh đạo: %d cuộc họp.", d.Reviews),
		fmt.Sprintf("7. Mục tiêu chất lượng: đạt %d/%d mục tiêu.", met, len(p.Objectives)),
		"8. Công bố: " + recog,
	}}
	results.Paras = append(results.Paras, fmt.Sprintf("9. Kinh phí: dự toán %s triệu đồng, đã chi %s triệu đồng.", Millions(d.BudgetEstimate), Millions(d.BudgetActual)))
	if p.Rated > 0 {
		results.Paras = append(results.Paras, fmt.Sprintf("10. Ý kiến người dân: %d lượt đánh giá, điểm bình quân %.2f/5.", p.Rated, p.MeanRating))
	}
	if r.Results != "" {
		results.Paras = append(results.Paras, r.Results)
	}
	results.Figures = []Figure{
		{"Bước triển khai hoàn thành", fmt.Sprintf("%d/%d", d.StepsDone, d.StepsTotal)},
		{"Thành viên Ban chỉ đạo", fmt.Sprint(d.CommitteeMembers)},
		{"Lượt đào tạo", fmt.Sprint(d.Trained)},
		{"Tài liệu ban hành, sửa đổi", fmt.Sprint(d.DocsIssued)},
		{"TTHC có quy trình", fmt.Sprintf("%d/%d", d.WithProcess, d.Procedures)},
		{"Hồ sơ tiếp nhận", fmt.Sprint(p.Received)},
		{"Hồ sơ đã giải quyết", fmt.Sprint(p.Dossiers)},
		{"Hồ sơ đúng hạn", fmt.Sprint(p.OnTime)},
		{"Hồ sơ trễ hạn", fmt.Sprint(p.Late)},
		{"Tỷ lệ đúng hạn", pct(p.OnTime, p.OnTime+p.Late)},
		{"Cuộc đánh giá nội bộ", fmt.Sprint(len(p.Audits))},
		{"Sự không phù hợp phát sinh", fmt.Sprint(p.NCOpened)},
		{"Sự không phù hợp đã khắc phục", fmt.Sprint(p.NCClosed)},
		{"Cuộc họp xem xét của lãnh đạo", fmt.Sprint(d.Reviews)},
		{"Mục tiêu chất lượng đạt", fmt.Sprintf("%d/%d", met, len(p.Objectives))},
		{"Kinh phí dự toán (đồng)", fmt.Sprint(d.BudgetEstimate)},
		{"Kinh phí đã chi (đồng)", fmt.Sprint(d.BudgetActual)},
	}
	text := func(s string) []string {
		if s == "" {
			return []string{"Không có."}
		}
		return []string{s}
	}
	if r.Kind != ReportYear {
		return []ReportSection{deploy, results,
			{Heading: "III. KHÓ KHĂN, VƯỚNG MẮC", Paras: text(r.Difficulties)},
			{Heading: "IV. KIẾN NGHỊ, ĐỀ XUẤT", Paras: text(r.Proposals)}}
	}
	return []ReportSection{deploy, results, r.art36(d),
		{Heading: "IV. KHÓ KHĂN, VƯỚNG MẮC", Paras: text(r.Difficulties)},
		{Heading: "V. KIẾN NGHỊ, ĐỀ XUẤT", Paras: text(r.Proposals)}}
}

// art36 is the yearly report's self-assessment along the checklist of Circular 26/2014 Art. 36
// (Art. 42(4): the yearly report covers it), each item from the figures.
func (r Report) art36(d ReportData) ReportSection {
	p := d.Pack
	scope := "Chưa xác định (chưa công bố Hệ thống quản lý chất lượng)."
	if d.Scope != "" {
		scope = d.Scope
	}
	confirmed := "Chưa có xác nhận hiệu lực của người đứng đầu."
	announced := "Chưa công bố."
	if d.Recognition != "" {
		confirmed = "Người đứng đầu đã xác nhận hiệu lực trước khi công bố (" + d.Recognition + ")."
		announced = fmt.Sprintf("%s ngày %s; niêm yết tại trụ sở và trên trang thông tin điện tử.", d.Recognition, d.RecognitionOn.VN())
	}
	late := 0
	for _, t := range p.UpdateTasks {
		if !t.Closed && t.Opened.AddDays(90).Before(r.To) {
			late++
		}
	}
	consultant := "Tự xây dựng, không thuê tổ chức tư vấn."
	if len(d.Consultants) > 0 {
		consultant = "Thuê tổ chức tư vấn: " + strings.Join(d.Consultants, "; ") + "."
	}
	items := []string{
		scope,
		fmt.Sprintf("%d lượt người được đào tạo, %d người đạt chứng chỉ chuyên gia đánh giá nội bộ.", d.Trained, d.TrainedAuditor),
		fmt.Sprintf("%d/%d thủ tục hành chính có quy trình; %d/%d tài liệu được xem xét đúng hạn.", d.WithProcess, d.Procedures, d.DocsTotal-d.DocsOverdue, d.DocsTotal),
		fmt.Sprintf("%d cuộc đánh giá nội bộ, %d cuộc họp xem xét của lãnh đạo trong năm.", len(p.Audits), d.Reviews),
		fmt.Sprintf("%d phản ánh, kiến nghị được ghi nhận và xử lý như sự không phù hợp.", len(p.Complaints)),
		confirmed,
		announced,
		fmt.Sprintf("%d thay đổi thủ tục, văn bản pháp luật trong kỳ; %d chưa cập nhật vào hệ thống sau 3 tháng.", len(p.UpdateTasks), late),
		fmt.Sprintf("%d quyết định công bố (lại) trong năm.", d.Announced),
		consultant,
	}
	sec := ReportSection{Heading: "III. TỰ ĐÁNH GIÁ THEO ĐIỀU 36 THÔNG TƯ SỐ 26/2014/TT-BKHCN"}
	for i, it := range items {
		sec.Paras = append(sec.Paras, fmt.Sprintf("%d. %s: %s", i+1, Art36Items[i], it))
	}
	return sec
}

// ProvinceReport is the Department of Science and Technology's consolidated report for a period
// to the People's Committee and the Ministry (Decision 19/2014 Art. 12(6); Circular 26/2014
// Art. 42(4)): drafted by the Department's coordinator from every agency's report and the live
// figures, signed by the Department's leader (the table per agency frozen, numbered
// NN/BC-<Department>), submitted to the recipients named. Its table is kept as JSON (Data) by
// the service that compiles it.
type ProvinceReport struct {
	ID           int64
	Kind         ReportKind
	Year         int
	From, To     Date
	DueOn        Date
	State        ReportState // draft, signed, submitted
	Number       string
	Data         []byte // the frozen consolidation; empty while a draft
	Results      string
	Difficulties string
	Proposals    string
	SignedBy     int64
	SignerName   string
	SignedAt     time.Time
	SubmittedAt  time.Time
	SubmittedTo  []string
	CreatedAt    time.Time
	Version      int64
}

// ProvinceRecipients are where the consolidated report goes (Decision 19/2014 Art. 12: the
// People's Committee, and the Ministry of Science and Technology that reports to the Prime
// Minister).
var ProvinceRecipients = []string{"Ủy ban nhân dân tỉnh", "Bộ Khoa học và Công nghệ"}

// Editable tells whether the report's text can change.
func (r ProvinceReport) Editable() bool { return r.State == ReportDraft }

// CheckText validates the free-text sections, as an agency report's.
func (r *ProvinceReport) CheckText() error {
	x := Report{Results: r.Results, Difficulties: r.Difficulties, Proposals: r.Proposals}
	err := x.CheckText()
	r.Results, r.Difficulties, r.Proposals = x.Results, x.Difficulties, x.Proposals
	return err
}

// CheckRecipients keeps the recipients among the known ones, at least one, in their order.
func CheckRecipients(to []string) ([]string, error) {
	var out []string
	known := 0
	for _, want := range ProvinceRecipients {
		for _, t := range to {
			if strings.TrimSpace(t) == want {
				out = append(out, want)
				break
			}
		}
	}
	for _, t := range to {
		for _, want := range ProvinceRecipients {
			if strings.TrimSpace(t) == want {
				known++
				break
			}
		}
	}
	var v Validation
	if len(out) == 0 || known != len(to) {
		v.Add("to", "err.report_recipients")
	}
	return out, v.Err()
}
