package api

import (
	"net/http"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

type courseJSON struct {
	Code  string         `json:"code"`
	Title string         `json:"title"`
	Kind  qms.CourseKind `json:"kind"`
}

type sessionJSON struct {
	ID            int64         `json:"id"`
	Course        courseJSON    `json:"course"`
	Organiser     qms.Organiser `json:"organiser"`
	Agency        string        `json:"agency,omitempty"`
	OrganiserName string        `json:"organiser_name,omitempty"`
	StartsOn      qms.Date      `json:"starts_on"`
	EndsOn        qms.Date      `json:"ends_on"`
	Place         string        `json:"place,omitempty"`
	Attendees     int           `json:"attendees"`
}

func sessionOut(s qms.TrainingSession) sessionJSON {
	return sessionJSON{s.ID, courseJSON{s.Course.Code, s.Course.Title, s.Course.Kind}, s.Organiser, s.AgencyCode, s.OrganiserName, s.StartsOn, s.EndsOn, s.Place, s.Attendees}
}

type attendanceJSON struct {
	ID            int64              `json:"id"`
	Agency        string             `json:"agency"`
	Session       int64              `json:"session"`
	Course        string             `json:"course"`
	Name          string             `json:"name"`
	UserID        int64              `json:"user_id,omitempty"`
	Result        qms.TrainingResult `json:"result"`
	CertificateNo string             `json:"certificate_no,omitempty"`
}

func attendanceOut(a qms.Attendance) attendanceJSON {
	return attendanceJSON{a.ID, a.AgencyCode, a.SessionID, a.Session.Course.Code, a.Name, a.UserID, a.Result, a.CertificateNo}
}

func (h *Handlers) courses(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Courses(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[courseJSON]{Items: []courseJSON{}}
	for _, c := range list {
		page.Items = append(page.Items, courseJSON{c.Code, c.Title, c.Kind})
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) createCourse(w http.ResponseWriter, r *http.Request) {
	var in courseJSON
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.CreateCourse(r.Context(), httpkit.ActorOf(r), qms.Course{Code: in.Code, Title: in.Title, Kind: in.Kind})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, courseJSON{c.Code, c.Title, c.Kind})
}

func (h *Handlers) trainingSessions(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.TrainingSessions(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[sessionJSON]{Items: []sessionJSON{}}
	for _, s := range list {
		page.Items = append(page.Items, sessionOut(s))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) createTrainingSession(w http.ResponseWriter, r *http.Request) {
	var in service.SessionInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	s, err := h.svc.CreateTrainingSession(r.Context(), httpkit.ActorOf(r), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sessionOut(s))
}

func (h *Handlers) trainingSession(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.TrainingSession(r.Context(), httpkit.ActorOf(r), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := struct {
		sessionJSON
		AttendeeList []attendanceJSON `json:"attendee_list"`
	}{sessionJSON: sessionOut(v.Session), AttendeeList: []attendanceJSON{}}
	for _, a := range v.Attendees {
		out.AttendeeList = append(out.AttendeeList, attendanceOut(a))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handlers) addAttendance(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in service.AttendanceInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	a, err := h.svc.AddAttendance(r.Context(), httpkit.ActorOf(r), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, attendanceOut(a))
}

func (h *Handlers) agencyTraining(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.TrainingOf(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := struct {
		Records  []attendanceJSON `json:"records"`
		Auditors []attendanceJSON `json:"auditors"`
	}{[]attendanceJSON{}, []attendanceJSON{}}
	for _, a := range t.Records {
		out.Records = append(out.Records, attendanceOut(a))
	}
	for _, a := range t.Auditors {
		out.Auditors = append(out.Auditors, attendanceOut(a))
	}
	writeJSON(w, http.StatusOK, out)
}
