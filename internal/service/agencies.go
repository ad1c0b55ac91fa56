package service

import (
	"context"
	"strconv"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// AgencyInput is what a person fills in to create or edit an agency.
type AgencyInput struct {
	Code       string         `json:"code"`
	Name       string         `json:"name"`
	ShortName  string         `json:"short_name"`
	Kind       qms.AgencyKind `json:"kind"`
	ParentCode string         `json:"parent_code"`
	ValidFrom  qms.Date       `json:"valid_from"`
	// OfficeCutoff is HH:MM; empty means 15:00.
	OfficeCutoff string `json:"office_cutoff"`
}

// AgencyView is one agency with what surrounds it.
type AgencyView struct {
	Agency   qms.Agency
	Parent   *qms.Agency
	Children []qms.Agency
	Links    []qms.AgencyLink
	Units    []qms.Unit // nil unless the actor may read them
	CanUnits bool
	Gap      *LoopGap // this year's missing audit or review, for those who read its register
}

// Agencies lists agencies. The directory of agencies is public inside the system: every
// signed-in user may read it.
func (s *Service) Agencies(ctx context.Context, actor *qms.Actor, f store.AgencyFilter) ([]qms.Agency, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, &qms.Error{Code: qms.EInvalid, Key: "err.invalid", Fields: []qms.FieldError{{Field: "kind", Message: "err.kind"}}}
	}
	return s.db.ListAgencies(ctx, f)
}

// Agency returns one agency by code with its parent, children, links and (when permitted) units.
func (s *Service) Agency(ctx context.Context, actor *qms.Actor, code string) (AgencyView, error) {
	var v AgencyView
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return v, err
	}
	a, err := s.db.AgencyByCode(ctx, qms.NormalizeCode(code))
	if err != nil {
		return v, err
	}
	v.Agency = a
	if a.ParentCode != "" {
		p, err := s.db.AgencyByCode(ctx, a.ParentCode)
		if err != nil {
			return v, err
		}
		v.Parent = &p
	}
	all, err := s.db.ListAgencies(ctx, store.AgencyFilter{IncludeClosed: true})
	if err != nil {
		return v, err
	}
	for _, c := range all {
		if c.ParentID == a.ID {
			v.Children = append(v.Children, c)
		}
	}
	if v.Links, err = s.db.AgencyLinks(ctx, a.ID); err != nil {
		return v, err
	}
	if actor.Can(qms.PermUnitRead, a.Code) {
		v.CanUnits = true
		if v.Units, err = s.db.ListUnits(ctx, a.ID); err != nil {
			return v, err
		}
	}
	return v, nil
}

// resolveParent checks the parent code and that making it a's parent makes no cycle.
func (s *Service) resolveParent(ctx context.Context, tx *store.Tx, a *qms.Agency, parentCode string) error {
	a.ParentID, a.ParentCode = 0, ""
	if parentCode = qms.NormalizeCode(parentCode); parentCode == "" {
		return nil
	}
	p, err := tx.AgencyByCode(ctx, parentCode)
	if qms.ErrorCode(err) == qms.ENotFound {
		return fieldErr("parent_code", "err.agency_not_found")
	} else if err != nil {
		return err
	}
	if p.ID == a.ID {
		return fieldErr("parent_code", "err.parent_cycle")
	}
	if a.ID != 0 {
		up, err := tx.AgencyAncestors(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, id := range up {
			if id == a.ID {
				return fieldErr("parent_code", "err.parent_cycle")
			}
		}
	}
	a.ParentID, a.ParentCode = p.ID, p.Code
	return nil
}

func fieldErr(field, key string, args ...any) error {
	var v qms.Validation
	v.Add(field, key, args...)
	return v.Err()
}

// CreateAgency adds an agency to the directory.
func (s *Service) CreateAgency(ctx context.Context, actor *qms.Actor, in AgencyInput) (qms.Agency, error) {
	a := qms.Agency{Code: in.Code, Name: in.Name, ShortName: in.ShortName, Kind: in.Kind, ValidFrom: in.ValidFrom, OfficeCutoff: in.OfficeCutoff}
	if err := actor.Require(qms.PermAgencyManage, ""); err != nil {
		return a, err
	}
	if err := a.Validate(); err != nil {
		return a, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.resolveParent(ctx, tx, &a, in.ParentCode); err != nil {
			return err
		}
		if err := tx.CreateAgency(ctx, &a, s.now()); err != nil {
			if qms.ErrorCode(err) == qms.EConflict {
				return fieldErr("code", "err.agency_code_taken")
			}
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "agency.create", "agency", a.ID, qms.Changes{
			"code": {New: a.Code}, "name": {New: a.Name}, "short_name": {New: a.ShortName}, "kind": {New: string(a.Kind)},
			"parent": {New: a.ParentCode}, "valid_from": {New: a.ValidFrom.String()}, "office_cutoff": {New: a.OfficeCutoff},
		})
	})
	return a, err
}

