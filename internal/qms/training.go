package qms

import "strings"

// CourseKind is what a course teaches (seed II.2.a: standard awareness, writing documents,
// internal auditors).
type CourseKind string

const (
	CourseAwareness       CourseKind = "awareness"
	CourseDocumentation   CourseKind = "documentation"
	CourseInternalAuditor CourseKind = "internal_auditor"
	CourseOther           CourseKind = "other"
)

// CourseKinds lists the kinds in display order.
var CourseKinds = []CourseKind{CourseAwareness, CourseDocumentation, CourseInternalAuditor, CourseOther}

// Course is an entry of the province's training catalogue.
type Course struct {
	ID    int64
	Code  string
	Title string
	Kind  CourseKind
}

// Validate checks a course.
func (c *Course) Validate() error {
	var v Validation
	c.Code, c.Title = NormalizeCode(c.Code), strings.TrimSpace(c.Title)
	if !ValidCode(c.Code) {
		v.Add("code", "err.code_format")
	}
	checkText(&v, "title", c.Title, true, 200)
	ok := false
	for _, k := range CourseKinds {
		ok = ok || k == c.Kind
	}
	if !ok {
		v.Add("kind", "err.course_kind")
	}
	return v.Err()
}

// Organiser says who held a session.
type Organiser string

const (
	OrganisedByDOST       Organiser = "dost"
	OrganisedByAgency     Organiser = "agency"
	OrganisedByConsultant Organiser = "consultant"
)

// TrainingSession is one run of a course.
type TrainingSession struct {
	ID            int64
	Course        Course
	Organiser     Organiser
	AgencyID      int64 // the organising agency, for Organiser agency
	AgencyCode    string
	OrganiserName string // the consultancy, for Organiser consultant
	StartsOn      Date
	EndsOn        Date
	Place         string
	Attendees     int
}

// Validate checks a session's own fields.
func (s *TrainingSession) Validate() error {
	var v Validation
	s.OrganiserName, s.Place = strings.TrimSpace(s.OrganiserName), strings.TrimSpace(s.Place)
	switch s.Organiser {
	case OrganisedByDOST, OrganisedByAgency:
	case OrganisedByConsultant:
		checkText(&v, "organiser_name", s.OrganiserName, true, 200)
	default:
		v.Add("organiser", "err.organiser")
	}
	checkText(&v, "place", s.Place, false, 200)
	if s.StartsOn.IsZero() {
		v.Add("starts_on", "err.required")
	}
	if s.EndsOn.IsZero() {
		s.EndsOn = s.StartsOn
	} else if !s.StartsOn.IsZero() && s.EndsOn.Before(s.StartsOn) {
		v.Add("ends_on", "err.ends_before_start")
	}
	return v.Err()
}

// TrainingResult is how an attendee finished.
type TrainingResult string

const (
	ResultAttended TrainingResult = "attended"
	ResultPassed   TrainingResult = "passed"
	ResultFailed   TrainingResult = "failed"
)

// Attendance is one person at one session.
type Attendance struct {
	ID            int64
	AgencyID      int64
	AgencyCode    string
	SessionID     int64
	UserID        int64 // 0: a person without an account
	Name          string
	Result        TrainingResult
	CertificateNo string
	Session       TrainingSession
}

// Validate checks an attendance.
func (a *Attendance) Validate() error {
	var v Validation
	a.Name, a.CertificateNo = strings.TrimSpace(a.Name), strings.TrimSpace(a.CertificateNo)
	checkText(&v, "name", a.Name, true, 120)
	checkText(&v, "certificate_no", a.CertificateNo, false, 60)
	switch a.Result {
	case ResultAttended, ResultPassed, ResultFailed:
	case "":
		a.Result = ResultAttended
	default:
		v.Add("result", "err.result")
	}
	if a.CertificateNo != "" && a.Result != ResultPassed {
		v.Add("certificate_no", "err.certificate_needs_pass")
	}
	return v.Err()
}
