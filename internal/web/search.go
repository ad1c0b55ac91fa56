package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// searchFields are the search form's fields, read from the query string.
var searchFields = []string{"q", "agency", "type", "state", "clause", "page"}

// search is the search page: the form, and the results once something was asked.
func (w *Web) search(rw http.ResponseWriter, r *http.Request) {
	f := emptyForm()
	qs := r.URL.Query()
	for _, k := range searchFields {
		f.Values[k] = strings.TrimSpace(qs.Get(k))
	}
	lang := httpkit.LangOf(r)
	types, err := w.svc.DocTypes(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	agencies, err := w.svc.ReadableAgencies(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(lang, "search.title"), nil)
	p.Form = f
	data := map[string]any{"Types": types, "Agencies": agencies, "States": qms.RevStates()}
	p.Data = data
	if f.Values["q"] == "" {
		w.render(rw, r, http.StatusOK, "search", p)
		return
	}
	page, _ := strconv.Atoi(f.Values["page"])
	res, err := w.svc.Search(r.Context(), actor(r), service.SearchRequest{Query: f.Values["q"], Agency: f.Values["agency"], Type: f.Values["type"],
		State: f.Values["state"], Clause: f.Values["clause"], Page: page})
	if err != nil {
		w.formError(rw, r, "search", p, err)
		return
	}
	data["Result"] = res
	data["ExportQuery"] = exportQuery(r, "q", "agency", "type", "state", "clause")
	// The pager's links keep the search and its filters.
	link := func(page int) template.URL {
		v := url.Values{}
		for _, k := range searchFields[:len(searchFields)-1] {
			if f.Values[k] != "" {
				v.Set(k, f.Values[k])
			}
		}
		v.Set("page", strconv.Itoa(page))
		return template.URL(v.Encode())
	}
	if res.Page > 1 {
		data["Prev"] = link(res.Page - 1)
	}
	if res.Page < res.Pages {
		data["Next"] = link(res.Page + 1)
	}
	w.render(rw, r, http.StatusOK, "search", p)
}

// searchExport writes a search's results (up to the 1,000 ranked) as CSV or XLSX.
func (w *Web) searchExport(rw http.ResponseWriter, r *http.Request) {
	qs := r.URL.Query()
	req := service.SearchRequest{Query: qs.Get("q"), Agency: qs.Get("agency"), Type: qs.Get("type"), State: qs.Get("state"), Clause: qs.Get("clause")}
	var hits []service.SearchHit
	for page := 1; ; page++ {
		req.Page = page
		res, err := w.svc.Search(r.Context(), actor(r), req)
		if err != nil {
			w.errorPage(rw, r, err)
			return
		}
		hits = append(hits, res.Hits...)
		if page >= res.Pages {
			break
		}
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "tim-kiem", export.Table{
		Sheet:   i18n.T(lang, "search.title"),
		Headers: []string{"search.agency", "doc.code", "doc.title", "doc.revision", "doc.state", "doc.effective_on"},
		Rows: func(emit func([]string) error) error {
			for _, h := range hits {
				v := h.Revision
				eff := ""
				if !v.EffectiveOn.IsZero() {
					eff = v.EffectiveOn.VN()
				}
				state := i18n.T(lang, "revstate."+string(v.State))
				if v.State.Obsolete() {
					state += " — " + i18n.T(lang, "doc.obsolete_mark")
				}
				if err := emit([]string{h.AgencyName, h.DocCode, v.Title, strconv.Itoa(v.Number), state, eff}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}
