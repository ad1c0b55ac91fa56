package web

import (
	"net/http"
	"strconv"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
)

var docTypeFields = []string{"code", "name_vi", "name_en", "code_pattern", "review_months", "retain_years", "approver",
	"comment_round", "self_approval", "external", "mandatory_2008"}

// docTypeForm fills a form from a document type, for editing it.
func docTypeForm(t qms.DocType) *form {
	f := emptyForm()
	b := func(v bool) string {
		if v {
			return "1"
		}
		return ""
	}
	f.Values = map[string]string{"code": t.Code, "name_vi": t.NameVI, "name_en": t.NameEN, "code_pattern": t.CodePattern,
		"review_months": strconv.Itoa(t.ReviewMonths), "retain_years": strconv.Itoa(t.RetainYears), "approver": string(t.Approver),
		"comment_round": b(t.CommentRound), "self_approval": b(t.SelfApproval), "external": b(t.External), "mandatory_2008": b(t.Mandatory2008)}
	return f
}

// docTypeInput reads a posted document type; numbers that are not numbers are field errors.
func docTypeInput(f *form) (qms.DocType, error) {
	var v qms.Validation
	num := func(field string) int {
		n, err := strconv.Atoi(f.Values[field])
		if err != nil {
			v.Add(field, "err."+field)
		}
		return n
	}
	t := qms.DocType{Code: f.Values["code"], NameVI: f.Values["name_vi"], NameEN: f.Values["name_en"], CodePattern: f.Values["code_pattern"],
		ReviewMonths: num("review_months"), RetainYears: num("retain_years"), Approver: qms.Role(f.Values["approver"]),
		CommentRound: f.Values["comment_round"] == "1", SelfApproval: f.Values["self_approval"] == "1",
		External: f.Values["external"] == "1", Mandatory2008: f.Values["mandatory_2008"] == "1"}
	return t, v.Err()
}

func (w *Web) docTypes(rw http.ResponseWriter, r *http.Request) {
	w.docTypesPage(rw, r, http.StatusOK, nil)
}

func (w *Web) docTypesPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	list, err := w.svc.DocTypes(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "doctype.title"), map[string]any{"Types": list})
	if f == nil {
		f = emptyForm()
		f.Values["approver"], f.Values["review_months"], f.Values["retain_years"] = string(qms.RoleLeader), "12", "5"
	}
	p.Form = f
	w.render(rw, r, status, "doctypes", p)
}

func (w *Web) createDocType(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, docTypeFields...)
	t, err := docTypeInput(f)
	if err == nil {
		_, err = w.svc.CreateDocType(r.Context(), actor(r), t)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) {
			w.fail(rw, r, err)
			return
		}
		status := http.StatusBadRequest
		if qms.ErrorCode(err) == qms.EConflict {
			status = http.StatusConflict
		}
		w.docTypesPage(rw, r, status, f)
		return
	}
	w.redirect(rw, r, "/document-types", "flash.saved")
}

func (w *Web) editDocType(rw http.ResponseWriter, r *http.Request) {
	t, err := w.svc.DocType(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "doctype.edit", t.NameVI), t)
	p.Form = docTypeForm(t)
	w.render(rw, r, http.StatusOK, "doctype_edit", p)
}

func (w *Web) saveDocType(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	code := r.PathValue("code")
	old, err := w.svc.DocType(r.Context(), actor(r), code)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	f := newForm(r, docTypeFields...)
	f.Values["code"] = old.Code
	t, err := docTypeInput(f)
	if err == nil {
		_, err = w.svc.UpdateDocType(r.Context(), actor(r), old.Code, t)
	}
	if err != nil {
		p := w.page(r, i18n.T(httpkit.LangOf(r), "doctype.edit", old.NameVI), old)
		p.Form = f
		w.formError(rw, r, "doctype_edit", p, err)
		return
	}
	w.redirect(rw, r, "/document-types", "flash.saved")
}

// clauses shows the clause trees of the ISO 9001 editions and the 2008 → 2015 correspondence.
func (w *Web) clauses(rw http.ResponseWriter, r *http.Request) {
	edition := r.URL.Query().Get("edition")
	if edition == "" {
		edition = "2015"
	}
	e, ok := qms.ClauseEditionFor(edition)
	if !ok {
		w.errorPage(rw, r, qms.Errorf(qms.ENotFound, "err.edition_not_found"))
		return
	}
	type row struct {
		qms.Clause
		To []string // 2008 clauses: their 2015 counterparts
	}
	var rows []row
	for _, c := range e.Clauses {
		rw := row{Clause: c}
		if e.Edition == "2008" {
			rw.To = qms.Clauses2015For(c.No)
		}
		rows = append(rows, rw)
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "clauses.title"), map[string]any{"Edition": e, "Rows": rows, "Editions": qms.ClauseEditions(), "Mandatory": qms.Mandatory2008()})
	w.render(rw, r, http.StatusOK, "clauses", p)
}
