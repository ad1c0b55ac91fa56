package qms

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Quality objectives (ISO 9001:2015 clause 6.2): per agency and year, each a measurable target
// whose value is computed from live data or entered with its evidence, followed monthly or
// quarterly.

// Measure is how an objective's value is obtained.
type Measure string

const (
	MeasureOnTime       Measure = "on_time_rate"    // % of dossiers settled early or on time
	MeasureRating       Measure = "mean_rating"     // citizens' mean rating, 1–5
	MeasureDocsReviewed Measure = "docs_reviewed"   // % of documents not past their review date
	MeasureActions      Measure = "actions_on_time" // % of actions due in the period done by their due date
	MeasureManual       Measure = "manual"          // entered with evidence
)

// Measures lists them.
var Measures = []Measure{MeasureOnTime, MeasureRating, MeasureDocsReviewed, MeasureActions, MeasureManual}

// Computed tells whether the measure comes from live data.
func (m Measure) Computed() bool { return m != MeasureManual && slices.Contains(Measures, m) }

// Direction tells whether a value meets the target from above or below.
type Direction string

const (
	AtLeast Direction = "min"
	AtMost  Direction = "max"
)

// Frequency of an objective's follow-up.
type Frequency string

const (
	Monthly   Frequency = "monthly"
	Quarterly Frequency = "quarterly"
)

// Objective is one quality objective.
type Objective struct {
	ID         int64
	AgencyID   int64
	AgencyCode string
	Year       int
	Title      string
	Measure    Measure
	Target     float64
	Direction  Direction
	Frequency  Frequency
	OwnerID    int64
	OwnerName  string
	CreatedAt  time.Time
	Version    int64
	Entries    []ObjectiveValue // values entered (a manual measure)
	Actions    []Action
}

// ObjectiveValue is a value entered for a period.
type ObjectiveValue struct {
	Period   string
	Value    float64
	Evidence string
	ByName   string
	At       time.Time
}

// Validate checks an objective, each error named after its field.
func (o *Objective) Validate() error {
	var v Validation
	o.Title = strings.TrimSpace(o.Title)
	checkText(&v, "title", o.Title, true, 300)
	if o.Year < 2000 || o.Year > 2100 {
		v.Add("year", "err.year")
	}
	if !slices.Contains(Measures, o.Measure) {
		v.Add("measure", "err.objective_measure")
	}
	if o.Direction == "" {
		o.Direction = AtLeast
	}
	if o.Direction != AtLeast && o.Direction != AtMost {
		v.Add("direction", "err.choice")
	}
	if o.Frequency != Monthly && o.Frequency != Quarterly {
		v.Add("frequency", "err.choice")
	}
	switch {
	case math.IsNaN(o.Target) || math.IsInf(o.Target, 0) || o.Target < 0:
		v.Add("target", "err.objective_target")
	case (o.Measure == MeasureOnTime || o.Measure == MeasureDocsReviewed || o.Measure == MeasureActions) && o.Target > 100:
		v.Add("target", "err.objective_percent")
	case o.Measure == MeasureRating && (o.Target < 1 || o.Target > 5):
		v.Add("target", "err.objective_rating")
	}
	if o.OwnerID == 0 {
		v.Add("owner", "err.required")
	}
	return v.Err()
}

// Met tells whether a value meets the target.
func (o Objective) Met(value float64) bool {
	if o.Direction == AtMost {
		return value <= o.Target
	}
	return value >= o.Target
}

// Period is one follow-up period of an objective.
type Period struct {
	Key      string // 2026-03 or 2026-Q1
	From, To Date   // inclusive
}

// Periods returns the objective's periods of its year up to the one holding today (all of them
// for a past year).
func (o Objective) Periods(today Date) []Period {
	var out []Period
	step := 1
	if o.Frequency == Quarterly {
		step = 3
	}
	for m := 1; m <= 12; m += step {
		from := DateOf(time.Date(o.Year, time.Month(m), 1, 0, 0, 0, 0, time.UTC))
		to := DateOf(time.Date(o.Year, time.Month(m+step), 0, 0, 0, 0, 0, time.UTC))
		if today.Before(from) {
			break
		}
		key := fmt.Sprintf("%d-%02d", o.Year, m)
		if step == 3 {
			key = fmt.Sprintf("%d-Q%d", o.Year, (m-1)/3+1)
		}
		out = append(out, Period{Key: key, From: from, To: to})
	}
	return out
}

// ValidPeriod tells whether key names one of the objective's periods.
func (o Objective) ValidPeriod(key string) bool {
	y, rest, ok := strings.Cut(key, "-")
	if !ok || y != strconv.Itoa(o.Year) {
		return false
	}
	if o.Frequency == Quarterly {
		return rest == "Q1" || rest == "Q2" || rest == "Q3" || rest == "Q4"
	}
	if len(rest) != 2 || rest[0] < '0' || rest[0] > '1' || rest[1] < '0' || rest[1] > '9' {
		return false
	}
	m, _ := strconv.Atoi(rest)
	return m >= 1 && m <= 12
}

// Status is an objective's value for a period.
type Status struct {
	Period Period
	Value  float64
	Known  bool // a value exists (dossiers settled, a value entered, …)
	Met    bool
	Basis  string // what the value rests on: "123 hồ sơ", the evidence
}
