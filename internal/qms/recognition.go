package qms

import "strings"

// RecognitionKind is how a QMS is recognised.
type RecognitionKind string

const (
	Certificate  RecognitionKind = "certificate"  // issued by a certification body (before Decision 19/2014)
	Announcement RecognitionKind = "announcement" // announced by the agency head (Decision 19/2014 Art. 4, Annex I)
)

// RecognitionStatus says whether a recognition is in force.
type RecognitionStatus string

const (
	RecognitionValid      RecognitionStatus = "valid"
	RecognitionSuperseded RecognitionStatus = "superseded" // a newer one of the same kind replaced it
	RecognitionClosed     RecognitionStatus = "closed"     // the agency closed (merger, split, rename)
)

// Recognition is a certificate or an announcement of conformity.
type Recognition struct {
	ID           int64
	AgencyID     int64
	Kind         RecognitionKind
	Number       string // certificate number, or the announcing decision's number
	Body         string // the certification body
	Edition      string // TCVN ISO 9001:2008, :2015 …
	Scope        string
	IssuedOn     Date
	ExpiresOn    Date // certificates only
	NotifiedOn   Date // announcements: the day DOST was told in writing
	Posted       string
	Status       RecognitionStatus
	ClosedOn     Date
	ClosedReason string
	Surveillance []Surveillance
}

// Surveillance is a certificate's periodic surveillance audit.
type Surveillance struct {
	ID     int64
	DueOn  Date
	DoneOn Date
	Note   string
}

// Validate checks a new recognition.
func (r *Recognition) Validate(today Date) error {
	var v Validation
	r.Number, r.Body, r.Edition = strings.TrimSpace(r.Number), strings.TrimSpace(r.Body), strings.TrimSpace(r.Edition)
	r.Scope, r.Posted = strings.TrimSpace(r.Scope), strings.TrimSpace(r.Posted)
	if r.Kind != Certificate && r.Kind != Announcement {
		v.Add("kind", "err.recognition_kind")
	}
	checkText(&v, "number", r.Number, true, 60)
	checkText(&v, "edition", r.Edition, true, 60)
	checkText(&v, "scope", r.Scope, true, 1000)
	checkText(&v, "posted", r.Posted, false, 300)
	switch {
	case r.IssuedOn.IsZero():
		v.Add("issued_on", "err.required")
	case today.Before(r.IssuedOn):
		v.Add("issued_on", "err.date_future")
	}
	if r.Kind == Certificate {
		checkText(&v, "body", r.Body, true, 200)
		if r.ExpiresOn.IsZero() {
			v.Add("expires_on", "err.required")
		} else if !r.IssuedOn.IsZero() && !r.IssuedOn.Before(r.ExpiresOn) {
			v.Add("expires_on", "err.expires_before_issue")
		}
		r.NotifiedOn = Date{}
	}
	if r.Kind == Announcement {
		r.ExpiresOn = Date{} // an announcement holds until the scope or the agency changes
		if !r.NotifiedOn.IsZero() && (r.NotifiedOn.Before(r.IssuedOn) || today.Before(r.NotifiedOn)) {
			v.Add("notified_on", "err.notified_order")
		}
	}
	return v.Err()
}
