// Package search folds Vietnamese text so that a query typed without diacritics finds text
// written with them. Indexing and querying must use the same Fold.
package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold replaces invalid UTF-8, decomposes s (NFD), drops combining marks, maps đ/Đ to d (they are letters, not marks,
// so NFD leaves them), lower-cases, and collapses runs of white space to one space.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	// Invalid UTF-8 becomes U+FFFD first, so that normalisation sees whole characters.
	for _, r := range norm.NFD.String(strings.ToValidUTF8(s, "\uFFFD")) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Terms splits a folded query into words, for matching every word anywhere in a text.
func Terms(query string) []string { return strings.Fields(Fold(query)) }

// EscapeLike escapes %, _ and \ for a SQL LIKE pattern using '\' as the escape character.
func EscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
