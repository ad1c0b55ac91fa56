// Package calendar is the Vietnamese working calendar: the lunar calendar computed
// astronomically, public holidays as versioned rules, each year's official arrangement as
// data, and working-day arithmetic for deadlines. It is pure: no I/O, no clock.
package calendar

import (
	"fmt"
	"math"
	"sort"
	"sync"
	"time"
)

// Vietnam has kept its lunar calendar on the meridian of UTC+7 since 1968; before that it
// followed UTC+8, as China still does. The zone is a parameter so both can be computed.
const (
	VietnamZone = 7.0
	ChinaZone   = 8.0
)

// Range of years the lunar calendar is computed for.
const (
	MinYear = 1900
	MaxYear = 2199
)

// LunarDate is a date of the lunar calendar; Leap marks the intercalary month, which repeats
// the number of the month before it.
type LunarDate struct {
	Day, Month, Year int
	Leap             bool
}

func (l LunarDate) String() string {
	s := fmt.Sprintf("%d/%d/%d", l.Day, l.Month, l.Year)
	if l.Leap {
		s += " nhuận"
	}
	return s
}

// jdn returns the Julian day number of a proleptic Gregorian date (the day that begins at
// noon UT of that date is numbered).
func jdn(y int, m time.Month, d int) int {
	a := (14 - int(m)) / 12
	yy := y + 4800 - a
	mm := int(m) + 12*a - 3
	return d + (153*mm+2)/5 + 365*yy + yy/4 - yy/100 + yy/400 - 32045
}

// fromJDN is the inverse of jdn.
func fromJDN(j int) (int, time.Month, int) {
	a := j + 32044
	b := (4*a + 3) / 146097
	c := a - 146097*b/4
	d := (4*c + 3) / 1461
	e := c - 1461*d/4
	m := (5*e + 2) / 153
	day := e - (153*m+2)/5 + 1
	month := m + 3 - 12*(m/10)
	year := 100*b + d - 4800 + m/10
	return year, time.Month(month), day
}

const rad = math.Pi / 180

// newMoon returns the Julian date (UT) of the k-th new moon counted from the one of
// 6 January 1900, after Meeus (Astronomical Formulae for Calculators, ch. 32): the mean lunation
// corrected by the main periodic terms of the Sun's and the Moon's anomalies and the Moon's
// argument of latitude, and by ΔT.
func newMoon(k int) float64 {
	kf := float64(k)
	t := kf / 1236.85
	t2, t3 := t*t, t*t*t
	jde := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3 +
		0.00033*math.Sin((166.56+132.87*t-0.009173*t2)*rad)
	m := (359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3) * rad   // Sun's mean anomaly
	mp := (306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3) * rad // Moon's mean anomaly
	f := (21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3) * rad   // Moon's argument of latitude
	c := (0.1734-0.000393*t)*math.Sin(m) + 0.0021*math.Sin(2*m) -
		0.4068*math.Sin(mp) + 0.0161*math.Sin(2*mp) - 0.0004*math.Sin(3*mp) +
		0.0104*math.Sin(2*f) - 0.0051*math.Sin(m+mp) - 0.0074*math.Sin(m-mp) +
		0.0004*math.Sin(2*f+m) - 0.0004*math.Sin(2*f-m) - 0.0006*math.Sin(2*f+mp) +
		0.0010*math.Sin(2*f-mp) + 0.0005*math.Sin(m+2*mp)
	var deltaT float64 // days
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jde + c - deltaT
}

// newMoonDay returns the day number, in the zone, on which the k-th new moon falls.
func newMoonDay(k int, zone float64) int {
	return int(math.Floor(newMoon(k) + 0.5 + zone/24))
}

// sunSector returns which 30° sector of ecliptic longitude the Sun is in at the start (local
// midnight) of day j in the zone: 0 from the vernal equinox, 9 from the winter solstice. A
// month whose first day and next month's first day share a sector contains no major solar
// term. Formulas after Meeus (Astronomical Algorithms, ch. 25, low accuracy).
func sunSector(j int, zone float64) int {
	t := (float64(j) - 0.5 - zone/24 - 2451545.0) / 36525
	t2 := t * t
	m := (357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2) * rad
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	c := (1.914600-0.004817*t-0.000014*t2)*math.Sin(m) + (0.019993-0.000101*t)*math.Sin(2*m) + 0.000290*math.Sin(3*m)
	l := math.Mod(l0+c, 360)
	if l < 0 {
		l += 360
	}
	return int(l / 30)
}

// lunationNumber is the k of the last new moon at or before day j.
func lunationNumber(j int, zone float64) int {
	k := int(math.Floor((float64(j) - 2415021.076998695) / 29.530588853))
	for newMoonDay(k+1, zone) <= j {
		k++
	}
	for newMoonDay(k, zone) > j {
		k--
	}
	return k
}

// month11 returns the lunation number of the 11th lunar month of solar year y: the month that
// contains the winter solstice of y.
func month11(y int, zone float64) int {
	k := lunationNumber(jdn(y, time.December, 31), zone)
	if sunSector(newMoonDay(k, zone), zone) >= 9 { // the month began after the solstice
		k--
	}
	return k
}

