package qms

import (
	"fmt"
	"strings"
	"time"
)

// Risks and opportunities of the processes (ISO 9001:2015 clause 6.1): each scored likelihood ×
// impact on 1–5 scales, treated by actions, reviewed on a date, with the history of its scores.

// RiskKind tells a risk from an opportunity.
type RiskKind string

const (
	KindRisk        RiskKind = "risk"
	KindOpportunity RiskKind = "opportunity"
)

// RiskState is open (being watched) or closed.
type RiskState string

const (
	RiskOpen   RiskState = "open"
	RiskClosed RiskState = "closed"
)

// Risk is one risk or opportunity of an agency.
type Risk struct {
	ID          int64
	AgencyID    int64
	AgencyCode  string
	Code        string // RR-NNN
	Kind        RiskKind
	Process     string // the process document's code, empty for the whole system
	Title       string
	Description string
	Likelihood  int
	Impact      int
	Treatment   string
	ReviewOn    Date
	State       RiskState
	CreatedBy   int64
	CreatedAt   time.Time
	Version     int64
	Scores      []RiskScore
	Actions     []Action
}

// RiskScore is one scoring of a risk.
type RiskScore struct {
	Likelihood int
	Impact     int
	Note       string
	ByName     string
	At         time.Time
}

// Score is likelihood × impact.
func (r Risk) Score() int { return r.Likelihood * r.Impact }

// Level names a score: high from 15, medium from 8, low below.
func Level(score int) string {
	switch {
	case score >= 15:
		return "high"
	case score >= 8:
		return "medium"
	}
	return "low"
}

// Level names the risk's current score.
func (r Risk) Level() string { return Level(r.Score()) }

// ReviewDue tells whether an open risk's review date has come.
func (r Risk) ReviewDue(today Date) bool { return r.State == RiskOpen && !today.Before(r.ReviewOn) }

// Validate checks a risk, each error named after its field.
func (r *Risk) Validate() error {
	var v Validation
	r.Title, r.Description, r.Treatment = strings.TrimSpace(r.Title), strings.TrimSpace(r.Description), strings.TrimSpace(r.Treatment)
	r.Process = NormalizeCode(r.Process)
	checkText(&v, "title", r.Title, true, 300)
	if len([]rune(r.Description)) > 4000 {
		v.Add("description", "err.too_long")
	}
	if len([]rune(r.Treatment)) > 4000 {
		v.Add("treatment", "err.too_long")
	}
	if r.Kind != KindRisk && r.Kind != KindOpportunity {
		v.Add("kind", "err.choice")
	}
	if r.Likelihood < 1 || r.Likelihood > 5 {
		v.Add("likelihood", "err.risk_scale")
	}
	if r.Impact < 1 || r.Impact > 5 {
		v.Add("impact", "err.risk_scale")
	}
	if r.ReviewOn.IsZero() {
		v.Add("review_on", "err.date")
	}
	return v.Err()
}

// RiskCode numbers an agency's risks.
func RiskCode(n int) string { return fmt.Sprintf("RR-%03d", n) }
