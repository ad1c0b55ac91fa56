package web

import (
	"net/http"
	"strconv"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
)

func (w *Web) recognitions(rw http.ResponseWriter, r *http.Request) {
	w.recognitionsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) recognitionsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	a, list, err := w.svc.Recognitions(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["kind"], f.Values["edition"] = string(qms.Announcement), "TCVN ISO 9001:2015"
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "recognition.of", a.Name), map[string]any{"Agency": a, "List": list})
	p.Form = f
	w.render(rw, r, status, "recognitions", p)
}

func (w *Web) addRecognition(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "kind", "number", "body", "edition", "scope", "issued_on", "expires_on", "notified_on", "posted")
	rec := qms.Recognition{Kind: qms.RecognitionKind(f.Values["kind"]), Number: f.Values["number"], Body: f.Values["body"], Edition: f.Values["edition"],
		Scope: f.Values["scope"], Posted: f.Values["posted"]}
	var v qms.Validation
	for field, dst := range map[string]*qms.Date{"issued_on": &rec.IssuedOn, "expires_on": &rec.ExpiresOn, "notified_on": &rec.NotifiedOn} {
		d, err := qms.ParseDate(f.Values[field])
		if err != nil {
			v.Add(field, "err.date")
		}
		*dst = d
	}
	err := v.Err()
	if err == nil {
		_, err = w.svc.AddRecognition(r.Context(), actor(r), r.PathValue("code"), rec)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) != qms.EInvalid {
			w.errorPage(rw, r, err)
			return
		}
		w.recognitionsPage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"/recognitions", "flash.recognition_added")
}

func (w *Web) completeSurveillance(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	on, err := qms.ParseDate(r.PostFormValue("done_on"))
	if err == nil {
		err = w.svc.CompleteSurveillance(r.Context(), actor(r), r.PathValue("code"), id, on, r.PostFormValue("note"))
	} else {
		err = qms.Errorf(qms.EInvalid, "err.date")
	}
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"/recognitions#s"+strconv.FormatInt(id, 10), "flash.saved")
}
