package qms

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Internal audits (ISO 9001:2015 clause 9.2): planned per agency and year over clauses,
// processes and units, run by trained auditors who do not audit their own work, with a
// checklist, typed findings and a report; a nonconformity found becomes one of the register.

// AuditState is where an audit stands.
type AuditState string

const (
	AuditPlanned     AuditState = "planned"
	AuditPreparation AuditState = "preparation"
	AuditChecklist   AuditState = "checklist_sent"
	AuditFieldwork   AuditState = "fieldwork"
	AuditReporting   AuditState = "reporting"
	AuditFollowUp    AuditState = "follow_up"
	AuditClosed      AuditState = "closed"
	AuditCancelled   AuditState = "cancelled"
)

// AuditStates lists the states in order.
var AuditStates = []AuditState{AuditPlanned, AuditPreparation, AuditChecklist, AuditFieldwork, AuditReporting, AuditFollowUp, AuditClosed, AuditCancelled}

// AuditEvent moves an audit.
type AuditEvent string

const (
	AuditvPrepare   AuditEvent = "prepare"
	AuditvSend      AuditEvent = "send_checklist"
	AuditvFieldwork AuditEvent = "start_fieldwork"
	AuditvReport    AuditEvent = "report"
	AuditvFollowUp  AuditEvent = "follow_up"
	AuditvClose     AuditEvent = "close"
	AuditvCancel    AuditEvent = "cancel"
)

var auditEvents = []AuditEvent{AuditvPrepare, AuditvSend, AuditvFieldwork, AuditvReport, AuditvFollowUp, AuditvClose, AuditvCancel}

var auditTransitions = map[AuditState]map[AuditEvent]AuditState{
	AuditPlanned:     {AuditvPrepare: AuditPreparation, AuditvCancel: AuditCancelled},
	AuditPreparation: {AuditvSend: AuditChecklist, AuditvCancel: AuditCancelled},
	AuditChecklist:   {AuditvFieldwork: AuditFieldwork, AuditvCancel: AuditCancelled},
	AuditFieldwork:   {AuditvReport: AuditReporting},
	AuditReporting:   {AuditvFollowUp: AuditFollowUp},
	AuditFollowUp:    {AuditvClose: AuditClosed},
	AuditClosed:      {},
	AuditCancelled:   {},
}

// Events returns the events possible from a state, in a stable order.
func (s AuditState) Events() []AuditEvent {
	var out []AuditEvent
	for _, e := range auditEvents {
		if _, ok := auditTransitions[s][e]; ok {
			out = append(out, e)
		}
	}
	return out
}

// Valid tells whether s is a known state.
func (s AuditState) Valid() bool { _, ok := auditTransitions[s]; return ok }

// Done tells whether the audit took place (its findings count).
func (s AuditState) Done() bool { return s == AuditReporting || s == AuditFollowUp || s == AuditClosed }

// Recording tells whether findings and checklist answers can be recorded.
func (s AuditState) Recording() bool { return s == AuditFieldwork || s == AuditReporting }

// NextAuditState applies an event; an impossible one is a conflict naming what is possible.
func NextAuditState(s AuditState, ev AuditEvent) (AuditState, error) {
	to, ok := auditTransitions[s][ev]
	if !ok {
		var can []string
		for _, e := range s.Events() {
			can = append(can, string(e))
		}
		return s, Errorf(EConflict, "err.audit_transition", string(ev), string(s), strings.Join(can, ", "))
	}
	return to, nil
}

// FindingType is what an auditor found.
type FindingType string

const (
	FindingConformity  FindingType = "conformity"
	FindingObservation FindingType = "observation"
	FindingOFI         FindingType = "improvement" // an opportunity for improvement
	FindingMinor       FindingType = "minor_nc"
	FindingMajor       FindingType = "major_nc"
)

// FindingTypes lists them.
var FindingTypes = []FindingType{FindingConformity, FindingObservation, FindingOFI, FindingMinor, FindingMajor}

