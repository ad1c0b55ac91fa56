package calendar

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Kind says why a day is worked or not.
type Kind string

const (
	Workday      Kind = "workday"
	Weekend      Kind = "weekend"
	Holiday      Kind = "holiday"
	Compensatory Kind = "compensatory" // nghỉ bù: a holiday fell on the weekly rest day
	Swap         Kind = "swap"         // hoán đổi: a working day given off, made up on a Saturday
	Makeup       Kind = "makeup"       // làm bù: a Saturday or Sunday worked
)

// Day is one calendar day as the working calendar sees it.
type Day struct {
	Date    time.Time // midnight UTC
	Working bool
	Kind    Kind
	Holiday string // rule id of the holiday it belongs to ("tet", "national_day" …), or ""
	Reason  string // in Vietnamese, as the law or the arrangement says
}

// Calendar answers working-day questions for Vietnamese state agencies from its Data. It is
// safe for concurrent use; each year's table is computed once.
type Calendar struct {
	data  *Data
	zone  float64
	years sync.Map // int → *yearDays
	// explicit holds every arranged line by date, from all arrangements.
	explicit map[time.Time]ArrangedDay
	rest     []restPeriod
}

// restPeriod is a RestRule with its dates parsed.
type restPeriod struct {
	from, to time.Time // zero: open
	days     [7]bool
}

type yearDays struct {
	first time.Time
	days  []Day
}

// New returns the working calendar of the data, with lunar dates for Vietnam (UTC+7).
func New(d *Data) *Calendar {
	c := &Calendar{data: d, zone: VietnamZone, explicit: map[time.Time]ArrangedDay{}}
	for _, r := range d.Rest {
		var p restPeriod
		p.from, _ = time.Parse(time.DateOnly, r.From)
		p.to, _ = time.Parse(time.DateOnly, r.To)
		for _, w := range r.Days {
			p.days[weekdays[w]] = true
		}
		c.rest = append(c.rest, p)
	}
	for _, a := range d.Arrangements {
		for _, ad := range a.Days {
			c.explicit[ad.Date] = ad
		}
	}
	return c
}

// Data returns what the calendar was built from.
func (c *Calendar) Data() *Data { return c.data }

// Date returns midnight UTC of t's calendar date (in t's own location).
func Date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func checkYear(y int) error {
	if y < MinYear || y > MaxYear {
		return ErrRange{y}
	}
	return nil
}

// Year returns every day of solar year y.
func (c *Calendar) Year(y int) ([]Day, error) {
	yd, err := c.year(y)
	if err != nil {
		return nil, err
	}
	return yd.days, nil
}

// Arranged reports whether year y has an official arrangement (else its holidays come from
// the rules), and returns it.
func (c *Calendar) Arranged(y int) (Arrangement, bool) {
	a, ok := c.data.Arrangements[y]
	return a, ok
}

func (c *Calendar) year(y int) (*yearDays, error) {
	if v, ok := c.years.Load(y); ok {
		return v.(*yearDays), nil
	}
	if err := checkYear(y); err != nil {
		return nil, err
	}
	yd := c.build(y)
	v, _ := c.years.LoadOrStore(y, yd)
	return v.(*yearDays), nil
}

func inPeriod(d time.Time, from, to string) bool {
	s := d.Format(time.DateOnly)
	return (from == "" || s >= from) && (to == "" || s <= to)
}

func (c *Calendar) restDay(d time.Time) bool {
	for _, p := range c.rest {
		if (p.from.IsZero() || !d.Before(p.from)) && (p.to.IsZero() || !d.After(p.to)) {
			return p.days[d.Weekday()]
		}
	}
	return d.Weekday() == time.Sunday
}

