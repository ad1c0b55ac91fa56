package web

import (
	"net/http"
	"strconv"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

func (w *Web) training(rw http.ResponseWriter, r *http.Request) {
	w.trainingPage(rw, r, http.StatusOK, nil)
}

func (w *Web) trainingPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	courses, err := w.svc.Courses(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	sessions, err := w.svc.TrainingSessions(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	mine, err := w.svc.MyTraining(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["organiser"] = string(qms.OrganisedByDOST)
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "training.title"), map[string]any{"Courses": courses, "Sessions": sessions, "Mine": mine,
		"Kinds": qms.CourseKinds, "Organisers": []qms.Organiser{qms.OrganisedByDOST, qms.OrganisedByAgency, qms.OrganisedByConsultant}})
	p.Form = f
	w.render(rw, r, status, "training", p)
}

func (w *Web) createCourse(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "course_code", "title", "course_kind")
	_, err := w.svc.CreateCourse(r.Context(), actor(r), qms.Course{Code: f.Values["course_code"], Title: f.Values["title"], Kind: qms.CourseKind(f.Values["course_kind"])})
	if err != nil {
		if e, ok := err.(*qms.Error); ok { // the form's fields are prefixed: map code and kind
			for i := range e.Fields {
				if e.Fields[i].Field == "code" || e.Fields[i].Field == "kind" {
					e.Fields[i].Field = "course_" + e.Fields[i].Field
				}
			}
		}
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden {
			w.errorPage(rw, r, err)
			return
		}
		w.trainingPage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/training", "flash.saved")
}

func (w *Web) createSession(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "course", "organiser", "agency", "organiser_name", "starts_on", "ends_on", "place")
	in := service.SessionInput{Course: f.Values["course"], Organiser: qms.Organiser(f.Values["organiser"]), Agency: f.Values["agency"],
		OrganiserName: f.Values["organiser_name"], Place: f.Values["place"]}
	var v qms.Validation
	var err error
	if in.StartsOn, err = qms.ParseDate(f.Values["starts_on"]); err != nil {
		v.Add("starts_on", "err.date")
	}
	if in.EndsOn, err = qms.ParseDate(f.Values["ends_on"]); err != nil {
		v.Add("ends_on", "err.date")
	}
	err = v.Err()
	var ts qms.TrainingSession
	if err == nil {
		ts, err = w.svc.CreateTrainingSession(r.Context(), actor(r), in)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden {
			w.errorPage(rw, r, err)
			return
		}
		w.trainingPage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/training/sessions/"+strconv.FormatInt(ts.ID, 10), "flash.saved")
}

func (w *Web) trainingSession(rw http.ResponseWriter, r *http.Request) {
	w.sessionPage(rw, r, http.StatusOK, nil)
}

func (w *Web) sessionPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	v, err := w.svc.TrainingSession(r.Context(), actor(r), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["result"] = string(qms.ResultPassed)
		if s := httpkit.SessionOf(r); s != nil {
			f.Values["agency"] = s.AgencyCode
		}
	}
	p := w.page(r, v.Session.Course.Title, map[string]any{"V": v, "Results": []qms.TrainingResult{qms.ResultPassed, qms.ResultAttended, qms.ResultFailed}})
	p.Form = f
	w.render(rw, r, status, "training_session", p)
}

func (w *Web) addAttendance(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "agency", "name", "email", "result", "certificate_no")
	_, err = w.svc.AddAttendance(r.Context(), actor(r), id, service.AttendanceInput{Agency: f.Values["agency"], Name: f.Values["name"], Email: f.Values["email"],
		Result: qms.TrainingResult(f.Values["result"]), CertificateNo: f.Values["certificate_no"]})
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.sessionPage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/training/sessions/"+strconv.FormatInt(id, 10), "flash.saved")
}

func (w *Web) agencyTraining(rw http.ResponseWriter, r *http.Request) {
	t, err := w.svc.TrainingOf(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "training.of", t.Agency.Name), t)
	w.render(rw, r, http.StatusOK, "agency_training", p)
}
