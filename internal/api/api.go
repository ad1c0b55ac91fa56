package api

import (
	_ "embed"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

// OpenAPI is the OpenAPI 3.1 document of every /api/v1 route (a test checks both agree).
//
//go:embed openapi.json
var OpenAPI []byte

// Handlers serves /api/v1.
type Handlers struct {
	api
	svc      *service.Service
	clientIP func(*http.Request) string
}

// New returns the API handlers; clientIP tells the caller's address (behind a trusted proxy,
// the forwarded one) for the limits of the public routes.
func New(svc *service.Service, log *slog.Logger, clientIP func(*http.Request) string) *Handlers {
	return &Handlers{api: api{log: log}, svc: svc, clientIP: clientIP}
}

// Routes is the API's route table, guarded: every route states who may call it.
func (h *Handlers) Routes() []httpkit.Route {
	need := httpkit.Need
	signedIn := need(qms.PermSignedIn)
	trainingEditor := httpkit.NeedAny(qms.PermProgrammeManage, qms.PermTrackEdit)
	return httpkit.Guard([]httpkit.Route{
		httpkit.R("GET", "/api/openapi.json", httpkit.Public, h.openAPI),
		httpkit.R("GET", "/api/v1/me", signedIn, h.me),
		httpkit.R("GET", "/api/v1/agencies", signedIn, h.listAgencies),
		httpkit.R("POST", "/api/v1/agencies", need(qms.PermAgencyManage), h.createAgency),
		httpkit.R("GET", "/api/v1/agencies/{code}", signedIn, h.getAgency),
		httpkit.R("PATCH", "/api/v1/agencies/{code}", need(qms.PermAgencyManage), h.updateAgency),
		httpkit.R("POST", "/api/v1/agencies/{code}/close", need(qms.PermAgencyManage), h.closeAgency),
		httpkit.R("GET", "/api/v1/agencies/{code}/units", need(qms.PermUnitRead), h.listUnits),
		httpkit.R("POST", "/api/v1/agencies/{code}/units", need(qms.PermUnitManage), h.createUnit),
		httpkit.R("PATCH", "/api/v1/agencies/{code}/units/{id}", need(qms.PermUnitManage), h.updateUnit),
		httpkit.R("GET", "/api/v1/agencies/{code}/journal", need(qms.PermJournalRead), h.agencyJournal),
		httpkit.R("GET", "/api/v1/journal", need(qms.PermJournalRead), h.journal),
		httpkit.R("GET", "/api/v1/users", need(qms.PermUserManage), h.listUsers),
		httpkit.R("POST", "/api/v1/users", need(qms.PermUserManage), h.createUser),
		httpkit.R("GET", "/api/v1/users/{id}", need(qms.PermUserManage), h.getUser),
		httpkit.R("PATCH", "/api/v1/users/{id}", need(qms.PermUserManage), h.updateUser),
		httpkit.R("POST", "/api/v1/users/{id}/roles", need(qms.PermUserManage), h.grantRole),
		httpkit.R("POST", "/api/v1/users/{id}/roles/{grant}/revoke", need(qms.PermUserManage), h.revokeRole),
		httpkit.R("GET", "/api/v1/tokens", signedIn, h.listTokens),
		httpkit.R("POST", "/api/v1/tokens", signedIn, h.createToken),
		httpkit.R("POST", "/api/v1/tokens/{id}/revoke", signedIn, h.revokeToken),
		httpkit.R("GET", "/api/v1/programmes", signedIn, h.listProgrammes),
		httpkit.R("POST", "/api/v1/programmes", need(qms.PermProgrammeManage), h.createProgramme),
		httpkit.R("GET", "/api/v1/programmes/{programme}", signedIn, h.getProgramme),
		httpkit.R("POST", "/api/v1/programmes/{programme}/participants", need(qms.PermProgrammeManage), h.addParticipant),
		httpkit.R("GET", "/api/v1/programmes/{programme}/dashboard", need(qms.PermProvinceOversee), h.programmeDashboard),
		httpkit.R("GET", "/api/v1/programmes/{programme}/milestones", signedIn, h.milestones),
		httpkit.R("POST", "/api/v1/programmes/{programme}/milestones", need(qms.PermProgrammeManage), h.setMilestones),
		httpkit.R("GET", "/api/v1/step-templates", signedIn, h.stepTemplates),
		httpkit.R("POST", "/api/v1/step-templates", need(qms.PermProgrammeManage), h.createTemplate),
		httpkit.R("PATCH", "/api/v1/step-templates/{id}", need(qms.PermProgrammeManage), h.updateTemplate),
		httpkit.R("GET", "/api/v1/agencies/{code}/tracks", need(qms.PermTrackRead), h.agencyTracks),
		httpkit.R("GET", "/api/v1/agencies/{code}/steps/{id}", need(qms.PermTrackRead), h.getStep),
		httpkit.R("POST", "/api/v1/agencies/{code}/steps/{id}/update", need(qms.PermTrackEdit), h.updateStep),
		httpkit.R("POST", "/api/v1/agencies/{code}/steps/{id}/comments", need(qms.PermTrackRead), h.addComment),
		httpkit.Upload("POST", "/api/v1/agencies/{code}/steps/{id}/evidence", need(qms.PermTrackEdit), h.svc.FileLimit()+1<<20, h.addEvidence),
		httpkit.R("GET", "/api/v1/agencies/{code}/evidence/{id}", need(qms.PermTrackRead), h.evidenceFile),
		httpkit.R("GET", "/api/v1/courses", signedIn, h.courses),
		httpkit.R("POST", "/api/v1/courses", need(qms.PermProgrammeManage), h.createCourse),
		httpkit.R("GET", "/api/v1/training-sessions", signedIn, h.trainingSessions),
		httpkit.R("POST", "/api/v1/training-sessions", trainingEditor, h.createTrainingSession),
		httpkit.R("GET", "/api/v1/training-sessions/{id}", signedIn, h.trainingSession),
		httpkit.R("POST", "/api/v1/training-sessions/{id}/attendees", trainingEditor, h.addAttendance),
		httpkit.R("GET", "/api/v1/agencies/{code}/training", need(qms.PermTrackRead), h.agencyTraining),
		httpkit.R("GET", "/api/v1/organisations", signedIn, h.organisations),
		httpkit.R("POST", "/api/v1/organisations", need(qms.PermProgrammeManage), h.createOrganisation),
		httpkit.R("GET", "/api/v1/organisations/{org}", signedIn, h.organisation),
		httpkit.R("POST", "/api/v1/organisations/{org}/experts", need(qms.PermProgrammeManage), h.addExpert),
		httpkit.R("POST", "/api/v1/organisations/{org}/inspections", need(qms.PermProgrammeManage), h.inspectOrganisation),
		httpkit.R("GET", "/api/v1/agencies/{code}/engagements", need(qms.PermTrackRead), h.engagements),
		httpkit.R("POST", "/api/v1/agencies/{code}/engagements", need(qms.PermTrackEdit), h.addEngagement),
		httpkit.R("GET", "/api/v1/agencies/{code}/recognitions", need(qms.PermTrackRead), h.recognitions),
		httpkit.R("POST", "/api/v1/agencies/{code}/recognitions", need(qms.PermTrackEdit), h.addRecognition),
		httpkit.R("POST", "/api/v1/agencies/{code}/surveillance/{id}/done", need(qms.PermTrackEdit), h.completeSurveillance),
		httpkit.R("GET", "/api/v1/agencies/{code}/committees", need(qms.PermTrackRead), h.committees),
		httpkit.R("POST", "/api/v1/agencies/{code}/committees", need(qms.PermTrackEdit), h.newComposition),
		httpkit.R("POST", "/api/v1/agencies/{code}/committees/{id}/notify", need(qms.PermTrackEdit), h.notifyComposition),
		httpkit.Upload("POST", "/api/v1/agencies/{code}/committees/{id}/rules", need(qms.PermTrackEdit), h.svc.FileLimit()+1<<20, h.uploadRules),
		httpkit.R("GET", "/api/v1/agencies/{code}/committees/{id}/rules", need(qms.PermTrackRead), h.rulesFile),
		httpkit.R("GET", "/api/v1/committee-notifications", need(qms.PermProvinceOversee), h.committeeInbox),
		httpkit.R("GET", "/api/v1/calendar/due", signedIn, h.calendarDue),
		httpkit.R("GET", "/api/v1/document-types", signedIn, h.docTypes),
		httpkit.R("POST", "/api/v1/document-types", need(qms.PermProgrammeManage), h.createDocType),
		httpkit.R("PATCH", "/api/v1/document-types/{code}", need(qms.PermProgrammeManage), h.updateDocType),
		httpkit.R("GET", "/api/v1/clauses/{edition}", signedIn, h.clauses),
		httpkit.R("GET", "/api/v1/search", httpkit.NeedSomewhere(qms.PermDocRead), h.search),
		httpkit.R("GET", "/api/v1/procedures", signedIn, h.procedures),
		httpkit.R("POST", "/api/v1/procedures", need(qms.PermProgrammeManage), h.saveProcedure),
		httpkit.Upload("POST", "/api/v1/procedures/import", need(qms.PermProgrammeManage), service.MaxImportFile+1<<20, h.importProcedures),
		httpkit.R("GET", "/api/v1/procedures/{proc}", signedIn, h.procedure),
		httpkit.R("PUT", "/api/v1/procedures/{proc}", need(qms.PermProgrammeManage), h.saveProcedure),
		httpkit.R("GET", "/api/v1/agencies/{code}/procedures", signedIn, h.procedures),
		httpkit.R("GET", "/api/v1/agencies/{code}/procedures/{proc}/workflow", need(qms.PermDocRead), h.workflow),
		httpkit.R("POST", "/api/v1/agencies/{code}/dossiers", need(qms.PermDossierHandle), h.receiveDossier),
		httpkit.R("POST", "/api/v1/agencies/{code}/dossiers/batch", need(qms.PermDossierHandle), h.receiveBatch),
		httpkit.R("GET", "/api/v1/agencies/{code}/dossiers", need(qms.PermDossierRead), h.dossiers),
		httpkit.R("GET", "/api/v1/agencies/{code}/dossiers/{id}", need(qms.PermDossierRead), h.dossier),
		httpkit.R("POST", "/api/v1/agencies/{code}/dossiers/{id}/{action}", need(qms.PermDossierHandle), h.actOnDossier),
		httpkit.R("GET", "/api/v1/dossier-figures", signedIn, h.dossierFigures),
		httpkit.R("GET", "/api/v1/lookup", httpkit.Public, h.lookup),
		httpkit.R("POST", "/api/v1/lookup/rating", httpkit.Public, h.rate),
		httpkit.R("GET", "/api/v1/agencies/{code}/nonconformities", need(qms.PermNCRead), h.nonconformities),
		httpkit.R("POST", "/api/v1/agencies/{code}/nonconformities", need(qms.PermNCEdit), h.reportNC),
		httpkit.R("GET", "/api/v1/agencies/{code}/nonconformities/{id}", need(qms.PermNCRead), h.nc),
		httpkit.R("POST", "/api/v1/agencies/{code}/nonconformities/{id}/actions", need(qms.PermNCEdit), h.addAction),
		httpkit.R("POST", "/api/v1/agencies/{code}/nonconformities/{id}/actions/{action}/{step}", need(qms.PermNCEdit), h.actionStep),
		httpkit.R("POST", "/api/v1/agencies/{code}/nonconformities/{id}/{event}", need(qms.PermNCEdit), h.actOnNC),
		httpkit.R("GET", "/api/v1/agencies/{code}/audits", need(qms.PermNCRead), h.audits),
		httpkit.R("POST", "/api/v1/agencies/{code}/audits", need(qms.PermLoopManage), h.planAudit),
		httpkit.R("GET", "/api/v1/agencies/{code}/audits/{id}", need(qms.PermNCRead), h.audit),
		httpkit.R("POST", "/api/v1/agencies/{code}/audits/{id}/{part}", need(qms.PermNCEdit), h.auditPart),
		httpkit.R("GET", "/api/v1/agencies/{code}/risks", need(qms.PermNCRead), h.risks),
		httpkit.R("POST", "/api/v1/agencies/{code}/risks", need(qms.PermNCEdit), h.addRisk),
		httpkit.R("GET", "/api/v1/agencies/{code}/risks/{id}", need(qms.PermNCRead), h.risk),
		httpkit.R("POST", "/api/v1/agencies/{code}/risks/{id}/score", need(qms.PermNCEdit), h.rescoreRisk),
		httpkit.R("POST", "/api/v1/agencies/{code}/risks/{id}/actions", need(qms.PermNCEdit), h.loopAddAction("risk")),
		httpkit.R("GET", "/api/v1/agencies/{code}/objectives", need(qms.PermNCRead), h.objectives),
		httpkit.R("POST", "/api/v1/agencies/{code}/objectives", need(qms.PermLoopManage), h.addObjective),
		httpkit.R("GET", "/api/v1/agencies/{code}/objectives/{id}", need(qms.PermNCRead), h.objective),
		httpkit.R("POST", "/api/v1/agencies/{code}/objectives/{id}/values", need(qms.PermNCEdit), h.objectiveValue),
		httpkit.R("POST", "/api/v1/agencies/{code}/objectives/{id}/actions", need(qms.PermNCEdit), h.loopAddAction("objective")),
		httpkit.R("GET", "/api/v1/agencies/{code}/reviews", need(qms.PermNCRead), h.reviews),
		httpkit.R("POST", "/api/v1/agencies/{code}/reviews", need(qms.PermLoopManage), h.planReview),
		httpkit.R("GET", "/api/v1/agencies/{code}/reviews/{id}", need(qms.PermNCRead), h.review),
		httpkit.R("POST", "/api/v1/agencies/{code}/reviews/{id}/actions", need(qms.PermNCEdit), h.loopAddAction("review")),
		httpkit.R("POST", "/api/v1/agencies/{code}/reviews/{id}/{step}", need(qms.PermNCRead), h.reviewStep),
		httpkit.R("GET", "/api/v1/agencies/{code}/review-pack", need(qms.PermNCRead), h.reviewPack),
		httpkit.R("POST", "/api/v1/agencies/{code}/actions/{id}/{step}", need(qms.PermNCEdit), h.loopActionStep),
		httpkit.R("GET", "/api/v1/loop-gaps", need(qms.PermProvinceOversee), h.loopGaps),
		// The province's report: its roles, and the Department's leader who signs it (the
		// service decides).
		httpkit.R("GET", "/api/v1/province-reports", need(qms.PermSignedIn), h.consolidation),
		httpkit.R("GET", "/api/v1/province-report-documents", need(qms.PermSignedIn), h.provinceReports),
		httpkit.R("GET", "/api/v1/report-schedules", need(qms.PermSignedIn), h.schedules),
		httpkit.R("PUT", "/api/v1/report-schedules", need(qms.PermProgrammeManage), h.saveSchedule),
		httpkit.R("GET", "/api/v1/province-reports/{kind}/{year}/pdf", need(qms.PermSignedIn), h.provinceReportPDF),
		httpkit.R("POST", "/api/v1/province-reports/{kind}/{year}/{step}", need(qms.PermSignedIn), h.provinceReportStep),
		httpkit.R("GET", "/api/v1/evaluations", need(qms.PermProvinceOversee), h.evaluations),
		httpkit.R("GET", "/api/v1/evaluations/pdf", need(qms.PermProvinceOversee), h.evaluationsPDF),
		httpkit.R("GET", "/api/v1/budgets", need(qms.PermProvinceOversee), h.provinceBudgets),
		httpkit.R("GET", "/api/v1/budget-years", need(qms.PermProvinceOversee), h.budgetYears),
		httpkit.R("GET", "/api/v1/me/notifications", need(qms.PermSignedIn), h.myNotifications),
		httpkit.R("POST", "/api/v1/me/notifications/read", need(qms.PermSignedIn), h.markRead),
		httpkit.R("GET", "/api/v1/me/notification-prefs", need(qms.PermSignedIn), h.myPrefs),
		httpkit.R("PUT", "/api/v1/me/notification-prefs", need(qms.PermSignedIn), h.setPrefs),
		httpkit.R("GET", "/api/v1/mail-jobs", need(qms.PermUserManage), h.mailJobs),
		httpkit.R("POST", "/api/v1/mail-jobs/{id}/retry", need(qms.PermUserManage), h.retryMail),
		httpkit.R("GET", "/api/v1/inspection-plans/{year}", need(qms.PermProvinceOversee), h.plan),
		httpkit.R("PUT", "/api/v1/inspection-plans/{year}", need(qms.PermProgrammeManage), h.savePlan),
		httpkit.R("POST", "/api/v1/inspection-plans/{year}/approve", need(qms.PermProgrammeManage), h.approvePlan),
		httpkit.R("GET", "/api/v1/inspection-plans/{year}/pdf", need(qms.PermProvinceOversee), h.planPDF),
		httpkit.R("GET", "/api/v1/inspections/{id}", need(qms.PermSignedIn), h.inspection),
		httpkit.R("GET", "/api/v1/inspections/{id}/pdf/{form}", need(qms.PermSignedIn), h.inspectionPDF),
		httpkit.R("POST", "/api/v1/inspections/{id}/{step}", need(qms.PermSignedIn), h.inspectionStep),
		httpkit.R("GET", "/api/v1/agencies/{code}/budgets/{year}", need(qms.PermTrackRead), h.budget),
		httpkit.R("PUT", "/api/v1/agencies/{code}/budgets/{year}", need(qms.PermTrackEdit), h.saveBudget),
		httpkit.R("GET", "/api/v1/finance-norms", need(qms.PermSignedIn), h.norms),
		httpkit.R("PUT", "/api/v1/finance-norms", need(qms.PermProgrammeManage), h.saveNorm),
		httpkit.R("POST", "/api/v1/evaluations/adjustments", need(qms.PermProgrammeManage), h.adjustScore),
		httpkit.R("PUT", "/api/v1/evaluation-criteria", need(qms.PermProgrammeManage), h.setCriteria),
		httpkit.R("GET", "/api/v1/agencies/{code}/reports", need(qms.PermTrackRead), h.reports),
		httpkit.R("POST", "/api/v1/agencies/{code}/reports", need(qms.PermTrackEdit), h.openReport),
		httpkit.R("GET", "/api/v1/agencies/{code}/reports/{id}", need(qms.PermTrackRead), h.report),
		httpkit.R("PUT", "/api/v1/agencies/{code}/reports/{id}/text", need(qms.PermTrackEdit), h.reportText),
		httpkit.R("GET", "/api/v1/agencies/{code}/reports/{id}/pdf", need(qms.PermTrackRead), h.reportPDF),
		httpkit.R("POST", "/api/v1/agencies/{code}/reports/{id}/{step}", need(qms.PermTrackRead), h.reportStep),
		httpkit.R("GET", "/api/v1/legal-documents", signedIn, h.legalDocs),
		httpkit.R("POST", "/api/v1/legal-documents", need(qms.PermProgrammeManage), h.saveLegalDoc),
		httpkit.R("GET", "/api/v1/legal-documents/{id}", signedIn, h.legalDoc),
		httpkit.R("PUT", "/api/v1/legal-documents/{id}", need(qms.PermProgrammeManage), h.saveLegalDoc),
		httpkit.R("GET", "/api/v1/update-tasks/overdue", need(qms.PermProvinceOversee), h.overdueTasks),
		httpkit.R("GET", "/api/v1/agencies/{code}/update-tasks", need(qms.PermDocRead), h.updateTasks),
		httpkit.R("GET", "/api/v1/agencies/{code}/update-tasks/{id}", need(qms.PermDocRead), h.updateTask),
		httpkit.R("POST", "/api/v1/agencies/{code}/update-tasks/{id}/list-updated", need(qms.PermDocEdit), h.listUpdated),
		httpkit.R("POST", "/api/v1/agencies/{code}/update-tasks/{id}/close", need(qms.PermDocEdit), h.closeUpdateTask),
		httpkit.R("GET", "/api/v1/document-models", signedIn, h.models),
		httpkit.Upload("POST", "/api/v1/document-models", need(qms.PermProgrammeManage), h.svc.FileLimit()+1<<20, h.publishModel),
		httpkit.R("GET", "/api/v1/document-models/{id}/file", signedIn, h.modelFile),
		httpkit.R("POST", "/api/v1/agencies/{code}/document-models/{id}/copy", need(qms.PermDocEdit), h.copyModel),
		httpkit.R("GET", "/api/v1/agencies/{code}/documents", need(qms.PermDocRead), h.documents),
		httpkit.R("GET", "/api/v1/agencies/{code}/retention", need(qms.PermDocRead), h.retention),
		httpkit.R("POST", "/api/v1/agencies/{code}/revisions/{id}/destroy", need(qms.PermDocApprove), h.destroyRevision),
		httpkit.R("GET", "/api/v1/agencies/{code}/document-settings", need(qms.PermDocRead), h.documentSettings),
		httpkit.R("PUT", "/api/v1/agencies/{code}/document-settings", need(qms.PermDocApprove), h.documentSettings),
		httpkit.R("POST", "/api/v1/agencies/{code}/documents", need(qms.PermDocEdit), h.createDocument),
		httpkit.R("GET", "/api/v1/agencies/{code}/documents/{id}", need(qms.PermDocRead), h.document),
		httpkit.R("POST", "/api/v1/agencies/{code}/documents/{id}/revisions", need(qms.PermDocEdit), h.newRevision),
		httpkit.R("POST", "/api/v1/agencies/{code}/documents/{id}/review", need(qms.PermDocEdit), h.reviewNoChange),
		httpkit.R("PUT", "/api/v1/agencies/{code}/documents/{id}/readers", need(qms.PermDocEdit), h.setReaders),
		httpkit.R("PUT", "/api/v1/agencies/{code}/documents/{id}/units", need(qms.PermDocEdit), h.setUnits),
		httpkit.R("PUT", "/api/v1/agencies/{code}/documents/{id}/external", need(qms.PermDocEdit), h.updateExternal),
		httpkit.R("POST", "/api/v1/agencies/{code}/documents/{id}/change-requests", need(qms.PermDocRead), h.fileChangeRequest),
		httpkit.R("POST", "/api/v1/agencies/{code}/change-requests/{id}/decision", need(qms.PermDocEdit), h.decideChangeRequest),
		httpkit.R("POST", "/api/v1/agencies/{code}/revisions/{id}/acknowledge", need(qms.PermDocRead), h.acknowledge),
		httpkit.R("POST", "/api/v1/agencies/{code}/revisions/{id}/unit-acknowledgements", need(qms.PermDocRead), h.acknowledgeForUnit),
		httpkit.R("GET", "/api/v1/me/reading", signedIn, h.myReading),
		httpkit.R("PATCH", "/api/v1/agencies/{code}/revisions/{id}", need(qms.PermDocEdit), h.updateDraft),
		httpkit.Upload("POST", "/api/v1/agencies/{code}/revisions/{id}/file", need(qms.PermDocEdit), h.svc.FileLimit()+1<<20, h.uploadRevisionFile),
		httpkit.R("GET", "/api/v1/agencies/{code}/revisions/{id}/file", need(qms.PermDocRead), h.revisionFile),
		httpkit.R("GET", "/api/v1/agencies/{code}/revisions/{id}/process", need(qms.PermDocRead), h.process),
		httpkit.R("PUT", "/api/v1/agencies/{code}/revisions/{id}/process", need(qms.PermDocEdit), h.saveProcess),
		httpkit.Upload("POST", "/api/v1/agencies/{code}/revisions/{id}/attachments", need(qms.PermDocEdit), h.svc.FileLimit()+1<<20, h.addAttachment),
		httpkit.R("GET", "/api/v1/agencies/{code}/revisions/{id}/attachments/{att}", need(qms.PermDocRead), h.attachmentFile),
		httpkit.R("DELETE", "/api/v1/agencies/{code}/revisions/{id}/attachments/{att}", need(qms.PermDocEdit), h.removeAttachment),
		httpkit.R("POST", "/api/v1/agencies/{code}/revisions/{id}/transition", need(qms.PermDocEdit), h.transition),
		httpkit.R("POST", "/api/v1/agencies/{code}/revisions/{id}/comments", need(qms.PermDocRead), h.commentRevision),
		httpkit.R("POST", "/api/v1/agencies/{code}/comments/{id}/answer", need(qms.PermDocEdit), h.answerComment),
		httpkit.R("GET", "/api/v1/calendar/{year}", signedIn, h.calendarYear),
		httpkit.R("POST", "/api/v1/calendar/{year}/arrangement", need(qms.PermCalendarManage), h.saveArrangement),
		httpkit.R("POST", "/api/v1/calendar/{year}/arrangement/reset", need(qms.PermCalendarManage), h.resetArrangement),
		httpkit.R("", "/api/", httpkit.Public, h.notFound),
	}, h.writeError)
}

func (h *Handlers) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(OpenAPI)
}

