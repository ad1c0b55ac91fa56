package api

import (
	"net/http"
	"time"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

type actionJSON struct {
	ID          int64           `json:"id"`
	Type        qms.ActionType  `json:"type"`
	Description string          `json:"description"`
	Owner       string          `json:"owner"`
	DueOn       qms.Date        `json:"due_on"`
	State       qms.ActionState `json:"state"`
	Evidence    string          `json:"evidence,omitempty"`
	DoneAt      *time.Time      `json:"done_at,omitempty"`
	CheckOn     *qms.Date       `json:"check_on,omitempty"`
	CheckedBy   string          `json:"checked_by,omitempty"`
	CheckNote   string          `json:"check_note,omitempty"`
}

type ncJSON struct {
	ID          int64        `json:"id"`
	Code        string       `json:"code"`
	Agency      string       `json:"agency"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Source      qms.NCSource `json:"source"`
	SourceRef   string       `json:"source_ref,omitempty"`
	Clause      string       `json:"clause,omitempty"`
	Unit        string       `json:"unit,omitempty"`
	Severity    qms.Severity `json:"severity"`
	State       qms.NCState  `json:"state"`
	Correction  string       `json:"correction,omitempty"`
	Whys        []string     `json:"whys"`
	RootCause   string       `json:"root_cause,omitempty"`
	Category    string       `json:"category,omitempty"`
	Reason      string       `json:"reason,omitempty"`
	ReportedAt  time.Time    `json:"reported_at"`
	ClosedAt    *time.Time   `json:"closed_at,omitempty"`
	Version     int64        `json:"version"`
	Actions     []actionJSON `json:"actions"`
	Events      []string     `json:"events,omitempty"`
}

func ncOut(n qms.Nonconformity) ncJSON {
	out := ncJSON{ID: n.ID, Code: n.Code, Agency: n.AgencyCode, Title: n.Title, Description: n.Description, Source: n.Source, SourceRef: n.SourceRef,
		Clause: n.Clause, Unit: n.Unit, Severity: n.Severity, State: n.State, Correction: n.Correction, Whys: append([]string{}, n.Whys...),
		RootCause: n.RootCause, Category: n.Category, Reason: n.Reason, ReportedAt: n.ReportedAt, Version: n.Version, Actions: []actionJSON{}}
	if !n.ClosedAt.IsZero() {
		x := n.ClosedAt
		out.ClosedAt = &x
	}
	for _, a := range n.Actions {
		out.Actions = append(out.Actions, actionOut(a))
	}
	return out
}

func actionOut(a qms.Action) actionJSON {
	out := actionJSON{ID: a.ID, Type: a.Type, Description: a.Description, Owner: a.OwnerName, DueOn: a.DueOn, State: a.State, Evidence: a.Evidence,
		CheckedBy: a.CheckedByName, CheckNote: a.CheckNote}
	if !a.DoneAt.IsZero() {
		x := a.DoneAt
		out.DoneAt = &x
	}
	if !a.CheckOn.IsZero() {
		x := a.CheckOn
		out.CheckOn = &x
	}
	return out
}

// nonconformities answers GET /api/v1/agencies/{code}/nonconformities (state, open, source).
func (h *Handlers) nonconformities(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	_, list, err := h.svc.NCs(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), store.NCFilter{State: qms.NCState(q.Get("state")), Open: q.Get("open") == "true",
		Source: qms.NCSource(q.Get("source"))})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[ncJSON]{Items: []ncJSON{}}
	for _, n := range list {
		page.Items = append(page.Items, ncOut(n))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) reportNC(w http.ResponseWriter, r *http.Request) {
	var in service.NCInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	n, err := h.svc.ReportNC(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ncOut(n))
}

func (h *Handlers) nc(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.NC(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := ncOut(v.NC)
	for _, e := range v.Events {
		out.Events = append(out.Events, string(e))
	}
	writeJSON(w, http.StatusOK, out)
}

// actOnNC answers POST …/nonconformities/{id}/{event} (analyse, plan with whys, root_cause
// and category, start, verify, close, reopen, cancel with a reason).
func (h *Handlers) actOnNC(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in service.NCAction
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	in.Event = qms.NCEvent(r.PathValue("event"))
	n, err := h.svc.ActOnNC(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ncOut(n))
}

func (h *Handlers) addAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in service.ActionInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	a, err := h.svc.AddAction(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, actionOut(a))
}

// actionStep answers POST …/nonconformities/{id}/actions/{action}/{step}: implement {"evidence"}
// or check {"result", "note"} an action of that nonconformity.
func (h *Handlers) actionStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	var actionID int64
	if err == nil {
		actionID, err = pathID(r, "action")
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.stepAction(w, r, id, actionID)
}

// stepAction implements or checks an action ({step}); ncID, when not 0, is the nonconformity it
// must belong to.
func (h *Handlers) stepAction(w http.ResponseWriter, r *http.Request, ncID, actionID int64) {
	var in struct {
		Evidence string          `json:"evidence"`
		Result   qms.ActionState `json:"result"`
		Note     string          `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	var a qms.Action
	var err error
	switch r.PathValue("step") {
	case "implement":
		a, err = h.svc.ImplementAction(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), ncID, actionID, in.Evidence)
	case "check":
		a, err = h.svc.CheckAction(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), ncID, actionID, in.Result, in.Note)
	default:
		err = qms.Errorf(qms.ENotFound, "err.not_found")
	}
	h.respond(w, r, http.StatusOK, actionOut(a), err)
}
