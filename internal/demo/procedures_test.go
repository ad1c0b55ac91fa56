package demo

import (
	"testing"

	"github.com/isogov/isogov/internal/qms"
)

// The sample catalogue is big enough to try things on, valid, and its codes unique.
func TestSampleCatalogue(t *testing.T) {
	list := Procedures()
	if len(list) < 200 {
		t.Errorf("%d sample procedures, want at least 200", len(list))
	}
	codes, agencies := map[string]bool{}, map[string]bool{}
	for _, in := range list {
		p := qms.Procedure{Code: in.Code, Name: in.Name, Field: in.Field, Level: in.Level, Agencies: in.Agencies, TimeLimitDays: in.TimeLimitDays,
			Online: in.Online, Status: in.Status}
		p.Normalize()
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", in.Code, err)
		}
		if codes[p.Code] {
			t.Errorf("the code %s twice", p.Code)
		}
		codes[p.Code] = true
		agencies[p.Agencies[0]] = true
	}
	known := map[string]bool{}
	for _, a := range Agencies {
		known[a.Code] = true
	}
	for a := range agencies {
		if !known[a] {
			t.Errorf("a procedure of %s, not a demo agency", a)
		}
	}
	if len(agencies) < 15 {
		t.Errorf("procedures of %d agencies", len(agencies))
	}
}
