package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

// agencyRow is one line of the agency list; Depth indents it in the hierarchy view.
type agencyRow struct {
	Agency qms.Agency
	Depth  int
}

func kindRank(k qms.AgencyKind) int { return slices.Index(qms.AgencyKinds, k) }

// sortAgencies orders agencies by kind (People's Committee, offices, departments …) and then
// by name in Vietnamese alphabetical order.
func sortAgencies(list []qms.Agency, byKind bool) {
	slices.SortStableFunc(list, func(a, b qms.Agency) int {
		if byKind && a.Kind != b.Kind {
			return kindRank(a.Kind) - kindRank(b.Kind)
		}
		return compareVietnamese(a.Name, b.Name)
	})
}

// hierarchy lays the agencies out as a tree: each agency under its parent; agencies whose
// parent is not in the list stand at the top.
func hierarchy(list []qms.Agency) []agencyRow {
	byParent := map[int64][]qms.Agency{}
	present := map[int64]bool{}
	for _, a := range list {
		present[a.ID] = true
	}
	for _, a := range list {
		parent := a.ParentID
		if !present[parent] {
			parent = 0
		}
		byParent[parent] = append(byParent[parent], a)
	}
	var rows []agencyRow
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		children := byParent[parent]
		sortAgencies(children, true)
		for _, c := range children {
			rows = append(rows, agencyRow{c, depth})
			if depth < 16 {
				walk(c.ID, depth+1)
			}
		}
	}
	walk(0, 0)
	return rows
}

// exportQuery carries a list's filters over to its export link.
func exportQuery(r *http.Request, keys ...string) template.URL {
	v := url.Values{}
	for _, k := range keys {
		if x := r.URL.Query().Get(k); x != "" {
			v.Set(k, x)
		}
	}
	return template.URL(v.Encode())
}

func agencyFilter(r *http.Request) store.AgencyFilter {
	q := r.URL.Query()
	return store.AgencyFilter{Query: strings.TrimSpace(q.Get("q")), Kind: qms.AgencyKind(q.Get("kind")), IncludeClosed: q.Get("closed") == "1"}
}

func (w *Web) agencies(rw http.ResponseWriter, r *http.Request) {
	f := agencyFilter(r)
	list, err := w.svc.Agencies(r.Context(), actor(r), f)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	view := r.URL.Query().Get("view")
	if view != "flat" {
		view = "tree"
	}
	var rows []agencyRow
	if view == "tree" && f.Query == "" && f.Kind == "" {
		rows = hierarchy(list)
	} else {
		sortAgencies(list, false)
		for _, a := range list {
			rows = append(rows, agencyRow{Agency: a})
		}
	}
	lang := httpkit.LangOf(r)
	p := w.page(r, i18n.T(lang, "agencies.title"), map[string]any{
		"Rows": rows, "Count": len(rows), "Query": f.Query, "Kind": string(f.Kind), "Closed": f.IncludeClosed, "View": view,
		"Kinds": qms.AgencyKinds, "ExportQuery": exportQuery(r, "q", "kind", "closed"),
	})
	w.render(rw, r, http.StatusOK, "agencies", p)
}

// loadAgency loads the {code} agency of the path, or answers with an error page.
func (w *Web) loadAgency(rw http.ResponseWriter, r *http.Request) (service.AgencyView, bool) {
	v, err := w.svc.Agency(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return v, false
	}
	return v, true
}

func (w *Web) agency(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	sortAgencies(v.Children, true)
	if actor(r).Can(qms.PermNCRead, v.Agency.Code) {
		gaps, err := w.svc.LoopGaps(r.Context(), actor(r), v.Agency.Code, w.now().Year())
		if err != nil {
			w.errorPage(rw, r, err)
			return
		}
		if len(gaps) == 1 {
			v.Gap = &gaps[0]
		}
	}
	p := w.page(r, v.Agency.Name, v)
	p.Form = emptyForm()
	w.render(rw, r, http.StatusOK, "agency", p)
}

func agencyForm(a qms.Agency) *form {
	f := emptyForm()
	f.Values = map[string]string{"code": a.Code, "name": a.Name, "short_name": a.ShortName, "kind": string(a.Kind),
		"parent_code": a.ParentCode, "valid_from": a.ValidFrom.String(), "office_cutoff": a.OfficeCutoff}
	return f
}

func (w *Web) newAgency(rw http.ResponseWriter, r *http.Request) {
	p := w.page(r, i18n.T(httpkit.LangOf(r), "agency.new"), map[string]any{"New": true})
	p.Form = agencyForm(qms.Agency{ParentCode: r.URL.Query().Get("parent"), OfficeCutoff: qms.DefaultOfficeCutoff})
	w.render(rw, r, http.StatusOK, "agency_form", p)
}

