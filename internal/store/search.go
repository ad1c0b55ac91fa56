package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
)

// kindRevision is the search entries' kind for document revisions.
const kindRevision = "revision"

// SearchCountLimit is how far matches are counted and ranked: a query matching more is
// answered with the best of the SearchCountLimit newest matching entries, and its count reads
// "more than". Ranking every one of 100,000 matches would cost a database read each.
const SearchCountLimit = 1000

// indexRevisions writes the search entries of the revisions matching cond (a condition on r
// and d), in the caller's transaction, so the index never lags behind the documents.
func (q Q) indexRevisions(ctx context.Context, cond string, args ...any) error {
	type entry struct {
		id, agency, doc          int64
		typ, state, clauses      string
		title, body              string
		code, ext, issuer, notes string
	}
	rows, err := q.query(ctx, `SELECT r.id, r.agency_id, r.document_id, d.type_code, r.state, d.clauses, d.code, r.title, d.ext_number, d.ext_issuer, r.change_note, r.body_text
		FROM revisions r JOIN documents d ON d.id = r.document_id WHERE `+cond, args...)
	list, err := scanAll(rows, err, func(r *sql.Rows) (entry, error) {
		var e entry
		return e, r.Scan(&e.id, &e.agency, &e.doc, &e.typ, &e.state, &e.clauses, &e.code, &e.title, &e.ext, &e.issuer, &e.notes, &e.body)
	})
	if err != nil || len(list) == 0 {
		return err
	}
	// Attachments are searched with their revision.
	ids := make([]int64, len(list))
	for i, e := range list {
		ids[i] = e.id
	}
	in, idArgs := inList(ids)
	rows, err = q.query(ctx, "SELECT revision_id, body_text FROM revision_attachments WHERE revision_id IN "+in+" AND body_text <> '' ORDER BY id", idArgs...)
	type text struct {
		rev  int64
		body string
	}
	texts, err := scanAll(rows, err, func(r *sql.Rows) (text, error) {
		var t text
		return t, r.Scan(&t.rev, &t.body)
	})
	if err != nil {
		return err
	}
	extra := map[int64]string{}
	for _, t := range texts {
		extra[t.rev] += "\n" + t.body
	}
	// A process's structured content is its text.
	rows, err = q.query(ctx, "SELECT revision_id, content FROM process_contents WHERE revision_id IN "+in, idArgs...)
	processes, err := scanAll(rows, err, func(r *sql.Rows) (text, error) {
		var t text
		return t, r.Scan(&t.rev, &t.body)
	})
	if err != nil {
		return err
	}
	for _, t := range processes {
		var c qms.ProcessContent
		if json.Unmarshal([]byte(t.body), &c) == nil {
			extra[t.rev] += "\n" + c.Text()
		}
	}
	for _, e := range list {
		e.body += extra[e.id]
		clauses := ""
		if e.clauses != "" {
			clauses = " " + strings.ReplaceAll(e.clauses, ",", " ") + " "
		}
		body := search.IndexTerms(e.notes + "\n" + e.body)
		_, err := q.exec(ctx, `INSERT INTO search_entries (kind, ref_id, agency_id, document_id, type_code, state, clauses, title_terms, body_terms, lead_terms, tags)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, ref_id) DO UPDATE SET agency_id = excluded.agency_id, document_id = excluded.document_id,
			type_code = excluded.type_code, state = excluded.state, clauses = excluded.clauses, title_terms = excluded.title_terms, body_terms = excluded.body_terms,
			lead_terms = excluded.lead_terms, tags = excluded.tags`,
			kindRevision, e.id, e.agency, e.doc, e.typ, e.state, clauses,
			search.IndexTerms(e.code+" "+e.title+" "+e.ext+" "+e.issuer), body, leadTerms(body),
			strings.Join(tagsOf(kindRevision, e.agency, e.typ, e.state, strings.Fields(clauses)), " "))
		if err != nil {
			return err
		}
	}
	return nil
}

// ClearSearchIndex removes every search entry; IndexMissing then rebuilds them (isogov reindex,
// after a change in how text is folded).
func (db *DB) ClearSearchIndex(ctx context.Context) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DELETE FROM search_entries")
		return err
	})
}

// IndexMissing writes the search entries of revisions that have none (a database from before
// search existed) and returns how many it wrote; progress, if not nil, hears of each batch.
func (db *DB) IndexMissing(ctx context.Context, progress func(done, total int)) (int, error) {
	ids, err := db.ids(ctx, "SELECT r.id FROM revisions r WHERE NOT EXISTS (SELECT 1 FROM search_entries e WHERE e.kind = ? AND e.ref_id = r.id) ORDER BY r.id", kindRevision)
	if err != nil {
		return 0, err
	}
	total := len(ids)
	for len(ids) > 0 {
		n := min(len(ids), 500)
		in, args := inList(ids[:n])
		if err := db.InTx(ctx, func(tx *Tx) error { return tx.indexRevisions(ctx, "r.id IN "+in, args...) }); err != nil {
			return 0, err
		}
		ids = ids[n:]
		if progress != nil {
			progress(total-len(ids), total)
		}
	}
	return total, nil
}

