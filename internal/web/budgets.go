package web

import (
	"math"
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

// Budgets: an agency's estimate and spending for a year under the norm in force, and the
// province's totals.

func (w *Web) budget(rw http.ResponseWriter, r *http.Request) {
	w.budgetPage(rw, r, http.StatusOK, nil)
}

func (w *Web) budgetPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	year := yearParam(r, w.now().Year())
	if f != nil {
		if y, err := strconv.Atoi(f.Values["year"]); err == nil {
			year = y
		}
	}
	v, err := w.svc.Budget(r.Context(), actor(r), r.PathValue("code"), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["year"] = strconv.Itoa(year)
		if v.Budget.Extension {
			f.Values["extension"] = "1"
		}
		for _, l := range v.Budget.Lines {
			h := string(l.Heading)
			f.Values["e_"+h], f.Values["a_"+h], f.Values["x_"+h] = millionsInput(l.Estimate), millionsInput(l.Actual), l.Explanation
			if l.Processes > 0 {
				f.Values["p_"+h] = strconv.Itoa(l.Processes)
			}
		}
	}
	est, act := v.Budget.Totals()
	p := w.page(r, i18n.T(httpkit.LangOf(r), "budget.title", v.Budget.AgencyName, year), map[string]any{"V": v, "B": v.Budget, "Estimate": est, "Actual": act,
		"Headings": qms.Headings, "Tier": qms.TierOf(v.Budget.Kind)})
	p.Form = f
	w.render(rw, r, status, "budget", p)
}

// millionsOf reads an amount typed in million VND ("45", "26,4"; empty for none) as whole VND,
// noting an error beside the field.
func millionsOf(f *form, v *qms.Validation, name string) int64 {
	s := strings.ReplaceAll(strings.TrimSpace(f.Values[name]), ",", ".")
	if s == "" {
		return 0
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x != x || x > 1e6 || x < -1e6 {
		v.Add(name, "err.number")
		return 0
	}
	return int64(math.Round(x * qms.Million))
}

// millionsInput writes an amount in million VND for an input (empty for none).
func millionsInput(vnd int64) string {
	if vnd == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(vnd)/qms.Million, 'f', -1, 64)
}

func (w *Web) saveBudget(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	fields := []string{"year", "extension", "version"}
	for _, h := range qms.Headings {
		fields = append(fields, "e_"+string(h), "a_"+string(h), "x_"+string(h), "p_"+string(h))
	}
	f := newForm(r, fields...)
	year, _ := strconv.Atoi(f.Values["year"])
	version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
	in := service.BudgetInput{Extension: f.Values["extension"] == "1", Version: version}
	var v qms.Validation
	amount := func(name string) int64 { return millionsOf(f, &v, name) }
	for _, h := range qms.Headings {
		k := string(h)
		l := qms.BudgetLine{Heading: h, Estimate: amount("e_" + k), Actual: amount("a_" + k), Explanation: f.Values["x_"+k]}
		if s := f.Values["p_"+k]; s != "" {
			if n, err := strconv.Atoi(s); err == nil {
				l.Processes = n
			} else {
				v.Add("p_"+k, "err.number")
			}
		}
		in.Lines = append(in.Lines, l)
	}
	err := v.Err()
	if err == nil {
		_, err = w.svc.SaveBudget(r.Context(), actor(r), r.PathValue("code"), year, in)
	}
	w.afterForm(rw, r, f, err, func() string {
		return agencyPath(qms.NormalizeCode(r.PathValue("code")), "budgets?year="+strconv.Itoa(year))
	},
		func() { w.budgetPage(rw, r, http.StatusBadRequest, f) })
}