// Nonconformity tells whether the finding is a nonconformity and of what severity.
func (t FindingType) Nonconformity() (Severity, bool) {
	switch t {
	case FindingMinor:
		return SeverityMinor, true
	case FindingMajor:
		return SeverityMajor, true
	}
	return "", false
}

// Auditor is a member of an audit team, with the unit they belong to.
type Auditor struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Unit   string `json:"unit"` // the code of the auditor's own unit, if any
}

// Audit is one internal audit.
type Audit struct {
	ID         int64
	AgencyID   int64
	AgencyCode string
	Year       int
	Code       string // DG-YYYY-NN
	Title      string
	Scope      string
	Clauses    []string // ISO 9001:2015 clause numbers
	Processes  []string // process document codes
	Units      []string // unit codes audited
	StartsOn   Date
	EndsOn     Date
	Lead       Auditor
	Team       []Auditor // the lead is not repeated here
	Auditees   string
	State      AuditState
	Summary    string // the report's conclusion
	CreatedBy  int64
	CreatedAt  time.Time
	Version    int64
	Items      []AuditItem
	Findings   []Finding
}

// Auditors returns the lead then the team.
func (a Audit) Auditors() []Auditor { return append([]Auditor{a.Lead}, a.Team...) }

// OnTeam tells whether a user is the lead or in the team.
func (a Audit) OnTeam(userID int64) bool {
	return slices.ContainsFunc(a.Auditors(), func(x Auditor) bool { return x.UserID == userID })
}

// AuditItem is one line of the checklist.
type AuditItem struct {
	ID       int64  `json:"id"`
	Position int    `json:"position"`
	Clause   string `json:"clause,omitempty"`
	Process  string `json:"process,omitempty"`
	Question string `json:"question"`
	Result   string `json:"result"` // "", ChecklistYes, ChecklistNo, ChecklistNA
	Note     string `json:"note"`
}

// Checklist answers.
const (
	ChecklistYes = "yes"
	ChecklistNo  = "no"
	ChecklistNA  = "na"
)

// Finding is one finding of an audit.
type Finding struct {
	ID          int64
	AuditID     int64
	Type        FindingType
	Clause      string
	Process     string
	Unit        string
	Description string
	Evidence    string
	NCID        int64 // the nonconformity it raised
	NCCode      string
	NCState     NCState
	RecordedBy  int64
	RecordedAt  time.Time
}

// Validate checks an audit's plan, each error named after its field.
func (a *Audit) Validate() error {
	var v Validation
	a.Title, a.Scope, a.Auditees = strings.TrimSpace(a.Title), strings.TrimSpace(a.Scope), strings.TrimSpace(a.Auditees)
	checkText(&v, "title", a.Title, true, 300)
	if len([]rune(a.Scope)) > 4000 {
		v.Add("scope", "err.too_long")
	}
	if len([]rune(a.Auditees)) > 2000 {
		v.Add("auditees", "err.too_long")
	}
	if a.StartsOn.IsZero() {
		v.Add("starts_on", "err.date")
	}
	if a.EndsOn.IsZero() {
		v.Add("ends_on", "err.date")
	} else if !a.StartsOn.IsZero() && a.EndsOn.Before(a.StartsOn) {
		v.Add("ends_on", "err.audit_dates")
	}
	if len(a.Clauses) == 0 && len(a.Processes) == 0 {
		v.Add("clauses", "err.audit_criteria")
	}
	if e, ok := ClauseEditionFor("2015"); ok {
		for _, c := range a.Clauses {
			if _, ok := e.FindClause(c); !ok {
				v.Add("clauses", "err.clause_in", c, "2015")
				break
			}
		}
	}
	if a.Lead.UserID == 0 {
		v.Add("lead", "err.required")
	}
	return v.Err()
}

