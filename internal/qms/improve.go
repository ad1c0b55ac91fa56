package qms

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// The improvement loop (ISO 9001:2015 clause 10.2): nonconformities with their root cause and
// actions, each action implemented by its owner and checked for effectiveness by someone else.

// NCState is where a nonconformity stands.
type NCState string

const (
	NCDraft      NCState = "draft"       // recorded
	NCAnalysis   NCState = "analysis"    // looking for the root cause
	NCActionPlan NCState = "action_plan" // actions being planned
	NCInProgress NCState = "in_progress" // actions being carried out
	NCVerify     NCState = "verification"
	NCClosed     NCState = "closed"
	NCCancelled  NCState = "cancelled"
)

// NCStates lists the states in order.
var NCStates = []NCState{NCDraft, NCAnalysis, NCActionPlan, NCInProgress, NCVerify, NCClosed, NCCancelled}

// NCEvent moves a nonconformity.
type NCEvent string

const (
	NCvAnalyse NCEvent = "analyse" // start the analysis
	NCvPlan    NCEvent = "plan"    // the root cause is known: plan actions
	NCvStart   NCEvent = "start"   // the plan is set: carry it out
	NCvVerify  NCEvent = "verify"  // every action done: verify
	NCvClose   NCEvent = "close"   // verified effective
	NCvReopen  NCEvent = "reopen"  // an action proved not (fully) effective: plan again
	NCvCancel  NCEvent = "cancel"  // unfounded, with a reason
)

var ncTransitions = map[NCState]map[NCEvent]NCState{
	NCDraft:      {NCvAnalyse: NCAnalysis, NCvCancel: NCCancelled},
	NCAnalysis:   {NCvPlan: NCActionPlan, NCvCancel: NCCancelled},
	NCActionPlan: {NCvStart: NCInProgress, NCvCancel: NCCancelled},
	NCInProgress: {NCvVerify: NCVerify, NCvReopen: NCActionPlan, NCvCancel: NCCancelled},
	NCVerify:     {NCvClose: NCClosed, NCvReopen: NCActionPlan},
	NCClosed:     {},
	NCCancelled:  {},
}

// Events returns the events possible from a state, in a stable order.
func (s NCState) Events() []NCEvent {
	var out []NCEvent
	for _, e := range []NCEvent{NCvAnalyse, NCvPlan, NCvStart, NCvVerify, NCvClose, NCvReopen, NCvCancel} {
		if _, ok := ncTransitions[s][e]; ok {
			out = append(out, e)
		}
	}
	return out
}

// Valid tells whether s is a known state.
func (s NCState) Valid() bool { _, ok := ncTransitions[s]; return ok }

// NextNCState applies an event; an impossible one is a conflict naming what is possible.
func NextNCState(s NCState, ev NCEvent) (NCState, error) {
	to, ok := ncTransitions[s][ev]
	if !ok {
		var can []string
		for _, e := range s.Events() {
			can = append(can, string(e))
		}
		return s, Errorf(EConflict, "err.nc_transition", string(ev), string(s), strings.Join(can, ", "))
	}
	return to, nil
}

// Open tells whether the nonconformity still needs work.
func (s NCState) Open() bool { return s != NCClosed && s != NCCancelled }

// NCSource is where a nonconformity was found.
type NCSource string

const (
	SourceAudit      NCSource = "internal_audit"
	SourceInspection NCSource = "inspection"
	SourceLate       NCSource = "late_dossier"
	SourceComplaint  NCSource = "complaint" // a citizen's complaint or low rating
	SourceReview     NCSource = "management_review"
	SourceSelf       NCSource = "self_reported"
)

// NCSources lists the sources.
var NCSources = []NCSource{SourceAudit, SourceInspection, SourceLate, SourceComplaint, SourceReview, SourceSelf}

// Severity of a nonconformity.
type Severity string

const (
	SeverityMinor Severity = "minor"
	SeverityMajor Severity = "major"
)

// CauseCategories are the fishbone's headings for a root cause.
var CauseCategories = []string{"people", "method", "documents", "equipment", "environment", "measurement", "external"}

// Nonconformity is one nonconformity of an agency.
type Nonconformity struct {
	ID          int64
	AgencyID    int64
	AgencyCode  string
	Code        string // NC-YYYY-NNN
	Title       string
	Description string
	Source      NCSource
	SourceRef   string // the source object: a dossier code, an audit, …
	Clause      string
	Unit        string
	Severity    Severity
	State       NCState
	Correction  string   // the immediate correction
	Whys        []string // the 5 whys
	RootCause   string
	Category    string
	Reason      string // of a cancellation
	ReportedBy  int64
	ReportedAt  time.Time
	ClosedAt    time.Time
	Version     int64
	Actions     []Action
}

// ActionType is what an action is for.
type ActionType string