// budgets shows the province's budgets for a year: each agency's estimate and spending, totals.
func (w *Web) budgets(rw http.ResponseWriter, r *http.Request) {
	year := yearParam(r, w.now().Year())
	list, err := w.svc.ProvinceBudgets(r.Context(), actor(r), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	var est, act int64
	for _, b := range list {
		e, a := b.Totals()
		est, act = est+e, act+a
	}
	years, err := w.svc.BudgetYears(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "budgets", w.page(r, i18n.T(httpkit.LangOf(r), "budget.province", year), map[string]any{"List": list, "Year": year,
		"Estimate": est, "Actual": act, "Years": years}))
}

// budgetsExport writes the province's budgets as XLSX or CSV: a row per agency and heading.
func (w *Web) budgetsExport(rw http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("by") == "year" {
		w.budgetYearsExport(rw, r)
		return
	}
	year := yearParam(r, w.now().Year())
	list, err := w.svc.ProvinceBudgets(r.Context(), actor(r), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "kinh-phi-"+strconv.Itoa(year), export.Table{
		Sheet:   i18n.T(lang, "budget.short"),
		Headers: []string{"agency.code", "agency.name", "budget.heading", "budget.estimate", "budget.actual", "budget.cap", "budget.explanation"},
		Rows: func(emit func([]string) error) error {
			for _, b := range list {
				for _, l := range b.Lines {
					cap := ""
					if l.Capped {
						cap = strconv.FormatInt(l.Cap, 10)
					}
					if err := emit([]string{b.AgencyCode, b.AgencyName, i18n.T(lang, "heading."+string(l.Heading)), strconv.FormatInt(l.Estimate, 10),
						strconv.FormatInt(l.Actual, 10), cap, l.Explanation}); err != nil {
						return err
					}
				}
			}
			return nil
		},
	})
}

// The finance norms: the versions in force over the years, and a form to enter or correct one
// (the Department's coordinator), amounts in million VND.

var tiers = []qms.Tier{qms.TierProvince, qms.TierDepartment, qms.TierSubDepartment, qms.TierCommune}

// capFields are the caps of a tier, as form fields and their i18n keys.
var capFields = []string{"consultant_first", "consultant_extension", "own_first", "own_extension", "per_process"}

func tierCaps(c *qms.TierCaps) []*int64 {
	return []*int64{&c.ConsultantFirst, &c.ConsultantExtension, &c.OwnFirst, &c.OwnExtension, &c.PerProcess}
}

func (w *Web) norms(rw http.ResponseWriter, r *http.Request) {
	w.normsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) normsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	list, err := w.svc.Norms(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		var n qms.Norm
		if len(list) > 0 {
			n = list[0]
		}
		for _, x := range list {
			if x.Code == r.URL.Query().Get("code") {
				n = x
			}
		}
		f.Values["code"], f.Values["name"], f.Values["effective_from"] = n.Code, n.Name, n.EffectiveFrom.String()
		f.Values["maintenance"], f.Values["inspection"] = millionsInput(n.Maintenance), millionsInput(n.Inspection)
		f.Values["self_build_pct"] = strconv.FormatInt(n.SelfBuildPct, 10)
		for _, t := range tiers {
			c := n.Tiers[t]
			for i, p := range tierCaps(&c) {
				f.Values[string(t)+"_"+capFields[i]] = millionsInput(*p)
			}
		}
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "norm.title"), map[string]any{"List": list, "Tiers": tiers, "Caps": capFields,
		"MayEdit": w.svc.MaySetRules(actor(r))})
	p.Form = f
	w.render(rw, r, status, "norms", p)
}

func (w *Web) saveNorm(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	fields := []string{"code", "name", "effective_from", "maintenance", "inspection", "self_build_pct"}
	for _, t := range tiers {
		for _, c := range capFields {
			fields = append(fields, string(t)+"_"+c)
		}
	}
	f := newForm(r, fields...)
	var v qms.Validation
	n := qms.Norm{Code: f.Values["code"], Name: f.Values["name"], Tiers: map[qms.Tier]qms.TierCaps{},
		Maintenance: millionsOf(f, &v, "maintenance"), Inspection: millionsOf(f, &v, "inspection")}
	if d, err := qms.ParseDate(f.Values["effective_from"]); err == nil {
		n.EffectiveFrom = d
	} else {
		v.Add("effective_from", "err.date")
	}
	if pct, err := strconv.ParseInt(f.Values["self_build_pct"], 10, 64); err == nil {
		n.SelfBuildPct = pct
	} else {
		v.Add("self_build_pct", "err.number")
	}
	for _, t := range tiers {
		var c qms.TierCaps
		for i, p := range tierCaps(&c) {
			*p = millionsOf(f, &v, string(t)+"_"+capFields[i])
		}
		n.Tiers[t] = c
	}
	err := v.Err()
	if err == nil {
		_, err = w.svc.SaveNorm(r.Context(), actor(r), n)
	}
	w.afterForm(rw, r, f, err, func() string { return "/finance-norms?code=" + url.QueryEscape(qms.NormalizeCode(n.Code)) },
		func() { w.normsPage(rw, r, http.StatusBadRequest, f) })
}

// budgetYearsExport writes the province's totals by year.
func (w *Web) budgetYearsExport(rw http.ResponseWriter, r *http.Request) {
	years, err := w.svc.BudgetYears(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.sendTable(rw, r, "kinh-phi-theo-nam", export.Table{
		Sheet:   i18n.T(httpkit.LangOf(r), "budget.short"),
		Headers: []string{"audit.year", "budget.agencies", "budget.estimate", "budget.actual"},
		Rows: export.RowsOf(years, func(y service.YearTotal) []string {
			return []string{strconv.Itoa(y.Year), strconv.Itoa(y.Agencies), strconv.FormatInt(y.Estimate, 10), strconv.FormatInt(y.Actual, 10)}
		}),
	})
}
