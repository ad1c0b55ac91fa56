package qms

import (
	"fmt"
	"strings"
	"time"
)

// Inspections by the province (Circular 26/2014 Arts. 33–42): a yearly plan (Form 19) in which
// every agency is checked on paper and at least a third on site; a decision (Form 20) per
// inspection; minutes (Form 21) along the Art. 36 checklist, whose shortcomings become
// nonconformities in the agency's register; the agency's corrective report within 2 months.

// InspectionForm is how an agency is checked.
type InspectionForm string

const (
	OnPaper InspectionForm = "paper"   // on the records sent
	OnSite  InspectionForm = "on_site" // at the agency's office
)

// InspectionState is where an inspection stands.
type InspectionState string

const (
	InspPlanned   InspectionState = "planned"
	InspDecided   InspectionState = "decided"   // the decision (Form 20) issued
	InspDone      InspectionState = "done"      // the minutes (Form 21) signed; the corrective report is due
	InspCorrected InspectionState = "corrected" // the agency reported its corrective actions
)

// CorrectiveMonths is how long an agency has to report its corrective actions.
const CorrectiveMonths = 2

// Art36Items are the checklist of Circular 26/2014 Art. 36.
var Art36Items = []string{
	"Phạm vi áp dụng Hệ thống quản lý chất lượng",
	"Đào tạo, tập huấn về TCVN ISO 9001",
	"Sự phù hợp của hệ thống tài liệu, quy trình với TCVN ISO 9001 và thực tế",
	"Đánh giá nội bộ và xem xét của lãnh đạo",
	"Giải quyết khiếu nại, phản ánh về chất lượng giải quyết công việc",
	"Xác nhận hiệu lực của người đứng đầu",
	"Công bố Hệ thống quản lý chất lượng",
	"Cập nhật văn bản pháp luật trong 3 tháng",
	"Công bố lại khi điều chỉnh, mở rộng phạm vi",
	"Việc thuê tổ chức tư vấn, chuyên gia tư vấn",
}

// PlanItem is one agency in a yearly plan.
type PlanItem struct {
	AgencyCode string         `json:"agency"`
	Form       InspectionForm `json:"form"`
	Month      int            `json:"month"`
	Team       string         `json:"team,omitempty"`    // the inspecting unit
	Partner    string         `json:"partner,omitempty"` // the unit taking part with it
	Budget     int64          `json:"budget,omitempty"`  // VND
}

// CheckPlan checks a yearly plan: every agency listed once, a month of the year, and at least a
// third of them on site (Art. 34).
func CheckPlan(items []PlanItem, agencies map[string]bool) error {
	var v Validation
	seen := map[string]bool{}
	onSite := 0
	for _, it := range items {
		if !agencies[it.AgencyCode] || seen[it.AgencyCode] {
			v.Add("items", "err.plan_agency", it.AgencyCode)
		}
		seen[it.AgencyCode] = true
		if it.Form != OnPaper && it.Form != OnSite {
			v.Add("items", "err.plan_form", it.AgencyCode)
		}
		if it.Month < 1 || it.Month > 12 {
			v.Add("items", "err.plan_month", it.AgencyCode)
		}
		if it.Form == OnSite {
			onSite++
		}
		if it.Budget < 0 || len([]rune(it.Team)) > 200 || len([]rune(it.Partner)) > 200 {
			v.Add("items", "err.plan_item", it.AgencyCode)
		}
	}
	for code := range agencies {
		if !seen[code] {
			v.Add("items", "err.plan_missing", code)
			break
		}
	}
	if len(items) > 0 && onSite*3 < len(items) {
		need := (len(items) + 2) / 3
		v.Add("items", "err.plan_on_site", onSite, len(items), need)
	}
	return v.Err()
}

// CheckItem is one line of the minutes' checklist.
type CheckItem struct {
	Item   string `json:"item"`
	OK     bool   `json:"ok"`
	Note   string `json:"note,omitempty"` // the shortcoming, when not OK
	NCCode string `json:"nc,omitempty"`   // the nonconformity it raised
}

// Inspection is one agency's inspection in a plan.
type Inspection struct {
	ID            int64
	Year          int
	AgencyID      int64
	AgencyCode    string
	AgencyName    string
	Code          string // KT-YYYY-NNN
	Form          InspectionForm
	Month         int
	Team          string
	Partner       string
	Budget        int64
	State         InspectionState
	DecisionNo    string
	DecisionOn    Date
	Members       string // the team's members
	Checklist     []CheckItem
	Conclusion    string
	DoneOn        Date
	CorrectiveDue Date
	Corrective    string
	CorrectedAt   time.Time
	Version       int64
}

// TakesDecision tells whether the inspection takes a decision (Form 20): only one on site
// (Art. 35); one on paper goes to its minutes once the plan is approved.
func (x Inspection) TakesDecision() bool { return x.Form == OnSite }

// Overdue tells whether the corrective report is past due.
func (x Inspection) Overdue(today Date) bool {
	return x.State == InspDone && x.CorrectiveDue.Before(today)
}

// InspectionCode numbers a year's inspections.
func InspectionCode(year, n int) string { return fmt.Sprintf("KT-%d-%03d", year, n) }

// CorrectiveDueOn is the deadline of the corrective report: 2 months after the minutes.
func CorrectiveDueOn(done Date) Date {
	t := done.Time().AddDate(0, CorrectiveMonths, 0)
	return DateOf(t)
}

// CheckMinutes checks the minutes: every Art. 36 item answered, a shortcoming described for each
// item not met, a conclusion.
func CheckMinutes(items []CheckItem, conclusion string) error {
	var v Validation
	if len(items) != len(Art36Items) {
		v.Add("checklist", "err.minutes_items")
	}
	for i, it := range items {
		if !it.OK && strings.TrimSpace(it.Note) == "" {
			v.Add(fmt.Sprintf("note_%d", i), "err.minutes_note")
		}
		if len([]rune(it.Note)) > 2000 {
			v.Add(fmt.Sprintf("note_%d", i), "err.too_long")
		}
	}
	if c := strings.TrimSpace(conclusion); c == "" || len([]rune(c)) > 8000 {
		v.Add("conclusion", "err.minutes_conclusion")
	}
	return v.Err()
}
