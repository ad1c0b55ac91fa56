package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/calendar"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/service"
)

type calendarDayJSON struct {
	Date    string        `json:"date"`
	Weekday string        `json:"weekday"`
	Working bool          `json:"working"`
	Kind    calendar.Kind `json:"kind"`
	Holiday string        `json:"holiday,omitempty"`
	Reason  string        `json:"reason,omitempty"`
	Lunar   string        `json:"lunar"`
}

type calendarYearJSON struct {
	Year       int               `json:"year"`
	Source     string            `json:"source"`
	Document   string            `json:"document,omitempty"`
	Confidence string            `json:"confidence,omitempty"`
	Days       []calendarDayJSON `json:"days"`
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return 0, invalid("year", "err.year_range")
	}
	return y, nil
}

func (h *Handlers) calendarYear(w http.ResponseWriter, r *http.Request) {
	y, err := pathYear(r)
	if err == nil {
		var cy service.CalendarYear
		if cy, err = h.svc.CalendarYear(r.Context(), httpkit.ActorOf(r), y); err == nil {
			writeJSON(w, http.StatusOK, calendarYearOut(cy))
			return
		}
	}
	h.writeError(w, r, err)
}

func calendarYearOut(cy service.CalendarYear) calendarYearJSON {
	out := calendarYearJSON{Year: cy.Year, Source: cy.Source, Document: cy.Arrangement.Document, Confidence: cy.Arrangement.Confidence}
	if cy.Stored != nil {
		out.Document, out.Confidence = cy.Stored.Document, cy.Stored.Confidence
	}
	for i, d := range cy.Days {
		out.Days = append(out.Days, calendarDayJSON{Date: d.Date.Format(time.DateOnly), Weekday: d.Date.Weekday().String(), Working: d.Working,
			Kind: d.Kind, Holiday: d.Holiday, Reason: d.Reason, Lunar: cy.Lunar[i].String()})
	}
	return out
}

func (h *Handlers) calendarDue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	received, err := time.Parse("2006-01-02T15:04", q.Get("received"))
	if err != nil {
		h.writeError(w, r, invalid("received", "err.local_time"))
		return
	}
	days, err := strconv.Atoi(q.Get("days"))
	if err != nil {
		h.writeError(w, r, invalid("days", "err.days"))
		return
	}
	var pauses []calendar.Pause
	for _, p := range q["pause"] { // a supplement interval FROM/TO: the clock stands still from FROM to the day before TO
		from, to, ok := strings.Cut(p, "/")
		f, err1 := time.Parse(time.DateOnly, from)
		t, err2 := time.Parse(time.DateOnly, to)
		if !ok || err1 != nil || err2 != nil {
			h.writeError(w, r, invalid("pause", "err.pause"))
			return
		}
		pauses = append(pauses, calendar.Pause{From: f, To: t})
	}
	due, err := h.svc.DueDate(r.Context(), httpkit.ActorOf(r), service.DueQuery{Received: received, Days: days, AgencyCode: q.Get("agency"),
		Cutoff: q.Get("cutoff"), Pauses: pauses})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"received": q.Get("received"), "effective_receipt": due.Effective.Format(time.DateOnly),
		"due": due.Due.Format(time.DateOnly), "working_days": due.WorkingDays,
	})
}

func (h *Handlers) saveArrangement(w http.ResponseWriter, r *http.Request) {
	y, err := pathYear(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in service.ArrangementInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.SaveArrangement(r.Context(), httpkit.ActorOf(r), y, in); err != nil {
		h.writeError(w, r, err)
		return
	}
	h.calendarYear(w, r)
}

func (h *Handlers) resetArrangement(w http.ResponseWriter, r *http.Request) {
	y, err := pathYear(r)
	if err == nil {
		err = h.svc.ResetArrangement(r.Context(), httpkit.ActorOf(r), y)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
