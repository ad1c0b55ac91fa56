package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

const organisationColumns = `o.id, o.code, o.name, o.kind, o.licence, o.address,
	(SELECT COUNT(*) FROM experts e WHERE e.organisation_id = o.id AND e.role = 'consultant' AND e.certificate_no <> ''),
	(SELECT COUNT(*) FROM experts e WHERE e.organisation_id = o.id AND e.role = 'assessor')`

func scanOrganisation(r interface{ Scan(...any) error }) (qms.Organisation, error) {
	var o qms.Organisation
	return o, r.Scan(&o.ID, &o.Code, &o.Name, &o.Kind, &o.Licence, &o.Address, &o.Consultants, &o.Assessors)
}

// Organisations returns the register by code.
func (q Q) Organisations(ctx context.Context) ([]qms.Organisation, error) {
	rows, err := q.query(ctx, "SELECT "+organisationColumns+" FROM organisations o ORDER BY o.code")
	return scanAll(rows, err, func(r *sql.Rows) (qms.Organisation, error) { return scanOrganisation(r) })
}

// OrganisationByCode returns one organisation.
func (q Q) OrganisationByCode(ctx context.Context, code string) (qms.Organisation, error) {
	o, err := scanOrganisation(q.row(ctx, "SELECT "+organisationColumns+" FROM organisations o WHERE o.code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return o, qms.Errorf(qms.ENotFound, "err.organisation_not_found")
	}
	return o, err
}

// CreateOrganisation inserts o.
func (q Q) CreateOrganisation(ctx context.Context, o *qms.Organisation, now time.Time) error {
	id, err := q.insert(ctx, "INSERT INTO organisations (code, name, kind, licence, address, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		o.Code, o.Name, o.Kind, o.Licence, o.Address, micros(now))
	if err != nil {
		return conflict(err, "err.organisation_code_taken")
	}
	o.ID = id
	return nil
}

// Experts returns an organisation's experts.
func (q Q) Experts(ctx context.Context, orgID int64) ([]qms.Expert, error) {
	rows, err := q.query(ctx, "SELECT id, organisation_id, name, role, qualification, certificate_no FROM experts WHERE organisation_id = ? ORDER BY role, name", orgID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Expert, error) {
		var e qms.Expert
		return e, r.Scan(&e.ID, &e.OrganisationID, &e.Name, &e.Role, &e.Qualification, &e.CertificateNo)
	})
}

// CreateExpert inserts e.
func (q Q) CreateExpert(ctx context.Context, e *qms.Expert, now time.Time) error {
	id, err := q.insert(ctx, "INSERT INTO experts (organisation_id, name, role, qualification, certificate_no, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		e.OrganisationID, e.Name, e.Role, e.Qualification, e.CertificateNo, micros(now))
	e.ID = id
	return err
}

const engagementColumns = `e.id, e.agency_id, a.code, o.code, o.name, e.contract_no, e.signed_on, e.starts_on, e.ends_on, e.value_vnd, e.scope`

func (q Q) engagements(ctx context.Context, where string, args ...any) ([]qms.Engagement, error) {
	rows, err := q.query(ctx, "SELECT "+engagementColumns+` FROM engagements e JOIN agencies a ON a.id = e.agency_id JOIN organisations o ON o.id = e.organisation_id
		WHERE `+where+" ORDER BY e.starts_on DESC, e.id DESC", args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Engagement, error) {
		var e qms.Engagement
		var signed, starts, ends string
		err := r.Scan(&e.ID, &e.AgencyID, &e.AgencyCode, &e.OrganisationCode, &e.OrganisationName, &e.ContractNo, &signed, &starts, &ends, &e.ValueVND, &e.Scope)
		e.SignedOn, _ = qms.ParseDate(signed)
		e.StartsOn, _ = qms.ParseDate(starts)
		e.EndsOn, _ = qms.ParseDate(ends)
		return e, err
	})
}

// AgencyEngagements returns an agency's engagements, newest first.
func (q Q) AgencyEngagements(ctx context.Context, agencyID int64) ([]qms.Engagement, error) {
	return q.engagements(ctx, "e.agency_id = ?", agencyID)
}

// EngagementsDuring returns an agency's engagements (agencyID 0: every agency's) running at some
// time in [from, to] (an engagement without an end runs on).
func (q Q) EngagementsDuring(ctx context.Context, agencyID int64, from, to qms.Date) ([]qms.Engagement, error) {
	if agencyID != 0 {
		return q.engagements(ctx, "e.agency_id = ? AND e.starts_on <= ? AND (e.ends_on = '' OR e.ends_on >= ?)", agencyID, to.String(), from.String())
	}
	return q.engagements(ctx, "e.starts_on <= ? AND (e.ends_on = '' OR e.ends_on >= ?)", to.String(), from.String())
}

// OrganisationEngagements returns an organisation's engagements across the province.
func (q Q) OrganisationEngagements(ctx context.Context, orgID int64) ([]qms.Engagement, error) {
	return q.engagements(ctx, "e.organisation_id = ?", orgID)
}

// CreateEngagement inserts e for the organisation with that id.
func (q Q) CreateEngagement(ctx context.Context, e *qms.Engagement, orgID int64, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO engagements (agency_id, organisation_id, contract_no, signed_on, starts_on, ends_on, value_vnd, scope, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.AgencyID, orgID, e.ContractNo, e.SignedOn.String(), e.StartsOn.String(), e.EndsOn.String(), e.ValueVND, e.Scope, micros(now))
	e.ID = id
	return err
}

// OrganisationInspections returns DOST's inspections of an organisation, newest first.
func (q Q) OrganisationInspections(ctx context.Context, orgID int64) ([]qms.OrganisationInspection, error) {
	rows, err := q.query(ctx, "SELECT id, inspected_on, findings, conclusion FROM organisation_inspections WHERE organisation_id = ? ORDER BY inspected_on DESC", orgID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.OrganisationInspection, error) {
		var i qms.OrganisationInspection
		var on string
		err := r.Scan(&i.ID, &on, &i.Findings, &i.Conclusion)
		i.InspectedOn, _ = qms.ParseDate(on)
		return i, err
	})
}

// CreateOrganisationInspection inserts an inspection.
func (q Q) CreateOrganisationInspection(ctx context.Context, orgID int64, i *qms.OrganisationInspection, now time.Time) error {
	id, err := q.insert(ctx, "INSERT INTO organisation_inspections (organisation_id, inspected_on, findings, conclusion, created_at) VALUES (?, ?, ?, ?, ?)",
		orgID, i.InspectedOn.String(), i.Findings, i.Conclusion, micros(now))
	i.ID = id
	return err
}
