package service

import (
	"context"
	"strings"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// requireTrainingEditor lets through the coordinator and anyone who may edit some agency's
// records; which agency they may write for is checked once the input names it.
func requireTrainingEditor(actor *qms.Actor) error {
	if actor.Can(qms.PermProgrammeManage, "") || actor.CanAnywhere(qms.PermTrackEdit) {
		return nil
	}
	return actor.Require(qms.PermProgrammeManage, "")
}

// Courses returns the province's training catalogue (every signed-in user may read it).
func (s *Service) Courses(ctx context.Context, actor *qms.Actor) ([]qms.Course, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.Courses(ctx)
}

// CreateCourse adds a course to the catalogue (coordinator).
func (s *Service) CreateCourse(ctx context.Context, actor *qms.Actor, c qms.Course) (qms.Course, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCourse(ctx, &c, s.now()); err != nil {
			if qms.ErrorCode(err) == qms.EConflict {
				return fieldErr("code", "err.course_code_taken")
			}
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "course.create", "course", c.ID, qms.Changes{"code": {New: c.Code}, "title": {New: c.Title}, "kind": {New: string(c.Kind)}})
	})
	return c, err
}

// TrainingSessions lists sessions, newest first.
func (s *Service) TrainingSessions(ctx context.Context, actor *qms.Actor) ([]qms.TrainingSession, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.TrainingSessions(ctx, 200)
}

// SessionInput is a new training session.
type SessionInput struct {
	Course        string        `json:"course"`
	Organiser     qms.Organiser `json:"organiser"`
	Agency        string        `json:"agency"` // the organising agency, for organiser "agency"
	OrganiserName string        `json:"organiser_name"`
	StartsOn      qms.Date      `json:"starts_on"`
	EndsOn        qms.Date      `json:"ends_on"`
	Place         string        `json:"place"`
}

// CreateTrainingSession records a session: DOST's and consultants' by the coordinator, an
// agency's own by its leader or ISO secretary.
func (s *Service) CreateTrainingSession(ctx context.Context, actor *qms.Actor, in SessionInput) (qms.TrainingSession, error) {
	ts := qms.TrainingSession{Organiser: in.Organiser, OrganiserName: in.OrganiserName, StartsOn: in.StartsOn, EndsOn: in.EndsOn, Place: in.Place}
	agency := qms.NormalizeCode(in.Agency)
	if err := requireTrainingEditor(actor); err != nil {
		return ts, err
	}
	if err := ts.Validate(); err != nil {
		return ts, err
	}
	if in.Organiser == qms.OrganisedByAgency {
		if agency == "" {
			return ts, fieldErr("agency", "err.required")
		}
		if err := actor.Require(qms.PermTrackEdit, agency); err != nil {
			return ts, err
		}
	} else if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return ts, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := tx.CourseByCode(ctx, qms.NormalizeCode(in.Course))
		if qms.ErrorCode(err) == qms.ENotFound {
			return fieldErr("course", "err.course_not_found")
		} else if err != nil {
			return err
		}
		ts.Course = c
		chain := qms.ProvinceChain
		if in.Organiser == qms.OrganisedByAgency {
			a, err := tx.AgencyByCode(ctx, agency)
			if qms.ErrorCode(err) == qms.ENotFound {
				return fieldErr("agency", "err.agency_not_found")
			} else if err != nil {
				return err
			}
			ts.AgencyID, ts.AgencyCode, chain = a.ID, a.Code, a.ID
		}
		if err := tx.CreateTrainingSession(ctx, &ts, s.now(), actor.UserID); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, chain, "training.session", "training_session", ts.ID, qms.Changes{"course": {New: c.Code},
			"organiser": {New: string(ts.Organiser) + " " + ts.AgencyCode + ts.OrganiserName}, "dates": {New: ts.StartsOn.String() + "/" + ts.EndsOn.String()}})
	})
	return ts, err
}

// SessionView is a session with the attendees the actor may see: every one for the province
// roles, else those of the actor's own agencies.
type SessionView struct {
	Session   qms.TrainingSession
	Attendees []qms.Attendance
}

