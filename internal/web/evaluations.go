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
