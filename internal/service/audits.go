package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Internal audits (ISO 9001:2015 clause 9.2): each agency's yearly programme of audits, each
// audit planned with trained and independent auditors, its checklist generated from the
// clauses and the process steps chosen, findings recorded with evidence (a nonconformity found
// goes to the register), the report, and follow-up until its nonconformities are closed.

// DefaultAuditReminders are how many days before an audit its team and the agency's managers
// are reminded, unless configured.
var DefaultAuditReminders = []int{14, 7}

// TeamMember is an auditor named in a plan: their e-mail and their own unit's code.
type TeamMember struct {
	Email string `json:"email"`
	Unit  string `json:"unit"`
}

// AuditInput is an audit's plan.
type AuditInput struct {
	Title     string       `json:"title"`
	Scope     string       `json:"scope"`
	Clauses   []string     `json:"clauses"`
	Processes []string     `json:"processes"` // process document codes
	Units     []string     `json:"units"`     // unit codes
	StartsOn  qms.Date     `json:"starts_on"`
	EndsOn    qms.Date     `json:"ends_on"`
	Lead      TeamMember   `json:"lead"`
	Team      []TeamMember `json:"team"`
	Auditees  string       `json:"auditees"`
}

// PlanAudit plans an internal audit: the auditors are members of the agency who passed an
// internal auditor course, none of them audits their own unit or a process they own; the
// checklist is generated from the clauses and the steps of the processes.
func (s *Service) PlanAudit(ctx context.Context, actor *qms.Actor, agencyCode string, in AuditInput) (qms.Audit, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermLoopManage, agencyCode)
	if err != nil {
		return qms.Audit{}, err
	}
	x := qms.Audit{AgencyID: a.ID, AgencyCode: a.Code, Title: in.Title, Scope: in.Scope, StartsOn: in.StartsOn, EndsOn: in.EndsOn, Auditees: in.Auditees,
		State: qms.AuditPlanned, CreatedBy: actor.UserID}
	for _, c := range in.Clauses {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(x.Clauses, c) {
			x.Clauses = append(x.Clauses, c)
		}
	}
	for _, p := range in.Processes {
		if p = qms.NormalizeCode(p); p != "" && !slices.Contains(x.Processes, p) {
			x.Processes = append(x.Processes, p)
		}
	}
	for _, u := range in.Units {
		if u = qms.NormalizeCode(u); u != "" && !slices.Contains(x.Units, u) {
			x.Units = append(x.Units, u)
		}
	}
	x.Year = x.StartsOn.Time().Year()
	if strings.TrimSpace(in.Lead.Email) != "" {
		x.Lead.UserID = -1 // checked below, once the plan's own fields are
	}
	if err := x.Validate(); err != nil {
		return x, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		units, err := tx.ListUnits(ctx, a.ID)
		if err != nil {
			return err
		}
		known := func(code string) bool {
			return code == "" || slices.ContainsFunc(units, func(u qms.Unit) bool { return u.Code == code })
		}
		for _, u := range x.Units {
			if !known(u) {
				return fieldErr("units", "err.unit_unknown", u)
			}
		}
		procs, err := tx.ProcessesInForce(ctx, a.ID)
		if err != nil {
			return err
		}
		owners, contents := map[string]int64{}, map[string]qms.ProcessContent{}
		for _, p := range procs {
			owners[p.Code], contents[p.Code] = p.AuthorID, p.Content
		}
		for _, p := range x.Processes {
			if _, ok := owners[p]; !ok {
				return fieldErr("processes", "err.audit_process_unknown", p)
			}
		}
		members := append([]TeamMember{in.Lead}, in.Team...)
		seen := map[int64]bool{}
		for i, m := range members {
			field := "team"
			if i == 0 {
				field = "lead"
			}
			if strings.TrimSpace(m.Email) == "" {
				continue
			}
			unit := qms.NormalizeCode(m.Unit)
			if !known(unit) {
				return fieldErr(field, "err.unit_unknown", unit)
			}
			ids, names, err := s.agencyMembers(ctx, tx, a.Code, field, []string{m.Email})
			if err != nil {
				return err
			}
			if seen[ids[0]] {
				continue
			}
			seen[ids[0]] = true
			trained, err := s.trainedAuditor(ctx, tx, ids[0])
			if err != nil {
				return err
			}
			if !trained {
				return fieldErr(field, "err.audit_not_trained", names[0])
			}
			au := qms.Auditor{UserID: ids[0], Name: names[0], Unit: unit}
			if i == 0 {
				x.Lead = au
			} else {
				x.Team = append(x.Team, au)
			}
		}
		if err := x.Validate(); err != nil {
			return err
		}
		if err := x.Independence(owners); err != nil {
			return err
		}
		var clauses []qms.Clause
		e, _ := qms.ClauseEditionFor("2015")
		for _, c := range x.Clauses {
			cl, _ := e.FindClause(c)
			clauses = append(clauses, cl)
		}
		x.Items = qms.Checklist(clauses, contents, x.Processes)
		if err := tx.InsertAudit(ctx, &x, s.now()); err != nil {
			return err
		}
		if err := tx.SetChecklist(ctx, a.ID, x.ID, x.Items); err != nil {
			return err
		}
		var team []string
		for _, m := range x.Auditors() {
			team = append(team, m.Name)
		}
		return s.record(ctx, tx, actor, a.ID, "audit.plan", "audit", x.ID, qms.Changes{"code": {New: x.Code}, "title": {New: x.Title},
			"starts_on": {New: x.StartsOn.String()}, "ends_on": {New: x.EndsOn.String()}, "clauses": {New: strings.Join(x.Clauses, ", ")},
			"processes": {New: strings.Join(x.Processes, ", ")}, "units": {New: strings.Join(x.Units, ", ")}, "team": {New: strings.Join(team, ", ")}})
	})
	return x, err
}

