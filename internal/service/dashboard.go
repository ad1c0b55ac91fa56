package service

import (
	"context"
	"io"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// DashboardFilter narrows the province dashboard.
type DashboardFilter struct {
	Programme string         // code; "" for the newest programme
	Group     qms.Group      // "" for every group
	Kind      qms.AgencyKind // "" for every kind
	Status    string         // "", "not_started", "in_progress", "done", "late"
}

// CommitteeState says whether DOST knows an agency's steering committee.
type CommitteeState string

const (
	CommitteeNone       CommitteeState = "none"       // never notified any composition
	CommitteeUnnotified CommitteeState = "unnotified" // the composition in force was not notified
	CommitteeNotified   CommitteeState = "notified"
)

// DashboardRow is one agency on the dashboard.
type DashboardRow struct {
	Agency    qms.Agency
	Group     qms.Group
	Progress  qms.Progress
	Committee CommitteeState
}

// Dashboard is the province's view of a programme.
type Dashboard struct {
	Programme  qms.Programme
	Programmes []qms.Programme
	Filter     DashboardFilter
	Rows       []DashboardRow
	Agencies   int    // before filtering
	PhaseDone  [6]int // rows with the phase done
	PhaseLate  [6]int // rows with the phase late
	PhaseRows  [6]int // rows that have the phase
	LateSteps  int
	Gaps       []DashboardRow // committee never or not lately notified
	Alerts     []Alert        // certificates expiring, surveillance due within 90 days
	Reannounce []qms.Agency   // successors of closed agencies that must announce anew
	// OverdueTasks are the agencies' update tasks past a legal window (the first 100).
	OverdueTasks []qms.UpdateTask
}

// overall is the one-word state of a whole track, for the status filter.
func overall(p qms.Progress) string {
	switch {
	case p.Late > 0:
		return "late"
	case p.Total > 0 && p.Done == p.Total:
		return "done"
	case p.Done > 0:
		return "in_progress"
	}
	for _, ph := range p.Phases {
		if ph.State == qms.PhaseInProgress {
			return "in_progress"
		}
	}
	return "not_started"
}

// ProvinceDashboard shows every participating agency × phase of a programme (province roles).
func (s *Service) ProvinceDashboard(ctx context.Context, actor *qms.Actor, f DashboardFilter) (Dashboard, error) {
	d := Dashboard{Filter: f}
	if err := actor.Require(qms.PermProvinceOversee, ""); err != nil {
		return d, err
	}
	var v qms.Validation
	if f.Group != "" && !f.Group.Valid() {
		v.Add("group", "err.group")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		v.Add("kind", "err.kind")
	}
	switch f.Status {
	case "", "not_started", "in_progress", "done", "late":
	default:
		v.Add("status", "err.step_status")
	}
	if err := v.Err(); err != nil {
		return d, err
	}
	var err error
	if d.Programmes, err = s.db.Programmes(ctx); err != nil {
		return d, err
	}
	if d.OverdueTasks, err = s.db.UpdateTasks(ctx, store.TaskFilter{OverdueOn: qms.DateOf(s.now().In(vietnam)), Limit: 100}); err != nil {
		return d, err
	}
	if len(d.Programmes) == 0 {
		return d, nil
	}
	d.Programme = d.Programmes[0]
	if f.Programme != "" {
		if d.Programme, err = s.db.ProgrammeByCode(ctx, qms.NormalizeCode(f.Programme)); err != nil {
			return d, err
		}
	}
	parts, err := s.db.Participants(ctx, d.Programme.ID)
	if err != nil {
		return d, err
	}
	steps, err := s.db.ProgrammeTracks(ctx, d.Programme.ID)
	if err != nil {
		return d, err
	}
	committees, err := s.db.LatestCommittees(ctx)
	if err != nil {
		return d, err
	}
	all, err := s.db.ListAgencies(ctx, store.AgencyFilter{IncludeClosed: true})
	if err != nil {
		return d, err
	}
	byID := map[int64]qms.Agency{}
	for _, a := range all {
		byID[a.ID] = a
	}
	if d.Alerts, d.Reannounce, err = s.recognitionAlerts(ctx, byID); err != nil {
		return d, err
	}
	byAgency := map[int64][]qms.TrackStep{}
	for _, st := range steps {
		byAgency[st.AgencyID] = append(byAgency[st.AgencyID], st)
	}
	today := qms.DateOf(s.now().In(vietnam))
	d.Agencies = len(parts)
	for _, p := range parts {
		row := DashboardRow{Agency: p.Agency, Group: p.Group, Progress: qms.ComputeProgress(byAgency[p.Agency.ID], today), Committee: CommitteeNone}
		if c, ok := committees[p.Agency.ID]; ok {
			row.Committee = CommitteeUnnotified
			if !c.NotifiedAt.IsZero() {
				row.Committee = CommitteeNotified
			}
		}
		if row.Committee != CommitteeNotified {
			d.Gaps = append(d.Gaps, row)
		}
		if (f.Group != "" && p.Group != f.Group) || (f.Kind != "" && p.Agency.Kind != f.Kind) || (f.Status != "" && overall(row.Progress) != f.Status) {
			continue
		}
		d.Rows = append(d.Rows, row)
		d.LateSteps += row.Progress.Late
		for i := 1; i <= 5; i++ {
			switch row.Progress.Phases[i].State {
			case qms.PhaseNone:
				continue
			case qms.PhaseDone:
				d.PhaseDone[i]++
			case qms.PhaseLate:
				d.PhaseLate[i]++
			}
			d.PhaseRows[i]++
		}
	}
	return d, nil
}

// Percent is a share as a whole percentage (0 when there is nothing to share).
func Percent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return part * 100 / whole
}

