package api

import (
	"net/http"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
)

type organisationJSON struct {
	Code         string               `json:"code"`
	Name         string               `json:"name"`
	Kind         qms.OrganisationKind `json:"kind"`
	Licence      string               `json:"licence,omitempty"`
	Address      string               `json:"address,omitempty"`
	Consultants  int                  `json:"qualified_consultants"`
	Assessors    int                  `json:"assessors"`
	Understaffed bool                 `json:"understaffed"`
}

func organisationOut(o qms.Organisation) organisationJSON {
	return organisationJSON{o.Code, o.Name, o.Kind, o.Licence, o.Address, o.Consultants, o.Assessors, o.Understaffed()}
}

type expertJSON struct {
	Name          string         `json:"name"`
	Role          qms.ExpertRole `json:"role"`
	Qualification string         `json:"qualification,omitempty"`
	CertificateNo string         `json:"certificate_no,omitempty"`
}

type engagementJSON struct {
	ID           int64    `json:"id"`
	Agency       string   `json:"agency"`
	Organisation string   `json:"organisation"`
	ContractNo   string   `json:"contract_no"`
	SignedOn     qms.Date `json:"signed_on"`
	StartsOn     qms.Date `json:"starts_on"`
	EndsOn       qms.Date `json:"ends_on"`
	ValueVND     int64    `json:"value_vnd"`
	Scope        string   `json:"scope"`
}

func engagementOut(e qms.Engagement) engagementJSON {
	return engagementJSON{e.ID, e.AgencyCode, e.OrganisationCode, e.ContractNo, e.SignedOn, e.StartsOn, e.EndsOn, e.ValueVND, e.Scope}
}

func (h *Handlers) organisations(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Organisations(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[organisationJSON]{Items: []organisationJSON{}}
	for _, o := range list {
		page.Items = append(page.Items, organisationOut(o))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) createOrganisation(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Code    string               `json:"code"`
		Name    string               `json:"name"`
		Kind    qms.OrganisationKind `json:"kind"`
		Licence string               `json:"licence"`
		Address string               `json:"address"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	o, err := h.svc.CreateOrganisation(r.Context(), httpkit.ActorOf(r), qms.Organisation{Code: in.Code, Name: in.Name, Kind: in.Kind, Licence: in.Licence, Address: in.Address})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, organisationOut(o))
}

func (h *Handlers) organisation(w http.ResponseWriter, r *http.Request) {
	v, err := h.svc.Organisation(r.Context(), httpkit.ActorOf(r), r.PathValue("org"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	type inspection struct {
		InspectedOn qms.Date `json:"inspected_on"`
		Findings    string   `json:"findings"`
		Conclusion  string   `json:"conclusion"`
	}
	out := struct {
		organisationJSON
		Experts     []expertJSON     `json:"experts"`
		Engagements []engagementJSON `json:"engagements"`
		Inspections []inspection     `json:"inspections"`
	}{organisationOut(v.Organisation), []expertJSON{}, []engagementJSON{}, []inspection{}}
	for _, e := range v.Experts {
		out.Experts = append(out.Experts, expertJSON{e.Name, e.Role, e.Qualification, e.CertificateNo})
	}
	for _, e := range v.Engagements {
		out.Engagements = append(out.Engagements, engagementOut(e))
	}
	for _, i := range v.Inspections {
		out.Inspections = append(out.Inspections, inspection{i.InspectedOn, i.Findings, i.Conclusion})
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handlers) addExpert(w http.ResponseWriter, r *http.Request) {
	var in expertJSON
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	e, err := h.svc.AddExpert(r.Context(), httpkit.ActorOf(r), r.PathValue("org"), qms.Expert{Name: in.Name, Role: in.Role, Qualification: in.Qualification, CertificateNo: in.CertificateNo})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, expertJSON{e.Name, e.Role, e.Qualification, e.CertificateNo})
}

func (h *Handlers) inspectOrganisation(w http.ResponseWriter, r *http.Request) {
	var in struct {
		InspectedOn qms.Date `json:"inspected_on"`
		Findings    string   `json:"findings"`
		Conclusion  string   `json:"conclusion"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if _, err := h.svc.InspectOrganisation(r.Context(), httpkit.ActorOf(r), r.PathValue("org"), qms.OrganisationInspection{InspectedOn: in.InspectedOn,
		Findings: in.Findings, Conclusion: in.Conclusion}); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (h *Handlers) engagements(w http.ResponseWriter, r *http.Request) {
	_, list, err := h.svc.Engagements(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[engagementJSON]{Items: []engagementJSON{}}
	for _, e := range list {
		page.Items = append(page.Items, engagementOut(e))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) addEngagement(w http.ResponseWriter, r *http.Request) {
	var in engagementJSON
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	e, err := h.svc.AddEngagement(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), qms.Engagement{OrganisationCode: in.Organisation, ContractNo: in.ContractNo,
		SignedOn: in.SignedOn, StartsOn: in.StartsOn, EndsOn: in.EndsOn, ValueVND: in.ValueVND, Scope: in.Scope})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, engagementOut(e))
}