// inList returns "(?, ?, …)" for ids and the ids as arguments.
func inList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

// leadLen is how much of an entry's text terms ranking reads (leadTerms): the beginning of a
// text says what it is about, and reading up to 1,000 whole texts would cost more than the
// search itself.
const leadLen = 1024

// leadTerms is the beginning of a term text, cut at a term's end.
func leadTerms(terms string) string {
	if len(terms) <= leadLen {
		return terms
	}
	if i := strings.LastIndexByte(terms[:leadLen+1], ' '); i > 0 {
		return terms[:i]
	}
	return ""
}

// Tag terms: the filters as index terms, so that each database filters inside its full-text
// index. They begin with "xq" and codes are hex-encoded: any code gives one term of letters
// and digits, and nobody types such a word (SQLite keeps them in their own column besides).
func tagKind(k string) string   { return "xqk" + hex.EncodeToString([]byte(k)) }
func tagAgency(id int64) string { return "xqa" + strconv.FormatInt(id, 10) }
func tagType(t string) string   { return "xqt" + hex.EncodeToString([]byte(t)) }
func tagState(s string) string  { return "xqs" + hex.EncodeToString([]byte(s)) }

// tagClause is the term of a clause number: 7.5.3 → xqc7x5x3.
func tagClause(no string) string { return "xqc" + strings.ReplaceAll(no, ".", "x") }

// filterTags returns the tag terms a search requires: each inner list is alternatives (the
// agencies a user may read), every list must match.
func filterTags(p SearchParams) [][]string {
	var out [][]string
	if p.AgencyIDs != nil {
		var alts []string
		for _, id := range p.AgencyIDs {
			alts = append(alts, tagAgency(id))
		}
		out = append(out, alts)
	}
	if p.Type != "" {
		out = append(out, []string{tagType(p.Type)})
	}
	if p.State != "" {
		out = append(out, []string{tagState(string(p.State))})
	}
	if p.Clause != "" {
		out = append(out, []string{tagClause(p.Clause)})
	}
	return out
}

// tagsOf returns an entry's tag terms; a clause is tagged with its parents too, so that 7.5
// finds documents citing 7.5.3.
func tagsOf(kind string, agency int64, typ, state string, clauses []string) []string {
	tags := []string{tagKind(kind), tagAgency(agency), tagType(typ), tagState(state)}
	seen := map[string]bool{}
	for _, c := range clauses {
		parts := strings.Split(c, ".")
		for i := range parts {
			t := tagClause(strings.Join(parts[:i+1], "."))
			if !seen[t] {
				seen[t] = true
				tags = append(tags, t)
			}
		}
	}
	return tags
}

// SearchParams is a search: the parsed query, the agencies whose entries may be seen (nil:
// every agency) and optional filters.
type SearchParams struct {
	Query     search.Query
	AgencyIDs []int64
	Type      string
	State     qms.RevState
	Clause    string
	Limit     int
	Offset    int
}

// SearchHit is one revision found, best first, with what a result line shows.
type SearchHit struct {
	Revision   qms.Revision
	AgencyCode string
	AgencyName string
	DocCode    string
	TypeCode   string
}

// Search finds revisions whose terms match the query and returns a page of them, best first,
// with the number of matches up to SearchCountLimit + 1. The database finds the newest
// SearchCountLimit + 1 matches through its full-text index, without ranking (bm25 and ts_rank
// would read every match of a common word); search.Rank orders them, the same way on both.
func (db *DB) Search(ctx context.Context, p SearchParams) ([]SearchHit, int, error) {
	if p.Query.Empty() || p.AgencyIDs != nil && len(p.AgencyIDs) == 0 {
		return nil, 0, nil
	}
	var newest []int64
	var err error
	if db.dialect == SQLite {
		newest, err = db.sqliteMatches(ctx, p)
	} else {
		newest, err = db.postgresMatches(ctx, p)
	}
	if err != nil || len(newest) == 0 {
		return nil, 0, err
	}
	total := len(newest)
	newest = newest[:min(len(newest), SearchCountLimit)]
	// Ranking reads each candidate's title and the beginning of its text.
	var cands []search.Candidate
	for chunk := range slices.Chunk(newest, 500) {
		in, args := inList(chunk)
		rows, err := db.query(ctx, "SELECT id, title_terms, lead_terms FROM search_entries WHERE id IN "+in, args...)
		got, err := scanAll(rows, err, func(r *sql.Rows) (search.Candidate, error) {
			var c search.Candidate
			return c, r.Scan(&c.ID, &c.Title, &c.Body)
		})
		if err != nil {
			return nil, 0, err
		}
		cands = append(cands, got...)
	}
	// Newest first among equals: the order the database gave.
	order := map[int64]int{}
	for i, id := range newest {
		order[id] = i
	}
	slices.SortFunc(cands, func(a, b search.Candidate) int { return order[a.ID] - order[b.ID] })
	ranked := search.Rank(p.Query, cands)
	if p.Offset >= len(ranked) {
		return nil, total, nil
	}
	ids := ranked[p.Offset:min(len(ranked), p.Offset+p.Limit)]
	in, idArgs := inList(ids)
	rows, err := db.query(ctx, "SELECT e.id, "+revisionColumns+`, r.body_text, a.code, a.name, d.code, d.type_code FROM search_entries e
		JOIN revisions r ON r.id = e.ref_id JOIN documents d ON d.id = r.document_id JOIN agencies a ON a.id = r.agency_id WHERE e.id IN `+in, idArgs...)
	type found struct {
		entry int64
		hit   SearchHit
	}
	hits, err := scanAll(rows, err, func(r *sql.Rows) (found, error) {
		var f found
		var text string
		v, err := scanRevision(prefixed{r, &f.entry}, &text, &f.hit.AgencyCode, &f.hit.AgencyName, &f.hit.DocCode, &f.hit.TypeCode)
		f.hit.Revision, f.hit.Revision.Text = v, text
		return f, err
	})
	if err != nil {
		return nil, 0, err
	}
	pos := map[int64]int{}
	for i, id := range ids {
		pos[id] = i
	}
	out := make([]SearchHit, len(ids))
	for _, f := range hits {
		out[pos[f.entry]] = f.hit
	}
	return out, total, nil
}

