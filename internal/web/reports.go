package web

import (
	"net/http"
	"strconv"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// An agency's periodic reports to the Department of Science and Technology: the list with the
// form to open one, the report page (figures, text, signature, submission, the Department's
// review), its PDF and the XLSX of its annex.

func reportPath(code string, id int64) string {
	return agencyPath(code, "reports/"+strconv.FormatInt(id, 10))
}

func (w *Web) reports(rw http.ResponseWriter, r *http.Request) {
	w.reportsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) reportsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	a, list, err := w.svc.Reports(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		now := w.now()
		f.Values["year"], f.Values["kind"] = strconv.Itoa(now.Year()), string(qms.ReportYear)
		if now.Month() <= 8 {
			f.Values["kind"] = string(qms.ReportHalf)
		}
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "report.title", a.Name), map[string]any{"Agency": a, "List": list, "Today": qms.DateOf(w.now()),
		"MayOpen": actor(r).Can(qms.PermTrackEdit, a.Code)})
	p.Form = f
	w.render(rw, r, status, "reports", p)
}

func (w *Web) openReport(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "kind", "year")
	year, _ := strconv.Atoi(f.Values["year"])
	x, err := w.svc.OpenReport(r.Context(), actor(r), r.PathValue("code"), qms.ReportKind(f.Values["kind"]), year)
	w.afterForm(rw, r, f, err, func() string { return reportPath(x.AgencyCode, x.ID) }, func() { w.reportsPage(rw, r, http.StatusBadRequest, f) })
}

func (w *Web) report(rw http.ResponseWriter, r *http.Request) {
	w.reportPage(rw, r, http.StatusOK, nil)
}

func (w *Web) loadReport(rw http.ResponseWriter, r *http.Request) (service.ReportView, bool) {
	id, err := pathID(r, "id")
	if err == nil {
		var v service.ReportView
		if v, err = w.svc.Report(r.Context(), actor(r), r.PathValue("code"), id); err == nil {
			return v, true
		}
	}
	w.errorPage(rw, r, err)
	return service.ReportView{}, false
}

func (w *Web) reportPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	v, ok := w.loadReport(rw, r)
	if !ok {
		return
	}
	x := v.Report
	if f == nil {
		f = emptyForm()
		f.Values["results"], f.Values["difficulties"], f.Values["proposals"] = x.Results, x.Difficulties, x.Proposals
	}
	p := w.page(r, x.Title(), map[string]any{"V": v, "X": x, "Sections": x.Sections(v.Data), "Today": qms.DateOf(w.now())})
	p.Form = f
	w.render(rw, r, status, "report", p)
}

// actOnReport handles the report page's forms: the text, the signature, the submission, the
// Department's acceptance or return.
func (w *Web) actOnReport(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	f := newForm(r, "event", "version", "results", "difficulties", "proposals", "comment")
	version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
	ctx, who, code := r.Context(), actor(r), r.PathValue("code")
	switch f.Values["event"] {
	case "sign":
		_, err = w.svc.SignReport(ctx, who, code, id, version)
	case "submit":
		_, err = w.svc.SubmitReport(ctx, who, code, id, version)
	case "accept", "return":
		_, err = w.svc.ReviewReport(ctx, who, code, id, version, f.Values["event"] == "accept", f.Values["comment"])
	default:
		_, err = w.svc.SaveReportText(ctx, who, code, id, service.ReportText{Results: f.Values["results"], Difficulties: f.Values["difficulties"],
			Proposals: f.Values["proposals"], Version: version})
	}
	w.afterForm(rw, r, f, err, func() string { return reportPath(qms.NormalizeCode(code), id) }, func() { w.reportPage(rw, r, http.StatusBadRequest, f) })
}

// reportPDF writes the report in the layout of an administrative document.
func (w *Web) reportPDF(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadReport(rw, r)
	if !ok {
		return
	}
	b, err := export.ReportPDF(v.Report, v.Data, v.Superior, v.Place)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	rw.Header().Set("Content-Type", "application/pdf")
	rw.Header().Set("Content-Disposition", `attachment; filename="bao-cao-`+v.Report.AgencyCode+"-"+string(v.Report.Kind)+"-"+strconv.Itoa(v.Report.Year)+`.pdf"`)
	_, _ = rw.Write(b)
}

// reportAnnex writes the report's figures as XLSX (or CSV).
func (w *Web) reportAnnex(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadReport(rw, r)
	if !ok {
		return
	}
	var figures []qms.Figure
	for _, s := range v.Report.Sections(v.Data) {
		figures = append(figures, s.Figures...)
	}
	if r.URL.Query().Get("format") == "" {
		q := r.URL.Query()
		q.Set("format", "xlsx")
		r.URL.RawQuery = q.Encode()
	}
	w.sendTable(rw, r, "phu-luc-bao-cao-"+v.Report.AgencyCode+"-"+strconv.Itoa(v.Report.Year), export.Table{
		Sheet:   i18n.T(httpkit.LangOf(r), "report.annex"),
		Headers: []string{"report.figure", "report.value"},
		Rows: func(emit func([]string) error) error {
			for _, f := range figures {
				if err := emit([]string{f.Label, f.Value}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}
