package api

import (
	"net/http"
	"strconv"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
	"github.com/isogov/isogov/internal/service"
)

type searchHitJSON struct {
	AgencyCode  string        `json:"agency_code"`
	AgencyName  string        `json:"agency_name"`
	DocumentID  int64         `json:"document_id"`
	RevisionID  int64         `json:"revision_id"`
	Code        string        `json:"code"`
	Type        string        `json:"type"`
	Title       string        `json:"title"`
	Number      int           `json:"number"`
	State       qms.RevState  `json:"state"`
	Obsolete    bool          `json:"obsolete"`
	EffectiveOn *qms.Date     `json:"effective_on"`
	Passage     []search.Span `json:"passage"`
}

type searchJSON struct {
	Query string          `json:"query"`
	Total int             `json:"total"`
	More  bool            `json:"more"`
	Page  int             `json:"page"`
	Pages int             `json:"pages"`
	Items []searchHitJSON `json:"items"`
}

// search answers GET /api/v1/search: revisions across every agency the caller may read.
func (h *Handlers) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := 1
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			h.writeError(w, r, invalid("page", "err.page"))
			return
		}
		page = n
	}
	res, err := h.svc.Search(r.Context(), httpkit.ActorOf(r), service.SearchRequest{Query: q.Get("q"), Agency: q.Get("agency"), Type: q.Get("type"),
		State: q.Get("state"), Clause: q.Get("clause"), Page: page})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := searchJSON{Query: res.Query, Total: res.Total, More: res.More, Page: res.Page, Pages: res.Pages, Items: []searchHitJSON{}}
	for _, x := range res.Hits {
		v := x.Revision
		hit := searchHitJSON{AgencyCode: x.AgencyCode, AgencyName: x.AgencyName, DocumentID: v.DocumentID, RevisionID: v.ID, Code: x.DocCode, Type: x.TypeCode,
			Title: v.Title, Number: v.Number, State: v.State, Obsolete: v.State.Obsolete(), Passage: x.Passage}
		if hit.Passage == nil {
			hit.Passage = []search.Span{}
		}
		if !v.EffectiveOn.IsZero() {
			d := v.EffectiveOn
			hit.EffectiveOn = &d
		}
		out.Items = append(out.Items, hit)
	}
	writeJSON(w, http.StatusOK, out)
}