// trainedAuditor tells whether a user passed an internal auditor course.
func (s *Service) trainedAuditor(ctx context.Context, tx *store.Tx, userID int64) (bool, error) {
	list, err := tx.UserAttendances(ctx, userID)
	return slices.ContainsFunc(list, func(r qms.Attendance) bool {
		return r.Session.Course.Kind == qms.CourseInternalAuditor && r.Result == qms.ResultPassed
	}), err
}

// AuditView is an audit with what the actor may do.
type AuditView struct {
	Audit     qms.Audit
	Agency    qms.Agency
	Place     string // where its report is dated
	Events    []qms.AuditEvent
	MayManage bool // move it, edit its checklist
	MayRecord bool // on the team while fieldwork or reporting: answer, record findings, write the report
	MaySum    bool // write the report's conclusion: the team, or whoever manages the audit, while recording
	EditList  bool // the checklist can be edited (planned, preparation)
}

// Audit returns one of an agency's audits.
func (s *Service) Audit(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (AuditView, error) {
	var v AuditView
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return v, err
	}
	if v.Audit, err = s.db.Audit(ctx, a.ID, id); err != nil {
		return v, err
	}
	v.Agency = a
	if v.Place, err = s.place(ctx); err != nil {
		return v, err
	}
	s.auditRights(actor, &v)
	return v, nil
}

func (s *Service) auditRights(actor *qms.Actor, v *AuditView) {
	x := v.Audit
	v.MayManage = actor.Can(qms.PermLoopManage, x.AgencyCode) || x.Lead.UserID == actor.UserID
	v.MayRecord = x.State.Recording() && x.OnTeam(actor.UserID) && actor.Can(qms.PermNCEdit, x.AgencyCode)
	v.MaySum = v.MayRecord || v.MayManage && x.State.Recording()
	v.EditList = v.MayManage && (x.State == qms.AuditPlanned || x.State == qms.AuditPreparation)
	if v.MayManage {
		v.Events = x.State.Events()
	}
}

// AuditProgramme is an agency's audit programme for a year: its audits and what they cover.
type AuditProgramme struct {
	Agency    qms.Agency
	Year      int
	Audits    []qms.Audit
	Clauses   []string // clauses audited
	Processes []string // processes in force audited
	Uncovered []string // processes in force not audited this year
	NoAudit   bool     // no audit this year (the warning)
}