// month is one lunar month of a year table.
type month struct {
	start int // day number of its first day
	num   int
	leap  bool
}

// yearTable holds the months of one lunar year and the first day of the next.
type yearTable struct {
	year   int
	months []month
	end    int // first day of the next lunar year
}

// suiMonth is a month of a sui (the months between two winter solstice months) with the
// lunar year it belongs to.
type suiMonth struct {
	month
	year int
}

// sui lists the lunar months from month 11 of year y-1 up to (not including) month 11 of
// year y, numbered and with the leap month marked: a period of 13 months has one leap month,
// the first that contains no major solar term, which repeats the previous month's number.
func sui(y int, zone float64) []suiMonth {
	a, b := month11(y-1, zone), month11(y, zone)
	n := b - a
	leapAt := -1
	if n == 13 {
		for i := 1; i < n; i++ {
			if sunSector(newMoonDay(a+i, zone), zone) == sunSector(newMoonDay(a+i+1, zone), zone) {
				leapAt = i
				break
			}
		}
	}
	out := make([]suiMonth, 0, n)
	num, year := 11, y-1
	for i := 0; i < n; i++ {
		leap := i == leapAt
		if i > 0 && !leap {
			num++
			if num == 13 {
				num, year = 1, y
			}
		}
		out = append(out, suiMonth{month{start: newMoonDay(a+i, zone), num: num, leap: leap}, year})
	}
	return out
}

// buildYear computes lunar year y: its months 1–10 (and any leap month among them) lie in
// sui(y), its months 11 and 12 in sui(y+1).
func buildYear(y int, zone float64) *yearTable {
	t := &yearTable{year: y}
	this, next := sui(y, zone), sui(y+1, zone)
	for _, m := range append(this, next...) {
		switch {
		case m.year == y:
			t.months = append(t.months, m.month)
		case m.year == y+1 && t.end == 0:
			t.end = m.start // month 1 of the next year
		}
	}
	return t
}

type tableKey struct {
	year int
	zone float64
}

var tables sync.Map // tableKey → *yearTable

func lunarYear(y int, zone float64) *yearTable {
	key := tableKey{y, zone}
	if t, ok := tables.Load(key); ok {
		return t.(*yearTable)
	}
	t, _ := tables.LoadOrStore(key, buildYear(y, zone))
	return t.(*yearTable)
}

// ErrRange says a date lies outside the years the calendar computes.
type ErrRange struct{ Year int }

func (e ErrRange) Error() string {
	return fmt.Sprintf("year %d is outside %d–%d", e.Year, MinYear, MaxYear)
}

// ToLunar converts a solar (Gregorian) date to the lunar date in the zone.
func ToLunar(d time.Time, zone float64) (LunarDate, error) {
	y, m, day := d.Date()
	if y < MinYear || y > MaxYear {
		return LunarDate{}, ErrRange{y}
	}
	j := jdn(y, m, day)
	ly := y
	t := lunarYear(ly, zone)
	if j < t.months[0].start {
		ly--
		t = lunarYear(ly, zone)
	}
	i := sort.Search(len(t.months), func(i int) bool { return t.months[i].start > j }) - 1
	mo := t.months[i]
	return LunarDate{Day: j - mo.start + 1, Month: mo.num, Year: ly, Leap: mo.leap}, nil
}

// InvalidLunar says a lunar date does not exist.
type InvalidLunar struct {
	Date   LunarDate
	Reason string
}

func (e InvalidLunar) Error() string {
	return fmt.Sprintf("lunar date %s does not exist: %s", e.Date, e.Reason)
}

// ToSolar converts a lunar date in the zone to its solar date (UTC midnight). The first
// weeks of 1900 belong to lunar year 1899, which is accepted for them.
func ToSolar(l LunarDate, zone float64) (time.Time, error) {
	if l.Year < MinYear-1 || l.Year > MaxYear {
		return time.Time{}, ErrRange{l.Year}
	}
	if l.Month < 1 || l.Month > 12 {
		return time.Time{}, InvalidLunar{l, "the month must be 1 to 12"}
	}
	t := lunarYear(l.Year, zone)
	for i, mo := range t.months {
		if mo.num != l.Month || mo.leap != l.Leap {
			continue
		}
		end := t.end
		if i+1 < len(t.months) {
			end = t.months[i+1].start
		}
		if l.Day < 1 || l.Day > end-mo.start {
			return time.Time{}, InvalidLunar{l, fmt.Sprintf("that month has %d days", end-mo.start)}
		}
		y, m, d := fromJDN(mo.start + l.Day - 1)
		if y < MinYear {
			return time.Time{}, ErrRange{y}
		}
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	if l.Leap {
		return time.Time{}, InvalidLunar{l, fmt.Sprintf("lunar year %d has no leap month %d", l.Year, l.Month)}
	}
	return time.Time{}, InvalidLunar{l, "no such month"}
}

// LeapMonth returns the number of lunar year y's leap month, or 0.
func LeapMonth(y int, zone float64) int {
	for _, m := range lunarYear(y, zone).months {
		if m.leap {
			return m.num
		}
	}
	return 0
}
