package service

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/isogov/isogov/internal/calendar"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// calendarCache keeps the working calendar built from the embedded data and the
// administrators' arrangements. It is rebuilt after a change here and at most a minute after
// a change made by another server process.
type calendarCache struct {
	mu    sync.Mutex
	cal   *calendar.Calendar
	built time.Time
}

const calendarTTL = time.Minute

// Calendar returns the working calendar in force: the shipped holiday rules and arrangements,
// with each year an administrator arranged replacing the shipped one.
func (s *Service) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	s.calendar.mu.Lock()
	defer s.calendar.mu.Unlock()
	if s.calendar.cal != nil && time.Since(s.calendar.built) < calendarTTL {
		return s.calendar.cal, nil
	}
	cal, err := LoadCalendar(ctx, s.db)
	if err != nil {
		return nil, err
	}
	s.calendar.cal, s.calendar.built = cal, time.Now()
	return cal, nil
}

// LoadCalendar builds the working calendar from the embedded data and db's arrangements (the
// command line uses it without a service).
func LoadCalendar(ctx context.Context, db *store.DB) (*calendar.Calendar, error) {
	stored, err := db.CalendarArrangements(ctx)
	if err != nil {
		return nil, err
	}
	var arr []calendar.Arrangement
	for _, a := range stored {
		parsed, err := parseArrangement(a.Year, a.Document, a.Confidence, a.Body)
		if err != nil {
			return nil, err
		}
		arr = append(arr, parsed)
	}
	return calendar.New(calendar.Embedded().With(arr...)), nil
}

func (s *Service) forgetCalendar() {
	s.calendar.mu.Lock()
	s.calendar.cal = nil
	s.calendar.mu.Unlock()
}

// parseArrangement reads a year's lines (YYYY-MM-DD off|work reason) under its header.
func parseArrangement(year int, document, confidence, body string) (calendar.Arrangement, error) {
	header := "year " + strconv.Itoa(year) + " | " + strings.ReplaceAll(document, "\n", " ") + " | " + strings.ReplaceAll(confidence, "\n", " ") + "\n"
	m, err := calendar.ParseArrangements(strings.NewReader(header + body))
	if err != nil {
		if le, ok := err.(calendar.LineError); ok { // the header is line 1; the person's lines start at 1
			le.Line--
			return calendar.Arrangement{}, le
		}
		return calendar.Arrangement{}, err
	}
	return m[year], nil
}

// CalendarYear is a year of the working calendar with where its holidays come from.
type CalendarYear struct {
	Year        int
	Days        []calendar.Day
	Lunar       []calendar.LunarDate // one per day
	Source      string               // "shipped", "administrator" or "rules"
	Arrangement calendar.Arrangement // when Source is not "rules"
	Stored      *store.CalendarArrangement
}

// CalendarYear returns year y's days with their lunar dates; any signed-in user may read it.
func (s *Service) CalendarYear(ctx context.Context, actor *qms.Actor, y int) (CalendarYear, error) {
	out := CalendarYear{Year: y}
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return out, err
	}
	if y < calendar.MinYear || y > calendar.MaxYear {
		return out, fieldErr("year", "err.year_range")
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return out, err
	}
	if out.Days, err = cal.Year(y); err != nil {
		return out, err
	}
	for _, d := range out.Days {
		l, err := calendar.ToLunar(d.Date, calendar.VietnamZone)
		if err != nil {
			return out, err
		}
		out.Lunar = append(out.Lunar, l)
	}
	out.Source = "rules"
	if a, ok := cal.Arranged(y); ok {
		out.Source, out.Arrangement = "shipped", a
	}
	stored, err := s.db.CalendarArrangements(ctx)
	if err != nil {
		return out, err
	}
	for i := range stored {
		if stored[i].Year == y {
			out.Source, out.Stored = "administrator", &stored[i]
		}
	}
	return out, nil
}

// ArrangementInput is an administrator's arrangement of a year.
type ArrangementInput struct {
	Document   string `json:"document"`
	Confidence string `json:"confidence"`
	Lines      string `json:"lines"` // YYYY-MM-DD off|work reason, one a line
}

