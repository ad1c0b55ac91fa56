package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// The improvement loop's API: audits, risks, objectives, management reviews and their actions.

type auditorJSON struct {
	Name string `json:"name"`
	Unit string `json:"unit,omitempty"`
}

type findingJSON struct {
	ID          int64           `json:"id"`
	Type        qms.FindingType `json:"type"`
	Clause      string          `json:"clause,omitempty"`
	Process     string          `json:"process,omitempty"`
	Unit        string          `json:"unit,omitempty"`
	Description string          `json:"description"`
	Evidence    string          `json:"evidence"`
	NC          string          `json:"nonconformity,omitempty"`
	NCID        int64           `json:"nonconformity_id,omitempty"`
	RecordedAt  time.Time       `json:"recorded_at"`
}

type auditJSON struct {
	ID        int64           `json:"id"`
	Code      string          `json:"code"`
	Agency    string          `json:"agency"`
	Year      int             `json:"year"`
	Title     string          `json:"title"`
	Scope     string          `json:"scope,omitempty"`
	Clauses   []string        `json:"clauses"`
	Processes []string        `json:"processes"`
	Units     []string        `json:"units"`
	StartsOn  qms.Date        `json:"starts_on"`
	EndsOn    qms.Date        `json:"ends_on"`
	Lead      auditorJSON     `json:"lead"`
	Team      []auditorJSON   `json:"team"`
	Auditees  string          `json:"auditees,omitempty"`
	State     qms.AuditState  `json:"state"`
	Summary   string          `json:"summary,omitempty"`
	Version   int64           `json:"version"`
	Checklist []qms.AuditItem `json:"checklist,omitempty"`
	Findings  []findingJSON   `json:"findings,omitempty"`
	Events    []string        `json:"events,omitempty"`
}

func auditOut(x qms.Audit) auditJSON {
	out := auditJSON{ID: x.ID, Code: x.Code, Agency: x.AgencyCode, Year: x.Year, Title: x.Title, Scope: x.Scope, Clauses: append([]string{}, x.Clauses...),
		Processes: append([]string{}, x.Processes...), Units: append([]string{}, x.Units...), StartsOn: x.StartsOn, EndsOn: x.EndsOn,
		Lead: auditorJSON{x.Lead.Name, x.Lead.Unit}, Team: []auditorJSON{}, Auditees: x.Auditees, State: x.State, Summary: x.Summary, Version: x.Version,
		Checklist: x.Items}
	for _, m := range x.Team {
		out.Team = append(out.Team, auditorJSON{m.Name, m.Unit})
	}
	for _, f := range x.Findings {
		out.Findings = append(out.Findings, findingJSON{ID: f.ID, Type: f.Type, Clause: f.Clause, Process: f.Process, Unit: f.Unit, Description: f.Description,
			Evidence: f.Evidence, NC: f.NCCode, NCID: f.NCID, RecordedAt: f.RecordedAt})
	}
	return out
}

func (h *Handlers) respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

// audits answers GET /api/v1/agencies/{code}/audits?year= with the year's programme.
func (h *Handlers) audits(w http.ResponseWriter, r *http.Request) {
	year := time.Now().Year()
	if s := r.URL.Query().Get("year"); s != "" {
		var err error
		if year, err = strconv.Atoi(s); err != nil {
			h.writeError(w, r, qms.Errorf(qms.EInvalid, "err.year"))
			return
		}
	}
	p, err := h.svc.AuditProgramme(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), year)
	out := struct {
		Year      int         `json:"year"`
		Items     []auditJSON `json:"items"`
		Clauses   []string    `json:"clauses_audited"`
		Processes []string    `json:"processes_audited"`
		Uncovered []string    `json:"processes_not_audited"`
		NoAudit   bool        `json:"no_audit"`
	}{Year: year, Items: []auditJSON{}, Clauses: p.Clauses, Processes: p.Processes, Uncovered: p.Uncovered, NoAudit: p.NoAudit}
	for _, x := range p.Audits {
		out.Items = append(out.Items, auditOut(x))
	}
	h.respond(w, r, http.StatusOK, out, err)
}

func (h *Handlers) planAudit(w http.ResponseWriter, r *http.Request) {
	var in service.AuditInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	x, err := h.svc.PlanAudit(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in)
	h.respond(w, r, http.StatusCreated, auditOut(x), err)
}

