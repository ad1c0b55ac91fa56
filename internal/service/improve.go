package service

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Nonconformities and their actions (ISO 9001:2015 clause 10.2): reported from any source,
// analysed to a root cause, actions planned with owners and due dates, implemented with
// evidence, checked for effectiveness by someone other than the owner, verified and closed.

// EffectivenessCheckDays is how long after an action's implementation its effectiveness is
// checked.
const EffectivenessCheckDays = 30

// NCInput is a nonconformity as reported.
type NCInput struct {
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Source      qms.NCSource `json:"source"`
	SourceRef   string       `json:"source_ref"` // a dossier code for a late dossier or a low rating
	Clause      string       `json:"clause"`
	Unit        string       `json:"unit"`
	Severity    qms.Severity `json:"severity"`
	Correction  string       `json:"correction"`
}

// ReportNC records a nonconformity in an agency's register (draft); a late dossier or a
// citizen's complaint names the dossier it comes from.
func (s *Service) ReportNC(ctx context.Context, actor *qms.Actor, agencyCode string, in NCInput) (qms.Nonconformity, error) {
	code := qms.NormalizeCode(agencyCode)
	n := qms.Nonconformity{Title: in.Title, Description: in.Description, Source: in.Source, SourceRef: strings.ToUpper(strings.TrimSpace(in.SourceRef)),
		Clause: in.Clause, Unit: in.Unit, Severity: in.Severity, Correction: strings.TrimSpace(in.Correction), State: qms.NCDraft,
		ReportedBy: actor.UserID, ReportedAt: s.now()}
	if err := actor.Require(qms.PermNCEdit, code); err != nil {
		return n, err
	}
	if err := n.Validate(); err != nil {
		return n, err
	}
	if len([]rune(n.Correction)) > 4000 {
		return n, fieldErr("correction", "err.too_long")
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return n, err
	}
	n.AgencyID, n.AgencyCode = a.ID, a.Code
	if (n.Source == qms.SourceLate || n.Source == qms.SourceComplaint) && n.SourceRef != "" {
		d, _, err := s.db.DossierByCode(ctx, n.SourceRef)
		if qms.ErrorCode(err) == qms.ENotFound || err == nil && d.AgencyID != a.ID {
			return n, fieldErr("source_ref", "err.nc_dossier", n.SourceRef)
		}
		if err != nil {
			return n, err
		}
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertNC(ctx, &n); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "nc.report", "nc", n.ID, qms.Changes{"code": {New: n.Code}, "title": {New: n.Title}, "source": {New: string(n.Source)},
			"source_ref": {New: n.SourceRef}, "severity": {New: string(n.Severity)}, "clause": {New: n.Clause}})
	})
	return n, err
}

// NCView is a nonconformity with what the actor may do.
type NCView struct {
	NC      qms.Nonconformity
	Events  []qms.NCEvent
	MayEdit bool
	// MayAddAction: actions can be planned now; Implement and Check list the actions the actor
	// may mark implemented (the owner's) and check (another user's, implemented).
	MayAddAction bool
	Implement    map[int64]bool
	Check        map[int64]bool
}

// NC returns one of an agency's nonconformities.
func (s *Service) NC(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (NCView, error) {
	var v NCView
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermNCRead, code); err != nil {
		return v, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return v, err
	}
	if v.NC, err = s.db.NC(ctx, a.ID, id); err != nil {
		return v, err
	}
	v.MayEdit = actor.Can(qms.PermNCEdit, code)
	v.Implement, v.Check = map[int64]bool{}, map[int64]bool{}
	if v.MayEdit {
		v.Events = v.NC.State.Events()
		v.MayAddAction = v.NC.State == qms.NCActionPlan || v.NC.State == qms.NCInProgress
		for _, act := range v.NC.Actions {
			v.Implement[act.ID] = act.State == qms.ActionOpen && act.OwnerID == actor.UserID
			v.Check[act.ID] = act.State == qms.ActionImplemented && act.OwnerID != actor.UserID
		}
	}
	return v, nil
}

// NCs lists an agency's nonconformities, newest first.
func (s *Service) NCs(ctx context.Context, actor *qms.Actor, agencyCode string, f store.NCFilter) (qms.Agency, []qms.Nonconformity, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermNCRead, code); err != nil {
		return qms.Agency{}, nil, err
	}
	if f.State != "" && !f.State.Valid() {
		return qms.Agency{}, nil, fieldErr("state", "err.choice")
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return a, nil, err
	}
	f.AgencyID = a.ID
	list, err := s.db.NCs(ctx, f)
	return a, list, err
}

