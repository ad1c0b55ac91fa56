package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

// Session is a signed-in browser. ID is the SHA-256 (hex) of the cookie value.
type Session struct {
	ID         string
	UserID     int64
	AgencyCode string // the agency chosen in the switcher
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute timeout
	IP         string
	UserAgent  string
}

// CreateSession inserts s.
func (q Q) CreateSession(ctx context.Context, s *Session) error {
	_, err := q.exec(ctx, `INSERT INTO sessions (id, user_id, agency_code, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.UserID, s.AgencyCode, micros(s.CreatedAt), micros(s.LastSeenAt), micros(s.ExpiresAt), s.IP, s.UserAgent)
	return err
}

// SessionByID returns the session, or a not-found error.
func (q Q) SessionByID(ctx context.Context, id string) (Session, error) {
	var s Session
	var created, seen, expires int64
	err := q.row(ctx, "SELECT id, user_id, agency_code, created_at, last_seen_at, expires_at, ip, user_agent FROM sessions WHERE id = ?", id).
		Scan(&s.ID, &s.UserID, &s.AgencyCode, &created, &seen, &expires, &s.IP, &s.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return s, qms.Errorf(qms.ENotFound, "err.session")
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	return s, err
}

// TouchSession records activity and the chosen agency.
func (q Q) TouchSession(ctx context.Context, id string, at time.Time, agencyCode string) error {
	_, err := q.exec(ctx, "UPDATE sessions SET last_seen_at = ?, agency_code = ? WHERE id = ?", micros(at), agencyCode, id)
	return err
}

// DeleteSession removes one session.
func (q Q) DeleteSession(ctx context.Context, id string) error {
	_, err := q.exec(ctx, "DELETE FROM sessions WHERE id = ?", id)
	return err
}

// DeleteUserSessions removes every session of a user except keep.
func (q Q) DeleteUserSessions(ctx context.Context, userID int64, keep string) error {
	_, err := q.exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", userID, keep)
	return err
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle since before idleBefore.
func (q Q) DeleteExpiredSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	res, err := q.exec(ctx, "DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?", micros(now), micros(idleBefore))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// APIToken is a bearer token; only the SHA-256 of its secret is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Hash       string
	Prefix     string // the first characters, to recognise it in lists
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
	RevokedAt  time.Time
}

const tokenColumns = "id, user_id, name, token_hash, prefix, created_at, last_used_at, expires_at, revoked_at"

func scanToken(r interface{ Scan(...any) error }) (APIToken, error) {
	var t APIToken
	var c, l, e, rv int64
	err := r.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Prefix, &c, &l, &e, &rv)
	t.CreatedAt, t.LastUsedAt, t.ExpiresAt, t.RevokedAt = fromMicros(c), fromMicros(l), fromMicros(e), fromMicros(rv)
	return t, err
}

// CreateToken inserts t.
func (q Q) CreateToken(ctx context.Context, t *APIToken) error {
	id, err := q.insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.UserID, t.Name, t.Hash, t.Prefix, micros(t.CreatedAt), micros(t.ExpiresAt))
	t.ID = id
	return err
}

// TokenByHash returns the token with that hash.
func (q Q) TokenByHash(ctx context.Context, hash string) (APIToken, error) {
	t, err := scanToken(q.row(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE token_hash = ?", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return t, qms.Errorf(qms.ENotFound, "err.token_not_found")
	}
	return t, err
}

// TokenByID returns the user's token with that id.
func (q Q) TokenByID(ctx context.Context, userID, id int64) (APIToken, error) {
	t, err := scanToken(q.row(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE user_id = ? AND id = ?", userID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, qms.Errorf(qms.ENotFound, "err.token_not_found")
	}
	return t, err
}

// ListTokens returns the user's tokens, newest first.
func (q Q) ListTokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := q.query(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE user_id = ? ORDER BY id DESC", userID)
	return scanAll(rows, err, func(r *sql.Rows) (APIToken, error) { return scanToken(r) })
}

// RevokeToken marks the token revoked.
func (q Q) RevokeToken(ctx context.Context, userID, id int64, at time.Time) error {
	_, err := q.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND id = ? AND revoked_at = 0", micros(at), userID, id)
	return err
}

// TouchToken records the token's last use.
func (q Q) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := q.exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", micros(at), id)
	return err
}
