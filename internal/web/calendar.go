package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/calendar"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// calendarCell is one day in a month grid; Empty pads the first and last week.
type calendarCell struct {
	Empty  bool
	Day    int
	Lunar  string // the lunar day, with the month on the first of a lunar month
	Kind   calendar.Kind
	Reason string
	Today  bool
}

type calendarMonth struct {
	Month time.Month
	Weeks [][]calendarCell
}

// calendarMonths lays a year out as twelve month grids, Monday first.
func calendarMonths(cy service.CalendarYear, today time.Time) []calendarMonth {
	var months []calendarMonth
	for i, d := range cy.Days {
		if d.Date.Day() == 1 {
			months = append(months, calendarMonth{Month: d.Date.Month(), Weeks: [][]calendarCell{{}}})
			for pad := (int(d.Date.Weekday()) + 6) % 7; pad > 0; pad-- {
				months[len(months)-1].Weeks[0] = append(months[len(months)-1].Weeks[0], calendarCell{Empty: true})
			}
		}
		m := &months[len(months)-1]
		week := &m.Weeks[len(m.Weeks)-1]
		if len(*week) == 7 {
			m.Weeks = append(m.Weeks, nil)
			week = &m.Weeks[len(m.Weeks)-1]
		}
		l := cy.Lunar[i]
		lunar := strconv.Itoa(l.Day)
		if l.Day == 1 || d.Date.Day() == 1 {
			lunar += "/" + strconv.Itoa(l.Month)
			if l.Leap {
				lunar += "n"
			}
		}
		*week = append(*week, calendarCell{Day: d.Date.Day(), Lunar: lunar, Kind: d.Kind, Reason: d.Reason, Today: d.Date.Equal(today)})
	}
	for i := range months {
		last := &months[i].Weeks[len(months[i].Weeks)-1]
		for len(*last) < 7 {
			*last = append(*last, calendarCell{Empty: true})
		}
	}
	return months
}

func (w *Web) calendarRedirect(rw http.ResponseWriter, r *http.Request) {
	http.Redirect(rw, r, "/calendar/"+strconv.Itoa(time.Now().In(vnZone).Year()), http.StatusSeeOther)
}

func (w *Web) loadCalendarYear(rw http.ResponseWriter, r *http.Request) (service.CalendarYear, bool) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		w.errorPage(rw, r, qms.Errorf(qms.ENotFound, "err.not_found"))
		return service.CalendarYear{}, false
	}
	cy, err := w.svc.CalendarYear(r.Context(), actor(r), y)
	if err != nil {
		if qms.ErrorCode(err) == qms.EInvalid {
			err = qms.Errorf(qms.ENotFound, "err.year_range")
		}
		w.errorPage(rw, r, err)
		return cy, false
	}
	return cy, true
}

func (w *Web) calendarYear(rw http.ResponseWriter, r *http.Request) {
	cy, ok := w.loadCalendarYear(rw, r)
	if !ok {
		return
	}
	var special []calendar.Day
	for _, d := range cy.Days {
		weekend := d.Date.Weekday() == time.Saturday || d.Date.Weekday() == time.Sunday
		if weekend == d.Working || (d.Reason != "" && weekend) {
			special = append(special, d)
		}
	}
	lang := httpkit.LangOf(r)
	doc, conf := cy.Arrangement.Document, cy.Arrangement.Confidence
	if cy.Stored != nil {
		doc, conf = cy.Stored.Document, cy.Stored.Confidence
	}
	p := w.page(r, i18n.T(lang, "calendar.title", cy.Year), map[string]any{
		"Year": cy.Year, "Prev": cy.Year - 1, "Next": cy.Year + 1, "Months": calendarMonths(cy, calendar.Date(time.Now().In(vnZone))),
		"Special": special, "Source": cy.Source, "Document": doc, "Confidence": conf, "Leap": calendar.LeapMonth(cy.Year, calendar.VietnamZone),
	})
	w.render(rw, r, http.StatusOK, "calendar", p)
}

