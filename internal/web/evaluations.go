package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
)

// The yearly evaluation of the agencies: the ranking with each criterion's points, the
// coordinator's adjustment form, the export for Home Affairs.

func (w *Web) evaluations(rw http.ResponseWriter, r *http.Request) {
	w.evaluationsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) evaluationsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	year := yearParam(r, w.now().Year())
	if f != nil {
		if y, err := strconv.Atoi(f.Values["year"]); err == nil {
			year = y
		}
	}
	ev, err := w.svc.Evaluate(r.Context(), actor(r), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["year"] = strconv.Itoa(year)
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "evaluation.title", year), map[string]any{"E": ev, "Threshold": qms.CommendationThreshold})
	p.Form = f
	w.render(rw, r, status, "evaluations", p)
}

func (w *Web) adjustScore(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "year", "agency", "criterion", "points", "reason")
	year, _ := strconv.Atoi(f.Values["year"])
	points, err := strconv.ParseFloat(strings.ReplaceAll(f.Values["points"], ",", "."), 64)
	if err != nil {
		err = fieldErrOf("points", "err.number")
	} else {
		_, err = w.svc.AdjustScore(r.Context(), actor(r), f.Values["agency"], year, f.Values["criterion"], points, f.Values["reason"])
	}
	w.afterForm(rw, r, f, err, func() string { return "/evaluations?year=" + strconv.Itoa(year) }, func() { w.evaluationsPage(rw, r, http.StatusBadRequest, f) })
}

// evaluationsExport writes the ranking for Home Affairs: rank, agency, each criterion's points,
// total, proposed for commendation.
func (w *Web) evaluationsExport(rw http.ResponseWriter, r *http.Request) {
	year := yearParam(r, w.now().Year())
	ev, err := w.svc.Evaluate(r.Context(), actor(r), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	headers := []string{"evaluation.rank", "agency.code", "agency.name"}
	for _, c := range ev.Criteria {
		headers = append(headers, c.Name+" ("+strconv.FormatFloat(c.Weight, 'f', -1, 64)+")")
	}
	headers = append(headers, "evaluation.total", "evaluation.proposed")
	w.sendTable(rw, r, "danh-gia-xep-loai-"+strconv.Itoa(year), export.Table{
		Sheet: i18n.T(lang, "evaluation.short"), Headers: headers,
		Rows: export.RowsOf(ev.List, func(e qms.Evaluation) []string {
			row := []string{strconv.Itoa(e.Rank), e.Agency.Code, e.Agency.Name}
			for _, s := range e.Scores {
				row = append(row, strconv.FormatFloat(s.Points, 'f', -1, 64))
			}
			proposed := ""
			if e.Proposed {
				proposed = i18n.T(lang, "evaluation.yes")
			}
			return append(row, strconv.FormatFloat(e.Total, 'f', -1, 64), proposed)
		}),
	})
}

// evaluationsPDF writes the year's evaluation as a report for Home Affairs.
func (w *Web) evaluationsPDF(rw http.ResponseWriter, r *http.Request) {
	year := yearParam(r, w.now().Year())
	b, err := w.svc.EvaluationPDF(r.Context(), actor(r), year)
	w.sendPDF(rw, r, "danh-gia-xep-loai-"+strconv.Itoa(year), b, err)
}

// criteria shows the evaluation criteria in force in a year and, for the coordinator, the form
// that sets them from a year on: a name and a weight for each known criterion (an empty weight
// leaves it out), the weights summing to 100.
func (w *Web) criteria(rw http.ResponseWriter, r *http.Request) {
	w.criteriaPage(rw, r, http.StatusOK, nil)
}

func (w *Web) criteriaPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	year := yearParam(r, w.now().Year())
	list, from, err := w.svc.Criteria(r.Context(), actor(r), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["year_from"] = strconv.Itoa(year)
		for _, d := range qms.DefaultCriteria {
			f.Values["name_"+d.Code] = d.Name
		}
		for _, c := range list {
			f.Values["name_"+c.Code], f.Values["weight_"+c.Code] = c.Name, strconv.FormatFloat(c.Weight, 'f', -1, 64)
		}
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "criteria.title", year), map[string]any{"Year": year, "From": from, "List": list, "Known": qms.DefaultCriteria,
		"MayEdit": w.svc.MaySetRules(actor(r))})
	p.Form = f
	w.render(rw, r, status, "criteria", p)
}

func (w *Web) saveCriteria(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	fields := []string{"year_from"}
	for _, d := range qms.DefaultCriteria {
		fields = append(fields, "name_"+d.Code, "weight_"+d.Code)
	}
	f := newForm(r, fields...)
	var v qms.Validation
	var list []qms.Criterion
	for _, d := range qms.DefaultCriteria {
		s := strings.ReplaceAll(f.Values["weight_"+d.Code], ",", ".")
		if s == "" {
			continue
		}
		weight, err := strconv.ParseFloat(s, 64)
		if err != nil {
			v.Add("weight_"+d.Code, "err.number")
			continue
		}
		list = append(list, qms.Criterion{Code: d.Code, Name: f.Values["name_"+d.Code], Weight: weight})
	}
	yearFrom, err := strconv.Atoi(f.Values["year_from"])
	if err != nil {
		v.Add("year_from", "err.year")
	}
	if err = v.Err(); err == nil {
		err = w.svc.SetCriteria(r.Context(), actor(r), yearFrom, list)
	}
	r.URL.RawQuery = "year=" + f.Values["year_from"]
	w.afterForm(rw, r, f, err, func() string { return "/evaluation-criteria?year=" + strconv.Itoa(yearFrom) }, func() { w.criteriaPage(rw, r, http.StatusBadRequest, f) })
}
