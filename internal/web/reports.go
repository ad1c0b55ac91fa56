package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

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
		"MayOpen": actor(r).Can(qms.PermTrackEdit, a.Code), "MayProvince": w.svc.MayReadProvinceReport(actor(r))})
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
	w.sendPDF(rw, r, "bao-cao-"+v.Report.AgencyCode+"-"+string(v.Report.Kind)+"-"+strconv.Itoa(v.Report.Year), b, err)
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
		Rows: export.RowsOf(figures, func(f qms.Figure) []string {
			return []string{f.Label, f.Value}
		}),
	})
}

func consolidationQuery(r *http.Request, now time.Time) (qms.ReportKind, int) {
	kind := qms.ReportKind(r.URL.Query().Get("kind"))
	if kind == "" {
		kind = qms.ReportYear
		if now.Month() <= 8 {
			kind = qms.ReportHalf
		}
	}
	return kind, yearParam(r, now.Year())
}

func rate(v float64) string {
	if v < 0 {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + "%"
}

// consolidation shows the province's report for a period: its document and the table per
// agency (live until the Department's leader signs).
func (w *Web) consolidation(rw http.ResponseWriter, r *http.Request) {
	w.consolidationPage(rw, r, http.StatusOK, nil)
}

func (w *Web) consolidationPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	kind, year := consolidationQuery(r, w.now())
	v, err := w.svc.ProvinceReport(r.Context(), actor(r), kind, year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	docs, err := w.svc.ProvinceReports(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	headers := make([]string, len(service.ConsolidatedHeaders))
	for i, h := range service.ConsolidatedHeaders {
		headers[i] = i18n.T(lang, h)
	}
	if f == nil {
		f = emptyForm()
		if v.Doc != nil {
			f.Values["results"], f.Values["difficulties"], f.Values["proposals"] = v.Doc.Results, v.Doc.Difficulties, v.Doc.Proposals
		}
	}
	p := w.page(r, i18n.T(lang, "consolidation.title"), map[string]any{"C": v.C, "V": v, "Docs": docs,
		"Headers": headers, "Rows": v.C.TableRows(lang), "Recipients": qms.ProvinceRecipients,
		"Query": template.URL("kind=" + string(kind) + "&year=" + strconv.Itoa(year))})
	p.Form = f
	w.render(rw, r, status, "consolidation", p)
}

// actOnConsolidation handles the province report's forms: opening it, its text, the leader's
// signature, the submission.
func (w *Web) actOnConsolidation(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "event", "version", "kind", "year", "results", "difficulties", "proposals")
	kind := qms.ReportKind(f.Values["kind"])
	year, _ := strconv.Atoi(f.Values["year"])
	version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
	ctx, who := r.Context(), actor(r)
	var err error
	switch f.Values["event"] {
	case "open":
		_, err = w.svc.OpenProvinceReport(ctx, who, kind, year)
	case "sign":
		_, err = w.svc.SignProvinceReport(ctx, who, kind, year, version)
	case "reopen":
		_, err = w.svc.ReopenProvinceReport(ctx, who, kind, year, version)
	case "submit":
		_, err = w.svc.SubmitProvinceReport(ctx, who, kind, year, version, r.PostForm["to"])
	default:
		_, err = w.svc.SaveProvinceReportText(ctx, who, kind, year, service.ReportText{Results: f.Values["results"], Difficulties: f.Values["difficulties"],
			Proposals: f.Values["proposals"], Version: version})
	}
	r.URL.RawQuery = "kind=" + url.QueryEscape(string(kind)) + "&year=" + strconv.Itoa(year)
	w.afterForm(rw, r, f, err, func() string { return "/province-reports?" + r.URL.RawQuery }, func() { w.consolidationPage(rw, r, http.StatusBadRequest, f) })
}

// consolidationPDF writes the province's report as a PDF.
func (w *Web) consolidationPDF(rw http.ResponseWriter, r *http.Request) {
	kind, year := consolidationQuery(r, w.now())
	v, err := w.svc.ProvinceReport(r.Context(), actor(r), kind, year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	b, err := v.Paper().PDF()
	w.sendPDF(rw, r, "bao-cao-tong-hop-"+string(kind)+"-"+strconv.Itoa(year), b, err)
}

// consolidationExport writes the table per agency as XLSX or CSV.
func (w *Web) consolidationExport(rw http.ResponseWriter, r *http.Request) {
	kind, year := consolidationQuery(r, w.now())
	v, err := w.svc.ProvinceReport(r.Context(), actor(r), kind, year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	rows, headers := v.C.TableRows(lang), append([]string(nil), service.ConsolidatedHeaders...)
	if kind == qms.ReportYear { // the columns of the yearly report's table (Decision 19/2014, Annex II)
		headers = append(headers, "consolidation.scope", "consolidation.consultants", "consolidation.announced", "consolidation.upkeep", "consolidation.inspection")
		for i, a := range v.C.AnnexRows() {
			rows[i] = append(rows[i], a[2:]...)
		}
	}
	w.sendTable(rw, r, "bao-cao-tong-hop-"+string(kind)+"-"+strconv.Itoa(year), export.Table{
		Sheet: i18n.T(lang, "consolidation.short"), Headers: headers,
		Rows: export.RowsOf(rows, func(row []string) []string {
			return row
		}),
	})
}

// reportsExport writes an agency's reports as CSV or XLSX.
func (w *Web) reportsExport(rw http.ResponseWriter, r *http.Request) {
	a, list, err := w.svc.Reports(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "bao-cao-dinh-ky-"+a.Code, export.Table{
		Sheet:   i18n.T(lang, "report.short"),
		Headers: []string{"report.kind", "audit.year", "report.number", "report.due_on", "report.state", "report.late", "report.signed", "report.submitted"},
		Rows: export.RowsOf(list, func(x qms.Report) []string {
			late, signed, submitted := "", "", ""
			if x.Late {
				late = i18n.T(lang, "evaluation.yes")
			}
			if !x.SignedAt.IsZero() {
				signed = x.SignerName + " " + x.SignedAt.In(vnZone).Format("2006-01-02")
			}
			if !x.SubmittedAt.IsZero() {
				submitted = x.SubmittedAt.In(vnZone).Format("2006-01-02")
			}
			return []string{i18n.T(lang, "reportkind."+string(x.Kind)), strconv.Itoa(x.Year), x.Number, x.DueOn.String(),
				i18n.T(lang, "reportstate."+string(x.State)), late, signed, submitted}
		}),
	})
}

// schedules shows the report schedules in force for a year and their versions; the
// Department's coordinator sets a new version.
func (w *Web) schedules(rw http.ResponseWriter, r *http.Request) {
	w.schedulesPage(rw, r, http.StatusOK, nil)
}

func (w *Web) schedulesPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	year := yearParam(r, w.now().Year())
	inForce, versions, err := w.svc.ReportSchedules(r.Context(), actor(r), year)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
		f.Values["kind"], f.Values["year_from"] = string(qms.ReportYear), strconv.Itoa(year)
		f.Values["due_day"], f.Values["due_month"], f.Values["close_days"] = strconv.Itoa(inForce[1].DueDay), strconv.Itoa(int(inForce[1].DueMonth)),
			strconv.Itoa(inForce[1].CloseDays)
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "schedule.title"), map[string]any{"Year": year, "InForce": inForce, "Versions": versions,
		"MayEdit": w.svc.MaySetRules(actor(r))})
	p.Form = f
	w.render(rw, r, status, "schedules", p)
}

func (w *Web) saveSchedule(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "kind", "year_from", "due_day", "due_month", "close_days")
	var v qms.Validation
	num := func(name, key string) int {
		n, err := strconv.Atoi(f.Values[name])
		if err != nil {
			v.Add(name, key)
		}
		return n
	}
	x := qms.ReportSchedule{Kind: qms.ReportKind(f.Values["kind"]), YearFrom: num("year_from", "err.year"), DueDay: num("due_day", "err.number"),
		DueMonth: time.Month(num("due_month", "err.number")), CloseDays: num("close_days", "err.number")}
	err := v.Err()
	if err == nil {
		err = w.svc.SaveReportSchedule(r.Context(), actor(r), x)
	}
	r.URL.RawQuery = "year=" + f.Values["year_from"]
	w.afterForm(rw, r, f, err, func() string { return "/report-schedules?year=" + strconv.Itoa(x.YearFrom) }, func() { w.schedulesPage(rw, r, http.StatusBadRequest, f) })
}