// calendarDue is the due-date calculator: the form, and the answer when it was filled in.
func (w *Web) calendarDue(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := emptyForm()
	for _, k := range []string{"received", "days", "agency", "cutoff"} {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	if f.Values["agency"] == "" && httpkit.SessionOf(r) != nil {
		f.Values["agency"] = httpkit.SessionOf(r).AgencyCode
	}
	lang := httpkit.LangOf(r)
	p := w.page(r, i18n.T(lang, "due.title"), nil)
	p.Form = f
	if q.Get("received") == "" {
		f.Values["received"] = time.Now().In(vnZone).Format("2006-01-02T15:04")
		w.render(rw, r, http.StatusOK, "calendar_due", p)
		return
	}
	var v qms.Validation
	received, err := time.Parse("2006-01-02T15:04", f.Values["received"])
	if err != nil {
		v.Add("received", "err.local_time")
	}
	days, err := strconv.Atoi(f.Values["days"])
	if err != nil {
		v.Add("days", "err.days")
	}
	if err := v.Err(); err != nil {
		w.formError(rw, r, "calendar_due", p, err)
		return
	}
	due, err := w.svc.DueDate(r.Context(), actor(r), service.DueQuery{Received: received, Days: days, AgencyCode: f.Values["agency"], Cutoff: f.Values["cutoff"]})
	if err != nil {
		if qms.ErrorCode(err) == qms.ENotFound {
			err = fieldErrOf("agency", "err.agency_not_found")
		}
		w.formError(rw, r, "calendar_due", p, err)
		return
	}
	p.Data = due
	w.render(rw, r, http.StatusOK, "calendar_due", p)
}

func fieldErrOf(field, key string, args ...any) error {
	var v qms.Validation
	v.Add(field, key, args...)
	return v.Err()
}

func (w *Web) editArrangement(rw http.ResponseWriter, r *http.Request) {
	cy, ok := w.loadCalendarYear(rw, r)
	if !ok {
		return
	}
	f := emptyForm()
	switch {
	case cy.Stored != nil:
		f.Values = map[string]string{"document": cy.Stored.Document, "confidence": cy.Stored.Confidence, "lines": cy.Stored.Body}
	case cy.Source == "shipped":
		f.Values = map[string]string{"document": cy.Arrangement.Document, "confidence": cy.Arrangement.Confidence,
			"lines": calendar.FormatDays(cy.Arrangement.Days)}
	default: // start from what the rules give
		var lines strings.Builder
		for _, d := range cy.Days {
			weekend := d.Date.Weekday() == time.Saturday || d.Date.Weekday() == time.Sunday
			if weekend != d.Working || d.Reason == "" {
				continue
			}
			status := "work"
			if !d.Working {
				status = "off "
			}
			lines.WriteString(d.Date.Format(time.DateOnly) + " " + status + " " + d.Reason + "\n")
		}
		f.Values = map[string]string{"lines": lines.String()}
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "calendar.edit", cy.Year), map[string]any{"Year": cy.Year, "Source": cy.Source})
	p.Form = f
	w.render(rw, r, http.StatusOK, "calendar_edit", p)
}

func (w *Web) saveArrangement(rw http.ResponseWriter, r *http.Request) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		w.errorPage(rw, r, qms.Errorf(qms.ENotFound, "err.not_found"))
		return
	}
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "document", "confidence")
	f.Values["lines"] = r.PostFormValue("lines")
	err = w.svc.SaveArrangement(r.Context(), actor(r), y, service.ArrangementInput{Document: f.Values["document"], Confidence: f.Values["confidence"], Lines: f.Values["lines"]})
	if err != nil {
		p := w.page(r, i18n.T(httpkit.LangOf(r), "calendar.edit", y), map[string]any{"Year": y})
		p.Form = f
		w.formError(rw, r, "calendar_edit", p, err)
		return
	}
	w.redirect(rw, r, "/calendar/"+strconv.Itoa(y), "flash.saved")
}

func (w *Web) resetArrangement(rw http.ResponseWriter, r *http.Request) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err == nil {
		err = w.svc.ResetArrangement(r.Context(), actor(r), y)
	}
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, "/calendar/"+strconv.Itoa(y), "flash.calendar_reset")
}