// sqliteMatches asks FTS5 for the newest matches; the filters are tag terms ANDed to the query,
// so FTS5 applies them inside its index.
func (db *DB) sqliteMatches(ctx context.Context, p SearchParams) ([]int64, error) {
	// Every entry is a revision today: the kind's tag joins the match when a second kind comes
	// (a tag in every entry costs a walk over the whole index in each search).
	match := "{title_terms body_terms} : (" + p.Query.FTS5() + ")"
	for _, alts := range filterTags(p) {
		match += " AND tags : (" + strings.Join(alts, " OR ") + ")"
	}
	return db.ids(ctx, "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?", match, SearchCountLimit+1)
}

// postgresMatches asks PostgreSQL for the newest matches. A word in most entries is found
// fastest by reading the newest entries until enough match; anything rarer through the GIN
// index. The planner cannot tell them apart (it misjudges phrases like 19 <-> 2014), so the
// first is tried on the newest entries and the second is then asked for explicitly.
func (db *DB) postgresMatches(ctx context.Context, p SearchParams) ([]int64, error) {
	// Filters are tag terms in the tsvector: GIN intersects them with the query's terms.
	tsq := p.Query.TSQuery()
	for _, alts := range filterTags(p) {
		tsq += " & (" + strings.Join(alts, " | ") + ")"
	}
	cond, args := "f.tsv @@ to_tsquery('simple', ?) AND f.kind = ?", []any{tsq, kindRevision}
	args = append(args, SearchCountLimit+1)
	// How many of the newest entries match tells how far back 1,001 matches lie: the GIN
	// search is then limited to those ids, so that the heap is read for them, not for every
	// match in the province.
	var floor int64
	if p.AgencyIDs == nil {
		ids, err := db.ids(ctx, `SELECT f.id FROM (SELECT id, kind, tsv FROM search_entries ORDER BY id DESC LIMIT ?) f
			WHERE `+cond+" ORDER BY f.id DESC LIMIT ?", append([]any{pgRecent}, args...)...)
		if err != nil || len(ids) > SearchCountLimit {
			return ids, err
		}
		var newest int64
		if err := db.row(ctx, "SELECT COALESCE(max(id), 0) FROM search_entries").Scan(&newest); err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			floor = newest - 2*pgRecent*(SearchCountLimit+1)/int64(len(ids)) // twice the estimate
		}
	}
	tx, err := db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off"); err != nil {
		return nil, err
	}
	q := Q{d: db.dialect, c: tx}
	if floor > 0 {
		ids, err := q.ids(ctx, "SELECT f.id FROM search_entries f WHERE "+cond+" AND f.id > ? ORDER BY f.id DESC LIMIT ?",
			append(args[:len(args)-1:len(args)-1], floor, SearchCountLimit+1)...)
		if err != nil || len(ids) > SearchCountLimit {
			return ids, err
		}
	}
	return q.ids(ctx, "SELECT f.id FROM search_entries f WHERE "+cond+" ORDER BY f.id DESC LIMIT ?", args...)
}

// pgRecent is how many of the newest entries PostgreSQL reads first.
const pgRecent = 2000

// ids runs a query of one id column.
func (q Q) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := q.query(ctx, query, args...)
	return scanAll(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// prefixed scans one leading column into dest before handing the rest to a scanner that
// expects only its own columns.
type prefixed struct {
	r    interface{ Scan(...any) error }
	dest any
}

func (p prefixed) Scan(dest ...any) error { return p.r.Scan(append([]any{p.dest}, dest...)...) }

// Analyze refreshes the planner's statistics, as after a bulk load or a reindex (PostgreSQL's
// autovacuum does it by itself in time; the search's plans depend on them).
func (db *DB) Analyze(ctx context.Context) error {
	_, err := db.writer.ExecContext(ctx, "ANALYZE")
	return err
}
