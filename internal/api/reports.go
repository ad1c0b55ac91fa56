package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

type reportJSON struct {
	ID           int64           `json:"id"`
	Agency       string          `json:"agency"`
	Kind         qms.ReportKind  `json:"kind"`
	Year         int             `json:"year"`
	From         qms.Date        `json:"period_from"`
	To           qms.Date        `json:"period_to"`
	DueOn        qms.Date        `json:"due_on"`
	ClosesOn     qms.Date        `json:"closes_on"`
	State        qms.ReportState `json:"state"`
	Number       string          `json:"number,omitempty"`
	Results      string          `json:"results"`
	Difficulties string          `json:"difficulties"`
	Proposals    string          `json:"proposals"`
	SignedBy     string          `json:"signed_by,omitempty"`
	SignedAt     *time.Time      `json:"signed_at,omitempty"`
	SubmittedAt  *time.Time      `json:"submitted_at,omitempty"`
	Late         bool            `json:"late"`
	Comment      string          `json:"comment,omitempty"`
	Version      int64           `json:"version"`
	Data         *qms.ReportData `json:"data,omitempty"` // frozen at signing, compiled now before
}

func reportOut(x qms.Report, data *qms.ReportData) reportJSON {
	return reportJSON{ID: x.ID, Agency: x.AgencyCode, Kind: x.Kind, Year: x.Year, From: x.From, To: x.To, DueOn: x.DueOn, ClosesOn: x.ClosesOn, State: x.State,
		Number: x.Number, Results: x.Results, Difficulties: x.Difficulties, Proposals: x.Proposals, SignedBy: x.SignerName, SignedAt: optTime(x.SignedAt),
		SubmittedAt: optTime(x.SubmittedAt), Late: x.Late, Comment: x.Comment, Version: x.Version, Data: data}
}

