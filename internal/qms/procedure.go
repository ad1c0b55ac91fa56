package qms

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ProcLevel is the level of government that settles an administrative procedure.
type ProcLevel string

const (
	LevelProvince ProcLevel = "province"
	LevelDistrict ProcLevel = "district" // until the two-level local government of 2025
	LevelCommune  ProcLevel = "commune"
)

// ProcLevels lists the levels in the order forms show them.
var ProcLevels = []ProcLevel{LevelProvince, LevelDistrict, LevelCommune}

// OnlineLevel is how far a procedure can be handled online.
type OnlineLevel string

const (
	OnlineNone    OnlineLevel = "none"
	OnlinePartial OnlineLevel = "partial" // dịch vụ công trực tuyến một phần
	OnlineFull    OnlineLevel = "full"    // dịch vụ công trực tuyến toàn trình
)

// OnlineLevels lists the online service levels.
var OnlineLevels = []OnlineLevel{OnlineNone, OnlinePartial, OnlineFull}

// ProcStatus is a procedure's standing in the catalogue.
type ProcStatus string

const (
	ProcInForce   ProcStatus = "in_force"
	ProcAmended   ProcStatus = "amended"
	ProcAbolished ProcStatus = "abolished"
)

// ProcStatuses lists the statuses.
var ProcStatuses = []ProcStatus{ProcInForce, ProcAmended, ProcAbolished}

// Procedure is an administrative procedure (thủ tục hành chính) of the province's catalogue,
// as announced by the Chairman's decision: the agencies that settle it derive their list of
// procedures (Circular 26/2014 Form 2) from it.
type Procedure struct {
	ID            int64
	Code          string // the national code, e.g. 1.004227
	Name          string
	Field         string // lĩnh vực
	Level         ProcLevel
	Agencies      []string // codes of the agencies that settle it
	TimeLimitDays int      // the legal time limit in working days (0: settled the same day)
	Fees          string
	Components    string // the dossier's components, one per line
	Result        string
	Online        OnlineLevel
	Anywhere      bool // may be filed anywhere in the province
	Status        ProcStatus
	EffectiveOn   Date
	Decision      string // the announcing decision, e.g. 1234/QĐ-UBND
	LegalBases    string // the legal bases, one per line
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

var procCode = regexp.MustCompile(`^[0-9A-Z][0-9A-Z.\-]{2,29}$`)

// NormalizeProcCode trims and upper-cases a procedure code.
func NormalizeProcCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// MaxTimeLimitDays bounds a procedure's time limit (the longest in the national database are
// a few hundred working days).
const MaxTimeLimitDays = 400

// Normalize tidies what a person typed: trims, upper-cases the code and agency codes, and
// fills in the defaults (in force, not online).
func (p *Procedure) Normalize() {
	p.Code = NormalizeProcCode(p.Code)
	p.Name, p.Field = strings.TrimSpace(p.Name), strings.TrimSpace(p.Field)
	p.Fees, p.Result, p.Decision = strings.TrimSpace(p.Fees), strings.TrimSpace(p.Result), strings.TrimSpace(p.Decision)
	p.Components, p.LegalBases = strings.TrimSpace(p.Components), strings.TrimSpace(p.LegalBases)
	seen := map[string]bool{}
	var agencies []string
	for _, a := range p.Agencies {
		if a = NormalizeCode(a); a != "" && !seen[a] {
			seen[a] = true
			agencies = append(agencies, a)
		}
	}
	p.Agencies = agencies
	if p.Status == "" {
		p.Status = ProcInForce
	}
	if p.Online == "" {
		p.Online = OnlineNone
	}
}

// Validate checks a procedure's fields, each error named after its field.
func (p *Procedure) Validate() error {
	var v Validation
	if !procCode.MatchString(p.Code) {
		v.Add("code", "err.proc_code")
	}
	text := func(field, s string, required bool, max int) {
		switch {
		case required && s == "":
			v.Add(field, "err.required")
		case utf8.RuneCountInString(s) > max || strings.ContainsRune(s, 0):
			v.Add(field, "err.too_long")
		}
	}
	text("name", p.Name, true, 500)
	text("field", p.Field, true, 200)
	text("fees", p.Fees, false, 1000)
	text("result", p.Result, false, 1000)
	text("decision", p.Decision, false, 200)
	text("components", p.Components, false, 10000)
	text("legal_bases", p.LegalBases, false, 10000)
	if !slices.Contains(ProcLevels, p.Level) {
		v.Add("level", "err.choice")
	}
	if !slices.Contains(OnlineLevels, p.Online) {
		v.Add("online", "err.choice")
	}
	if !slices.Contains(ProcStatuses, p.Status) {
		v.Add("status", "err.choice")
	}
	if p.TimeLimitDays < 0 || p.TimeLimitDays > MaxTimeLimitDays {
		v.Add("time_limit_days", "err.proc_limit", MaxTimeLimitDays)
	}
	if len(p.Agencies) == 0 {
		v.Add("agencies", "err.proc_agencies")
	}
	return v.Err()
}

// ChangeToFollow tells whether saving p over old is a change the agencies must follow up (an
// update task): the procedure becomes amended or abolished, or an amended one is amended again
// by another decision. A procedure new to the catalogue has nothing to follow up yet.
func (p Procedure) ChangeToFollow(old Procedure) bool {
	if old.ID == 0 || p.Status != ProcAmended && p.Status != ProcAbolished {
		return false
	}
	return old.Status != p.Status || old.Decision != p.Decision
}
