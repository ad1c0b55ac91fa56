package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

type programmeJSON struct {
	Code         string     `json:"code"`
	Name         string     `json:"name"`
	DecisionNo   string     `json:"decision_no"`
	DecisionDate qms.Date   `json:"decision_date"`
	Signer       string     `json:"signer"`
	YearFrom     int        `json:"year_from"`
	YearTo       int        `json:"year_to"`
	Edition      string     `json:"edition"`
	Regime       qms.Regime `json:"regime"`
}

func programmeOut(p qms.Programme) programmeJSON {
	return programmeJSON{p.Code, p.Name, p.DecisionNo, p.DecisionDate, p.Signer, p.YearFrom, p.YearTo, p.Edition, p.Regime}
}

func (h *Handlers) listProgrammes(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Programmes(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[programmeJSON]{Items: []programmeJSON{}}
	for _, p := range list {
		page.Items = append(page.Items, programmeOut(p))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) createProgramme(w http.ResponseWriter, r *http.Request) {
	var in programmeJSON
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	p, err := h.svc.CreateProgramme(r.Context(), httpkit.ActorOf(r), qms.Programme{Code: in.Code, Name: in.Name, DecisionNo: in.DecisionNo,
		DecisionDate: in.DecisionDate, Signer: in.Signer, YearFrom: in.YearFrom, YearTo: in.YearTo, Edition: in.Edition, Regime: in.Regime})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, programmeOut(p))
}

func (h *Handlers) getProgramme(w http.ResponseWriter, r *http.Request) {
	p, parts, err := h.svc.Programme(r.Context(), httpkit.ActorOf(r), r.PathValue("programme"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	type participant struct {
		Agency string    `json:"agency"`
		Group  qms.Group `json:"group"`
	}
	out := struct {
		programmeJSON
		Participants []participant `json:"participants"`
	}{programmeJSON: programmeOut(p), Participants: []participant{}}
	for _, x := range parts {
		out.Participants = append(out.Participants, participant{x.Agency.Code, x.Group})
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handlers) addParticipant(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Agency string    `json:"agency"`
		Group  qms.Group `json:"group"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	steps, err := h.svc.AddParticipant(r.Context(), httpkit.ActorOf(r), r.PathValue("programme"), in.Agency, in.Group)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"agency": qms.NormalizeCode(in.Agency), "group": in.Group, "steps": len(steps)})
}

type phaseJSON struct {
	State qms.PhaseState `json:"state"`
	Done  int            `json:"done"`
	Total int            `json:"total"`
	Late  int            `json:"late"`
}

type progressJSON struct {
	Phases  []phaseJSON `json:"phases"` // phases 1 to 5
	Done    int         `json:"done"`
	Total   int         `json:"total"`
	Late    int         `json:"late"`
	Percent int         `json:"percent"`
}

func progressOut(p qms.Progress) progressJSON {
	out := progressJSON{Done: p.Done, Total: p.Total, Late: p.Late, Percent: p.Percent}
	for i := 1; i <= 5; i++ {
		ph := p.Phases[i]
		out.Phases = append(out.Phases, phaseJSON{ph.State, ph.Done, ph.Total, ph.Late})
	}
	return out
}

func (h *Handlers) programmeDashboard(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d, err := h.svc.ProvinceDashboard(r.Context(), httpkit.ActorOf(r), service.DashboardFilter{Programme: r.PathValue("programme"),
		Group: qms.Group(q.Get("group")), Kind: qms.AgencyKind(q.Get("kind")), Status: q.Get("status")})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	type row struct {
		Agency    string                 `json:"agency"`
		Name      string                 `json:"name"`
		Group     qms.Group              `json:"group"`
		Progress  progressJSON           `json:"progress"`
		Committee service.CommitteeState `json:"committee"`
	}
	type alert struct {
		Agency string   `json:"agency"`
		Kind   string   `json:"kind"`
		Number string   `json:"number"`
		DueOn  qms.Date `json:"due_on"`
	}
	out := struct {
		Programme  string   `json:"programme"`
		Agencies   int      `json:"agencies"`
		Rows       []row    `json:"rows"`
		LateSteps  int      `json:"late_steps"`
		PhaseDone  []int    `json:"phase_done"`
		Alerts     []alert  `json:"alerts"`
		Reannounce []string `json:"reannounce"`
	}{Programme: d.Programme.Code, Agencies: d.Agencies, Rows: []row{}, LateSteps: d.LateSteps, PhaseDone: d.PhaseDone[1:], Alerts: []alert{}, Reannounce: []string{}}
	for _, a := range d.Alerts {
		out.Alerts = append(out.Alerts, alert{a.Agency.Code, a.Kind, a.Number, a.DueOn})
	}
	for _, a := range d.Reannounce {
		out.Reannounce = append(out.Reannounce, a.Code)
	}
	for _, x := range d.Rows {
		out.Rows = append(out.Rows, row{x.Agency.Code, x.Agency.Name, x.Group, progressOut(x.Progress), x.Committee})
	}
	writeJSON(w, http.StatusOK, out)
}

type templateJSON struct {
	ID               int64      `json:"id"`
	Regime           qms.Regime `json:"regime"`
	Code             string     `json:"code"`
	Phase            int        `json:"phase"`
	Title            string     `json:"title"`
	Groups           []string   `json:"groups"`
	EvidenceRequired bool       `json:"evidence_required"`
	EvidenceKinds    []string   `json:"evidence_kinds"`
}

func templateOut(t qms.StepTemplate) templateJSON {
	out := templateJSON{ID: t.ID, Regime: t.Regime, Code: t.Code, Phase: t.Phase, Title: t.Title, EvidenceRequired: t.EvidenceRequired,
		EvidenceKinds: append([]string{}, t.EvidenceKinds...), Groups: []string{}}
	for _, g := range t.Groups {
		out.Groups = append(out.Groups, string(g))
	}
	return out
}

func (h *Handlers) stepTemplates(w http.ResponseWriter, r *http.Request) {
	regime := qms.Regime(r.URL.Query().Get("regime"))
	if regime != "" && !regime.Valid() {
		h.writeError(w, r, invalid("regime", "err.regime"))
		return
	}
	list, err := h.svc.StepTemplates(r.Context(), httpkit.ActorOf(r), regime)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[templateJSON]{Items: []templateJSON{}}
	for _, t := range list {
		page.Items = append(page.Items, templateOut(t))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) updateTemplate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in service.TemplateUpdate
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	t, err := h.svc.UpdateStepTemplate(r.Context(), httpkit.ActorOf(r), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, templateOut(t))
}

type stepJSON struct {
	ID        int64          `json:"id"`
	Code      string         `json:"code"`
	Title     string         `json:"title"`
	Phase     int            `json:"phase"`
	Status    qms.StepStatus `json:"status"`
	PlannedOn qms.Date       `json:"planned_on"`
	DoneOn    qms.Date       `json:"done_on"`
	Owner     string         `json:"owner"`
	NAReason  string         `json:"na_reason,omitempty"`
	Late      bool           `json:"late"`
	Evidence  int            `json:"evidence"`
	Required  bool           `json:"evidence_required"`
}

func stepOut(s qms.TrackStep, today qms.Date) stepJSON {
	return stepJSON{s.ID, s.Template.Code, s.Template.Title, s.Template.Phase, s.Status, s.PlannedOn, s.DoneOn, s.Owner, s.NAReason,
		s.Late(today), s.Evidence, s.Template.EvidenceRequired}
}

func today() qms.Date { return qms.DateOf(time.Now().In(time.FixedZone("ICT", 7*3600))) }

func (h *Handlers) agencyTracks(w http.ResponseWriter, r *http.Request) {
	tracks, err := h.svc.AgencyTracks(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	type trackJSON struct {
		Programme string       `json:"programme"`
		Group     qms.Group    `json:"group"`
		Progress  progressJSON `json:"progress"`
		Steps     []stepJSON   `json:"steps"`
	}
	page := Page[trackJSON]{Items: []trackJSON{}}
	for _, t := range tracks {
		tj := trackJSON{Programme: t.Programme.Code, Group: t.Group, Progress: progressOut(t.Progress), Steps: []stepJSON{}}
		for _, s := range t.Steps {
			tj.Steps = append(tj.Steps, stepOut(s, t.Today))
		}
		page.Items = append(page.Items, tj)
	}
	writeJSON(w, http.StatusOK, page)
}

type evidenceJSON struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	FileName  string    `json:"file_name,omitempty"`
	FileSize  int64     `json:"file_size,omitempty"`
	FileType  string    `json:"file_type,omitempty"`
	SHA256    string    `json:"sha256,omitempty"`
	LinkType  string    `json:"link_type,omitempty"`
	LinkID    string    `json:"link_id,omitempty"`
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

func evidenceOut(e store.Evidence) evidenceJSON {
	return evidenceJSON{e.ID, e.Kind, e.FileName, e.FileSize, e.FileType, e.FileSHA256, e.LinkType, e.LinkID, e.Note, e.CreatedAt}
}

func (h *Handlers) getStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Step(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	type commentJSON struct {
		Author    string    `json:"author"`
		Body      string    `json:"body"`
		CreatedAt time.Time `json:"created_at"`
	}
	out := struct {
		stepJSON
		EvidenceList []evidenceJSON `json:"evidence_list"`
		Comments     []commentJSON  `json:"comments"`
	}{stepJSON: stepOut(v.Step, today()), EvidenceList: []evidenceJSON{}, Comments: []commentJSON{}}
	for _, e := range v.Evidence {
		out.EvidenceList = append(out.EvidenceList, evidenceOut(e))
	}
	for _, c := range v.Comments {
		out.Comments = append(out.Comments, commentJSON{c.Author, c.Body, c.CreatedAt})
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handlers) updateStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Status    qms.StepStatus `json:"status"`
		PlannedOn qms.Date       `json:"planned_on"`
		DoneOn    qms.Date       `json:"done_on"`
		Owner     string         `json:"owner"`
		NAReason  string         `json:"na_reason"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	s, err := h.svc.UpdateStep(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, qms.StepUpdate{Status: in.Status, PlannedOn: in.PlannedOn,
		DoneOn: in.DoneOn, Owner: in.Owner, NAReason: in.NAReason})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, stepOut(s, today()))
}

// addEvidence takes a file as multipart/form-data (part "file") or a note or link as JSON.
func (h *Handlers) addEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in service.EvidenceInput
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		part, _, err := filePart(r, "file", "err.evidence_empty")
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		in.File, in.FileName = part, part.FileName()
	} else {
		var body struct {
			Note     string `json:"note"`
			LinkType string `json:"link_type"`
			LinkID   string `json:"link_id"`
		}
		if err := decode(r, &body); err != nil {
			h.writeError(w, r, err)
			return
		}
		in.Note, in.LinkType, in.LinkID = body.Note, body.LinkType, body.LinkID
	}
	e, err := h.svc.AddEvidence(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, evidenceOut(e))
}

func (h *Handlers) evidenceFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	e, f, err := h.svc.OpenEvidence(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	defer f.Close()
	sendFile(w, "evidence-"+strconv.FormatInt(e.ID, 10), qms.FileRef{SHA256: e.FileSHA256, Name: e.FileName, Size: e.FileSize, Type: e.FileType}, f)
}

type committeeJSON struct {
	ID           int64                      `json:"id"`
	DecisionNo   string                     `json:"decision_no"`
	DecisionDate qms.Date                   `json:"decision_date"`
	RulesNote    string                     `json:"rules_note"`
	RulesFile    *qms.FileRef               `json:"rules_file"`
	Members      []qms.CommitteeMemberEntry `json:"members"`
	NotifiedAt   *time.Time                 `json:"notified_at"`
}

func committeeOut(c qms.Committee) committeeJSON {
	out := committeeJSON{c.ID, c.DecisionNo, c.DecisionDate, c.RulesNote, nil, append([]qms.CommitteeMemberEntry{}, c.Members...), optTime(c.NotifiedAt)}
	if c.RulesFile.SHA256 != "" {
		f := c.RulesFile
		out.RulesFile = &f
	}
	return out
}

func (h *Handlers) committees(w http.ResponseWriter, r *http.Request) {
	_, list, err := h.svc.Committees(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[committeeJSON]{Items: []committeeJSON{}}
	for _, c := range list {
		page.Items = append(page.Items, committeeOut(c))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) newComposition(w http.ResponseWriter, r *http.Request) {
	var in struct {
		DecisionNo   string                     `json:"decision_no"`
		DecisionDate qms.Date                   `json:"decision_date"`
		RulesNote    string                     `json:"rules_note"`
		Members      []qms.CommitteeMemberEntry `json:"members"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.NewComposition(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), qms.Committee{DecisionNo: in.DecisionNo,
		DecisionDate: in.DecisionDate, RulesNote: in.RulesNote, Members: in.Members})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, committeeOut(c))
}

// uploadRules takes a composition's operating rules file as the multipart part "rules_file".
func (h *Handlers) uploadRules(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	part, _, err := filePart(r, "rules_file", "err.evidence_empty")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.AttachCommitteeRules(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, part, part.FileName())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, committeeOut(c))
}

func (h *Handlers) rulesFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, f, err := h.svc.OpenCommitteeRules(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	defer f.Close()
	sendFile(w, "rules-"+strconv.FormatInt(c.ID, 10), c.RulesFile, f)
}

func (h *Handlers) notifyComposition(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = h.svc.NotifyComposition(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) committeeInbox(w http.ResponseWriter, r *http.Request) {
	limit, err := limitOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	items, err := h.svc.CommitteeInbox(r.Context(), httpkit.ActorOf(r), limit)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	type change struct {
		Name string            `json:"name"`
		From qms.CommitteeRole `json:"from,omitempty"`
		To   qms.CommitteeRole `json:"to,omitempty"`
	}
	type item struct {
		Agency    string        `json:"agency"`
		Committee committeeJSON `json:"committee"`
		Previous  string        `json:"previous_decision,omitempty"`
		Changes   []change      `json:"changes"`
	}
	page := Page[item]{Items: []item{}}
	for _, it := range items {
		x := item{Agency: it.Agency.Code, Committee: committeeOut(it.Committee), Changes: []change{}}
		if it.Previous != nil {
			x.Previous = it.Previous.DecisionNo
		}
		for _, c := range it.Changes {
			x.Changes = append(x.Changes, change{c.Name, c.From, c.To})
		}
		page.Items = append(page.Items, x)
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) addComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Comment string `json:"comment"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.AddComment(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.Comment)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"author": c.Author, "body": c.Body, "created_at": c.CreatedAt})
}

func (h *Handlers) milestones(w http.ResponseWriter, r *http.Request) {
	ms, err := h.svc.Milestones(r.Context(), httpkit.ActorOf(r), r.PathValue("programme"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, Page[qms.Milestone]{Items: append([]qms.Milestone{}, ms...)})
}

func (h *Handlers) setMilestones(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Milestones []qms.Milestone `json:"milestones"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.SetMilestones(r.Context(), httpkit.ActorOf(r), r.PathValue("programme"), in.Milestones); err != nil {
		h.writeError(w, r, err)
		return
	}
	h.milestones(w, r)
}

func (h *Handlers) createTemplate(w http.ResponseWriter, r *http.Request) {
	var in service.NewTemplate
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	t, err := h.svc.CreateStepTemplate(r.Context(), httpkit.ActorOf(r), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, templateOut(t))
}