const (
	ActionCorrection  ActionType = "correction"
	ActionCorrective  ActionType = "corrective"
	ActionPreventive  ActionType = "preventive"
	ActionImprovement ActionType = "improvement"
)

// ActionTypes lists them.
var ActionTypes = []ActionType{ActionCorrection, ActionCorrective, ActionPreventive, ActionImprovement}

// ActionState is where an action stands.
type ActionState string

const (
	ActionOpen        ActionState = "open"
	ActionImplemented ActionState = "implemented" // the owner says it is done, with evidence
	ActionEffective   ActionState = "effective"   // checked effective by another user
	ActionPartly      ActionState = "partly"      // checked partly effective
	ActionIneffective ActionState = "not_effective"
	ActionCancelled   ActionState = "cancelled"
)

// Ended tells whether an action needs nothing more.
func (s ActionState) Ended() bool {
	return s == ActionEffective || s == ActionPartly || s == ActionIneffective || s == ActionCancelled
}

// Action is one action on a nonconformity.
type Action struct {
	ID            int64
	NCID          int64 // the nonconformity, risk, objective or review it belongs to: one of the four
	RiskID        int64
	ObjectiveID   int64
	ReviewID      int64
	Type          ActionType
	Description   string
	OwnerID       int64
	OwnerName     string
	DueOn         Date
	State         ActionState
	Evidence      string
	DoneAt        time.Time
	CheckOn       Date // the effectiveness check is due (N days after implementation)
	CheckedBy     int64
	CheckedByName string
	CheckNote     string
	CheckedAt     time.Time
}

// ParentPath is the page of what the action belongs to, under its agency's path
// ("nonconformities/12", "risks/3", …), for the links of the inbox, the home page and e-mails.
func (a Action) ParentPath() string {
	switch {
	case a.RiskID != 0:
		return "risks/" + strconv.FormatInt(a.RiskID, 10)
	case a.ObjectiveID != 0:
		return "objectives/" + strconv.FormatInt(a.ObjectiveID, 10)
	case a.ReviewID != 0:
		return "reviews/" + strconv.FormatInt(a.ReviewID, 10)
	}
	return "nonconformities/" + strconv.FormatInt(a.NCID, 10)
}

// Overdue tells whether an open action is past its due date.
func (a Action) Overdue(today Date) bool { return a.State == ActionOpen && a.DueOn.Before(today) }

// Validate checks a new nonconformity, each error named after its field.
func (n *Nonconformity) Validate() error {
	var v Validation
	n.Title, n.Description, n.SourceRef = strings.TrimSpace(n.Title), strings.TrimSpace(n.Description), strings.TrimSpace(n.SourceRef)
	n.Clause, n.Unit = strings.TrimSpace(n.Clause), strings.TrimSpace(n.Unit)
	checkText(&v, "title", n.Title, true, 300)
	checkText(&v, "description", n.Description, true, 4000)
	checkText(&v, "source_ref", n.SourceRef, false, 100)
	checkText(&v, "unit", n.Unit, false, 200)
	if !slices.Contains(NCSources, n.Source) {
		v.Add("source", "err.choice")
	}
	if n.Severity == "" {
		n.Severity = SeverityMinor
	}
	if n.Severity != SeverityMinor && n.Severity != SeverityMajor {
		v.Add("severity", "err.choice")
	}
	if n.Clause != "" {
		if e, ok := ClauseEditionFor("2015"); !ok {
			v.Add("clause", "err.edition_not_found")
		} else if _, ok := e.FindClause(n.Clause); !ok {
			v.Add("clause", "err.clause_in", n.Clause, "2015")
		}
	}
	return v.Err()
}

// Guard checks an event's conditions beyond the transition table, for the actor making it:
// carrying out the plan needs an action; verification needs every action implemented;
// closing needs every action checked, the latest effective, and a verifier who owns none of
// the actions.
func (n Nonconformity) Guard(ev NCEvent, actorID int64) error {
	switch ev {
	case NCvStart:
		if !slices.ContainsFunc(n.Actions, func(a Action) bool { return a.State != ActionCancelled }) {
			return Errorf(EConflict, "err.nc_no_action")
		}
	case NCvVerify:
		if slices.ContainsFunc(n.Actions, func(a Action) bool { return a.State == ActionOpen }) {
			return Errorf(EConflict, "err.nc_actions_open")
		}
	case NCvClose:
		var last *Action
		for i, a := range n.Actions {
			if !a.State.Ended() {
				return Errorf(EConflict, "err.nc_actions_open")
			}
			if a.OwnerID == actorID {
				return Errorf(EForbidden, "err.nc_verify_owner")
			}
			if a.State != ActionCancelled {
				last = &n.Actions[i]
			}
		}
		if last == nil || last.State != ActionEffective {
			return Errorf(EConflict, "err.nc_not_effective")
		}
	}
	return nil
}
