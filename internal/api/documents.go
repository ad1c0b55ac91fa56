package api

import (
	"net/http"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
)

func (h *Handlers) docTypes(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.DocTypes(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, Page[qms.DocType]{Items: append([]qms.DocType{}, list...)})
}

func (h *Handlers) createDocType(w http.ResponseWriter, r *http.Request) {
	var in qms.DocType
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	t, err := h.svc.CreateDocType(r.Context(), httpkit.ActorOf(r), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

// updateDocType changes the fields the body names; the others keep their values.
func (h *Handlers) updateDocType(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.DocType(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	code := t.Code
	if err := decode(r, &t); err != nil {
		h.writeError(w, r, err)
		return
	}
	if t, err = h.svc.UpdateDocType(r.Context(), httpkit.ActorOf(r), code, t); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

type clauseJSON struct {
	No     string   `json:"no"`
	VI     string   `json:"vi"`
	EN     string   `json:"en"`
	Depth  int      `json:"depth"`
	To2015 []string `json:"to_2015,omitempty"`
}

func (h *Handlers) clauses(w http.ResponseWriter, r *http.Request) {
	e, ok := qms.ClauseEditionFor(r.PathValue("edition"))
	if !ok {
		h.writeError(w, r, qms.Errorf(qms.ENotFound, "err.edition_not_found"))
		return
	}
	out := struct {
		Edition   string                   `json:"edition"`
		Covers    []string                 `json:"covers"`
		Clauses   []clauseJSON             `json:"clauses"`
		Mandatory []qms.MandatoryProcedure `json:"mandatory_procedures,omitempty"`
	}{Edition: e.Edition, Covers: e.Covers, Clauses: []clauseJSON{}}
	for _, c := range e.Clauses {
		cj := clauseJSON{No: c.No, VI: c.VI, EN: c.EN, Depth: c.Depth()}
		if e.Edition == "2008" {
			cj.To2015 = qms.Clauses2015For(c.No)
		}
		out.Clauses = append(out.Clauses, cj)
	}
	if e.Edition == "2008" {
		out.Mandatory = qms.Mandatory2008()
	}
	writeJSON(w, http.StatusOK, out)
}