func (h *Handlers) reports(w http.ResponseWriter, r *http.Request) {
	_, list, err := h.svc.Reports(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	page := Page[reportJSON]{Items: []reportJSON{}}
	for _, x := range list {
		page.Items = append(page.Items, reportOut(x, nil))
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out, err := pageOf(r, page.Items)
	h.respond(w, r, http.StatusOK, out, err)
}

func (h *Handlers) openReport(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Kind qms.ReportKind `json:"kind"`
		Year int            `json:"year"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	x, err := h.svc.OpenReport(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in.Kind, in.Year)
	h.respond(w, r, http.StatusCreated, reportOut(x, nil), err)
}

func (h *Handlers) report(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Report(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	h.respond(w, r, http.StatusOK, reportOut(v.Report, &v.Data), err)
}

func (h *Handlers) reportText(w http.ResponseWriter, r *http.Request) {
	var in service.ReportText
	id, err := idAndBody(r, &in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	x, err := h.svc.SaveReportText(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in)
	h.respond(w, r, http.StatusOK, reportOut(x, nil), err)
}

// reportStep answers POST …/reports/{id}/{step}: sign (the leader), submit, accept or return
// (the Department's coordinator, with a comment).
func (h *Handlers) reportStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Version int64  `json:"version"`
		Comment string `json:"comment"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	ctx, who, code := r.Context(), httpkit.ActorOf(r), r.PathValue("code")
	var x qms.Report
	switch step := r.PathValue("step"); step {
	case "sign":
		x, err = h.svc.SignReport(ctx, who, code, id, in.Version)
	case "submit":
		x, err = h.svc.SubmitReport(ctx, who, code, id, in.Version)
	case "accept", "return":
		x, err = h.svc.ReviewReport(ctx, who, code, id, in.Version, step == "accept", in.Comment)
	default:
		err = qms.Errorf(qms.ENotFound, "err.not_found")
	}
	h.respond(w, r, http.StatusOK, reportOut(x, x.Data), err)
}

// reportPDF answers GET …/reports/{id}/pdf with the report as a PDF.
func (h *Handlers) reportPDF(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Report(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	b, err := export.ReportPDF(v.Report, v.Data, v.Superior, v.Place)
	h.sendPDF(w, r, b, err)
}

// consolidation answers GET /api/v1/province-reports?kind=&year= with the province's report:
// a row per agency (its report's state, dossiers, audits, reviews, open nonconformities).
func (h *Handlers) consolidation(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	year, _ := strconv.Atoi(q.Get("year")) // the service refuses a year out of range, after checking who asks
	v, err := h.svc.ProvinceReport(r.Context(), httpkit.ActorOf(r), qms.ReportKind(q.Get("kind")), year)
	c := v.C
	type row struct {
		Agency      string          `json:"agency"`
		Name        string          `json:"name"`
		Report      qms.ReportState `json:"report,omitempty"`
		Late        bool            `json:"late"`
		Number      string          `json:"number,omitempty"`
		StepsDone   int             `json:"steps_done"`
		StepsTotal  int             `json:"steps_total"`
		Received    int             `json:"received"`
		Settled     int             `json:"settled"`
		OnTime      int             `json:"on_time"`
		LateDossier int             `json:"late_dossiers"`
		OnTimeRate  float64         `json:"on_time_rate"`
		Audits      int             `json:"audits"`
		Reviews     int             `json:"reviews"`
		NCOpened    int             `json:"nc_opened"`
		NCClosed    int             `json:"nc_closed"`
		NCOpen      int             `json:"nc_open"`
		Recognition string          `json:"recognition,omitempty"`
		Scope       string          `json:"scope,omitempty"`
		Consultants []string        `json:"consultants,omitempty"` // yearly: the consultancies engaged in the year
		Inspection  string          `json:"inspection,omitempty"`  // yearly: the state of the year's inspection
	}
	out := struct {
		Kind      qms.ReportKind      `json:"kind"`
		Year      int                 `json:"year"`
		DueOn     qms.Date            `json:"due_on"`
		Submitted int                 `json:"submitted"`
		Late      int                 `json:"late"`
		Missing   int                 `json:"missing"`
		Frozen    bool                `json:"frozen"` // the figures as of the leader's signature
		Compiled  time.Time           `json:"compiled"`
		Document  *provinceReportJSON `json:"document"` // null while none is opened
		Items     []row               `json:"items"`
	}{Kind: c.Kind, Year: c.Year, DueOn: c.DueOn, Submitted: c.Submitted, Late: c.LateCount, Missing: c.Missing, Compiled: c.Compiled, Items: []row{}}
	if v.Doc != nil {
		d := provinceReportOut(*v.Doc)
		out.Document, out.Frozen = &d, len(v.Doc.Data) > 0
	}
	for _, x := range c.Rows {
		rw := row{Agency: x.Agency.Code, Name: x.Agency.Name, StepsDone: x.StepsDone, StepsTotal: x.StepsTotal, Received: x.Received, Settled: x.Finished,
			OnTime: x.OnTime, LateDossier: x.Late, OnTimeRate: x.OnTimeRate, Audits: x.Audits, Reviews: x.Reviews, NCOpened: x.NCOpened, NCClosed: x.NCClosed,
			NCOpen: x.NCOpen, Recognition: x.Recognition}
		if x.Report != nil {
			rw.Report, rw.Late, rw.Number = x.Report.State, x.Report.Late, x.Report.Number
		}
		rw.Scope, rw.Consultants = x.Scope, x.Consultants
		if x.Inspection != nil {
			rw.Inspection = string(x.Inspection.State)
		}
		out.Items = append(out.Items, rw)
	}
	h.respond(w, r, http.StatusOK, out, err)
}

type provinceReportJSON struct {
	ID           int64           `json:"id"`
	Kind         qms.ReportKind  `json:"kind"`
	Year         int             `json:"year"`
	State        qms.ReportState `json:"state"`
	Number       string          `json:"number,omitempty"`
	Results      string          `json:"results"`
	Difficulties string          `json:"difficulties"`
	Proposals    string          `json:"proposals"`
	SignedBy     string          `json:"signed_by,omitempty"`
	SignedAt     *time.Time      `json:"signed_at,omitempty"`
	SubmittedAt  *time.Time      `json:"submitted_at,omitempty"`
	SubmittedTo  []string        `json:"submitted_to,omitempty"`
	Version      int64           `json:"version"`
}

func provinceReportOut(x qms.ProvinceReport) provinceReportJSON {
	return provinceReportJSON{ID: x.ID, Kind: x.Kind, Year: x.Year, State: x.State, Number: x.Number, Results: x.Results, Difficulties: x.Difficulties,
		Proposals: x.Proposals, SignedBy: x.SignerName, SignedAt: optTime(x.SignedAt), SubmittedAt: optTime(x.SubmittedAt), SubmittedTo: x.SubmittedTo,
		Version: x.Version}
}

// provinceReportStep answers POST /api/v1/province-reports/{kind}/{year}/{step}: open (the
// Department's coordinator), text (its free-text sections), sign (the Department's leader),
// submit (to the recipients named in "to").
func (h *Handlers) provinceReportStep(w http.ResponseWriter, r *http.Request) {
	year, _ := strconv.Atoi(r.PathValue("year")) // the service refuses a year out of range, after checking who asks
	var in struct {
		service.ReportText
		To []string `json:"to"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	ctx, who, kind := r.Context(), httpkit.ActorOf(r), qms.ReportKind(r.PathValue("kind"))
	var x qms.ProvinceReport
	var err error
	status := http.StatusOK
	switch r.PathValue("step") {
	case "open":
		x, err = h.svc.OpenProvinceReport(ctx, who, kind, year)
		status = http.StatusCreated
	case "text":
		x, err = h.svc.SaveProvinceReportText(ctx, who, kind, year, in.ReportText)
	case "sign":
		x, err = h.svc.SignProvinceReport(ctx, who, kind, year, in.Version)
	case "reopen":
		x, err = h.svc.ReopenProvinceReport(ctx, who, kind, year, in.Version)
	case "submit":
		x, err = h.svc.SubmitProvinceReport(ctx, who, kind, year, in.Version, in.To)
	default: // no such step: said only to those who may read the report
		if _, err = h.svc.ProvinceReports(ctx, who); err == nil {
			err = qms.Errorf(qms.ENotFound, "err.not_found")
		}
	}
	h.respond(w, r, status, provinceReportOut(x), err)
}

// provinceReportPDF answers GET /api/v1/province-reports/{kind}/{year}/pdf with the province's
// report as a PDF (a draft without number or signature until the Department's leader signs).
func (h *Handlers) provinceReportPDF(w http.ResponseWriter, r *http.Request) {
	year, _ := strconv.Atoi(r.PathValue("year"))
	v, err := h.svc.ProvinceReport(r.Context(), httpkit.ActorOf(r), qms.ReportKind(r.PathValue("kind")), year)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	b, err := v.Paper().PDF()
	h.sendPDF(w, r, b, err)
}

// sendPDF answers with a PDF, or the problem.
func (h *Handlers) sendPDF(w http.ResponseWriter, r *http.Request, b []byte, err error) {
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	_, _ = w.Write(b)
}

// schedules answers GET /api/v1/report-schedules?year= with the schedules in force that year
// and every stored version.
func (h *Handlers) schedules(w http.ResponseWriter, r *http.Request) {
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil {
		year = today().Time().Year()
	}
	inForce, versions, err := h.svc.ReportSchedules(r.Context(), httpkit.ActorOf(r), year)
	out := struct {
		Year     int           `json:"year"`
		InForce  qms.Schedules `json:"in_force"`
		Versions qms.Schedules `json:"versions"`
	}{year, inForce, versions}
	if out.Versions == nil {
		out.Versions = qms.Schedules{}
	}
	h.respond(w, r, http.StatusOK, out, err)
}

// saveSchedule answers PUT /api/v1/report-schedules {kind, year_from, due_month, due_day,
// close_days}.
func (h *Handlers) saveSchedule(w http.ResponseWriter, r *http.Request) {
	var in qms.ReportSchedule
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	h.respond(w, r, http.StatusOK, in, h.svc.SaveReportSchedule(r.Context(), httpkit.ActorOf(r), in))
}

// provinceReports answers GET /api/v1/province-report-documents with the province's reports
// opened as documents, the latest period first (their tables left out).
func (h *Handlers) provinceReports(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.ProvinceReports(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	items := make([]provinceReportJSON, 0, len(list))
	for _, x := range list {
		items = append(items, provinceReportOut(x))
	}
	out, err := pageOf(r, items)
	h.respond(w, r, http.StatusOK, out, err)
}
