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

const userColumns = "id, email, name, lang, disabled, password_hash, created_at, updated_at"

func scanUser(r interface{ Scan(...any) error }) (qms.User, error) {
	var u qms.User
	var created, updated int64
	err := r.Scan(&u.ID, &u.Email, &u.Name, &u.Lang, &u.Disabled, &u.PasswordHash, &created, &updated)
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	return u, err
}

func (q Q) userBy(ctx context.Context, column string, v any) (qms.User, error) {
	u, err := scanUser(q.row(ctx, "SELECT "+userColumns+" FROM users WHERE "+column+" = ?", v))
	if errors.Is(err, sql.ErrNoRows) {
		return u, qms.Errorf(qms.ENotFound, "err.user_not_found")
	}
	if err != nil {
		return u, err
	}
	u.Grants, err = q.Grants(ctx, u.ID)
	return u, err
}

// UserByID returns the user with its grants.
func (q Q) UserByID(ctx context.Context, id int64) (qms.User, error) { return q.userBy(ctx, "id", id) }

// UserByEmail returns the user with its grants; email must be normalised.
func (q Q) UserByEmail(ctx context.Context, email string) (qms.User, error) {
	return q.userBy(ctx, "email", email)
}

// UserFilter selects users.
type UserFilter struct {
	Query    string
	AgencyID int64 // users holding a role in this agency
	AfterID  int64
	Limit    int
}

// ListUsers returns users ordered by id, without grants.
func (q Q) ListUsers(ctx context.Context, f UserFilter) ([]qms.User, error) {
	where := []string{"u.id > ?"}
	args := []any{f.AfterID}
	for _, term := range search.Terms(f.Query) {
		where = append(where, `u.search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+search.EscapeLike(term)+"%")
	}
	if f.AgencyID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.agency_id = ?)")
		args = append(args, f.AgencyID)
	}
	sqlText := "SELECT u." + strings.ReplaceAll(userColumns, ", ", ", u.") + " FROM users u WHERE " + strings.Join(where, " AND ") + " ORDER BY u.id"
	if f.Limit > 0 {
		sqlText += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := q.query(ctx, sqlText, args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.User, error) { return scanUser(r) })
}

// CountUsers counts accounts that are not disabled.
func (q Q) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := q.row(ctx, "SELECT COUNT(*) FROM users WHERE disabled = ?", false).Scan(&n)
	return n, err
}

// CreateUser inserts u (without grants).
func (q Q) CreateUser(ctx context.Context, u *qms.User, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO users (email, name, lang, disabled, password_hash, search_text, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Email, u.Name, u.Lang, u.Disabled, u.PasswordHash, search.Fold(u.Email+" "+u.Name), micros(now), micros(now))
	if err != nil {
		return conflict(err, "err.email_taken")
	}
	u.ID, u.CreatedAt, u.UpdatedAt = id, now, now
	return nil
}

// UpdateUser writes name, language, disabled flag and password hash.
func (q Q) UpdateUser(ctx context.Context, u *qms.User, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE users SET name = ?, lang = ?, disabled = ?, password_hash = ?, search_text = ?, updated_at = ? WHERE id = ?`,
		u.Name, u.Lang, u.Disabled, u.PasswordHash, search.Fold(u.Email+" "+u.Name), micros(now), u.ID)
	u.UpdatedAt = now
	return err
}

// Grants returns the user's roles with their agencies.
func (q Q) Grants(ctx context.Context, userID int64) ([]qms.Grant, error) {
	rows, err := q.query(ctx, `SELECT g.id, g.user_id, g.role, COALESCE(g.agency_id, 0), COALESCE(a.code, ''), COALESCE(a.name, ''), g.granted_at
		FROM role_grants g LEFT JOIN agencies a ON a.id = g.agency_id WHERE g.user_id = ? ORDER BY g.id`, userID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Grant, error) {
		var g qms.Grant
		var at int64
		err := r.Scan(&g.ID, &g.UserID, &g.Role, &g.AgencyID, &g.AgencyCode, &g.AgencyName, &at)
		g.GrantedAt = fromMicros(at)
		return g, err
	})
}

// CreateGrant inserts g.
func (q Q) CreateGrant(ctx context.Context, g *qms.Grant, now time.Time) error {
	id, err := q.insert(ctx, "INSERT INTO role_grants (user_id, role, agency_id, granted_at) VALUES (?, ?, ?, ?)",
		g.UserID, g.Role, nullID(g.AgencyID), micros(now))
	if err != nil {
		return conflict(err, "err.grant_exists")
	}
	g.ID, g.GrantedAt = id, now
	return nil
}

// DeleteGrant removes the user's grant with that id.
func (q Q) DeleteGrant(ctx context.Context, userID, grantID int64) error {
	_, err := q.exec(ctx, "DELETE FROM role_grants WHERE user_id = ? AND id = ?", userID, grantID)
	return err
}

// CountGrantsByRole counts users per role across the province, or in one agency when agencyID != 0.
func (q Q) CountGrantsByRole(ctx context.Context, agencyID int64) (map[qms.Role]int, error) {
	sqlText, args := "SELECT role, COUNT(*) FROM role_grants GROUP BY role", []any{}
	if agencyID != 0 {
		sqlText, args = "SELECT role, COUNT(*) FROM role_grants WHERE agency_id = ? GROUP BY role", []any{agencyID}
	}
	rows, err := q.query(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[qms.Role]int{}
	for rows.Next() {
		var r qms.Role
		var n int
		if err := rows.Scan(&r, &n); err != nil {
			return nil, err
		}
		out[r] = n
	}
	return out, rows.Err()
}