// AuditProgramme returns an agency's audits of a year with their coverage.
func (s *Service) AuditProgramme(ctx context.Context, actor *qms.Actor, agencyCode string, year int) (AuditProgramme, error) {
	p := AuditProgramme{Year: year}
	var err error
	if p.Agency, err = s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode); err != nil {
		return p, err
	}
	if year < 2000 || year > 2100 {
		return p, fieldErr("year", "err.year")
	}
	if p.Audits, err = s.db.Audits(ctx, store.AuditFilter{AgencyIDs: []int64{p.Agency.ID}, Year: year}); err != nil {
		return p, err
	}
	procs, err := s.db.ProcessesInForce(ctx, p.Agency.ID)
	if err != nil {
		return p, err
	}
	audited := map[string]bool{}
	for _, x := range p.Audits {
		if x.State == qms.AuditCancelled {
			continue
		}
		for _, c := range x.Clauses {
			if !slices.Contains(p.Clauses, c) {
				p.Clauses = append(p.Clauses, c)
			}
		}
		for _, c := range x.Processes {
			audited[c] = true
		}
	}
	for _, pr := range procs {
		if audited[pr.Code] {
			p.Processes = append(p.Processes, pr.Code)
		} else {
			p.Uncovered = append(p.Uncovered, pr.Code)
		}
	}
	slices.Sort(p.Clauses)
	p.NoAudit = !slices.ContainsFunc(p.Audits, func(x qms.Audit) bool { return x.State != qms.AuditCancelled })
	return p, nil
}

// AuditAction moves an audit; the report's conclusion comes with any event or alone (event empty).
type AuditAction struct {
	Event   qms.AuditEvent `json:"event"`
	Summary *string        `json:"summary"`
	Version int64          `json:"version"`
}

// ActOnAudit moves an audit along its states, with its guards (a checklist to send, every line
// answered and a conclusion to report, the nonconformities raised closed to close it), or
// writes the report's conclusion.
func (s *Service) ActOnAudit(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, in AuditAction) (qms.Audit, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return qms.Audit{}, err
	}
	var x qms.Audit
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if x, err = tx.Audit(ctx, a.ID, id); err != nil {
			return err
		}
		v := AuditView{Audit: x}
		s.auditRights(actor, &v)
		if in.Version != 0 && in.Version != x.Version {
			return qms.Errorf(qms.EConflict, "err.stale")
		}
		ch := qms.Changes{}
		if in.Summary != nil {
			if !v.MaySum {
				return qms.Errorf(qms.EForbidden, "err.audit_not_team")
			}
			sum := strings.TrimSpace(*in.Summary)
			if len([]rune(sum)) > 8000 {
				return fieldErr("summary", "err.too_long")
			}
			ch["summary"] = qms.Change{Old: x.Summary, New: sum}
			x.Summary = sum
		}
		action := "audit.report_text"
		if in.Event != "" {
			if !v.MayManage {
				return qms.Errorf(qms.EForbidden, "err.forbidden")
			}
			to, err := qms.NextAuditState(x.State, in.Event)
			if err != nil {
				return err
			}
			if err := x.Guard(in.Event); err != nil {
				return err
			}
			ch["state"] = qms.Change{Old: string(x.State), New: string(to)}
			x.State, action = to, "audit."+string(in.Event)
		}
		if len(ch) == 0 {
			return fieldErr("event", "err.required")
		}
		if err := tx.UpdateAudit(ctx, &x); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, action, "audit", x.ID, ch)
	})
	if err != nil {
		return x, err
	}
	return s.db.Audit(ctx, a.ID, id)
}

// EditChecklist replaces the checklist of an audit being planned or prepared.
func (s *Service) EditChecklist(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, items []qms.AuditItem) (qms.Audit, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return qms.Audit{}, err
	}
	var clean []qms.AuditItem
	for _, it := range items {
		it.Question, it.Clause, it.Process = strings.TrimSpace(it.Question), strings.TrimSpace(it.Clause), qms.NormalizeCode(it.Process)
		if it.Question == "" {
			continue
		}
		if len([]rune(it.Question)) > 1000 {
			return qms.Audit{}, fieldErr("items", "err.too_long")
		}
		it.Result, it.Note = "", ""
		clean = append(clean, it)
	}
	if len(clean) > 500 {
		return qms.Audit{}, fieldErr("items", "err.too_many")
	}
	var x qms.Audit
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if x, err = tx.Audit(ctx, a.ID, id); err != nil {
			return err
		}
		v := AuditView{Audit: x}
		s.auditRights(actor, &v)
		if !v.EditList {
			if !v.MayManage {
				return qms.Errorf(qms.EForbidden, "err.forbidden")
			}
			return qms.Errorf(qms.EConflict, "err.audit_checklist_locked")
		}
		if err := tx.SetChecklist(ctx, a.ID, x.ID, clean); err != nil {
			return err
		}
		if err := tx.UpdateAudit(ctx, &x); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "audit.checklist", "audit", x.ID, qms.Changes{"items": {Old: strconv.Itoa(len(x.Items)), New: strconv.Itoa(len(clean))}})
	})
	if err != nil {
		return x, err
	}
	return s.db.Audit(ctx, a.ID, id)
}