func (h *Handlers) notFound(w http.ResponseWriter, r *http.Request) {
	h.writeError(w, r, qms.Errorf(qms.ENotFound, "err.not_found"))
}

// JSON shapes. Dates are YYYY-MM-DD, instants RFC 3339 (CONTRACTS.md).

type agencyJSON struct {
	Code       string         `json:"code"`
	Name       string         `json:"name"`
	ShortName  string         `json:"short_name"`
	Kind       qms.AgencyKind `json:"kind"`
	ParentCode string         `json:"parent_code,omitempty"`
	ValidFrom  qms.Date       `json:"valid_from"`
	ValidTo    qms.Date       `json:"valid_to"`
	Cutoff     string         `json:"office_cutoff"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

func agencyOut(a qms.Agency) agencyJSON {
	return agencyJSON{a.Code, a.Name, a.ShortName, a.Kind, a.ParentCode, a.ValidFrom, a.ValidTo, a.OfficeCutoff, a.CreatedAt, a.UpdatedAt}
}

type linkJSON struct {
	From string       `json:"from"`
	To   string       `json:"to"`
	Kind qms.LinkKind `json:"kind"`
	On   qms.Date     `json:"on"`
}

type unitJSON struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Closed    bool      `json:"closed"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func unitOut(u qms.Unit) unitJSON {
	return unitJSON{u.ID, u.Code, u.Name, u.Closed, u.CreatedAt, u.UpdatedAt}
}

type grantJSON struct {
	ID     int64    `json:"id"`
	Role   qms.Role `json:"role"`
	Agency string   `json:"agency,omitempty"`
}

type userJSON struct {
	ID        int64       `json:"id"`
	Email     string      `json:"email"`
	Name      string      `json:"name"`
	Lang      string      `json:"lang"`
	Disabled  bool        `json:"disabled"`
	Roles     []grantJSON `json:"roles"`
	CreatedAt time.Time   `json:"created_at"`
}

func userOut(u qms.User) userJSON {
	out := userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Lang: u.Lang, Disabled: u.Disabled, CreatedAt: u.CreatedAt, Roles: []grantJSON{}}
	for _, g := range u.Grants {
		out.Roles = append(out.Roles, grantJSON{g.ID, g.Role, g.AgencyCode})
	}
	return out
}

