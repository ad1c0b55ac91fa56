// Package qms holds the domain of isogov: agencies, users and roles, permissions,
// the journal, and the error codes every layer speaks. It imports no SQL and no HTTP.
package qms

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Error codes, stable across the API (CONTRACTS.md: problem+json `code`).
const (
	EInvalid         = "invalid"
	EUnauthenticated = "unauthenticated"
	EForbidden       = "forbidden"
	ENotFound        = "not_found"
	EConflict        = "conflict"
	ERateLimited     = "rate_limited"
	EInternal        = "internal"
)

// FieldError names one invalid field. Message is a translation key (see internal/i18n)
// so the edge can say it in the caller's language.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Args    []any  `json:"-"` // arguments of the message
}

// Error is a domain error: a code, a message key with its arguments, and field errors for EInvalid.
type Error struct {
	Code   string
	Key    string // translation key
	Args   []any
	Fields []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Key, e.Fields)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Key)
}

// Errorf builds a domain error with a message key.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// ErrorCode returns the code of a domain error, or EInternal for anything else.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// Validation gathers field errors; Err returns nil when there are none.
type Validation struct{ fields []FieldError }

// Add records that field is invalid with the message key.
func (v *Validation) Add(field, key string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: key, Args: args})
}

// Has reports whether field already has an error.
func (v *Validation) Has(field string) bool {
	for _, f := range v.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns the gathered errors as one EInvalid error, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Key: "err.invalid", Fields: v.fields}
}

// SplitList cuts a list typed in one field (codes, clauses, e-mails) at commas, semicolons and
// white space.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
}

// SplitLines cuts a text typed one item per line (dossier components, legal bases) into its
// non-empty lines, trimmed.
func SplitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
