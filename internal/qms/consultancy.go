package qms

import "strings"

// OrganisationKind says what an organisation does for agencies' QMS.
type OrganisationKind string

const (
	Consultancy       OrganisationKind = "consultancy"
	CertificationBody OrganisationKind = "certification_body"
	ConsultancyAndCB  OrganisationKind = "both"
)

// MinConsultants is the number of qualified consultants a consultancy must have (Circular
// 27/2011/TT-BKHCN; Circular 26/2014/TT-BKHCN): fewer shows a warning.
const MinConsultants = 5

// Organisation is a consultancy or certification body in the province's register.
type Organisation struct {
	ID          int64
	Code        string
	Name        string
	Kind        OrganisationKind
	Licence     string
	Address     string
	Consultants int // qualified consultants on record
	Assessors   int
}

// Consults reports whether the organisation may be engaged as a consultancy.
func (o Organisation) Consults() bool { return o.Kind == Consultancy || o.Kind == ConsultancyAndCB }

// Understaffed reports whether a consultancy has fewer qualified consultants than required.
func (o Organisation) Understaffed() bool { return o.Consults() && o.Consultants < MinConsultants }

// Validate checks an organisation.
func (o *Organisation) Validate() error {
	var v Validation
	o.Code, o.Name, o.Licence, o.Address = NormalizeCode(o.Code), strings.TrimSpace(o.Name), strings.TrimSpace(o.Licence), strings.TrimSpace(o.Address)
	if !ValidCode(o.Code) {
		v.Add("code", "err.code_format")
	}
	checkText(&v, "name", o.Name, true, 200)
	checkText(&v, "licence", o.Licence, false, 100)
	checkText(&v, "address", o.Address, false, 300)
	if o.Kind != Consultancy && o.Kind != CertificationBody && o.Kind != ConsultancyAndCB {
		v.Add("kind", "err.organisation_kind")
	}
	return v.Err()
}

// ExpertRole is what an expert does.
type ExpertRole string

const (
	ExpertConsultant ExpertRole = "consultant"
	ExpertAssessor   ExpertRole = "assessor"
)

// Expert is a consultant or assessor of an organisation.
type Expert struct {
	ID             int64
	OrganisationID int64
	Name           string
	Role           ExpertRole
	Qualification  string
	CertificateNo  string
}

// Validate checks an expert; a consultant counts as qualified only with a certificate.
func (e *Expert) Validate() error {
	var v Validation
	e.Name, e.Qualification, e.CertificateNo = strings.TrimSpace(e.Name), strings.TrimSpace(e.Qualification), strings.TrimSpace(e.CertificateNo)
	checkText(&v, "name", e.Name, true, 120)
	checkText(&v, "qualification", e.Qualification, false, 300)
	checkText(&v, "certificate_no", e.CertificateNo, false, 60)
	if e.Role != ExpertConsultant && e.Role != ExpertAssessor {
		v.Add("role", "err.expert_role")
	}
	return v.Err()
}

// Engagement is an agency's contract with a consultancy.
type Engagement struct {
	ID               int64
	AgencyID         int64
	AgencyCode       string
	OrganisationCode string
	OrganisationName string
	ContractNo       string
	SignedOn         Date
	StartsOn         Date
	EndsOn           Date
	ValueVND         int64
	Scope            string
}

// Validate checks an engagement's own fields.
func (e *Engagement) Validate() error {
	var v Validation
	e.ContractNo, e.Scope = strings.TrimSpace(e.ContractNo), strings.TrimSpace(e.Scope)
	checkText(&v, "contract_no", e.ContractNo, true, 60)
	checkText(&v, "scope", e.Scope, true, 1000)
	if e.SignedOn.IsZero() {
		v.Add("signed_on", "err.required")
	}
	if e.StartsOn.IsZero() {
		v.Add("starts_on", "err.required")
	}
	if e.EndsOn.IsZero() {
		v.Add("ends_on", "err.required")
	} else if !e.StartsOn.IsZero() && e.EndsOn.Before(e.StartsOn) {
		v.Add("ends_on", "err.ends_before_start")
	}
	if e.ValueVND < 0 || e.ValueVND > 100_000_000_000 {
		v.Add("value_vnd", "err.money")
	}
	return v.Err()
}

// OrganisationInspection is DOST's inspection of an organisation (seed V.1: "kiểm tra hoạt
// động của các cơ quan tổ chức tư vấn, đánh giá chứng nhận").
type OrganisationInspection struct {
	ID          int64
	InspectedOn Date
	Findings    string
	Conclusion  string
}
