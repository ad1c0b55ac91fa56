package qms

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A process (quy trình) is the controlled document that says how one administrative procedure,
// or a group of similar ones, is handled: its structured content belongs to a revision of a
// document of type "process", is signed with it and is what dossiers follow.

// ProcessType is the document type whose revisions carry process content.
const ProcessType = "process"

// Step units.
const (
	UnitDays  = "days"  // working days
	UnitHours = "hours" // working hours; a working day has 8
)

// HoursPerDay is a working day's hours.
const HoursPerDay = 8

// ProcessStep is one row of the step table.
type ProcessStep struct {
	Description string `json:"description"`
	Responsible string `json:"responsible"` // the unit or role
	Amount      int    `json:"amount"`      // its duration, in Unit
	Unit        string `json:"unit"`        // UnitDays or UnitHours
	Output      string `json:"output"`      // the form or result it produces
}

// ProcessRecord is one record the process keeps.
type ProcessRecord struct {
	Record    string `json:"record"`
	Place     string `json:"place"`
	Retention string `json:"retention"`
}

// ProcessContent is a process's structured content.
type ProcessContent struct {
	Procedures  []string        `json:"procedures"` // the catalogue codes it handles
	Purpose     string          `json:"purpose"`
	Scope       string          `json:"scope"`
	References  string          `json:"references"`
	Definitions string          `json:"definitions"`
	WhereFiled  string          `json:"where_filed"` // where dossiers are filed and results returned
	Steps       []ProcessStep   `json:"steps"`
	Records     []ProcessRecord `json:"records"`
}

// MaxSteps bounds a step table.
const MaxSteps = 50

// Normalize trims the content, upper-cases the procedure codes and drops empty rows.
func (c *ProcessContent) Normalize() {
	var codes []string
	for _, p := range c.Procedures {
		if p = NormalizeProcCode(p); p != "" && !slices.Contains(codes, p) {
			codes = append(codes, p)
		}
	}
	c.Procedures = codes
	for _, s := range []*string{&c.Purpose, &c.Scope, &c.References, &c.Definitions, &c.WhereFiled} {
		*s = strings.TrimSpace(*s)
	}
	var steps []ProcessStep
	for _, s := range c.Steps {
		s.Description, s.Responsible, s.Output = strings.TrimSpace(s.Description), strings.TrimSpace(s.Responsible), strings.TrimSpace(s.Output)
		if s.Description == "" && s.Responsible == "" && s.Output == "" && s.Amount == 0 {
			continue
		}
		if s.Unit == "" {
			s.Unit = UnitDays
		}
		steps = append(steps, s)
	}
	c.Steps = steps
	var records []ProcessRecord
	for _, r := range c.Records {
		r.Record, r.Place, r.Retention = strings.TrimSpace(r.Record), strings.TrimSpace(r.Place), strings.TrimSpace(r.Retention)
		if r.Record != "" || r.Place != "" || r.Retention != "" {
			records = append(records, r)
		}
	}
	c.Records = records
}

// TotalHours is the steps' duration in working hours.
func (c *ProcessContent) TotalHours() int {
	n := 0
	for _, s := range c.Steps {
		if s.Unit == UnitHours {
			n += s.Amount
		} else {
			n += s.Amount * HoursPerDay
		}
	}
	return n
}

// FormatDays writes working hours as working days, with a decimal when it has one (15,5).
func FormatDays(hours int) string {
	s := strconv.FormatFloat(float64(hours)/HoursPerDay, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1)
}

// Validate checks the content against the legal time limit of the procedures it handles
// (limitDays; the shortest of a group): the steps must fit in it, and the error names the
// overrun. Fields are named procedures, steps, steps.N.description (N from 1), records.
func (c *ProcessContent) Validate(limitDays int) error {
	var v Validation
	if len(c.Procedures) == 0 {
		v.Add("procedures", "err.process_procedures")
	}
	if len(c.Steps) == 0 {
		v.Add("steps", "err.process_steps")
	}
	if len(c.Steps) > MaxSteps || len(c.Records) > MaxSteps {
		v.Add("steps", "err.process_too_many", MaxSteps)
	}
	for _, s := range []string{c.Purpose, c.Scope, c.References, c.Definitions, c.WhereFiled} {
		if utf8.RuneCountInString(s) > 10000 || strings.ContainsRune(s, 0) {
			v.Add("purpose", "err.too_long")
			break
		}
	}
	for i, s := range c.Steps {
		field := "steps." + strconv.Itoa(i+1)
		switch {
		case s.Description == "":
			v.Add(field+".description", "err.required")
		case s.Unit != UnitDays && s.Unit != UnitHours:
			v.Add(field+".unit", "err.choice")
		case s.Amount < 0 || s.Amount > 1000:
			v.Add(field+".amount", "err.process_amount")
		}
	}
	if v.Err() == nil && c.TotalHours() > limitDays*HoursPerDay {
		v.Add("steps", "err.process_overrun", FormatDays(c.TotalHours()), limitDays, FormatDays(c.TotalHours()-limitDays*HoursPerDay))
	}
	return v.Err()
}

// Text is the content as plain text, for search.
func (c ProcessContent) Text() string {
	parts := []string{strings.Join(c.Procedures, " "), c.Purpose, c.Scope, c.References, c.Definitions, c.WhereFiled}
	for _, s := range c.Steps {
		parts = append(parts, s.Description, s.Responsible, s.Output)
	}
	for _, r := range c.Records {
		parts = append(parts, r.Record, r.Place)
	}
	return strings.Join(parts, "\n")
}

// Digest is the SHA-256 of the content, part of what the approver signs.
func (c ProcessContent) Digest() string {
	b, _ := json.Marshal(c)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
