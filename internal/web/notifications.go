package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// The inbox with its preferences, and the e-mail queue for administrators.

func (w *Web) inbox(rw http.ResponseWriter, r *http.Request) {
	list, unread, err := w.svc.Inbox(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	prefs, err := w.svc.Prefs(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	off := map[string]bool{}
	for _, k := range prefs.EmailOff {
		off[string(k)] = true
	}
	w.render(rw, r, http.StatusOK, "notifications", w.page(r, i18n.T(httpkit.LangOf(r), "notif.title"), map[string]any{"List": list, "Unread": unread,
		"Kinds": qms.NotifyKinds, "Off": off, "Digest": prefs.Digest}))
}

// actOnInbox marks notifications read or saves the preferences.
func (w *Web) actOnInbox(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	var err error
	switch r.PostFormValue("event") {
	case "prefs":
		p := store.Prefs{Digest: r.PostFormValue("digest") == "1"}
		for _, k := range qms.NotifyKinds {
			if r.PostFormValue("email_"+string(k)) != "1" {
				p.EmailOff = append(p.EmailOff, k)
			}
		}
		err = w.svc.SetPrefs(r.Context(), actor(r), p)
	default:
		id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		err = w.svc.MarkRead(r.Context(), actor(r), id)
		if to := r.PostFormValue("go"); err == nil && to != "" && to[0] == '/' && (len(to) == 1 || (to[1] != '/' && to[1] != '\\')) {
			http.Redirect(rw, r, to, http.StatusSeeOther)
			return
		}
	}
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, "/inbox", "flash.saved")
}

// mailQueue shows the e-mail queue to administrators: counts by state, the messages, a retry
// button on the failed ones.
func (w *Web) mailQueue(rw http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get("state")
	if !slices.Contains([]string{"", qms.JobQueued, qms.JobSent, qms.JobFailed}, state) {
		state = ""
	}
	list, counts, err := w.svc.MailQueue(r.Context(), actor(r), state)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "mail_queue", w.page(r, i18n.T(httpkit.LangOf(r), "mail.title"), map[string]any{"List": list, "Counts": counts, "State": state}))
}

func (w *Web) retryMail(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err := w.svc.RetryMail(r.Context(), actor(r), id); err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, "/admin/mail?state=failed", "flash.saved")
}