// Committees returns an agency's steering committee compositions, newest first.
func (s *Service) Committees(ctx context.Context, actor *qms.Actor, agencyCode string) (qms.Agency, []qms.Committee, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackRead, code); err != nil {
		return qms.Agency{}, nil, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return a, nil, err
	}
	list, err := s.db.Committees(ctx, a.ID)
	return a, list, err
}

// NewComposition records a new composition of an agency's steering committee; the previous
// ones stay in the history.
func (s *Service) NewComposition(ctx context.Context, actor *qms.Actor, agencyCode string, c qms.Committee) (qms.Committee, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackEdit, code); err != nil {
		return c, err
	}
	if err := c.Validate(qms.DateOf(s.now().In(vietnam))); err != nil {
		return c, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		for i := range c.Members { // a member with an account is linked to it
			if email := qms.NormalizeEmail(c.Members[i].Email); email != "" {
				u, err := tx.UserByEmail(ctx, email)
				if qms.ErrorCode(err) == qms.ENotFound {
					return fieldErr("members", "err.member_account")
				} else if err != nil {
					return err
				}
				c.Members[i].UserID, c.Members[i].Email = u.ID, u.Email
			}
		}
		prev, err := tx.Committees(ctx, a.ID)
		if err != nil {
			return err
		}
		c.AgencyID, c.CreatedAt, c.CreatedBy = a.ID, s.now(), actor.UserID
		if err := tx.CreateCommittee(ctx, &c); err != nil {
			return err
		}
		var old []qms.CommitteeMemberEntry
		if len(prev) > 0 {
			old = prev[0].Members
		}
		ch := qms.Changes{"decision": {New: c.DecisionNo + " (" + c.DecisionDate.String() + ")"}}
		for _, m := range qms.DiffCommittees(old, c.Members) {
			ch["member "+m.Name] = qms.Change{Old: string(m.From), New: string(m.To)}
		}
		return s.record(ctx, tx, actor, a.ID, "committee.compose", "committee", c.ID, ch)
	})
	return c, err
}

// AttachCommitteeRules stores the operating rules document of a composition (a file,
// sniffed and size-limited); a new upload replaces the previous one, and the journal keeps both.
func (s *Service) AttachCommitteeRules(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, r io.Reader, fileName string) (qms.Committee, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackEdit, code); err != nil {
		return qms.Committee{}, err
	}
	a, c, err := s.composition(ctx, code, id)
	if err != nil {
		return c, err
	}
	f, err := s.putFile("rules_file", r, fileName)
	if err != nil {
		return c, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetCommitteeRules(ctx, a.ID, c.ID, f); err != nil {
			return err
		}
		ch := qms.Changes{"rules_file": {New: f.Name + " (" + f.SHA256[:12] + ")"}}
		if c.RulesFile.SHA256 != "" {
			ch["rules_file"] = qms.Change{Old: c.RulesFile.Name + " (" + c.RulesFile.SHA256[:12] + ")", New: ch["rules_file"].New}
		}
		return s.record(ctx, tx, actor, a.ID, "committee.rules", "committee", c.ID, ch)
	})
	c.RulesFile = f
	return c, err
}

