package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// The improvement loop's pages: the audit programme and its audits (checklist, findings,
// report), risks and opportunities, quality objectives, management reviews; and the forms
// acting on their actions.

func agencyPath(code, rest string) string { return "/agencies/" + url.PathEscape(code) + "/" + rest }

func yearParam(r *http.Request, now int) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil {
		return y
	}
	return now
}

// splitList reads a list typed with commas, semicolons or new lines.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseDateField(f *form, name string) (qms.Date, error) {
	s := f.Values[name]
	if s == "" {
		return qms.Date{}, nil
	}
	d, err := qms.ParseDate(s)
	if err != nil {
		return d, fieldErrOf(name, "err.date")
	}
	return d, nil
}

// ---- audits

// audits shows an agency's audit programme for a year.
func (w *Web) audits(rw http.ResponseWriter, r *http.Request) {
	p, err := w.svc.AuditProgramme(r.Context(), actor(r), r.PathValue("code"), yearParam(r, w.now().Year()))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "audits", w.page(r, i18n.T(httpkit.LangOf(r), "audit.programme", p.Agency.Name, p.Year), map[string]any{"P": p,
		"MayPlan": actor(r).Can(qms.PermLoopManage, p.Agency.Code), "ExportQuery": exportQuery(r, "year")}))
}

// auditsExport writes a year's audits as CSV or XLSX.
func (w *Web) auditsExport(rw http.ResponseWriter, r *http.Request) {
	p, err := w.svc.AuditProgramme(r.Context(), actor(r), r.PathValue("code"), yearParam(r, w.now().Year()))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "danh-gia-noi-bo-"+p.Agency.Code+"-"+strconv.Itoa(p.Year), export.Table{
		Sheet:   i18n.T(lang, "audit.short"),
		Headers: []string{"audit.code", "audit.title", "audit.starts_on", "audit.ends_on", "audit.clauses", "audit.processes", "audit.units", "audit.lead", "audit.state"},
		Rows: export.RowsOf(p.Audits, func(x qms.Audit) []string {
			return []string{x.Code, x.Title, x.StartsOn.VN(), x.EndsOn.VN(), strings.Join(x.Clauses, ", "), strings.Join(x.Processes, ", "),
				strings.Join(x.Units, ", "), x.Lead.Name, i18n.T(lang, "auditstate."+string(x.State))}
		}),
	})
}

var auditFields = []string{"title", "scope", "clauses", "starts_on", "ends_on", "lead", "lead_unit", "team1", "team1_unit", "team2", "team2_unit", "auditees"}

func (w *Web) newAudit(rw http.ResponseWriter, r *http.Request) {
	f := emptyForm()
	f.Values["clauses"] = "4.4, 7.5, 8.5.1, 9.1.2, 10.2"
	w.auditFormPage(rw, r, http.StatusOK, f, nil, nil)
}

func (w *Web) auditFormPage(rw http.ResponseWriter, r *http.Request, status int, f *form, procs, units []string) {
	o, err := w.svc.AuditOptions(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "audit.new"), map[string]any{"O": o, "Procs": procs, "Units": units})
	p.Form = f
	w.render(rw, r, status, "audit_new", p)
}

// planAudit plans an audit from the form.
func (w *Web) planAudit(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, auditFields...)
	procs, units := r.PostForm["processes"], r.PostForm["units"]
	in := service.AuditInput{Title: f.Values["title"], Scope: f.Values["scope"], Clauses: splitList(f.Values["clauses"]), Processes: procs, Units: units,
		Lead: service.TeamMember{Email: f.Values["lead"], Unit: f.Values["lead_unit"]}, Auditees: f.Values["auditees"]}
	for _, k := range []string{"team1", "team2"} {
		if f.Values[k] != "" {
			in.Team = append(in.Team, service.TeamMember{Email: f.Values[k], Unit: f.Values[k+"_unit"]})
		}
	}
	var err error
	if in.StartsOn, err = parseDateField(f, "starts_on"); err == nil {
		in.EndsOn, err = parseDateField(f, "ends_on")
	}
	var x qms.Audit
	if err == nil {
		x, err = w.svc.PlanAudit(r.Context(), actor(r), r.PathValue("code"), in)
	}
	w.afterForm(rw, r, f, err, func() string { return agencyPath(x.AgencyCode, "audits/"+strconv.FormatInt(x.ID, 10)) }, func() {
		w.auditFormPage(rw, r, http.StatusBadRequest, f, procs, units)
	})
}

