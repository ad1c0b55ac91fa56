package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

func ncFilter(r *http.Request) store.NCFilter {
	q := r.URL.Query()
	return store.NCFilter{State: qms.NCState(q.Get("state")), Open: q.Get("open") == "1", Source: qms.NCSource(q.Get("source"))}
}

// nonconformities lists an agency's register of nonconformities.
func (w *Web) nonconformities(rw http.ResponseWriter, r *http.Request) {
	f := ncFilter(r)
	a, list, err := w.svc.NCs(r.Context(), actor(r), r.PathValue("code"), f)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	actions, err := w.svc.OpenActions(r.Context(), actor(r), a.Code)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "nc.title", a.Name), map[string]any{"Agency": a, "List": list, "Filter": f, "States": qms.NCStates,
		"Actions": actions, "Today": qms.DateOf(w.now().In(vnZone)),
		"Sources": qms.NCSources, "MayReport": actor(r).Can(qms.PermNCEdit, a.Code), "ExportQuery": exportQuery(r, "state", "open", "source")})
	w.render(rw, r, http.StatusOK, "nonconformities", p)
}

// nonconformitiesExport writes the register as CSV or XLSX.
func (w *Web) nonconformitiesExport(rw http.ResponseWriter, r *http.Request) {
	a, list, err := w.svc.NCs(r.Context(), actor(r), r.PathValue("code"), ncFilter(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "su-khong-phu-hop-"+a.Code, export.Table{
		Sheet:   i18n.T(lang, "nc.short"),
		Headers: []string{"nc.code", "nc.title_field", "nc.source", "nc.source_ref", "nc.clause", "nc.unit", "nc.severity", "nc.state", "nc.reported_at", "nc.root_cause", "nc.closed_at"},
		Rows: func(emit func([]string) error) error {
			for _, n := range list {
				closed := ""
				if !n.ClosedAt.IsZero() {
					closed = n.ClosedAt.In(vnZone).Format("2006-01-02")
				}
				if err := emit([]string{n.Code, n.Title, i18n.T(lang, "ncsource."+string(n.Source)), n.SourceRef, n.Clause, n.Unit, i18n.T(lang, "severity."+string(n.Severity)),
					i18n.T(lang, "ncstate."+string(n.State)), n.ReportedAt.In(vnZone).Format("2006-01-02"), n.RootCause, closed}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

var ncFields = []string{"title", "description", "source", "source_ref", "clause", "unit", "severity", "correction"}

func (w *Web) newNC(rw http.ResponseWriter, r *http.Request) {
	f := emptyForm()
	q := r.URL.Query()
	f.Values["source"], f.Values["source_ref"], f.Values["severity"] = q.Get("source"), q.Get("ref"), string(qms.SeverityMinor)
	if f.Values["source"] == "" {
		f.Values["source"] = string(qms.SourceSelf)
	}
	w.ncFormPage(rw, r, http.StatusOK, f)
}

func (w *Web) ncFormPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "nc.new"), map[string]any{"Agency": v.Agency, "Sources": qms.NCSources})
	p.Form = f
	w.render(rw, r, status, "nc_new", p)
}

// reportNC records a nonconformity from the form.
func (w *Web) reportNC(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, ncFields...)
	n, err := w.svc.ReportNC(r.Context(), actor(r), r.PathValue("code"), service.NCInput{Title: f.Values["title"], Description: f.Values["description"],
		Source: qms.NCSource(f.Values["source"]), SourceRef: f.Values["source_ref"], Clause: f.Values["clause"], Unit: f.Values["unit"],
		Severity: qms.Severity(f.Values["severity"]), Correction: f.Values["correction"]})
	w.afterForm(rw, r, f, err, func() string { return ncPath(n.AgencyCode, n.ID) }, func() {
		w.ncFormPage(rw, r, http.StatusBadRequest, f)
	})
}

func ncPath(code string, id int64) string {
	return "/agencies/" + url.PathEscape(code) + "/nonconformities/" + strconv.FormatInt(id, 10)
}

func (w *Web) nc(rw http.ResponseWriter, r *http.Request) { w.ncPage(rw, r, http.StatusOK, nil) }

func (w *Web) ncPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	v, err := w.svc.NC(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["root_cause"], f.Values["category"] = v.NC.RootCause, v.NC.Category
		for i, why := range v.NC.Whys {
			f.Values["why"+strconv.Itoa(i+1)] = why
		}
	}
	p := w.page(r, v.NC.Code+" — "+v.NC.Title, map[string]any{"V": v, "N": v.NC, "Types": qms.ActionTypes, "Categories": qms.CauseCategories,
		"Today": qms.DateOf(w.now().In(vnZone)), "Whys": []string{"1", "2", "3", "4", "5"}})
	p.Form = f
	w.render(rw, r, status, "nc", p)
}

// actOnNC handles the nonconformity page's forms: a move (event), a new action, an action
// implemented or checked.
func (w *Web) actOnNC(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	code := r.PathValue("code")
	f := newForm(r, "event", "root_cause", "category", "reason", "version", "why1", "why2", "why3", "why4", "why5",
		"type", "description", "owner", "due_on", "action", "evidence", "result", "note")
	actionID, _ := strconv.ParseInt(f.Values["action"], 10, 64)
	switch ev := f.Values["event"]; ev {
	case "add_action":
		var due qms.Date
		if s := f.Values["due_on"]; s != "" {
			if due, err = qms.ParseDate(s); err != nil {
				err = fieldErrOf("due_on", "err.date")
			}
		}
		if err == nil {
			_, err = w.svc.AddAction(r.Context(), actor(r), code, id, service.ActionInput{Type: qms.ActionType(f.Values["type"]), Description: f.Values["description"],
				Owner: f.Values["owner"], DueOn: due})
		}
	case "implement":
		_, err = w.svc.ImplementAction(r.Context(), actor(r), code, id, actionID, f.Values["evidence"])
	case "check":
		_, err = w.svc.CheckAction(r.Context(), actor(r), code, id, actionID, qms.ActionState(f.Values["result"]), f.Values["note"])
	default:
		version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
		var whys []string
		for i := 1; i <= 5; i++ {
			whys = append(whys, f.Values["why"+strconv.Itoa(i)])
		}
		_, err = w.svc.ActOnNC(r.Context(), actor(r), code, id, service.NCAction{Event: qms.NCEvent(ev), Whys: whys, RootCause: f.Values["root_cause"],
			Category: f.Values["category"], Reason: f.Values["reason"], Version: version})
	}
	w.afterForm(rw, r, f, err, func() string { return ncPath(qms.NormalizeCode(code), id) }, func() {
		w.ncPage(rw, r, http.StatusBadRequest, f)
	})
}
