package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

// legalPage is how many register entries a page shows.
const legalPage = 50

var legalStatuses = []qms.ExternalStatus{qms.ExtInForce, qms.ExtAmended, qms.ExtRepealed}

func legalFilter(r *http.Request) store.LegalFilter {
	q := r.URL.Query()
	return store.LegalFilter{Query: strings.TrimSpace(q.Get("q")), Status: qms.ExternalStatus(q.Get("status")), After: q.Get("after")}
}

// legalDocs lists the register of legal documents, with a form for a new entry for the
// coordinator.
func (w *Web) legalDocs(rw http.ResponseWriter, r *http.Request) {
	w.legalDocsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) legalDocsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	lf := legalFilter(r)
	lf.Limit = legalPage + 1
	list, err := w.svc.LegalDocs(r.Context(), actor(r), lf)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	data := map[string]any{"Filter": lf, "Statuses": legalStatuses, "ExportQuery": exportQuery(r, "q", "status"),
		"CanManage": actor(r).Can(qms.PermProgrammeManage, "")}
	if len(list) > legalPage {
		list = list[:legalPage]
		v := url.Values{}
		for _, k := range []string{"q", "status"} {
			if s := r.URL.Query().Get(k); s != "" {
				v.Set(k, s)
			}
		}
		v.Set("after", qms.LegalKey(list[len(list)-1].Number))
		data["Next"] = template.URL(v.Encode())
	}
	data["List"] = list
	if f == nil {
		f = emptyForm()
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "legal.title"), data)
	p.Form = f
	w.render(rw, r, status, "legal", p)
}