// UpdateAgency edits an agency's fields; its code never changes.
func (s *Service) UpdateAgency(ctx context.Context, actor *qms.Actor, code string, in AgencyInput) (qms.Agency, error) {
	if err := actor.Require(qms.PermAgencyManage, ""); err != nil {
		return qms.Agency{}, err
	}
	var a qms.Agency
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.AgencyByCode(ctx, qms.NormalizeCode(code))
		if err != nil {
			return err
		}
		a = old
		a.Name, a.ShortName, a.Kind, a.ValidFrom, a.OfficeCutoff = in.Name, in.ShortName, in.Kind, in.ValidFrom, in.OfficeCutoff
		if err := a.Validate(); err != nil {
			return err
		}
		if err := s.resolveParent(ctx, tx, &a, in.ParentCode); err != nil {
			return err
		}
		ch := qms.Changes{}
		ch.Diff("name", old.Name, a.Name)
		ch.Diff("short_name", old.ShortName, a.ShortName)
		ch.Diff("kind", string(old.Kind), string(a.Kind))
		ch.Diff("parent", old.ParentCode, a.ParentCode)
		ch.Diff("valid_from", old.ValidFrom.String(), a.ValidFrom.String())
		ch.Diff("office_cutoff", old.OfficeCutoff, a.OfficeCutoff)
		if len(ch) == 0 {
			return nil
		}
		if err := tx.UpdateAgency(ctx, &a, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "agency.update", "agency", a.ID, ch)
	})
	return a, err
}

// CloseInput ends an agency's validity, naming its successors (DOMAIN.md §2: a merger closes
// several agencies into one successor, a split closes one into several, a rename into one).
type CloseInput struct {
	On         qms.Date     `json:"on"`
	Kind       qms.LinkKind `json:"kind"`
	Successors []string     `json:"successors"`
}

