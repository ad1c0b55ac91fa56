package web

import (
	"net/http"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// profilePage shows the actor's account, password form and API tokens; newToken is shown
// once, right after it is created, and never again.
func (w *Web) profilePage(rw http.ResponseWriter, r *http.Request, status int, f *form, newToken string) {
	a := actor(r)
	u, err := w.svc.User(r.Context(), a, a.UserID)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	tokens, err := w.svc.Tokens(r.Context(), a)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
	}
	if _, ok := f.Values["name"]; !ok {
		f.Values["name"], f.Values["lang"] = u.Name, u.Lang
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "profile.title"), map[string]any{"User": u, "Tokens": tokens, "NewToken": newToken})
	p.Form = f
	w.render(rw, r, status, "profile", p)
}

func (w *Web) profile(rw http.ResponseWriter, r *http.Request) {
	w.profilePage(rw, r, http.StatusOK, nil, "")
}

func (w *Web) updateProfile(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "name", "lang")
	u, err := w.svc.UpdateProfile(r.Context(), actor(r), f.Values["name"], f.Values["lang"])
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) {
			w.fail(rw, r, err)
			return
		}
		w.profilePage(rw, r, http.StatusBadRequest, f, "")
		return
	}
	w.stack.SetLang(rw, r, u.Lang)
	w.redirect(rw, r, "/profile", "flash.saved")
}

func (w *Web) changePassword(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	s := httpkit.SessionOf(r)
	keep := ""
	if s != nil {
		keep = s.ID
	}
	var err error
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		var v qms.Validation
		v.Add("confirm", "err.password_mismatch")
		err = v.Err()
	} else {
		err = w.svc.ChangePassword(r.Context(), actor(r), keep, r.PostFormValue("current"), r.PostFormValue("password"))
	}
	if err != nil {
		f := emptyForm()
		if !f.fail(httpkit.LangOf(r), err) {
			w.fail(rw, r, err)
			return
		}
		w.profilePage(rw, r, http.StatusBadRequest, f, "")
		return
	}
	w.redirect(rw, r, "/profile", "flash.password_changed")
}

func (w *Web) createToken(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "token_name", "expires")
	expires, err := qms.ParseDate(f.Values["expires"])
	if err != nil {
		var v qms.Validation
		v.Add("expires", "err.date")
		err = v.Err()
	} else {
		var nt service.NewToken
		if nt, err = w.svc.CreateToken(r.Context(), actor(r), f.Values["token_name"], expires); err == nil {
			w.profilePage(rw, r, http.StatusCreated, nil, nt.Secret)
			return
		}
	}
	if !f.fail(httpkit.LangOf(r), err) {
		w.fail(rw, r, err)
		return
	}
	// The token form's fields are named token_name and expires; map the service's "name".
	if msg, ok := f.Errors["name"]; ok {
		f.Errors["token_name"] = msg
		delete(f.Errors, "name")
	}
	w.profilePage(rw, r, http.StatusBadRequest, f, "")
}

func (w *Web) revokeToken(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = w.svc.RevokeToken(r.Context(), actor(r), id)
	}
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, "/profile#tokens", "flash.token_revoked")
}
