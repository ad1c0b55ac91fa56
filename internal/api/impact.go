package api

import (
	"net/http"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

// legalDocs answers GET /api/v1/legal-documents: the register by number, filtered (q, status),
// a page at a time (limit, next).
func (h *Handlers) legalDocs(w http.ResponseWriter, r *http.Request) {
	limit, err := limitOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	after, err := decodeCursor(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	list, err := h.svc.LegalDocs(r.Context(), httpkit.ActorOf(r), store.LegalFilter{Query: q.Get("q"), Status: qms.ExternalStatus(q.Get("status")),
		After: after, Limit: limit + 1})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[qms.LegalDoc]{Items: []qms.LegalDoc{}}
	if len(list) > limit {
		list = list[:limit]
		page.Next = encodeCursor(qms.LegalKey(list[len(list)-1].Number))
	}
	page.Items = append(page.Items, list...)
	writeJSON(w, http.StatusOK, page)
}

type legalJSON struct {
	service.LegalView
	TasksOpened *int `json:"tasks_opened,omitempty"`
}

func (h *Handlers) legalDoc(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.LegalDoc(r.Context(), httpkit.ActorOf(r), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, legalJSON{LegalView: v})
}

// saveLegalDoc answers POST /api/v1/legal-documents and PUT /api/v1/legal-documents/{id} (the
// whole entry again); the answer says how many update tasks the change opened.
func (h *Handlers) saveLegalDoc(w http.ResponseWriter, r *http.Request) {
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r, "id"); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	var in service.LegalInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	l, opened, err := h.svc.SaveLegalDoc(r.Context(), httpkit.ActorOf(r), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.LegalDoc(r.Context(), httpkit.ActorOf(r), l.ID)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, legalJSON{LegalView: v, TasksOpened: &opened})
}

// updateTasks answers GET /api/v1/agencies/{code}/update-tasks (?state=open|closed).
func (h *Handlers) updateTasks(w http.ResponseWriter, r *http.Request) {
	_, list, err := h.svc.UpdateTasks(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), r.URL.Query().Get("state"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, Page[qms.UpdateTask]{Items: append([]qms.UpdateTask{}, list...)})
}

func (h *Handlers) updateTask(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.UpdateTask(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v.Task)
}

// listUpdated answers POST …/update-tasks/{id}/list-updated: the agency updated its list of
// procedures.
func (h *Handlers) listUpdated(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	t, err := h.svc.MarkListUpdated(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// closeUpdateTask answers POST …/update-tasks/{id}/close with {"justification": "…"}.
func (h *Handlers) closeUpdateTask(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = service.MayDecideChangeRequests(httpkit.ActorOf(r), r.PathValue("code")) // before reading the body
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Justification string `json:"justification"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	t, err := h.svc.CloseUpdateTask(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.Justification)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// overdueTasks answers GET /api/v1/update-tasks/overdue: every agency's open tasks past a
// window, for the province (limit, default 50).
func (h *Handlers) overdueTasks(w http.ResponseWriter, r *http.Request) {
	limit, err := limitOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list, err := h.svc.OverdueUpdateTasks(r.Context(), httpkit.ActorOf(r), limit)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, Page[qms.UpdateTask]{Items: append([]qms.UpdateTask{}, list...)})
}
