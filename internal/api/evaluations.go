package api

import (
	"net/http"
	"strconv"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
)

func yearQuery(r *http.Request, name string) (int, error) {
	y, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil {
		return 0, qms.Errorf(qms.EInvalid, "err.year")
	}
	return y, nil
}

// evaluations answers GET /api/v1/evaluations?year= with the ranking: each agency's points per
// criterion, adjustments, total, rank, proposal for commendation.
func (h *Handlers) evaluations(w http.ResponseWriter, r *http.Request) {
	year, err := yearQuery(r, "year")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	ev, err := h.svc.Evaluate(r.Context(), httpkit.ActorOf(r), year)
	type score struct {
		Criterion string  `json:"criterion"`
		Points    float64 `json:"points"`
		Basis     string  `json:"basis,omitempty"`
	}
	type adj struct {
		Criterion string  `json:"criterion"`
		Points    float64 `json:"points"`
		Reason    string  `json:"reason"`
		By        string  `json:"by"`
	}
	type item struct {
		Agency      string  `json:"agency"`
		Name        string  `json:"name"`
		Rank        int     `json:"rank"`
		Total       float64 `json:"total"`
		Proposed    bool    `json:"proposed"`
		Scores      []score `json:"scores"`
		Adjustments []adj   `json:"adjustments"`
	}
	out := struct {
		Year     int             `json:"year"`
		YearFrom int             `json:"criteria_from"`
		Criteria []qms.Criterion `json:"criteria"`
		Items    []item          `json:"items"`
	}{Year: year, YearFrom: ev.YearFrom, Criteria: ev.Criteria, Items: []item{}}
	for _, e := range ev.List {
		it := item{Agency: e.Agency.Code, Name: e.Agency.Name, Rank: e.Rank, Total: e.Total, Proposed: e.Proposed, Scores: []score{}, Adjustments: []adj{}}
		for _, s := range e.Scores {
			it.Scores = append(it.Scores, score{s.Criterion.Code, s.Points, s.Basis})
		}
		for _, a := range e.Adjustments {
			it.Adjustments = append(it.Adjustments, adj{a.Criterion, a.Points, a.Reason, a.ByName})
		}
		out.Items = append(out.Items, it)
	}
	h.respond(w, r, http.StatusOK, out, err)
}

// adjustScore answers POST /api/v1/evaluations/adjustments.
func (h *Handlers) adjustScore(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Agency    string  `json:"agency"`
		Year      int     `json:"year"`
		Criterion string  `json:"criterion"`
		Points    float64 `json:"points"`
		Reason    string  `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	a, err := h.svc.AdjustScore(r.Context(), httpkit.ActorOf(r), in.Agency, in.Year, in.Criterion, in.Points, in.Reason)
	h.respond(w, r, http.StatusCreated, map[string]any{"id": a.ID, "agency": in.Agency, "year": a.Year, "criterion": a.Criterion, "points": a.Points, "reason": a.Reason}, err)
}

// setCriteria answers PUT /api/v1/evaluation-criteria {"year_from", "criteria": [{code, name, weight}]}.
func (h *Handlers) setCriteria(w http.ResponseWriter, r *http.Request) {
	var in struct {
		YearFrom int             `json:"year_from"`
		Criteria []qms.Criterion `json:"criteria"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	err := h.svc.SetCriteria(r.Context(), httpkit.ActorOf(r), in.YearFrom, in.Criteria)
	h.respond(w, r, http.StatusOK, in, err)
}

// evaluationsPDF answers GET /api/v1/evaluations/pdf?year= with the year's evaluation as a
// report for Home Affairs.
func (h *Handlers) evaluationsPDF(w http.ResponseWriter, r *http.Request) {
	year, _ := strconv.Atoi(r.URL.Query().Get("year")) // the service refuses a year out of range
	b, err := h.svc.EvaluationPDF(r.Context(), httpkit.ActorOf(r), year)
	h.sendPDF(w, r, b, err)
}
