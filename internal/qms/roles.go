package qms

import (
	"strings"
	"time"
)

// Role is a user's role (DOMAIN.md §4). Province roles hold across agencies; agency roles
// are granted for one agency (CONTRACTS.md: `leader@SKHCN`).
type Role string

const (
	RoleAdmin       Role = "admin"       // system administrator
	RoleCoordinator Role = "coordinator" // DOST: runs the programme, reads every agency
	RoleObserver    Role = "observer"    // Home Affairs, Finance, People's Committee: read, evaluate
	RoleLeader      Role = "leader"      // agency leader: approves, signs
	RoleSecretary   Role = "secretary"   // ISO secretary: runs the agency's QMS
	RoleStaff       Role = "staff"       // drafts, handles dossiers
	RoleAuditor     Role = "auditor"     // internal auditor
	RoleConsultant  Role = "consultant"  // external, limited to agencies that engaged it
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleObserver, RoleLeader, RoleSecretary, RoleStaff, RoleAuditor, RoleConsultant}

// ProvinceWide reports whether r is held across agencies rather than for one.
func (r Role) ProvinceWide() bool { return r == RoleAdmin || r == RoleCoordinator || r == RoleObserver }

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Grant is one role held by a user, for one agency unless the role is province-wide.
type Grant struct {
	ID         int64
	UserID     int64
	Role       Role
	AgencyID   int64 // 0 for province-wide roles
	AgencyCode string
	AgencyName string
	GrantedAt  time.Time
}

// String writes the grant as on the command line: `admin`, `leader@SKHCN`.
func (g Grant) String() string {
	if g.Role.ProvinceWide() {
		return string(g.Role)
	}
	return string(g.Role) + "@" + g.AgencyCode
}

// ParseGrant reads `ROLE` or `ROLE@CODE` and checks that agency roles name an agency and
// province-wide roles do not.
func ParseGrant(s string) (Grant, error) {
	role, code, hasAt := strings.Cut(strings.TrimSpace(s), "@")
	g := Grant{Role: Role(strings.ToLower(role)), AgencyCode: NormalizeCode(code)}
	switch {
	case !g.Role.Valid():
		return g, Errorf(EInvalid, "err.role_unknown", role)
	case g.Role.ProvinceWide() && hasAt:
		return g, Errorf(EInvalid, "err.role_no_agency", role)
	case !g.Role.ProvinceWide() && (!hasAt || !ValidCode(g.AgencyCode)):
		return g, Errorf(EInvalid, "err.role_needs_agency", role)
	}
	return g, nil
}

// User is an account. PasswordHash never leaves the store and service layers.
type User struct {
	ID           int64
	Email        string
	Name         string
	Lang         string // "vi" or "en"
	Disabled     bool
	PasswordHash string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Grants       []Grant
}

// Languages the UI speaks; the first is the default.
var Languages = []string{"vi", "en"}

// ValidLang reports whether l is a supported UI language.
func ValidLang(l string) bool { return l == "vi" || l == "en" }

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail is a deliberately plain check: one '@', a dot in the domain, no spaces.
func ValidEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && len(s) <= 254 && strings.Contains(domain, ".") &&
		!strings.ContainsAny(s, " \t\r\n<>\"(),;:\\[]") && !strings.Contains(domain, "@") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// Validate checks the user's own fields.
func (u *User) Validate() error {
	var v Validation
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if u.Email == "" {
		v.Add("email", "err.required")
	} else if !ValidEmail(u.Email) {
		v.Add("email", "err.email")
	}
	checkText(&v, "name", u.Name, true, 120)
	if u.Lang == "" {
		u.Lang = Languages[0]
	}
	if !ValidLang(u.Lang) {
		v.Add("lang", "err.lang")
	}
	return v.Err()
}