// agencyInput reads the agency form; a malformed date is reported beside its field.
func agencyInput(r *http.Request, f *form) (service.AgencyInput, error) {
	in := service.AgencyInput{Code: f.Values["code"], Name: f.Values["name"], ShortName: f.Values["short_name"],
		Kind: qms.AgencyKind(f.Values["kind"]), ParentCode: f.Values["parent_code"], OfficeCutoff: f.Values["office_cutoff"]}
	var err error
	if in.ValidFrom, err = qms.ParseDate(f.Values["valid_from"]); err != nil {
		var v qms.Validation
		v.Add("valid_from", "err.date")
		return in, v.Err()
	}
	return in, nil
}

var agencyFields = []string{"code", "name", "short_name", "kind", "parent_code", "valid_from", "office_cutoff"}

func (w *Web) createAgency(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, agencyFields...)
	p := w.page(r, i18n.T(httpkit.LangOf(r), "agency.new"), map[string]any{"New": true})
	p.Form = f
	in, err := agencyInput(r, f)
	if err == nil {
		var a qms.Agency
		if a, err = w.svc.CreateAgency(r.Context(), actor(r), in); err == nil {
			w.redirect(rw, r, "/agencies/"+a.Code, "flash.agency_created")
			return
		}
	}
	w.formError(rw, r, "agency_form", p, err)
}

func (w *Web) editAgency(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "agency.edit"), map[string]any{"Agency": v.Agency})
	p.Form = agencyForm(v.Agency)
	w.render(rw, r, http.StatusOK, "agency_form", p)
}

func (w *Web) updateAgency(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, agencyFields...)
	f.Values["code"] = v.Agency.Code
	p := w.page(r, i18n.T(httpkit.LangOf(r), "agency.edit"), map[string]any{"Agency": v.Agency})
	p.Form = f
	in, err := agencyInput(r, f)
	if err == nil {
		if _, err = w.svc.UpdateAgency(r.Context(), actor(r), v.Agency.Code, in); err == nil {
			w.redirect(rw, r, "/agencies/"+v.Agency.Code, "flash.saved")
			return
		}
	}
	w.formError(rw, r, "agency_form", p, err)
}

func (w *Web) closeAgencyForm(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "agency.close"), v)
	p.Form = emptyForm()
	p.Form.Values["kind"] = string(qms.LinkMerge)
	w.render(rw, r, http.StatusOK, "agency_close", p)
}

func (w *Web) closeAgency(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "on", "kind", "successors")
	p := w.page(r, i18n.T(httpkit.LangOf(r), "agency.close"), v)
	p.Form = f
	in := service.CloseInput{Kind: qms.LinkKind(f.Values["kind"]),
		Successors: qms.SplitList(f.Values["successors"])}
	var err error
	if in.On, err = qms.ParseDate(f.Values["on"]); err != nil {
		var vd qms.Validation
		vd.Add("on", "err.date")
		err = vd.Err()
	} else if _, err = w.svc.CloseAgency(r.Context(), actor(r), v.Agency.Code, in); err == nil {
		w.redirect(rw, r, "/agencies/"+v.Agency.Code, "flash.agency_closed")
		return
	}
	w.formError(rw, r, "agency_close", p, err)
}

func (w *Web) createUnit(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "code", "name")
	_, err := w.svc.CreateUnit(r.Context(), actor(r), r.PathValue("code"), service.UnitInput{Code: f.Values["code"], Name: f.Values["name"]})
	if err == nil {
		w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"#units", "flash.unit_created")
		return
	}
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	p := w.page(r, v.Agency.Name, v)
	p.Form = f
	w.formError(rw, r, "agency", p, err)
}

func (w *Web) unitFor(r *http.Request) (qms.Agency, qms.Unit, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return qms.Agency{}, qms.Unit{}, err
	}
	a, units, err := w.svc.Units(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		return a, qms.Unit{}, err
	}
	for _, u := range units {
		if u.ID == id {
			return a, u, nil
		}
	}
	return a, qms.Unit{}, qms.Errorf(qms.ENotFound, "err.unit_not_found")
}

func (w *Web) editUnit(rw http.ResponseWriter, r *http.Request) {
	a, u, err := w.unitFor(r)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "unit.edit"), map[string]any{"Agency": a, "Unit": u})
	p.Form = emptyForm()
	p.Form.Values["name"] = u.Name
	if u.Closed {
		p.Form.Values["closed"] = "1"
	}
	w.render(rw, r, http.StatusOK, "unit_form", p)
}

func (w *Web) updateUnit(rw http.ResponseWriter, r *http.Request) {
	a, u, err := w.unitFor(r)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "name", "closed")
	in := service.UnitInput{Code: u.Code, Name: f.Values["name"], Closed: f.Values["closed"] == "1"}
	if _, err := w.svc.UpdateUnit(r.Context(), actor(r), a.Code, u.ID, in); err != nil {
		p := w.page(r, i18n.T(httpkit.LangOf(r), "unit.edit"), map[string]any{"Agency": a, "Unit": u})
		p.Form = f
		w.formError(rw, r, "unit_form", p, err)
		return
	}
	w.redirect(rw, r, "/agencies/"+a.Code+"#units", "flash.saved")
}
