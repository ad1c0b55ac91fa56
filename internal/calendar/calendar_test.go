package calendar

import (
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// Tết and the Hùng Kings' day for every year of holidays.md, and the years in which the
// Vietnamese calendar (UTC+7) differs from the Chinese one (UTC+8).
func TestLunarAnchors(t *testing.T) {
	tet := map[int]string{1985: "1985-01-21", 2007: "2007-02-17", 2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12",
		2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17", 2030: "2030-02-02"}
	for y, want := range tet {
		got, err := ToSolar(LunarDate{Day: 1, Month: 1, Year: y}, VietnamZone)
		if err != nil || got.Format(time.DateOnly) != want {
			t.Errorf("Tết %d = %v (%v), want %s", y, got.Format(time.DateOnly), err, want)
		}
		l, err := ToLunar(date(want), VietnamZone)
		if err != nil || l != (LunarDate{Day: 1, Month: 1, Year: y}) {
			t.Errorf("ToLunar(%s) = %v, %v", want, l, err)
		}
	}
	hung := map[int]string{2019: "2019-04-14", 2020: "2020-04-02", 2021: "2021-04-21", 2022: "2022-04-10", 2023: "2023-04-29",
		2024: "2024-04-18", 2025: "2025-04-07", 2026: "2026-04-26"}
	for y, want := range hung {
		if got, _ := ToSolar(LunarDate{Day: 10, Month: 3, Year: y}, VietnamZone); got.Format(time.DateOnly) != want {
			t.Errorf("Giỗ Tổ %d = %s, want %s", y, got.Format(time.DateOnly), want)
		}
	}
	china := map[int]string{1985: "1985-02-20", 2007: "2007-02-18", 2030: "2030-02-03"}
	for y, want := range china {
		if got, _ := ToSolar(LunarDate{Day: 1, Month: 1, Year: y}, ChinaZone); got.Format(time.DateOnly) != want {
			t.Errorf("Chinese New Year %d (UTC+8) = %s, want %s", y, got.Format(time.DateOnly), want)
		}
	}
}

func TestLeapMonths(t *testing.T) {
	for y, want := range map[int]int{2012: 4, 2014: 9, 2017: 6, 2019: 0, 2020: 4, 2021: 0, 2023: 2, 2024: 0, 2025: 6, 2026: 0} {
		if got := LeapMonth(y, VietnamZone); got != want {
			t.Errorf("leap month of %d = %d, want %d", y, got, want)
		}
	}
	// 2025's leap 6th month: 25/07/2025 is its first day, the 6th month's first day a month before.
	l, _ := ToLunar(date("2025-07-25"), VietnamZone)
	if l != (LunarDate{Day: 1, Month: 6, Year: 2025, Leap: true}) || l.String() != "1/6/2025 nhuận" {
		t.Errorf("25/07/2025 = %v", l)
	}
	if d, err := ToSolar(LunarDate{Day: 1, Month: 6, Year: 2025, Leap: true}, VietnamZone); err != nil || d.Format(time.DateOnly) != "2025-07-25" {
		t.Errorf("1/6 leap 2025 = %v %v", d, err)
	}
}

func TestInvalidLunar(t *testing.T) {
	for _, c := range []struct {
		l    LunarDate
		want string
	}{
		{LunarDate{Day: 1, Month: 6, Year: 2026, Leap: true}, "no leap month 6"},
		{LunarDate{Day: 30, Month: 2, Year: 2026}, "that month has 29 days"},
		{LunarDate{Day: 0, Month: 1, Year: 2026}, "that month has"},
		{LunarDate{Day: 1, Month: 13, Year: 2026}, "1 to 12"},
		{LunarDate{Day: 1, Month: 1, Year: 2200}, "outside 1900–2199"},
	} {
		if _, err := ToSolar(c.l, VietnamZone); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ToSolar(%v) = %v, want an error saying %q", c.l, err, c.want)
		}
	}
	if _, err := ToLunar(date("1899-12-31"), VietnamZone); err == nil {
		t.Error("1899 accepted")
	}
}

// Each embedded year: the number of weekdays off and of worked Saturdays, and a sample day.
func TestEmbeddedYears(t *testing.T) {
	c := New(Embedded())
	for _, tc := range []struct {
		year           int
		off, worked    int
		sample         string
		kind           Kind
		reasonContains string
	}{
		{2019, 11, 2, "2019-01-05", Makeup, "31/12/2018"},
		{2020, 10, 0, "2020-01-29", Holiday, "Tết"},
		{2021, 11, 0, "2021-05-03", Compensatory, "Quốc tế lao động"},
		{2022, 11, 0, "2022-05-02", Compensatory, "Chiến thắng"},
		{2023, 11, 0, "2023-05-03", Compensatory, "Chiến thắng"},
		{2024, 12, 1, "2024-04-29", Swap, "Chiến thắng"},
		{2025, 12, 1, "2025-04-26", Makeup, "2/5"},
		{2026, 14, 2, "2026-11-24", Holiday, "Văn hóa"},
	} {
		days, err := c.OffAndWorked(tc.year)
		if err != nil {
			t.Fatal(err)
		}
		off, worked := 0, 0
		for _, d := range days {
			if d.Working {
				worked++
			} else {
				off++
			}
		}
		if off != tc.off || worked != tc.worked {
			t.Errorf("%d: %d weekdays off and %d weekend days worked, want %d and %d", tc.year, off, worked, tc.off, tc.worked)
		}
		d, _ := c.Day(date(tc.sample))
		if d.Kind != tc.kind || !strings.Contains(d.Reason, tc.reasonContains) {
			t.Errorf("%s = %+v, want %s with %q", tc.sample, d, tc.kind, tc.reasonContains)
		}
	}
	// 2019's arrangement reaches back to 31/12/2018.
	if d, _ := c.Day(date("2018-12-31")); d.Working || d.Kind != Swap {
		t.Errorf("31/12/2018 = %+v", d)
	}
}

// Without arrangements the rules give each holiday its statutory days and compensate
// holidays on the weekly rest day; where no swap was decided they reproduce the official year.
func TestRules(t *testing.T) {
	bare := New(Embedded().With())
	bare.data.Arrangements = map[int]Arrangement{}
	bare.explicit = map[time.Time]ArrangedDay{}
	official := New(Embedded())
	for _, y := range []int{2022} { // a year whose arrangement decided nothing beyond the law
		a, _ := bare.OffAndWorked(y)
		b, _ := official.OffAndWorked(y)
		if len(a) != len(b) {
			t.Fatalf("%d: rules give %d days, the arrangement %d", y, len(a), len(b))
		}
		for i := range a {
			if !a[i].Date.Equal(b[i].Date) || a[i].Working != b[i].Working {
				t.Errorf("%d: rules give %s, the arrangement %s", y, a[i].Date.Format(time.DateOnly), b[i].Date.Format(time.DateOnly))
			}
		}
	}
	for _, c := range []struct {
		day  string
		kind Kind
		id   string
	}{
		{"2012-01-23", Holiday, "tet"},          // seed period: Labour Code 1994, Tết 4 days
		{"2012-01-26", Compensatory, "tet"},     // 4 days from 22/01 (Sun): compensation for Sunday
		{"2012-03-31", Holiday, "hung_kings"},   // added in 2007
		{"2006-04-07", Workday, ""},             // 10/3 lunar before the Hùng Kings' day became a holiday
		{"2020-09-03", Workday, ""},             // National Day one day until 2020
		{"2027-09-03", Holiday, "national_day"}, // 2/9/2027 is a Thursday: the adjacent day is Friday
		{"2026-11-24", Holiday, "culture_day"},
		{"2025-11-24", Workday, ""},            // Culture Day only from 01/07/2026
		{"2031-11-24", Holiday, "culture_day"}, // a Monday
		{"2032-11-24", Holiday, "culture_day"}, // a Wednesday
		{"2029-11-24", Holiday, "culture_day"}, // a Saturday, and no compensation (below): Resolution 28/2026 is not Art. 112
		{"1998-01-03", Workday, ""},            // a Saturday of the six-day week
	} {
		d, err := bare.Day(date(c.day))
		if err != nil || d.Kind != c.kind || d.Holiday != c.id {
			t.Errorf("%s = %s %q (%v), want %s %q", c.day, d.Kind, d.Holiday, err, c.kind, c.id)
		}
	}
	if d, _ := bare.Day(date("2029-11-26")); d.Kind != Workday {
		t.Errorf("Monday after a Culture Day on Saturday = %s, want a workday", d.Kind)
	}
}

func TestDueDate(t *testing.T) {
	c := New(Embedded())
	for _, tc := range []struct {
		name, received string
		limit          int
		effective, due string
	}{
		{"before the cut-off", "2026-11-23T14:59", 5, "2026-11-23", "2026-12-01"}, // 24/11 is Culture Day
		{"at the cut-off", "2026-11-23T15:00", 5, "2026-11-25", "2026-12-02"},
		{"on a Saturday", "2026-11-28T09:00", 1, "2026-11-30", "2026-12-01"},
		{"on a make-up Saturday", "2026-01-10T09:00", 1, "2026-01-10", "2026-01-12"},
		{"after the cut-off on a make-up Saturday", "2026-01-10T16:00", 1, "2026-01-12", "2026-01-13"},
		{"across Tết", "2026-02-13T10:00", 3, "2026-02-13", "2026-02-25"},
		{"on a holiday", "2026-09-02T08:00", 0, "2026-09-03", "2026-09-03"},
		{"across the new year", "2025-12-30T09:00", 3, "2025-12-30", "2026-01-06"}, // 1/1 and the swapped 2/1 are off
	} {
		due, err := c.DueDate(at(tc.received), tc.limit, DefaultCutoff, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if due.Effective.Format(time.DateOnly) != tc.effective || due.Due.Format(time.DateOnly) != tc.due {
			t.Errorf("%s: effective %s, due %s; want %s, %s", tc.name, due.Effective.Format(time.DateOnly), due.Due.Format(time.DateOnly), tc.effective, tc.due)
		}
	}
	// A supplement interval Wednesday 25/11 to Friday 27/11 covers two working days.
	due, err := c.DueDate(at("2026-11-23T09:00"), 5, DefaultCutoff, []Pause{{From: date("2026-11-25"), To: date("2026-11-27")}})
	if err != nil || due.Due.Format(time.DateOnly) != "2026-12-03" || due.WorkingDays != 7 {
		t.Errorf("with a pause: %+v %v", due, err)
	}
	for _, bad := range []struct {
		limit, cutoff int
		pauses        []Pause
	}{{-1, DefaultCutoff, nil}, {1, -5, nil}, {1, DefaultCutoff, []Pause{{From: date("2026-11-27"), To: date("2026-11-25")}}}} {
		if _, err := c.DueDate(at("2026-11-23T09:00"), bad.limit, bad.cutoff, bad.pauses); err == nil {
			t.Errorf("accepted limit %d cutoff %d pauses %v", bad.limit, bad.cutoff, bad.pauses)
		}
	}
	if _, err := c.DueDate(at("2199-12-30T09:00"), 30, DefaultCutoff, nil); err == nil {
		t.Error("a due date past 2199 was computed")
	}
}

// Properties over many receipts: the due date is a working day, and exactly limit working
// days lie after the effective receipt day up to and including the due date.
func TestDueDateProperties(t *testing.T) {
	c := New(Embedded())
	start := at("2018-12-20T00:00")
	for i := 0; i < 3000; i++ {
		received := start.Add(time.Duration(i*7) * time.Hour)
		limit := i % 45
		due, err := c.DueDate(received, limit, DefaultCutoff, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := c.IsWorkingDay(due.Due); !ok && limit > 0 {
			t.Fatalf("%v + %d: due %s is not a working day", received, limit, due.Due)
		}
		if ok, _ := c.IsWorkingDay(due.Effective); !ok {
			t.Fatalf("%v: effective receipt %s is not a working day", received, due.Effective)
		}
		if n, _ := c.CountWorkingDays(due.Effective, due.Due); n != limit {
			t.Fatalf("%v + %d: %d working days between %s and %s", received, limit, n, due.Effective, due.Due)
		}
	}
}

func TestCountWorkingDays(t *testing.T) {
	c := New(Embedded())
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2026-02-13", "2026-02-23", 1},   // Tết week: only Monday 23/02
		{"2026-01-01", "2026-12-31", 249}, // 261 weekdays − 14 off + 2 make-up Saturdays
		{"2026-12-31", "2026-01-01", -249},
		{"2026-11-27", "2026-11-27", 0},
	} {
		if n, err := c.CountWorkingDays(date(tc.from), date(tc.to)); err != nil || n != tc.want {
			t.Errorf("%s..%s = %d (%v), want %d", tc.from, tc.to, n, err, tc.want)
		}
	}
}

func TestParseArrangementsErrors(t *testing.T) {
	for text, want := range map[string]string{
		"2026-01-01 off x":                              "line 1: a day comes before",
		"year 3000":                                     "line 1: the year must be",
		"year 2026\n2026-02-30 off x":                   "line 2: \"2026-02-30\" is not a date",
		"year 2026\n2026-01-05 work x":                  "line 2: 2026-01-05 is not a Saturday or Sunday",
		"year 2026\n2026-01-01 maybe x":                 "line 2: \"maybe\" must be off or work",
		"year 2026\n2026-01-01 off":                     "line 2: give the reason",
		"year 2026\n2026-01-01 off a\n2026-01-01 off b": "line 3: 2026-01-01 is already given on line 2",
		"year 2026\n2030-01-01 off a":                   "too far from year 2026",
		"year 2026\nyear 2026":                          "line 2: year 2026 is given twice",
	} {
		if _, err := ParseArrangements(strings.NewReader(text)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
	a, err := ParseArrangements(strings.NewReader(FormatArrangement(Embedded().Arrangements[2026])))
	if err != nil || len(a[2026].Days) != len(Embedded().Arrangements[2026].Days) {
		t.Errorf("FormatArrangement does not round-trip: %v", err)
	}
}

// Every day 1900–2199 converts to a lunar date and back (the round trip of the issue).
func TestRoundTripEveryDay(t *testing.T) {
	for _, zone := range []float64{VietnamZone, ChinaZone} {
		for d := date("1900-01-01"); d.Year() <= MaxYear; d = d.AddDate(0, 0, 1) {
			l, err := ToLunar(d, zone)
			if err != nil {
				t.Fatalf("%s: %v", d.Format(time.DateOnly), err)
			}
			back, err := ToSolar(l, zone)
			if err != nil || !back.Equal(d) {
				t.Fatalf("%s → %v → %v (%v)", d.Format(time.DateOnly), l, back, err)
			}
		}
	}
}

func FuzzLunarRoundTrip(f *testing.F) {
	for _, s := range []int{0, 31000, 45000, 60000, 109572} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, offset int) {
		if offset < 0 {
			offset = -offset
		}
		d := date("1900-01-01").AddDate(0, 0, offset%109572)
		l, err := ToLunar(d, VietnamZone)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ToSolar(l, VietnamZone)
		if err != nil || !back.Equal(d) {
			t.Fatalf("%s → %v → %v (%v)", d, l, back, err)
		}
		if l.Day < 1 || l.Day > 30 || l.Month < 1 || l.Month > 12 {
			t.Fatalf("%s → %v", d, l)
		}
	})
}

// FuzzParseArrangements: whatever an administrator types, the parser answers with
// arrangements or a line error, never a panic; what it accepts formats and parses back the same.
func FuzzParseArrangements(f *testing.F) {
	f.Add("year 2026 | TB | ✅\n2026-01-01 off Tết Dương lịch\n2026-01-10 work Làm bù # ◐\n")
	f.Add("year 2019\n2018-12-31 off x\n")
	f.Add("year 99999999999999999999\n")
	f.Add("2026-01-01 off\n")
	f.Add("year 2026\n2026-13-01 off x\n\x00\xff")
	f.Fuzz(func(t *testing.T, text string) {
		m, err := ParseArrangements(strings.NewReader(text))
		if err != nil {
			if _, ok := err.(LineError); !ok && !strings.Contains(err.Error(), "token too long") {
				t.Fatalf("error %v is not a line error", err)
			}
			return
		}
		for y, a := range m {
			again, err := ParseArrangements(strings.NewReader(FormatArrangement(a)))
			if err != nil || len(again[y].Days) != len(a.Days) {
				t.Fatalf("year %d does not round-trip: %v", y, err)
			}
		}
	})
}