// legalExport writes the (filtered) register as CSV or XLSX.
func (w *Web) legalExport(rw http.ResponseWriter, r *http.Request) {
	list, err := w.svc.LegalDocs(r.Context(), actor(r), legalFilter(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "van-ban-phap-luat", export.Table{
		Sheet:   i18n.T(lang, "legal.title"),
		Headers: []string{"legal.number", "legal.doc_title", "legal.issuer", "legal.signed_on", "legal.effective_on", "legal.status", "legal.changed_on", "legal.changed_by"},
		Rows: func(emit func([]string) error) error {
			for _, l := range list {
				if err := emit([]string{l.Number, l.Title, l.Issuer, dateCell(l.SignedOn), dateCell(l.EffectiveOn), i18n.T(lang, "extstatus."+string(l.Status)),
					dateCell(l.ChangedOn), l.ChangedBy}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

func dateCell(d qms.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

var legalFields = []string{"number", "title", "issuer", "signed_on", "effective_on", "status", "changed_on", "changed_by"}

// legalInput reads the register form; a malformed date is an error on its field.
func legalInput(f *form) (service.LegalInput, error) {
	var v qms.Validation
	in := service.LegalInput{Number: f.Values["number"], Title: f.Values["title"], Issuer: f.Values["issuer"], Status: qms.ExternalStatus(f.Values["status"]),
		ChangedBy: f.Values["changed_by"]}
	for field, d := range map[string]*qms.Date{"signed_on": &in.SignedOn, "effective_on": &in.EffectiveOn, "changed_on": &in.ChangedOn} {
		if s := f.Values[field]; s != "" {
			var err error
			if *d, err = qms.ParseDate(s); err != nil {
				v.Add(field, "err.date")
			}
		}
	}
	return in, v.Err()
}

// saveLegalDoc adds an entry (POST /legal) or changes one (POST /legal/{id}).
func (w *Web) saveLegalDoc(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r, "id"); err != nil {
			w.errorPage(rw, r, err)
			return
		}
	}
	f := newForm(r, legalFields...)
	in, err := legalInput(f)
	if err == nil {
		var l qms.LegalDoc
		var opened int
		if l, opened, err = w.svc.SaveLegalDoc(r.Context(), actor(r), id, in); err == nil {
			flash := "flash.saved"
			if opened > 0 {
				flash = "flash.tasks_opened"
			}
			w.redirect(rw, r, "/legal/"+strconv.FormatInt(l.ID, 10), flash)
			return
		}
	}
	if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden {
		w.errorPage(rw, r, err)
		return
	}
	status := http.StatusBadRequest
	if qms.ErrorCode(err) == qms.EConflict {
		status = http.StatusConflict
	}
	if id == 0 {
		w.legalDocsPage(rw, r, status, f)
		return
	}
	w.legalDocPage(rw, r, status, id, f)
}

func (w *Web) legalDoc(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.legalDocPage(rw, r, http.StatusOK, id, nil)
}

func (w *Web) legalDocPage(rw http.ResponseWriter, r *http.Request, status int, id int64, f *form) {
	v, err := w.svc.LegalDoc(r.Context(), actor(r), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		l := v.Doc
		f.Values["number"], f.Values["title"], f.Values["issuer"], f.Values["status"], f.Values["changed_by"] = l.Number, l.Title, l.Issuer, string(l.Status), l.ChangedBy
		f.Values["signed_on"], f.Values["effective_on"], f.Values["changed_on"] = dateCell(l.SignedOn), dateCell(l.EffectiveOn), dateCell(l.ChangedOn)
	}
	p := w.page(r, v.Doc.Number+" — "+v.Doc.Title, map[string]any{"V": v, "Statuses": legalStatuses, "Today": qms.DateOf(w.now())})
	p.Form = f
	w.render(rw, r, status, "legal_doc", p)
}

// updateTasks lists an agency's update tasks (open ones first), filtered by state.
func (w *Web) updateTasks(rw http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get("state")
	a, list, err := w.svc.UpdateTasks(r.Context(), actor(r), r.PathValue("code"), state)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	p := w.page(r, i18n.T(lang, "task.title", a.Name), map[string]any{"Agency": a, "List": list, "State": state, "Today": qms.DateOf(w.now()),
		"ExportQuery": exportQuery(r, "state")})
	w.render(rw, r, http.StatusOK, "update_tasks", p)
}

// updateTasksExport writes an agency's update tasks as CSV or XLSX.
func (w *Web) updateTasksExport(rw http.ResponseWriter, r *http.Request) {
	a, list, err := w.svc.UpdateTasks(r.Context(), actor(r), r.PathValue("code"), r.URL.Query().Get("state"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "nhiem-vu-cap-nhat-"+a.Code, export.Table{
		Sheet: i18n.T(lang, "task.short"),
		Headers: []string{"task.cause", "task.subject", "task.change", "task.decision", "task.changed_on", "task.list_due", "task.list_done", "task.due",
			"task.documents", "task.pending", "task.state"},
		Rows: func(emit func([]string) error) error {
			for _, t := range list {
				subject := t.ProcedureCode + " " + t.ProcedureName
				if t.Cause == qms.CauseLegal {
					subject = t.LegalNumber + " " + t.LegalTitle
				}
				var docs []string
				for _, it := range t.Items {
					docs = append(docs, it.DocumentCode)
				}
				if err := emit([]string{i18n.T(lang, "taskcause."+string(t.Cause)), subject, i18n.T(lang, "taskchange."+t.Change), t.Decision,
					dateCell(t.ChangedOn), dateCell(t.ListDueOn), dateCell(t.ListDoneOn), dateCell(t.DueOn), strings.Join(docs, ", "), strconv.Itoa(t.Pending()),
					i18n.T(lang, "taskstate."+t.State)}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

func (w *Web) updateTask(rw http.ResponseWriter, r *http.Request) {
	w.updateTaskPage(rw, r, http.StatusOK, nil)
}

func (w *Web) updateTaskPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	v, err := w.svc.UpdateTask(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
	}
	lang := httpkit.LangOf(r)
	title := i18n.T(lang, "task.of_procedure", v.Task.ProcedureCode)
	if v.Task.Cause == qms.CauseLegal {
		title = i18n.T(lang, "task.of_legal", v.Task.LegalNumber)
	}
	p := w.page(r, title, map[string]any{"V": v, "Today": qms.DateOf(w.now())})
	p.Form = f
	w.render(rw, r, status, "update_task", p)
}

// taskListUpdated records that the agency updated its list of procedures.
func (w *Web) taskListUpdated(rw http.ResponseWriter, r *http.Request) {
	w.taskAction(rw, r, nil, func(code string, id int64) error {
		_, err := w.svc.MarkListUpdated(r.Context(), actor(r), code, id)
		return err
	})
}

// closeUpdateTask closes a task with a justification.
func (w *Web) closeUpdateTask(rw http.ResponseWriter, r *http.Request) {
	var f *form
	w.taskAction(rw, r, &f, func(code string, id int64) error {
		f = newForm(r, "justification")
		_, err := w.svc.CloseUpdateTask(r.Context(), actor(r), code, id, f.Values["justification"])
		return err
	})
}

// taskAction runs a change on an update task and returns to the task's page; a person's
// mistake shows on the page beside the form *f (nil: no form, the error page).
func (w *Web) taskAction(rw http.ResponseWriter, r *http.Request, f **form, act func(code string, id int64) error) {
	if !w.parseForm(rw, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	code := r.PathValue("code")
	if err := act(code, id); err != nil {
		if f == nil || !(*f).fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden {
			w.errorPage(rw, r, err)
			return
		}
		w.updateTaskPage(rw, r, http.StatusBadRequest, *f)
		return
	}
	w.redirect(rw, r, "/agencies/"+url.PathEscape(qms.NormalizeCode(code))+"/update-tasks/"+strconv.FormatInt(id, 10), "flash.saved")
}

// openTasks returns an agency's open update tasks when the actor may read its documents (nil
// otherwise), for the agency's dashboards.
func (w *Web) openTasks(r *http.Request, code string) ([]qms.UpdateTask, error) {
	if code == "" || !actor(r).Can(qms.PermDocRead, qms.NormalizeCode(code)) {
		return nil, nil
	}
	_, list, err := w.svc.UpdateTasks(r.Context(), actor(r), code, qms.TaskOpen)
	return list, err
}