// SaveArrangement replaces year y's official arrangement (administrators). Errors name the
// line at fault.
func (s *Service) SaveArrangement(ctx context.Context, actor *qms.Actor, y int, in ArrangementInput) error {
	if err := actor.Require(qms.PermCalendarManage, ""); err != nil {
		return err
	}
	var v qms.Validation
	if y < calendar.MinYear || y > calendar.MaxYear {
		v.Add("year", "err.year_range")
	}
	in.Document, in.Confidence = strings.TrimSpace(in.Document), strings.TrimSpace(in.Confidence)
	if in.Document == "" {
		v.Add("document", "err.required")
	} else if len([]rune(in.Document)) > 500 || strings.ContainsAny(in.Document, "|\n") {
		v.Add("document", "err.bad_chars")
	}
	if len([]rune(in.Confidence)) > 200 || strings.ContainsAny(in.Confidence, "\n") {
		v.Add("confidence", "err.bad_chars")
	}
	if len(in.Lines) > 64<<10 {
		v.Add("lines", "err.too_long")
	}
	if err := v.Err(); err != nil {
		return err
	}
	a, err := parseArrangement(y, in.Document, in.Confidence, in.Lines)
	if err != nil {
		if le, ok := err.(calendar.LineError); ok {
			var v qms.Validation
			v.Add("lines", le.Key, append([]any{le.Line}, le.Args...)...)
			return v.Err()
		}
		return err
	}
	for _, d := range a.Days {
		if d.Date.Year() != y && d.Date.Year() != y-1 {
			return fieldErr("lines", "err.arrangement_year")
		}
	}
	body := calendar.FormatDays(a.Days)
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.CalendarArrangements(ctx)
		if err != nil {
			return err
		}
		ch := qms.Changes{"document": {New: in.Document}, "days": {New: strconv.Itoa(len(a.Days))}}
		for _, o := range old {
			if o.Year == y {
				ch.Diff("lines", o.Body, body)
			}
		}
		if err := tx.SaveCalendarArrangement(ctx, store.CalendarArrangement{Year: y, Document: in.Document, Confidence: in.Confidence,
			Body: body, UpdatedAt: s.now(), UpdatedBy: actor.UserID}); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "calendar.arrange", "calendar_year", int64(y), ch)
	})
	if err == nil {
		s.forgetCalendar()
	}
	return err
}

// ResetArrangement removes an administrator's arrangement of year y, so the shipped one (or
// the rules) apply again.
func (s *Service) ResetArrangement(ctx context.Context, actor *qms.Actor, y int) error {
	if err := actor.Require(qms.PermCalendarManage, ""); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		found, err := tx.DeleteCalendarArrangement(ctx, y)
		if err != nil {
			return err
		}
		if !found {
			return qms.Errorf(qms.ENotFound, "err.arrangement_not_found")
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "calendar.reset", "calendar_year", int64(y), qms.Changes{"source": {Old: "administrator", New: "shipped"}})
	})
	if err == nil {
		s.forgetCalendar()
	}
	return err
}

// DueQuery asks for a dossier's due date.
type DueQuery struct {
	Received   time.Time // local time of receipt
	Days       int       // the procedure's limit in working days
	AgencyCode string    // whose office cut-off applies; "" for the default 15:00
	Cutoff     string    // HH:MM, overrides the agency's
	Pauses     []calendar.Pause
}

// DueDate computes a dossier's due date with the working calendar in force.
func (s *Service) DueDate(ctx context.Context, actor *qms.Actor, q DueQuery) (calendar.Due, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return calendar.Due{}, err
	}
	var v qms.Validation
	if q.Days < 0 || q.Days > 3650 {
		v.Add("days", "err.days")
	}
	cutoff := qms.DefaultOfficeCutoff
	if q.AgencyCode != "" {
		a, err := s.db.AgencyByCode(ctx, qms.NormalizeCode(q.AgencyCode))
		if err != nil {
			return calendar.Due{}, err
		}
		cutoff = a.OfficeCutoff
	}
	if q.Cutoff != "" {
		cutoff = q.Cutoff
	}
	minutes, err := qms.ParseClock(cutoff)
	if err != nil {
		v.Add("cutoff", "err.clock")
	}
	if y := q.Received.Year(); y < calendar.MinYear || y > calendar.MaxYear {
		v.Add("received", "err.year_range")
	}
	for _, p := range q.Pauses {
		if p.To.Before(p.From) || p.From.Year() < calendar.MinYear || p.To.Year() > calendar.MaxYear {
			v.Add("pause", "err.pause")
			break
		}
	}
	if err := v.Err(); err != nil {
		return calendar.Due{}, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return calendar.Due{}, err
	}
	due, err := cal.DueDate(q.Received, q.Days, minutes, q.Pauses)
	if err != nil {
		return due, fieldErr("days", "err.year_range")
	}
	return due, nil
}
