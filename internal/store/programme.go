package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

func joinGroups(gs []qms.Group) string {
	s := make([]string, len(gs))
	for i, g := range gs {
		s[i] = string(g)
	}
	return strings.Join(s, ",")
}

func splitGroups(s string) []qms.Group {
	var out []qms.Group
	for _, g := range strings.Split(s, ",") {
		if g != "" {
			out = append(out, qms.Group(g))
		}
	}
	return out
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

const templateColumns = "t.id, t.regime, t.code, t.phase, t.seq, t.title, t.groups, t.evidence_required, t.evidence_kinds"

func scanTemplate(r interface{ Scan(...any) error }, t *qms.StepTemplate, extra ...any) error {
	var groups, kinds string
	err := r.Scan(append([]any{&t.ID, &t.Regime, &t.Code, &t.Phase, &t.Seq, &t.Title, &groups, &t.EvidenceRequired, &kinds}, extra...)...)
	t.Groups, t.EvidenceKinds = splitGroups(groups), splitList(kinds)
	return err
}

// StepTemplates returns a regime's step templates in order ("" for every regime).
func (q Q) StepTemplates(ctx context.Context, regime qms.Regime) ([]qms.StepTemplate, error) {
	rows, err := q.query(ctx, "SELECT "+templateColumns+" FROM step_templates t WHERE ? = '' OR t.regime = ? ORDER BY t.regime, t.phase, t.seq", regime, regime)
	return scanAll(rows, err, func(r *sql.Rows) (qms.StepTemplate, error) {
		var t qms.StepTemplate
		return t, scanTemplate(r, &t)
	})
}

// CreateStepTemplate inserts t.
func (q Q) CreateStepTemplate(ctx context.Context, t *qms.StepTemplate) error {
	id, err := q.insert(ctx, `INSERT INTO step_templates (regime, code, phase, seq, title, groups, evidence_required, evidence_kinds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Regime, t.Code, t.Phase, t.Seq, t.Title, joinGroups(t.Groups), t.EvidenceRequired, strings.Join(t.EvidenceKinds, ","))
	if err != nil {
		return conflict(err, "err.template_code_taken")
	}
	t.ID = id
	return nil
}

// UpdateStepTemplate writes a template's title, phase, order, groups and evidence rules.
func (q Q) UpdateStepTemplate(ctx context.Context, t *qms.StepTemplate) error {
	_, err := q.exec(ctx, `UPDATE step_templates SET phase = ?, seq = ?, title = ?, groups = ?, evidence_required = ?, evidence_kinds = ? WHERE id = ?`,
		t.Phase, t.Seq, t.Title, joinGroups(t.Groups), t.EvidenceRequired, strings.Join(t.EvidenceKinds, ","), t.ID)
	return err
}

const programmeColumns = "id, code, name, decision_no, decision_date, signer, year_from, year_to, edition, regime, created_at, updated_at"

func scanProgramme(r interface{ Scan(...any) error }) (qms.Programme, error) {
	var p qms.Programme
	var date string
	var c, u int64
	err := r.Scan(&p.ID, &p.Code, &p.Name, &p.DecisionNo, &date, &p.Signer, &p.YearFrom, &p.YearTo, &p.Edition, &p.Regime, &c, &u)
	p.DecisionDate, _ = qms.ParseDate(date)
	p.CreatedAt, p.UpdatedAt = fromMicros(c), fromMicros(u)
	return p, err
}

// Programmes returns every programme, newest period first.
func (q Q) Programmes(ctx context.Context) ([]qms.Programme, error) {
	rows, err := q.query(ctx, "SELECT "+programmeColumns+" FROM programmes ORDER BY year_from DESC, id DESC")
	return scanAll(rows, err, func(r *sql.Rows) (qms.Programme, error) { return scanProgramme(r) })
}

// ProgrammeByCode returns one programme.
func (q Q) ProgrammeByCode(ctx context.Context, code string) (qms.Programme, error) {
	p, err := scanProgramme(q.row(ctx, "SELECT "+programmeColumns+" FROM programmes WHERE code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return p, qms.Errorf(qms.ENotFound, "err.programme_not_found")
	}
	return p, err
}

// CreateProgramme inserts p.
func (q Q) CreateProgramme(ctx context.Context, p *qms.Programme, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO programmes (code, name, decision_no, decision_date, signer, year_from, year_to, edition, regime, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Code, p.Name, p.DecisionNo, p.DecisionDate.String(), p.Signer, p.YearFrom, p.YearTo, p.Edition, p.Regime, micros(now), micros(now))
	if err != nil {
		return conflict(err, "err.programme_code_taken")
	}
	p.ID, p.CreatedAt, p.UpdatedAt = id, now, now
	return nil
}

// Participant is an agency in a programme, with its group.
type Participant struct {
	Agency qms.Agency
	Group  qms.Group
}

// AddParticipant puts an agency into a programme.
func (q Q) AddParticipant(ctx context.Context, programmeID, agencyID int64, g qms.Group) error {
	_, err := q.exec(ctx, "INSERT INTO programme_agencies (programme_id, agency_id, grp) VALUES (?, ?, ?)", programmeID, agencyID, g)
	return conflict(err, "err.participant_exists")
}

// Participants returns a programme's agencies with their groups, by agency code.
func (q Q) Participants(ctx context.Context, programmeID int64) ([]Participant, error) {
	rows, err := q.query(ctx, "SELECT "+agencyColumns+", pa.grp"+agencyFrom+" JOIN programme_agencies pa ON pa.agency_id = a.id WHERE pa.programme_id = ? ORDER BY a.code", programmeID)
	return scanAll(rows, err, func(r *sql.Rows) (Participant, error) {
		var p Participant
		var err error
		p.Agency, err = scanAgency(r, &p.Group)
		return p, err
	})
}

// AgencyProgrammes returns the programmes an agency takes part in, with its group in each.
func (q Q) AgencyProgrammes(ctx context.Context, agencyID int64) ([]qms.Programme, []qms.Group, error) {
	rows, err := q.query(ctx, "SELECT p."+strings.ReplaceAll(programmeColumns, ", ", ", p.")+", pa.grp FROM programmes p JOIN programme_agencies pa ON pa.programme_id = p.id WHERE pa.agency_id = ? ORDER BY p.year_from DESC", agencyID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ps []qms.Programme
	var gs []qms.Group
	for rows.Next() {
		var p qms.Programme
		var date string
		var c, u int64
		var g qms.Group
		if err := rows.Scan(&p.ID, &p.Code, &p.Name, &p.DecisionNo, &date, &p.Signer, &p.YearFrom, &p.YearTo, &p.Edition, &p.Regime, &c, &u, &g); err != nil {
			return nil, nil, err
		}
		p.DecisionDate, _ = qms.ParseDate(date)
		ps, gs = append(ps, p), append(gs, g)
	}
	return ps, gs, rows.Err()
}

// CreateTrackStep inserts an agency's step.
func (q Q) CreateTrackStep(ctx context.Context, s *qms.TrackStep, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO track_steps (agency_id, programme_id, template_id, status, planned_on, done_on, owner, na_reason, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.AgencyID, s.ProgrammeID, s.Template.ID, s.Status, s.PlannedOn.String(), s.DoneOn.String(), s.Owner, s.NAReason, micros(now))
	s.ID, s.UpdatedAt = id, now
	return err
}

const trackColumns = `s.id, s.agency_id, s.programme_id, s.status, s.planned_on, s.done_on, s.owner, s.na_reason, s.updated_at,
	(SELECT COUNT(*) FROM evidence e WHERE e.agency_id = s.agency_id AND e.track_step_id = s.id)`

func scanTrack(r interface{ Scan(...any) error }) (qms.TrackStep, error) {
	var s qms.TrackStep
	var planned, done string
	var at int64
	err := scanTemplate(r, &s.Template, &s.ID, &s.AgencyID, &s.ProgrammeID, &s.Status, &planned, &done, &s.Owner, &s.NAReason, &at, &s.Evidence)
	s.PlannedOn, _ = qms.ParseDate(planned)
	s.DoneOn, _ = qms.ParseDate(done)
	s.UpdatedAt = fromMicros(at)
	return s, err
}

// Track returns an agency's steps in a programme, in template order.
func (q Q) Track(ctx context.Context, agencyID, programmeID int64) ([]qms.TrackStep, error) {
	rows, err := q.query(ctx, "SELECT "+templateColumns+", "+trackColumns+` FROM track_steps s JOIN step_templates t ON t.id = s.template_id
		WHERE s.agency_id = ? AND s.programme_id = ? ORDER BY t.phase, t.seq`, agencyID, programmeID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.TrackStep, error) { return scanTrack(r) })
}

// TrackStep returns one step of an agency.
func (q Q) TrackStep(ctx context.Context, agencyID, id int64) (qms.TrackStep, error) {
	s, err := scanTrack(q.row(ctx, "SELECT "+templateColumns+", "+trackColumns+` FROM track_steps s JOIN step_templates t ON t.id = s.template_id
		WHERE s.agency_id = ? AND s.id = ?`, agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, qms.Errorf(qms.ENotFound, "err.step_not_found")
	}
	return s, err
}

// ProgrammeTracks returns every step of every agency of a programme (for the dashboard),
// without evidence counts.
func (q Q) ProgrammeTracks(ctx context.Context, programmeID int64) ([]qms.TrackStep, error) {
	rows, err := q.query(ctx, `SELECT t.phase, s.agency_id, s.status, s.planned_on FROM track_steps s JOIN step_templates t ON t.id = s.template_id
		WHERE s.programme_id = ? ORDER BY s.agency_id`, programmeID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.TrackStep, error) {
		var s qms.TrackStep
		var planned string
		err := r.Scan(&s.Template.Phase, &s.AgencyID, &s.Status, &planned)
		s.PlannedOn, _ = qms.ParseDate(planned)
		s.ProgrammeID = programmeID
		return s, err
	})
}

// UpdateTrackStep writes a step's status, dates, owner and reason.
func (q Q) UpdateTrackStep(ctx context.Context, s *qms.TrackStep, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE track_steps SET status = ?, planned_on = ?, done_on = ?, owner = ?, na_reason = ?, updated_at = ? WHERE agency_id = ? AND id = ?`,
		s.Status, s.PlannedOn.String(), s.DoneOn.String(), s.Owner, s.NAReason, micros(now), s.AgencyID, s.ID)
	s.UpdatedAt = now
	return err
}

// Evidence is one piece of evidence of a step.
type Evidence struct {
	ID          int64
	AgencyID    int64
	TrackStepID int64
	Kind        string // file, link, note
	FileSHA256  string
	FileName    string
	FileSize    int64
	FileType    string
	LinkType    string
	LinkID      string
	Note        string
	CreatedAt   time.Time
	CreatedBy   int64
}

// CreateEvidence inserts e.
func (q Q) CreateEvidence(ctx context.Context, e *Evidence) error {
	id, err := q.insert(ctx, `INSERT INTO evidence (agency_id, track_step_id, kind, file_sha256, file_name, file_size, file_type, link_type, link_id, note, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.AgencyID, e.TrackStepID, e.Kind, e.FileSHA256, e.FileName, e.FileSize, e.FileType, e.LinkType, e.LinkID, e.Note, micros(e.CreatedAt), e.CreatedBy)
	e.ID = id
	return err
}

const evidenceColumns = "id, agency_id, track_step_id, kind, file_sha256, file_name, file_size, file_type, link_type, link_id, note, created_at, created_by"

func scanEvidence(r interface{ Scan(...any) error }) (Evidence, error) {
	var e Evidence
	var at int64
	err := r.Scan(&e.ID, &e.AgencyID, &e.TrackStepID, &e.Kind, &e.FileSHA256, &e.FileName, &e.FileSize, &e.FileType, &e.LinkType, &e.LinkID, &e.Note, &at, &e.CreatedBy)
	e.CreatedAt = fromMicros(at)
	return e, err
}

// StepEvidence returns a step's evidence, oldest first.
func (q Q) StepEvidence(ctx context.Context, agencyID, stepID int64) ([]Evidence, error) {
	rows, err := q.query(ctx, "SELECT "+evidenceColumns+" FROM evidence WHERE agency_id = ? AND track_step_id = ? ORDER BY id", agencyID, stepID)
	return scanAll(rows, err, func(r *sql.Rows) (Evidence, error) { return scanEvidence(r) })
}

// EvidenceByID returns one piece of an agency's evidence.
func (q Q) EvidenceByID(ctx context.Context, agencyID, id int64) (Evidence, error) {
	e, err := scanEvidence(q.row(ctx, "SELECT "+evidenceColumns+" FROM evidence WHERE agency_id = ? AND id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, qms.Errorf(qms.ENotFound, "err.evidence_not_found")
	}
	return e, err
}

// CreateCommittee inserts a composition with its members.
func (q Q) CreateCommittee(ctx context.Context, c *qms.Committee) error {
	id, err := q.insert(ctx, `INSERT INTO committees (agency_id, decision_no, decision_date, rules_note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
		c.AgencyID, c.DecisionNo, c.DecisionDate.String(), c.RulesNote, micros(c.CreatedAt), c.CreatedBy)
	if err != nil {
		return err
	}
	c.ID = id
	for i, m := range c.Members {
		if _, err := q.exec(ctx, `INSERT INTO committee_members (agency_id, committee_id, seq, name, position, role, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.AgencyID, c.ID, i+1, m.Name, m.Position, m.Role, nullID(m.UserID)); err != nil {
			return err
		}
	}
	return nil
}

const committeeColumns = "id, agency_id, decision_no, decision_date, rules_note, created_at, created_by, notified_at, rules_file_sha256, rules_file_name, rules_file_size, rules_file_type"

func scanCommittee(r *sql.Rows) (qms.Committee, error) {
	var c qms.Committee
	var date string
	var at, nt int64
	err := r.Scan(&c.ID, &c.AgencyID, &c.DecisionNo, &date, &c.RulesNote, &at, &c.CreatedBy, &nt,
		&c.RulesFile.SHA256, &c.RulesFile.Name, &c.RulesFile.Size, &c.RulesFile.Type)
	c.DecisionDate, _ = qms.ParseDate(date)
	c.CreatedAt, c.NotifiedAt = fromMicros(at), fromMicros(nt)
	return c, err
}

func (q Q) committees(ctx context.Context, where string, args ...any) ([]qms.Committee, error) {
	rows, err := q.query(ctx, "SELECT "+committeeColumns+" FROM committees WHERE "+where, args...)
	list, err := scanAll(rows, err, scanCommittee)
	if err != nil {
		return nil, err
	}
	for i := range list {
		rows, err := q.query(ctx, `SELECT m.name, m.position, m.role, COALESCE(m.user_id, 0), COALESCE(u.email, '') FROM committee_members m
			LEFT JOIN users u ON u.id = m.user_id WHERE m.agency_id = ? AND m.committee_id = ? ORDER BY m.seq`, list[i].AgencyID, list[i].ID)
		if list[i].Members, err = scanAll(rows, err, func(r *sql.Rows) (qms.CommitteeMemberEntry, error) {
			var m qms.CommitteeMemberEntry
			return m, r.Scan(&m.Name, &m.Position, &m.Role, &m.UserID, &m.Email)
		}); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// Committees returns an agency's compositions, newest first.
func (q Q) Committees(ctx context.Context, agencyID int64) ([]qms.Committee, error) {
	return q.committees(ctx, "agency_id = ? ORDER BY id DESC", agencyID)
}

// NotifyCommittee records that DOST was notified of a composition.
func (q Q) NotifyCommittee(ctx context.Context, agencyID, id int64, at time.Time, by int64) error {
	_, err := q.exec(ctx, "UPDATE committees SET notified_at = ?, notified_by = ? WHERE agency_id = ? AND id = ?", micros(at), by, agencyID, id)
	return err
}

// SetCommitteeRules records the operating rules file of a composition.
func (q Q) SetCommitteeRules(ctx context.Context, agencyID, id int64, f qms.FileRef) error {
	_, err := q.exec(ctx, "UPDATE committees SET rules_file_sha256 = ?, rules_file_name = ?, rules_file_size = ?, rules_file_type = ? WHERE agency_id = ? AND id = ?",
		f.SHA256, f.Name, f.Size, f.Type, agencyID, id)
	return err
}

// NotifiedCommittees returns the compositions notified to DOST, newest notification first.
func (q Q) NotifiedCommittees(ctx context.Context, limit int) ([]qms.Committee, error) {
	return q.committees(ctx, "notified_at > 0 ORDER BY notified_at DESC, id DESC LIMIT ?", limit)
}

// LatestCommittees returns each agency's newest composition, without members, by agency id.
func (q Q) LatestCommittees(ctx context.Context) (map[int64]qms.Committee, error) {
	rows, err := q.query(ctx, "SELECT "+committeeColumns+" FROM committees c WHERE id = (SELECT MAX(id) FROM committees d WHERE d.agency_id = c.agency_id)")
	list, err := scanAll(rows, err, scanCommittee)
	out := map[int64]qms.Committee{}
	for _, c := range list {
		out[c.AgencyID] = c
	}
	return out, err
}

// Milestones returns a programme's milestones by year.
func (q Q) Milestones(ctx context.Context, programmeID int64) ([]qms.Milestone, error) {
	rows, err := q.query(ctx, "SELECT year, text FROM programme_milestones WHERE programme_id = ? ORDER BY year, seq", programmeID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Milestone, error) {
		var m qms.Milestone
		return m, r.Scan(&m.Year, &m.Text)
	})
}

// ReplaceMilestones sets a programme's milestones.
func (q Q) ReplaceMilestones(ctx context.Context, programmeID int64, ms []qms.Milestone) error {
	if _, err := q.exec(ctx, "DELETE FROM programme_milestones WHERE programme_id = ?", programmeID); err != nil {
		return err
	}
	for i, m := range ms {
		if _, err := q.exec(ctx, "INSERT INTO programme_milestones (programme_id, year, seq, text) VALUES (?, ?, ?, ?)", programmeID, m.Year, i+1, m.Text); err != nil {
			return err
		}
	}
	return nil
}

// StepComments returns a step's comments, oldest first.
func (q Q) StepComments(ctx context.Context, agencyID, stepID int64) ([]qms.StepComment, error) {
	rows, err := q.query(ctx, "SELECT id, body, author, created_at FROM step_comments WHERE agency_id = ? AND track_step_id = ? ORDER BY id", agencyID, stepID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.StepComment, error) {
		var c qms.StepComment
		var at int64
		err := r.Scan(&c.ID, &c.Body, &c.Author, &at)
		c.CreatedAt = fromMicros(at)
		return c, err
	})
}

// CreateStepComment inserts a comment.
func (q Q) CreateStepComment(ctx context.Context, agencyID, stepID int64, c *qms.StepComment, by int64) error {
	id, err := q.insert(ctx, "INSERT INTO step_comments (agency_id, track_step_id, body, author, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
		agencyID, stepID, c.Body, c.Author, micros(c.CreatedAt), by)
	c.ID = id
	return err
}
