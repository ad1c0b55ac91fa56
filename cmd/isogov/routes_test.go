package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
)

// The actors of the route test: one demo account per role, seen from the Department of
// Science and Technology (SKHCN). "consultant" is engaged by another agency (SNGV) and
// "other" holds roles in Home Affairs only: neither may touch SKHCN's own data.
var actors = map[string]string{
	"admin":       "quantri@demo.isogov.vn",
	"coordinator": "dieuphoi@demo.isogov.vn",
	"observer":    "giamsat@demo.isogov.vn",
	"leader":      "lanhdao.skhcn@demo.isogov.vn",
	"secretary":   "thuky.skhcn@demo.isogov.vn",
	"staff":       "chuyenvien.skhcn@demo.isogov.vn",
	"auditor":     "danhgia@demo.isogov.vn",
	"consultant":  "tuvan@demo.isogov.vn",
	"other":       "thuky.snv@demo.isogov.vn",
}

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

var (
	public         = set("anonymous", "admin", "coordinator", "observer", "leader", "secretary", "staff", "auditor", "consultant", "other")
	signedIn       = set("admin", "coordinator", "observer", "leader", "secretary", "staff", "auditor", "consultant", "other")
	manageAgencies = set("admin", "coordinator")
	readUnits      = set("admin", "coordinator", "observer", "leader", "secretary", "staff", "auditor")
	manageUnits    = set("admin", "coordinator", "leader", "secretary")
	agencyJournal  = set("admin", "coordinator", "observer", "leader", "secretary")
	wholeJournal   = set("admin", "coordinator", "observer")
	adminOnly      = set("admin")
	calendarAdmin  = set("admin")
	province       = set("admin", "coordinator", "observer")
	provinceDoc    = set("admin", "coordinator", "observer", "leader") // the province's report: its roles and the Department's leader who signs it
	readTrack      = set("admin", "coordinator", "observer", "leader", "secretary", "staff")
	editTrack      = set("admin", "leader", "secretary")
	docRead        = set("admin", "coordinator", "observer", "leader", "secretary", "staff", "auditor") // the demo consultant works for another agency
	docEdit        = set("admin", "leader", "secretary", "staff")
	docApprove     = set("admin", "leader")
	catalogue      = set("admin", "coordinator")                    // the province's catalogue of procedures
	unitAck        = set("leader", "secretary", "staff", "auditor") // the agency's own people, not the province's roles
	dossierRead    = set("admin", "coordinator", "observer", "leader", "secretary", "staff", "auditor")
	dossierHandle  = set("admin", "leader", "secretary", "staff") // the agency's desk officers and handlers
	ncRead         = set("admin", "coordinator", "observer", "leader", "secretary", "staff", "auditor")
	ncEdit         = set("admin", "leader", "secretary", "staff", "auditor")     // auditors record their findings
	loopManage     = set("admin", "leader", "secretary")                         // plan audits and reviews, set objectives
	trainingEditor = set("admin", "coordinator", "leader", "secretary", "other") // the coordinator, and any agency's editors for their own people
)