type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	Token      string     `json:"token,omitempty"` // only in the answer that creates it
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func tokenOut(t store.APIToken) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt,
		LastUsedAt: optTime(t.LastUsedAt), ExpiresAt: optTime(t.ExpiresAt), RevokedAt: optTime(t.RevokedAt)}
}

type journalJSON struct {
	ID         int64     `json:"id"`
	Chain      int64     `json:"chain"`
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Changes    rawJSON   `json:"changes"`
	Hash       string    `json:"hash"`
	PrevHash   string    `json:"prev_hash"`
}

type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

func (h *Handlers) me(w http.ResponseWriter, r *http.Request) {
	a := httpkit.ActorOf(r)
	u, err := h.svc.User(r.Context(), a, a.UserID)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, userOut(u))
}

func (h *Handlers) listAgencies(w http.ResponseWriter, r *http.Request) {
	limit, err := limitOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	after, err := decodeCursor(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	list, err := h.svc.Agencies(r.Context(), httpkit.ActorOf(r), store.AgencyFilter{
		Query: q.Get("q"), Kind: qms.AgencyKind(q.Get("kind")), IncludeClosed: q.Get("closed") == "true",
		ParentCode: qms.NormalizeCode(q.Get("parent")),
		After:      after, Limit: limit + 1,
	})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[agencyJSON]{Items: []agencyJSON{}}
	for i, a := range list {
		if i == limit {
			page.Next = encodeCursor(list[i-1].Code)
			break
		}
		page.Items = append(page.Items, agencyOut(a))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) getAgency(w http.ResponseWriter, r *http.Request) {
	v, err := h.svc.Agency(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := struct {
		agencyJSON
		Children     []string   `json:"children"`
		Predecessors []linkJSON `json:"predecessors"`
		Successors   []linkJSON `json:"successors"`
	}{agencyJSON: agencyOut(v.Agency), Children: []string{}, Predecessors: []linkJSON{}, Successors: []linkJSON{}}
	for _, c := range v.Children {
		out.Children = append(out.Children, c.Code)
	}
	for _, l := range v.Links {
		lj := linkJSON{l.FromCode, l.ToCode, l.Kind, l.On}
		if l.ToID == v.Agency.ID {
			out.Predecessors = append(out.Predecessors, lj)
		} else {
			out.Successors = append(out.Successors, lj)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handlers) createAgency(w http.ResponseWriter, r *http.Request) {
	var in service.AgencyInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	a, err := h.svc.CreateAgency(r.Context(), httpkit.ActorOf(r), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/agencies/"+a.Code)
	writeJSON(w, http.StatusCreated, agencyOut(a))
}

// agencyPatch holds the editable fields; absent fields keep their value.
type agencyPatch struct {
	Name       *string         `json:"name"`
	ShortName  *string         `json:"short_name"`
	Kind       *qms.AgencyKind `json:"kind"`
	ParentCode *string         `json:"parent_code"`
	ValidFrom  *qms.Date       `json:"valid_from"`
	Cutoff     *string         `json:"office_cutoff"`
}

func (h *Handlers) updateAgency(w http.ResponseWriter, r *http.Request) {
	var p agencyPatch
	if err := decode(r, &p); err != nil {
		h.writeError(w, r, err)
		return
	}
	actor := httpkit.ActorOf(r)
	v, err := h.svc.Agency(r.Context(), actor, r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	a := v.Agency
	in := service.AgencyInput{Name: a.Name, ShortName: a.ShortName, Kind: a.Kind, ParentCode: a.ParentCode, ValidFrom: a.ValidFrom, OfficeCutoff: a.OfficeCutoff}
	set(&in.Name, p.Name)
	set(&in.ShortName, p.ShortName)
	set(&in.Kind, p.Kind)
	set(&in.ParentCode, p.ParentCode)
	set(&in.ValidFrom, p.ValidFrom)
	set(&in.OfficeCutoff, p.Cutoff)
	out, err := h.svc.UpdateAgency(r.Context(), actor, a.Code, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, agencyOut(out))
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

func (h *Handlers) closeAgency(w http.ResponseWriter, r *http.Request) {
	var in service.CloseInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	a, err := h.svc.CloseAgency(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, agencyOut(a))
}

func (h *Handlers) listUnits(w http.ResponseWriter, r *http.Request) {
	_, units, err := h.svc.Units(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[unitJSON]{Items: []unitJSON{}}
	for _, u := range units {
		page.Items = append(page.Items, unitOut(u))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) createUnit(w http.ResponseWriter, r *http.Request) {
	var in service.UnitInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	u, err := h.svc.CreateUnit(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, unitOut(u))
}

type unitPatch struct {
	Name   *string `json:"name"`
	Closed *bool   `json:"closed"`
}

func (h *Handlers) updateUnit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var p unitPatch
	if err := decode(r, &p); err != nil {
		h.writeError(w, r, err)
		return
	}
	actor := httpkit.ActorOf(r)
	_, units, err := h.svc.Units(r.Context(), actor, r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	for _, u := range units {
		if u.ID == id {
			in := service.UnitInput{Code: u.Code, Name: u.Name, Closed: u.Closed}
			set(&in.Name, p.Name)
			set(&in.Closed, p.Closed)
			out, err := h.svc.UpdateUnit(r.Context(), actor, r.PathValue("code"), id, in)
			if err != nil {
				h.writeError(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, unitOut(out))
			return
		}
	}
	h.writeError(w, r, qms.Errorf(qms.ENotFound, "err.unit_not_found"))
}

func (h *Handlers) agencyJournal(w http.ResponseWriter, r *http.Request) {
	h.writeJournal(w, r, service.JournalQuery{AgencyCode: r.PathValue("code")})
}

func (h *Handlers) journal(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	jq := service.JournalQuery{Province: q.Get("chain") == "province", ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id")}
	if (jq.ObjectType == "") != (jq.ObjectID == "") {
		h.writeError(w, r, invalid("object_id", "err.object_pair"))
		return
	}
	h.writeJournal(w, r, jq)
}

func (h *Handlers) writeJournal(w http.ResponseWriter, r *http.Request, jq service.JournalQuery) {
	limit, err := limitOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if jq.BeforeID, err = decodeIDCursor(r); err != nil {
		h.writeError(w, r, err)
		return
	}
	jq.Limit = limit + 1
	list, err := h.svc.Journal(r.Context(), httpkit.ActorOf(r), jq)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[journalJSON]{Items: []journalJSON{}}
	for i, e := range list {
		if i == limit {
			page.Next = encodeCursor(strconv.FormatInt(list[i-1].ID, 10))
			break
		}
		page.Items = append(page.Items, journalJSON{e.ID, e.Chain, e.Seq, e.At, e.ActorID, e.ActorName, e.Action,
			e.ObjectType, e.ObjectID, rawJSON(e.Changes), e.Hash, e.PrevHash})
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) listUsers(w http.ResponseWriter, r *http.Request) {
	limit, err := limitOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	after, err := decodeIDCursor(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := store.UserFilter{Query: r.URL.Query().Get("q"), AfterID: after, Limit: limit + 1}
	if code := qms.NormalizeCode(r.URL.Query().Get("agency")); code != "" {
		v, err := h.svc.Agency(r.Context(), httpkit.ActorOf(r), code)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		f.AgencyID = v.Agency.ID
	}
	list, err := h.svc.Users(r.Context(), httpkit.ActorOf(r), f)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[userJSON]{Items: []userJSON{}}
	for i, u := range list {
		if i == limit {
			page.Next = encodeCursor(strconv.FormatInt(list[i-1].ID, 10))
			break
		}
		page.Items = append(page.Items, userOut(u))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) createUser(w http.ResponseWriter, r *http.Request) {
	var in service.UserInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	u, err := h.svc.CreateUser(r.Context(), httpkit.ActorOf(r), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	writeJSON(w, http.StatusCreated, userOut(u))
}

func (h *Handlers) getUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	u, err := h.svc.User(r.Context(), httpkit.ActorOf(r), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, userOut(u))
}

type userPatch struct {
	Name     *string `json:"name"`
	Lang     *string `json:"lang"`
	Disabled *bool   `json:"disabled"`
	Password *string `json:"password"`
}

func (h *Handlers) updateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var p userPatch
	if err := decode(r, &p); err != nil {
		h.writeError(w, r, err)
		return
	}
	actor := httpkit.ActorOf(r)
	u, err := h.svc.User(r.Context(), actor, id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if p.Password != nil {
		if err := h.svc.ResetPassword(r.Context(), actor, id, *p.Password); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	in := service.UserUpdate{Name: u.Name, Lang: u.Lang, Disabled: u.Disabled}
	set(&in.Name, p.Name)
	set(&in.Lang, p.Lang)
	set(&in.Disabled, p.Disabled)
	if u, err = h.svc.UpdateUser(r.Context(), actor, id, in); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, userOut(u))
}

func (h *Handlers) grantRole(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Role string `json:"role"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	g, err := h.svc.GrantRole(r.Context(), httpkit.ActorOf(r), id, in.Role)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, grantJSON{g.ID, g.Role, g.AgencyCode})
}

func (h *Handlers) revokeRole(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	gid, err := pathID(r, "grant")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.RevokeRole(r.Context(), httpkit.ActorOf(r), id, gid); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) listTokens(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Tokens(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[tokenJSON]{Items: []tokenJSON{}}
	for _, t := range list {
		page.Items = append(page.Items, tokenOut(t))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) createToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name    string   `json:"name"`
		Expires qms.Date `json:"expires"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	nt, err := h.svc.CreateToken(r.Context(), httpkit.ActorOf(r), strings.TrimSpace(in.Name), in.Expires)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := tokenOut(nt.Token)
	out.Token = nt.Secret
	writeJSON(w, http.StatusCreated, out)
}

func (h *Handlers) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.RevokeToken(r.Context(), httpkit.ActorOf(r), id); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