func (w *Web) audit(rw http.ResponseWriter, r *http.Request) {
	w.auditPage(rw, r, http.StatusOK, nil, "audit")
}

// auditReport is the audit's report as a printable page.
func (w *Web) auditReport(rw http.ResponseWriter, r *http.Request) {
	w.auditPage(rw, r, http.StatusOK, nil, "audit_report")
}

// auditReportPDF is the audit's report as a PDF.
func (w *Web) auditReportPDF(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	v, err := w.svc.Audit(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	b, err := export.AuditReportPDF(v.Audit, v.Agency.Name, v.Place)
	w.sendPDF(rw, r, "bao-cao-"+v.Audit.Code, b, err)
}

func (w *Web) auditPage(rw http.ResponseWriter, r *http.Request, status int, f *form, tmpl string) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	v, err := w.svc.Audit(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["summary"] = v.Audit.Summary
	}
	p := w.page(r, v.Audit.Code+" — "+v.Audit.Title, map[string]any{"V": v, "X": v.Audit, "FindingTypes": qms.FindingTypes,
		"Blank": []int{1, 2, 3}, "Answers": []string{qms.ChecklistYes, qms.ChecklistNo, qms.ChecklistNA}})
	p.Form = f
	w.render(rw, r, status, tmpl, p)
}

// actOnAudit handles the audit page's forms: a move, the conclusion, the checklist edited or
// answered, a finding.
func (w *Web) actOnAudit(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	code := r.PathValue("code")
	f := newForm(r, "event", "version", "summary", "type", "clause", "process", "unit", "description", "evidence")
	version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
	ctx, who := r.Context(), actor(r)
	switch ev := f.Values["event"]; ev {
	case "summary":
		sum := f.Values["summary"]
		_, err = w.svc.ActOnAudit(ctx, who, code, id, service.AuditAction{Summary: &sum, Version: version})
	case "finding":
		_, err = w.svc.RecordFinding(ctx, who, code, id, service.FindingInput{Type: qms.FindingType(f.Values["type"]), Clause: f.Values["clause"],
			Process: f.Values["process"], Unit: f.Values["unit"], Description: f.Values["description"], Evidence: f.Values["evidence"]})
	case "checklist", "answers":
		var items []qms.AuditItem
		for _, sid := range r.PostForm["item"] {
			itemID, _ := strconv.ParseInt(sid, 10, 64)
			items = append(items, qms.AuditItem{ID: itemID, Question: r.PostFormValue("q" + sid), Clause: r.PostFormValue("c" + sid),
				Process: r.PostFormValue("p" + sid), Result: r.PostFormValue("r" + sid), Note: r.PostFormValue("n" + sid)})
		}
		if ev == "checklist" {
			items = slicesDeleteFunc(items, func(it qms.AuditItem) bool { return r.PostFormValue("d"+strconv.FormatInt(it.ID, 10)) == "1" })
			for i := 1; i <= 3; i++ {
				items = append(items, qms.AuditItem{Question: r.PostFormValue("new" + strconv.Itoa(i)), Clause: r.PostFormValue("newc" + strconv.Itoa(i))})
			}
			_, err = w.svc.EditChecklist(ctx, who, code, id, items)
		} else {
			_, err = w.svc.AnswerChecklist(ctx, who, code, id, items)
		}
	default:
		_, err = w.svc.ActOnAudit(ctx, who, code, id, service.AuditAction{Event: qms.AuditEvent(ev), Version: version})
	}
	w.afterForm(rw, r, f, err, func() string { return agencyPath(qms.NormalizeCode(code), "audits/"+strconv.FormatInt(id, 10)) }, func() {
		w.auditPage(rw, r, http.StatusBadRequest, f, "audit")
	})
}

func slicesDeleteFunc[T any](s []T, del func(T) bool) []T {
	out := s[:0]
	for _, x := range s {
		if !del(x) {
			out = append(out, x)
		}
	}
	return out
}

// ---- risks

var riskFields = []string{"kind", "process", "title", "description", "likelihood", "impact", "treatment", "review_on", "note", "close", "version"}