// CloseAgency closes an agency on a date and links it to its successors.
func (s *Service) CloseAgency(ctx context.Context, actor *qms.Actor, code string, in CloseInput) (qms.Agency, error) {
	if err := actor.Require(qms.PermAgencyManage, ""); err != nil {
		return qms.Agency{}, err
	}
	var a qms.Agency
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if a, err = tx.AgencyByCode(ctx, qms.NormalizeCode(code)); err != nil {
			return err
		}
		var v qms.Validation
		if a.Closed() {
			v.Add("on", "err.agency_closed")
		}
		if in.On.IsZero() {
			v.Add("on", "err.required")
		} else if !a.ValidFrom.IsZero() && in.On.Before(a.ValidFrom) {
			v.Add("on", "err.valid_to_before_from")
		}
		if len(in.Successors) > 0 && !in.Kind.Valid() {
			v.Add("kind", "err.link_kind")
		}
		var successors []qms.Agency
		for _, sc := range in.Successors {
			sc = qms.NormalizeCode(sc)
			if sc == "" {
				continue
			}
			succ, err := tx.AgencyByCode(ctx, sc)
			switch {
			case qms.ErrorCode(err) == qms.ENotFound:
				v.Add("successors", "err.agency_not_found")
			case err != nil:
				return err
			case succ.ID == a.ID || succ.Closed():
				v.Add("successors", "err.successor_invalid")
			default:
				successors = append(successors, succ)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		old := a.ValidTo.String()
		a.ValidTo = in.On
		if err := tx.UpdateAgency(ctx, &a, s.now()); err != nil {
			return err
		}
		ch := qms.Changes{"valid_to": {Old: old, New: a.ValidTo.String()}}
		// A merger, split or rename ends the agency's certificate or announcement; its successors
		// must announce anew (Circular 26/2014: re-announce when the agency changes).
		closed, err := tx.EndRecognitions(ctx, a.ID, "", qms.RecognitionClosed, in.On, "agency closed ("+string(in.Kind)+")")
		if err != nil {
			return err
		}
		if closed > 0 {
			ch["recognitions_closed"] = qms.Change{New: int(closed)}
		}
		for i, succ := range successors {
			l := qms.AgencyLink{FromID: a.ID, ToID: succ.ID, Kind: in.Kind, On: in.On}
			if err := tx.CreateAgencyLink(ctx, &l, s.now()); err != nil {
				return err
			}
			ch["successor_"+strconv.Itoa(i+1)] = qms.Change{New: succ.Code + " (" + string(in.Kind) + ")"}
			if err := s.record(ctx, tx, actor, succ.ID, "agency.predecessor", "agency", succ.ID,
				qms.Changes{"predecessor": {New: a.Code + " (" + string(in.Kind) + ")"}}); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, actor, a.ID, "agency.close", "agency", a.ID, ch)
	})
	return a, err
}

// UnitInput is what a person fills in for a unit.
type UnitInput struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Closed bool   `json:"closed"`
}

// Units lists an agency's units.
func (s *Service) Units(ctx context.Context, actor *qms.Actor, code string) (qms.Agency, []qms.Unit, error) {
	code = qms.NormalizeCode(code)
	if err := actor.Require(qms.PermUnitRead, code); err != nil {
		return qms.Agency{}, nil, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return a, nil, err
	}
	units, err := s.db.ListUnits(ctx, a.ID)
	return a, units, err
}

// CreateUnit adds a unit to an agency.
func (s *Service) CreateUnit(ctx context.Context, actor *qms.Actor, code string, in UnitInput) (qms.Unit, error) {
	code = qms.NormalizeCode(code)
	u := qms.Unit{Code: in.Code, Name: in.Name}
	if err := actor.Require(qms.PermUnitManage, code); err != nil {
		return u, err
	}
	if err := u.Validate(); err != nil {
		return u, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		u.AgencyID = a.ID
		if err := tx.CreateUnit(ctx, &u, s.now()); err != nil {
			if qms.ErrorCode(err) == qms.EConflict {
				return fieldErr("code", "err.unit_code_taken")
			}
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "unit.create", "unit", u.ID, qms.Changes{"code": {New: u.Code}, "name": {New: u.Name}})
	})
	return u, err
}

// UpdateUnit renames a unit or closes and reopens it.
func (s *Service) UpdateUnit(ctx context.Context, actor *qms.Actor, code string, id int64, in UnitInput) (qms.Unit, error) {
	code = qms.NormalizeCode(code)
	if err := actor.Require(qms.PermUnitManage, code); err != nil {
		return qms.Unit{}, err
	}
	var u qms.Unit
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		old, err := tx.UnitByID(ctx, a.ID, id)
		if err != nil {
			return err
		}
		u = old
		u.Name, u.Closed = in.Name, in.Closed
		if err := u.Validate(); err != nil {
			return err
		}
		ch := qms.Changes{}
		ch.Diff("name", old.Name, u.Name)
		ch.Diff("closed", old.Closed, u.Closed)
		if len(ch) == 0 {
			return nil
		}
		if err := tx.UpdateUnit(ctx, &u, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "unit.update", "unit", u.ID, ch)
	})
	return u, err
}

// agencyFor checks that the actor holds p for an agency (by code) and returns the agency.
func (s *Service) agencyFor(ctx context.Context, actor *qms.Actor, p qms.Permission, agencyCode string) (qms.Agency, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(p, code); err != nil {
		return qms.Agency{}, err
	}
	return s.db.AgencyByCode(ctx, code)
}
