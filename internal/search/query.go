package search

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Full-text search works on terms: the folded text cut at every character that is not an ASCII
// letter or digit, so "QT-01" is the terms qt 01, "19/2014/QĐ-UBND" is 19 2014 qd ubnd and
// "Quy trình" is quy trinh. Both databases index the same term text and receive the same
// query, so SQLite FTS5 and PostgreSQL full-text find the same things.
const (
	// MaxTermLen drops longer runs (encoded blobs, not words).
	MaxTermLen = 64
	// MaxIndexTerms is how many terms of a text are indexed (about 40 pages): PostgreSQL
	// keeps word positions only up to 16,383, and phrases must match alike on both databases.
	MaxIndexTerms = 16000
	// MaxQueryGroups bounds a query's words.
	MaxQueryGroups = 12
)

func termRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
}

// Each rune of the Basic Multilingual Plane folds to an ASCII term character, is a mark
// (dropped, so "a" + U+0301 stays one term) or separates terms.
const (
	separator = 0
	mark      = 1
)

var (
	foldOnce  sync.Once
	foldTable []byte
)

func foldClass(r rune) byte {
	if unicode.Is(unicode.Mn, r) {
		return mark
	}
	if f := Fold(string(r)); len(f) == 1 && termRune(rune(f[0])) {
		return f[0]
	}
	return separator
}

func runeClass(r rune) byte {
	if r >= 0x10000 {
		return foldClass(r)
	}
	foldOnce.Do(func() {
		foldTable = make([]byte, 0x10000)
		for c := rune(0); c < 0x10000; c++ {
			if c < 0xD800 || c > 0xDFFF {
				foldTable[c] = foldClass(c)
			}
		}
	})
	return foldTable[r]
}

// eachTerm calls fn with the byte range in text and the folded form of each of the first limit
// terms of text; fn's term is only valid during the call. It gives the same terms as cutting
// Fold(text) at every character that is not an ASCII letter or digit.
func eachTerm(text string, limit int, fn func(start, end int, term []byte)) {
	var buf []byte
	start, end, n := -1, 0, 0
	flush := func() {
		if start >= 0 && len(buf) <= MaxTermLen {
			fn(start, end, buf)
			n++
		}
		start, buf = -1, buf[:0]
	}
	for i, r := range text {
		switch c := runeClass(r); {
		case c == mark:
			if start >= 0 {
				end = i + utf8.RuneLen(r)
			}
		case c == separator || r == utf8.RuneError:
			if flush(); n >= limit {
				return
			}
		default:
			if start < 0 {
				start = i
			}
			buf = append(buf, c)
			end = i + utf8.RuneLen(r)
		}
	}
	flush()
}

// Terms returns the first limit terms of a text.
func termsOf(text string, limit int) []string {
	var out []string
	eachTerm(text, limit, func(_, _ int, t []byte) { out = append(out, string(t)) })
	return out
}

// IndexTerms returns the term text stored for a text: its first MaxIndexTerms terms, separated
// by single spaces.
func IndexTerms(text string) string {
	return strings.Join(termsOf(text, MaxIndexTerms), " ")
}

// Query is a parsed search query: each group comes from one word the user typed and must
// appear as a phrase ("19/2014" is the phrase 19 2014); every group must match. The last
// term of the last group also matches as a prefix, for searching as one types.
type Query struct {
	Groups [][]string
}

// ParseQuery parses what the user typed. A query with no terms is empty.
func ParseQuery(s string) Query {
	var q Query
	for _, w := range strings.Fields(s) {
		if g := termsOf(w, MaxIndexTerms); len(g) > 0 {
			q.Groups = append(q.Groups, g)
		}
		if len(q.Groups) == MaxQueryGroups {
			break
		}
	}
	return q
}

// Empty reports whether the query has no terms.
func (q Query) Empty() bool { return len(q.Groups) == 0 }

// String is the query's terms as one normalised text.
func (q Query) String() string {
	var parts []string
	for _, g := range q.Groups {
		parts = append(parts, strings.Join(g, " "))
	}
	return strings.Join(parts, " ")
}

