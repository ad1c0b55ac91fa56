package service

import (
	"context"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
	"github.com/isogov/isogov/internal/store"
)

// SearchPageSize is how many results a page of search shows.
const SearchPageSize = 20

// searchMaxPages bounds paging to what the match count covers.
const searchMaxPages = store.SearchCountLimit / SearchPageSize

// passageWords is about how many words of text a result shows around its match.
const passageWords = 36

// SearchRequest is a search as a user asks it: words typed in any spelling (with or without
// diacritics, codes, legal numbers), and optional filters.
type SearchRequest struct {
	Query  string
	Agency string // an agency code; "" searches every agency the user may read
	Type   string
	State  string
	Clause string
	Page   int // from 1
}

// SearchResult is one page of results, best first.
type SearchResult struct {
	Query string // the terms searched for, folded
	Total int    // matches counted, up to store.SearchCountLimit
	More  bool   // more matched than were counted
	Page  int
	Pages int
	Hits  []SearchHit
}

// SearchHit is a revision found, with the passage where the query matched.
type SearchHit struct {
	store.SearchHit
	Passage []search.Span
}

// Search finds revisions of documents across everything the actor may read: every agency for
// the province's roles, their own agencies otherwise.
func (s *Service) Search(ctx context.Context, actor *qms.Actor, r SearchRequest) (SearchResult, error) {
	var res SearchResult
	if actor == nil {
		return res, qms.Errorf(qms.EUnauthenticated, "err.unauthenticated")
	}
	var v qms.Validation
	q := search.ParseQuery(r.Query)
	switch {
	case len([]rune(r.Query)) > 200:
		v.Add("q", "err.search_long")
	case q.Empty():
		v.Add("q", "err.search_empty")
	}
	if r.Type != "" {
		if _, err := s.db.DocType(ctx, r.Type); qms.ErrorCode(err) == qms.ENotFound {
			v.Add("type", "err.choice")
		} else if err != nil {
			return res, err
		}
	}
	if r.State != "" && !qms.RevState(r.State).Valid() {
		v.Add("state", "err.choice")
	}
	if r.Clause != "" && !knownClause(r.Clause) {
		v.Add("clause", "err.clause_unknown", r.Clause)
	}
	if r.Page < 1 {
		r.Page = 1
	}
	if r.Page > searchMaxPages {
		v.Add("page", "err.search_page", searchMaxPages)
	}
	if err := v.Err(); err != nil {
		return res, err
	}
	p := store.SearchParams{Query: q, Type: r.Type, State: qms.RevState(r.State), Clause: r.Clause, Limit: SearchPageSize, Offset: (r.Page - 1) * SearchPageSize}
	if code := qms.NormalizeCode(r.Agency); code != "" {
		if err := actor.Require(qms.PermDocRead, code); err != nil {
			return res, err
		}
		a, err := s.db.AgencyByCode(ctx, code)
		if err != nil {
			return res, err
		}
		p.AgencyIDs = []int64{a.ID}
	} else if !actor.Can(qms.PermDocRead, "") {
		list, err := s.ReadableAgencies(ctx, actor)
		if err != nil {
			return res, err
		}
		p.AgencyIDs = []int64{} // none unless the actor reads some agency
		for _, a := range list {
			p.AgencyIDs = append(p.AgencyIDs, a.ID)
		}
	}
	if err := s.PublishDue(ctx); err != nil {
		return res, err
	}
	hits, total, err := s.db.Search(ctx, p)
	if err != nil {
		return res, err
	}
	res = SearchResult{Query: q.String(), Total: min(total, store.SearchCountLimit), More: total > store.SearchCountLimit, Page: r.Page}
	res.Pages = min(searchMaxPages, (res.Total+SearchPageSize-1)/SearchPageSize)
	for _, h := range hits {
		res.Hits = append(res.Hits, SearchHit{SearchHit: h, Passage: search.Passage(h.Revision.ChangeNote+"\n"+h.Revision.Text, q, passageWords)})
	}
	return res, nil
}

// ReadableAgencies lists the agencies whose documents the actor may read: every agency for the
// province's roles (closed ones included, their documents remain), their own otherwise.
func (s *Service) ReadableAgencies(ctx context.Context, actor *qms.Actor) ([]qms.Agency, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	if actor.Can(qms.PermDocRead, "") {
		return s.db.ListAgencies(ctx, store.AgencyFilter{IncludeClosed: true})
	}
	var out []qms.Agency
	for _, c := range actor.AgencyCodes() {
		if !actor.Can(qms.PermDocRead, c) {
			continue
		}
		a, err := s.db.AgencyByCode(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// knownClause reports whether some edition's clause tree has the clause.
func knownClause(no string) bool {
	for _, e := range qms.ClauseEditions() {
		if _, ok := e.FindClause(no); ok {
			return true
		}
	}
	return false
}