func riskInput(f *form) (service.RiskInput, error) {
	l, _ := strconv.Atoi(f.Values["likelihood"])
	i, _ := strconv.Atoi(f.Values["impact"])
	v, _ := strconv.ParseInt(f.Values["version"], 10, 64)
	in := service.RiskInput{Kind: qms.RiskKind(f.Values["kind"]), Process: f.Values["process"], Title: f.Values["title"], Description: f.Values["description"],
		Likelihood: l, Impact: i, Treatment: f.Values["treatment"], Note: f.Values["note"], Close: f.Values["close"] == "1", Version: v}
	var err error
	in.ReviewOn, err = parseDateField(f, "review_on")
	return in, err
}

// risks lists an agency's risks and opportunities, with the form to add one.
func (w *Web) risks(rw http.ResponseWriter, r *http.Request) { w.risksPage(rw, r, http.StatusOK, nil) }

func (w *Web) risksPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	a, list, err := w.svc.Risks(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	o, err := w.svc.AuditOptions(r.Context(), actor(r), a.Code)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["kind"], f.Values["likelihood"], f.Values["impact"] = string(qms.KindRisk), "3", "3"
		f.Values["review_on"] = qms.DateOf(w.now()).AddDays(90).String()
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "risk.title", a.Name), map[string]any{"Agency": a, "List": list, "O": o, "Scale": []int{1, 2, 3, 4, 5},
		"Today": qms.DateOf(w.now()), "MayEdit": actor(r).Can(qms.PermNCEdit, a.Code)})
	p.Form = f
	w.render(rw, r, status, "risks", p)
}

// risksExport writes the register of risks as CSV or XLSX.
func (w *Web) risksExport(rw http.ResponseWriter, r *http.Request) {
	a, list, err := w.svc.Risks(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "rui-ro-"+a.Code, export.Table{
		Sheet:   i18n.T(lang, "risk.short"),
		Headers: []string{"risk.code", "risk.kind", "risk.process", "risk.title_field", "risk.likelihood", "risk.impact", "risk.score", "risk.treatment", "risk.review_on", "risk.state"},
		Rows: export.RowsOf(list, func(x qms.Risk) []string {
			return []string{x.Code, i18n.T(lang, "riskkind."+string(x.Kind)), x.Process, x.Title, strconv.Itoa(x.Likelihood), strconv.Itoa(x.Impact),
				strconv.Itoa(x.Score()), x.Treatment, x.ReviewOn.VN(), i18n.T(lang, "riskstate."+string(x.State))}
		}),
	})
}

func (w *Web) addRisk(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, riskFields...)
	in, err := riskInput(f)
	var x qms.Risk
	if err == nil {
		x, err = w.svc.AddRisk(r.Context(), actor(r), r.PathValue("code"), in)
	}
	w.afterForm(rw, r, f, err, func() string { return agencyPath(x.AgencyCode, "risks/"+strconv.FormatInt(x.ID, 10)) }, func() {
		w.risksPage(rw, r, http.StatusBadRequest, f)
	})
}

func (w *Web) risk(rw http.ResponseWriter, r *http.Request) { w.riskPage(rw, r, http.StatusOK, nil) }

func (w *Web) riskPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	x, err := w.svc.Risk(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["likelihood"], f.Values["impact"], f.Values["review_on"] = strconv.Itoa(x.Likelihood), strconv.Itoa(x.Impact), x.ReviewOn.String()
	}
	may := actor(r).Can(qms.PermNCEdit, x.AgencyCode)
	p := w.page(r, x.Code+" — "+x.Title, map[string]any{"X": x, "Scale": []int{1, 2, 3, 4, 5}, "MayEdit": may && x.State == qms.RiskOpen,
		"Acts": w.actionsView(r, x.AgencyCode, x.Actions, may && x.State == qms.RiskOpen, "risks/"+strconv.FormatInt(x.ID, 10))})
	p.Form = f
	w.render(rw, r, status, "risk", p)
}

func (w *Web) rescoreRisk(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	f := newForm(r, riskFields...)
	in, err := riskInput(f)
	if err == nil {
		_, err = w.svc.RescoreRisk(r.Context(), actor(r), r.PathValue("code"), id, in)
	}
	w.afterForm(rw, r, f, err, func() string {
		return agencyPath(qms.NormalizeCode(r.PathValue("code")), "risks/"+strconv.FormatInt(id, 10))
	}, func() {
		w.riskPage(rw, r, http.StatusBadRequest, f)
	})
}

// ---- actions of risks, objectives and reviews

