package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
)

const agencyColumns = `a.id, a.code, a.name, a.short_name, a.kind, COALESCE(a.parent_id, 0), COALESCE(p.code, ''),
	a.valid_from, a.valid_to, a.office_cutoff, a.doc_self_approval, a.created_at, a.updated_at`

const agencyFrom = ` FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id`

// scanAgency reads agencyColumns, then any extra columns into extra.
func scanAgency(r interface{ Scan(...any) error }, extra ...any) (qms.Agency, error) {
	var a qms.Agency
	var from, to string
	var created, updated int64
	err := r.Scan(append([]any{&a.ID, &a.Code, &a.Name, &a.ShortName, &a.Kind, &a.ParentID, &a.ParentCode, &from, &to, &a.OfficeCutoff, &a.DocSelfApproval,
		&created, &updated}, extra...)...)
	if err != nil {
		return a, err
	}
	a.ValidFrom, _ = qms.ParseDate(from)
	a.ValidTo, _ = qms.ParseDate(to)
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	return a, nil
}

func agencySearchText(a *qms.Agency) string {
	return search.Fold(a.Code + " " + a.Name + " " + a.ShortName)
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// AgencyFilter selects agencies. Zero values select everything.
type AgencyFilter struct {
	Query         string // words matched without diacritics against code, name and short name
	Kind          qms.AgencyKind
	ParentCode    string // only the direct children of this agency
	IncludeClosed bool
	After         string // keyset cursor: codes after this one
	Limit         int    // 0: no limit
}

// ListAgencies returns the agencies matching f, ordered by code.
func (q Q) ListAgencies(ctx context.Context, f AgencyFilter) ([]qms.Agency, error) {
	var where []string
	var args []any
	for _, term := range search.Terms(f.Query) {
		where = append(where, `a.search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+search.EscapeLike(term)+"%")
	}
	if f.Kind != "" {
		where = append(where, "a.kind = ?")
		args = append(args, f.Kind)
	}
	if f.ParentCode != "" {
		where = append(where, "p.code = ?")
		args = append(args, f.ParentCode)
	}
	if !f.IncludeClosed {
		where = append(where, "a.valid_to = ''")
	}
	if f.After != "" {
		where = append(where, "a.code > ?")
		args = append(args, f.After)
	}
	sqlText := "SELECT " + agencyColumns + agencyFrom
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	sqlText += " ORDER BY a.code"
	if f.Limit > 0 {
		sqlText += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := q.query(ctx, sqlText, args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Agency, error) { return scanAgency(r) })
}

// AgencyByCode returns the agency with that code, or a not-found error.
func (q Q) AgencyByCode(ctx context.Context, code string) (qms.Agency, error) {
	a, err := scanAgency(q.row(ctx, "SELECT "+agencyColumns+agencyFrom+" WHERE a.code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return a, qms.Errorf(qms.ENotFound, "err.agency_not_found")
	}
	return a, err
}

// CountAgencies counts agencies still valid (no end date).
func (q Q) CountAgencies(ctx context.Context) (int, error) {
	var n int
	err := q.row(ctx, "SELECT COUNT(*) FROM agencies WHERE valid_to = ''").Scan(&n)
	return n, err
}

// CreateAgency inserts a and sets its id.
func (q Q) CreateAgency(ctx context.Context, a *qms.Agency, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO agencies (code, name, short_name, kind, parent_id, valid_from, valid_to, office_cutoff, search_text, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Code, a.Name, a.ShortName, a.Kind, nullID(a.ParentID), a.ValidFrom.String(), a.ValidTo.String(), a.OfficeCutoff,
		agencySearchText(a), micros(now), micros(now))
	if err != nil {
		return conflict(err, "err.agency_code_taken")
	}
	a.ID, a.CreatedAt, a.UpdatedAt = id, now, now
	return nil
}

// UpdateAgency writes every field of a except its code, which never changes.
func (q Q) UpdateAgency(ctx context.Context, a *qms.Agency, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE agencies SET name = ?, short_name = ?, kind = ?, parent_id = ?, valid_from = ?, valid_to = ?,
		office_cutoff = ?, search_text = ?, updated_at = ? WHERE id = ?`,
		a.Name, a.ShortName, a.Kind, nullID(a.ParentID), a.ValidFrom.String(), a.ValidTo.String(), a.OfficeCutoff,
		agencySearchText(a), micros(now), a.ID)
	a.UpdatedAt = now
	return err
}

// AgencyAncestors returns the ids of a's parent, its parent, and so on (for cycle checks).
func (q Q) AgencyAncestors(ctx context.Context, id int64) ([]int64, error) {
	var out []int64
	for i := 0; i < 64 && id != 0; i++ {
		var parent sql.NullInt64
		if err := q.row(ctx, "SELECT parent_id FROM agencies WHERE id = ?", id).Scan(&parent); err != nil {
			return out, err
		}
		id = parent.Int64
		if id != 0 {
			out = append(out, id)
		}
	}
	return out, nil
}

// CreateAgencyLink records that l.To succeeds l.From.
func (q Q) CreateAgencyLink(ctx context.Context, l *qms.AgencyLink, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO agency_links (from_agency_id, to_agency_id, kind, effective_on, created_at) VALUES (?, ?, ?, ?, ?)`,
		l.FromID, l.ToID, l.Kind, l.On.String(), micros(now))
	if err != nil {
		return conflict(err, "err.link_exists")
	}
	l.ID = id
	return nil
}

// AgencyLinks returns the links in which the agency is predecessor or successor.
func (q Q) AgencyLinks(ctx context.Context, agencyID int64) ([]qms.AgencyLink, error) {
	rows, err := q.query(ctx, `SELECT l.id, l.from_agency_id, f.code, f.name, l.to_agency_id, t.code, t.name, l.kind, l.effective_on
		FROM agency_links l JOIN agencies f ON f.id = l.from_agency_id JOIN agencies t ON t.id = l.to_agency_id
		WHERE l.from_agency_id = ? OR l.to_agency_id = ? ORDER BY l.effective_on, l.id`, agencyID, agencyID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.AgencyLink, error) {
		var l qms.AgencyLink
		var on string
		err := r.Scan(&l.ID, &l.FromID, &l.FromCode, &l.FromName, &l.ToID, &l.ToCode, &l.ToName, &l.Kind, &on)
		l.On, _ = qms.ParseDate(on)
		return l, err
	})
}

const unitColumns = "id, agency_id, code, name, closed, created_at, updated_at"

func scanUnit(r interface{ Scan(...any) error }) (qms.Unit, error) {
	var u qms.Unit
	var created, updated int64
	err := r.Scan(&u.ID, &u.AgencyID, &u.Code, &u.Name, &u.Closed, &created, &updated)
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	return u, err
}

// ListUnits returns the agency's units ordered by code.
func (q Q) ListUnits(ctx context.Context, agencyID int64) ([]qms.Unit, error) {
	rows, err := q.query(ctx, "SELECT "+unitColumns+" FROM units WHERE agency_id = ? ORDER BY code", agencyID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Unit, error) { return scanUnit(r) })
}

// UnitByID returns the agency's unit with that id.
func (q Q) UnitByID(ctx context.Context, agencyID, id int64) (qms.Unit, error) {
	u, err := scanUnit(q.row(ctx, "SELECT "+unitColumns+" FROM units WHERE agency_id = ? AND id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, qms.Errorf(qms.ENotFound, "err.unit_not_found")
	}
	return u, err
}

// CreateUnit inserts u.
func (q Q) CreateUnit(ctx context.Context, u *qms.Unit, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO units (agency_id, code, name, closed, search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.AgencyID, u.Code, u.Name, u.Closed, search.Fold(u.Code+" "+u.Name), micros(now), micros(now))
	if err != nil {
		return conflict(err, "err.unit_code_taken")
	}
	u.ID, u.CreatedAt, u.UpdatedAt = id, now, now
	return nil
}

// UpdateUnit writes the unit's name and closed flag.
func (q Q) UpdateUnit(ctx context.Context, u *qms.Unit, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE units SET name = ?, closed = ?, search_text = ?, updated_at = ? WHERE agency_id = ? AND id = ?`,
		u.Name, u.Closed, search.Fold(u.Code+" "+u.Name), micros(now), u.AgencyID, u.ID)
	u.UpdatedAt = now
	return err
}

// SetDocSelfApproval records whether the agency lets authors approve their own documents.
func (q Q) SetDocSelfApproval(ctx context.Context, agencyID int64, allow bool, now time.Time) error {
	_, err := q.exec(ctx, "UPDATE agencies SET doc_self_approval = ?, updated_at = ? WHERE id = ?", allow, micros(now), agencyID)
	return err
}
