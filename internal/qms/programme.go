package qms

import (
	_ "embed"
	"encoding/json"
	"strings"
	"time"
)

// Regime is how an agency's QMS is recognised (DOMAIN.md §2).
type Regime string

const (
	RegimeCertification Regime = "certification" // by a certification body (Decisions 144/2006, 118/2009)
	RegimeAnnouncement  Regime = "announcement"  // self-announcement by the agency head (Decision 19/2014 Art. 4)
)

// Valid reports whether r is a known regime.
func (r Regime) Valid() bool { return r == RegimeCertification || r == RegimeAnnouncement }

// Group is an agency's group within a programme (the seed's III.2.a and III.2.b).
type Group string

const (
	GroupFirstTime     Group = "first_time"
	GroupConvert       Group = "convert"        // convert the edition
	GroupExtend        Group = "extend"         // extend the scope
	GroupConvertExtend Group = "convert_extend" // both
)

// Groups lists every group in display order.
var Groups = []Group{GroupFirstTime, GroupConvert, GroupExtend, GroupConvertExtend}

// Valid reports whether g is a known group.
func (g Group) Valid() bool {
	for _, x := range Groups {
		if x == g {
			return true
		}
	}
	return false
}

// Programme is a province's deployment programme.
type Programme struct {
	ID           int64
	Code         string
	Name         string
	DecisionNo   string
	DecisionDate Date
	Signer       string
	YearFrom     int
	YearTo       int
	Edition      string // "TCVN ISO 9001:2008"
	Regime       Regime
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Validate checks a programme's own fields.
func (p *Programme) Validate() error {
	var v Validation
	p.Code = NormalizeCode(p.Code)
	if !ValidCode(p.Code) {
		v.Add("code", "err.code_format")
	}
	checkText(&v, "name", p.Name, true, 300)
	checkText(&v, "decision_no", p.DecisionNo, false, 60)
	checkText(&v, "signer", p.Signer, false, 120)
	checkText(&v, "edition", p.Edition, true, 60)
	if p.YearFrom < 1990 || p.YearFrom > 2199 {
		v.Add("year_from", "err.year_range")
	}
	if p.YearTo < p.YearFrom || p.YearTo > 2199 {
		v.Add("year_to", "err.dates_order")
	}
	if !p.Regime.Valid() {
		v.Add("regime", "err.regime")
	}
	return v.Err()
}

// StepTemplate is one step a regime asks of an agency.
type StepTemplate struct {
	ID               int64
	Regime           Regime
	Code             string
	Phase            int // 1 preparation … 5 maintenance
	Seq              int
	Title            string
	Groups           []Group // empty: every group
	EvidenceRequired bool
	EvidenceKinds    []string // "file", "note", "link:document", "link:committee" …
}

// AppliesTo reports whether the step is asked of an agency in group g.
func (t StepTemplate) AppliesTo(g Group) bool {
	if len(t.Groups) == 0 {
		return true
	}
	for _, x := range t.Groups {
		if x == g {
			return true
		}
	}
	return false
}

// StepStatus is where an agency stands on a step.
type StepStatus string

const (
	StepNotStarted    StepStatus = "not_started"
	StepInProgress    StepStatus = "in_progress"
	StepDone          StepStatus = "done"
	StepNotApplicable StepStatus = "not_applicable"
)

// Valid reports whether s is a known status.
func (s StepStatus) Valid() bool {
	return s == StepNotStarted || s == StepInProgress || s == StepDone || s == StepNotApplicable
}

// TrackStep is one step of an agency's track in a programme.
type TrackStep struct {
	ID          int64
	AgencyID    int64
	ProgrammeID int64
	Template    StepTemplate
	Status      StepStatus
	PlannedOn   Date
	DoneOn      Date
	Owner       string
	NAReason    string
	Evidence    int // how many pieces of evidence it has
	UpdatedAt   time.Time
}

// Late reports whether the step was planned before today and is neither done nor set aside.
func (s TrackStep) Late(today Date) bool {
	return !s.PlannedOn.IsZero() && s.PlannedOn.Before(today) && s.Status != StepDone && s.Status != StepNotApplicable
}

// StepUpdate is a change to a step's status and plan.
type StepUpdate struct {
	Status    StepStatus
	PlannedOn Date
	DoneOn    Date
	Owner     string
	NAReason  string
}

// CheckStepUpdate applies the rules of a step change: done needs a date (not in the future)
// and, where the template asks for it, evidence; not applicable needs a reason.
func CheckStepUpdate(s TrackStep, u *StepUpdate, today Date) error {
	var v Validation
	u.Owner, u.NAReason = strings.TrimSpace(u.Owner), strings.TrimSpace(u.NAReason)
	if !u.Status.Valid() {
		v.Add("status", "err.step_status")
	}
	checkText(&v, "owner", u.Owner, false, 120)
	checkText(&v, "na_reason", u.NAReason, u.Status == StepNotApplicable, 500)
	switch u.Status {
	case StepDone:
		if u.DoneOn.IsZero() {
			u.DoneOn = today
		}
		if today.Before(u.DoneOn) {
			v.Add("done_on", "err.date_future")
		}
		if s.Template.EvidenceRequired && s.Evidence == 0 {
			v.Add("status", "err.evidence_required")
		}
	default:
		u.DoneOn = Date{}
	}
	if u.Status != StepNotApplicable {
		u.NAReason = ""
	}
	return v.Err()
}

// PhaseState is the state of a phase of an agency's track, readable without colour.
type PhaseState string

const (
	PhaseNotStarted PhaseState = "not_started"
	PhaseInProgress PhaseState = "in_progress"
	PhaseDone       PhaseState = "done"
	PhaseLate       PhaseState = "late"
	PhaseNone       PhaseState = "none" // the phase has no step for this agency
)

// Progress summarises a track: per phase and overall.
type Progress struct {
	Phases  [6]PhaseProgress // index 1–5
	Done    int              // steps done or not applicable
	Total   int
	Late    int
	Percent int
}

// PhaseProgress is one phase's figures.
type PhaseProgress struct {
	State       PhaseState
	Done, Total int
	Late        int
}

// ComputeProgress derives the progress of a track from its steps.
func ComputeProgress(steps []TrackStep, today Date) Progress {
	var p Progress
	for i := range p.Phases {
		p.Phases[i].State = PhaseNone
	}
	for _, s := range steps {
		ph := &p.Phases[min(max(s.Template.Phase, 1), 5)]
		ph.Total++
		p.Total++
		if s.Status == StepDone || s.Status == StepNotApplicable {
			ph.Done++
			p.Done++
		}
		if s.Late(today) {
			ph.Late++
			p.Late++
		}
		if s.Status == StepInProgress || s.Status == StepDone {
			ph.State = PhaseInProgress // refined below
		}
	}
	for i := 1; i <= 5; i++ {
		ph := &p.Phases[i]
		switch {
		case ph.Total == 0:
			ph.State = PhaseNone
		case ph.Late > 0:
			ph.State = PhaseLate
		case ph.Done == ph.Total:
			ph.State = PhaseDone
		case ph.State == PhaseInProgress || ph.Done > 0:
			ph.State = PhaseInProgress
		default:
			ph.State = PhaseNotStarted
		}
	}
	if p.Total > 0 {
		p.Percent = p.Done * 100 / p.Total
	}
	return p
}

// CommitteeRole is a member's role on the steering committee (Ban chỉ đạo ISO).
type CommitteeRole string

const (
	CommitteeHead      CommitteeRole = "head"
	CommitteeDeputy    CommitteeRole = "deputy"
	CommitteeSecretary CommitteeRole = "secretary"
	CommitteeMember    CommitteeRole = "member"
)

// CommitteeRoles lists the roles in display order.
var CommitteeRoles = []CommitteeRole{CommitteeHead, CommitteeDeputy, CommitteeSecretary, CommitteeMember}

// CommitteeMemberEntry is one member of a composition: a named person, linked to an account
// when the member has one (Email on input).
type CommitteeMemberEntry struct {
	Name     string        `json:"name"`
	Position string        `json:"position"`
	Role     CommitteeRole `json:"role"`
	Email    string        `json:"email,omitempty"`
	UserID   int64         `json:"-"`
}

// Milestone is what a programme plans for a year (seed III: 2011 plan and training;
// 2012–2013 build, convert, extend and apply).
type Milestone struct {
	Year int    `json:"year"`
	Text string `json:"text"`
}

// StepComment is a remark on an agency's step, by its people, its consultant or DOST.
type StepComment struct {
	ID        int64
	Body      string
	Author    string
	CreatedAt time.Time
}

// Committee is one composition of an agency's steering committee.
type Committee struct {
	ID           int64
	AgencyID     int64
	DecisionNo   string
	DecisionDate Date
	RulesNote    string
	RulesFile    FileRef // the operating rules document; empty until uploaded
	Members      []CommitteeMemberEntry
	CreatedAt    time.Time
	CreatedBy    int64
	NotifiedAt   time.Time // zero: DOST not notified of this composition
}

// FileRef names a stored file: its content hash, the name the user gave it, its size and
// its sniffed type.
type FileRef struct {
	SHA256 string `json:"sha256"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	Type   string `json:"type"`
}

// Validate checks a composition: the establishing decision, and exactly one head (the
// agency leader) among named members with known roles.
func (c *Committee) Validate(today Date) error {
	var v Validation
	c.DecisionNo, c.RulesNote = strings.TrimSpace(c.DecisionNo), strings.TrimSpace(c.RulesNote)
	checkText(&v, "decision_no", c.DecisionNo, true, 60)
	if c.DecisionDate.IsZero() {
		v.Add("decision_date", "err.required")
	} else if today.Before(c.DecisionDate) {
		v.Add("decision_date", "err.date_future")
	}
	checkText(&v, "rules_note", c.RulesNote, false, 500)
	heads := 0
	for i := range c.Members {
		m := &c.Members[i]
		m.Name, m.Position = strings.TrimSpace(m.Name), strings.TrimSpace(m.Position)
		if m.Name == "" || len([]rune(m.Name)) > 120 || len([]rune(m.Position)) > 120 || strings.ContainsAny(m.Name+m.Position, "\x00\n\r\t") {
			v.Add("members", "err.member")
			break
		}
		switch m.Role {
		case CommitteeHead:
			heads++
		case CommitteeDeputy, CommitteeSecretary, CommitteeMember:
		default:
			v.Add("members", "err.member_role")
		}
	}
	if !v.Has("members") {
		switch {
		case heads == 0:
			v.Add("members", "err.committee_head")
		case heads > 1:
			v.Add("members", "err.committee_heads")
		case len(c.Members) > 60:
			v.Add("members", "err.too_long")
		}
	}
	return v.Err()
}

// MemberChange is one difference between two compositions.
type MemberChange struct {
	Name     string
	From, To CommitteeRole // From empty: joined; To empty: left
	Position string
}

// DiffCommittees lists who joined, left or changed role from old to new, by name.
func DiffCommittees(old, new []CommitteeMemberEntry) []MemberChange {
	was := map[string]CommitteeMemberEntry{}
	for _, m := range old {
		was[m.Name] = m
	}
	var out []MemberChange
	seen := map[string]bool{}
	for _, m := range new {
		seen[m.Name] = true
		o, ok := was[m.Name]
		switch {
		case !ok:
			out = append(out, MemberChange{Name: m.Name, To: m.Role, Position: m.Position})
		case o.Role != m.Role || o.Position != m.Position:
			out = append(out, MemberChange{Name: m.Name, From: o.Role, To: m.Role, Position: m.Position})
		}
	}
	for _, m := range old {
		if !seen[m.Name] {
			out = append(out, MemberChange{Name: m.Name, From: m.Role, Position: m.Position})
		}
	}
	return out
}

//go:embed steps.json
var stepsJSON []byte

// DefaultStepTemplates returns the shipped step templates of both regimes.
func DefaultStepTemplates() []StepTemplate {
	var f struct {
		Steps []struct {
			Regime           Regime   `json:"regime"`
			Code             string   `json:"code"`
			Phase            int      `json:"phase"`
			Title            string   `json:"title"`
			Groups           []Group  `json:"groups"`
			EvidenceRequired bool     `json:"evidence_required"`
			EvidenceKinds    []string `json:"evidence_kinds"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(stepsJSON, &f); err != nil {
		panic("qms: steps.json: " + err.Error())
	}
	var out []StepTemplate
	for i, s := range f.Steps {
		out = append(out, StepTemplate{Regime: s.Regime, Code: s.Code, Phase: s.Phase, Seq: i + 1, Title: s.Title, Groups: s.Groups,
			EvidenceRequired: s.EvidenceRequired, EvidenceKinds: s.EvidenceKinds})
	}
	return out
}