func (h *Handlers) audit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Audit(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	out := auditOut(v.Audit)
	for _, e := range v.Events {
		out.Events = append(out.Events, string(e))
	}
	h.respond(w, r, http.StatusOK, out, err)
}

// auditPart answers POST …/audits/{id}/{part}: checklist (the lines replaced), answers,
// findings, summary, or an event (prepare, send_checklist, start_fieldwork, report,
// follow_up, close, cancel).
func (h *Handlers) auditPart(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	ctx, who, code := r.Context(), httpkit.ActorOf(r), r.PathValue("code")
	var x qms.Audit
	switch part := r.PathValue("part"); part {
	case "checklist", "answers":
		var in struct {
			Items []qms.AuditItem `json:"items"`
		}
		if err = decode(r, &in); err == nil {
			if part == "checklist" {
				x, err = h.svc.EditChecklist(ctx, who, code, id, in.Items)
			} else {
				x, err = h.svc.AnswerChecklist(ctx, who, code, id, in.Items)
			}
		}
	case "findings":
		var in service.FindingInput
		if err = decode(r, &in); err == nil {
			var f qms.Finding
			f, err = h.svc.RecordFinding(ctx, who, code, id, in)
			h.respond(w, r, http.StatusCreated, findingJSON{ID: f.ID, Type: f.Type, Clause: f.Clause, Process: f.Process, Unit: f.Unit, Description: f.Description,
				Evidence: f.Evidence, NC: f.NCCode, NCID: f.NCID, RecordedAt: f.RecordedAt}, err)
			return
		}
	default:
		var in service.AuditAction
		if r.ContentLength != 0 {
			err = decode(r, &in)
		}
		if err == nil {
			if part != "summary" {
				in.Event = qms.AuditEvent(part)
			}
			x, err = h.svc.ActOnAudit(ctx, who, code, id, in)
		}
	}
	h.respond(w, r, http.StatusOK, auditOut(x), err)
}

type riskJSON struct {
	ID          int64          `json:"id"`
	Code        string         `json:"code"`
	Agency      string         `json:"agency"`
	Kind        qms.RiskKind   `json:"kind"`
	Process     string         `json:"process,omitempty"`
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	Likelihood  int            `json:"likelihood"`
	Impact      int            `json:"impact"`
	Score       int            `json:"score"`
	Level       string         `json:"level"`
	Treatment   string         `json:"treatment,omitempty"`
	ReviewOn    qms.Date       `json:"review_on"`
	State       qms.RiskState  `json:"state"`
	Version     int64          `json:"version"`
	History     []riskScoreOut `json:"history,omitempty"`
	Actions     []actionJSON   `json:"actions,omitempty"`
}

