package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

// dossierPage is how many dossiers a page of the list shows.
const dossierPage = 50

// dossierFilter reads the list's filters: state, code, and "due" (open ones due within the
// next working week, by due date).
func (w *Web) dossierFilter(r *http.Request) (store.DossierFilter, error) {
	q := r.URL.Query()
	f := store.DossierFilter{State: qms.DossierState(q.Get("state")), Code: strings.TrimSpace(q.Get("code")), Open: q.Get("open") == "1"}
	if q.Get("due") == "1" {
		f.DueBy = qms.DateOf(w.now().In(vnZone)).AddDays(7)
	}
	if code := strings.TrimSpace(q.Get("procedure")); code != "" {
		p, err := w.svc.Procedure(r.Context(), actor(r), code)
		if err != nil {
			return f, err
		}
		f.ProcedureID = p.ID
	}
	if s := q.Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return f, fieldErrOf("before", "err.cursor")
		}
		f.Before = n
	}
	return f, nil
}

// dossiers lists an agency's dossiers with filters and keyset paging.
func (w *Web) dossiers(rw http.ResponseWriter, r *http.Request) {
	f, err := w.dossierFilter(r)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	f.Limit = dossierPage + 1
	a, list, err := w.svc.Dossiers(r.Context(), actor(r), r.PathValue("code"), f)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	data := map[string]any{"Agency": a, "Filter": f, "States": qms.DossierStates, "Today": qms.DateOf(w.now().In(vnZone)),
		"ExportQuery": exportQuery(r, "state", "code", "open", "due", "procedure"), "MayReceive": actor(r).Can(qms.PermDossierHandle, a.Code),
		"Due": r.URL.Query().Get("due") == "1", "OpenOnly": f.Open}
	if len(list) > dossierPage {
		list = list[:dossierPage]
		if f.DueBy.IsZero() {
			v := url.Values{}
			for _, k := range []string{"state", "code", "open", "procedure"} {
				if s := r.URL.Query().Get(k); s != "" {
					v.Set(k, s)
				}
			}
			v.Set("before", strconv.FormatInt(list[len(list)-1].ID, 10))
			data["Next"] = template.URL(v.Encode())
		}
	}
	data["List"] = list
	p := w.page(r, i18n.T(httpkit.LangOf(r), "dossier.title", a.Name), data)
	w.render(rw, r, http.StatusOK, "dossiers", p)
}

