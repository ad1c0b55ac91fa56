package qms

import (
	_ "embed"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// The clause trees of ISO 9001 (numbers and short titles only: the standard's text is
// copyrighted), the 2008 → 2015 correspondence and the six documented procedures 2008
// requires, as embedded reference data (DOMAIN.md §6).

// Clause is one clause of an edition.
type Clause struct {
	No string `json:"no"`
	VI string `json:"vi"`
	EN string `json:"en"`
}

// Depth is the number of levels of a clause number: "7" is 1, "7.5.3" is 3.
func (c Clause) Depth() int { return strings.Count(c.No, ".") + 1 }

// Parent is the number of the clause above, "" for a top clause.
func (c Clause) Parent() string {
	if i := strings.LastIndexByte(c.No, '.'); i > 0 {
		return c.No[:i]
	}
	return ""
}

// Title is the short title in a language ("vi" or "en").
func (c Clause) Title(lang string) string {
	if lang == "en" {
		return c.EN
	}
	return c.VI
}

// ClauseEdition is an edition's clause tree.
type ClauseEdition struct {
	Edition string   `json:"edition"` // "2008" (also used for 2000) or "2015"
	Covers  []string `json:"covers"`  // the standard editions this tree serves
	Clauses []Clause `json:"clauses"`
}

// MandatoryProcedure is one of the six documented procedures ISO 9001:2008 requires.
type MandatoryProcedure struct {
	Clause string `json:"clause"`
	VI     string `json:"vi"`
	EN     string `json:"en"`
}

type clauseData struct {
	Editions       []ClauseEdition      `json:"editions"`
	Mandatory2008  []MandatoryProcedure `json:"mandatory_2008"`
	Correspondence map[string][]string  `json:"correspondence_2008_2015"`
}

//go:embed clauses.json
var clausesJSON []byte

var clauses = func() clauseData {
	var d clauseData
	if err := json.Unmarshal(clausesJSON, &d); err != nil {
		panic("qms: clauses.json: " + err.Error()) // embedded data, checked by the tests
	}
	for _, e := range d.Editions {
		sort.SliceStable(e.Clauses, func(i, j int) bool { return clauseLess(e.Clauses[i].No, e.Clauses[j].No) })
	}
	return d
}()

// clauseLess orders clause numbers numerically: 7.5 < 7.5.1 < 7.6 < 10.
func clauseLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// ClauseEditionFor returns the clause tree serving a standard edition: "TCVN ISO 9001:2015"
// or "2015" give the 2015 tree; 2000 and 2008 share one.
func ClauseEditionFor(edition string) (ClauseEdition, bool) {
	edition = strings.TrimSpace(edition)
	for _, e := range clauses.Editions {
		if e.Edition == edition {
			return e, true
		}
		for _, c := range e.Covers {
			if c == edition || strings.HasSuffix(c, ":"+edition) {
				return e, true
			}
		}
	}
	return ClauseEdition{}, false
}

// ClauseEditions returns every clause tree.
func ClauseEditions() []ClauseEdition { return append([]ClauseEdition(nil), clauses.Editions...) }

// FindClause returns one clause of an edition's tree.
func (e ClauseEdition) FindClause(no string) (Clause, bool) {
	for _, c := range e.Clauses {
		if c.No == no {
			return c, true
		}
	}
	return Clause{}, false
}

// Mandatory2008 returns the six documented procedures ISO 9001:2008 requires.
func Mandatory2008() []MandatoryProcedure {
	return append([]MandatoryProcedure(nil), clauses.Mandatory2008...)
}

// Clauses2015For returns the 2015 clauses that take over a 2008 clause; a clause without an
// entry of its own takes its nearest parent's.
func Clauses2015For(no2008 string) []string {
	for no := no2008; no != ""; no = (Clause{No: no}).Parent() {
		if to, ok := clauses.Correspondence[no]; ok {
			return append([]string(nil), to...)
		}
	}
	return nil
}
