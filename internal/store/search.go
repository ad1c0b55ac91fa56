package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
)

// kindRevision is the search entries' kind for document revisions.
const kindRevision = "revision"

// SearchCountLimit is how far matches are counted; beyond it the count reads "more than".
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
	if err != nil {
		return err
	}
	for _, e := range list {
		clauses := ""
		if e.clauses != "" {
			clauses = " " + strings.ReplaceAll(e.clauses, ",", " ") + " "
		}
		_, err := q.exec(ctx, `INSERT INTO search_entries (kind, ref_id, agency_id, document_id, type_code, state, clauses, title_terms, body_terms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, ref_id) DO UPDATE SET agency_id = excluded.agency_id, document_id = excluded.document_id,
			type_code = excluded.type_code, state = excluded.state, clauses = excluded.clauses, title_terms = excluded.title_terms, body_terms = excluded.body_terms`,
			kindRevision, e.id, e.agency, e.doc, e.typ, e.state, clauses,
			search.IndexTerms(e.code+" "+e.title+" "+e.ext+" "+e.issuer), search.IndexTerms(e.notes+"\n"+e.body))
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
	rows, err := db.query(ctx, "SELECT r.id FROM revisions r WHERE NOT EXISTS (SELECT 1 FROM search_entries e WHERE e.kind = ? AND e.ref_id = r.id) ORDER BY r.id", kindRevision)
	ids, err := scanAll(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
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

// Search finds revisions whose terms match the query, ranked (titles weigh four times the
// body), and counts the matches up to SearchCountLimit + 1.
func (q Q) Search(ctx context.Context, p SearchParams) ([]SearchHit, int, error) {
	if p.Query.Empty() {
		return nil, 0, nil
	}
	from, match, rank := "search_fts JOIN search_entries e ON e.id = search_fts.rowid", "search_fts MATCH ?", "bm25(search_fts, 4.0, 1.0)"
	args := []any{p.Query.FTS5()}
	if q.d == Postgres {
		from, match, rank = "search_entries e", "e.tsv @@ to_tsquery('simple', ?)", "-ts_rank('{0.1, 0.1, 0.25, 1.0}', e.tsv, to_tsquery('simple', ?), 1)"
		args = []any{p.Query.TSQuery()}
	}
	where := " WHERE " + match + " AND e.kind = ?"
	args = append(args, kindRevision)
	if p.AgencyIDs != nil {
		if len(p.AgencyIDs) == 0 {
			return nil, 0, nil
		}
		in, ids := inList(p.AgencyIDs)
		where += " AND e.agency_id IN " + in
		args = append(args, ids...)
	}
	if p.Type != "" {
		where += " AND e.type_code = ?"
		args = append(args, p.Type)
	}
	if p.State != "" {
		where += " AND e.state = ?"
		args = append(args, string(p.State))
	}
	if p.Clause != "" {
		// A clause matches itself and its sub-clauses: 7.5 finds 7.5 and 7.5.3, not 7.50.
		where += ` AND (e.clauses LIKE ? ESCAPE '\' OR e.clauses LIKE ? ESCAPE '\')`
		c := search.EscapeLike(p.Clause)
		args = append(args, "% "+c+" %", "% "+c+".%")
	}
	var total int
	if err := q.row(ctx, "SELECT count(*) FROM (SELECT 1 FROM "+from+where+" LIMIT ?) x", append(args, SearchCountLimit+1)...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rankArgs := args
	if q.d == Postgres { // the rank's query comes after the conditions' arguments
		rankArgs = append(args[:len(args):len(args)], p.Query.TSQuery())
	}
	rows, err := q.query(ctx, "SELECT e.ref_id FROM "+from+where+" ORDER BY "+rank+", e.id LIMIT ? OFFSET ?", append(rankArgs, p.Limit, p.Offset)...)
	ids, err := scanAll(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil || len(ids) == 0 {
		return nil, total, err
	}
	in, idArgs := inList(ids)
	rows, err = q.query(ctx, "SELECT "+revisionColumns+", r.body_text, a.code, a.name, d.code, d.type_code FROM revisions r JOIN documents d ON d.id = r.document_id JOIN agencies a ON a.id = r.agency_id WHERE r.id IN "+in, idArgs...)
	hits, err := scanAll(rows, err, func(r *sql.Rows) (SearchHit, error) {
		var h SearchHit
		var text string
		v, err := scanRevision(r, &text, &h.AgencyCode, &h.AgencyName, &h.DocCode, &h.TypeCode)
		h.Revision, h.Revision.Text = v, text
		return h, err
	})
	if err != nil {
		return nil, 0, err
	}
	pos := map[int64]int{}
	for i, id := range ids {
		pos[id] = i
	}
	out := make([]SearchHit, len(ids))
	for _, h := range hits {
		out[pos[h.Revision.ID]] = h
	}
	return out, total, nil
}