type riskScoreOut struct {
	Likelihood int       `json:"likelihood"`
	Impact     int       `json:"impact"`
	Note       string    `json:"note,omitempty"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

func riskOut(x qms.Risk) riskJSON {
	out := riskJSON{ID: x.ID, Code: x.Code, Agency: x.AgencyCode, Kind: x.Kind, Process: x.Process, Title: x.Title, Description: x.Description,
		Likelihood: x.Likelihood, Impact: x.Impact, Score: x.Score(), Level: x.Level(), Treatment: x.Treatment, ReviewOn: x.ReviewOn, State: x.State, Version: x.Version}
	for _, s := range x.Scores {
		out.History = append(out.History, riskScoreOut{s.Likelihood, s.Impact, s.Note, s.ByName, s.At})
	}
	for _, a := range x.Actions {
		out.Actions = append(out.Actions, actionOut(a))
	}
	return out
}

func (h *Handlers) risks(w http.ResponseWriter, r *http.Request) {
	_, list, err := h.svc.Risks(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	page := Page[riskJSON]{Items: []riskJSON{}}
	for _, x := range list {
		page.Items = append(page.Items, riskOut(x))
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out, err := pageOf(r, page.Items)
	h.respond(w, r, http.StatusOK, out, err)
}

func (h *Handlers) addRisk(w http.ResponseWriter, r *http.Request) {
	var in service.RiskInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	x, err := h.svc.AddRisk(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in)
	h.respond(w, r, http.StatusCreated, riskOut(x), err)
}

func (h *Handlers) risk(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	x, err := h.svc.Risk(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	h.respond(w, r, http.StatusOK, riskOut(x), err)
}

func (h *Handlers) rescoreRisk(w http.ResponseWriter, r *http.Request) {
	var in service.RiskInput
	id, err := idAndBody(r, &in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	x, err := h.svc.RescoreRisk(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in)
	h.respond(w, r, http.StatusOK, riskOut(x), err)
}

type statusJSON struct {
	Period string  `json:"period"`
	From   string  `json:"from"`
	To     string  `json:"to"`
	Value  float64 `json:"value"`
	Known  bool    `json:"known"`
	Met    bool    `json:"met"`
	Basis  string  `json:"basis,omitempty"`
}

type objectiveJSON struct {
	ID        int64         `json:"id"`
	Agency    string        `json:"agency"`
	Year      int           `json:"year"`
	Title     string        `json:"title"`
	Measure   qms.Measure   `json:"measure"`
	Target    float64       `json:"target"`
	Direction qms.Direction `json:"direction"`
	Frequency qms.Frequency `json:"frequency"`
	Owner     string        `json:"owner"`
	OffTarget bool          `json:"off_target"`
	Statuses  []statusJSON  `json:"statuses"`
	Actions   []actionJSON  `json:"actions,omitempty"`
}

func objectiveOut(v service.ObjectiveView) objectiveJSON {
	out := objectiveJSON{ID: v.ID, Agency: v.AgencyCode, Year: v.Year, Title: v.Title, Measure: v.Measure, Target: v.Target, Direction: v.Direction,
		Frequency: v.Frequency, Owner: v.OwnerName, OffTarget: v.OffTarget, Statuses: []statusJSON{}}
	for _, s := range v.Statuses {
		out.Statuses = append(out.Statuses, statusJSON{s.Period.Key, s.Period.From.String(), s.Period.To.String(), s.Value, s.Known, s.Met, s.Basis})
	}
	for _, a := range v.Actions {
		out.Actions = append(out.Actions, actionOut(a))
	}
	return out
}

func (h *Handlers) objectives(w http.ResponseWriter, r *http.Request) {
	year := time.Now().Year()
	if s := r.URL.Query().Get("year"); s != "" {
		var err error
		if year, err = strconv.Atoi(s); err != nil {
			h.writeError(w, r, qms.Errorf(qms.EInvalid, "err.year"))
			return
		}
	}
	_, list, err := h.svc.Objectives(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), year)
	page := Page[objectiveJSON]{Items: []objectiveJSON{}}
	for _, v := range list {
		page.Items = append(page.Items, objectiveOut(v))
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out, err := pageOf(r, page.Items)
	h.respond(w, r, http.StatusOK, out, err)
}

func (h *Handlers) addObjective(w http.ResponseWriter, r *http.Request) {
	var in service.ObjectiveInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	x, err := h.svc.AddObjective(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Objective(r.Context(), httpkit.ActorOf(r), x.AgencyCode, x.ID)
	h.respond(w, r, http.StatusCreated, objectiveOut(v), err)
}

func (h *Handlers) objective(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Objective(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	h.respond(w, r, http.StatusOK, objectiveOut(v), err)
}

func (h *Handlers) objectiveValue(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Period   string  `json:"period"`
		Value    float64 `json:"value"`
		Evidence string  `json:"evidence"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.EnterObjectiveValue(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.Period, in.Value, in.Evidence)
	h.respond(w, r, http.StatusOK, objectiveOut(v), err)
}

type reviewJSON struct {
	ID          int64             `json:"id"`
	Code        string            `json:"code"`
	Agency      string            `json:"agency"`
	MeetingOn   qms.Date          `json:"meeting_on"`
	From        qms.Date          `json:"period_from"`
	To          qms.Date          `json:"period_to"`
	Chair       string            `json:"chair,omitempty"`
	Attendees   string            `json:"attendees,omitempty"`
	State       qms.ReviewState   `json:"state"`
	Conclusions map[string]string `json:"conclusions,omitempty"`
	Decisions   string            `json:"decisions,omitempty"`
	ApprovedAt  *time.Time        `json:"approved_at,omitempty"`
	Version     int64             `json:"version"`
	Pack        *qms.ReviewPack   `json:"pack,omitempty"` // frozen, or compiled now while planned
	Actions     []actionJSON      `json:"actions,omitempty"`
}

func reviewOut(x qms.Review, pack *qms.ReviewPack) reviewJSON {
	out := reviewJSON{ID: x.ID, Code: x.Code, Agency: x.AgencyCode, MeetingOn: x.MeetingOn, From: x.From, To: x.To, Chair: x.Chair, Attendees: x.Attendees,
		State: x.State, Conclusions: x.Conclusions, Decisions: x.Decisions, Version: x.Version, Pack: pack}
	if !x.ApprovedAt.IsZero() {
		t := x.ApprovedAt
		out.ApprovedAt = &t
	}
	for _, a := range x.Actions {
		out.Actions = append(out.Actions, actionOut(a))
	}
	return out
}

