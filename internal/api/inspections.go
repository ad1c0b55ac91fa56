package api

import (
	"net/http"
	"strconv"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

type inspectionJSON struct {
	ID            int64               `json:"id"`
	Code          string              `json:"code"`
	Year          int                 `json:"year"`
	Agency        string              `json:"agency"`
	Form          qms.InspectionForm  `json:"form"`
	Month         int                 `json:"month"`
	Team          string              `json:"team,omitempty"`
	Partner       string              `json:"partner,omitempty"`
	Budget        int64               `json:"budget"` // VND
	State         qms.InspectionState `json:"state"`
	DecisionNo    string              `json:"decision_no,omitempty"`
	DecisionOn    *qms.Date           `json:"decision_on,omitempty"`
	Members       string              `json:"members,omitempty"`
	Checklist     []qms.CheckItem     `json:"checklist"`
	Conclusion    string              `json:"conclusion,omitempty"`
	DoneOn        *qms.Date           `json:"done_on,omitempty"`
	CorrectiveDue *qms.Date           `json:"corrective_due,omitempty"`
	Corrective    string              `json:"corrective,omitempty"`
	Version       int64               `json:"version"`
}

func optDate(d qms.Date) *qms.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

func inspectionOut(x qms.Inspection) inspectionJSON {
	out := inspectionJSON{ID: x.ID, Code: x.Code, Year: x.Year, Agency: x.AgencyCode, Form: x.Form, Month: x.Month, Team: x.Team, Partner: x.Partner,
		Budget: x.Budget, State: x.State, DecisionNo: x.DecisionNo,
		DecisionOn: optDate(x.DecisionOn), Members: x.Members, Checklist: x.Checklist, Conclusion: x.Conclusion, DoneOn: optDate(x.DoneOn),
		CorrectiveDue: optDate(x.CorrectiveDue), Corrective: x.Corrective, Version: x.Version}
	if out.Checklist == nil {
		out.Checklist = []qms.CheckItem{}
	}
	return out
}

func planOut(v service.PlanView) map[string]any {
	items := []inspectionJSON{}
	for _, x := range v.Items {
		items = append(items, inspectionOut(x))
	}
	return map[string]any{"year": v.Year, "state": v.Plan.State, "decision_no": v.Plan.DecisionNo, "approved_on": optDate(v.Plan.ApprovedOn), "on_site": v.OnSite, "items": items}
}

// plan answers GET /api/v1/inspection-plans/{year}.
func (h *Handlers) plan(w http.ResponseWriter, r *http.Request) {
	year, err := pathYear(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.InspectionPlan(r.Context(), httpkit.ActorOf(r), year)
	h.respond(w, r, http.StatusOK, planOut(v), err)
}

// savePlan answers PUT /api/v1/inspection-plans/{year} {"items": [{agency, form, month, team, budget}]}.
func (h *Handlers) savePlan(w http.ResponseWriter, r *http.Request) {
	year, err := pathYear(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Items []qms.PlanItem `json:"items"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.SavePlan(r.Context(), httpkit.ActorOf(r), year, in.Items)
	h.respond(w, r, http.StatusOK, planOut(v), err)
}

// approvePlan answers POST /api/v1/inspection-plans/{year}/approve {"decision_no", "approved_on"}.
func (h *Handlers) approvePlan(w http.ResponseWriter, r *http.Request) {
	year, err := pathYear(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		DecisionNo string   `json:"decision_no"`
		ApprovedOn qms.Date `json:"approved_on"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.ApprovePlan(r.Context(), httpkit.ActorOf(r), year, in.DecisionNo, in.ApprovedOn); err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.InspectionPlan(r.Context(), httpkit.ActorOf(r), year)
	h.respond(w, r, http.StatusOK, planOut(v), err)
}

// inspection answers GET /api/v1/inspections/{id}.
func (h *Handlers) inspection(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Inspection(r.Context(), httpkit.ActorOf(r), id)
	h.respond(w, r, http.StatusOK, inspectionOut(v.Inspection), err)
}

// inspectionStep answers POST /api/v1/inspections/{id}/{step}: decide, minutes, corrective.
func (h *Handlers) inspectionStep(w http.ResponseWriter, r *http.Request) {
	var in service.InspectionStep
	id, err := idAndBody(r, &in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var x qms.Inspection
	switch r.PathValue("step") {
	case "decide":
		x, err = h.svc.DecideInspection(r.Context(), httpkit.ActorOf(r), id, in)
	case "minutes":
		x, err = h.svc.RecordInspection(r.Context(), httpkit.ActorOf(r), id, in)
	case "corrective":
		x, err = h.svc.ReportCorrective(r.Context(), httpkit.ActorOf(r), id, in)
	default:
		err = qms.Errorf(qms.ENotFound, "err.not_found")
	}
	h.respond(w, r, http.StatusOK, inspectionOut(x), err)
}

// planPDF answers GET /api/v1/inspection-plans/{year}/pdf with the plan as Form 19.
func (h *Handlers) planPDF(w http.ResponseWriter, r *http.Request) {
	year, _ := strconv.Atoi(r.PathValue("year")) // the service refuses a year out of range
	b, err := h.svc.PlanPDF(r.Context(), httpkit.ActorOf(r), year)
	h.sendPDF(w, r, b, err)
}

// inspectionPDF answers GET /api/v1/inspections/{id}/pdf/{form} with the decision (Form 20) or
// the minutes (Form 21).
func (h *Handlers) inspectionPDF(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	b, err := h.svc.InspectionPDF(r.Context(), httpkit.ActorOf(r), id, r.PathValue("form"))
	h.sendPDF(w, r, b, err)
}