// OpenCommitteeRules returns a composition's operating rules file and its content.
func (s *Service) OpenCommitteeRules(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (qms.Committee, io.ReadCloser, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackRead, code); err != nil {
		return qms.Committee{}, nil, err
	}
	_, c, err := s.composition(ctx, code, id)
	if err != nil {
		return c, nil, err
	}
	if c.RulesFile.SHA256 == "" {
		return c, nil, qms.Errorf(qms.ENotFound, "err.rules_not_found")
	}
	f, err := s.files.Open(c.RulesFile.SHA256)
	return c, f, err
}

// composition finds one composition of an agency's committee.
func (s *Service) composition(ctx context.Context, code string, id int64) (qms.Agency, qms.Committee, error) {
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return a, qms.Committee{}, err
	}
	list, err := s.db.Committees(ctx, a.ID)
	if err != nil {
		return a, qms.Committee{}, err
	}
	for _, c := range list {
		if c.ID == id {
			return a, c, nil
		}
	}
	return a, qms.Committee{}, qms.Errorf(qms.ENotFound, "err.committee_not_found")
}

// NotifyComposition records that the agency notified DOST of a composition (seed V.4:
// "thông báo thành phần Ban chỉ đạo … và thông báo bổ sung khi có thay đổi").
func (s *Service) NotifyComposition(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) error {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackEdit, code); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		list, err := tx.Committees(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, c := range list {
			if c.ID != id {
				continue
			}
			if !c.NotifiedAt.IsZero() {
				return qms.Errorf(qms.EConflict, "err.already_notified")
			}
			if err := tx.NotifyCommittee(ctx, a.ID, id, s.now(), actor.UserID); err != nil {
				return err
			}
			return s.record(ctx, tx, actor, a.ID, "committee.notify", "committee", id, qms.Changes{"notified": {New: c.DecisionNo}})
		}
		return qms.Errorf(qms.ENotFound, "err.committee_not_found")
	})
}

// InboxItem is a committee notification as the coordinator reads it.
type InboxItem struct {
	Agency    qms.Agency
	Committee qms.Committee
	Previous  *qms.Committee
	Changes   []qms.MemberChange
}

// CommitteeInbox lists the compositions agencies notified to DOST, newest first, each with
// what changed since the agency's previous composition.
func (s *Service) CommitteeInbox(ctx context.Context, actor *qms.Actor, limit int) ([]InboxItem, error) {
	if err := actor.Require(qms.PermProvinceOversee, ""); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	notified, err := s.db.NotifiedCommittees(ctx, limit)
	if err != nil {
		return nil, err
	}
	agencies, err := s.db.ListAgencies(ctx, store.AgencyFilter{IncludeClosed: true})
	if err != nil {
		return nil, err
	}
	byID := map[int64]qms.Agency{}
	for _, a := range agencies {
		byID[a.ID] = a
	}
	var out []InboxItem
	for _, c := range notified {
		item := InboxItem{Agency: byID[c.AgencyID], Committee: c}
		history, err := s.db.Committees(ctx, c.AgencyID)
		if err != nil {
			return nil, err
		}
		for i, h := range history { // newest first: the previous composition follows
			if h.ID == c.ID && i+1 < len(history) {
				prev := history[i+1]
				item.Previous = &prev
			}
		}
		var old []qms.CommitteeMemberEntry
		if item.Previous != nil {
			old = item.Previous.Members
		}
		item.Changes = qms.DiffCommittees(old, c.Members)
		out = append(out, item)
	}
	return out, nil
}

// AgencyAlerts is what falls due about one agency's certificate or announcement.
func (s *Service) AgencyAlerts(ctx context.Context, actor *qms.Actor, agencyCode string) ([]Alert, bool, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackRead, code); err != nil {
		return nil, false, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return nil, false, err
	}
	all, need, err := s.recognitionAlerts(ctx, map[int64]qms.Agency{a.ID: a})
	if err != nil {
		return nil, false, err
	}
	var mine []Alert
	for _, al := range all {
		if al.Agency.ID == a.ID {
			mine = append(mine, al)
		}
	}
	for _, n := range need {
		if n.ID == a.ID {
			return mine, true, nil
		}
	}
	return mine, false, nil
}
