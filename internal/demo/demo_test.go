package demo

import (
	"testing"

	"github.com/isogov/isogov/internal/qms"
)

// The demo province is the seed's: the People's Committee plus 56 agencies, 14 applying a QMS
// for the first time and 42 extending one (Decision 37/QĐ-UBND, section III.2), each with a
// valid code, kind and an existing parent listed before it.
func TestDemoProvinceMatchesSeed(t *testing.T) {
	groups := map[Group]int{}
	seen := map[string]Agency{}
	for _, a := range Agencies {
		if _, dup := seen[a.Code]; dup {
			t.Errorf("code %s twice", a.Code)
		}
		if !qms.ValidCode(a.Code) || !a.Kind.Valid() || a.Name == "" {
			t.Errorf("%+v is not valid", a)
		}
		if a.Parent != "" {
			if _, ok := seen[a.Parent]; !ok {
				t.Errorf("%s: parent %s is not listed before it", a.Code, a.Parent)
			}
		}
		seen[a.Code] = a
		groups[a.Group]++
	}
	if len(Agencies) != 57 || groups[FirstTime] != 14 || groups[Extend] != 42 || groups[Province] != 1 {
		t.Errorf("%d agencies: %d first-time, %d extending, %d province; want 57 = 14 + 42 + 1",
			len(Agencies), groups[FirstTime], groups[Extend], groups[Province])
	}
	for code, parent := range map[string]string{"BTDKT": "SNV", "BTG": "SNV", "CCKL": "SNNPTNT", "CCQLTT": "SCT", "CCDSKHHGD": "SYT", "SKHCN": ProvinceCode} {
		if seen[code].Parent != parent {
			t.Errorf("%s is under %q, want %s", code, seen[code].Parent, parent)
		}
	}
	for _, a := range Agencies {
		if a.Kind == qms.KindSubDepartment && seen[a.Parent].Kind != qms.KindDepartment {
			t.Errorf("sub-department %s is not under a department", a.Code)
		}
	}
	for _, acc := range Accounts {
		for _, r := range acc.Roles {
			g, err := qms.ParseGrant(r)
			if err != nil {
				t.Errorf("%s: %v", acc.Email, err)
			}
			if g.AgencyCode != "" {
				if _, ok := seen[g.AgencyCode]; !ok {
					t.Errorf("%s: role in unknown agency %s", acc.Email, g.AgencyCode)
				}
			}
		}
	}
	if qms.CheckPassword(Password, Accounts[0].Email) != "" {
		t.Error("the demo password fails the password policy")
	}
}
