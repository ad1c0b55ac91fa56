package service

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// SeedStepTemplates loads the shipped step templates into a database that has none.
func (s *Service) SeedStepTemplates(ctx context.Context) error {
	existing, err := s.db.StepTemplates(ctx, "")
	if err != nil || len(existing) > 0 {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, t := range qms.DefaultStepTemplates() {
			if err := tx.CreateStepTemplate(ctx, &t); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, System, qms.ProvinceChain, "template.seed", "step_templates", 0, qms.Changes{"count": {New: strconv.Itoa(len(qms.DefaultStepTemplates()))}})
	})
}

// StepTemplates returns a regime's templates ("" for both); every signed-in user may read them.
func (s *Service) StepTemplates(ctx context.Context, actor *qms.Actor, regime qms.Regime) ([]qms.StepTemplate, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.StepTemplates(ctx, regime)
}

// TemplateUpdate is what the coordinator may change of a step template.
type TemplateUpdate struct {
	Title            string      `json:"title"`
	Phase            int         `json:"phase"`
	Groups           []qms.Group `json:"groups"` // empty: every group
	EvidenceRequired bool        `json:"evidence_required"`
	EvidenceKinds    []string    `json:"evidence_kinds"`
}

func checkTemplate(in *TemplateUpdate) error {
	var v qms.Validation
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" || len([]rune(in.Title)) > 300 || strings.ContainsAny(in.Title, "\n\r\t\x00") {
		v.Add("title", "err.required")
	}
	if in.Phase < 1 || in.Phase > 5 {
		v.Add("phase", "err.phase")
	}
	for _, g := range in.Groups {
		if !g.Valid() {
			v.Add("groups", "err.group")
			break
		}
	}
	for _, k := range in.EvidenceKinds {
		if k != "file" && k != "note" && !(strings.HasPrefix(k, "link:") && len(k) > 5 && len(k) < 40) {
			v.Add("evidence_kinds", "err.evidence_kind")
			break
		}
	}
	return v.Err()
}

// NewTemplate is a step the coordinator adds to a regime.
type NewTemplate struct {
	TemplateUpdate
	Regime qms.Regime `json:"regime"`
	Code   string     `json:"code"`
}

// CreateStepTemplate adds a step to a regime (coordinator). Agencies that join a programme of
// that regime afterwards get it; existing tracks are left as they are.
func (s *Service) CreateStepTemplate(ctx context.Context, actor *qms.Actor, in NewTemplate) (qms.StepTemplate, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return qms.StepTemplate{}, err
	}
	var v qms.Validation
	if !in.Regime.Valid() {
		v.Add("regime", "err.regime")
	}
	in.Code = strings.TrimSpace(in.Code)
	if in.Code == "" || len(in.Code) > 20 || strings.ContainsAny(in.Code, " \t\n,") {
		v.Add("code", "err.code_format")
	}
	if err := v.Err(); err != nil {
		return qms.StepTemplate{}, err
	}
	if err := checkTemplate(&in.TemplateUpdate); err != nil {
		return qms.StepTemplate{}, err
	}
	t := qms.StepTemplate{Regime: in.Regime, Code: in.Code, Phase: in.Phase, Title: in.Title, Groups: in.Groups,
		EvidenceRequired: in.EvidenceRequired, EvidenceKinds: in.EvidenceKinds}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		all, err := tx.StepTemplates(ctx, in.Regime)
		if err != nil {
			return err
		}
		for _, x := range all {
			if x.Phase <= t.Phase && x.Seq >= t.Seq {
				t.Seq = x.Seq + 1 // after the phase's last step
			}
		}
		if err := tx.CreateStepTemplate(ctx, &t); err != nil {
			if qms.ErrorCode(err) == qms.EConflict {
				return fieldErr("code", "err.template_code_taken")
			}
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "template.create", "step_template", t.ID, qms.Changes{"regime": {New: string(t.Regime)},
			"code": {New: t.Code}, "title": {New: t.Title}})
	})
	return t, err
}

