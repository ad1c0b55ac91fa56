package web

import (
	"net/http"
	"strings"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
)

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (w *Web) loginPage(r *http.Request, f *form) *page {
	p := w.page(r, i18n.T(httpkit.LangOf(r), "login.title"), map[string]any{"Next": safeNext(r.FormValue("next")), "DemoAccounts": w.opts.DemoHelp})
	p.Form = f
	return p
}

func (w *Web) loginForm(rw http.ResponseWriter, r *http.Request) {
	if actor(r) != nil {
		http.Redirect(rw, r, "/", http.StatusSeeOther)
		return
	}
	w.render(rw, r, http.StatusOK, "login", w.loginPage(r, emptyForm()))
}

func (w *Web) login(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "email")
	res, err := w.svc.SignIn(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), w.stack.ClientIP(r), r.UserAgent())
	if err != nil {
		w.formError(rw, r, "login", w.loginPage(r, f), err)
		return
	}
	w.stack.SetSession(rw, r, res.Secret)
	w.redirect(rw, r, safeNext(r.PostFormValue("next")), "flash.signed_in")
}

func (w *Web) logout(rw http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(httpkit.SessionCookie); err == nil {
		if err := w.svc.SignOut(r.Context(), c.Value); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	w.stack.ClearSession(rw, r)
	w.redirect(rw, r, "/login", "flash.signed_out")
}

// setLang switches the language: for a signed-in user it is saved in their profile, for a
// visitor in a cookie.
func (w *Web) setLang(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	lang := r.PostFormValue("lang")
	if !qms.ValidLang(lang) {
		w.errorPage(rw, r, qms.Errorf(qms.EInvalid, "err.lang"))
		return
	}
	if a := actor(r); a != nil {
		if _, err := w.svc.UpdateProfile(r.Context(), a, a.Name, lang); err != nil {
			w.errorPage(rw, r, err)
			return
		}
	}
	w.stack.SetLang(rw, r, lang)
	w.redirect(rw, r, safeNext(r.PostFormValue("next")), "")
}

func (w *Web) switchAgency(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	s := httpkit.SessionOf(r)
	if s == nil {
		w.errorPage(rw, r, qms.Errorf(qms.EForbidden, "err.forbidden"))
		return
	}
	code := qms.NormalizeCode(r.PostFormValue("agency"))
	if err := w.svc.SwitchAgency(r.Context(), actor(r), s.ID, code); err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if code == "" {
		w.redirect(rw, r, "/", "")
		return
	}
	w.redirect(rw, r, "/agencies/"+code, "flash.agency_switched")
}

func (w *Web) home(rw http.ResponseWriter, r *http.Request) {
	a := actor(r)
	agency := ""
	if s := httpkit.SessionOf(r); s != nil {
		agency = s.AgencyCode
	}
	counts, err := w.svc.Counts(r.Context(), a, agency)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	type roleCount struct {
		Role  qms.Role
		Count int
	}
	var roles []roleCount
	for _, role := range qms.Roles {
		if n := counts.RolesByName[role]; n > 0 {
			roles = append(roles, roleCount{role, n})
		}
	}
	reads, err := w.svc.MyPendingReads(r.Context(), a, 20)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	tasks, err := w.openTasks(r, agency)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	due, err := w.svc.DueSoon(r.Context(), a, agency, 50)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	mine, err := w.svc.MyActions(r.Context(), a)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	audits, err := w.svc.UpcomingAudits(r.Context(), a)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "home.title"), map[string]any{"Counts": counts, "RoleCounts": roles, "Reads": reads, "Tasks": tasks, "DueSoon": due, "Actions": mine,
		"Audits": audits, "Today": qms.DateOf(w.now())})
	w.render(rw, r, http.StatusOK, "home", p)
}
