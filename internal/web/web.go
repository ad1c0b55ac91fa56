// Package web is the HTML UI: server-rendered html/template pages, htmx for partial updates,
// every asset embedded. Handlers decode the form, call one service method, and render.
package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/isogov/isogov/internal/calendar"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure the UI.
type Options struct {
	Demo     bool // show the demo banner and the demo accounts on the sign-in page
	DemoHelp []DemoAccount
	Version  string
}

// DemoAccount is shown on a demo server's sign-in page.
type DemoAccount struct {
	Email    string
	Roles    string
	Password string
}

// Web serves the HTML UI.
type Web struct {
	svc   *service.Service
	stack *httpkit.Stack
	log   *slog.Logger
	opts  Options
	pages map[string]*template.Template
}

// New parses every template once and returns the UI.
func New(svc *service.Service, stack *httpkit.Stack, log *slog.Logger, opts Options) (*Web, error) {
	w := &Web{svc: svc, stack: stack, log: log, opts: opts, pages: map[string]*template.Template{}}
	pages, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		t, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", p)
		if err != nil {
			return nil, err
		}
		w.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return w, nil
}

var viCollator = collate.New(language.Vietnamese)

// sortVietnamese sorts in place by the key, in Vietnamese alphabetical order (a ă â b c d đ …).
func compareVietnamese(a, b string) int { return viCollator.CompareString(a, b) }

var funcs = template.FuncMap{
	"t":         i18n.T,
	"tArgs":     func(lang, key string, args []any) string { return i18n.T(lang, key, args...) },
	"add1":      func(i int) int { return i + 1 },
	"kindName":  func(lang string, k qms.AgencyKind) string { return i18n.T(lang, "kind."+string(k)) },
	"monthName": func(lang string, m time.Month) string { return i18n.T(lang, "month."+strconv.Itoa(int(m))) },
	"dayKind":   func(lang string, k calendar.Kind) string { return i18n.T(lang, "daykind."+string(k)) },
	"vnDate":    func(t time.Time) string { return t.Format("02/01/2006") },
	"hasPrefix": strings.HasPrefix,
	"list":      func(s ...string) []string { return s },
	"has":       func(s []string, v string) bool { return slices.Contains(s, v) },
	"inc":       func(i int) int { return i + 1 },
	"mul":       func(a, b int) int { return a * b },
	"totals":    func(b qms.Budget) []int64 { e, a := b.Totals(); return []int64{e, a} },
	"mvnd":      qms.Millions,
	"num":       func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) },
	"phaseOf":   func(p qms.Progress, i int) qms.PhaseProgress { return p.Phases[i] },
	"pct":       func(a [6]int, i int) int { return a[i] },
	"weekOrder": func() []int { return []int{1, 2, 3, 4, 5, 6, 0} }, // Monday first
	"weekday":   func(lang string, t time.Time) string { return i18n.T(lang, "weekday."+strconv.Itoa(int(t.Weekday()))) },
	"roleName":  func(lang string, r qms.Role) string { return i18n.T(lang, "role."+string(r)) },
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(vnZone).Format("02/01/2006 15:04")
	},
	"size":        fileSize,
	"can":         func(a *qms.Actor, p string, code string) bool { return a.Can(qms.Permission(p), code) },
	"canAnywhere": func(a *qms.Actor, p string) bool { return a.CanAnywhere(qms.Permission(p)) },
	"field":       newField,
	"maskName":    qms.MaskName,
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"query": func(kv ...string) template.URL {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] != "" {
				v.Set(kv[i], kv[i+1])
			}
		}
		return template.URL(v.Encode())
	},
}

// fileSize writes a byte count for people: B, KB or MB (powers of 1024).
func fileSize(n int64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	default:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
}

// now is the wall clock; "today" for lateness is reckoned in Vietnam's zone.
func (w *Web) now() time.Time { return time.Now().In(vnZone) }

// urlPathEscape encodes a file name for a Content-Disposition filename* parameter (RFC 5987).
func urlPathEscape(s string) string { return strings.ReplaceAll(url.PathEscape(s), "'", "%27") }

