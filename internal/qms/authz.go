package qms

// Permission names one thing a role may do. Routes declare the permission they need and
// service methods check it again; this table is the one place that says who may.
type Permission string

const (
	PermSignedIn        Permission = "signed_in"        // any signed-in user (the agency directory, own profile)
	PermAgencyManage    Permission = "agency.manage"    // create, edit, close agencies, link successors
	PermUnitRead        Permission = "unit.read"        // see an agency's units
	PermUnitManage      Permission = "unit.manage"      // create and edit an agency's units
	PermJournalRead     Permission = "journal.read"     // read an agency's journal (scoped) or the province chain (global)
	PermUserManage      Permission = "user.manage"      // manage accounts and roles
	PermProvinceOversee Permission = "province.oversee" // read every agency's data
	PermTrackRead       Permission = "track.read"       // read an agency's programme track and committee
	PermTrackEdit       Permission = "track.edit"       // record an agency's progress, evidence and committee
	PermProgrammeManage Permission = "programme.manage" // programmes and step templates
	PermCalendarManage  Permission = "calendar.manage"  // correct a year's official holiday arrangement
	PermDocRead         Permission = "doc.read"         // read an agency's controlled documents
	PermDocEdit         Permission = "doc.edit"         // draft documents and move them through their life
	PermDocApprove      Permission = "doc.approve"      // approve (sign) documents
	PermDossierRead     Permission = "dossier.read"     // read an agency's dossiers and their figures
	PermDossierHandle   Permission = "dossier.handle"   // receive dossiers and move them along their process
	PermNCRead          Permission = "nc.read"          // read an agency's nonconformities and actions
	PermNCEdit          Permission = "nc.edit"          // report nonconformities, analyse them, plan and carry out actions
	PermLoopManage      Permission = "loop.manage"      // plan audits and management reviews, set quality objectives
)

// rolePermissions is the permission table. Province-wide roles hold their permissions for
// every agency; agency roles only for the agency of the grant.
var rolePermissions = map[Role][]Permission{
	RoleAdmin: {PermAgencyManage, PermUnitRead, PermUnitManage, PermJournalRead, PermUserManage, PermProvinceOversee, PermCalendarManage,
		PermTrackRead, PermTrackEdit, PermProgrammeManage, PermDocRead, PermDocEdit, PermDocApprove, PermDossierRead, PermDossierHandle, PermNCRead, PermNCEdit, PermLoopManage},
	RoleCoordinator: {PermAgencyManage, PermUnitRead, PermUnitManage, PermJournalRead, PermProvinceOversee, PermTrackRead, PermProgrammeManage, PermDocRead, PermDossierRead, PermNCRead},
	RoleObserver:    {PermUnitRead, PermJournalRead, PermProvinceOversee, PermTrackRead, PermDocRead, PermDossierRead, PermNCRead},
	RoleLeader:      {PermUnitRead, PermUnitManage, PermJournalRead, PermTrackRead, PermTrackEdit, PermDocRead, PermDocEdit, PermDocApprove, PermDossierRead, PermDossierHandle, PermNCRead, PermNCEdit, PermLoopManage},
	RoleSecretary:   {PermUnitRead, PermUnitManage, PermJournalRead, PermTrackRead, PermTrackEdit, PermDocRead, PermDocEdit, PermDossierRead, PermDossierHandle, PermNCRead, PermNCEdit, PermLoopManage},
	RoleStaff:       {PermUnitRead, PermTrackRead, PermDocRead, PermDocEdit, PermDossierRead, PermDossierHandle, PermNCRead, PermNCEdit},
	RoleAuditor:     {PermUnitRead, PermDocRead, PermDossierRead, PermNCRead, PermNCEdit},
	RoleConsultant:  {PermUnitRead, PermTrackRead, PermDocRead, PermDocEdit, PermNCRead},
}

// RoleHas reports whether role r carries permission p.
func RoleHas(r Role, p Permission) bool {
	for _, x := range rolePermissions[r] {
		if x == p {
			return true
		}
	}
	return false
}

// Actor is whoever acts: a signed-in user with their grants. A nil *Actor is anonymous.
type Actor struct {
	UserID int64
	Name   string
	Email  string
	Lang   string
	Grants []Grant
	// TokenID is set when the actor authenticated with an API token.
	TokenID int64
}

// Can reports whether the actor holds p for the agency with the given code. With an empty
// code only province-wide grants count: p is asked for the province as a whole.
func (a *Actor) Can(p Permission, agencyCode string) bool {
	if a == nil {
		return false
	}
	if p == PermSignedIn {
		return true
	}
	for _, g := range a.Grants {
		if !RoleHas(g.Role, p) {
			continue
		}
		if g.Role.ProvinceWide() || (agencyCode != "" && g.AgencyCode == agencyCode) {
			return true
		}
	}
	return false
}

// CanAnywhere reports whether the actor holds p for the province or for at least one agency.
func (a *Actor) CanAnywhere(p Permission) bool {
	if a == nil {
		return false
	}
	if p == PermSignedIn {
		return true
	}
	for _, g := range a.Grants {
		if RoleHas(g.Role, p) {
			return true
		}
	}
	return false
}

// Has reports whether the actor holds role r (for any agency when r is an agency role).
func (a *Actor) Has(r Role) bool {
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// AgencyCodes lists the distinct agencies the actor holds agency roles in, in grant order.
func (a *Actor) AgencyCodes() []string {
	if a == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, g := range a.Grants {
		if !g.Role.ProvinceWide() && !seen[g.AgencyCode] {
			seen[g.AgencyCode] = true
			out = append(out, g.AgencyCode)
		}
	}
	return out
}

// Require returns a forbidden or unauthenticated error unless the actor can p for agencyCode.
func (a *Actor) Require(p Permission, agencyCode string) error {
	if a == nil {
		return Errorf(EUnauthenticated, "err.unauthenticated")
	}
	if !a.Can(p, agencyCode) {
		return Errorf(EForbidden, "err.forbidden")
	}
	return nil
}