// access says who may call each route. Every route the server registers must be listed here:
// adding a route without deciding who may call it fails this test.
var access = map[string]map[string]bool{
	"GET /healthz":                                                  public,
	"GET /readyz":                                                   public,
	"GET /metrics":                                                  public,
	"GET /static/{file...}":                                         public,
	"GET /login":                                                    public,
	"POST /login":                                                   public,
	"POST /logout":                                                  signedIn,
	"POST /lang":                                                    public,
	"GET /{$}":                                                      signedIn,
	"POST /agency-switch":                                           signedIn,
	"GET /agencies":                                                 signedIn,
	"GET /agencies/export":                                          signedIn,
	"GET /agencies/{code}/units/export":                             readUnits,
	"GET /agencies/{code}/journal/export":                           agencyJournal,
	"GET /journal/export":                                           wholeJournal,
	"GET /agencies/new":                                             manageAgencies,
	"POST /agencies":                                                manageAgencies,
	"GET /agencies/{code}":                                          signedIn,
	"GET /agencies/{code}/edit":                                     manageAgencies,
	"POST /agencies/{code}/edit":                                    manageAgencies,
	"GET /agencies/{code}/close":                                    manageAgencies,
	"POST /agencies/{code}/close":                                   manageAgencies,
	"POST /agencies/{code}/units":                                   manageUnits,
	"GET /agencies/{code}/units/{id}/edit":                          manageUnits,
	"POST /agencies/{code}/units/{id}/edit":                         manageUnits,
	"GET /agencies/{code}/journal":                                  agencyJournal,
	"GET /journal":                                                  wholeJournal,
	"GET /programmes":                                               province,
	"GET /programmes/export":                                        province,
	"GET /committees/inbox":                                         province,
	"GET /step-templates":                                           province,
	"POST /step-templates":                                          manageAgencies,
	"POST /step-templates/{id}":                                     manageAgencies,
	"GET /programmes/new":                                           manageAgencies,
	"POST /programmes":                                              manageAgencies,
	"POST /programmes/{programme}/participants":                     manageAgencies,
	"POST /programmes/{programme}/milestones":                       manageAgencies,
	"GET /agencies/{code}/track":                                    readTrack,
	"GET /agencies/{code}/track/steps/{id}":                         readTrack,
	"POST /agencies/{code}/track/steps/{id}":                        editTrack,
	"POST /agencies/{code}/track/steps/{id}/evidence":               editTrack,
	"POST /agencies/{code}/track/steps/{id}/comments":               readTrack,
	"GET /agencies/{code}/evidence/{id}":                            readTrack,
	"GET /training":                                                 signedIn,
	"POST /training/courses":                                        manageAgencies,
	"POST /training/sessions":                                       trainingEditor,
	"GET /training/sessions/{id}":                                   signedIn,
	"POST /training/sessions/{id}/attendees":                        trainingEditor,
	"GET /agencies/{code}/training":                                 readTrack,
	"GET /organisations":                                            signedIn,
	"POST /organisations":                                           manageAgencies,
	"GET /organisations/{org}":                                      signedIn,
	"POST /organisations/{org}/experts":                             manageAgencies,
	"POST /organisations/{org}/inspections":                         manageAgencies,
	"GET /agencies/{code}/engagements":                              readTrack,
	"POST /agencies/{code}/engagements":                             editTrack,
	"GET /agencies/{code}/recognitions":                             readTrack,
	"POST /agencies/{code}/recognitions":                            editTrack,
	"POST /agencies/{code}/surveillance/{id}/done":                  editTrack,
	"GET /agencies/{code}/committee":                                readTrack,
	"GET /document-types":                                           signedIn,
	"POST /document-types":                                          manageAgencies,
	"GET /document-types/{code}":                                    manageAgencies,
	"POST /document-types/{code}":                                   manageAgencies,
	"GET /procedures":                                               signedIn,
	"GET /procedures/export":                                        signedIn,
	"GET /procedures/import":                                        catalogue,
	"POST /procedures/import":                                       catalogue,
	"GET /procedures/new":                                           catalogue,
	"POST /procedures":                                              catalogue,
	"GET /procedures/{proc}":                                        signedIn,
	"POST /procedures/{proc}":                                       catalogue,
	"GET /agencies/{code}/dossiers":                                 dossierRead,
	"GET /agencies/{code}/dossiers/export":                          dossierRead,
	"GET /agencies/{code}/dossiers/ledger":                          dossierHandle, // the ledger carries the applicants' contacts
	"GET /agencies/{code}/dossiers/new":                             dossierHandle,
	"GET /agencies/{code}/dossiers/import":                          dossierHandle,
	"POST /agencies/{code}/dossiers/import":                         dossierHandle,
	"POST /agencies/{code}/dossiers":                                dossierHandle,
	"GET /agencies/{code}/dossiers/{id}":                            dossierRead,
	"GET /agencies/{code}/dossiers/{id}/slip":                       dossierRead,
	"GET /agencies/{code}/dossiers/{id}/forms/{form}":               dossierRead,
	"POST /agencies/{code}/dossiers/{id}":                           dossierHandle,
	"GET /dossier-figures":                                          signedIn,
	"GET /dossier-figures/export":                                   signedIn,
	"GET /lookup":                                                   public,
	"POST /lookup":                                                  public,
	"POST /lookup/rating":                                           public,
	"GET /agencies/{code}/nonconformities":                          ncRead,
	"GET /agencies/{code}/nonconformities/export":                   ncRead,
	"GET /agencies/{code}/nonconformities/new":                      ncEdit,
	"POST /agencies/{code}/nonconformities":                         ncEdit,
	"GET /agencies/{code}/nonconformities/{id}":                     ncRead,
	"POST /agencies/{code}/nonconformities/{id}":                    ncEdit,
	"GET /agencies/{code}/audits":                                   ncRead,
	"GET /agencies/{code}/audits/export":                            ncRead,
	"GET /agencies/{code}/audits/new":                               loopManage,
	"POST /agencies/{code}/audits":                                  loopManage,
	"GET /agencies/{code}/audits/{id}":                              ncRead,
	"POST /agencies/{code}/audits/{id}":                             ncEdit,
	"GET /agencies/{code}/audits/{id}/report":                       ncRead,
	"GET /agencies/{code}/audits/{id}/report.pdf":                   ncRead,
	"GET /agencies/{code}/risks":                                    ncRead,
	"GET /agencies/{code}/risks/export":                             ncRead,
	"POST /agencies/{code}/risks":                                   ncEdit,
	"GET /agencies/{code}/risks/{id}":                               ncRead,
	"POST /agencies/{code}/risks/{id}":                              ncEdit,
	"GET /agencies/{code}/objectives":                               ncRead,
	"GET /agencies/{code}/objectives/export":                        ncRead,
	"POST /agencies/{code}/objectives":                              loopManage,
	"GET /agencies/{code}/objectives/{id}":                          ncRead,
	"POST /agencies/{code}/objectives/{id}":                         ncEdit,
	"GET /agencies/{code}/reviews":                                  ncRead,
	"GET /agencies/{code}/reviews/export":                           ncRead,
	"POST /agencies/{code}/reviews":                                 loopManage,
	"GET /agencies/{code}/reviews/{id}":                             ncRead,
	"POST /agencies/{code}/reviews/{id}":                            loopManage, // the minutes (the approval is the leader's)
	"POST /agencies/{code}/loop-actions":                            ncEdit,
	"GET /inbox":                                                    signedIn,
	"POST /inbox":                                                   signedIn,
	"GET /admin/mail":                                               adminOnly,
	"POST /admin/mail":                                              adminOnly,
	"GET /inspections":                                              province,
	"GET /inspections/export":                                       province,
	"GET /inspections/pdf":                                          province,
	"POST /inspections":                                             catalogue,
	"GET /inspections/{id}":                                         signedIn, // the province, or the inspected agency's people (the service decides)
	"GET /inspections/{id}/pdf/{form}":                              signedIn, // as the inspection's page
	"POST /inspections/{id}":                                        signedIn,
	"GET /agencies/{code}/inspections":                              readTrack,
	"GET /budgets":                                                  province,
	"GET /budgets/export":                                           province,
	"GET /finance-norms":                                            signedIn, // the norms are public rules; agencies budget by them
	"POST /finance-norms":                                           catalogue,
	"GET /agencies/{code}/budgets":                                  readTrack,
	"POST /agencies/{code}/budgets":                                 editTrack,
	"GET /evaluations":                                              province,
	"POST /evaluations":                                             catalogue, // the coordinator (and administrators) adjust
	"GET /evaluations/export":                                       province,
	"GET /evaluations/pdf":                                          province,
	"GET /evaluation-criteria":                                      province,
	"POST /evaluation-criteria":                                     catalogue,
	"GET /province-reports":                                         provinceDoc,
	"POST /province-reports":                                        provinceDoc, // its readers reach the form (a refusal shown on it); each step's rule in TestProvinceReportHTTP
	"GET /province-reports/pdf":                                     provinceDoc,
	"GET /province-reports/export":                                  provinceDoc,
	"GET /report-schedules":                                         signedIn, // agencies plan by them
	"POST /report-schedules":                                        catalogue,
	"GET /agencies/{code}/reports":                                  readTrack,
	"GET /agencies/{code}/reports/export":                           readTrack,
	"POST /agencies/{code}/reports":                                 editTrack,
	"GET /agencies/{code}/reports/{id}":                             readTrack,
	"POST /agencies/{code}/reports/{id}":                            readTrack, // the text and submission (the agency), signature (the leader), review (the Department)
	"GET /agencies/{code}/reports/{id}/pdf":                         readTrack,
	"GET /agencies/{code}/reports/{id}/annex":                       readTrack,
	"GET /legal":                                                    signedIn,
	"GET /legal/export":                                             signedIn,
	"POST /legal":                                                   catalogue,
	"GET /legal/{id}":                                               signedIn,
	"POST /legal/{id}":                                              catalogue,
	"GET /agencies/{code}/update-tasks":                             docRead,
	"GET /agencies/{code}/update-tasks/export":                      docRead,
	"GET /agencies/{code}/update-tasks/{id}":                        docRead,
	"POST /agencies/{code}/update-tasks/{id}/list-updated":          editTrack, // the ISO secretary or the leader
	"POST /agencies/{code}/update-tasks/{id}/close":                 editTrack,
	"GET /agencies/{code}/procedures":                               signedIn,
	"GET /agencies/{code}/procedures/export":                        signedIn,
	"GET /search/export":                                            signedIn,
	"GET /search":                                                   signedIn, // every demo actor reads some agency's documents
	"GET /document-models":                                          signedIn,
	"POST /document-models":                                         manageAgencies,
	"GET /document-models/{id}/file":                                signedIn,
	"POST /agencies/{code}/document-models/{id}/copy":               docEdit,
	"GET /clauses":                                                  signedIn,
	"GET /agencies/{code}/documents/retention":                      docRead,
	"POST /agencies/{code}/revisions/{id}/destroy":                  docApprove,
	"GET /agencies/{code}/documents":                                docRead,
	"POST /agencies/{code}/document-settings":                       docApprove,
	"GET /agencies/{code}/coverage":                                 docRead,
	"GET /agencies/{code}/documents/export":                         docRead,
	"POST /agencies/{code}/documents":                               docEdit,
	"GET /agencies/{code}/documents/{id}":                           docRead,
	"POST /agencies/{code}/documents/{id}/revisions":                docEdit,
	"POST /agencies/{code}/documents/{id}/review":                   docEdit,
	"POST /agencies/{code}/documents/{id}/change-requests":          docRead,
	"POST /agencies/{code}/change-requests/{id}/decision":           editTrack, // the ISO secretary or the leader decides
	"POST /agencies/{code}/documents/{id}/external":                 docEdit,
	"POST /agencies/{code}/documents/{id}/readers":                  docEdit,
	"POST /agencies/{code}/revisions/{id}/acknowledge":              docRead,
	"POST /agencies/{code}/documents/{id}/units":                    docEdit,
	"POST /agencies/{code}/revisions/{id}/unit-acknowledgements":    unitAck,
	"POST /agencies/{code}/revisions/{id}":                          docEdit,
	"POST /agencies/{code}/revisions/{id}/file":                     docEdit,
	"GET /agencies/{code}/revisions/{id}/file":                      docRead,
	"GET /agencies/{code}/revisions/{id}/process/docx":              docRead,
	"GET /agencies/{code}/revisions/{id}/process":                   docRead,
	"POST /agencies/{code}/revisions/{id}/process":                  docEdit,
	"POST /agencies/{code}/revisions/{id}/attachments":              docEdit,
	"GET /agencies/{code}/revisions/{id}/attachments/{att}":         docRead,
	"POST /agencies/{code}/revisions/{id}/attachments/{att}/delete": docEdit,
	"POST /agencies/{code}/revisions/{id}/transition":               docEdit,
	"POST /agencies/{code}/revisions/{id}/comments":                 docRead,
	"POST /agencies/{code}/comments/{id}/answer":                    docEdit,
	"POST /agencies/{code}/committee":                               editTrack,
	"POST /agencies/{code}/committee/{id}/notify":                   editTrack,
	"POST /agencies/{code}/committee/{id}/rules":                    editTrack,
	"GET /agencies/{code}/committee/{id}/rules":                     readTrack,
	"GET /calendar":                                                 signedIn,
	"GET /calendar/due":                                             signedIn,
	"GET /calendar/{year}":                                          signedIn,
	"GET /calendar/{year}/edit":                                     calendarAdmin,
	"POST /calendar/{year}/edit":                                    calendarAdmin,
	"POST /calendar/{year}/reset":                                   calendarAdmin,
	"GET /profile":                                                  signedIn,
	"POST /profile":                                                 signedIn,
	"POST /profile/password":                                        signedIn,
	"POST /profile/tokens":                                          signedIn,
	"POST /profile/tokens/{id}/revoke":                              signedIn,
	"GET /admin/users":                                              adminOnly,
	"GET /admin/users/export":                                       adminOnly,
	"GET /admin/users/new":                                          adminOnly,
	"POST /admin/users":                                             adminOnly,
	"GET /admin/users/{id}":                                         adminOnly,
	"POST /admin/users/{id}":                                        adminOnly,
	"POST /admin/users/{id}/password":                               adminOnly,
	"POST /admin/users/{id}/roles":                                  adminOnly,
	"POST /admin/users/{id}/roles/{grant}/revoke":                   adminOnly,
	"/":                                                                         public,
	"GET /api/openapi.json":                                                     public,
	"GET /api/v1/me":                                                            signedIn,
	"GET /api/v1/agencies":                                                      signedIn,
	"POST /api/v1/agencies":                                                     manageAgencies,
	"GET /api/v1/agencies/{code}":                                               signedIn,
	"PATCH /api/v1/agencies/{code}":                                             manageAgencies,
	"POST /api/v1/agencies/{code}/close":                                        manageAgencies,
	"GET /api/v1/agencies/{code}/units":                                         readUnits,
	"POST /api/v1/agencies/{code}/units":                                        manageUnits,
	"PATCH /api/v1/agencies/{code}/units/{id}":                                  manageUnits,
	"GET /api/v1/agencies/{code}/journal":                                       agencyJournal,
	"GET /api/v1/journal":                                                       wholeJournal,
	"GET /api/v1/users":                                                         adminOnly,
	"POST /api/v1/users":                                                        adminOnly,
	"GET /api/v1/users/{id}":                                                    adminOnly,
	"PATCH /api/v1/users/{id}":                                                  adminOnly,
	"POST /api/v1/users/{id}/roles":                                             adminOnly,
	"POST /api/v1/users/{id}/roles/{grant}/revoke":                              adminOnly,
	"GET /api/v1/tokens":                                                        signedIn,
	"POST /api/v1/tokens":                                                       signedIn,
	"POST /api/v1/tokens/{id}/revoke":                                           signedIn,
	"GET /api/v1/programmes":                                                    signedIn,
	"POST /api/v1/programmes":                                                   manageAgencies,
	"GET /api/v1/programmes/{programme}":                                        signedIn,
	"POST /api/v1/programmes/{programme}/participants":                          manageAgencies,
	"GET /api/v1/programmes/{programme}/dashboard":                              province,
	"GET /api/v1/programmes/{programme}/milestones":                             signedIn,
	"POST /api/v1/programmes/{programme}/milestones":                            manageAgencies,
	"GET /api/v1/step-templates":                                                signedIn,
	"POST /api/v1/step-templates":                                               manageAgencies,
	"PATCH /api/v1/step-templates/{id}":                                         manageAgencies,
	"GET /api/v1/agencies/{code}/tracks":                                        readTrack,
	"GET /api/v1/agencies/{code}/steps/{id}":                                    readTrack,
	"POST /api/v1/agencies/{code}/steps/{id}/update":                            editTrack,
	"POST /api/v1/agencies/{code}/steps/{id}/evidence":                          editTrack,
	"POST /api/v1/agencies/{code}/steps/{id}/comments":                          readTrack,
	"GET /api/v1/agencies/{code}/evidence/{id}":                                 readTrack,
	"GET /api/v1/courses":                                                       signedIn,
	"POST /api/v1/courses":                                                      manageAgencies,
	"GET /api/v1/training-sessions":                                             signedIn,
	"POST /api/v1/training-sessions":                                            trainingEditor,
	"GET /api/v1/training-sessions/{id}":                                        signedIn,
	"POST /api/v1/training-sessions/{id}/attendees":                             trainingEditor,
	"GET /api/v1/agencies/{code}/training":                                      readTrack,
	"GET /api/v1/organisations":                                                 signedIn,
	"POST /api/v1/organisations":                                                manageAgencies,
	"GET /api/v1/organisations/{org}":                                           signedIn,
	"POST /api/v1/organisations/{org}/experts":                                  manageAgencies,
	"POST /api/v1/organisations/{org}/inspections":                              manageAgencies,
	"GET /api/v1/agencies/{code}/engagements":                                   readTrack,
	"POST /api/v1/agencies/{code}/engagements":                                  editTrack,
	"GET /api/v1/agencies/{code}/recognitions":                                  readTrack,
	"POST /api/v1/agencies/{code}/recognitions":                                 editTrack,
	"POST /api/v1/agencies/{code}/surveillance/{id}/done":                       editTrack,
	"GET /api/v1/agencies/{code}/committees":                                    readTrack,
	"POST /api/v1/agencies/{code}/committees":                                   editTrack,
	"POST /api/v1/agencies/{code}/committees/{id}/notify":                       editTrack,
	"POST /api/v1/agencies/{code}/committees/{id}/rules":                        editTrack,
	"GET /api/v1/agencies/{code}/committees/{id}/rules":                         readTrack,
	"GET /api/v1/committee-notifications":                                       province,
	"GET /api/v1/document-types":                                                signedIn,
	"POST /api/v1/document-types":                                               manageAgencies,
	"PATCH /api/v1/document-types/{code}":                                       manageAgencies,
	"GET /api/v1/procedures":                                                    signedIn,
	"POST /api/v1/procedures/import":                                            catalogue,
	"POST /api/v1/procedures":                                                   catalogue,
	"GET /api/v1/procedures/{proc}":                                             signedIn,
	"PUT /api/v1/procedures/{proc}":                                             catalogue,
	"GET /api/v1/agencies/{code}/procedures/{proc}/workflow":                    docRead,
	"POST /api/v1/agencies/{code}/dossiers":                                     dossierHandle,
	"POST /api/v1/agencies/{code}/dossiers/batch":                               dossierHandle,
	"GET /api/v1/agencies/{code}/dossiers":                                      dossierRead,
	"GET /api/v1/agencies/{code}/dossiers/{id}":                                 dossierRead,
	"POST /api/v1/agencies/{code}/dossiers/{id}/{action}":                       dossierHandle,
	"GET /api/v1/dossier-figures":                                               signedIn,
	"GET /api/v1/lookup":                                                        public,
	"POST /api/v1/lookup/rating":                                                public,
	"GET /api/v1/agencies/{code}/nonconformities":                               ncRead,
	"POST /api/v1/agencies/{code}/nonconformities":                              ncEdit,
	"GET /api/v1/agencies/{code}/nonconformities/{id}":                          ncRead,
	"POST /api/v1/agencies/{code}/nonconformities/{id}/actions":                 ncEdit,
	"POST /api/v1/agencies/{code}/nonconformities/{id}/actions/{action}/{step}": ncEdit,
	"POST /api/v1/agencies/{code}/nonconformities/{id}/{event}":                 ncEdit,
	"GET /api/v1/agencies/{code}/audits":                                        ncRead,
	"POST /api/v1/agencies/{code}/audits":                                       loopManage,
	"GET /api/v1/agencies/{code}/audits/{id}":                                   ncRead,
	"POST /api/v1/agencies/{code}/audits/{id}/{part}":                           ncEdit,
	"GET /api/v1/agencies/{code}/risks":                                         ncRead,
	"POST /api/v1/agencies/{code}/risks":                                        ncEdit,
	"GET /api/v1/agencies/{code}/risks/{id}":                                    ncRead,
	"POST /api/v1/agencies/{code}/risks/{id}/score":                             ncEdit,
	"POST /api/v1/agencies/{code}/risks/{id}/actions":                           ncEdit,
	"GET /api/v1/agencies/{code}/objectives":                                    ncRead,
	"POST /api/v1/agencies/{code}/objectives":                                   loopManage,
	"GET /api/v1/agencies/{code}/objectives/{id}":                               ncRead,
	"POST /api/v1/agencies/{code}/objectives/{id}/values":                       ncEdit,
	"POST /api/v1/agencies/{code}/objectives/{id}/actions":                      ncEdit,
	"GET /api/v1/agencies/{code}/reviews":                                       ncRead,
	"POST /api/v1/agencies/{code}/reviews":                                      loopManage,
	"GET /api/v1/agencies/{code}/reviews/{id}":                                  ncRead,
	"POST /api/v1/agencies/{code}/reviews/{id}/actions":                         ncEdit,
	"POST /api/v1/agencies/{code}/reviews/{id}/{step}":                          ncRead,
	"GET /api/v1/agencies/{code}/review-pack":                                   ncRead,
	"POST /api/v1/agencies/{code}/actions/{id}/{step}":                          ncEdit,
	"GET /api/v1/loop-gaps":                                                     province,
	"GET /api/v1/province-reports":                                              provinceDoc,
	"GET /api/v1/province-report-documents":                                     provinceDoc,
	"GET /api/v1/report-schedules":                                              signedIn,
	"PUT /api/v1/report-schedules":                                              catalogue,
	"GET /api/v1/province-reports/{kind}/{year}/pdf":                            provinceDoc,
	"POST /api/v1/province-reports/{kind}/{year}/{step}":                        provinceDoc, // no such step: 404 to readers; each step's own rule in TestProvinceReportHTTP
	"GET /api/v1/evaluations":                                                   province,
	"GET /api/v1/evaluations/pdf":                                               province,
	"GET /api/v1/budgets":                                                       province,
	"GET /api/v1/budget-years":                                                  province,
	"GET /api/v1/me/notifications":                                              signedIn,
	"POST /api/v1/me/notifications/read":                                        signedIn,
	"GET /api/v1/me/notification-prefs":                                         signedIn,
	"PUT /api/v1/me/notification-prefs":                                         signedIn,
	"GET /api/v1/mail-jobs":                                                     adminOnly,
	"POST /api/v1/mail-jobs/{id}/retry":                                         adminOnly,
	"GET /api/v1/inspection-plans/{year}":                                       province,
	"GET /api/v1/inspection-plans/{year}/pdf":                                   province,
	"PUT /api/v1/inspection-plans/{year}":                                       catalogue,
	"POST /api/v1/inspection-plans/{year}/approve":                              catalogue,
	"GET /api/v1/inspections/{id}":                                              signedIn,
	"GET /api/v1/inspections/{id}/pdf/{form}":                                   signedIn,
	"POST /api/v1/inspections/{id}/{step}":                                      signedIn,
	"GET /api/v1/agencies/{code}/budgets/{year}":                                readTrack,
	"PUT /api/v1/agencies/{code}/budgets/{year}":                                editTrack,
	"GET /api/v1/finance-norms":                                                 signedIn,
	"PUT /api/v1/finance-norms":                                                 catalogue,
	"POST /api/v1/evaluations/adjustments":                                      catalogue,
	"PUT /api/v1/evaluation-criteria":                                           catalogue,
	"GET /api/v1/agencies/{code}/reports":                                       readTrack,
	"POST /api/v1/agencies/{code}/reports":                                      editTrack,
	"GET /api/v1/agencies/{code}/reports/{id}":                                  readTrack,
	"PUT /api/v1/agencies/{code}/reports/{id}/text":                             editTrack,
	"GET /api/v1/agencies/{code}/reports/{id}/pdf":                              readTrack,
	"POST /api/v1/agencies/{code}/reports/{id}/{step}":                          readTrack,
	"GET /api/v1/legal-documents":                                               signedIn,
	"POST /api/v1/legal-documents":                                              catalogue,
	"GET /api/v1/legal-documents/{id}":                                          signedIn,
	"PUT /api/v1/legal-documents/{id}":                                          catalogue,
	"GET /api/v1/update-tasks/overdue":                                          province,
	"GET /api/v1/agencies/{code}/update-tasks":                                  docRead,
	"GET /api/v1/agencies/{code}/update-tasks/{id}":                             docRead,
	"POST /api/v1/agencies/{code}/update-tasks/{id}/list-updated":               editTrack,
	"POST /api/v1/agencies/{code}/update-tasks/{id}/close":                      editTrack,
	"GET /api/v1/agencies/{code}/procedures":                                    signedIn,
	"GET /api/v1/search":                                                        signedIn,
	"GET /api/v1/document-models":                                               signedIn,
	"POST /api/v1/document-models":                                              manageAgencies,
	"GET /api/v1/document-models/{id}/file":                                     signedIn,
	"POST /api/v1/agencies/{code}/document-models/{id}/copy":                    docEdit,
	"GET /api/v1/clauses/{edition}":                                             signedIn,
	"GET /api/v1/agencies/{code}/retention":                                     docRead,
	"POST /api/v1/agencies/{code}/revisions/{id}/destroy":                       docApprove,
	"GET /api/v1/agencies/{code}/documents":                                     docRead,
	"GET /api/v1/agencies/{code}/document-settings":                             docRead,
	"PUT /api/v1/agencies/{code}/document-settings":                             docApprove,
	"POST /api/v1/agencies/{code}/documents":                                    docEdit,
	"GET /api/v1/agencies/{code}/documents/{id}":                                docRead,
	"POST /api/v1/agencies/{code}/documents/{id}/revisions":                     docEdit,
	"POST /api/v1/agencies/{code}/documents/{id}/review":                        docEdit,
	"PUT /api/v1/agencies/{code}/documents/{id}/units":                          docEdit,
	"POST /api/v1/agencies/{code}/revisions/{id}/unit-acknowledgements":         unitAck,
	"PUT /api/v1/agencies/{code}/documents/{id}/readers":                        docEdit,
	"PUT /api/v1/agencies/{code}/documents/{id}/external":                       docEdit,
	"POST /api/v1/agencies/{code}/documents/{id}/change-requests":               docRead,
	"POST /api/v1/agencies/{code}/change-requests/{id}/decision":                editTrack,
	"POST /api/v1/agencies/{code}/revisions/{id}/acknowledge":                   docRead,
	"GET /api/v1/me/reading":                                                    signedIn,
	"PATCH /api/v1/agencies/{code}/revisions/{id}":                              docEdit,
	"POST /api/v1/agencies/{code}/revisions/{id}/file":                          docEdit,
	"GET /api/v1/agencies/{code}/revisions/{id}/process":                        docRead,
	"PUT /api/v1/agencies/{code}/revisions/{id}/process":                        docEdit,
	"GET /api/v1/agencies/{code}/revisions/{id}/file":                           docRead,
	"POST /api/v1/agencies/{code}/revisions/{id}/attachments":                   docEdit,
	"GET /api/v1/agencies/{code}/revisions/{id}/attachments/{att}":              docRead,
	"DELETE /api/v1/agencies/{code}/revisions/{id}/attachments/{att}":           docEdit,
	"POST /api/v1/agencies/{code}/revisions/{id}/transition":                    docEdit,
	"POST /api/v1/agencies/{code}/revisions/{id}/comments":                      docRead,
	"POST /api/v1/agencies/{code}/comments/{id}/answer":                         docEdit,
	"GET /api/v1/calendar/due":                                                  signedIn,
	"GET /api/v1/calendar/{year}":                                               signedIn,
	"POST /api/v1/calendar/{year}/arrangement":                                  calendarAdmin,
	"POST /api/v1/calendar/{year}/arrangement/reset":                            calendarAdmin,
	"/api/": public,
}

