// Package httpkit holds what the HTML and JSON edges share: the route table with each route's
// permission, the authorisation guard, request-scoped values, and the middleware that resolves
// who is asking.
package httpkit

import (
	"context"
	"net/http"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Access says who may call a route.
type Access struct {
	Public bool           // anyone, signed in or not
	Perm   qms.Permission // otherwise: this permission, for the agency named by the {code} path value when there is one
	// AnyAgency: without a {code}, a grant of Perm for any agency suffices (the service then
	// scopes what it returns).
	AnyAgency bool
	// Or: other permissions that let the caller in as well (held anywhere).
	Or []qms.Permission
}

// Public lets anyone call a route.
var Public = Access{Public: true}

// Need requires a permission, scoped to the {code} agency when the route has one.
func Need(p qms.Permission) Access { return Access{Perm: p} }

// NeedSomewhere requires a permission for the province or for at least one agency.
func NeedSomewhere(p qms.Permission) Access { return Access{Perm: p, AnyAgency: true} }

// NeedAny requires one of the permissions, held for the province or for at least one agency;
// the service decides what the caller may do with it.
func NeedAny(p qms.Permission, more ...qms.Permission) Access {
	return Access{Perm: p, AnyAgency: true, Or: more}
}

// Route is one entry of a route table: "GET /agencies/{code}" → handler, with who may call it.
type Route struct {
	Method  string
	Pattern string
	Access  Access
	Handler http.HandlerFunc
	MaxBody int64 // largest request body; 0: MaxBody
}

// String is the pattern as ServeMux takes it; an empty Method matches every method.
func (r Route) String() string {
	if r.Method == "" {
		return r.Pattern
	}
	return r.Method + " " + r.Pattern
}

// Allowed reports whether actor may call the route for request req.
func (r Route) Allowed(actor *qms.Actor, req *http.Request) bool {
	if r.Access.Public {
		return true
	}
	if code := req.PathValue("code"); code != "" {
		return actor.Can(r.Access.Perm, qms.NormalizeCode(code))
	}
	if r.Access.AnyAgency {
		if actor.CanAnywhere(r.Access.Perm) {
			return true
		}
		for _, p := range r.Access.Or {
			if actor.CanAnywhere(p) {
				return true
			}
		}
		return false
	}
	return actor.Can(r.Access.Perm, "")
}

// Guard wraps every route's handler with its authorisation check; deny answers a request the
// caller may not make (each edge renders that its own way).
func Guard(routes []Route, deny func(w http.ResponseWriter, r *http.Request, err error)) []Route {
	out := make([]Route, len(routes))
	for i, rt := range routes {
		rt := rt
		h := rt.Handler
		limit := rt.MaxBody
		if limit == 0 {
			limit = MaxBody
		}
		rt.Handler = func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if !rt.Allowed(ActorOf(r), r) {
				if ActorOf(r) == nil {
					if err := AuthError(r); err != nil {
						deny(w, r, err)
						return
					}
					deny(w, r, qms.Errorf(qms.EUnauthenticated, "err.unauthenticated"))
				} else {
					deny(w, r, qms.Errorf(qms.EForbidden, "err.forbidden"))
				}
				return
			}
			h(w, r)
		}
		out[i] = rt
	}
	return out
}

type ctxKey int

const (
	actorKey ctxKey = iota
	sessionKey
	requestIDKey
	langKey
)

// ActorOf returns who is asking, or nil for an anonymous visitor.
func ActorOf(r *http.Request) *qms.Actor {
	a, _ := r.Context().Value(actorKey).(*qms.Actor)
	return a
}

// SessionOf returns the browser session, or nil for API tokens and anonymous visitors.
func SessionOf(r *http.Request) *store.Session {
	s, _ := r.Context().Value(sessionKey).(*store.Session)
	return s
}

// RequestID returns the request's id, also sent back in X-Request-Id.
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

// LangOf returns the language to answer in.
func LangOf(r *http.Request) string {
	if l, ok := r.Context().Value(langKey).(string); ok {
		return l
	}
	return "vi"
}

// WithActor returns r carrying actor and session (used by the auth middleware and tests).
func WithActor(r *http.Request, a *qms.Actor, s *store.Session) *http.Request {
	ctx := context.WithValue(r.Context(), actorKey, a)
	if s != nil {
		ctx = context.WithValue(ctx, sessionKey, s)
	}
	return r.WithContext(ctx)
}

// R builds a route table row.
func R(method, pattern string, a Access, h http.HandlerFunc) Route {
	return Route{Method: method, Pattern: pattern, Access: a, Handler: h}
}

// Upload builds a route table row that accepts bodies up to limit bytes.
func Upload(method, pattern string, a Access, limit int64, h http.HandlerFunc) Route {
	return Route{Method: method, Pattern: pattern, Access: a, Handler: h, MaxBody: limit}
}
