package httpkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// Cookie names.
const (
	SessionCookie = "isogov_session"
	LangCookie    = "isogov_lang"
)

// MaxBody is the largest request body a route accepts unless it says otherwise (CONTRACTS:
// JSON up to 1 MiB).
const MaxBody = 1 << 20

// Stack is the middleware every request passes through, outermost first.
type Stack struct {
	Svc           *service.Service
	Log           *slog.Logger
	Metrics       *Metrics
	TrustProxy    bool // take the client address from X-Forwarded-For (behind nginx)
	SecureCookies bool // mark cookies Secure (the server is reached over TLS)
}

// Wrap returns h with recovery, request ids, logging, metrics, security headers, body limits,
// authentication and CSRF protection around it.
func (s *Stack) Wrap(h http.Handler) http.Handler {
	h = recordRoute(h)
	cop := http.NewCrossOriginProtection()
	h = cop.Handler(h)
	h = s.authenticate(h)
	return s.observe(h)
}

type routeKey struct{}

// recordRoute passes the pattern the mux matched back to observe, which sees an earlier copy
// of the request (middleware in between derive new requests with new contexts).
func recordRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			*p = r.Pattern
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// observe gives each request an id, recovers panics into a plain 500 (details only in the
// log), limits the body, sets security headers, and logs and measures the request.
func (s *Stack) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if len(id) == 0 || len(id) > 64 || strings.ContainsAny(id, " \r\n\t\"") {
			id = newRequestID()
		}
		route := "unmatched"
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		r = r.WithContext(context.WithValue(ctx, routeKey{}, &route))
		sw := &statusWriter{ResponseWriter: w}
		hdr := sw.Header()
		hdr.Set("X-Request-Id", id)
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("Referrer-Policy", "same-origin")
		hdr.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.ErrorContext(r.Context(), "panic", "request_id", id, "panic", v, "path", r.URL.Path)
				if sw.status == 0 {
					http.Error(sw, "500 Internal Server Error (request "+id+")", http.StatusInternalServerError)
				}
			}
			d := time.Since(start)
			if s.Metrics != nil {
				s.Metrics.observe(route, r.Method, sw.status, d)
			}
			level := slog.LevelInfo
			if sw.status >= 500 {
				level = slog.LevelError
			}
			s.Log.LogAttrs(r.Context(), level, "request", slog.String("request_id", id), slog.String("method", r.Method),
				slog.String("route", route), slog.String("path", r.URL.Path), slog.Int("status", sw.status),
				slog.Int("bytes", sw.bytes), slog.Duration("duration", d), slog.String("ip", s.ClientIP(r)))
		}()
		next.ServeHTTP(sw, r)
	})
}

// ClientIP returns the caller's address: the last hop's, or the first X-Forwarded-For entry
// when the server sits behind a trusted reverse proxy.
func (s *Stack) ClientIP(r *http.Request) string {
	if s.TrustProxy {
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
			first, _, _ := strings.Cut(fwd, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type authErrKey struct{}

// AuthError returns why presented credentials were refused (an expired session, a revoked
// token), or nil.
func AuthError(r *http.Request) error {
	err, _ := r.Context().Value(authErrKey{}).(error)
	return err
}

// authenticate resolves a bearer token or session cookie into the actor, and picks the
// language: the user's, else the visitor's choice (cookie), else Vietnamese (API callers: their
// Accept-Language).
func (s *Stack) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var actor *qms.Actor
		if auth := r.Header.Get("Authorization"); auth != "" {
			token, ok := strings.CutPrefix(auth, "Bearer ")
			var err error
			if !ok {
				err = qms.Errorf(qms.EUnauthenticated, "err.token_invalid")
			} else if actor, err = s.Svc.TokenActor(ctx, strings.TrimSpace(token)); err != nil {
				if qms.ErrorCode(err) != qms.EUnauthenticated {
					s.Log.ErrorContext(ctx, "token lookup", "request_id", RequestID(ctx), "err", err)
				}
				actor = nil
			}
			if err != nil {
				ctx = context.WithValue(ctx, authErrKey{}, err)
			}
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			a, sess, err := s.Svc.SessionActor(ctx, c.Value)
			if err != nil {
				if qms.ErrorCode(err) != qms.EUnauthenticated {
					s.Log.ErrorContext(ctx, "session lookup", "request_id", RequestID(ctx), "err", err)
				}
				s.ClearSession(w, r)
				ctx = context.WithValue(ctx, authErrKey{}, err)
			} else {
				actor = a
				ctx = context.WithValue(ctx, sessionKey, &sess)
			}
		}
		ctx = context.WithValue(ctx, actorKey, actor)
		lang := ""
		if actor != nil {
			lang = actor.Lang
		} else if c, err := r.Cookie(LangCookie); err == nil {
			lang = c.Value
		} else if strings.HasPrefix(r.URL.Path, "/api/") {
			// Machine clients say their language in the header; people choose it in the UI,
			// which speaks Vietnamese until they do.
			lang = i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
		}
		ctx = context.WithValue(ctx, langKey, i18n.Lang(lang))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Cookie returns a cookie with the house flags: HttpOnly, SameSite=Lax, and Secure when the
// server is configured for HTTPS or the request came over TLS.
func (s *Stack) Cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode}
}

// SetSession sets the session cookie (a browser-session cookie; the server enforces the
// idle and absolute timeouts).
func (s *Stack) SetSession(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, s.Cookie(r, SessionCookie, secret, 0))
}

// ClearSession removes the session cookie.
func (s *Stack) ClearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, s.Cookie(r, SessionCookie, "", -1))
}

// SetLang remembers a visitor's language for a year.
func (s *Stack) SetLang(w http.ResponseWriter, r *http.Request, lang string) {
	http.SetCookie(w, s.Cookie(r, LangCookie, i18n.Lang(lang), 365*24*3600))
}