// AnswerChecklist records the results of checklist lines (yes, no, not applicable, with a
// note), by a member of the team during fieldwork or reporting.
func (s *Service) AnswerChecklist(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, answers []qms.AuditItem) (qms.Audit, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCEdit, agencyCode)
	if err != nil {
		return qms.Audit{}, err
	}
	var x qms.Audit
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if x, err = tx.Audit(ctx, a.ID, id); err != nil {
			return err
		}
		if err := s.mayRecord(actor, x); err != nil {
			return err
		}
		n := 0
		for _, ans := range answers {
			i := slices.IndexFunc(x.Items, func(it qms.AuditItem) bool { return it.ID == ans.ID })
			if i < 0 {
				return qms.Errorf(qms.ENotFound, "err.audit_item_not_found")
			}
			ans.Note = strings.TrimSpace(ans.Note)
			if ans.Result != "" && ans.Result != qms.ChecklistYes && ans.Result != qms.ChecklistNo && ans.Result != qms.ChecklistNA {
				return fieldErr("result", "err.choice")
			}
			if len([]rune(ans.Note)) > 2000 {
				return fieldErr("note", "err.too_long")
			}
			if x.Items[i].Result == ans.Result && x.Items[i].Note == ans.Note {
				continue
			}
			x.Items[i].Result, x.Items[i].Note = ans.Result, ans.Note
			if err := tx.AnswerItem(ctx, x.ID, x.Items[i]); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		return s.record(ctx, tx, actor, a.ID, "audit.answer", "audit", x.ID, qms.Changes{"answers": {New: strconv.Itoa(n)}})
	})
	if err != nil {
		return x, err
	}
	return s.db.Audit(ctx, a.ID, id)
}

func (s *Service) mayRecord(actor *qms.Actor, x qms.Audit) error {
	if !x.OnTeam(actor.UserID) {
		return qms.Errorf(qms.EForbidden, "err.audit_not_team")
	}
	if !x.State.Recording() {
		return qms.Errorf(qms.EConflict, "err.audit_not_recording", string(x.State))
	}
	return nil
}

// FindingInput is a finding as recorded.
type FindingInput struct {
	Type        qms.FindingType `json:"type"`
	Clause      string          `json:"clause"`
	Process     string          `json:"process"`
	Unit        string          `json:"unit"`
	Description string          `json:"description"`
	Evidence    string          `json:"evidence"`
}

// RecordFinding records a finding of an audit by a member of its team; a minor or major
// nonconformity is entered in the agency's register (source: internal audit, the audit's code)
// in the same transaction.
func (s *Service) RecordFinding(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, in FindingInput) (qms.Finding, error) {
	f := qms.Finding{AuditID: id, Type: in.Type, Clause: in.Clause, Process: in.Process, Unit: in.Unit, Description: in.Description, Evidence: in.Evidence,
		RecordedBy: actor.UserID, RecordedAt: s.now()}
	a, err := s.agencyFor(ctx, actor, qms.PermNCEdit, agencyCode)
	if err != nil {
		return f, err
	}
	if err := f.Validate(); err != nil {
		return f, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		x, err := tx.Audit(ctx, a.ID, id)
		if err != nil {
			return err
		}
		if err := s.mayRecord(actor, x); err != nil {
			return err
		}
		if sev, ok := f.Type.Nonconformity(); ok {
			title := f.Description
			if r := []rune(title); len(r) > 120 {
				title = string(r[:119]) + "…"
			}
			n := qms.Nonconformity{AgencyID: a.ID, AgencyCode: a.Code, Title: title, Description: f.Description + " — Bằng chứng: " + f.Evidence,
				Source: qms.SourceAudit, SourceRef: x.Code, Clause: f.Clause, Unit: f.Unit, Severity: sev, State: qms.NCDraft, ReportedBy: actor.UserID, ReportedAt: f.RecordedAt}
			if err := n.Validate(); err != nil {
				return err
			}
			if err := tx.InsertNC(ctx, &n); err != nil {
				return err
			}
			f.NCID, f.NCCode, f.NCState = n.ID, n.Code, n.State
			if err := s.record(ctx, tx, actor, a.ID, "nc.report", "nc", n.ID, qms.Changes{"code": {New: n.Code}, "title": {New: n.Title},
				"source": {New: string(n.Source)}, "source_ref": {New: n.SourceRef}, "severity": {New: string(n.Severity)}, "clause": {New: n.Clause}}); err != nil {
				return err
			}
		}
		if err := tx.InsertFinding(ctx, a.ID, &f); err != nil {
			return err
		}
		if err := tx.UpdateAudit(ctx, &x); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "audit.finding", "audit", x.ID, qms.Changes{"type": {New: string(f.Type)}, "description": {New: f.Description},
			"evidence": {New: f.Evidence}, "nc": {New: f.NCCode}})
	})
	return f, err
}

