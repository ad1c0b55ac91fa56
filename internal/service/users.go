package service

import (
	"context"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// UserInput is what an administrator fills in to create an account.
type UserInput struct {
	Email    string   `json:"email"`
	Name     string   `json:"name"`
	Lang     string   `json:"lang"`
	Password string   `json:"password"`
	Roles    []string `json:"roles"` // "admin", "leader@SKHCN", …
}

// Users lists accounts (administrators only).
func (s *Service) Users(ctx context.Context, actor *qms.Actor, f store.UserFilter) ([]qms.User, error) {
	if err := actor.Require(qms.PermUserManage, ""); err != nil {
		return nil, err
	}
	return s.db.ListUsers(ctx, f)
}

// User returns one account with its roles (administrators, or the user themself).
func (s *Service) User(ctx context.Context, actor *qms.Actor, id int64) (qms.User, error) {
	if actor == nil || (actor.UserID != id && !actor.Can(qms.PermUserManage, "")) {
		return qms.User{}, actor.Require(qms.PermUserManage, "")
	}
	return s.db.UserByID(ctx, id)
}

// CreateUser creates an account with its roles.
func (s *Service) CreateUser(ctx context.Context, actor *qms.Actor, in UserInput) (qms.User, error) {
	u := qms.User{Email: in.Email, Name: in.Name, Lang: in.Lang}
	if err := actor.Require(qms.PermUserManage, ""); err != nil {
		return u, err
	}
	var v qms.Validation
	if err := u.Validate(); err != nil {
		v = validationOf(err)
	}
	if key := qms.CheckPassword(in.Password, u.Email); key != "" {
		v.Add("password", key)
	}
	var grants []qms.Grant
	for _, r := range in.Roles {
		g, err := qms.ParseGrant(r)
		if err != nil {
			v.Add("roles", err.(*qms.Error).Key)
			continue
		}
		grants = append(grants, g)
	}
	if err := v.Err(); err != nil {
		return u, err
	}
	hash, err := s.hashPassword(in.Password)
	if err != nil {
		return u, err
	}
	u.PasswordHash = hash
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, &u, s.now()); err != nil {
			if qms.ErrorCode(err) == qms.EConflict {
				return fieldErr("email", "err.email_taken")
			}
			return err
		}
		if err := s.record(ctx, tx, actor, qms.ProvinceChain, "user.create", "user", u.ID,
			qms.Changes{"email": {New: u.Email}, "name": {New: u.Name}, "lang": {New: u.Lang}}); err != nil {
			return err
		}
		for _, g := range grants {
			if err := s.grant(ctx, tx, actor, &u, g); err != nil {
				return err
			}
		}
		return nil
	})
	return u, err
}

func validationOf(err error) qms.Validation {
	var v qms.Validation
	if e, ok := err.(*qms.Error); ok {
		for _, f := range e.Fields {
			v.Add(f.Field, f.Message)
		}
	}
	return v
}

// grant resolves g's agency and stores it for u, journaling it in the agency's chain (or the
// province's for province-wide roles).
func (s *Service) grant(ctx context.Context, tx *store.Tx, actor *qms.Actor, u *qms.User, g qms.Grant) error {
	g.UserID = u.ID
	chain := qms.ProvinceChain
	if !g.Role.ProvinceWide() {
		a, err := tx.AgencyByCode(ctx, g.AgencyCode)
		if qms.ErrorCode(err) == qms.ENotFound {
			return fieldErr("roles", "err.agency_not_found")
		} else if err != nil {
			return err
		}
		g.AgencyID, g.AgencyName, chain = a.ID, a.Name, a.ID
	}
	if err := tx.CreateGrant(ctx, &g, s.now()); err != nil {
		if qms.ErrorCode(err) == qms.EConflict {
			return fieldErr("roles", "err.grant_exists")
		}
		return err
	}
	u.Grants = append(u.Grants, g)
	return s.record(ctx, tx, actor, chain, "role.grant", "user", u.ID, qms.Changes{"role": {New: g.String()}, "user": {New: u.Email}})
}

// GrantRole gives a user a role ("auditor@SKHCN").
func (s *Service) GrantRole(ctx context.Context, actor *qms.Actor, userID int64, role string) (qms.Grant, error) {
	if err := actor.Require(qms.PermUserManage, ""); err != nil {
		return qms.Grant{}, err
	}
	g, err := qms.ParseGrant(role)
	if err != nil {
		return g, fieldErr("role", err.(*qms.Error).Key)
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		if err := s.grant(ctx, tx, actor, &u, g); err != nil {
			if e, ok := err.(*qms.Error); ok && len(e.Fields) == 1 {
				return fieldErr("role", e.Fields[0].Message) // the single-role form's field
			}
			return err
		}
		g = u.Grants[len(u.Grants)-1]
		return nil
	})
	return g, err
}

