package service

import (
	"context"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Organisations returns the register of consultancies and certification bodies (every
// signed-in user may read it: agencies choose their consultants from it).
func (s *Service) Organisations(ctx context.Context, actor *qms.Actor) ([]qms.Organisation, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.Organisations(ctx)
}

// OrganisationView is one organisation with its experts, engagements and inspections; the
// engagements and inspections only for the province roles.
type OrganisationView struct {
	Organisation qms.Organisation
	Experts      []qms.Expert
	Engagements  []qms.Engagement
	Inspections  []qms.OrganisationInspection
}

// Organisation returns one organisation of the register.
func (s *Service) Organisation(ctx context.Context, actor *qms.Actor, code string) (OrganisationView, error) {
	var v OrganisationView
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return v, err
	}
	var err error
	if v.Organisation, err = s.db.OrganisationByCode(ctx, qms.NormalizeCode(code)); err != nil {
		return v, err
	}
	if v.Experts, err = s.db.Experts(ctx, v.Organisation.ID); err != nil {
		return v, err
	}
	if actor.Can(qms.PermProvinceOversee, "") {
		if v.Engagements, err = s.db.OrganisationEngagements(ctx, v.Organisation.ID); err != nil {
			return v, err
		}
		v.Inspections, err = s.db.OrganisationInspections(ctx, v.Organisation.ID)
	}
	return v, err
}

// CreateOrganisation adds an organisation to the register (coordinator).
func (s *Service) CreateOrganisation(ctx context.Context, actor *qms.Actor, o qms.Organisation) (qms.Organisation, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return o, err
	}
	if err := o.Validate(); err != nil {
		return o, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrganisation(ctx, &o, s.now()); err != nil {
			if qms.ErrorCode(err) == qms.EConflict {
				return fieldErr("code", "err.organisation_code_taken")
			}
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "organisation.create", "organisation", o.ID, qms.Changes{"code": {New: o.Code}, "name": {New: o.Name}, "kind": {New: string(o.Kind)}})
	})
	return o, err
}

// AddExpert adds a consultant or assessor to an organisation (coordinator).
func (s *Service) AddExpert(ctx context.Context, actor *qms.Actor, orgCode string, e qms.Expert) (qms.Expert, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return e, err
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.OrganisationByCode(ctx, qms.NormalizeCode(orgCode))
		if err != nil {
			return err
		}
		e.OrganisationID = o.ID
		if err := tx.CreateExpert(ctx, &e, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "expert.add", "organisation", o.ID, qms.Changes{"name": {New: e.Name}, "role": {New: string(e.Role)}, "certificate": {New: e.CertificateNo}})
	})
	return e, err
}

// Engagements returns an agency's engagements with consultancies.
func (s *Service) Engagements(ctx context.Context, actor *qms.Actor, agencyCode string) (qms.Agency, []qms.Engagement, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackRead, code); err != nil {
		return qms.Agency{}, nil, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return a, nil, err
	}
	list, err := s.db.AgencyEngagements(ctx, a.ID)
	return a, list, err
}

// AddEngagement records an agency's contract with a consultancy of the register (the
// agency's leader or ISO secretary). An organisation outside the register, or one that does
// not consult, is refused.
func (s *Service) AddEngagement(ctx context.Context, actor *qms.Actor, agencyCode string, e qms.Engagement) (qms.Engagement, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermTrackEdit, code); err != nil {
		return e, err
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		o, err := tx.OrganisationByCode(ctx, qms.NormalizeCode(e.OrganisationCode))
		if qms.ErrorCode(err) == qms.ENotFound {
			return fieldErr("organisation", "err.organisation_not_registered")
		} else if err != nil {
			return err
		}
		if !o.Consults() {
			return fieldErr("organisation", "err.organisation_not_consultancy")
		}
		e.AgencyID, e.AgencyCode, e.OrganisationCode, e.OrganisationName = a.ID, a.Code, o.Code, o.Name
		if err := tx.CreateEngagement(ctx, &e, o.ID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "engagement.add", "engagement", e.ID, qms.Changes{"organisation": {New: o.Code}, "contract": {New: e.ContractNo},
			"value_vnd": {New: strconv.FormatInt(e.ValueVND, 10)}, "period": {New: e.StartsOn.String() + "/" + e.EndsOn.String()}})
	})
	return e, err
}

// InspectOrganisation records DOST's inspection of an organisation (coordinator).
func (s *Service) InspectOrganisation(ctx context.Context, actor *qms.Actor, orgCode string, i qms.OrganisationInspection) (qms.OrganisationInspection, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return i, err
	}
	var v qms.Validation
	i.Findings, i.Conclusion = strings.TrimSpace(i.Findings), strings.TrimSpace(i.Conclusion)
	if i.InspectedOn.IsZero() {
		v.Add("inspected_on", "err.required")
	} else if qms.DateOf(s.now().In(vietnam)).Before(i.InspectedOn) {
		v.Add("inspected_on", "err.date_future")
	}
	if i.Findings == "" || len([]rune(i.Findings)) > 4000 {
		v.Add("findings", "err.required")
	}
	if i.Conclusion == "" || len([]rune(i.Conclusion)) > 1000 {
		v.Add("conclusion", "err.required")
	}
	if err := v.Err(); err != nil {
		return i, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.OrganisationByCode(ctx, qms.NormalizeCode(orgCode))
		if err != nil {
			return err
		}
		if err := tx.CreateOrganisationInspection(ctx, o.ID, &i, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "organisation.inspect", "organisation", o.ID, qms.Changes{"on": {New: i.InspectedOn.String()}, "conclusion": {New: i.Conclusion}})
	})
	return i, err
}