// actionsBlock is what the "loopactions" partial shows: the actions, who may do what, where the
// forms post.
type actionsBlock struct {
	Agency    string
	List      []qms.Action
	Implement map[int64]bool
	Check     map[int64]bool
	MayAdd    bool
	Back      string // the page's path under the agency
	Today     qms.Date
	Types     []qms.ActionType
}

func (w *Web) actionsView(r *http.Request, code string, list []qms.Action, mayAdd bool, back string) actionsBlock {
	b := actionsBlock{Agency: code, List: list, Implement: map[int64]bool{}, Check: map[int64]bool{}, MayAdd: mayAdd, Back: back, Today: qms.DateOf(w.now()),
		Types: qms.ActionTypes}
	a := actor(r)
	if a.Can(qms.PermNCEdit, code) {
		for _, x := range list {
			b.Implement[x.ID] = x.State == qms.ActionOpen && x.OwnerID == a.UserID
			b.Check[x.ID] = x.State == qms.ActionImplemented && x.OwnerID != a.UserID
		}
	}
	return b
}

// loopAction handles the forms of the actions block: plan an action on a risk, an objective or
// a review, implement one, check one; then back to the page.
func (w *Web) loopAction(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	code := r.PathValue("code")
	f := newForm(r, "event", "back", "parent", "type", "description", "owner", "due_on", "action", "evidence", "result", "note")
	back := f.Values["back"]
	kind, sid, _ := strings.Cut(back, "/")
	parentID, _ := strconv.ParseInt(sid, 10, 64)
	actionID, _ := strconv.ParseInt(f.Values["action"], 10, 64)
	var err error
	if kind != "risks" && kind != "objectives" && kind != "reviews" || parentID == 0 {
		w.errorPage(rw, r, qms.Errorf(qms.ENotFound, "err.not_found"))
		return
	}
	switch f.Values["event"] {
	case "add_action":
		var due qms.Date
		if due, err = parseDateField(f, "due_on"); err == nil {
			parent := qms.Action{}
			switch kind {
			case "risks":
				parent.RiskID = parentID
			case "objectives":
				parent.ObjectiveID = parentID
			default:
				parent.ReviewID = parentID
			}
			_, err = w.svc.AddLoopAction(r.Context(), actor(r), code, parent, service.ActionInput{Type: qms.ActionType(f.Values["type"]),
				Description: f.Values["description"], Owner: f.Values["owner"], DueOn: due})
		}
	case "implement":
		_, err = w.svc.ImplementAction(r.Context(), actor(r), code, 0, actionID, f.Values["evidence"])
	case "check":
		_, err = w.svc.CheckAction(r.Context(), actor(r), code, 0, actionID, qms.ActionState(f.Values["result"]), f.Values["note"])
	default:
		err = fieldErrOf("event", "err.choice")
	}
	w.afterForm(rw, r, f, err, func() string { return agencyPath(qms.NormalizeCode(code), back) }, func() {
		r.SetPathValue("id", sid)
		switch kind {
		case "risks":
			w.riskPage(rw, r, http.StatusBadRequest, f)
		case "objectives":
			w.objectivePage(rw, r, http.StatusBadRequest, f)
		default:
			w.reviewPage(rw, r, http.StatusBadRequest, f)
		}
	})
}

// ---- objectives

var objectiveFields = []string{"title", "measure", "target", "direction", "frequency", "owner", "year"}

func (w *Web) objectives(rw http.ResponseWriter, r *http.Request) {
	w.objectivesPage(rw, r, http.StatusOK, nil)
}

func (w *Web) objectivesPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	year := yearParam(r, w.now().Year())
	if f != nil {
		if y, err := strconv.Atoi(f.Values["year"]); err == nil {
			year = y
		}
	}
	a, list, err := w.svc.Objectives(r.Context(), actor(r), r.PathValue("code"), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["measure"], f.Values["frequency"], f.Values["year"], f.Values["direction"] = string(qms.MeasureOnTime), string(qms.Quarterly), strconv.Itoa(year), string(qms.AtLeast)
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "objective.title", a.Name, year), map[string]any{"Agency": a, "List": list, "Year": year,
		"Measures": qms.Measures, "MaySet": actor(r).Can(qms.PermLoopManage, a.Code)})
	p.Form = f
	w.render(rw, r, status, "objectives", p)
}