// UpdateStepTemplate edits a template (coordinator); the change applies to every track that uses it.
func (s *Service) UpdateStepTemplate(ctx context.Context, actor *qms.Actor, id int64, in TemplateUpdate) (qms.StepTemplate, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return qms.StepTemplate{}, err
	}
	if err := checkTemplate(&in); err != nil {
		return qms.StepTemplate{}, err
	}
	var t qms.StepTemplate
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		all, err := tx.StepTemplates(ctx, "")
		if err != nil {
			return err
		}
		for _, x := range all {
			if x.ID == id {
				t = x
			}
		}
		if t.ID == 0 {
			return qms.Errorf(qms.ENotFound, "err.not_found")
		}
		ch := qms.Changes{}
		ch.Diff("title", t.Title, in.Title)
		ch.Diff("phase", t.Phase, in.Phase)
		ch.Diff("evidence_required", t.EvidenceRequired, in.EvidenceRequired)
		ch.Diff("evidence_kinds", strings.Join(t.EvidenceKinds, ","), strings.Join(in.EvidenceKinds, ","))
		ch.Diff("groups", groupList(t.Groups), groupList(in.Groups))
		t.Title, t.Phase, t.EvidenceRequired, t.EvidenceKinds, t.Groups = in.Title, in.Phase, in.EvidenceRequired, in.EvidenceKinds, in.Groups
		if len(ch) == 0 {
			return nil
		}
		if err := tx.UpdateStepTemplate(ctx, &t); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "template.update", "step_template", t.ID, ch)
	})
	return t, err
}

// Programmes lists the programmes; every signed-in user may read them.
func (s *Service) Programmes(ctx context.Context, actor *qms.Actor) ([]qms.Programme, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.Programmes(ctx)
}

// Programme returns one programme with its participants.
func (s *Service) Programme(ctx context.Context, actor *qms.Actor, code string) (qms.Programme, []store.Participant, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return qms.Programme{}, nil, err
	}
	p, err := s.db.ProgrammeByCode(ctx, qms.NormalizeCode(code))
	if err != nil {
		return p, nil, err
	}
	parts, err := s.db.Participants(ctx, p.ID)
	return p, parts, err
}

// CreateProgramme adds a programme (coordinator).
func (s *Service) CreateProgramme(ctx context.Context, actor *qms.Actor, p qms.Programme) (qms.Programme, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateProgramme(ctx, &p, s.now()); err != nil {
			if qms.ErrorCode(err) == qms.EConflict {
				return fieldErr("code", "err.programme_code_taken")
			}
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "programme.create", "programme", p.ID, qms.Changes{
			"code": {New: p.Code}, "name": {New: p.Name}, "decision": {New: p.DecisionNo}, "regime": {New: string(p.Regime)},
			"edition": {New: p.Edition}, "period": {New: strconv.Itoa(p.YearFrom) + "–" + strconv.Itoa(p.YearTo)},
		})
	})
	return p, err
}

// AddParticipant puts an agency into a programme in a group and lays out its track: every step
// of the regime that applies to the group, planned evenly over the programme's period by phase.
func (s *Service) AddParticipant(ctx context.Context, actor *qms.Actor, programmeCode, agencyCode string, g qms.Group) ([]qms.TrackStep, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return nil, err
	}
	if !g.Valid() {
		return nil, fieldErr("group", "err.group")
	}
	var steps []qms.TrackStep
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.ProgrammeByCode(ctx, qms.NormalizeCode(programmeCode))
		if err != nil {
			return err
		}
		a, err := tx.AgencyByCode(ctx, qms.NormalizeCode(agencyCode))
		if qms.ErrorCode(err) == qms.ENotFound {
			return fieldErr("agency", "err.agency_not_found")
		} else if err != nil {
			return err
		}
		if err := tx.AddParticipant(ctx, p.ID, a.ID, g); err != nil {
			if qms.ErrorCode(err) == qms.EConflict {
				return fieldErr("agency", "err.participant_exists")
			}
			return err
		}
		templates, err := tx.StepTemplates(ctx, p.Regime)
		if err != nil {
			return err
		}
		start := time.Date(p.YearFrom, 1, 1, 0, 0, 0, 0, time.UTC)
		days := int(time.Date(p.YearTo, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
		for _, t := range templates {
			if !t.AppliesTo(g) {
				continue
			}
			st := qms.TrackStep{AgencyID: a.ID, ProgrammeID: p.ID, Template: t, Status: qms.StepNotStarted,
				PlannedOn: qms.DateOf(start.AddDate(0, 0, days*t.Phase/5))}
			if err := tx.CreateTrackStep(ctx, &st, s.now()); err != nil {
				return err
			}
			steps = append(steps, st)
		}
		return s.record(ctx, tx, actor, a.ID, "programme.join", "programme", p.ID, qms.Changes{"programme": {New: p.Code}, "group": {New: string(g)},
			"steps": {New: strconv.Itoa(len(steps))}})
	})
	return steps, err
}