// NCAction moves a nonconformity: the analysis comes with "plan" (the whys, the root cause and
// its category), a reason with "cancel".
type NCAction struct {
	Event     qms.NCEvent `json:"event"`
	Whys      []string    `json:"whys"`
	RootCause string      `json:"root_cause"`
	Category  string      `json:"category"`
	Reason    string      `json:"reason"`
	Version   int64       `json:"version"`
}

// ActOnNC moves a nonconformity along its life, with its guards: planning needs the root
// cause; carrying out the plan needs an action; verification needs every action implemented;
// closing needs every action checked, the last check effective, and a verifier who owns none
// of the actions.
func (s *Service) ActOnNC(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, in NCAction) (qms.Nonconformity, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCEdit, agencyCode)
	if err != nil {
		return qms.Nonconformity{}, err
	}
	var n qms.Nonconformity
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if n, err = tx.NC(ctx, a.ID, id); err != nil {
			return err
		}
		if in.Version != 0 && in.Version != n.Version {
			return qms.Errorf(qms.EConflict, "err.stale")
		}
		to, err := qms.NextNCState(n.State, in.Event)
		if err != nil {
			return err
		}
		if err := n.Guard(in.Event, actor.UserID); err != nil {
			return err
		}
		ch := qms.Changes{"state": {Old: string(n.State), New: string(to)}}
		switch in.Event {
		case qms.NCvPlan:
			var v qms.Validation
			cause := strings.TrimSpace(in.RootCause)
			if cause == "" || len([]rune(cause)) > 4000 {
				v.Add("root_cause", "err.nc_root_cause")
			}
			if in.Category != "" && !slices.Contains(qms.CauseCategories, in.Category) {
				v.Add("category", "err.choice")
			}
			var whys []string
			for _, w := range in.Whys {
				if w = strings.TrimSpace(w); w != "" {
					whys = append(whys, w)
				}
			}
			if len(whys) > 5 {
				v.Add("whys", "err.nc_whys")
			}
			if err := v.Err(); err != nil {
				return err
			}
			n.RootCause, n.Category, n.Whys = cause, in.Category, whys
			ch["root_cause"], ch["category"], ch["whys"] = qms.Change{New: cause}, qms.Change{New: in.Category}, qms.Change{New: strings.Join(whys, " / ")}
		case qms.NCvClose:
			n.ClosedAt = s.now()
		case qms.NCvCancel:
			reason := strings.TrimSpace(in.Reason)
			if reason == "" || len([]rune(reason)) > 2000 {
				return fieldErr("reason", "err.dossier_reason")
			}
			n.Reason = reason
			ch["reason"] = qms.Change{New: reason}
			for _, x := range n.Actions {
				if x.State == qms.ActionOpen {
					x.State = qms.ActionCancelled
					if err := tx.UpdateAction(ctx, x); err != nil {
						return err
					}
				}
			}
		}
		n.State = to
		if err := tx.UpdateNC(ctx, &n); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "nc."+string(in.Event), "nc", n.ID, ch)
	})
	if err != nil {
		return n, err
	}
	return s.db.NC(ctx, a.ID, id)
}

// ActionInput is an action planned on a nonconformity.
type ActionInput struct {
	Type        qms.ActionType `json:"type"`
	Description string         `json:"description"`
	Owner       string         `json:"owner"` // the owner's e-mail; an agency member
	DueOn       qms.Date       `json:"due_on"`
}

// AddAction plans an action on a nonconformity being planned or carried out.
func (s *Service) AddAction(ctx context.Context, actor *qms.Actor, agencyCode string, ncID int64, in ActionInput) (qms.Action, error) {
	return s.AddLoopAction(ctx, actor, agencyCode, qms.Action{NCID: ncID}, in)
}

