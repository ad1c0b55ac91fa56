package qms

import (
	"fmt"
	"strings"
	"time"
)

// Management reviews (ISO 9001:2015 clause 9.3): a meeting planned for a period; the inputs of
// clause 9.3.2 compiled from live data into a pack frozen when the meeting is recorded; a
// conclusion on each input; decisions and actions; approval by the leader.

// ReviewState is where a review stands.
type ReviewState string

const (
	ReviewPlanned  ReviewState = "planned"
	ReviewHeld     ReviewState = "held"     // minutes recorded, the pack frozen
	ReviewApproved ReviewState = "approved" // the leader approved the minutes
)

// ReviewInputs are the inputs a review must conclude on (clause 9.3.2).
var ReviewInputs = []string{"previous_actions", "changes", "feedback", "objectives", "processes", "nonconformities", "audits", "risks", "improvement"}

// Review is one management review.
type Review struct {
	ID          int64
	AgencyID    int64
	AgencyCode  string
	Code        string // XXLD-YYYY-NN
	MeetingOn   Date
	From, To    Date // the period reviewed
	Chair       string
	Attendees   string
	State       ReviewState
	Pack        *ReviewPack       // frozen when held
	Conclusions map[string]string // per input
	Decisions   string
	ApprovedBy  int64
	ApprovedAt  time.Time
	CreatedBy   int64
	CreatedAt   time.Time
	Version     int64
	Actions     []Action
}

// Validate checks a review's plan.
func (r *Review) Validate() error {
	var v Validation
	r.Chair, r.Attendees = strings.TrimSpace(r.Chair), strings.TrimSpace(r.Attendees)
	checkText(&v, "chair", r.Chair, false, 200)
	if len([]rune(r.Attendees)) > 2000 {
		v.Add("attendees", "err.too_long")
	}
	if r.MeetingOn.IsZero() {
		v.Add("meeting_on", "err.date")
	}
	if r.From.IsZero() {
		v.Add("period_from", "err.date")
	}
	if r.To.IsZero() {
		v.Add("period_to", "err.date")
	} else if !r.From.IsZero() && r.To.Before(r.From) {
		v.Add("period_to", "err.audit_dates")
	}
	return v.Err()
}

// Missing lists the inputs without a conclusion; the minutes need them all, and decisions.
func (r Review) Missing() []string {
	var out []string
	for _, in := range ReviewInputs {
		if strings.TrimSpace(r.Conclusions[in]) == "" {
			out = append(out, in)
		}
	}
	return out
}

// ReviewCode numbers an agency's reviews within a year.
func ReviewCode(year, n int) string { return fmt.Sprintf("XXLD-%d-%02d", year, n) }

// ReviewPack is the input pack of a review, compiled from live data for its period.
type ReviewPack struct {
	AgencyCode string    `json:"agency"`
	From       Date      `json:"from"`
	To         Date      `json:"to"`
	Compiled   time.Time `json:"compiled"`

	Audits        []PackAudit    `json:"audits"`
	FindingCounts map[string]int `json:"finding_counts"` // by finding type

	NCOpened int      `json:"nc_opened"`
	NCClosed int      `json:"nc_closed"`
	NCOpen   int      `json:"nc_open"`
	NCs      []PackNC `json:"ncs"` // opened or closed in the period, or still open

	ActionsDue     int `json:"actions_due"`
	ActionsOnTime  int `json:"actions_on_time"`
	ActionsOpen    int `json:"actions_open"`
	ActionsOverdue int `json:"actions_overdue"`

	Objectives []PackObjective `json:"objectives"`

	Dossiers   int     `json:"dossiers"` // settled in the period
	OnTime     int     `json:"on_time"`
	Late       int     `json:"late"`
	OnTimeRate float64 `json:"on_time_rate"` // -1: none settled
	Received   int     `json:"received"`

	Rated      int      `json:"rated"`
	MeanRating float64  `json:"mean_rating"` // 0: none rated
	Complaints []PackNC `json:"complaints"`  // nonconformities from complaints or low ratings

	Risks []PackRisk `json:"risks"` // open, highest score first

	PreviousReview  string       `json:"previous_review"`
	PreviousActions []PackAction `json:"previous_actions"`

	UpdateTasks []PackTask `json:"update_tasks"` // procedures and legal documents that changed

	Improvements []string `json:"improvements"` // opportunities found, improvement actions
}

// PackAudit is an audit in a pack.
type PackAudit struct {
	Code     string         `json:"code"`
	Title    string         `json:"title"`
	State    AuditState     `json:"state"`
	StartsOn Date           `json:"starts_on"`
	Findings map[string]int `json:"findings"`
	Summary  string         `json:"summary"`
}

// PackNC is a nonconformity in a pack.
type PackNC struct {
	ID        int64    `json:"id"`
	Code      string   `json:"code"`
	Title     string   `json:"title"`
	Source    NCSource `json:"source"`
	SourceRef string   `json:"source_ref"`
	Severity  Severity `json:"severity"`
	State     NCState  `json:"state"`
	ClosedOn  Date     `json:"closed_on"`
}

// PackObjective is an objective's results in a pack.
type PackObjective struct {
	Title   string  `json:"title"`
	Target  float64 `json:"target"`
	Dir     string  `json:"direction"`
	Latest  string  `json:"latest"` // the latest period with a value
	Value   float64 `json:"value"`
	Known   bool    `json:"known"`
	Met     bool    `json:"met"`
	Measure Measure `json:"measure"`
}

// PackRisk is a risk in a pack.
type PackRisk struct {
	Code  string   `json:"code"`
	Kind  RiskKind `json:"kind"`
	Title string   `json:"title"`
	Score int      `json:"score"`
	Level string   `json:"level"`
}

// PackAction is an action in a pack.
type PackAction struct {
	Description string      `json:"description"`
	Owner       string      `json:"owner"`
	DueOn       Date        `json:"due_on"`
	State       ActionState `json:"state"`
}

// PackTask is an update task in a pack.
type PackTask struct {
	ID      int64  `json:"id"`
	Subject string `json:"subject"` // the procedure or legal document that changed
	Change  string `json:"change"`
	Opened  Date   `json:"opened"`
	Closed  bool   `json:"closed"`
}