// Track is an agency's track in one programme.
type Track struct {
	Agency    qms.Agency
	Programme qms.Programme
	Group     qms.Group
	Steps     []qms.TrackStep
	Progress  qms.Progress
	Next      []qms.TrackStep // the next steps to do, by planned date
	Today     qms.Date
}

// AgencyTracks returns an agency's tracks in every programme it takes part in.
func (s *Service) AgencyTracks(ctx context.Context, actor *qms.Actor, agencyCode string) ([]Track, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackRead, code); err != nil {
		return nil, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	progs, groups, err := s.db.AgencyProgrammes(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	today := qms.DateOf(s.now().In(vietnam))
	var out []Track
	for i, p := range progs {
		steps, err := s.db.Track(ctx, a.ID, p.ID)
		if err != nil {
			return nil, err
		}
		t := Track{Agency: a, Programme: p, Group: groups[i], Steps: steps, Progress: qms.ComputeProgress(steps, today), Today: today}
		for _, st := range steps {
			if st.Status != qms.StepDone && st.Status != qms.StepNotApplicable && len(t.Next) < 3 {
				t.Next = append(t.Next, st)
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// vietnam is UTC+7, the zone "today" is reckoned in.
var vietnam = time.FixedZone("ICT", 7*3600)

// StepView is one step with its evidence and comments.
type StepView struct {
	Agency   qms.Agency
	Step     qms.TrackStep
	Evidence []store.Evidence
	Comments []qms.StepComment
}

// Step returns one step of an agency with its evidence.
func (s *Service) Step(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (StepView, error) {
	var v StepView
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackRead, code); err != nil {
		return v, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return v, err
	}
	v.Agency = a
	if v.Step, err = s.db.TrackStep(ctx, a.ID, id); err != nil {
		return v, err
	}
	if v.Evidence, err = s.db.StepEvidence(ctx, a.ID, id); err != nil {
		return v, err
	}
	v.Comments, err = s.db.StepComments(ctx, a.ID, id)
	return v, err
}

// AddComment adds a remark to a step: anyone who may read the agency's track may comment (its
// people, its consultant, DOST commenting on drafts as the seed asks).
func (s *Service) AddComment(ctx context.Context, actor *qms.Actor, agencyCode string, stepID int64, body string) (qms.StepComment, error) {
	code := qms.NormalizeCode(agencyCode)
	c := qms.StepComment{Body: strings.TrimSpace(body)}
	if err := actor.Require(qms.PermTrackRead, code); err != nil {
		return c, err
	}
	if c.Body == "" {
		return c, fieldErr("comment", "err.required")
	}
	if len([]rune(c.Body)) > 2000 || strings.ContainsRune(c.Body, 0) {
		return c, fieldErr("comment", "err.too_long")
	}
	c.Author, c.CreatedAt = actorName(actor), s.now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		st, err := tx.TrackStep(ctx, a.ID, stepID)
		if err != nil {
			return err
		}
		if err := tx.CreateStepComment(ctx, a.ID, stepID, &c, actor.UserID); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "step.comment", "track_step", stepID, qms.Changes{"step": {New: st.Template.Code}, "comment": {New: c.Body}})
	})
	return c, err
}

// Milestones returns a programme's milestones by year.
func (s *Service) Milestones(ctx context.Context, actor *qms.Actor, programmeCode string) ([]qms.Milestone, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	p, err := s.db.ProgrammeByCode(ctx, qms.NormalizeCode(programmeCode))
	if err != nil {
		return nil, err
	}
	return s.db.Milestones(ctx, p.ID)
}

// SetMilestones replaces a programme's milestones (coordinator); each year must lie in the
// programme's period.
func (s *Service) SetMilestones(ctx context.Context, actor *qms.Actor, programmeCode string, ms []qms.Milestone) error {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.ProgrammeByCode(ctx, qms.NormalizeCode(programmeCode))
		if err != nil {
			return err
		}
		var lines []string
		for i := range ms {
			ms[i].Text = strings.TrimSpace(ms[i].Text)
			if ms[i].Year < p.YearFrom || ms[i].Year > p.YearTo {
				return fieldErr("milestones", "err.milestone_year")
			}
			if ms[i].Text == "" || len([]rune(ms[i].Text)) > 500 || strings.ContainsAny(ms[i].Text, "\n\x00") {
				return fieldErr("milestones", "err.milestone_text")
			}
			lines = append(lines, strconv.Itoa(ms[i].Year)+": "+ms[i].Text)
		}
		if len(ms) > 100 {
			return fieldErr("milestones", "err.too_long")
		}
		if err := tx.ReplaceMilestones(ctx, p.ID, ms); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "programme.milestones", "programme", p.ID, qms.Changes{"milestones": {New: strings.Join(lines, "; ")}})
	})
}

