package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// dummyHash is checked against when the e-mail is unknown, so that a wrong e-mail costs as
// much time as a wrong password and does not reveal which accounts exist.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("isogov-no-such-account", DefaultArgon)
	return h
})

func newSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("service: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// checkPassword runs one argon2id comparison, waiting for a free hashing slot for at most a
// few seconds; past that the server is overloaded and the caller is asked to retry.
func (s *Service) checkPassword(ctx context.Context, pw, hash string) (bool, error) {
	t := time.NewTimer(5 * time.Second)
	defer t.Stop()
	select {
	case s.hashSem <- struct{}{}:
	case <-t.C:
		return false, qms.Errorf(qms.ERateLimited, "err.busy")
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-s.hashSem }()
	return CheckPasswordHash(pw, hash), nil
}

func (s *Service) hashPassword(pw string) (string, error) {
	s.hashSem <- struct{}{}
	defer func() { <-s.hashSem }()
	return HashPassword(pw, s.cfg.Argon)
}

// SignInResult is a new session: Secret goes into the cookie and is never stored.
type SignInResult struct {
	Secret  string
	Session store.Session
	User    qms.User
}

// SignIn checks e-mail and password and opens a session.
func (s *Service) SignIn(ctx context.Context, email, password, ip, userAgent string) (SignInResult, error) {
	var res SignInResult
	email = qms.NormalizeEmail(email)
	now := s.now()
	if wait := s.limiter.allow(now, email, ip); wait > 0 {
		return res, qms.Errorf(qms.ERateLimited, "err.sign_in_limited", int(math.Ceil(wait.Minutes())))
	}
	bad := qms.Errorf(qms.EUnauthenticated, "err.bad_credentials")
	if email == "" || password == "" || len(password) > qms.MaxPasswordLength {
		s.limiter.failed(now, email)
		return res, bad
	}
	u, err := s.db.UserByEmail(ctx, email)
	hash := u.PasswordHash
	if err != nil {
		if qms.ErrorCode(err) != qms.ENotFound {
			return res, err
		}
		hash = dummyHash()
	}
	ok, err := s.checkPassword(ctx, password, hash)
	if err != nil {
		return res, err
	}
	if !ok || u.ID == 0 || u.Disabled {
		s.limiter.failed(now, email)
		return res, bad
	}
	s.limiter.succeeded(email)
	res.User = u
	res.Secret = newSecret()
	res.Session = store.Session{
		ID: hashSecret(res.Secret), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.SessionAbsolute), IP: ip, UserAgent: truncate(userAgent, 300),
	}
	if codes := actorOf(u).AgencyCodes(); len(codes) > 0 {
		res.Session.AgencyCode = codes[0]
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateSession(ctx, &res.Session); err != nil {
			return err
		}
		_, err := tx.DeleteExpiredSessions(ctx, now, now.Add(-s.cfg.SessionIdle))
		return err
	})
	return res, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

func actorOf(u qms.User) *qms.Actor {
	return &qms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Lang: u.Lang, Grants: u.Grants}
}

// SessionActor returns the actor and session behind a cookie secret, or an unauthenticated
// error when the session is unknown, idle too long, past its absolute lifetime, or its user
// is disabled.
func (s *Service) SessionActor(ctx context.Context, secret string) (*qms.Actor, store.Session, error) {
	unauth := qms.Errorf(qms.EUnauthenticated, "err.session_expired")
	if secret == "" || len(secret) > 100 {
		return nil, store.Session{}, unauth
	}
	sess, err := s.db.SessionByID(ctx, hashSecret(secret))
	if err != nil {
		if qms.ErrorCode(err) == qms.ENotFound {
			return nil, sess, unauth
		}
		return nil, sess, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.cfg.SessionIdle {
		_ = s.db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, sess.ID) })
		return nil, sess, unauth
	}
	u, err := s.db.UserByID(ctx, sess.UserID)
	if err != nil || u.Disabled {
		return nil, sess, unauth
	}
	actor := actorOf(u)
	// Keep the switcher's agency one the user still holds a role in.
	codes := actor.AgencyCodes()
	agency := sess.AgencyCode
	if !contains(codes, agency) {
		agency = ""
		if len(codes) > 0 {
			agency = codes[0]
		}
	}
	// Record activity at most once a minute: a write per request would serialise reads on SQLite.
	if now.Sub(sess.LastSeenAt) > time.Minute || agency != sess.AgencyCode {
		sess.LastSeenAt, sess.AgencyCode = now, agency
		if err := s.db.InTx(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, sess.ID, now, agency) }); err != nil {
			return nil, sess, err
		}
	}
	return actor, sess, nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// SignOut ends the session behind a cookie secret.
func (s *Service) SignOut(ctx context.Context, secret string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, hashSecret(secret)) })
}