func (w *Web) addObjective(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, objectiveFields...)
	year, _ := strconv.Atoi(f.Values["year"])
	target, err := strconv.ParseFloat(strings.ReplaceAll(f.Values["target"], ",", "."), 64)
	if err != nil {
		err = fieldErrOf("target", "err.objective_target")
	}
	var x qms.Objective
	if err == nil {
		x, err = w.svc.AddObjective(r.Context(), actor(r), r.PathValue("code"), service.ObjectiveInput{Year: year, Title: f.Values["title"],
			Measure: qms.Measure(f.Values["measure"]), Target: target, Direction: qms.Direction(f.Values["direction"]), Frequency: qms.Frequency(f.Values["frequency"]),
			Owner: f.Values["owner"]})
	}
	w.afterForm(rw, r, f, err, func() string { return agencyPath(x.AgencyCode, "objectives/"+strconv.FormatInt(x.ID, 10)) }, func() {
		w.objectivesPage(rw, r, http.StatusBadRequest, f)
	})
}

func (w *Web) objective(rw http.ResponseWriter, r *http.Request) {
	w.objectivePage(rw, r, http.StatusOK, nil)
}

func (w *Web) objectivePage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	v, err := w.svc.Objective(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	may := actor(r).Can(qms.PermNCEdit, v.AgencyCode)
	if f == nil {
		f = emptyForm()
		if v.OffTarget { // the proposed action
			f.Values["type"], f.Values["description"] = string(qms.ActionCorrective), i18n.T(httpkit.LangOf(r), "objective.proposal", v.Title, v.Latest.Period.Key)
		}
	}
	p := w.page(r, v.Title, map[string]any{"V": v, "MayEnter": may && v.Measure == qms.MeasureManual,
		"Acts": w.actionsView(r, v.AgencyCode, v.Actions, may, "objectives/"+strconv.FormatInt(v.ID, 10))})
	p.Form = f
	w.render(rw, r, status, "objective", p)
}

func (w *Web) enterObjectiveValue(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	f := newForm(r, "period", "value", "evidence")
	value, err := strconv.ParseFloat(strings.ReplaceAll(f.Values["value"], ",", "."), 64)
	if err != nil {
		err = fieldErrOf("value", "err.objective_target")
	} else {
		_, err = w.svc.EnterObjectiveValue(r.Context(), actor(r), r.PathValue("code"), id, f.Values["period"], value, f.Values["evidence"])
	}
	w.afterForm(rw, r, f, err, func() string {
		return agencyPath(qms.NormalizeCode(r.PathValue("code")), "objectives/"+strconv.FormatInt(id, 10))
	}, func() {
		w.objectivePage(rw, r, http.StatusBadRequest, f)
	})
}

// ---- reviews

func (w *Web) reviews(rw http.ResponseWriter, r *http.Request) {
	w.reviewsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) reviewsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	a, list, err := w.svc.Reviews(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		now := w.now()
		f.Values["period_from"], f.Values["period_to"] = strconv.Itoa(now.Year())+"-01-01", qms.DateOf(now).String()
		f.Values["meeting_on"] = qms.DateOf(now).AddDays(14).String()
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "review.title", a.Name), map[string]any{"Agency": a, "List": list, "MayPlan": actor(r).Can(qms.PermLoopManage, a.Code)})
	p.Form = f
	w.render(rw, r, status, "reviews", p)
}

func (w *Web) planReview(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "meeting_on", "period_from", "period_to", "chair", "attendees")
	in := service.ReviewInput{Chair: f.Values["chair"], Attendees: f.Values["attendees"]}
	var err error
	if in.MeetingOn, err = parseDateField(f, "meeting_on"); err == nil {
		if in.From, err = parseDateField(f, "period_from"); err == nil {
			in.To, err = parseDateField(f, "period_to")
		}
	}
	var x qms.Review
	if err == nil {
		x, err = w.svc.PlanReview(r.Context(), actor(r), r.PathValue("code"), in)
	}
	w.afterForm(rw, r, f, err, func() string { return agencyPath(x.AgencyCode, "reviews/"+strconv.FormatInt(x.ID, 10)) }, func() {
		w.reviewsPage(rw, r, http.StatusBadRequest, f)
	})
}

func (w *Web) review(rw http.ResponseWriter, r *http.Request) {
	w.reviewPage(rw, r, http.StatusOK, nil)
}