// dossiersExport writes the (filtered) list as CSV or XLSX, applicants masked.
func (w *Web) dossiersExport(rw http.ResponseWriter, r *http.Request) {
	f, err := w.dossierFilter(r)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	f.Limit = 100000
	a, list, err := w.svc.Dossiers(r.Context(), actor(r), r.PathValue("code"), f)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "ho-so-"+a.Code, export.Table{
		Sheet: i18n.T(lang, "dossier.short"),
		Headers: []string{"dossier.code", "dossier.procedure", "dossier.applicant", "dossier.channel", "dossier.received_at", "dossier.due_on",
			"dossier.state", "dossier.outcome", "dossier.finished_at"},
		Rows: func(emit func([]string) error) error {
			for _, d := range list {
				finished, outcome := "", ""
				if !d.FinishedAt.IsZero() {
					finished, outcome = d.FinishedAt.In(vnZone).Format("2006-01-02 15:04"), i18n.T(lang, "outcome."+string(d.Outcome))
				}
				if err := emit([]string{d.Code, d.ProcedureCode + " " + d.ProcedureName, qms.MaskName(d.Applicant), i18n.T(lang, "channel."+string(d.Channel)),
					d.ReceivedAt.In(vnZone).Format("2006-01-02 15:04"), d.DueOn.String(), i18n.T(lang, "dstate."+string(d.State)), outcome, finished}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

var intakeFields = []string{"procedure", "applicant", "id_number", "phone", "address", "channel", "received_at", "refuse", "reason"}

func (w *Web) newDossier(rw http.ResponseWriter, r *http.Request) {
	f := emptyForm()
	f.Values["channel"], f.Values["received_at"] = string(qms.ChannelDirect), w.now().In(vnZone).Format("2006-01-02T15:04")
	f.Values["procedure"] = r.URL.Query().Get("procedure")
	w.intakePage(rw, r, http.StatusOK, f)
}

func (w *Web) intakePage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	procs, err := w.svc.Procedures(r.Context(), actor(r), service.ProcedureQuery{Agency: v.Agency.Code, ProcedureFilter: store.ProcedureFilter{Status: ""}})
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	var open []qms.Procedure
	for _, p := range procs {
		if p.Status != qms.ProcAbolished {
			open = append(open, p)
		}
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "dossier.new"), map[string]any{"Agency": v.Agency, "Procedures": open, "Channels": qms.Channels})
	p.Form = f
	w.render(rw, r, status, "dossier_new", p)
}

// receiveDossier receives a dossier at the desk and shows its receipt slip with the PIN (the
// only time the PIN is shown).
func (w *Web) receiveDossier(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, intakeFields...)
	in := service.IntakeInput{Procedure: f.Values["procedure"], Applicant: f.Values["applicant"], IDNumber: f.Values["id_number"], Phone: f.Values["phone"],
		Address: f.Values["address"], Channel: qms.Channel(f.Values["channel"]), Refuse: f.Values["refuse"] == "1", Reason: f.Values["reason"]}
	var err error
	if s := f.Values["received_at"]; s != "" {
		if in.ReceivedAt, err = time.ParseInLocation("2006-01-02T15:04", s, vnZone); err != nil {
			err = fieldErrOf("received_at", "err.datetime")
		}
	}
	var res service.Intake
	if err == nil {
		res, err = w.svc.ReceiveDossier(r.Context(), actor(r), r.PathValue("code"), in)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden {
			w.errorPage(rw, r, err)
			return
		}
		w.intakePage(rw, r, http.StatusBadRequest, f)
		return
	}
	v, err := w.svc.Dossier(r.Context(), actor(r), r.PathValue("code"), res.Dossier.ID)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.slipPage(rw, r, v, res.PIN)
}

// slip shows a dossier's receipt slip again (without the PIN, which only the first print has).
func (w *Web) slip(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadDossier(rw, r)
	if !ok {
		return
	}
	w.slipPage(rw, r, v, "")
}

// dossierForm prints Form 02 (the supplement request, as last asked), Form 04 (the apology
// letter with its new date) or Form 05 (the process control slip: each step's hand-over and
// outcome), for signing.
func (w *Web) dossierForm(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadDossier(rw, r)
	if !ok {
		return
	}
	lang := httpkit.LangOf(r)
	var title string
	switch r.PathValue("form") {
	case "02":
		if v.Supplement == "" {
			w.errorPage(rw, r, qms.Errorf(qms.ENotFound, "err.form_none"))
			return
		}
		title = i18n.T(lang, "form02.title")
	case "04":
		if v.Dossier.NewDueOn.IsZero() {
			w.errorPage(rw, r, qms.Errorf(qms.ENotFound, "err.form_none"))
			return
		}
		title = i18n.T(lang, "apology.title")
	case "05":
		title = i18n.T(lang, "form05.title")
	default:
		w.errorPage(rw, r, qms.Errorf(qms.ENotFound, "err.not_found"))
		return
	}
	now := w.now().In(vnZone)
	p := w.page(r, title, map[string]any{"V": v, "D": v.Dossier, "Form": r.PathValue("form"), "Agency": w.agencyName(r, v.Dossier.AgencyCode),
		"Place": now.Format("ngày 02 tháng 01 năm 2006"), "ReceivedAt": v.Dossier.ReceivedAt.In(vnZone).Format("15 giờ 04, ngày 02/01/2006")})
	w.render(rw, r, http.StatusOK, "dossier_form", p)
}

// agencyName is an agency's name for a printed form (its code when it cannot be read).
func (w *Web) agencyName(r *http.Request, code string) string {
	if v, err := w.svc.Agency(r.Context(), actor(r), code); err == nil {
		return v.Agency.Name
	}
	return code
}

func (w *Web) slipPage(rw http.ResponseWriter, r *http.Request, v service.DossierView, pin string) {
	d := v.Dossier
	lang := httpkit.LangOf(r)
	scheme := "http"
	if r.TLS != nil || w.stack.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	lookup := scheme + "://" + r.Host + "/lookup?code=" + url.QueryEscape(d.Code)
	qr, err := export.QRSVG(lookup, 132)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	title := i18n.T(lang, "slip.title")
	if d.State == qms.DossierNotReceived {
		title = i18n.T(lang, "refusal.title")
	}
	p := w.page(r, title, map[string]any{"D": d, "PIN": pin, "Lookup": lookup, "QR": template.HTML(qr), // our own SVG, no user markup
		"ReceivedAt": d.ReceivedAt.In(vnZone).Format("15 giờ 04, 02/01/2006"), "Components": v.Components, "Agency": w.agencyName(r, d.AgencyCode)})
	w.render(rw, r, http.StatusOK, "dossier_slip", p)
}

func (w *Web) loadDossier(rw http.ResponseWriter, r *http.Request) (service.DossierView, bool) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return service.DossierView{}, false
	}
	v, err := w.svc.Dossier(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return v, false
	}
	return v, true
}