// SwitchAgency sets the agency the session works in; the actor must hold a role there. An
// empty code clears the choice (province-wide roles work in no single agency).
func (s *Service) SwitchAgency(ctx context.Context, actor *qms.Actor, sessionID, code string) error {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return err
	}
	if code != "" && !contains(actor.AgencyCodes(), code) {
		return qms.Errorf(qms.EForbidden, "err.forbidden")
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, sessionID, s.now(), code) })
}

// TokenActor returns the actor behind an API bearer token.
func (s *Service) TokenActor(ctx context.Context, secret string) (*qms.Actor, error) {
	unauth := qms.Errorf(qms.EUnauthenticated, "err.token_invalid")
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 100 {
		return nil, unauth
	}
	t, err := s.db.TokenByHash(ctx, hashSecret(secret))
	if err != nil {
		if qms.ErrorCode(err) == qms.ENotFound {
			return nil, unauth
		}
		return nil, err
	}
	now := s.now()
	if !t.RevokedAt.IsZero() || (!t.ExpiresAt.IsZero() && now.After(t.ExpiresAt)) {
		return nil, qms.Errorf(qms.EUnauthenticated, "err.token_revoked")
	}
	u, err := s.db.UserByID(ctx, t.UserID)
	if err != nil || u.Disabled {
		return nil, unauth
	}
	if now.Sub(t.LastUsedAt) > time.Minute {
		if err := s.db.InTx(ctx, func(tx *store.Tx) error { return tx.TouchToken(ctx, t.ID, now) }); err != nil {
			return nil, err
		}
	}
	a := actorOf(u)
	a.TokenID = t.ID
	return a, nil
}

const tokenPrefix = "isg_"

// NewToken is a created token; Secret is shown once and never stored.
type NewToken struct {
	Secret string
	Token  store.APIToken
}

// CreateToken issues an API token for the actor's own account.
func (s *Service) CreateToken(ctx context.Context, actor *qms.Actor, name string, expires qms.Date) (NewToken, error) {
	var nt NewToken
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nt, err
	}
	return s.createToken(ctx, actor, actor.UserID, name, expires)
}

func (s *Service) createToken(ctx context.Context, actor *qms.Actor, userID int64, name string, expires qms.Date) (NewToken, error) {
	var nt NewToken
	name = strings.TrimSpace(name)
	var v qms.Validation
	if name == "" {
		v.Add("name", "err.required")
	} else if len([]rune(name)) > 80 {
		v.Add("name", "err.too_long")
	}
	now := s.now()
	if !expires.IsZero() && !qms.DateOf(now).Before(expires) {
		v.Add("expires", "err.date_past")
	}
	if err := v.Err(); err != nil {
		return nt, err
	}
	nt.Secret = tokenPrefix + newSecret()
	nt.Token = store.APIToken{UserID: userID, Name: name, Hash: hashSecret(nt.Secret), Prefix: nt.Secret[:len(tokenPrefix)+6], CreatedAt: now}
	if !expires.IsZero() {
		nt.Token.ExpiresAt = expires.Time()
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateToken(ctx, &nt.Token); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "token.create", "user", userID,
			qms.Changes{"token": {New: nt.Token.Prefix + "…"}, "name": {New: name}})
	})
	return nt, err
}

// CreateTokenFor issues a token for another user (command line: `isogov token create`).
func (s *Service) CreateTokenFor(ctx context.Context, actor *qms.Actor, email, name string) (NewToken, error) {
	if err := actor.Require(qms.PermUserManage, ""); err != nil {
		return NewToken{}, err
	}
	u, err := s.db.UserByEmail(ctx, qms.NormalizeEmail(email))
	if err != nil {
		return NewToken{}, err
	}
	return s.createToken(ctx, actor, u.ID, name, qms.Date{})
}

// Tokens lists the actor's own tokens.
func (s *Service) Tokens(ctx context.Context, actor *qms.Actor) ([]store.APIToken, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.ListTokens(ctx, actor.UserID)
}

// RevokeToken revokes one of the actor's own tokens.
func (s *Service) RevokeToken(ctx context.Context, actor *qms.Actor, id int64) error {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		t, err := tx.TokenByID(ctx, actor.UserID, id)
		if err != nil {
			return err
		}
		if !t.RevokedAt.IsZero() {
			return nil
		}
		if err := tx.RevokeToken(ctx, actor.UserID, id, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "token.revoke", "user", actor.UserID,
			qms.Changes{"token": {Old: t.Prefix + "…"}})
	})
}

// ActorByEmail returns the actor of an account, for loaders and the command line acting in a
// person's name (the demo signs its documents as its leaders). Never call it from a request.
func (s *Service) ActorByEmail(ctx context.Context, email string) (*qms.Actor, error) {
	u, err := s.db.UserByEmail(ctx, qms.NormalizeEmail(email))
	if err != nil {
		return nil, err
	}
	if u.Grants, err = s.db.Grants(ctx, u.ID); err != nil {
		return nil, err
	}
	return actorOf(u), nil
}