// Independence checks that no auditor audits their own unit or a process they own (owners maps
// a process code to the user who owns it): the first violation is named.
func (a Audit) Independence(owners map[string]int64) error {
	for _, x := range a.Auditors() {
		if x.Unit != "" && slices.Contains(a.Units, x.Unit) {
			return Errorf(EConflict, "err.audit_own_unit", x.Name, x.Unit)
		}
		for _, p := range a.Processes {
			if owners[p] == x.UserID {
				return Errorf(EConflict, "err.audit_own_process", x.Name, p)
			}
		}
	}
	return nil
}

// AuditCode numbers an agency's audits within a year.
func AuditCode(year, n int) string { return fmt.Sprintf("DG-%d-%02d", year, n) }

// Checklist builds an audit's checklist: a question per clause (with its title), then per step
// of each process (who does what, in what time, producing what).
func Checklist(clauses []Clause, processes map[string]ProcessContent, order []string) []AuditItem {
	var out []AuditItem
	add := func(it AuditItem) {
		it.Position = len(out) + 1
		out = append(out, it)
	}
	for _, c := range clauses {
		add(AuditItem{Clause: c.No, Question: fmt.Sprintf("%s %s: có bằng chứng đáp ứng yêu cầu?", c.No, c.Title("vi"))})
	}
	for _, code := range order {
		pc, ok := processes[code]
		if !ok {
			continue
		}
		for i, s := range pc.Steps {
			q := fmt.Sprintf("Bước %d: %s", i+1, s.Description)
			if s.Responsible != "" {
				q += " — " + s.Responsible
			}
			if s.Amount > 0 {
				unit := "ngày làm việc"
				if s.Unit == UnitHours {
					unit = "giờ làm việc"
				}
				q += fmt.Sprintf(" — %d %s", s.Amount, unit)
			}
			if s.Output != "" {
				q += " — hồ sơ: " + s.Output
			}
			add(AuditItem{Process: code, Question: q + ". Thực hiện đúng và đúng hạn?"})
		}
	}
	return out
}

// Validate checks a finding.
func (f *Finding) Validate() error {
	var v Validation
	f.Description, f.Evidence = strings.TrimSpace(f.Description), strings.TrimSpace(f.Evidence)
	f.Clause, f.Process, f.Unit = strings.TrimSpace(f.Clause), NormalizeCode(f.Process), NormalizeCode(f.Unit)
	if !slices.Contains(FindingTypes, f.Type) {
		v.Add("type", "err.choice")
	}
	checkText(&v, "description", f.Description, true, 4000)
	if f.Evidence == "" {
		v.Add("evidence", "err.finding_evidence")
	} else if len([]rune(f.Evidence)) > 4000 {
		v.Add("evidence", "err.too_long")
	}
	if f.Clause != "" {
		if e, ok := ClauseEditionFor("2015"); ok {
			if _, ok := e.FindClause(f.Clause); !ok {
				v.Add("clause", "err.clause_in", f.Clause, "2015")
			}
		}
	}
	return v.Err()
}

// Guard checks an audit event's conditions beyond the transition table: the report needs every
// checklist line answered and a conclusion; closing needs the nonconformities raised closed or
// cancelled.
func (a Audit) Guard(ev AuditEvent) error {
	switch ev {
	case AuditvSend:
		if len(a.Items) == 0 {
			return Errorf(EConflict, "err.audit_no_checklist")
		}
	case AuditvFollowUp:
		if slices.ContainsFunc(a.Items, func(it AuditItem) bool { return it.Result == "" }) {
			return Errorf(EConflict, "err.audit_unanswered")
		}
		if strings.TrimSpace(a.Summary) == "" {
			return Errorf(EConflict, "err.audit_no_summary")
		}
	case AuditvClose:
		for _, f := range a.Findings {
			if f.NCID != 0 && f.NCState.Open() {
				return Errorf(EConflict, "err.audit_nc_open", f.NCCode)
			}
		}
	}
	return nil
}