// TestRouteAccess walks every registered route with every role, an actor of another agency
// and an anonymous visitor, and checks that exactly the listed actors get through. Requests
// carry empty or harmless bodies: an allowed caller gets a validation error or a page, never
// 401/403 or a redirect to sign-in; a refused caller gets exactly that.
func TestRouteAccess(t *testing.T) {
	ts := newTestServer(t, testdb.Open(t, "sqlite"))
	// Objects the paths point at: a unit of SKHCN, and a throwaway user with a grant and a
	// token, so that allowed calls which do change something change nothing the actors need.
	_, units, err := ts.svc.Units(ctx, service.System, "SKHCN")
	if err != nil || len(units) == 0 {
		t.Fatal("no SKHCN units", err)
	}
	target, err := ts.svc.CreateUser(ctx, service.System, service.UserInput{Email: "target@test.vn", Name: "Target", Password: "Kh0ng-de-doan-2026", Roles: []string{"staff@SNV"}})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ts.svc.CreateTokenFor(ctx, service.System, "target@test.vn", "t")
	if err != nil {
		t.Fatal(err)
	}
	fill := func(pattern string) string {
		id := strconv.FormatInt(target.ID, 10)
		switch {
		case strings.Contains(pattern, "/units/"):
			id = strconv.FormatInt(units[0].ID, 10)
		case strings.Contains(pattern, "/tokens/"):
			id = strconv.FormatInt(tok.Token.ID, 10)
		}
		return strings.NewReplacer("{code}", "SKHCN", "{id}", id, "{grant}", strconv.FormatInt(target.Grants[0].ID, 10),
			"{att}", id, "{proc}", "1.001207", "{file...}", "style.css", "{$}", "", "{year}", "2027", "{kind}", "year", "{programme}", "ISO2015", "{org}", "NOPE").Replace(pattern)
	}

	seen := map[string]bool{}
	for _, rt := range ts.routes {
		key := rt.String()
		seen[key] = true
		who, ok := access[key]
		if !ok {
			t.Errorf("route %q has no access rule in this test: decide who may call it", key)
			continue
		}
		method, path := rt.Method, fill(rt.Pattern)
		if method == "" {
			method, path = "GET", path+"no-such-page"
		}
		for role := range public {
			allowed := who[role]
			cookie := ""
			if role != "anonymous" {
				cookie = ts.session(t, actors[role])
			}
			body, ctype := "", ""
			if method != "GET" {
				if strings.HasPrefix(path, "/api/") {
					ctype = "application/json"
				} else {
					ctype = "application/x-www-form-urlencoded"
					if path == "/agency-switch" && role != "anonymous" {
						codes := ts.actor(t, role).AgencyCodes()
						if len(codes) > 0 {
							body = "agency=" + codes[0]
						}
					}
				}
			}
			resp := ts.do(t, method, path, cookie, ctype, body)
			loc := resp.Header.Get("Location")
			refused := resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized && !rt.Access.Public ||
				strings.HasPrefix(loc, "/login?next=")
			if resp.StatusCode >= 500 {
				t.Errorf("%s %s as %s: status %d", method, path, role, resp.StatusCode)
			}
			if allowed && refused {
				t.Errorf("%s %s as %s: refused (%d %s), want allowed", method, path, role, resp.StatusCode, loc)
			}
			if !allowed && !refused {
				t.Errorf("%s %s as %s: allowed (%d), want refused", method, path, role, resp.StatusCode)
			}
		}
	}
	for key := range access {
		if !seen[key] {
			t.Errorf("access rule for %q names no registered route", key)
		}
	}
}

// actor returns the demo account behind a role name.
func (ts *testServer) actor(t *testing.T, role string) *qms.Actor {
	t.Helper()
	u, err := ts.db.UserByEmail(ctx, actors[role])
	if err != nil {
		t.Fatal(err)
	}
	return &qms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Grants: u.Grants}
}
