package api

import (
	"net/http"
	"time"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// myNotifications answers GET /api/v1/me/notifications.
func (h *Handlers) myNotifications(w http.ResponseWriter, r *http.Request) {
	list, unread, err := h.svc.Inbox(r.Context(), httpkit.ActorOf(r))
	type item struct {
		ID        int64          `json:"id"`
		Kind      qms.NotifyKind `json:"kind"`
		Title     string         `json:"title"`
		Link      string         `json:"link"`
		CreatedAt time.Time      `json:"created_at"`
		Read      bool           `json:"read"`
	}
	out := struct {
		Unread int    `json:"unread"`
		Items  []item `json:"items"`
	}{Unread: unread, Items: []item{}}
	for _, n := range list {
		out.Items = append(out.Items, item{n.ID, n.Kind, n.Title, n.Link, n.CreatedAt, !n.ReadAt.IsZero()})
	}
	h.respond(w, r, http.StatusOK, out, err)
}

// markRead answers POST /api/v1/me/notifications/read {"id"} (0 or none: all).
func (h *Handlers) markRead(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ID int64 `json:"id"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	err := h.svc.MarkRead(r.Context(), httpkit.ActorOf(r), in.ID)
	h.respond(w, r, http.StatusOK, map[string]any{"read": in.ID}, err)
}

type prefsJSON struct {
	EmailOff []qms.NotifyKind `json:"email_off"`
	Digest   bool             `json:"digest"`
}

// myPrefs answers GET /api/v1/me/notification-prefs.
func (h *Handlers) myPrefs(w http.ResponseWriter, r *http.Request) {
	p, err := h.svc.Prefs(r.Context(), httpkit.ActorOf(r))
	if p.EmailOff == nil {
		p.EmailOff = []qms.NotifyKind{}
	}
	h.respond(w, r, http.StatusOK, prefsJSON{p.EmailOff, p.Digest}, err)
}

// setPrefs answers PUT /api/v1/me/notification-prefs.
func (h *Handlers) setPrefs(w http.ResponseWriter, r *http.Request) {
	var in prefsJSON
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	err := h.svc.SetPrefs(r.Context(), httpkit.ActorOf(r), store.Prefs{EmailOff: in.EmailOff, Digest: in.Digest})
	h.respond(w, r, http.StatusOK, in, err)
}

// mailJobs answers GET /api/v1/mail-jobs?state= (administrators).
func (h *Handlers) mailJobs(w http.ResponseWriter, r *http.Request) {
	list, counts, err := h.svc.MailQueue(r.Context(), httpkit.ActorOf(r), r.URL.Query().Get("state"))
	type job struct {
		ID        int64      `json:"id"`
		Recipient string     `json:"recipient"`
		Subject   string     `json:"subject"`
		State     string     `json:"state"`
		Attempts  int        `json:"attempts"`
		NextAt    time.Time  `json:"next_at"`
		LastError string     `json:"last_error,omitempty"`
		SentAt    *time.Time `json:"sent_at,omitempty"`
	}
	out := struct {
		Counts map[string]int `json:"counts"`
		Items  []job          `json:"items"`
	}{Counts: counts, Items: []job{}}
	for _, j := range list {
		out.Items = append(out.Items, job{j.ID, j.Recipient, j.Subject, j.State, j.Attempts, j.NextAt, j.LastError, optTime(j.SentAt)})
	}
	h.respond(w, r, http.StatusOK, out, err)
}

// retryMail answers POST /api/v1/mail-jobs/{id}/retry.
func (h *Handlers) retryMail(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	err = h.svc.RetryMail(r.Context(), httpkit.ActorOf(r), id)
	h.respond(w, r, http.StatusOK, map[string]any{"id": id, "state": qms.JobQueued}, err)
}