// UpdateStep records progress on a step (the agency's leader or ISO secretary).
func (s *Service) UpdateStep(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, u qms.StepUpdate) (qms.TrackStep, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackEdit, code); err != nil {
		return qms.TrackStep{}, err
	}
	var st qms.TrackStep
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if st, err = tx.TrackStep(ctx, a.ID, id); err != nil {
			return err
		}
		if err := qms.CheckStepUpdate(st, &u, qms.DateOf(s.now().In(vietnam))); err != nil {
			return err
		}
		ch := qms.Changes{}
		ch.Diff("status", string(st.Status), string(u.Status))
		ch.Diff("planned_on", st.PlannedOn.String(), u.PlannedOn.String())
		ch.Diff("done_on", st.DoneOn.String(), u.DoneOn.String())
		ch.Diff("owner", st.Owner, u.Owner)
		ch.Diff("na_reason", st.NAReason, u.NAReason)
		if len(ch) == 0 {
			return nil
		}
		ch["step"] = qms.Change{New: st.Template.Code}
		st.Status, st.PlannedOn, st.DoneOn, st.Owner, st.NAReason = u.Status, u.PlannedOn, u.DoneOn, u.Owner, u.NAReason
		if err := tx.UpdateTrackStep(ctx, &st, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "step.update", "track_step", st.ID, ch)
	})
	return st, err
}

// EvidenceInput is one piece of evidence: a file (File set), a link to a QMS object, or a note.
type EvidenceInput struct {
	File     io.Reader
	FileName string
	LinkType string // "document", "audit", "review", "committee" …
	LinkID   string
	Note     string
}

// AddEvidence attaches evidence to a step. A file is stored only if its content is of an
// allowed type and within the size limit.
func (s *Service) AddEvidence(ctx context.Context, actor *qms.Actor, agencyCode string, stepID int64, in EvidenceInput) (store.Evidence, error) {
	code := qms.NormalizeCode(agencyCode)
	e := store.Evidence{TrackStepID: stepID, CreatedBy: actor.UserID}
	if err := actor.Require(qms.PermTrackEdit, code); err != nil {
		return e, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return e, err
	}
	step, err := s.db.TrackStep(ctx, a.ID, stepID)
	if err != nil {
		return e, err
	}
	e.AgencyID = a.ID
	in.Note, in.LinkType, in.LinkID = strings.TrimSpace(in.Note), strings.TrimSpace(in.LinkType), strings.TrimSpace(in.LinkID)
	allowed := func(kind string) bool {
		for _, k := range step.Template.EvidenceKinds {
			if k == kind {
				return true
			}
		}
		return len(step.Template.EvidenceKinds) == 0
	}
	switch {
	case in.File != nil:
		if !allowed("file") {
			return e, fieldErr("file", "err.evidence_kind")
		}
		f, err := s.putFile("file", in.File, in.FileName)
		if err != nil {
			return e, err
		}
		e.Kind, e.FileSHA256, e.FileName, e.FileSize, e.FileType = "file", f.SHA256, f.Name, f.Size, f.Type
	case in.LinkType != "":
		if !allowed("link:"+in.LinkType) || in.LinkID == "" || len(in.LinkID) > 60 {
			return e, fieldErr("link_type", "err.evidence_kind")
		}
		e.Kind, e.LinkType, e.LinkID = "link", in.LinkType, in.LinkID
	case in.Note != "":
		if !allowed("note") {
			return e, fieldErr("note", "err.evidence_kind")
		}
		if len([]rune(in.Note)) > 2000 {
			return e, fieldErr("note", "err.too_long")
		}
		e.Kind, e.Note = "note", in.Note
	default:
		return e, fieldErr("file", "err.evidence_empty")
	}
	e.CreatedAt = s.now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateEvidence(ctx, &e); err != nil {
			return err
		}
		ch := qms.Changes{"step": {New: step.Template.Code}, "kind": {New: e.Kind}}
		switch e.Kind {
		case "file":
			ch["file"] = qms.Change{New: e.FileName + " (" + e.FileSHA256[:12] + ")"}
		case "link":
			ch["link"] = qms.Change{New: e.LinkType + " #" + e.LinkID}
		default:
			ch["note"] = qms.Change{New: e.Note}
		}
		return s.record(ctx, tx, actor, a.ID, "evidence.add", "track_step", stepID, ch)
	})
	return e, err
}

