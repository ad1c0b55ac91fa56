package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// Inspections: the yearly plan (Form 19) and its approval, each inspection's decision (Form 20),
// minutes (Form 21) and the agency's corrective report.

func (w *Web) inspections(rw http.ResponseWriter, r *http.Request) {
	w.inspectionsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) inspectionsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	year := yearParam(r, w.now().Year())
	if f != nil {
		if y, err := strconv.Atoi(f.Values["year"]); err == nil {
			year = y
		}
	}
	v, err := w.svc.InspectionPlan(r.Context(), actor(r), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		planned := map[string]qms.Inspection{}
		for _, x := range v.Items {
			planned[x.AgencyCode] = x
		}
		for i, a := range v.Agencies {
			x, ok := planned[a.Code]
			if !ok {
				x = qms.Inspection{Form: qms.OnPaper, Month: 1 + i%12}
				if i%3 == 0 {
					x.Form = qms.OnSite
				}
			}
			f.Values["form_"+a.Code], f.Values["month_"+a.Code], f.Values["team_"+a.Code] = string(x.Form), strconv.Itoa(x.Month), x.Team
			f.Values["partner_"+a.Code], f.Values["budget_"+a.Code] = x.Partner, millionsInput(x.Budget)
		}
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "inspection.title", year), map[string]any{"V": v, "Months": []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}})
	p.Form = f
	w.render(rw, r, status, "inspections", p)
}

// actOnPlan saves the plan or records its approval.
func (w *Web) actOnPlan(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "year", "event", "decision_no", "approved_on")
	year, _ := strconv.Atoi(f.Values["year"])
	var err error
	if f.Values["event"] == "approve" {
		var on qms.Date
		if on, err = parseDateField(f, "approved_on"); err == nil {
			err = w.svc.ApprovePlan(r.Context(), actor(r), year, f.Values["decision_no"], on)
		}
	} else {
		var items []qms.PlanItem
		var v qms.Validation
		for _, code := range r.PostForm["agency"] {
			for _, k := range []string{"form_", "month_", "team_", "partner_", "budget_"} {
				f.Values[k+code] = strings.TrimSpace(r.PostFormValue(k + code))
			}
			month, _ := strconv.Atoi(f.Values["month_"+code])
			items = append(items, qms.PlanItem{AgencyCode: code, Form: qms.InspectionForm(f.Values["form_"+code]), Month: month, Team: f.Values["team_"+code],
				Partner: f.Values["partner_"+code], Budget: millionsOf(f, &v, "budget_"+code)})
		}
		if err = v.Err(); err == nil {
			_, err = w.svc.SavePlan(r.Context(), actor(r), year, items)
		}
	}
	w.afterForm(rw, r, f, err, func() string { return "/inspections?year=" + strconv.Itoa(year) }, func() { w.inspectionsPage(rw, r, http.StatusBadRequest, f) })
}

func (w *Web) inspection(rw http.ResponseWriter, r *http.Request) {
	w.inspectionPage(rw, r, http.StatusOK, nil)
}

func (w *Web) inspectionPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	v, err := w.svc.Inspection(r.Context(), actor(r), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["done_on"] = qms.DateOf(w.now()).String()
		f.Values["decision_on"] = qms.DateOf(w.now()).String()
	}
	p := w.page(r, v.Inspection.Code+" — "+v.Inspection.AgencyName, map[string]any{"V": v, "X": v.Inspection, "Items": qms.Art36Items})
	p.Form = f
	w.render(rw, r, status, "inspection", p)
}

// actOnInspection handles the decision, the minutes and the corrective report.
func (w *Web) actOnInspection(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	fields := []string{"event", "version", "decision_no", "decision_on", "members", "conclusion", "done_on", "corrective"}
	for i := range qms.Art36Items {
		fields = append(fields, "ok_"+strconv.Itoa(i), "note_"+strconv.Itoa(i))
	}
	f := newForm(r, fields...)
	version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
	in := service.InspectionStep{DecisionNo: f.Values["decision_no"], Members: f.Values["members"], Conclusion: f.Values["conclusion"],
		Corrective: f.Values["corrective"], Version: version}
	switch f.Values["event"] {
	case "decide":
		if in.DecisionOn, err = parseDateField(f, "decision_on"); err == nil {
			_, err = w.svc.DecideInspection(r.Context(), actor(r), id, in)
		}
	case "minutes":
		for i, item := range qms.Art36Items {
			k := strconv.Itoa(i)
			in.Checklist = append(in.Checklist, qms.CheckItem{Item: item, OK: f.Values["ok_"+k] == "1", Note: f.Values["note_"+k]})
		}
		if in.DoneOn, err = parseDateField(f, "done_on"); err == nil {
			_, err = w.svc.RecordInspection(r.Context(), actor(r), id, in)
		}
	default:
		_, err = w.svc.ReportCorrective(r.Context(), actor(r), id, in)
	}
	w.afterForm(rw, r, f, err, func() string { return "/inspections/" + strconv.FormatInt(id, 10) }, func() { w.inspectionPage(rw, r, http.StatusBadRequest, f) })
}

// agencyInspections lists an agency's inspections, for its own people.
func (w *Web) agencyInspections(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	list, err := w.svc.AgencyInspections(r.Context(), actor(r), v.Agency.Code)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "agency_inspections", w.page(r, i18n.T(httpkit.LangOf(r), "inspection.agency", v.Agency.Name),
		map[string]any{"Agency": v.Agency, "List": list, "Today": qms.DateOf(w.now())}))
}

// inspectionsExport writes a year's plan and its inspections as CSV or XLSX (Form 19's columns).
func (w *Web) inspectionsExport(rw http.ResponseWriter, r *http.Request) {
	year := yearParam(r, w.now().Year())
	v, err := w.svc.InspectionPlan(r.Context(), actor(r), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "ke-hoach-kiem-tra-"+strconv.Itoa(year), export.Table{
		Sheet: i18n.T(lang, "inspection.short"),
		Headers: []string{"inspection.code", "agency.name", "inspection.team", "inspection.partner", "inspection.month", "inspection.form", "inspection.budget",
			"inspection.state", "inspection.corrective_due"},
		Rows: export.RowsOf(v.Items, func(x qms.Inspection) []string {
			return []string{x.Code, x.AgencyName, x.Team, x.Partner, strconv.Itoa(x.Month), i18n.T(lang, "inspform."+string(x.Form)), strconv.FormatInt(x.Budget, 10),
				i18n.T(lang, "inspstate."+string(x.State)), x.CorrectiveDue.String()}
		}),
	})
}

// planPDF writes a year's plan as Form 19.
func (w *Web) planPDF(rw http.ResponseWriter, r *http.Request) {
	year := yearParam(r, w.now().Year())
	b, err := w.svc.PlanPDF(r.Context(), actor(r), year)
	w.sendPDF(rw, r, "ke-hoach-kiem-tra-"+strconv.Itoa(year), b, err)
}

// inspectionPDF writes an inspection's decision (Form 20) or minutes (Form 21).
func (w *Web) inspectionPDF(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	form := r.PathValue("form")
	b, err := w.svc.InspectionPDF(r.Context(), actor(r), id, form)
	w.sendPDF(rw, r, map[string]string{"decision": "quyet-dinh-kiem-tra-", "minutes": "bien-ban-kiem-tra-"}[form]+strconv.FormatInt(id, 10), b, err)
}
