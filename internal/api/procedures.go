package api

import (
	"net/http"
	"time"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

type procedureJSON struct {
	Code          string          `json:"code"`
	Name          string          `json:"name"`
	Field         string          `json:"field"`
	Level         qms.ProcLevel   `json:"level"`
	Agencies      []string        `json:"agencies"`
	TimeLimitDays int             `json:"time_limit_days"`
	Fees          string          `json:"fees"`
	Components    string          `json:"components"`
	Result        string          `json:"result"`
	Online        qms.OnlineLevel `json:"online"`
	Anywhere      bool            `json:"anywhere"`
	Status        qms.ProcStatus  `json:"status"`
	EffectiveOn   *qms.Date       `json:"effective_on"`
	Decision      string          `json:"decision"`
	LegalBases    string          `json:"legal_bases"`
	UpdatedAt     time.Time       `json:"updated_at"`
	// LegalDocuments are the register entries the legal bases cite (one procedure only).
	LegalDocuments []legalRef `json:"legal_documents,omitempty"`
}

type legalRef struct {
	ID     int64              `json:"id"`
	Number string             `json:"number"`
	Status qms.ExternalStatus `json:"status"`
}

// oneProcedure is a procedure with its legal documents.
func (h *Handlers) oneProcedure(r *http.Request, p qms.Procedure) (procedureJSON, error) {
	out := procedureOut(p)
	refs, err := h.svc.ProcedureLegalBases(r.Context(), httpkit.ActorOf(r), p)
	out.LegalDocuments = []legalRef{}
	for _, l := range refs {
		out.LegalDocuments = append(out.LegalDocuments, legalRef{l.ID, l.Number, l.Status})
	}
	return out, err
}

func procedureOut(p qms.Procedure) procedureJSON {
	out := procedureJSON{Code: p.Code, Name: p.Name, Field: p.Field, Level: p.Level, Agencies: p.Agencies, TimeLimitDays: p.TimeLimitDays, Fees: p.Fees,
		Components: p.Components, Result: p.Result, Online: p.Online, Anywhere: p.Anywhere, Status: p.Status, Decision: p.Decision, LegalBases: p.LegalBases,
		UpdatedAt: p.UpdatedAt}
	if out.Agencies == nil {
		out.Agencies = []string{}
	}
	if !p.EffectiveOn.IsZero() {
		d := p.EffectiveOn
		out.EffectiveOn = &d
	}
	return out
}

// procedures answers GET /api/v1/procedures and GET /api/v1/agencies/{code}/procedures: the
// catalogue by code, filtered (q, field, level, status), a page at a time (limit, next).
func (h *Handlers) procedures(w http.ResponseWriter, r *http.Request) {
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
	pq := service.ProcedureQuery{ProcedureFilter: store.ProcedureFilter{Query: q.Get("q"), Field: q.Get("field"), Level: qms.ProcLevel(q.Get("level")),
		Status: qms.ProcStatus(q.Get("status")), After: after, Limit: limit + 1}, Agency: r.PathValue("code")}
	list, err := h.svc.Procedures(r.Context(), httpkit.ActorOf(r), pq)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[procedureJSON]{Items: []procedureJSON{}}
	if len(list) > limit {
		list = list[:limit]
		page.Next = encodeCursor(list[len(list)-1].Code)
	}
	for _, p := range list {
		page.Items = append(page.Items, procedureOut(p))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) procedure(w http.ResponseWriter, r *http.Request) {
	p, err := h.svc.Procedure(r.Context(), httpkit.ActorOf(r), r.PathValue("proc"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out, err := h.oneProcedure(r, p)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// saveProcedure answers POST /api/v1/procedures (a new one) and PUT /api/v1/procedures/{proc}
// (the whole procedure again).
func (h *Handlers) saveProcedure(w http.ResponseWriter, r *http.Request) {
	var in service.ProcedureInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	code := r.PathValue("proc")
	p, err := h.svc.SaveProcedure(r.Context(), httpkit.ActorOf(r), code, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out, err := h.oneProcedure(r, p)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if code == "" {
		status = http.StatusCreated
	}
	writeJSON(w, status, out)
}

// importProcedures answers POST /api/v1/procedures/import: a CSV or XLSX file in the multipart
// part "file"; ?dry_run=true checks only. Issues come back in the report (status 422), and
// then nothing was written.
func (h *Handlers) importProcedures(w http.ResponseWriter, r *http.Request) {
	dry := r.URL.Query().Get("dry_run")
	if dry != "" && dry != "true" && dry != "false" {
		h.writeError(w, r, invalid("dry_run", "err.choice"))
		return
	}
	part, _, err := filePart(r, "file", "err.evidence_empty")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	rep, err := h.svc.ImportProceduresFrom(r.Context(), httpkit.ActorOf(r), part, dry == "true")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if len(rep.Issues) > 0 {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, rep)
}

type processJSON struct {
	RevisionID int64              `json:"revision_id"`
	Version    int64              `json:"version"`
	Editable   bool               `json:"editable"`
	LimitDays  int                `json:"limit_days"`
	TotalDays  string             `json:"total_days"`
	Content    qms.ProcessContent `json:"content"`
}

// process answers GET …/revisions/{id}/process.
func (h *Handlers) process(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Process(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, processOut(v))
}

func processOut(v service.ProcessView) processJSON {
	c := v.Content
	if c.Procedures == nil {
		c.Procedures = []string{}
	}
	if c.Steps == nil {
		c.Steps = []qms.ProcessStep{}
	}
	if c.Records == nil {
		c.Records = []qms.ProcessRecord{}
	}
	return processJSON{RevisionID: v.Revision.ID, Version: v.Revision.Version, Editable: v.Revision.State.Editable(), LimitDays: v.LimitDays,
		TotalDays: qms.FormatDays(v.Content.TotalHours()), Content: c}
}

// saveProcess answers PUT …/revisions/{id}/process?version=N with the whole content.
func (h *Handlers) saveProcess(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	version, err := versionOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in qms.ProcessContent
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if _, err := h.svc.SaveProcess(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, version, in); err != nil {
		h.writeError(w, r, err)
		return
	}
	h.process(w, r)
}

// workflow answers GET /api/v1/agencies/{code}/procedures/{proc}/workflow: the steps that the
// agency's dossiers of the procedure follow, from its process in force.
func (h *Handlers) workflow(w http.ResponseWriter, r *http.Request) {
	wf, err := h.svc.ProcedureWorkflow(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), r.PathValue("proc"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Procedure string `json:"procedure"`
		service.Workflow
	}{wf.Procedure.Code, wf})
}
