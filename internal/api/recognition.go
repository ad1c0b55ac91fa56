package api

import (
	"net/http"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
)

type surveillanceJSON struct {
	ID     int64    `json:"id"`
	DueOn  qms.Date `json:"due_on"`
	DoneOn qms.Date `json:"done_on"`
	Note   string   `json:"note,omitempty"`
}

type recognitionJSON struct {
	ID           int64                 `json:"id"`
	Kind         qms.RecognitionKind   `json:"kind"`
	Number       string                `json:"number"`
	Body         string                `json:"body,omitempty"`
	Edition      string                `json:"edition"`
	Scope        string                `json:"scope"`
	IssuedOn     qms.Date              `json:"issued_on"`
	ExpiresOn    qms.Date              `json:"expires_on"`
	NotifiedOn   qms.Date              `json:"notified_on"`
	Posted       string                `json:"posted,omitempty"`
	Status       qms.RecognitionStatus `json:"status"`
	ClosedOn     qms.Date              `json:"closed_on"`
	ClosedReason string                `json:"closed_reason,omitempty"`
	Surveillance []surveillanceJSON    `json:"surveillance"`
}

func recognitionOut(r qms.Recognition) recognitionJSON {
	out := recognitionJSON{r.ID, r.Kind, r.Number, r.Body, r.Edition, r.Scope, r.IssuedOn, r.ExpiresOn, r.NotifiedOn, r.Posted, r.Status,
		r.ClosedOn, r.ClosedReason, []surveillanceJSON{}}
	for _, s := range r.Surveillance {
		out.Surveillance = append(out.Surveillance, surveillanceJSON{s.ID, s.DueOn, s.DoneOn, s.Note})
	}
	return out
}

func (h *Handlers) recognitions(w http.ResponseWriter, r *http.Request) {
	_, list, err := h.svc.Recognitions(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[recognitionJSON]{Items: []recognitionJSON{}}
	for _, x := range list {
		page.Items = append(page.Items, recognitionOut(x))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) addRecognition(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Kind       qms.RecognitionKind `json:"kind"`
		Number     string              `json:"number"`
		Body       string              `json:"body"`
		Edition    string              `json:"edition"`
		Scope      string              `json:"scope"`
		IssuedOn   qms.Date            `json:"issued_on"`
		ExpiresOn  qms.Date            `json:"expires_on"`
		NotifiedOn qms.Date            `json:"notified_on"`
		Posted     string              `json:"posted"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	rec, err := h.svc.AddRecognition(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), qms.Recognition{Kind: in.Kind, Number: in.Number,
		Body: in.Body, Edition: in.Edition, Scope: in.Scope, IssuedOn: in.IssuedOn, ExpiresOn: in.ExpiresOn, NotifiedOn: in.NotifiedOn, Posted: in.Posted})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, recognitionOut(rec))
}

func (h *Handlers) completeSurveillance(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		DoneOn qms.Date `json:"done_on"`
		Note   string   `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.CompleteSurveillance(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.DoneOn, in.Note); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