// AddLoopAction plans an action on what parent names (one of its NCID, RiskID, ObjectiveID and
// ReviewID): a nonconformity being planned or carried out, an open risk, an objective, a
// review whose minutes are recorded.
func (s *Service) AddLoopAction(ctx context.Context, actor *qms.Actor, agencyCode string, parent qms.Action, in ActionInput) (qms.Action, error) {
	code := qms.NormalizeCode(agencyCode)
	act := qms.Action{NCID: parent.NCID, RiskID: parent.RiskID, ObjectiveID: parent.ObjectiveID, ReviewID: parent.ReviewID, Type: in.Type,
		Description: strings.TrimSpace(in.Description), DueOn: in.DueOn, State: qms.ActionOpen}
	if err := actor.Require(qms.PermNCEdit, code); err != nil {
		return act, err
	}
	var v qms.Validation
	if !slices.Contains(qms.ActionTypes, act.Type) {
		v.Add("type", "err.choice")
	}
	if act.Description == "" || len([]rune(act.Description)) > 4000 {
		v.Add("description", "err.required")
	}
	today := qms.DateOf(s.now().In(vietnam))
	if act.DueOn.IsZero() || act.DueOn.Before(today) {
		v.Add("due_on", "err.deadline")
	}
	if strings.TrimSpace(in.Owner) == "" {
		v.Add("owner", "err.required")
	}
	if err := v.Err(); err != nil {
		return act, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return act, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		kind, id, err := s.actionParent(ctx, tx, a.ID, act)
		if err != nil {
			return err
		}
		ids, names, err := s.agencyMembers(ctx, tx, code, "owner", []string{in.Owner})
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return fieldErr("owner", "err.required")
		}
		act.OwnerID, act.OwnerName = ids[0], names[0]
		if err := tx.InsertAction(ctx, a.ID, &act, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, kind+".action_plan", kind, id, qms.Changes{"action": {New: strconv.FormatInt(act.ID, 10)},
			"type": {New: string(act.Type)}, "description": {New: act.Description}, "owner": {New: act.OwnerName}, "due_on": {New: act.DueOn.String()}})
	})
	return act, err
}

// actionParent checks that an action's parent exists in the agency and takes actions now, and
// names it for the journal; a nonconformity gets a new version (its plan changed).
func (s *Service) actionParent(ctx context.Context, tx *store.Tx, agencyID int64, act qms.Action) (string, int64, error) {
	switch {
	case act.NCID != 0:
		n, err := tx.NC(ctx, agencyID, act.NCID)
		if err != nil {
			return "", 0, err
		}
		if n.State != qms.NCActionPlan && n.State != qms.NCInProgress {
			return "", 0, qms.Errorf(qms.EConflict, "err.nc_no_planning", string(n.State))
		}
		return "nc", n.ID, tx.UpdateNC(ctx, &n)
	case act.RiskID != 0:
		r, err := tx.Risk(ctx, agencyID, act.RiskID)
		if err == nil && r.State != qms.RiskOpen {
			err = qms.Errorf(qms.EConflict, "err.risk_closed")
		}
		return "risk", r.ID, err
	case act.ObjectiveID != 0:
		o, err := tx.Objective(ctx, agencyID, act.ObjectiveID)
		return "objective", o.ID, err
	case act.ReviewID != 0:
		r, err := tx.Review(ctx, agencyID, act.ReviewID)
		if err == nil && r.State == qms.ReviewPlanned {
			err = qms.Errorf(qms.EConflict, "err.review_not_held")
		}
		return "review", r.ID, err
	}
	return "", 0, qms.Errorf(qms.EInvalid, "err.action_parent")
}

// ImplementAction records that its owner carried out an action, with the evidence; the
// effectiveness check falls due EffectivenessCheckDays later. ncID, when not 0, is the
// nonconformity the action must belong to.
func (s *Service) ImplementAction(ctx context.Context, actor *qms.Actor, agencyCode string, ncID, actionID int64, evidence string) (qms.Action, error) {
	evidence = strings.TrimSpace(evidence)
	return s.actOnAction(ctx, actor, agencyCode, ncID, actionID, "action_implement", func(act *qms.Action) (qms.Changes, error) {
		if act.State != qms.ActionOpen {
			return nil, qms.Errorf(qms.EConflict, "err.action_state", string(act.State))
		}
		if act.OwnerID != actor.UserID {
			return nil, qms.Errorf(qms.EForbidden, "err.action_owner_only", act.OwnerName)
		}
		if evidence == "" || len([]rune(evidence)) > 4000 {
			return nil, fieldErr("evidence", "err.action_evidence")
		}
		act.State, act.Evidence, act.DoneAt = qms.ActionImplemented, evidence, s.now()
		act.CheckOn = qms.DateOf(s.now().In(vietnam)).AddDays(EffectivenessCheckDays)
		return qms.Changes{"state": {Old: string(qms.ActionOpen), New: string(qms.ActionImplemented)}, "evidence": {New: evidence}, "check_on": {New: act.CheckOn.String()}}, nil
	})
}