// RevokeRole takes a role away from a user. An administrator cannot take away their own
// admin role, so the system always keeps one.
func (s *Service) RevokeRole(ctx context.Context, actor *qms.Actor, userID, grantID int64) error {
	if err := actor.Require(qms.PermUserManage, ""); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		for _, g := range u.Grants {
			if g.ID != grantID {
				continue
			}
			if g.Role == qms.RoleAdmin && u.ID == actor.UserID {
				return qms.Errorf(qms.EConflict, "err.revoke_own_admin")
			}
			if err := tx.DeleteGrant(ctx, userID, grantID); err != nil {
				return err
			}
			chain := g.AgencyID // 0 for province-wide roles: the province chain
			return s.record(ctx, tx, actor, chain, "role.revoke", "user", u.ID, qms.Changes{"role": {Old: g.String()}, "user": {Old: u.Email}})
		}
		return qms.Errorf(qms.ENotFound, "err.grant_not_found")
	})
}

// UserUpdate is what an administrator may change of an account.
type UserUpdate struct {
	Name     string `json:"name"`
	Lang     string `json:"lang"`
	Disabled bool   `json:"disabled"`
}

// UpdateUser edits an account; disabling it also ends its sessions.
func (s *Service) UpdateUser(ctx context.Context, actor *qms.Actor, id int64, in UserUpdate) (qms.User, error) {
	if err := actor.Require(qms.PermUserManage, ""); err != nil {
		return qms.User{}, err
	}
	if id == actor.UserID && in.Disabled {
		return qms.User{}, fieldErr("disabled", "err.disable_self")
	}
	return s.updateUser(ctx, actor, id, func(u *qms.User) { u.Name, u.Lang, u.Disabled = in.Name, in.Lang, in.Disabled })
}

// UpdateProfile changes the actor's own name and language.
func (s *Service) UpdateProfile(ctx context.Context, actor *qms.Actor, name, lang string) (qms.User, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return qms.User{}, err
	}
	return s.updateUser(ctx, actor, actor.UserID, func(u *qms.User) { u.Name, u.Lang = name, lang })
}

func (s *Service) updateUser(ctx context.Context, actor *qms.Actor, id int64, edit func(*qms.User)) (qms.User, error) {
	var u qms.User
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.UserByID(ctx, id)
		if err != nil {
			return err
		}
		u = old
		edit(&u)
		if err := u.Validate(); err != nil {
			return err
		}
		ch := qms.Changes{}
		ch.Diff("name", old.Name, u.Name)
		ch.Diff("lang", old.Lang, u.Lang)
		ch.Diff("disabled", old.Disabled, u.Disabled)
		if len(ch) == 0 {
			return nil
		}
		if err := tx.UpdateUser(ctx, &u, s.now()); err != nil {
			return err
		}
		if u.Disabled {
			if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "user.update", "user", u.ID, ch)
	})
	return u, err
}

// ChangePassword changes the actor's own password after checking the current one, and ends
// the actor's other sessions.
func (s *Service) ChangePassword(ctx context.Context, actor *qms.Actor, keepSession, current, next string) error {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return err
	}
	u, err := s.db.UserByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	ok, err := s.checkPassword(ctx, current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return fieldErr("current", "err.password_wrong")
	}
	return s.setPassword(ctx, actor, u, keepSession, next)
}

// ResetPassword sets another user's password (administrators) and ends their sessions.
func (s *Service) ResetPassword(ctx context.Context, actor *qms.Actor, id int64, next string) error {
	if err := actor.Require(qms.PermUserManage, ""); err != nil {
		return err
	}
	u, err := s.db.UserByID(ctx, id)
	if err != nil {
		return err
	}
	return s.setPassword(ctx, actor, u, "", next)
}

func (s *Service) setPassword(ctx context.Context, actor *qms.Actor, u qms.User, keepSession, next string) error {
	if key := qms.CheckPassword(next, u.Email); key != "" {
		return fieldErr("password", key)
	}
	hash, err := s.hashPassword(next)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateUser(ctx, &u, s.now()); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, keepSession); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "user.password", "user", u.ID, qms.Changes{"password": {New: "***"}})
	})
}