func (w *Web) dossier(rw http.ResponseWriter, r *http.Request) {
	w.dossierPageWith(rw, r, http.StatusOK, nil)
}

func (w *Web) dossierPageWith(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	v, ok := w.loadDossier(rw, r)
	if !ok {
		return
	}
	if f == nil {
		f = emptyForm()
	}
	p := w.page(r, v.Dossier.Code, map[string]any{"V": v, "D": v.Dossier, "Full": v.MayAct, "Today": qms.DateOf(w.now().In(vnZone)),
		"ReceivedAt": v.Dossier.ReceivedAt.In(vnZone).Format("02/01/2006 15:04")})
	p.Form = f
	w.render(rw, r, status, "dossier", p)
}

// actOnDossier moves a dossier (the event in the form) or issues its apology letter.
func (w *Web) actOnDossier(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	code := r.PathValue("code")
	f := newForm(r, "event", "handler", "note", "version", "reason", "new_due_on")
	if f.Values["event"] == "apologize" {
		var due qms.Date
		if s := f.Values["new_due_on"]; s != "" {
			if due, err = qms.ParseDate(s); err != nil {
				err = fieldErrOf("new_due_on", "err.date")
			}
		}
		if err == nil {
			_, err = w.svc.Apologize(r.Context(), actor(r), code, id, f.Values["reason"], due)
		}
	} else {
		version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
		_, err = w.svc.ActOnDossier(r.Context(), actor(r), code, id, service.DossierAction{Event: qms.DossierEvent(f.Values["event"]),
			Handler: f.Values["handler"], Note: f.Values["note"], Version: version})
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.dossierPageWith(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/agencies/"+url.PathEscape(qms.NormalizeCode(code))+"/dossiers/"+strconv.FormatInt(id, 10), "flash.saved")
}

// figures shows the on-time figures per agency (or, for one agency, per procedure) for a span
// of months, with the months' trend as a bar chart.
func (w *Web) figures(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := w.svc.DossierFigures(r.Context(), actor(r), q.Get("from"), q.Get("to"), q.Get("agency"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	type row struct {
		store.DossierStat
		Rate, Rating string
	}
	type bar struct {
		Month       string
		Rate        string
		X, Y, H, TY int
		Received    int
	}
	rate := func(s store.DossierStat) string {
		if x := service.OnTimeRate(s); x >= 0 {
			return strconv.FormatFloat(x, 'f', 1, 64) + "%"
		}
		return "—"
	}
	rating := func(s store.DossierStat) string {
		if s.Rated == 0 {
			return "—"
		}
		return strconv.FormatFloat(service.MeanRating(s), 'f', 2, 64) + " (" + strconv.Itoa(s.Rated) + ")"
	}
	var rows []row
	for _, s := range f.Rows {
		rows = append(rows, row{s, rate(s), rating(s)})
	}
	var bars []bar
	for i, m := range f.Months { // 40 px a month, 100 px for 100 %
		b := bar{Month: m.Key, Rate: rate(m), X: 40 + i*40, Received: m.Received}
		if x := service.OnTimeRate(m); x >= 0 {
			b.H = int(x)
		}
		b.Y, b.TY = 120-b.H, 115-b.H
		bars = append(bars, b)
	}
	lang := httpkit.LangOf(r)
	title := i18n.T(lang, "figures.title")
	if f.Agency != nil {
		title += " — " + f.Agency.Name
	}
	type stepRow struct {
		store.StepStat
		Rate string
	}
	steps := map[string][]stepRow{}
	for part, list := range map[string][]store.StepStat{"units": f.Units, "handlers": f.Handlers} {
		for _, s := range list {
			steps[part] = append(steps[part], stepRow{s, rate(store.DossierStat{StatDelta: store.StatDelta{Finished: s.Done, Early: s.Early, OnTime: s.OnTime}})})
		}
	}
	p := w.page(r, title, map[string]any{"F": f, "Rows": rows, "Total": row{f.Total, rate(f.Total), rating(f.Total)}, "Bars": bars, "ChartWidth": 80 + 40*len(bars),
		"ExportQuery": exportQuery(r, "from", "to", "agency"), "Steps": steps, "Presets": figurePresets(lang, w.now().In(vnZone))})
	w.render(rw, r, http.StatusOK, "figures", p)
}

// figuresExport writes the figures as CSV or XLSX.
func (w *Web) figuresExport(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := w.svc.DossierFigures(r.Context(), actor(r), q.Get("from"), q.Get("to"), q.Get("agency"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	first := []string{"agency.code", "agency.name"}
	name := "ty-le-dung-han-" + f.From + "-" + f.To
	if f.Agency != nil {
		first, name = []string{"proc.code", "proc.name"}, name+"-"+f.Agency.Code
	}
	w.sendTable(rw, r, name, export.Table{
		Sheet: f.From + " " + f.To,
		Headers: append(first, "figures.received", "figures.finished", "figures.early", "figures.on_time", "figures.late", "figures.open_late",
			"figures.rate"),
		Rows: func(emit func([]string) error) error {
			for _, s := range append(f.Rows, f.Total) {
				rate := ""
				if x := service.OnTimeRate(s); x >= 0 {
					rate = strconv.FormatFloat(x, 'f', 1, 64)
				}
				label := s.AgencyName
				if f.Agency != nil {
					label = s.Name
				}
				if err := emit([]string{s.Key, label, strconv.Itoa(s.Received), strconv.Itoa(s.Finished), strconv.Itoa(s.Early), strconv.Itoa(s.OnTime),
					strconv.Itoa(s.Late), strconv.Itoa(s.OpenLate), rate}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

// lookupForm is the public look-up's form (the code filled in from the slip's link).
func (w *Web) lookupForm(rw http.ResponseWriter, r *http.Request) {
	f := emptyForm()
	f.Values["code"] = strings.TrimSpace(r.URL.Query().Get("code"))
	w.lookupPage(rw, r, http.StatusOK, f, nil)
}

// lookup is the public look-up: code and PIN (posted, so that the PIN stays out of addresses
// and logs), then the dossier as its citizen may see it, and the rating form once finished.
func (w *Web) lookup(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "code", "pin")
	p, err := w.svc.LookupDossier(r.Context(), f.Values["code"], f.Values["pin"], w.stack.ClientIP(r))
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) {
			w.errorPage(rw, r, err)
			return
		}
		status := http.StatusNotFound
		if qms.ErrorCode(err) == qms.ERateLimited {
			status = http.StatusTooManyRequests
		}
		w.lookupPage(rw, r, status, f, nil)
		return
	}
	w.lookupPage(rw, r, http.StatusOK, f, &p)
}

func (w *Web) lookupPage(rw http.ResponseWriter, r *http.Request, status int, f *form, res *service.PublicDossier) {
	p := w.page(r, i18n.T(httpkit.LangOf(r), "lookup.title"), map[string]any{"Result": res})
	p.Form = f
	w.render(rw, r, status, "lookup", p)
}

// rate records a citizen's rating from the look-up page.
func (w *Web) rate(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "code", "pin", "rating", "comment")
	n, _ := strconv.Atoi(f.Values["rating"])
	p, err := w.svc.RateDossier(r.Context(), f.Values["code"], f.Values["pin"], w.stack.ClientIP(r), n, f.Values["comment"])
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) {
			w.errorPage(rw, r, err)
			return
		}
		var res *service.PublicDossier
		if pd, lerr := w.svc.LookupDossier(r.Context(), f.Values["code"], f.Values["pin"], w.stack.ClientIP(r)); lerr == nil {
			res = &pd
		}
		w.lookupPage(rw, r, http.StatusBadRequest, f, res)
		return
	}
	pg := w.page(r, i18n.T(httpkit.LangOf(r), "lookup.title"), map[string]any{"Result": &p, "Thanks": true})
	pg.Form = f
	w.render(rw, r, http.StatusOK, "lookup", pg)
}

// dossierImport shows the dossier import: the template's columns and the upload form.
func (w *Web) dossierImport(rw http.ResponseWriter, r *http.Request) {
	w.dossierImportPage(rw, r, http.StatusOK, nil, emptyForm())
}

func (w *Web) dossierImportPage(rw http.ResponseWriter, r *http.Request, status int, rep *service.ImportReport, f *form) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	lang := httpkit.LangOf(r)
	keys, labels := service.DossierTemplate()
	w.renderImport(rw, r, status, importView{Title: i18n.T(lang, "dossier.import_title", v.Agency.Name), Action: "/agencies/" + v.Agency.Code + "/dossiers/import",
		BackURL: "/agencies/" + v.Agency.Code + "/dossiers", BackLabel: i18n.T(lang, "dossier.short"), Hint: i18n.T(lang, "dossier.import_hint"),
		Keys: keys, Labels: labels, Report: rep}, f)
}

// importDossiers checks or imports an uploaded file of dossiers and shows the report.
func (w *Web) importDossiers(rw http.ResponseWriter, r *http.Request) {
	f := emptyForm()
	part, err := w.filePart(r, f, "file", "err.evidence_empty")
	var rep service.ImportReport
	if err == nil {
		rep, err = w.svc.ImportDossiersFrom(r.Context(), actor(r), r.PathValue("code"), part, f.Values["mode"] != "import")
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden {
			w.errorPage(rw, r, err)
			return
		}
		w.dossierImportPage(rw, r, http.StatusBadRequest, nil, f)
		return
	}
	status := http.StatusOK
	if len(rep.Issues) > 0 {
		status = http.StatusBadRequest
	}
	w.dossierImportPage(rw, r, status, &rep, f)
}

// figurePreset is a span of months offered with one click.
type figurePreset struct{ Label, From, To string }

// figurePresets offers this month, this quarter, this year and last year.
func figurePresets(lang string, now time.Time) []figurePreset {
	y, m := now.Year(), int(now.Month())
	q := (m-1)/3*3 + 1
	month := func(y, m int) string { return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format("2006-01") }
	return []figurePreset{
		{i18n.T(lang, "figures.this_month"), month(y, m), month(y, m)},
		{i18n.T(lang, "figures.this_quarter"), month(y, q), month(y, q+2)},
		{i18n.T(lang, "figures.this_year"), month(y, 1), month(y, m)},
		{i18n.T(lang, "figures.last_year"), month(y-1, 1), month(y-1, 12)},
	}
}

// ledger writes an agency's tracking ledger of a year (Form 06, Circular 01/2018): every dossier
// received that year in the order of receipt, numbered from 1, as CSV or XLSX.
func (w *Web) ledger(rw http.ResponseWriter, r *http.Request) {
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		year = w.now().In(vnZone).Year()
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, vnZone)
	a, list, err := w.svc.Dossiers(r.Context(), actor(r), r.PathValue("code"), store.DossierFilter{From: from, To: from.AddDate(1, 0, 0)})
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "so-theo-doi-ho-so-"+a.Code+"-"+strconv.Itoa(year), export.Table{
		Sheet: i18n.T(lang, "ledger.title"),
		Headers: []string{"ledger.no", "dossier.code", "dossier.procedure", "dossier.applicant", "ledger.contact", "ledger.agency", "dossier.received_at",
			"dossier.due_on", "ledger.finished", "ledger.returned", "dossier.state", "ledger.note"},
		Rows: func(emit func([]string) error) error {
			for i, d := range list {
				finished, returned, note := "", "", d.Reason
				if !d.FinishedAt.IsZero() {
					finished = d.FinishedAt.In(vnZone).Format("2006-01-02 15:04") + " (" + i18n.T(lang, "outcome."+string(d.Outcome)) + ")"
				}
				if d.State == qms.DossierReturned {
					returned = "✓"
				}
				if !d.NewDueOn.IsZero() {
					note = strings.TrimSpace(note + " " + i18n.T(lang, "dossier.apology_on", d.NewDueOn.VN()))
				}
				if err := emit([]string{strconv.Itoa(i + 1), d.Code, d.ProcedureCode + " " + d.ProcedureName, d.Applicant, strings.TrimSpace(d.Address + " " + d.Phone),
					a.Name, d.ReceivedAt.In(vnZone).Format("2006-01-02 15:04"), d.DueOn.String(), finished, returned, i18n.T(lang, "dstate."+string(d.State)), note}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}
