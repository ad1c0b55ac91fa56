// Package api is the JSON API under /api/v1 (CONTRACTS.md): resource-oriented, cursor
// pagination, application/problem+json errors with a stable code.
package api

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
)

// Problem is an RFC 9457 problem document with isogov's stable code.
type Problem struct {
	Type      string           `json:"type"`
	Title     string           `json:"title"`
	Status    int              `json:"status"`
	Detail    string           `json:"detail,omitempty"`
	Code      string           `json:"code"`
	Errors    []qms.FieldError `json:"errors,omitempty"`
	RequestID string           `json:"request_id,omitempty"`
}

// statusOf maps a domain error code to its HTTP status: the one place that does.
func statusOf(code string) int {
	switch code {
	case qms.EInvalid:
		return http.StatusBadRequest
	case qms.EUnauthenticated:
		return http.StatusUnauthorized
	case qms.EForbidden:
		return http.StatusForbidden
	case qms.ENotFound:
		return http.StatusNotFound
	case qms.EConflict:
		return http.StatusConflict
	case qms.ERateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

type api struct {
	log *slog.Logger
}

// writeError answers with a problem document in the caller's language. Only internal errors
// are logged with their details; the caller sees the request id.
func (a *api) writeError(w http.ResponseWriter, r *http.Request, err error) {
	lang := httpkit.LangOf(r)
	code := qms.ErrorCode(err)
	p := Problem{Code: code, Status: statusOf(code), RequestID: httpkit.RequestID(r.Context())}
	p.Type = "https://isogov.vn/problems/" + code
	p.Title = i18n.T(lang, "problem."+code)
	var de *qms.Error
	if errors.As(err, &de) {
		p.Detail = i18n.T(lang, de.Key, de.Args...)
		for _, f := range de.Fields {
			p.Errors = append(p.Errors, qms.FieldError{Field: f.Field, Message: i18n.T(lang, f.Message, f.Args...)})
		}
	} else {
		a.log.ErrorContext(r.Context(), "internal error", "request_id", p.RequestID, "path", r.URL.Path, "err", err)
	}
	if code == qms.EUnauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="isogov"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func invalid(field, key string) error {
	var v qms.Validation
	v.Add(field, key)
	return v.Err()
}

// decode reads one JSON object into v: at most httpkit.MaxBody bytes, no unknown fields, no
// trailing data. Every failure is an EInvalid naming the field when it can.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return invalid("body", "err.content_type")
	}
	return decodeJSON(r.Body, v)
}

func decodeJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var maxErr *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &maxErr):
			return invalid("body", "err.body_too_large")
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return invalid(typeErr.Field, "err.wrong_type")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
			if name == "" {
				name = "body"
			}
			return invalid(name, "err.unknown_field")
		case errors.Is(err, io.EOF):
			return invalid("body", "err.body_empty")
		default:
			var de *qms.Error
			if errors.As(err, &de) {
				return err
			}
			return invalid("body", "err.json")
		}
	}
	if dec.More() {
		return invalid("body", "err.json")
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid("body", "err.json")
	}
	return nil
}

// Page is a list answer: items and, when there are more, the cursor of the next page.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// limitOf reads ?limit= (default 50, at most 500).
func limitOf(r *http.Request) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 500 {
		return 0, invalid("limit", "err.limit")
	}
	return n, nil
}

// Cursors are opaque to clients: base64 of the last key seen.
func encodeCursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

func decodeCursor(r *http.Request) (string, error) {
	s := r.URL.Query().Get("next")
	if s == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 200 {
		return "", invalid("next", "err.cursor")
	}
	return string(b), nil
}

func decodeIDCursor(r *http.Request) (int64, error) {
	s, err := decodeCursor(r)
	if err != nil || s == "" {
		return 0, err
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, invalid("next", "err.cursor")
	}
	return id, nil
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, qms.Errorf(qms.ENotFound, "err.not_found")
	}
	return id, nil
}

// pageOf answers a list computed whole (an agency's few risks, a year's objectives, …) a page
// at a time: ?limit= and the opaque cursor of the offset reached.
func pageOf[T any](r *http.Request, items []T) (Page[T], error) {
	limit, err := limitOf(r)
	if err != nil {
		return Page[T]{}, err
	}
	from := 0
	if s, err := decodeCursor(r); err != nil {
		return Page[T]{}, err
	} else if s != "" {
		if from, err = strconv.Atoi(s); err != nil || from < 0 || from > len(items) {
			return Page[T]{}, invalid("next", "err.cursor")
		}
	}
	p := Page[T]{Items: items[from:min(from+limit, len(items))]}
	if p.Items == nil {
		p.Items = []T{}
	}
	if from+limit < len(items) {
		p.Next = encodeCursor(strconv.Itoa(from + limit))
	}
	return p, nil
}
