package search

import (
	"sort"
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

// maxCompound is the longest run of a word's terms indexed as one compound term.
const maxCompound = 6

// compound is the term that stands for terms written together: 19/2014 → 192014.
func compound(terms []string) string { return strings.Join(terms, "") }

// IndexTerms returns the term text stored for a text: its first MaxIndexTerms terms, separated
// by single spaces. A word whose terms are joined by punctuation (a code, a legal number) adds
// a compound term for each run of up to maxCompound of them after its own terms: "QT-01" is
// qt 01 qt01, and "19/2014/QĐ" adds 192014, 2014qd and 192014qd. A query for 19/2014 or
// QT01 then looks up one term, which both databases answer from their index alone.
func IndexTerms(text string) string {
	var out, word []string
	flush := func() {
		out = append(out, word...)
		for i := 0; i < len(word); i++ {
			for j := i + 2; j <= min(len(word), i+maxCompound); j++ {
				if c := compound(word[i:j]); len(c) <= MaxTermLen {
					out = append(out, c)
				}
			}
		}
		word = word[:0]
	}
	prevEnd := -1
	eachTerm(text, MaxIndexTerms, func(start, end int, t []byte) {
		if prevEnd >= 0 && strings.IndexFunc(text[prevEnd:start], unicode.IsSpace) >= 0 {
			flush()
		}
		word = append(word, string(t))
		prevEnd = end
	})
	flush()
	return strings.Join(out, " ")
}

// Query is a parsed search query: each group comes from one word the user typed, and every
// group must match. A group of several terms ("19/2014", "QT-01") matches the compound term of
// the same terms written together (see IndexTerms). A word typed with a trailing * ("trinh*")
// also matches longer terms. (Vietnamese words are whole syllables, so matching every word as
// a prefix would find "giay" for "gia".)
type Query struct {
	Groups []Group
}

// Group is one typed word's terms, in order.
type Group struct {
	Terms  []string
	Prefix bool // the last term also matches longer terms
}

// Term is what the index is asked for: the group's compound term (its only term when alone).
// A group of more terms than a compound holds asks for its first maxCompound.
func (g Group) Term() string { return compound(g.Terms[:min(len(g.Terms), maxCompound)]) }

// ParseQuery parses what the user typed. A query with no terms is empty.
func ParseQuery(s string) Query {
	var q Query
	for _, w := range strings.Fields(s) {
		if g := termsOf(w, MaxIndexTerms); len(g) > 0 {
			gr := Group{Terms: g}
			// A prefix needs two characters, or it matches most of the index.
			gr.Prefix = strings.HasSuffix(w, "*") && len(gr.Term()) >= 2
			if len(gr.Term()) <= MaxTermLen {
				q.Groups = append(q.Groups, gr)
			}
		}
		if len(q.Groups) == MaxQueryGroups {
			break
		}
	}
	return q
}

// Empty reports whether the query has no terms.
func (q Query) Empty() bool { return len(q.Groups) == 0 }

// String is the query as normalised text, prefixes marked with *.
func (q Query) String() string {
	var parts []string
	for _, g := range q.Groups {
		s := strings.Join(g.Terms, " ")
		if g.Prefix {
			s += "*"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// FTS5 renders the query in SQLite FTS5's syntax.
func (q Query) FTS5() string {
	var parts []string
	for _, g := range q.Groups {
		s := `"` + g.Term() + `"`
		if g.Prefix {
			s += " *"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " AND ")
}

// TSQuery renders the query for PostgreSQL's to_tsquery('simple', …).
func (q Query) TSQuery() string {
	var parts []string
	for _, g := range q.Groups {
		s := g.Term()
		if g.Prefix {
			s += ":*"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " & ")
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
	for gi, g := range q.Groups {
		for p := 0; p+len(g.Terms) <= len(terms); p++ {
			if len(hits) < maxHits && phraseAt(terms, p, g) {
				for k := range g.Terms {
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

// Candidate is an entry to rank: its id, its title's terms and the beginning of its text's
// terms (as IndexTerms wrote them).
type Candidate struct {
	ID          int64
	Title, Body string
}

// Ranking: BM25's saturation (k1) and length normalisation (b), applied to the title and to
// the text separately; a title's score counts three times, so that a document whose title says
// it comes before one that mentions it in passing.
const (
	titleWeight = 3
	bm25K1      = 1.2
	bm25B       = 0.75
)

// Rank orders candidates by how well they match the query, best first; ties keep the given
// order. Every candidate matched every group (the index said so), so each group weighs the
// same. The same ranking runs whatever the database.
func Rank(q Query, cands []Candidate) []int64 {
	type field struct {
		tf   [][]float64
		lens []float64
		avg  float64
	}
	measure := func(text func(Candidate) string) field {
		f := field{tf: make([][]float64, len(cands)), lens: make([]float64, len(cands))}
		total := 0.0
		for i, c := range cands {
			f.tf[i] = make([]float64, len(q.Groups))
			for gi, g := range q.Groups {
				f.tf[i][gi] = float64(countTerm(text(c), g.Term(), g.Prefix))
			}
			f.lens[i] = float64(countTerms(text(c)))
			total += f.lens[i]
		}
		f.avg = max(total/float64(max(len(cands), 1)), 1)
		return f
	}
	score := func(f field, i int) float64 {
		s := 0.0
		for _, tf := range f.tf[i] {
			s += tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*f.lens[i]/f.avg))
		}
		return s
	}
	title, body := measure(func(c Candidate) string { return c.Title }), measure(func(c Candidate) string { return c.Body })
	type scored struct {
		id    int64
		score float64
	}
	out := make([]scored, len(cands))
	for i, c := range cands {
		out[i] = scored{c.ID, titleWeight*score(title, i) + score(body, i)}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].score > out[b].score })
	ids := make([]int64, len(out))
	for i, s := range out {
		ids[i] = s.id
	}
	return ids
}

// countTerms counts the terms of a term text (terms separated by single spaces).
func countTerms(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, " ") + 1
}

// countTerm counts a term's occurrences in a term text, whole (or as a prefix).
func countTerm(text, term string, prefix bool) int {
	n := 0
	for i := 0; i+len(term) <= len(text); {
		j := strings.Index(text[i:], term)
		if j < 0 {
			break
		}
		start, end := i+j, i+j+len(term)
		if (start == 0 || text[start-1] == ' ') && (end == len(text) || text[end] == ' ' || prefix) {
			n++
		}
		i = end
	}
	return n
}

// phraseAt reports whether the group's terms follow one another in terms from position p.
func phraseAt(terms []string, p int, g Group) bool {
	for k, t := range g.Terms {
		if x := terms[p+k]; x != t && !(g.Prefix && k == len(g.Terms)-1 && strings.HasPrefix(x, t)) {
			return false
		}
	}
	return true
}