// TrainingSession returns one session.
func (s *Service) TrainingSession(ctx context.Context, actor *qms.Actor, id int64) (SessionView, error) {
	var v SessionView
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return v, err
	}
	var err error
	if v.Session, err = s.db.TrainingSession(ctx, id); err != nil {
		return v, err
	}
	all, err := s.db.SessionAttendances(ctx, id, 0)
	for _, a := range all {
		if actor.Can(qms.PermTrackRead, a.AgencyCode) {
			v.Attendees = append(v.Attendees, a)
		}
	}
	return v, err
}

// AttendanceInput records one person at a session.
type AttendanceInput struct {
	Agency        string             `json:"agency"`
	Name          string             `json:"name"`
	Email         string             `json:"email"` // links the record to an account
	Result        qms.TrainingResult `json:"result"`
	CertificateNo string             `json:"certificate_no"`
}

// AddAttendance records an attendee with the result: the coordinator for any agency, an
// agency's leader or ISO secretary for their own people.
func (s *Service) AddAttendance(ctx context.Context, actor *qms.Actor, sessionID int64, in AttendanceInput) (qms.Attendance, error) {
	code := qms.NormalizeCode(in.Agency)
	a := qms.Attendance{SessionID: sessionID, Name: in.Name, Result: in.Result, CertificateNo: in.CertificateNo}
	if err := requireTrainingEditor(actor); err != nil {
		return a, err
	}
	if err := a.Validate(); err != nil {
		return a, err
	}
	if code == "" {
		return a, fieldErr("agency", "err.required")
	}
	if !actor.Can(qms.PermProgrammeManage, "") {
		if err := actor.Require(qms.PermTrackEdit, code); err != nil {
			return a, err
		}
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.TrainingSession(ctx, sessionID); err != nil {
			return err
		}
		ag, err := tx.AgencyByCode(ctx, code)
		if qms.ErrorCode(err) == qms.ENotFound {
			return fieldErr("agency", "err.agency_not_found")
		} else if err != nil {
			return err
		}
		a.AgencyID, a.AgencyCode = ag.ID, ag.Code
		if email := strings.TrimSpace(in.Email); email != "" {
			u, err := tx.UserByEmail(ctx, qms.NormalizeEmail(email))
			if qms.ErrorCode(err) == qms.ENotFound {
				return fieldErr("email", "err.user_not_found")
			} else if err != nil {
				return err
			}
			a.UserID = u.ID
		}
		if err := tx.AddAttendance(ctx, &a, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, ag.ID, "training.attend", "training_session", sessionID, qms.Changes{"name": {New: a.Name},
			"result": {New: string(a.Result)}, "certificate": {New: a.CertificateNo}})
	})
	return a, err
}

// AgencyTraining is an agency's training records and its pool of internal auditors: the
// people who passed an internal auditor course.
type AgencyTraining struct {
	Agency   qms.Agency
	Records  []qms.Attendance
	Auditors []qms.Attendance
}

// TrainingOf returns an agency's training records and auditor pool.
func (s *Service) TrainingOf(ctx context.Context, actor *qms.Actor, agencyCode string) (AgencyTraining, error) {
	var out AgencyTraining
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackRead, code); err != nil {
		return out, err
	}
	var err error
	if out.Agency, err = s.db.AgencyByCode(ctx, code); err != nil {
		return out, err
	}
	if out.Records, err = s.db.AgencyAttendances(ctx, out.Agency.ID); err != nil {
		return out, err
	}
	seen := map[string]bool{}
	for _, r := range out.Records {
		key := strings.ToLower(r.Name)
		if r.Session.Course.Kind == qms.CourseInternalAuditor && r.Result == qms.ResultPassed && !seen[key] {
			seen[key] = true
			out.Auditors = append(out.Auditors, r)
		}
	}
	return out, nil
}

// MyTraining returns the actor's own training record.
func (s *Service) MyTraining(ctx context.Context, actor *qms.Actor) ([]qms.Attendance, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.UserAttendances(ctx, actor.UserID)
}