// build computes year y: weekly rest days, then either the year's official arrangement or the
// holiday rules with compensatory days, then any arranged line of a neighbouring year that
// names a day of y.
func (c *Calendar) build(y int) *yearDays {
	first := time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)
	n := first.AddDate(1, 0, 0).Sub(first).Hours() / 24
	yd := &yearDays{first: first, days: make([]Day, int(n))}
	for i := range yd.days {
		d := first.Add(time.Duration(i) * 24 * time.Hour)
		yd.days[i] = Day{Date: d, Working: true, Kind: Workday}
		if c.restDay(d) {
			yd.days[i] = Day{Date: d, Kind: Weekend}
		}
	}
	if _, ok := c.data.Arrangements[y]; !ok {
		c.applyRules(y, yd)
	}
	for i := range yd.days {
		if ad, ok := c.explicit[yd.days[i].Date]; ok {
			yd.days[i] = c.arranged(ad)
		}
	}
	return yd
}

// arranged turns an arrangement line into a day, recognising the holiday by its name and the
// kind of day by the usual wording (nghỉ bù, hoán đổi).
func (c *Calendar) arranged(ad ArrangedDay) Day {
	day := Day{Date: ad.Date, Reason: ad.Reason, Working: !ad.Off}
	low := strings.ToLower(ad.Reason)
	for _, r := range c.data.Rules {
		if strings.Contains(low, strings.ToLower(r.VI)) {
			day.Holiday = r.ID
			break
		}
	}
	switch {
	case !ad.Off:
		day.Kind = Makeup
	case strings.Contains(low, "nghỉ bù"):
		day.Kind = Compensatory
	case strings.Contains(low, "hoán đổi"):
		day.Kind = Swap
	default:
		day.Kind = Holiday
	}
	return day
}

// applyRules marks the holidays of the rules in force in year y, then gives each holiday that
// fell on the weekly rest day a compensatory day off on the next working day (Art. 111.3).
func (c *Calendar) applyRules(y int, yd *yearDays) {
	type hit struct {
		i    int
		rule Rule
	}
	var hits []hit
	for _, r := range c.data.Rules {
		m, d, _ := monthDay(r.Solar + r.Lunar)
		var base time.Time
		if r.Solar != "" {
			base = time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		} else {
			var err error
			if base, err = ToSolar(LunarDate{Day: d, Month: m, Year: y}, c.zone); err != nil {
				continue // outside the computed range
			}
		}
		if !inPeriod(base, r.From, r.To) {
			continue
		}
		dates := make([]time.Time, 0, r.Days+1)
		for k := 0; k < r.Days; k++ {
			dates = append(dates, base.AddDate(0, 0, r.Offset+k))
		}
		if adj, ok := r.Adjacent[base.Weekday().String()[:3]]; ok && adj != 0 {
			dates = append(dates, base.AddDate(0, 0, adj))
		}
		for _, d := range dates {
			if i := int(d.Sub(yd.first).Hours() / 24); i >= 0 && i < len(yd.days) {
				rest := yd.days[i].Kind == Weekend
				yd.days[i] = Day{Date: d, Kind: Holiday, Holiday: r.ID, Reason: r.VI}
				if rest && r.Compensate {
					hits = append(hits, hit{i, r})
				}
			}
		}
	}
	sort.Slice(hits, func(a, b int) bool { return hits[a].i < hits[b].i })
	for _, h := range hits {
		for j := h.i + 1; j < len(yd.days); j++ {
			if yd.days[j].Kind == Workday {
				yd.days[j] = Day{Date: yd.days[j].Date, Kind: Compensatory, Holiday: h.rule.ID, Reason: "Nghỉ bù " + h.rule.VI}
				break
			}
		}
	}
}

// Day returns what the calendar says of t's date.
func (c *Calendar) Day(t time.Time) (Day, error) {
	d := Date(t)
	yd, err := c.year(d.Year())
	if err != nil {
		return Day{}, err
	}
	return yd.days[d.YearDay()-1], nil
}

// IsWorkingDay reports whether t's date is worked.
func (c *Calendar) IsWorkingDay(t time.Time) (bool, error) {
	d, err := c.Day(t)
	return d.Working, err
}

