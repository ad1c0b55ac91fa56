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

// procedurePage is how many procedures a page of the catalogue shows.
const procedurePage = 50

// procedureQuery reads the catalogue's filters from the query string; the agency comes from the
// path on an agency's list.
func procedureQuery(r *http.Request) service.ProcedureQuery {
	q := r.URL.Query()
	pq := service.ProcedureQuery{ProcedureFilter: store.ProcedureFilter{Query: strings.TrimSpace(q.Get("q")), Field: q.Get("field"),
		Level: qms.ProcLevel(q.Get("level")), Status: qms.ProcStatus(q.Get("status")), After: q.Get("after")}, Agency: q.Get("agency")}
	if code := r.PathValue("code"); code != "" {
		pq.Agency = code
	}
	return pq
}

// procedures lists the province's catalogue, or one agency's procedures (Form 2), with
// filters and keyset paging.
func (w *Web) procedures(rw http.ResponseWriter, r *http.Request) {
	q := procedureQuery(r)
	q.Limit = procedurePage + 1
	list, err := w.svc.Procedures(r.Context(), actor(r), q)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	fields, err := w.svc.ProcedureFields(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	data := map[string]any{"Filter": q, "Fields": fields, "Levels": qms.ProcLevels, "Statuses": qms.ProcStatuses,
		"ExportQuery": exportQuery(r, "q", "field", "level", "status", "agency"), "Base": r.URL.Path,
		"CanManage": actor(r).Can(qms.PermProgrammeManage, "")}
	if len(list) > procedurePage {
		list = list[:procedurePage]
		v := url.Values{}
		for _, k := range []string{"q", "field", "level", "status", "agency"} {
			if s := r.URL.Query().Get(k); s != "" {
				v.Set(k, s)
			}
		}
		v.Set("after", list[len(list)-1].Code)
		data["Next"] = template.URL(v.Encode())
	}
	data["List"] = list
	title := i18n.T(lang, "proc.title")
	if q.Agency != "" {
		a, err := w.svc.Agency(r.Context(), actor(r), q.Agency)
		if err != nil {
			w.errorPage(rw, r, err)
			return
		}
		data["Agency"] = a.Agency
		title = i18n.T(lang, "proc.agency_title", a.Agency.Name)
	}
	p := w.page(r, title, data)
	w.render(rw, r, http.StatusOK, "procedures", p)
}

// proceduresExport writes the (filtered) catalogue or an agency's list as CSV or XLSX.
func (w *Web) proceduresExport(rw http.ResponseWriter, r *http.Request) {
	q := procedureQuery(r)
	list, err := w.svc.Procedures(r.Context(), actor(r), q)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	name := "thu-tuc-hanh-chinh"
	if q.Agency != "" {
		name += "-" + qms.NormalizeCode(q.Agency)
	}
	_, labels := service.ProcedureTemplate()
	w.sendTable(rw, r, name, export.Table{
		Sheet:   i18n.T(lang, "proc.title"),
		Headers: labels, // the import template: an exported list reads back as it is
		Rows: func(emit func([]string) error) error {
			for _, p := range list {
				anywhere, eff := "", ""
				if p.Anywhere {
					anywhere = i18n.T(lang, "yes")
				}
				if !p.EffectiveOn.IsZero() {
					eff = p.EffectiveOn.String()
				}
				if err := emit([]string{p.Code, p.Name, p.Field, i18n.T(lang, "level."+string(p.Level)), strings.Join(p.Agencies, ", "), strconv.Itoa(p.TimeLimitDays),
					p.Fees, p.Components, p.Result, i18n.T(lang, "online."+string(p.Online)), anywhere, i18n.T(lang, "procstatus."+string(p.Status)), eff,
					p.Decision, p.LegalBases}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

var procedureFields = []string{"code", "name", "field", "level", "agencies", "time_limit_days", "fees", "components", "result", "online", "anywhere",
	"status", "effective_on", "decision", "legal_bases"}

func procedureForm(p qms.Procedure) *form {
	f := emptyForm()
	f.Values["code"], f.Values["name"], f.Values["field"], f.Values["level"] = p.Code, p.Name, p.Field, string(p.Level)
	f.Values["agencies"], f.Values["time_limit_days"], f.Values["fees"] = strings.Join(p.Agencies, ", "), strconv.Itoa(p.TimeLimitDays), p.Fees
	f.Values["components"], f.Values["result"], f.Values["online"], f.Values["status"] = p.Components, p.Result, string(p.Online), string(p.Status)
	f.Values["decision"], f.Values["legal_bases"] = p.Decision, p.LegalBases
	if p.Anywhere {
		f.Values["anywhere"] = "1"
	}
	if !p.EffectiveOn.IsZero() {
		f.Values["effective_on"] = p.EffectiveOn.String()
	}
	return f
}

// procedureInput reads the procedure form; a malformed number or date is an error on its field.
func procedureInput(f *form) (service.ProcedureInput, error) {
	var v qms.Validation
	in := service.ProcedureInput{Code: f.Values["code"], Name: f.Values["name"], Field: f.Values["field"], Level: qms.ProcLevel(f.Values["level"]),
		Fees: f.Values["fees"], Components: f.Values["components"], Result: f.Values["result"], Online: qms.OnlineLevel(f.Values["online"]),
		Anywhere: f.Values["anywhere"] == "1", Status: qms.ProcStatus(f.Values["status"]), Decision: f.Values["decision"], LegalBases: f.Values["legal_bases"]}
	in.Agencies = qms.SplitList(f.Values["agencies"])
	n, err := strconv.Atoi(f.Values["time_limit_days"])
	if err != nil {
		v.Add("time_limit_days", "err.proc_limit", qms.MaxTimeLimitDays)
	}
	in.TimeLimitDays = n
	if s := f.Values["effective_on"]; s != "" {
		if in.EffectiveOn, err = qms.ParseDate(s); err != nil {
			v.Add("effective_on", "err.date")
		}
	}
	return in, v.Err()
}

func (w *Web) newProcedure(rw http.ResponseWriter, r *http.Request) {
	f := emptyForm()
	f.Values["level"], f.Values["online"], f.Values["status"] = string(qms.LevelProvince), string(qms.OnlineNone), string(qms.ProcInForce)
	w.procedureFormPage(rw, r, http.StatusOK, nil, f)
}

func (w *Web) procedure(rw http.ResponseWriter, r *http.Request) {
	p, err := w.svc.Procedure(r.Context(), actor(r), r.PathValue("proc"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.procedureFormPage(rw, r, http.StatusOK, &p, procedureForm(p))
}

func (w *Web) procedureFormPage(rw http.ResponseWriter, r *http.Request, status int, p *qms.Procedure, f *form) {
	lang := httpkit.LangOf(r)
	title := i18n.T(lang, "proc.new")
	if p != nil {
		title = p.Code + " — " + p.Name
	}
	fields, err := w.svc.ProcedureFields(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	data := map[string]any{"Proc": p, "Fields": fields, "Levels": qms.ProcLevels, "Onlines": qms.OnlineLevels, "Statuses": qms.ProcStatuses,
		"CanEdit": actor(r).Can(qms.PermProgrammeManage, ""), "Today": qms.DateOf(w.now())}
	if p != nil {
		if data["Legal"], err = w.svc.ProcedureLegalBases(r.Context(), actor(r), *p); err == nil {
			data["Tasks"], err = w.svc.ProcedureTasks(r.Context(), actor(r), *p)
		}
		if err != nil {
			w.errorPage(rw, r, err)
			return
		}
	}
	pg := w.page(r, title, data)
	pg.Form = f
	w.render(rw, r, status, "procedure", pg)
}

func (w *Web) saveProcedure(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	code := r.PathValue("proc")
	f := newForm(r, procedureFields...)
	var old *qms.Procedure
	if code != "" {
		p, err := w.svc.Procedure(r.Context(), actor(r), code)
		if err != nil {
			w.errorPage(rw, r, err)
			return
		}
		old = &p
	}
	in, err := procedureInput(f)
	if err == nil {
		var p qms.Procedure
		if p, err = w.svc.SaveProcedure(r.Context(), actor(r), code, in); err == nil {
			w.redirect(rw, r, "/procedures/"+url.PathEscape(p.Code), "flash.saved")
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
	w.procedureFormPage(rw, r, status, old, f)
}

// importForm shows the catalogue import: the template's columns and the upload form.
func (w *Web) importForm(rw http.ResponseWriter, r *http.Request) {
	w.importPage(rw, r, http.StatusOK, nil, emptyForm())
}

func (w *Web) importPage(rw http.ResponseWriter, r *http.Request, status int, rep *service.ImportReport, f *form) {
	lang := httpkit.LangOf(r)
	keys, labels := service.ProcedureTemplate()
	w.renderImport(rw, r, status, importView{Title: i18n.T(lang, "import.title"), Action: "/procedures/import", BackURL: "/procedures",
		BackLabel: i18n.T(lang, "proc.title"), TemplateURL: "/procedures/export?format=xlsx", Keys: keys, Labels: labels, Report: rep}, f)
}

// importView is what the import page shows: where the file goes, where to go back, the
// template's columns (keys and label message keys) and the last report.
type importView struct {
	Title, Action, BackURL, BackLabel, TemplateURL, Hint string
	Keys, Labels                                         []string
	Report                                               *service.ImportReport
}

func (w *Web) renderImport(rw http.ResponseWriter, r *http.Request, status int, v importView, f *form) {
	lang := httpkit.LangOf(r)
	type col struct{ Key, Label string }
	var cols []col
	for i := range v.Keys {
		cols = append(cols, col{v.Keys[i], i18n.T(lang, v.Labels[i])})
	}
	p := w.page(r, v.Title, map[string]any{"Columns": cols, "Report": v.Report, "Action": v.Action, "BackURL": v.BackURL, "BackLabel": v.BackLabel,
		"TemplateURL": v.TemplateURL, "Hint": v.Hint})
	p.Form = f
	w.render(rw, r, status, "import", p)
}

// importProcedures checks or imports an uploaded catalogue and shows the report.
func (w *Web) importProcedures(rw http.ResponseWriter, r *http.Request) {
	f := emptyForm()
	part, err := w.filePart(r, f, "file", "err.evidence_empty")
	var rep service.ImportReport
	if err == nil {
		rep, err = w.svc.ImportProceduresFrom(r.Context(), actor(r), part, f.Values["mode"] != "import")
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden {
			w.errorPage(rw, r, err)
			return
		}
		w.importPage(rw, r, http.StatusBadRequest, nil, f)
		return
	}
	status := http.StatusOK
	if len(rep.Issues) > 0 {
		status = http.StatusBadRequest
	}
	w.importPage(rw, r, status, &rep, f)
}

// processRows is how many rows the step and record tables offer at least, and how many empty
// ones besides those filled.
const (
	processRows      = 8
	processSpareRows = 3
)

// spare is how many empty rows to add to a table of n filled ones.
func spare(n int) int { return max(processSpareRows, processRows-n) }

// process shows a process revision as the familiar Vietnamese document (printable), with the
// form to write its content while the revision may change.
func (w *Web) process(rw http.ResponseWriter, r *http.Request) {
	w.processPage(rw, r, http.StatusOK, nil, nil)
}

// processPage renders a process; after a refused save, typed is what the person wrote, shown
// again so that nothing is lost.
func (w *Web) processPage(rw http.ResponseWriter, r *http.Request, status int, f *form, typed *qms.ProcessContent) {
	v, ok := w.loadProcess(rw, r)
	if !ok {
		return
	}
	a, err := w.svc.Agency(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	c := v.Content
	if f == nil {
		f = emptyForm()
		f.Values["procedures"], f.Values["purpose"], f.Values["scope"] = strings.Join(c.Procedures, ", "), c.Purpose, c.Scope
		f.Values["references"], f.Values["definitions"], f.Values["where_filed"] = c.References, c.Definitions, c.WhereFiled
	}
	rows := c
	if typed != nil {
		rows = *typed
	}
	steps := append(append([]qms.ProcessStep(nil), rows.Steps...), make([]qms.ProcessStep, spare(len(rows.Steps)))...)
	records := append(append([]qms.ProcessRecord(nil), rows.Records...), make([]qms.ProcessRecord, spare(len(rows.Records)))...)
	p := w.page(r, v.Document.Code+" — "+v.Revision.Title, map[string]any{"V": v, "Agency": a.Agency, "Steps": steps, "Records": records,
		"Total": qms.FormatDays(c.TotalHours()), "CanEdit": v.Revision.State.Editable() && actor(r).Can(qms.PermDocEdit, a.Agency.Code)})
	p.Form = f
	w.render(rw, r, status, "process", p)
}

// saveProcess reads the process form: the step and record tables come as parallel lists.
func (w *Web) saveProcess(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "procedures", "purpose", "scope", "references", "definitions", "where_filed", "version")
	c := qms.ProcessContent{Purpose: f.Values["purpose"], Scope: f.Values["scope"], References: f.Values["references"],
		Definitions: f.Values["definitions"], WhereFiled: f.Values["where_filed"]}
	c.Procedures = qms.SplitList(f.Values["procedures"])
	pf := r.PostForm
	var bad qms.Validation
	for i, desc := range pf["step_description"] {
		s := qms.ProcessStep{Description: desc, Responsible: at(pf["step_responsible"], i), Unit: at(pf["step_unit"], i), Output: at(pf["step_output"], i)}
		if n := strings.TrimSpace(at(pf["step_amount"], i)); n != "" {
			if s.Amount, err = strconv.Atoi(n); err != nil {
				bad.Add("steps."+strconv.Itoa(i+1)+".amount", "err.process_amount")
			}
		}
		c.Steps = append(c.Steps, s)
	}
	for i, rec := range pf["record"] {
		c.Records = append(c.Records, qms.ProcessRecord{Record: rec, Place: at(pf["record_place"], i), Retention: at(pf["record_retention"], i)})
	}
	version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
	err = bad.Err()
	if err == nil {
		_, err = w.svc.SaveProcess(r.Context(), actor(r), r.PathValue("code"), id, version, c)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		status := http.StatusBadRequest
		if qms.ErrorCode(err) == qms.EConflict {
			status = http.StatusConflict
		}
		c.Normalize()
		w.processPage(rw, r, status, f, &c)
		return
	}
	w.redirect(rw, r, r.URL.Path, "flash.saved")
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// processDocx sends a process revision as a Word document in the layout of its page; an
// obsolete revision's says HẾT HIỆU LỰC and is named so.
func (w *Web) processDocx(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadProcess(rw, r)
	if !ok {
		return
	}
	view, err := w.svc.Document(r.Context(), actor(r), r.PathValue("code"), v.Document.ID)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	T := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	rev, c := v.Revision, v.Content
	eff := "—"
	if !rev.EffectiveOn.IsZero() {
		eff = rev.EffectiveOn.VN()
	}
	var d export.Docx
	if rev.State.Obsolete() {
		d.P(T("doc.obsolete_mark"), export.Para{Bold: true, Center: true, Size: 32})
	}
	d.Table([][]string{
		{view.Agency.Name, T("process.heading") + "\n" + rev.Title, T("doc.code") + ": " + v.Document.Code + "\n" + T("doc.revision") + ": " + strconv.Itoa(rev.Number) + "\n" + T("doc.effective_on") + ": " + eff},
	})
	d.Table([][]string{
		{T("doc.drafted_by"), T("doc.reviewed_by"), T("doc.approved_by")},
		{view.People[rev.AuthorID], view.People[rev.CheckerID], view.People[rev.ApproverID]},
	})
	section := func(n, key, text string) {
		d.P(n+". "+T(key), export.Para{Bold: true})
		d.P(text, export.Para{})
	}
	section("1", "process.purpose", c.Purpose)
	section("2", "process.scope", c.Scope)
	section("3", "process.references", c.References)
	section("4", "process.definitions", c.Definitions)
	d.P("5. "+T("process.content"), export.Para{Bold: true})
	for _, p := range v.Procedures {
		d.P(p.Code+" — "+p.Name, export.Para{Bold: true})
		d.P(T("proc.legal_bases")+":\n"+p.LegalBases, export.Para{})
		d.P(T("proc.components")+":\n"+p.Components, export.Para{})
		d.P(T("proc.time_limit")+": "+strconv.Itoa(p.TimeLimitDays)+" · "+T("proc.fees")+": "+p.Fees, export.Para{})
	}
	d.P(T("process.where_filed")+": "+c.WhereFiled, export.Para{})
	steps := [][]string{{"TT", T("process.step"), T("process.responsible"), T("process.duration"), T("process.output")}}
	for i, s := range c.Steps {
		steps = append(steps, []string{strconv.Itoa(i + 1), s.Description, s.Responsible, strconv.Itoa(s.Amount) + " " + T("unit."+s.Unit), s.Output})
	}
	steps = append(steps, []string{"", T("process.total"), "", qms.FormatDays(c.TotalHours()) + " / " + strconv.Itoa(v.LimitDays) + " " + T("unit.days"), ""})
	d.Table(steps)
	d.P("6. "+T("process.records"), export.Para{Bold: true})
	records := [][]string{{T("process.record"), T("process.place"), T("process.retention")}}
	for _, rec := range c.Records {
		records = append(records, []string{rec.Record, rec.Place, rec.Retention})
	}
	d.Table(records)
	name := v.Document.Code + "_lan-" + strconv.Itoa(rev.Number)
	if rev.State.Obsolete() {
		name = "HET-HIEU-LUC_" + name
	}
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+url.PathEscape(name)+`.docx"`)
	rw.Header().Set("X-Revision-State", string(rev.State))
	if err := d.Write(rw); err != nil {
		w.log.ErrorContext(r.Context(), "process docx", "request_id", httpkit.RequestID(r.Context()), "err", err)
		panic(http.ErrAbortHandler)
	}
}

// loadProcess reads the {id} revision's process, or answers with an error page.
func (w *Web) loadProcess(rw http.ResponseWriter, r *http.Request) (service.ProcessView, bool) {
	id, err := pathID(r, "id")
	if err == nil {
		var v service.ProcessView
		if v, err = w.svc.Process(r.Context(), actor(r), r.PathValue("code"), id); err == nil {
			return v, true
		}
	}
	w.errorPage(rw, r, err)
	return service.ProcessView{}, false
}