// CheckAction records an action's effectiveness, checked by someone other than its owner: not
// (fully) effective reopens its nonconformity for a new action.
func (s *Service) CheckAction(ctx context.Context, actor *qms.Actor, agencyCode string, ncID, actionID int64, result qms.ActionState, note string) (qms.Action, error) {
	note = strings.TrimSpace(note)
	return s.actOnAction(ctx, actor, agencyCode, ncID, actionID, "action_check", func(act *qms.Action) (qms.Changes, error) {
		if result != qms.ActionEffective && result != qms.ActionPartly && result != qms.ActionIneffective {
			return nil, fieldErr("result", "err.choice")
		}
		if act.State != qms.ActionImplemented {
			return nil, qms.Errorf(qms.EConflict, "err.action_state", string(act.State))
		}
		if act.OwnerID == actor.UserID {
			return nil, qms.Errorf(qms.EForbidden, "err.action_check_owner")
		}
		if note == "" || len([]rune(note)) > 4000 {
			return nil, fieldErr("note", "err.action_check_note")
		}
		act.State, act.CheckNote, act.CheckedBy, act.CheckedAt = result, note, actor.UserID, s.now()
		return qms.Changes{"state": {Old: string(qms.ActionImplemented), New: string(result)}, "note": {New: note}}, nil
	})
}

// actOnAction changes one action in a transaction, journaled on what it belongs to; a check of a
// nonconformity's action that is not effective reopens the nonconformity.
func (s *Service) actOnAction(ctx context.Context, actor *qms.Actor, agencyCode string, ncID, actionID int64, action string,
	change func(act *qms.Action) (qms.Changes, error)) (qms.Action, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCEdit, agencyCode)
	if err != nil {
		return qms.Action{}, err
	}
	var act qms.Action
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if act, err = tx.Action(ctx, a.ID, actionID); err != nil {
			return err
		}
		if ncID != 0 && act.NCID != ncID {
			return qms.Errorf(qms.ENotFound, "err.action_not_found")
		}
		ch, err := change(&act)
		if err != nil {
			return err
		}
		ch["action"] = qms.Change{New: strconv.FormatInt(act.ID, 10)}
		if err := tx.UpdateAction(ctx, act); err != nil {
			return err
		}
		kind, id := "nc", act.NCID
		switch {
		case act.RiskID != 0:
			kind, id = "risk", act.RiskID
		case act.ObjectiveID != 0:
			kind, id = "objective", act.ObjectiveID
		case act.ReviewID != 0:
			kind, id = "review", act.ReviewID
		}
		if act.NCID != 0 && (act.State == qms.ActionPartly || act.State == qms.ActionIneffective) {
			n, err := tx.NC(ctx, a.ID, act.NCID)
			if err != nil {
				return err
			}
			if n.State == qms.NCInProgress || n.State == qms.NCVerify {
				ch["nc_state"] = qms.Change{Old: string(n.State), New: string(qms.NCActionPlan)}
				n.State = qms.NCActionPlan
				if err := tx.UpdateNC(ctx, &n); err != nil {
					return err
				}
			}
		}
		return s.record(ctx, tx, actor, a.ID, kind+"."+action, kind, id, ch)
	})
	return act, err
}

// MyActions lists the open actions the actor owns, in every agency, by due date.
func (s *Service) MyActions(ctx context.Context, actor *qms.Actor) ([]store.OwnedAction, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.OwnedActions(ctx, actor.UserID)
}

// OpenActions lists an agency's actions not yet implemented, by due date (the overdue ones
// first), for the register's page.
func (s *Service) OpenActions(ctx context.Context, actor *qms.Actor, agencyCode string) ([]qms.Action, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermNCRead, agencyCode)
	if err != nil {
		return nil, err
	}
	list, err := s.db.OpenActions(ctx, a.ID)
	slices.SortStableFunc(list, func(x, y qms.Action) int { return strings.Compare(x.DueOn.String(), y.DueOn.String()) })
	return list, err
}