// UpcomingAudit is an audit starting soon, for a reminder.
type UpcomingAudit struct {
	qms.Audit
	InDays int
	Due    bool // a reminder day
}

// UpcomingAudits lists the audits the actor is on the team of or manages that start within the
// longest reminder period, soonest first; Due tells those whose start is exactly a reminder day
// away (the day a message goes out).
func (s *Service) UpcomingAudits(ctx context.Context, actor *qms.Actor) ([]UpcomingAudit, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	today := qms.DateOf(s.now().In(vietnam))
	days := s.cfg.AuditReminders
	list, err := s.db.Audits(ctx, store.AuditFilter{From: today, To: today.AddDays(slices.Max(days))})
	var out []UpcomingAudit
	for _, x := range list {
		if x.State == qms.AuditCancelled || x.State.Done() || !(x.OnTeam(actor.UserID) || actor.Can(qms.PermLoopManage, x.AgencyCode)) {
			continue
		}
		in := int(x.StartsOn.Time().Sub(today.Time()) / (24 * time.Hour))
		out = append(out, UpcomingAudit{Audit: x, InDays: in, Due: slices.Contains(days, in)})
	}
	return out, err
}

// AuditOptions are what an agency's planning forms offer: its processes in force, its units and
// its trained auditors.
type AuditOptions struct {
	Agency    qms.Agency
	Processes []store.ProcessInForce
	Units     []qms.Unit
	Auditors  []qms.User // members who passed an internal auditor course
}

// AuditOptions returns the choices of an agency's audit plan (and of a risk's process).
func (s *Service) AuditOptions(ctx context.Context, actor *qms.Actor, agencyCode string) (AuditOptions, error) {
	var o AuditOptions
	var err error
	if o.Agency, err = s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode); err != nil {
		return o, err
	}
	if o.Processes, err = s.db.ProcessesInForce(ctx, o.Agency.ID); err != nil {
		return o, err
	}
	units, err := s.db.ListUnits(ctx, o.Agency.ID)
	if err != nil {
		return o, err
	}
	for _, u := range units {
		if !u.Closed {
			o.Units = append(o.Units, u)
		}
	}
	records, err := s.db.AgencyAttendances(ctx, o.Agency.ID)
	seen := map[int64]bool{}
	for _, r := range records {
		if r.UserID != 0 && !seen[r.UserID] && r.Session.Course.Kind == qms.CourseInternalAuditor && r.Result == qms.ResultPassed {
			seen[r.UserID] = true
			u, err := s.db.UserByID(ctx, r.UserID)
			if err != nil {
				return o, err
			}
			if !u.Disabled {
				o.Auditors = append(o.Auditors, u)
			}
		}
	}
	return o, err
}

// place is the province's name for the date line of documents, from its People's Committee.
func (s *Service) place(ctx context.Context) (string, error) {
	list, err := s.db.ListAgencies(ctx, store.AgencyFilter{Kind: qms.KindProvincialCommittee, Limit: 1})
	if err != nil || len(list) == 0 {
		return "", err
	}
	return qms.PlaceName(list[0].Name), nil
}