func (w *Web) reviewPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	v, err := w.svc.Review(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["chair"], f.Values["attendees"], f.Values["decisions"] = v.Review.Chair, v.Review.Attendees, v.Review.Decisions
		for k, c := range v.Review.Conclusions {
			f.Values["conclusion_"+k] = c
		}
	}
	p := w.page(r, v.Review.Code, map[string]any{"V": v, "X": v.Review, "P": v.Pack, "Inputs": qms.ReviewInputs,
		"Acts": w.actionsView(r, v.Review.AgencyCode, v.Review.Actions, v.MayAction, "reviews/"+strconv.FormatInt(v.Review.ID, 10))})
	p.Form = f
	w.render(rw, r, status, "review", p)
}

// actOnReview handles the review page's forms: the minutes, the approval.
func (w *Web) actOnReview(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	fields := []string{"event", "version", "chair", "attendees", "decisions"}
	for _, k := range qms.ReviewInputs {
		fields = append(fields, "conclusion_"+k)
	}
	f := newForm(r, fields...)
	version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
	code := r.PathValue("code")
	if f.Values["event"] == "approve" {
		_, err = w.svc.ApproveReview(r.Context(), actor(r), code, id, version)
	} else {
		in := service.ReviewInput{Chair: f.Values["chair"], Attendees: f.Values["attendees"], Decisions: f.Values["decisions"], Version: version,
			Conclusions: map[string]string{}}
		for _, k := range qms.ReviewInputs {
			in.Conclusions[k] = f.Values["conclusion_"+k]
		}
		_, err = w.svc.RecordMinutes(r.Context(), actor(r), code, id, in)
	}
	w.afterForm(rw, r, f, err, func() string { return agencyPath(qms.NormalizeCode(code), "reviews/"+strconv.FormatInt(id, 10)) }, func() {
		w.reviewPage(rw, r, http.StatusBadRequest, f)
	})
}

// objectivesExport writes a year's objectives with their latest result as CSV or XLSX.
func (w *Web) objectivesExport(rw http.ResponseWriter, r *http.Request) {
	year := yearParam(r, w.now().Year())
	a, list, err := w.svc.Objectives(r.Context(), actor(r), r.PathValue("code"), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "muc-tieu-chat-luong-"+a.Code+"-"+strconv.Itoa(year), export.Table{
		Sheet:   i18n.T(lang, "objective.short"),
		Headers: []string{"objective.title_field", "objective.measure", "objective.direction", "objective.target", "objective.frequency", "objective.period", "objective.value", "objective.owner"},
		Rows: export.RowsOf(list, func(o service.ObjectiveView) []string {
			period, value := "", ""
			if o.Latest != nil {
				period, value = o.Latest.Period.Key, strconv.FormatFloat(o.Latest.Value, 'f', -1, 64)
			}
			return []string{o.Title, i18n.T(lang, "measure."+string(o.Measure)), i18n.T(lang, "direction."+string(o.Direction)),
				strconv.FormatFloat(o.Target, 'f', -1, 64), i18n.T(lang, "frequency."+string(o.Frequency)), period, value, o.OwnerName}
		}),
	})
}

// reviewsExport writes the agency's management reviews as CSV or XLSX.
func (w *Web) reviewsExport(rw http.ResponseWriter, r *http.Request) {
	a, list, err := w.svc.Reviews(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "xem-xet-cua-lanh-dao-"+a.Code, export.Table{
		Sheet:   i18n.T(lang, "review.short"),
		Headers: []string{"review.code", "review.meeting_on", "review.period_from", "review.period_to", "review.chair", "review.state", "review.decisions"},
		Rows: export.RowsOf(list, func(x qms.Review) []string {
			return []string{x.Code, x.MeetingOn.VN(), x.From.VN(), x.To.VN(), x.Chair, i18n.T(lang, "reviewstate."+string(x.State)), x.Decisions}
		}),
	})
}

// afterForm ends a form's POST: on success a redirect to the path to() gives, with the saved
// flash; a person's error (a field, a rule, a refusal) shown on the form again by redisplay
// with status 400; anything else (not found, an internal error) as an error page.
func (w *Web) afterForm(rw http.ResponseWriter, r *http.Request, f *form, err error, to func() string, redisplay func()) {
	switch {
	case err == nil:
		w.redirect(rw, r, to(), "flash.saved")
	case !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.ENotFound:
		w.errorPage(rw, r, err)
	default:
		redisplay()
	}
}