// AddWorkingDays returns the n-th working day after t's date (n ≥ 0; for 0, t's date itself).
func (c *Calendar) AddWorkingDays(t time.Time, n int) (time.Time, error) {
	if n < 0 {
		return time.Time{}, errors.New("the number of working days cannot be negative")
	}
	d := Date(t)
	yd, err := c.year(d.Year())
	if err != nil {
		return time.Time{}, err
	}
	i := d.YearDay() - 1
	for n > 0 {
		i++
		if i == len(yd.days) {
			if yd, err = c.year(yd.first.Year() + 1); err != nil {
				return time.Time{}, err
			}
			i = 0
		}
		if yd.days[i].Working {
			n--
		}
	}
	return yd.days[i].Date, nil
}

// NextWorkingDay returns the first working day after t's date.
func (c *Calendar) NextWorkingDay(t time.Time) (time.Time, error) { return c.AddWorkingDays(t, 1) }

// CountWorkingDays counts the working days after from's date up to and including to's date
// (negative when to is before from).
func (c *Calendar) CountWorkingDays(from, to time.Time) (int, error) {
	a, b, sign := Date(from), Date(to), 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for y := a.Year(); y <= b.Year(); y++ {
		yd, err := c.year(y)
		if err != nil {
			return 0, err
		}
		lo, hi := 0, len(yd.days)-1
		if y == a.Year() {
			lo = a.YearDay() // the day after a
		}
		if y == b.Year() {
			hi = b.YearDay() - 1
		}
		for i := lo; i <= hi; i++ {
			if yd.days[i].Working {
				n++
			}
		}
	}
	return sign * n, nil
}

// DefaultCutoff is the office-hours cut-off after which a dossier counts as received on the
// next working day (DOMAIN.md §5), in minutes after midnight: 15:00.
const DefaultCutoff = 15 * 60

// Pause is a supplement interval: the clock stands still from From up to the day before To.
type Pause struct{ From, To time.Time }

// Due is a dossier's deadline and how it was reached.
type Due struct {
	Received    time.Time // as given (local time)
	Effective   time.Time // the day the time limit counts from
	Due         time.Time // the last day to return the result
	WorkingDays int       // the limit plus the working days the pauses covered
}

// DueDate computes a dossier's due date (DOMAIN.md §5; Decree 61/2018 as amended): a dossier
// received after the cut-off (minutes after midnight) or on a non-working day counts as
// received on the next working day; the due date is the limit-th working day after that day;
// pauses extend it by the working days they cover.
func (c *Calendar) DueDate(received time.Time, limit, cutoff int, pauses []Pause) (Due, error) {
	r := Due{Received: received}
	if limit < 0 {
		return r, errors.New("the time limit cannot be negative")
	}
	if cutoff < 0 || cutoff > 24*60 {
		return r, fmt.Errorf("the cut-off %d is not a time of day", cutoff)
	}
	day, err := c.Day(received)
	if err != nil {
		return r, err
	}
	r.Effective = day.Date
	if !day.Working || received.Hour()*60+received.Minute() >= cutoff {
		if r.Effective, err = c.NextWorkingDay(day.Date); err != nil {
			return r, err
		}
	}
	r.WorkingDays = limit
	for _, p := range pauses {
		if p.To.Before(p.From) {
			return r, errors.New("a pause ends before it begins")
		}
		n, err := c.CountWorkingDays(p.From.AddDate(0, 0, -1), p.To.AddDate(0, 0, -1))
		if err != nil {
			return r, err
		}
		r.WorkingDays += n
	}
	r.Due, err = c.AddWorkingDays(r.Effective, r.WorkingDays)
	return r, err
}

// OffAndWorked lists the days of year y that differ from the plain week: weekdays not worked
// and weekend days worked (CONTRACTS.md `isogov calendar holidays`).
func (c *Calendar) OffAndWorked(y int) ([]Day, error) {
	days, err := c.Year(y)
	if err != nil {
		return nil, err
	}
	var out []Day
	for _, d := range days {
		weekend := d.Date.Weekday() == time.Saturday || d.Date.Weekday() == time.Sunday
		if weekend == d.Working {
			out = append(out, d)
		}
	}
	return out, nil
}