// vnZone is Vietnam's time, UTC+7 without daylight saving, used to show instants.
var vnZone = time.FixedZone("ICT", 7*3600)

// page is what every template receives.
type page struct {
	Lang    string
	Actor   *qms.Actor
	Agency  string // the agency chosen in the switcher
	Path    string
	Title   string
	Flash   string
	Demo    bool
	Version string
	Form    *form
	Data    any
	// Agencies are the agencies the actor holds roles in, for the switcher.
	Agencies []option
}

func (w *Web) page(r *http.Request, title string, data any) *page {
	p := &page{Lang: httpkit.LangOf(r), Actor: httpkit.ActorOf(r), Path: r.URL.Path, Title: title, Demo: w.opts.Demo,
		Version: w.opts.Version, Data: data}
	if s := httpkit.SessionOf(r); s != nil {
		p.Agency = s.AgencyCode
	}
	if p.Actor != nil {
		seen := map[string]bool{}
		for _, g := range p.Actor.Grants {
			if g.AgencyCode != "" && !seen[g.AgencyCode] {
				seen[g.AgencyCode] = true
				p.Agencies = append(p.Agencies, option{g.AgencyCode, g.AgencyName})
			}
		}
	}
	return p
}

// render executes a page template into a buffer first, so a template error never sends half a page.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	if c, err := r.Cookie(flashCookie); err == nil && p.Flash == "" {
		p.Flash = i18n.T(p.Lang, c.Value)
		http.SetCookie(rw, w.stack.Cookie(r, flashCookie, "", -1))
	}
	t, ok := w.pages[name]
	if !ok {
		w.fail(rw, r, errors.New("web: no page "+name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		w.fail(rw, r, err)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	_, _ = buf.WriteTo(rw)
}

const flashCookie = "isogov_flash"

// redirect sends the browser on after a successful POST, with a message for the next page.
func (w *Web) redirect(rw http.ResponseWriter, r *http.Request, to, flashKey string) {
	if flashKey != "" {
		http.SetCookie(rw, w.stack.Cookie(r, flashCookie, flashKey, 60))
	}
	http.Redirect(rw, r, to, http.StatusSeeOther)
}

// fail renders an internal error: the details go to the log, the person sees the request id.
func (w *Web) fail(rw http.ResponseWriter, r *http.Request, err error) {
	id := httpkit.RequestID(r.Context())
	w.log.ErrorContext(r.Context(), "internal error", "request_id", id, "path", r.URL.Path, "err", err)
	lang := httpkit.LangOf(r)
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.WriteHeader(http.StatusInternalServerError)
	_, _ = rw.Write([]byte("<!doctype html><meta charset=utf-8><title>" + template.HTMLEscapeString(i18n.T(lang, "problem.internal")) +
		"</title><p>" + template.HTMLEscapeString(i18n.T(lang, "error.internal", id)) + "</p><p><a href=\"/\">" +
		template.HTMLEscapeString(i18n.T(lang, "nav.home")) + "</a></p>"))
}

// deny answers a request the caller may not make: anonymous visitors go to the sign-in page,
// signed-in users see an error page in their language.
func (w *Web) deny(rw http.ResponseWriter, r *http.Request, err error) {
	if qms.ErrorCode(err) == qms.EUnauthenticated && r.Method == http.MethodGet {
		w.redirect(rw, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), "")
		return
	}
	w.errorPage(rw, r, err)
}

// errorPage renders a domain error (not found, forbidden, conflict…) as a page.
func (w *Web) errorPage(rw http.ResponseWriter, r *http.Request, err error) {
	var de *qms.Error
	if !errors.As(err, &de) {
		w.fail(rw, r, err)
		return
	}
	status := map[string]int{qms.EUnauthenticated: 401, qms.EForbidden: 403, qms.ENotFound: 404, qms.EConflict: 409,
		qms.ERateLimited: 429, qms.EInvalid: 400}[de.Code]
	lang := httpkit.LangOf(r)
	p := w.page(r, i18n.T(lang, "problem."+de.Code), map[string]any{"Status": status, "Message": i18n.T(lang, de.Key, de.Args...)})
	w.render(rw, r, status, "error", p)
}

// Routes is the UI's route table, guarded: every route states who may call it.
func (w *Web) Routes() []httpkit.Route {
	need := httpkit.Need
	signedIn := need(qms.PermSignedIn)
	trainingEditor := httpkit.NeedAny(qms.PermProgrammeManage, qms.PermTrackEdit)
	public := httpkit.Public
	r := httpkit.R
	return httpkit.Guard([]httpkit.Route{
		r("GET", "/static/{file...}", public, w.static),
		r("GET", "/login", public, w.loginForm),
		r("POST", "/login", public, w.login),
		r("POST", "/logout", signedIn, w.logout),
		r("POST", "/lang", public, w.setLang),
		r("GET", "/{$}", signedIn, w.home),
		r("POST", "/agency-switch", signedIn, w.switchAgency),
		r("GET", "/agencies", signedIn, w.agencies),
		r("GET", "/agencies/export", signedIn, w.agenciesExport),
		r("GET", "/agencies/new", need(qms.PermAgencyManage), w.newAgency),
		r("POST", "/agencies", need(qms.PermAgencyManage), w.createAgency),
		r("GET", "/agencies/{code}", signedIn, w.agency),
		r("GET", "/agencies/{code}/edit", need(qms.PermAgencyManage), w.editAgency),
		r("POST", "/agencies/{code}/edit", need(qms.PermAgencyManage), w.updateAgency),
		r("GET", "/agencies/{code}/close", need(qms.PermAgencyManage), w.closeAgencyForm),
		r("POST", "/agencies/{code}/close", need(qms.PermAgencyManage), w.closeAgency),
		r("POST", "/agencies/{code}/units", need(qms.PermUnitManage), w.createUnit),
		r("GET", "/agencies/{code}/units/{id}/edit", need(qms.PermUnitManage), w.editUnit),
		r("POST", "/agencies/{code}/units/{id}/edit", need(qms.PermUnitManage), w.updateUnit),
		r("GET", "/agencies/{code}/units/export", need(qms.PermUnitRead), w.unitsExport),
		r("GET", "/agencies/{code}/journal", need(qms.PermJournalRead), w.agencyJournal),
		r("GET", "/agencies/{code}/journal/export", need(qms.PermJournalRead), w.agencyJournalExport),
		r("GET", "/journal", need(qms.PermJournalRead), w.journal),
		r("GET", "/journal/export", need(qms.PermJournalRead), w.provinceJournalExport),
		r("GET", "/programmes", need(qms.PermProvinceOversee), w.programmes),
		r("GET", "/programmes/export", need(qms.PermProvinceOversee), w.programmesExport),
		r("GET", "/step-templates", need(qms.PermProvinceOversee), w.templates),
		r("POST", "/step-templates", need(qms.PermProgrammeManage), w.createTemplate),
		r("POST", "/step-templates/{id}", need(qms.PermProgrammeManage), w.updateTemplate),
		r("GET", "/programmes/new", need(qms.PermProgrammeManage), w.newProgramme),
		r("POST", "/programmes", need(qms.PermProgrammeManage), w.createProgramme),
		r("POST", "/programmes/{programme}/participants", need(qms.PermProgrammeManage), w.addParticipant),
		r("POST", "/programmes/{programme}/milestones", need(qms.PermProgrammeManage), w.setMilestones),
		r("GET", "/committees/inbox", need(qms.PermProvinceOversee), w.committeeInbox),
		r("GET", "/agencies/{code}/track", need(qms.PermTrackRead), w.agencyTrack),
		r("GET", "/agencies/{code}/track/steps/{id}", need(qms.PermTrackRead), w.step),
		r("POST", "/agencies/{code}/track/steps/{id}", need(qms.PermTrackEdit), w.updateStep),
		r("POST", "/agencies/{code}/track/steps/{id}/comments", need(qms.PermTrackRead), w.addComment),
		httpkit.Upload("POST", "/agencies/{code}/track/steps/{id}/evidence", need(qms.PermTrackEdit), w.svc.FileLimit()+1<<20, w.addEvidence),
		r("GET", "/agencies/{code}/evidence/{id}", need(qms.PermTrackRead), w.evidenceFile),
		r("GET", "/training", signedIn, w.training),
		r("POST", "/training/courses", need(qms.PermProgrammeManage), w.createCourse),
		r("POST", "/training/sessions", trainingEditor, w.createSession),
		r("GET", "/training/sessions/{id}", signedIn, w.trainingSession),
		r("POST", "/training/sessions/{id}/attendees", trainingEditor, w.addAttendance),
		r("GET", "/agencies/{code}/training", need(qms.PermTrackRead), w.agencyTraining),
		r("GET", "/organisations", signedIn, w.organisations),
		r("POST", "/organisations", need(qms.PermProgrammeManage), w.createOrganisation),
		r("GET", "/organisations/{org}", signedIn, w.organisation),
		r("POST", "/organisations/{org}/experts", need(qms.PermProgrammeManage), w.addExpert),
		r("POST", "/organisations/{org}/inspections", need(qms.PermProgrammeManage), w.inspectOrganisation),
		r("GET", "/agencies/{code}/engagements", need(qms.PermTrackRead), w.engagements),
		r("POST", "/agencies/{code}/engagements", need(qms.PermTrackEdit), w.addEngagement),
		r("GET", "/agencies/{code}/recognitions", need(qms.PermTrackRead), w.recognitions),
		r("POST", "/agencies/{code}/recognitions", need(qms.PermTrackEdit), w.addRecognition),
		r("POST", "/agencies/{code}/surveillance/{id}/done", need(qms.PermTrackEdit), w.completeSurveillance),
		r("GET", "/agencies/{code}/committee", need(qms.PermTrackRead), w.committee),
		r("POST", "/agencies/{code}/committee", need(qms.PermTrackEdit), w.newComposition),
		r("POST", "/agencies/{code}/committee/{id}/notify", need(qms.PermTrackEdit), w.notifyComposition),
		httpkit.Upload("POST", "/agencies/{code}/committee/{id}/rules", need(qms.PermTrackEdit), w.svc.FileLimit()+1<<20, w.uploadRules),
		r("GET", "/agencies/{code}/committee/{id}/rules", need(qms.PermTrackRead), w.rulesFile),
		r("GET", "/document-types", signedIn, w.docTypes),
		r("POST", "/document-types", need(qms.PermProgrammeManage), w.createDocType),
		r("GET", "/document-types/{code}", need(qms.PermProgrammeManage), w.editDocType),
		r("POST", "/document-types/{code}", need(qms.PermProgrammeManage), w.saveDocType),
		r("GET", "/clauses", signedIn, w.clauses),
		r("GET", "/search", httpkit.NeedSomewhere(qms.PermDocRead), w.search),
		r("GET", "/search/export", httpkit.NeedSomewhere(qms.PermDocRead), w.searchExport),
		r("GET", "/procedures", signedIn, w.procedures),
		r("GET", "/procedures/export", signedIn, w.proceduresExport),
		r("GET", "/procedures/new", need(qms.PermProgrammeManage), w.newProcedure),
		r("GET", "/procedures/import", need(qms.PermProgrammeManage), w.importForm),
		httpkit.Upload("POST", "/procedures/import", need(qms.PermProgrammeManage), service.MaxImportFile+1<<20, w.importProcedures),
		r("POST", "/procedures", need(qms.PermProgrammeManage), w.saveProcedure),
		r("GET", "/procedures/{proc}", signedIn, w.procedure),
		r("POST", "/procedures/{proc}", need(qms.PermProgrammeManage), w.saveProcedure),
		r("GET", "/agencies/{code}/dossiers", need(qms.PermDossierRead), w.dossiers),
		r("GET", "/agencies/{code}/dossiers/export", need(qms.PermDossierRead), w.dossiersExport),
		r("GET", "/agencies/{code}/dossiers/ledger", need(qms.PermDossierHandle), w.ledger),
		r("GET", "/agencies/{code}/dossiers/new", need(qms.PermDossierHandle), w.newDossier),
		r("GET", "/agencies/{code}/dossiers/import", need(qms.PermDossierHandle), w.dossierImport),
		httpkit.Upload("POST", "/agencies/{code}/dossiers/import", need(qms.PermDossierHandle), service.MaxImportFile+1<<20, w.importDossiers),
		r("POST", "/agencies/{code}/dossiers", need(qms.PermDossierHandle), w.receiveDossier),
		r("GET", "/agencies/{code}/dossiers/{id}", need(qms.PermDossierRead), w.dossier),
		r("GET", "/agencies/{code}/dossiers/{id}/slip", need(qms.PermDossierRead), w.slip),
		r("GET", "/agencies/{code}/dossiers/{id}/forms/{form}", need(qms.PermDossierRead), w.dossierForm),
		r("POST", "/agencies/{code}/dossiers/{id}", need(qms.PermDossierHandle), w.actOnDossier),
		r("GET", "/dossier-figures", signedIn, w.figures),
		r("GET", "/dossier-figures/export", signedIn, w.figuresExport),
		r("GET", "/lookup", httpkit.Public, w.lookupForm),
		r("POST", "/lookup", httpkit.Public, w.lookup),
		r("POST", "/lookup/rating", httpkit.Public, w.rate),
		r("GET", "/agencies/{code}/nonconformities", need(qms.PermNCRead), w.nonconformities),
		r("GET", "/agencies/{code}/nonconformities/export", need(qms.PermNCRead), w.nonconformitiesExport),
		r("GET", "/agencies/{code}/nonconformities/new", need(qms.PermNCEdit), w.newNC),
		r("POST", "/agencies/{code}/nonconformities", need(qms.PermNCEdit), w.reportNC),
		r("GET", "/agencies/{code}/nonconformities/{id}", need(qms.PermNCRead), w.nc),
		r("POST", "/agencies/{code}/nonconformities/{id}", need(qms.PermNCEdit), w.actOnNC),
		r("GET", "/agencies/{code}/audits", need(qms.PermNCRead), w.audits),
		r("GET", "/agencies/{code}/audits/export", need(qms.PermNCRead), w.auditsExport),
		r("GET", "/agencies/{code}/audits/new", need(qms.PermLoopManage), w.newAudit),
		r("POST", "/agencies/{code}/audits", need(qms.PermLoopManage), w.planAudit),
		r("GET", "/agencies/{code}/audits/{id}", need(qms.PermNCRead), w.audit),
		r("POST", "/agencies/{code}/audits/{id}", need(qms.PermNCEdit), w.actOnAudit),
		r("GET", "/agencies/{code}/audits/{id}/report", need(qms.PermNCRead), w.auditReport),
		r("GET", "/agencies/{code}/audits/{id}/report.pdf", need(qms.PermNCRead), w.auditReportPDF),
		r("GET", "/agencies/{code}/risks", need(qms.PermNCRead), w.risks),
		r("GET", "/agencies/{code}/risks/export", need(qms.PermNCRead), w.risksExport),
		r("POST", "/agencies/{code}/risks", need(qms.PermNCEdit), w.addRisk),
		r("GET", "/agencies/{code}/risks/{id}", need(qms.PermNCRead), w.risk),
		r("POST", "/agencies/{code}/risks/{id}", need(qms.PermNCEdit), w.rescoreRisk),
		r("GET", "/agencies/{code}/objectives", need(qms.PermNCRead), w.objectives),
		r("GET", "/agencies/{code}/objectives/export", need(qms.PermNCRead), w.objectivesExport),
		r("POST", "/agencies/{code}/objectives", need(qms.PermLoopManage), w.addObjective),
		r("GET", "/agencies/{code}/objectives/{id}", need(qms.PermNCRead), w.objective),
		r("POST", "/agencies/{code}/objectives/{id}", need(qms.PermNCEdit), w.enterObjectiveValue),
		r("GET", "/agencies/{code}/reviews", need(qms.PermNCRead), w.reviews),
		r("GET", "/agencies/{code}/reviews/export", need(qms.PermNCRead), w.reviewsExport),
		r("POST", "/agencies/{code}/reviews", need(qms.PermLoopManage), w.planReview),
		r("GET", "/agencies/{code}/reviews/{id}", need(qms.PermNCRead), w.review),
		r("POST", "/agencies/{code}/reviews/{id}", need(qms.PermLoopManage), w.actOnReview), // minutes; the approval is the leader's
		r("POST", "/agencies/{code}/loop-actions", need(qms.PermNCEdit), w.loopAction),
		r("GET", "/inbox", need(qms.PermSignedIn), w.inbox),
		r("POST", "/inbox", need(qms.PermSignedIn), w.actOnInbox),
		r("GET", "/admin/mail", need(qms.PermUserManage), w.mailQueue),
		r("POST", "/admin/mail", need(qms.PermUserManage), w.retryMail),
		r("GET", "/inspections", need(qms.PermProvinceOversee), w.inspections),
		r("GET", "/inspections/export", need(qms.PermProvinceOversee), w.inspectionsExport),
		r("GET", "/inspections/pdf", need(qms.PermProvinceOversee), w.planPDF),
		r("GET", "/inspections/{id}/pdf/{form}", need(qms.PermSignedIn), w.inspectionPDF),
		r("POST", "/inspections", need(qms.PermProgrammeManage), w.actOnPlan),
		r("GET", "/inspections/{id}", need(qms.PermSignedIn), w.inspection),
		r("POST", "/inspections/{id}", need(qms.PermSignedIn), w.actOnInspection),
		r("GET", "/agencies/{code}/inspections", need(qms.PermTrackRead), w.agencyInspections),
		r("GET", "/budgets", need(qms.PermProvinceOversee), w.budgets),
		r("GET", "/finance-norms", need(qms.PermSignedIn), w.norms),
		r("POST", "/finance-norms", need(qms.PermProgrammeManage), w.saveNorm),
		r("GET", "/budgets/export", need(qms.PermProvinceOversee), w.budgetsExport),
		r("GET", "/agencies/{code}/budgets", need(qms.PermTrackRead), w.budget),
		r("POST", "/agencies/{code}/budgets", need(qms.PermTrackEdit), w.saveBudget),
		r("GET", "/evaluations", need(qms.PermProvinceOversee), w.evaluations),
		r("POST", "/evaluations", need(qms.PermProgrammeManage), w.adjustScore),
		r("GET", "/evaluations/export", need(qms.PermProvinceOversee), w.evaluationsExport),
		r("GET", "/evaluations/pdf", need(qms.PermProvinceOversee), w.evaluationsPDF),
		r("GET", "/evaluation-criteria", need(qms.PermProvinceOversee), w.criteria),
		r("POST", "/evaluation-criteria", need(qms.PermProgrammeManage), w.saveCriteria),
		// The province's report: its roles, and the Department's leader who signs it (the
		// service decides).
		r("GET", "/province-reports", need(qms.PermSignedIn), w.consolidation),
		r("POST", "/province-reports", need(qms.PermSignedIn), w.actOnConsolidation),
		r("GET", "/province-reports/pdf", need(qms.PermSignedIn), w.consolidationPDF),
		r("GET", "/province-reports/export", need(qms.PermSignedIn), w.consolidationExport),
		r("GET", "/report-schedules", need(qms.PermSignedIn), w.schedules),
		r("POST", "/report-schedules", need(qms.PermProgrammeManage), w.saveSchedule),
		r("GET", "/agencies/{code}/reports", need(qms.PermTrackRead), w.reports),
		r("GET", "/agencies/{code}/reports/export", need(qms.PermTrackRead), w.reportsExport),
		r("POST", "/agencies/{code}/reports", need(qms.PermTrackEdit), w.openReport),
		r("GET", "/agencies/{code}/reports/{id}", need(qms.PermTrackRead), w.report),
		r("POST", "/agencies/{code}/reports/{id}", need(qms.PermTrackRead), w.actOnReport),
		r("GET", "/agencies/{code}/reports/{id}/pdf", need(qms.PermTrackRead), w.reportPDF),
		r("GET", "/agencies/{code}/reports/{id}/annex", need(qms.PermTrackRead), w.reportAnnex),
		r("GET", "/legal", signedIn, w.legalDocs),
		r("GET", "/legal/export", signedIn, w.legalExport),
		r("POST", "/legal", need(qms.PermProgrammeManage), w.saveLegalDoc),
		r("GET", "/legal/{id}", signedIn, w.legalDoc),
		r("POST", "/legal/{id}", need(qms.PermProgrammeManage), w.saveLegalDoc),
		r("GET", "/agencies/{code}/update-tasks", need(qms.PermDocRead), w.updateTasks),
		r("GET", "/agencies/{code}/update-tasks/export", need(qms.PermDocRead), w.updateTasksExport),
		r("GET", "/agencies/{code}/update-tasks/{id}", need(qms.PermDocRead), w.updateTask),
		r("POST", "/agencies/{code}/update-tasks/{id}/list-updated", need(qms.PermDocEdit), w.taskListUpdated),
		r("POST", "/agencies/{code}/update-tasks/{id}/close", need(qms.PermDocEdit), w.closeUpdateTask),
		r("GET", "/agencies/{code}/procedures", signedIn, w.procedures),
		r("GET", "/agencies/{code}/procedures/export", signedIn, w.proceduresExport),
		r("GET", "/document-models", signedIn, w.models),
		httpkit.Upload("POST", "/document-models", need(qms.PermProgrammeManage), w.svc.FileLimit()+1<<20, w.publishModel),
		r("GET", "/document-models/{id}/file", signedIn, w.modelFile),
		r("POST", "/agencies/{code}/document-models/{id}/copy", need(qms.PermDocEdit), w.copyModel),
		r("GET", "/agencies/{code}/documents", need(qms.PermDocRead), w.documents),
		r("POST", "/agencies/{code}/document-settings", need(qms.PermDocApprove), w.documentSettings),
		r("GET", "/agencies/{code}/documents/export", need(qms.PermDocRead), w.documentsExport),
		r("GET", "/agencies/{code}/documents/retention", need(qms.PermDocRead), w.retention),
		r("POST", "/agencies/{code}/revisions/{id}/destroy", need(qms.PermDocApprove), w.destroyRevision),
		r("GET", "/agencies/{code}/coverage", need(qms.PermDocRead), w.coverage),
		r("POST", "/agencies/{code}/documents", need(qms.PermDocEdit), w.createDocument),
		r("GET", "/agencies/{code}/documents/{id}", need(qms.PermDocRead), w.documentPage),
		r("POST", "/agencies/{code}/documents/{id}/revisions", need(qms.PermDocEdit), w.newRevision),
		r("POST", "/agencies/{code}/documents/{id}/review", need(qms.PermDocEdit), w.reviewNoChange),
		r("POST", "/agencies/{code}/documents/{id}/readers", need(qms.PermDocEdit), w.setReaders),
		r("POST", "/agencies/{code}/documents/{id}/units", need(qms.PermDocEdit), w.setUnits),
		r("POST", "/agencies/{code}/revisions/{id}/unit-acknowledgements", need(qms.PermDocRead), w.acknowledgeForUnit),
		r("POST", "/agencies/{code}/documents/{id}/external", need(qms.PermDocEdit), w.updateExternal),
		r("POST", "/agencies/{code}/documents/{id}/change-requests", need(qms.PermDocRead), w.fileChangeRequest),
		r("POST", "/agencies/{code}/change-requests/{id}/decision", need(qms.PermDocEdit), w.decideChangeRequest),
		r("POST", "/agencies/{code}/revisions/{id}/acknowledge", need(qms.PermDocRead), w.acknowledge),
		r("POST", "/agencies/{code}/revisions/{id}", need(qms.PermDocEdit), w.updateDraft),
		httpkit.Upload("POST", "/agencies/{code}/revisions/{id}/file", need(qms.PermDocEdit), w.svc.FileLimit()+1<<20, w.uploadRevisionFile),
		r("GET", "/agencies/{code}/revisions/{id}/file", need(qms.PermDocRead), w.revisionFile),
		r("GET", "/agencies/{code}/revisions/{id}/process", need(qms.PermDocRead), w.process),
		r("POST", "/agencies/{code}/revisions/{id}/process", need(qms.PermDocEdit), w.saveProcess),
		r("GET", "/agencies/{code}/revisions/{id}/process/docx", need(qms.PermDocRead), w.processDocx),
		httpkit.Upload("POST", "/agencies/{code}/revisions/{id}/attachments", need(qms.PermDocEdit), w.svc.FileLimit()+1<<20, w.addAttachment),
		r("GET", "/agencies/{code}/revisions/{id}/attachments/{att}", need(qms.PermDocRead), w.attachmentFile),
		r("POST", "/agencies/{code}/revisions/{id}/attachments/{att}/delete", need(qms.PermDocEdit), w.removeAttachment),
		r("POST", "/agencies/{code}/revisions/{id}/transition", need(qms.PermDocEdit), w.transition),
		r("POST", "/agencies/{code}/revisions/{id}/comments", need(qms.PermDocRead), w.commentRevision),
		r("POST", "/agencies/{code}/comments/{id}/answer", need(qms.PermDocEdit), w.answerComment),
		r("GET", "/calendar", signedIn, w.calendarRedirect),
		r("GET", "/calendar/due", signedIn, w.calendarDue),
		r("GET", "/calendar/{year}", signedIn, w.calendarYear),
		r("GET", "/calendar/{year}/edit", need(qms.PermCalendarManage), w.editArrangement),
		r("POST", "/calendar/{year}/edit", need(qms.PermCalendarManage), w.saveArrangement),
		r("POST", "/calendar/{year}/reset", need(qms.PermCalendarManage), w.resetArrangement),
		r("GET", "/profile", signedIn, w.profile),
		r("POST", "/profile", signedIn, w.updateProfile),
		r("POST", "/profile/password", signedIn, w.changePassword),
		r("POST", "/profile/tokens", signedIn, w.createToken),
		r("POST", "/profile/tokens/{id}/revoke", signedIn, w.revokeToken),
		r("GET", "/admin/users", need(qms.PermUserManage), w.users),
		r("GET", "/admin/users/export", need(qms.PermUserManage), w.usersExport),
		r("GET", "/admin/users/new", need(qms.PermUserManage), w.newUser),
		r("POST", "/admin/users", need(qms.PermUserManage), w.createUser),
		r("GET", "/admin/users/{id}", need(qms.PermUserManage), w.user),
		r("POST", "/admin/users/{id}", need(qms.PermUserManage), w.updateUser),
		r("POST", "/admin/users/{id}/password", need(qms.PermUserManage), w.resetPassword),
		r("POST", "/admin/users/{id}/roles", need(qms.PermUserManage), w.grantRole),
		r("POST", "/admin/users/{id}/roles/{grant}/revoke", need(qms.PermUserManage), w.revokeRole),
		r("", "/", public, w.notFound),
	}, w.deny)
}

func (w *Web) notFound(rw http.ResponseWriter, r *http.Request) {
	w.errorPage(rw, r, qms.Errorf(qms.ENotFound, "err.not_found"))
}

// static serves the embedded assets with a long cache lifetime (their names change with the version).
func (w *Web) static(rw http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil || strings.Contains(name, "..") {
		http.NotFound(rw, r)
		return
	}
	switch path.Ext(name) {
	case ".css":
		rw.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		rw.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		rw.Header().Set("Content-Type", "image/svg+xml")
	default:
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	rw.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = rw.Write(b)
}
