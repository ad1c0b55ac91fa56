package qms

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// AgencyKind is the kind of a state administrative agency (DOMAIN.md §1–2).
type AgencyKind string

const (
	KindProvincialCommittee AgencyKind = "provincial_committee" // UBND tỉnh
	KindOffice              AgencyKind = "office"               // Văn phòng
	KindDepartment          AgencyKind = "department"           // Sở
	KindSubDepartment       AgencyKind = "sub_department"       // Chi cục
	KindBoard               AgencyKind = "board"                // Ban
	KindDistrictCommittee   AgencyKind = "district_committee"   // UBND cấp huyện (before 01/07/2025)
	KindCommuneCommittee    AgencyKind = "commune_committee"    // UBND cấp xã
	KindOther               AgencyKind = "other"
)

// AgencyKinds lists every kind in display order.
var AgencyKinds = []AgencyKind{
	KindProvincialCommittee, KindOffice, KindDepartment, KindSubDepartment,
	KindBoard, KindDistrictCommittee, KindCommuneCommittee, KindOther,
}

// Valid reports whether k is a known kind.
func (k AgencyKind) Valid() bool {
	for _, x := range AgencyKinds {
		if x == k {
			return true
		}
	}
	return false
}

// LinkKind says how an agency became another (DOMAIN.md §2: mergers, renames, splits).
type LinkKind string

const (
	LinkMerge  LinkKind = "merge"
	LinkRename LinkKind = "rename"
	LinkSplit  LinkKind = "split"
)

// Valid reports whether k is a known link kind.
func (k LinkKind) Valid() bool { return k == LinkMerge || k == LinkRename || k == LinkSplit }

// Agency is one state administrative agency. Code is stable for its whole life and
// addresses it in URLs and the API.
type Agency struct {
	ID         int64
	Code       string
	Name       string
	ShortName  string
	Kind       AgencyKind
	ParentID   int64 // 0: none
	ParentCode string
	ValidFrom  Date
	ValidTo    Date // zero: still valid
	// OfficeCutoff is the time of day (HH:MM) after which a dossier counts as received on the
	// next working day (Decree 61/2018 Art. 19; default 15:00).
	OfficeCutoff string
	// DocSelfApproval lets an author approve their own documents (the agency's leader decides).
	DocSelfApproval bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Active reports whether the agency is valid on day d.
func (a Agency) Active(d Date) bool {
	if !a.ValidFrom.IsZero() && d.Before(a.ValidFrom) {
		return false
	}
	return a.ValidTo.IsZero() || !a.ValidTo.Before(d)
}

// Closed reports whether the agency has an end of validity.
func (a Agency) Closed() bool { return !a.ValidTo.IsZero() }

// AgencyLink records that To succeeds From (From is To's predecessor) on a date.
type AgencyLink struct {
	ID       int64
	FromID   int64
	FromCode string
	FromName string
	ToID     int64
	ToCode   string
	ToName   string
	Kind     LinkKind
	On       Date
}

// Unit is a unit (phòng ban) inside an agency.
type Unit struct {
	ID        int64
	AgencyID  int64
	Code      string
	Name      string
	Closed    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

var codePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,29}$`)

// ValidCode reports whether s is a well-formed agency or unit code:
// upper-case ASCII letters, digits, '-' and '_', at most 30, starting with a letter or digit.
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// NormalizeCode trims and upper-cases a code typed by a person.
func NormalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// checkText validates a required or optional text field's length and characters.
func checkText(v *Validation, field, s string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "err.required")
	case !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\r\n\t"):
		v.Add(field, "err.bad_chars")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "err.too_long")
	}
}

// Validate checks an agency's own fields (not its relations to others).
func (a *Agency) Validate() error {
	var v Validation
	a.Code = NormalizeCode(a.Code)
	a.Name = strings.TrimSpace(a.Name)
	a.ShortName = strings.TrimSpace(a.ShortName)
	if a.Code == "" {
		v.Add("code", "err.required")
	} else if !ValidCode(a.Code) {
		v.Add("code", "err.code_format")
	}
	checkText(&v, "name", a.Name, true, 200)
	checkText(&v, "short_name", a.ShortName, false, 60)
	if !a.Kind.Valid() {
		v.Add("kind", "err.kind")
	}
	if a.OfficeCutoff == "" {
		a.OfficeCutoff = DefaultOfficeCutoff
	}
	if _, err := ParseClock(a.OfficeCutoff); err != nil {
		v.Add("office_cutoff", "err.clock")
	}
	if !a.ValidTo.IsZero() && !a.ValidFrom.IsZero() && a.ValidTo.Before(a.ValidFrom) {
		v.Add("valid_to", "err.valid_to_before_from")
	}
	return v.Err()
}

// Validate checks a unit's own fields.
func (u *Unit) Validate() error {
	var v Validation
	u.Code = NormalizeCode(u.Code)
	u.Name = strings.TrimSpace(u.Name)
	if u.Code == "" {
		v.Add("code", "err.required")
	} else if !ValidCode(u.Code) {
		v.Add("code", "err.code_format")
	}
	checkText(&v, "name", u.Name, true, 200)
	return v.Err()
}

// DefaultOfficeCutoff is the cut-off of DOMAIN.md §5.
const DefaultOfficeCutoff = "15:00"

// ParseClock reads a time of day HH:MM and returns minutes after midnight.
func ParseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, Errorf(EInvalid, "err.clock")
	}
	return t.Hour()*60 + t.Minute(), nil
}

// PlaceName is the place written on a document's date line (Decree 30/2020): the province or
// city taken from its People's Committee's name ("Ủy ban nhân dân tỉnh Nghệ An" → "Nghệ An").
func PlaceName(committee string) string {
	for _, prefix := range []string{"tỉnh ", "thành phố ", "Tỉnh ", "Thành phố "} {
		if i := strings.Index(committee, prefix); i >= 0 {
			return strings.TrimSpace(committee[i+len(prefix):])
		}
	}
	return strings.TrimSpace(committee)
}
