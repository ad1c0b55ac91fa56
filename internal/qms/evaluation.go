package qms

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// The yearly evaluation of agencies (DOMAIN.md §1: Home Affairs ties ISO effectiveness to each
// agency's evaluation and awards): criteria with weights kept as data, each scored from live
// data as a fraction of its weight, manual adjustments with a reason, a ranking, and the
// agencies proposed for commendation.

// Criterion is one evaluation criterion with its weight (points).
type Criterion struct {
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
}

// Criterion codes scored from live data.
const (
	CritCommittee = "committee_notified" // the steering committee's composition notified to DOST
	CritDocuments = "documents_current"  // documents reviewed on schedule
	CritProcesses = "processes_cover"    // processes cover the procedures the agency settles
	CritAudit     = "internal_audit"     // at least one internal audit in the year
	CritReview    = "management_review"  // at least one management review held in the year
	CritReports   = "reports_on_time"    // the yearly report submitted on time (late: half)
	CritDossiers  = "on_time_rate"       // dossiers settled on time
	CritActions   = "actions_in_time"    // corrective actions done by their due date
	CritAnnounced = "recognition_valid"  // an announcement (or certificate) in force
)

// DefaultCriteria are the defaults (the seed's plan and Circular 26/2014 Art. 36); a province
// changes them as data from a year on.
var DefaultCriteria = []Criterion{
	{CritCommittee, "Ban chỉ đạo ISO được thông báo", 10},
	{CritDocuments, "Tài liệu được cập nhật, xem xét đúng hạn", 10},
	{CritProcesses, "Quy trình bao quát các thủ tục hành chính", 15},
	{CritAudit, "Đánh giá nội bộ trong năm", 15},
	{CritReview, "Xem xét của lãnh đạo trong năm", 10},
	{CritReports, "Báo cáo đúng hạn", 10},
	{CritDossiers, "Tỷ lệ hồ sơ giải quyết đúng hạn", 15},
	{CritActions, "Khắc phục sự không phù hợp đúng hạn", 10},
	{CritAnnounced, "Công bố HTQLCL còn hiệu lực", 5},
}

// CommendationThreshold is the total from which an agency is proposed for commendation.
const CommendationThreshold = 90

// ValidateCriteria checks a set of criteria: known codes, no repeats, weights ≥ 0 summing to 100.
func ValidateCriteria(list []Criterion) error {
	var v Validation
	seen := map[string]bool{}
	sum := 0.0
	known := map[string]bool{}
	for _, c := range DefaultCriteria {
		known[c.Code] = true
	}
	for i := range list {
		c := &list[i]
		c.Name = strings.TrimSpace(c.Name)
		if !known[c.Code] || seen[c.Code] {
			v.Add("criteria", "err.criterion_code", c.Code)
		}
		seen[c.Code] = true
		if c.Weight < 0 || math.IsNaN(c.Weight) || c.Weight > 100 {
			v.Add("criteria", "err.criterion_weight", c.Code)
		}
		checkText(&v, "criteria", c.Name, true, 200)
		sum += c.Weight
	}
	if math.Abs(sum-100) > 0.001 {
		v.Add("criteria", "err.criteria_sum")
	}
	return v.Err()
}

// Adjustment is a manual change of an agency's score, with its reason.
type Adjustment struct {
	ID        int64
	AgencyID  int64
	Year      int
	Criterion string
	Points    float64
	Reason    string
	ByName    string
	At        time.Time
}

// Score is one criterion's score for an agency.
type Score struct {
	Criterion Criterion
	Fraction  float64 // 0–1 from live data
	Points    float64 // Fraction × weight, plus adjustments, within 0 and the weight
	Basis     string
}

// Evaluation is one agency's evaluation for a year.
type Evaluation struct {
	Agency      Agency
	Scores      []Score
	Adjustments []Adjustment
	Total       float64
	Rank        int
	Proposed    bool // for commendation
}

// Tally sums an evaluation's scores, adding its adjustments to their criteria (each criterion
// kept within 0 and its weight), rounded to a tenth.
func (e *Evaluation) Tally() {
	e.Total = 0
	for i := range e.Scores {
		s := &e.Scores[i]
		s.Points = s.Fraction * s.Criterion.Weight
		for _, a := range e.Adjustments {
			if a.Criterion == s.Criterion.Code {
				s.Points += a.Points
			}
		}
		s.Points = math.Round(math.Max(0, math.Min(s.Criterion.Weight, s.Points))*10) / 10
		e.Total += s.Points
	}
	e.Total = math.Round(e.Total*10) / 10
	e.Proposed = e.Total >= CommendationThreshold
}

// Facts are what an agency's evaluation for a year is scored on, gathered from live data.
type Facts struct {
	CommitteeNotified         bool
	DocsTotal, DocsOverdue    int     // documents with a review date, and those past it
	Procedures, WithProcess   int     // procedures the agency settles, and those its processes cover
	Audits, Reviews           int     // internal audits and management reviews held in the year
	Report                    *Report // the yearly report, if opened
	OnTimeRate                float64 // -1: nothing settled
	ActionsDue, ActionsOnTime int
	Recognition               string // the announcement or certificate in force
}

// Fraction scores a criterion from the facts: the share of its weight earned (0–1) and what it
// rests on. Nothing to measure (no procedure, nothing settled, no action due) earns it whole;
// a report submitted late earns half; an agency without any document with a review date earns
// nothing for its documents.
func (f Facts) Fraction(code string) (float64, string) {
	yes := func(ok bool, basis string) (float64, string) {
		if ok {
			return 1, basis
		}
		return 0, basis
	}
	share := func(n, of int) (float64, string) {
		if of == 0 {
			return 1, "—"
		}
		return float64(n) / float64(of), fmt.Sprintf("%d/%d", n, of)
	}
	switch code {
	case CritCommittee:
		return yes(f.CommitteeNotified, "")
	case CritDocuments:
		if f.DocsTotal == 0 {
			return 0, "0"
		}
		return share(f.DocsTotal-f.DocsOverdue, f.DocsTotal)
	case CritProcesses:
		return share(f.WithProcess, f.Procedures)
	case CritAudit:
		return yes(f.Audits > 0, fmt.Sprint(f.Audits))
	case CritReview:
		return yes(f.Reviews > 0, fmt.Sprint(f.Reviews))
	case CritReports:
		switch r := f.Report; {
		case r == nil || (r.State != ReportSubmitted && r.State != ReportAccepted):
			return 0, "—"
		case r.Late:
			return 0.5, r.Number
		default:
			return 1, r.Number
		}
	case CritDossiers:
		if f.OnTimeRate < 0 {
			return 1, "—"
		}
		return math.Max(0, math.Min(1, f.OnTimeRate/100)), fmt.Sprintf("%.1f%%", f.OnTimeRate)
	case CritActions:
		return share(f.ActionsOnTime, f.ActionsDue)
	case CritAnnounced:
		return yes(f.Recognition != "", f.Recognition)
	}
	return 0, ""
}