func (h *Handlers) reviews(w http.ResponseWriter, r *http.Request) {
	_, list, err := h.svc.Reviews(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	page := Page[reviewJSON]{Items: []reviewJSON{}}
	for _, x := range list {
		page.Items = append(page.Items, reviewOut(x, nil))
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out, err := pageOf(r, page.Items)
	h.respond(w, r, http.StatusOK, out, err)
}

func (h *Handlers) planReview(w http.ResponseWriter, r *http.Request) {
	var in service.ReviewInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	x, err := h.svc.PlanReview(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in)
	h.respond(w, r, http.StatusCreated, reviewOut(x, nil), err)
}

func (h *Handlers) review(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Review(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	h.respond(w, r, http.StatusOK, reviewOut(v.Review, &v.Pack), err)
}

// reviewStep answers POST …/reviews/{id}/minutes (conclusions per input, decisions) and
// …/approve.
func (h *Handlers) reviewStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in service.ReviewInput
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	var x qms.Review
	switch r.PathValue("step") {
	case "minutes":
		x, err = h.svc.RecordMinutes(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in)
	case "approve":
		x, err = h.svc.ApproveReview(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.Version)
	default:
		err = qms.Errorf(qms.ENotFound, "err.not_found")
	}
	h.respond(w, r, http.StatusOK, reviewOut(x, x.Pack), err)
}

// reviewPack answers GET /api/v1/agencies/{code}/review-pack?from=&to= with the input pack
// compiled now.
func (h *Handlers) reviewPack(w http.ResponseWriter, r *http.Request) {
	from, err1 := qms.ParseDate(r.URL.Query().Get("from"))
	to, err2 := qms.ParseDate(r.URL.Query().Get("to"))
	if err1 != nil || err2 != nil {
		h.writeError(w, r, qms.Errorf(qms.EInvalid, "err.date"))
		return
	}
	p, err := h.svc.ReviewPack(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), from, to)
	h.respond(w, r, http.StatusOK, p, err)
}

// loopAddAction answers POST …/{kind}/{id}/actions for risks, objectives and reviews.
func (h *Handlers) loopAddAction(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in service.ActionInput
		id, err := idAndBody(r, &in)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		var parent qms.Action
		switch kind {
		case "risk":
			parent.RiskID = id
		case "objective":
			parent.ObjectiveID = id
		default:
			parent.ReviewID = id
		}
		a, err := h.svc.AddLoopAction(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), parent, in)
		h.respond(w, r, http.StatusCreated, actionOut(a), err)
	}
}

// loopActionStep answers POST /api/v1/agencies/{code}/actions/{id}/{step}: implement
// {"evidence"} or check {"result", "note"}, for an action of any kind.
func (h *Handlers) loopActionStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.stepAction(w, r, 0, id)
}

// loopGaps answers GET /api/v1/loop-gaps?year= (province) : agencies without their yearly
// internal audit or management review.
func (h *Handlers) loopGaps(w http.ResponseWriter, r *http.Request) {
	year := time.Now().Year()
	if s := r.URL.Query().Get("year"); s != "" {
		var err error
		if year, err = strconv.Atoi(s); err != nil {
			h.writeError(w, r, qms.Errorf(qms.EInvalid, "err.year"))
			return
		}
	}
	gaps, err := h.svc.LoopGaps(r.Context(), httpkit.ActorOf(r), "", year)
	type gap struct {
		Agency   string `json:"agency"`
		Name     string `json:"name"`
		NoAudit  bool   `json:"no_audit"`
		NoReview bool   `json:"no_review"`
	}
	page := Page[gap]{Items: []gap{}}
	for _, g := range gaps {
		page.Items = append(page.Items, gap{g.Agency.Code, g.Agency.Name, g.NoAudit, g.NoReview})
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out, err := pageOf(r, page.Items)
	h.respond(w, r, http.StatusOK, out, err)
}

// idAndBody reads the path's id and the JSON body.
func idAndBody(r *http.Request, in any) (int64, error) {
	id, err := pathID(r, "id")
	if err == nil {
		err = decode(r, in)
	}
	return id, err
}
