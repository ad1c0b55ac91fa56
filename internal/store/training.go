package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

// Courses returns the catalogue by code.
func (q Q) Courses(ctx context.Context) ([]qms.Course, error) {
	rows, err := q.query(ctx, "SELECT id, code, title, kind FROM courses ORDER BY code")
	return scanAll(rows, err, func(r *sql.Rows) (qms.Course, error) {
		var c qms.Course
		return c, r.Scan(&c.ID, &c.Code, &c.Title, &c.Kind)
	})
}

// CreateCourse inserts c.
func (q Q) CreateCourse(ctx context.Context, c *qms.Course, now time.Time) error {
	id, err := q.insert(ctx, "INSERT INTO courses (code, title, kind, created_at) VALUES (?, ?, ?, ?)", c.Code, c.Title, c.Kind, micros(now))
	if err != nil {
		return conflict(err, "err.course_code_taken")
	}
	c.ID = id
	return nil
}

// CourseByCode returns one course.
func (q Q) CourseByCode(ctx context.Context, code string) (qms.Course, error) {
	var c qms.Course
	err := q.row(ctx, "SELECT id, code, title, kind FROM courses WHERE code = ?", code).Scan(&c.ID, &c.Code, &c.Title, &c.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return c, qms.Errorf(qms.ENotFound, "err.course_not_found")
	}
	return c, err
}

const sessionColumns = `s.id, c.id, c.code, c.title, c.kind, s.organiser, COALESCE(s.agency_id, 0), COALESCE(a.code, ''), s.organiser_name,
	s.starts_on, s.ends_on, s.place, (SELECT COUNT(*) FROM attendees t WHERE t.session_id = s.id)`

const sessionFrom = ` FROM training_sessions s JOIN courses c ON c.id = s.course_id LEFT JOIN agencies a ON a.id = s.agency_id`

func scanSession(r interface{ Scan(...any) error }) (qms.TrainingSession, error) {
	var s qms.TrainingSession
	var from, to string
	err := r.Scan(&s.ID, &s.Course.ID, &s.Course.Code, &s.Course.Title, &s.Course.Kind, &s.Organiser, &s.AgencyID, &s.AgencyCode, &s.OrganiserName,
		&from, &to, &s.Place, &s.Attendees)
	s.StartsOn, _ = qms.ParseDate(from)
	s.EndsOn, _ = qms.ParseDate(to)
	return s, err
}

// TrainingSessions returns sessions, newest first, up to limit.
func (q Q) TrainingSessions(ctx context.Context, limit int) ([]qms.TrainingSession, error) {
	rows, err := q.query(ctx, "SELECT "+sessionColumns+sessionFrom+" ORDER BY s.starts_on DESC, s.id DESC LIMIT ?", limit)
	return scanAll(rows, err, func(r *sql.Rows) (qms.TrainingSession, error) { return scanSession(r) })
}

// TrainingSession returns one session.
func (q Q) TrainingSession(ctx context.Context, id int64) (qms.TrainingSession, error) {
	s, err := scanSession(q.row(ctx, "SELECT "+sessionColumns+sessionFrom+" WHERE s.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, qms.Errorf(qms.ENotFound, "err.session_not_found")
	}
	return s, err
}

// CreateTrainingSession inserts s.
func (q Q) CreateTrainingSession(ctx context.Context, s *qms.TrainingSession, now time.Time, by int64) error {
	id, err := q.insert(ctx, `INSERT INTO training_sessions (course_id, organiser, agency_id, organiser_name, starts_on, ends_on, place, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.Course.ID, s.Organiser, nullID(s.AgencyID), s.OrganiserName, s.StartsOn.String(), s.EndsOn.String(), s.Place, micros(now), by)
	s.ID = id
	return err
}

// AddAttendance inserts a.
func (q Q) AddAttendance(ctx context.Context, a *qms.Attendance, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO attendees (agency_id, session_id, user_id, name, result, certificate_no, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.AgencyID, a.SessionID, nullID(a.UserID), a.Name, a.Result, a.CertificateNo, micros(now))
	a.ID = id
	return err
}

const attendanceColumns = `t.id, t.agency_id, g.code, t.session_id, COALESCE(t.user_id, 0), t.name, t.result, t.certificate_no, ` + sessionColumns

const attendanceFrom = ` FROM attendees t JOIN agencies g ON g.id = t.agency_id JOIN training_sessions s ON s.id = t.session_id
	JOIN courses c ON c.id = s.course_id LEFT JOIN agencies a ON a.id = s.agency_id`

func (q Q) attendances(ctx context.Context, where string, args ...any) ([]qms.Attendance, error) {
	rows, err := q.query(ctx, "SELECT "+attendanceColumns+attendanceFrom+" WHERE "+where+" ORDER BY s.starts_on DESC, t.name", args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Attendance, error) {
		var a qms.Attendance
		var from, to string
		s := &a.Session
		err := r.Scan(&a.ID, &a.AgencyID, &a.AgencyCode, &a.SessionID, &a.UserID, &a.Name, &a.Result, &a.CertificateNo,
			&s.ID, &s.Course.ID, &s.Course.Code, &s.Course.Title, &s.Course.Kind, &s.Organiser, &s.AgencyID, &s.AgencyCode, &s.OrganiserName,
			&from, &to, &s.Place, &s.Attendees)
		s.StartsOn, _ = qms.ParseDate(from)
		s.EndsOn, _ = qms.ParseDate(to)
		return a, err
	})
}

// SessionAttendances returns a session's attendees, optionally of one agency only.
func (q Q) SessionAttendances(ctx context.Context, sessionID, agencyID int64) ([]qms.Attendance, error) {
	if agencyID != 0 {
		return q.attendances(ctx, "t.agency_id = ? AND t.session_id = ?", agencyID, sessionID)
	}
	return q.attendances(ctx, "t.session_id = ?", sessionID)
}

// AgencyAttendances returns every training record of an agency's people.
func (q Q) AgencyAttendances(ctx context.Context, agencyID int64) ([]qms.Attendance, error) {
	return q.attendances(ctx, "t.agency_id = ?", agencyID)
}

// UserAttendances returns one account's training record.
func (q Q) UserAttendances(ctx context.Context, userID int64) ([]qms.Attendance, error) {
	return q.attendances(ctx, "t.user_id = ?", userID)
}