// putFile stores an upload (content sniffed, size limited) and returns its reference with a
// cleaned-up name; a refused file is an error on the given form field.
func (s *Service) putFile(field string, r io.Reader, fileName string) (qms.FileRef, error) {
	f, err := s.files.Put(r, s.cfg.FileLimit)
	if err != nil {
		if de, ok := err.(*qms.Error); ok {
			var v qms.Validation
			v.Add(field, de.Key, de.Args...)
			return qms.FileRef{}, v.Err()
		}
		return qms.FileRef{}, err
	}
	name := strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, fileName))
	if name == "" || len([]rune(name)) > 200 {
		name = f.SHA256[:12] + store.Extension(f.Type)
	}
	return qms.FileRef{SHA256: f.SHA256, Name: name, Size: f.Size, Type: f.Type}, nil
}

// OpenEvidence returns a piece of file evidence and its content, for those who may read the
// agency's track.
func (s *Service) OpenEvidence(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (store.Evidence, io.ReadCloser, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackRead, code); err != nil {
		return store.Evidence{}, nil, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return store.Evidence{}, nil, err
	}
	e, err := s.db.EvidenceByID(ctx, a.ID, id)
	if err != nil {
		return e, nil, err
	}
	if e.Kind != "file" {
		return e, nil, qms.Errorf(qms.ENotFound, "err.evidence_not_found")
	}
	f, err := s.files.Open(e.FileSHA256)
	return e, f, err
}

// ImportedStep is the recorded state of one step when a track is imported from earlier
// records (paper, spreadsheets): its evidence is the note that says where the record is.
type ImportedStep struct {
	Code   string
	Status qms.StepStatus
	DoneOn qms.Date
	Note   string
}

// ImportTrack records an agency's earlier progress in a programme in one go (coordinator).
// Steps marked done get the note as evidence, so the evidence rule holds for them too.
func (s *Service) ImportTrack(ctx context.Context, actor *qms.Actor, programmeCode, agencyCode string, steps []ImportedStep) error {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.ProgrammeByCode(ctx, qms.NormalizeCode(programmeCode))
		if err != nil {
			return err
		}
		a, err := tx.AgencyByCode(ctx, qms.NormalizeCode(agencyCode))
		if err != nil {
			return err
		}
		track, err := tx.Track(ctx, a.ID, p.ID)
		if err != nil {
			return err
		}
		byCode := map[string]qms.TrackStep{}
		for _, st := range track {
			byCode[st.Template.Code] = st
		}
		now := s.now()
		done := 0
		for _, in := range steps {
			st, ok := byCode[in.Code]
			if !ok {
				return fieldErr("steps", "err.step_not_found")
			}
			note := strings.TrimSpace(in.Note)
			if in.Status == qms.StepDone && note != "" {
				e := store.Evidence{AgencyID: a.ID, TrackStepID: st.ID, Kind: "note", Note: note, CreatedAt: now, CreatedBy: actor.UserID}
				if err := tx.CreateEvidence(ctx, &e); err != nil {
					return err
				}
				st.Evidence++
			}
			u := qms.StepUpdate{Status: in.Status, PlannedOn: st.PlannedOn, DoneOn: in.DoneOn, Owner: st.Owner, NAReason: note}
			if err := qms.CheckStepUpdate(st, &u, qms.DateOf(now.In(vietnam))); err != nil {
				return err
			}
			st.Status, st.DoneOn, st.NAReason = u.Status, u.DoneOn, u.NAReason
			if err := tx.UpdateTrackStep(ctx, &st, now); err != nil {
				return err
			}
			if st.Status == qms.StepDone {
				done++
			}
		}
		return s.record(ctx, tx, actor, a.ID, "track.import", "programme", p.ID, qms.Changes{"programme": {New: p.Code},
			"steps": {New: strconv.Itoa(len(steps))}, "done": {New: strconv.Itoa(done)}})
	})
}

func groupList(gs []qms.Group) string {
	s := make([]string, len(gs))
	for i, g := range gs {
		s[i] = string(g)
	}
	return strings.Join(s, ",")
}