// prefix reports whether the last term should also match longer terms: it is the last one
// typed and has at least two characters.
func (q Query) prefix() bool {
	if q.Empty() {
		return false
	}
	g := q.Groups[len(q.Groups)-1]
	return len(g[len(g)-1]) >= 2
}

// FTS5 renders the query in SQLite FTS5's syntax.
func (q Query) FTS5() string {
	var b strings.Builder
	for i, g := range q.Groups {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteByte('"')
		b.WriteString(strings.Join(g, " "))
		b.WriteByte('"')
	}
	if q.prefix() {
		b.WriteString(" *")
	}
	return b.String()
}

// TSQuery renders the query for PostgreSQL's to_tsquery('simple', …).
func (q Query) TSQuery() string {
	var b strings.Builder
	for i, g := range q.Groups {
		if i > 0 {
			b.WriteString(" & ")
		}
		b.WriteString(strings.Join(g, " <-> "))
	}
	if q.prefix() {
		b.WriteString(":*")
	}
	return b.String()
}

// maxHits bounds the matches a passage is chosen among.
const maxHits = 200

// Span is a piece of a passage; Hit marks a word that matched the query.
type Span struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// Passage returns about width words of text around the place where most of the query's groups
// match, with the matching words marked; without a match it returns the text's beginning.
// Text outside the passage is marked by "…".
func Passage(text string, q Query, width int) []Span {
	type word struct{ start, end int }
	var ws []word
	var terms []string
	eachTerm(text, MaxIndexTerms, func(start, end int, t []byte) {
		ws = append(ws, word{start, end})
		terms = append(terms, string(t))
	})
	if len(ws) == 0 || width <= 0 {
		return nil
	}
	hit := make([]bool, len(ws))
	joined := make([]bool, len(ws)) // a term continues the phrase the one before it started
	var hits []struct{ word, group int }
	last := len(q.Groups) - 1
	for gi, g := range q.Groups {
		for p := 0; p+len(g) <= len(terms); p++ {
			ok := true
			for k, t := range g {
				x := terms[p+k]
				if x != t && !(gi == last && k == len(g)-1 && q.prefix() && strings.HasPrefix(x, t)) {
					ok = false
					break
				}
			}
			if ok && len(hits) < maxHits {
				for k := range g {
					hit[p+k] = true
					joined[p+k] = joined[p+k] || k > 0
				}
				hits = append(hits, struct{ word, group int }{p, gi})
			}
		}
	}
	// The window starting at a hit that covers the most distinct groups, then the most hits.
	from := 0
	if len(hits) > 0 {
		best, bestHits := -1, -1
		for _, h := range hits {
			start := max(0, h.word-width/4)
			seen := map[int]bool{}
			n := 0
			for _, o := range hits {
				if o.word >= start && o.word < start+width {
					seen[o.group] = true
					n++
				}
			}
			if len(seen) > best || len(seen) == best && n > bestHits {
				best, bestHits, from = len(seen), n, start
			}
		}
	}
	from = max(0, min(from, len(ws)-width)) // a window near the end starts early enough to be full
	to := min(len(ws), from+width)
	var out []Span
	if from > 0 {
		out = append(out, Span{Text: "… "})
	}
	add := func(s string, h bool) {
		if n := len(out); n > 0 && out[n-1].Hit == h {
			out[n-1].Text += s
			return
		}
		out = append(out, Span{Text: s, Hit: h})
	}
	for i := from; i < to; i++ {
		if i > from {
			// The text between two words is marked inside a phrase, and between two matching
			// words when it is only space: "[cấp giấy phép]", not "[cấp] [giấy] [phép]".
			gap := collapseSpace(text[ws[i-1].end:ws[i].start])
			add(gap, joined[i] || hit[i-1] && hit[i] && strings.TrimSpace(gap) == "")
		}
		add(text[ws[i].start:ws[i].end], hit[i])
	}
	if to < len(ws) {
		add(" …", false)
	} else {
		add(strings.TrimRight(collapseSpace(text[ws[to-1].end:]), " "), false)
	}
	return out
}

// collapseSpace replaces each run of white space with one space.
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}
