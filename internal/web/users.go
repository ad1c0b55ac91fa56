package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

const usersPageSize = 50

// userFilter reads the users list's search and agency filter.
func (w *Web) userFilter(r *http.Request) (store.UserFilter, error) {
	f := store.UserFilter{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if code := qms.NormalizeCode(r.URL.Query().Get("agency")); code != "" {
		v, err := w.svc.Agency(r.Context(), actor(r), code)
		if err != nil {
			return f, err
		}
		f.AgencyID = v.Agency.ID
	}
	return f, nil
}

func (w *Web) users(rw http.ResponseWriter, r *http.Request) {
	f, err := w.userFilter(r)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	f.AfterID, f.Limit = after, usersPageSize+1
	list, err := w.svc.Users(r.Context(), actor(r), f)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	next := ""
	if len(list) > usersPageSize {
		list = list[:usersPageSize]
		next = strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "users.title"), map[string]any{"Users": list, "Query": f.Query,
		"Agency": r.URL.Query().Get("agency"), "Next": next, "First": after != 0})
	w.render(rw, r, http.StatusOK, "users", p)
}

func (w *Web) newUser(rw http.ResponseWriter, r *http.Request) {
	p := w.page(r, i18n.T(httpkit.LangOf(r), "user.new"), nil)
	p.Form = emptyForm()
	p.Form.Values["lang"] = "vi"
	w.render(rw, r, http.StatusOK, "user_new", p)
}

func (w *Web) createUser(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "email", "name", "lang", "roles")
	in := service.UserInput{Email: f.Values["email"], Name: f.Values["name"], Lang: f.Values["lang"], Password: r.PostFormValue("password"),
		Roles: strings.Fields(strings.ReplaceAll(f.Values["roles"], ",", " "))}
	u, err := w.svc.CreateUser(r.Context(), actor(r), in)
	if err != nil {
		p := w.page(r, i18n.T(httpkit.LangOf(r), "user.new"), nil)
		p.Form = f
		w.formError(rw, r, "user_new", p, err)
		return
	}
	w.redirect(rw, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), "flash.user_created")
}

func (w *Web) userPage(r *http.Request, u qms.User, f *form) *page {
	p := w.page(r, u.Name, map[string]any{"User": u})
	if f == nil {
		f = emptyForm()
		f.Values = map[string]string{"name": u.Name, "lang": u.Lang, "role": string(qms.RoleStaff)}
		if u.Disabled {
			f.Values["disabled"] = "1"
		}
	}
	p.Form = f
	return p
}

func (w *Web) loadUser(rw http.ResponseWriter, r *http.Request) (qms.User, bool) {
	id, err := pathID(r, "id")
	if err == nil {
		var u qms.User
		if u, err = w.svc.User(r.Context(), actor(r), id); err == nil {
			return u, true
		}
	}
	w.errorPage(rw, r, err)
	return qms.User{}, false
}

func (w *Web) user(rw http.ResponseWriter, r *http.Request) {
	u, ok := w.loadUser(rw, r)
	if !ok {
		return
	}
	w.render(rw, r, http.StatusOK, "user", w.userPage(r, u, nil))
}

func (w *Web) updateUser(rw http.ResponseWriter, r *http.Request) {
	u, ok := w.loadUser(rw, r)
	if !ok || !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "name", "lang", "disabled")
	if _, err := w.svc.UpdateUser(r.Context(), actor(r), u.ID, service.UserUpdate{Name: f.Values["name"], Lang: f.Values["lang"], Disabled: f.Values["disabled"] == "1"}); err != nil {
		w.formError(rw, r, "user", w.userPage(r, u, f), err)
		return
	}
	w.redirect(rw, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), "flash.saved")
}

func (w *Web) resetPassword(rw http.ResponseWriter, r *http.Request) {
	u, ok := w.loadUser(rw, r)
	if !ok || !w.parseForm(rw, r) {
		return
	}
	if err := w.svc.ResetPassword(r.Context(), actor(r), u.ID, r.PostFormValue("password")); err != nil {
		w.formError(rw, r, "user", w.userPage(r, u, nil), err)
		return
	}
	w.redirect(rw, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), "flash.password_reset")
}

func (w *Web) grantRole(rw http.ResponseWriter, r *http.Request) {
	u, ok := w.loadUser(rw, r)
	if !ok || !w.parseForm(rw, r) {
		return
	}
	role := r.PostFormValue("role")
	if code := qms.NormalizeCode(r.PostFormValue("agency")); code != "" && !qms.Role(role).ProvinceWide() {
		role += "@" + code
	}
	if _, err := w.svc.GrantRole(r.Context(), actor(r), u.ID, role); err != nil {
		f := emptyForm()
		f.Values = map[string]string{"name": u.Name, "lang": u.Lang, "role": r.PostFormValue("role"), "agency": r.PostFormValue("agency")}
		w.formError(rw, r, "user", w.userPage(r, u, f), err)
		return
	}
	w.redirect(rw, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), "flash.role_granted")
}

func (w *Web) revokeRole(rw http.ResponseWriter, r *http.Request) {
	u, ok := w.loadUser(rw, r)
	if !ok {
		return
	}
	gid, err := pathID(r, "grant")
	if err == nil {
		err = w.svc.RevokeRole(r.Context(), actor(r), u.ID, gid)
	}
	if err != nil {
		w.formError(rw, r, "user", w.userPage(r, u, nil), err)
		return
	}
	w.redirect(rw, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), "flash.role_revoked")
}
