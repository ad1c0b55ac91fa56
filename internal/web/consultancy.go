package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
)

func (w *Web) organisations(rw http.ResponseWriter, r *http.Request) {
	w.organisationsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) organisationsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	list, err := w.svc.Organisations(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["kind"] = string(qms.Consultancy)
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "org.title"), map[string]any{"List": list, "Min": qms.MinConsultants})
	p.Form = f
	w.render(rw, r, status, "organisations", p)
}

func (w *Web) createOrganisation(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "code", "name", "kind", "licence", "address")
	o, err := w.svc.CreateOrganisation(r.Context(), actor(r), qms.Organisation{Code: f.Values["code"], Name: f.Values["name"], Kind: qms.OrganisationKind(f.Values["kind"]),
		Licence: f.Values["licence"], Address: f.Values["address"]})
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden {
			w.errorPage(rw, r, err)
			return
		}
		w.organisationsPage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/organisations/"+o.Code, "flash.saved")
}

func (w *Web) organisation(rw http.ResponseWriter, r *http.Request) {
	w.organisationPage(rw, r, http.StatusOK, nil)
}

func (w *Web) organisationPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	v, err := w.svc.Organisation(r.Context(), actor(r), r.PathValue("org"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["role"] = string(qms.ExpertConsultant)
	}
	p := w.page(r, v.Organisation.Name, map[string]any{"V": v, "Min": qms.MinConsultants})
	p.Form = f
	w.render(rw, r, status, "organisation", p)
}

func (w *Web) addExpert(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "name", "role", "qualification", "certificate_no")
	_, err := w.svc.AddExpert(r.Context(), actor(r), r.PathValue("org"), qms.Expert{Name: f.Values["name"], Role: qms.ExpertRole(f.Values["role"]),
		Qualification: f.Values["qualification"], CertificateNo: f.Values["certificate_no"]})
	w.afterOrganisationForm(rw, r, f, err)
}

func (w *Web) inspectOrganisation(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "inspected_on", "findings", "conclusion")
	on, err := qms.ParseDate(f.Values["inspected_on"])
	if err != nil {
		err = fieldErrOf("inspected_on", "err.date")
	} else {
		_, err = w.svc.InspectOrganisation(r.Context(), actor(r), r.PathValue("org"), qms.OrganisationInspection{InspectedOn: on, Findings: f.Values["findings"], Conclusion: f.Values["conclusion"]})
	}
	w.afterOrganisationForm(rw, r, f, err)
}

func (w *Web) afterOrganisationForm(rw http.ResponseWriter, r *http.Request, f *form, err error) {
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.organisationPage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/organisations/"+qms.NormalizeCode(r.PathValue("org")), "flash.saved")
}

func (w *Web) engagements(rw http.ResponseWriter, r *http.Request) {
	w.engagementsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) engagementsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	a, list, err := w.svc.Engagements(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	orgs, err := w.svc.Organisations(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "engagement.of", a.Name), map[string]any{"Agency": a, "List": list, "Orgs": orgs})
	p.Form = f
	w.render(rw, r, status, "engagements", p)
}

func (w *Web) addEngagement(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "organisation", "contract_no", "signed_on", "starts_on", "ends_on", "value_vnd", "scope")
	e := qms.Engagement{OrganisationCode: f.Values["organisation"], ContractNo: f.Values["contract_no"], Scope: f.Values["scope"]}
	var v qms.Validation
	for field, dst := range map[string]*qms.Date{"signed_on": &e.SignedOn, "starts_on": &e.StartsOn, "ends_on": &e.EndsOn} {
		d, err := qms.ParseDate(f.Values[field])
		if err != nil {
			v.Add(field, "err.date")
		}
		*dst = d
	}
	value, err := strconv.ParseInt(strings.NewReplacer(".", "", ",", "", " ", "").Replace(f.Values["value_vnd"]), 10, 64)
	if err != nil {
		v.Add("value_vnd", "err.money")
	}
	e.ValueVND = value
	err = v.Err()
	if err == nil {
		_, err = w.svc.AddEngagement(r.Context(), actor(r), r.PathValue("code"), e)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.engagementsPage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"/engagements", "flash.saved")
}
