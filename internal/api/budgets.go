package api

import (
	"net/http"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

type budgetJSON struct {
	Agency    string           `json:"agency"`
	Year      int              `json:"year"`
	Norm      string           `json:"norm"`
	Extension bool             `json:"extension"`
	Lines     []qms.BudgetLine `json:"lines"`
	Estimate  int64            `json:"estimate"` // VND
	Actual    int64            `json:"actual"`
	Version   int64            `json:"version"`
}

func budgetOut(b qms.Budget) budgetJSON {
	e, a := b.Totals()
	return budgetJSON{Agency: b.AgencyCode, Year: b.Year, Norm: b.NormCode, Extension: b.Extension, Lines: b.Lines, Estimate: e, Actual: a, Version: b.Version}
}

// budget answers GET /api/v1/agencies/{code}/budgets/{year} (amounts in whole VND, each
// line's cap from the norm in force).
func (h *Handlers) budget(w http.ResponseWriter, r *http.Request) {
	year, err := pathYear(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Budget(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), year)
	h.respond(w, r, http.StatusOK, budgetOut(v.Budget), err)
}

// saveBudget answers PUT /api/v1/agencies/{code}/budgets/{year}.
func (h *Handlers) saveBudget(w http.ResponseWriter, r *http.Request) {
	year, err := pathYear(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in service.BudgetInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	b, err := h.svc.SaveBudget(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), year, in)
	h.respond(w, r, http.StatusOK, budgetOut(b), err)
}

// provinceBudgets answers GET /api/v1/budgets?year= with every agency's budget and the totals.
func (h *Handlers) provinceBudgets(w http.ResponseWriter, r *http.Request) {
	year, err := yearQuery(r, "year")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list, err := h.svc.ProvinceBudgets(r.Context(), httpkit.ActorOf(r), year)
	out := struct {
		Year     int          `json:"year"`
		Estimate int64        `json:"estimate"`
		Actual   int64        `json:"actual"`
		Items    []budgetJSON `json:"items"`
	}{Year: year, Items: []budgetJSON{}}
	for _, b := range list {
		j := budgetOut(b)
		out.Estimate, out.Actual = out.Estimate+j.Estimate, out.Actual+j.Actual
		out.Items = append(out.Items, j)
	}
	h.respond(w, r, http.StatusOK, out, err)
}

// budgetYears answers GET /api/v1/budget-years with the province's totals by year.
func (h *Handlers) budgetYears(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.BudgetYears(r.Context(), httpkit.ActorOf(r))
	if list == nil {
		list = []service.YearTotal{}
	}
	h.respond(w, r, http.StatusOK, Page[service.YearTotal]{Items: list}, err)
}

// norms answers GET /api/v1/finance-norms.
func (h *Handlers) norms(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Norms(r.Context(), httpkit.ActorOf(r))
	h.respond(w, r, http.StatusOK, Page[qms.Norm]{Items: list}, err)
}

// saveNorm answers PUT /api/v1/finance-norms (a version of the norms, e.g. Circular 159/2010).
func (h *Handlers) saveNorm(w http.ResponseWriter, r *http.Request) {
	var n qms.Norm
	if err := decode(r, &n); err != nil {
		h.writeError(w, r, err)
		return
	}
	n, err := h.svc.SaveNorm(r.Context(), httpkit.ActorOf(r), n)
	h.respond(w, r, http.StatusOK, n, err)
}
