package calendar

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

//go:embed data/rules.json
var rulesJSON []byte

//go:embed data/arrangements.txt
var arrangementsTxt string

// RestRule says which weekdays are the weekly rest in a period.
type RestRule struct {
	From   string   `json:"from"`
	To     string   `json:"to"`
	Days   []string `json:"days"`
	Source string   `json:"source"`
}

// Rule is one public holiday as the law defines it for a period.
type Rule struct {
	ID         string         `json:"id"`
	VI         string         `json:"vi"`
	EN         string         `json:"en"`
	Solar      string         `json:"solar"` // MM-DD
	Lunar      string         `json:"lunar"` // MM-DD of the lunar calendar
	Offset     int            `json:"offset"`
	Days       int            `json:"days"`
	From       string         `json:"from"`
	To         string         `json:"to"`
	Compensate bool           `json:"compensate"`
	Adjacent   map[string]int `json:"adjacent"`
	Source     string         `json:"source"`
}

// ArrangedDay is one line of a year's official arrangement.
type ArrangedDay struct {
	Date   time.Time
	Off    bool
	Reason string
	Note   string // the confidence mark or remark after '#'
}

// Arrangement is a year's official arrangement: the complete list of that year's weekdays off
// and worked Saturdays (and holiday names on weekends), with the documents that set it.
type Arrangement struct {
	Year       int
	Document   string
	Confidence string
	Days       []ArrangedDay
}

// Data is everything the calendar is computed from.
type Data struct {
	Rest         []RestRule
	Rules        []Rule
	Arrangements map[int]Arrangement
}

var weekdays = map[string]time.Weekday{"Sun": time.Sunday, "Mon": time.Monday, "Tue": time.Tuesday, "Wed": time.Wednesday,
	"Thu": time.Thursday, "Fri": time.Friday, "Sat": time.Saturday}

// Embedded returns the data shipped in the binary: the holiday rules and the official
// arrangements 2019–2026. It panics if the embedded files are malformed (a test guards them).
func Embedded() *Data {
	d, err := parseData(rulesJSON, arrangementsTxt)
	if err != nil {
		panic("calendar: embedded data: " + err.Error())
	}
	return d
}

func parseData(rules []byte, arrangements string) (*Data, error) {
	var f struct {
		Rest  []RestRule `json:"weekly_rest"`
		Rules []Rule     `json:"rules"`
	}
	dec := json.NewDecoder(strings.NewReader(string(rules)))
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("rules.json: %w", err)
	}
	for _, r := range f.Rest {
		for _, d := range r.Days {
			if _, ok := weekdays[d]; !ok {
				return nil, fmt.Errorf("rules.json: weekly rest: unknown weekday %q", d)
			}
		}
	}
	for _, r := range f.Rules {
		if (r.Solar == "") == (r.Lunar == "") || r.Days < 1 || r.ID == "" || r.VI == "" || r.EN == "" {
			return nil, fmt.Errorf("rules.json: rule %q needs an id, names, one of solar or lunar, and days ≥ 1", r.ID)
		}
		if _, _, err := monthDay(r.Solar + r.Lunar); err != nil {
			return nil, fmt.Errorf("rules.json: rule %q: %w", r.ID, err)
		}
	}
	arr, err := ParseArrangements(strings.NewReader(arrangements))
	if err != nil {
		return nil, fmt.Errorf("arrangements.txt: %w", err)
	}
	return &Data{Rest: f.Rest, Rules: f.Rules, Arrangements: arr}, nil
}

func monthDay(s string) (int, int, error) {
	var m, d int
	if _, err := fmt.Sscanf(s, "%d-%d", &m, &d); err != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, fmt.Errorf("%q is not MM-DD", s)
	}
	return m, d, nil
}

// LineError names the line of an arrangement text that is wrong. Key and Args say what is
// wrong for a translator (keys under "arr." in internal/i18n); Msg says it in English.
type LineError struct {
	Line int
	Key  string
	Args []any
	Msg  string
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func lineErr(line int, key, format string, args ...any) LineError {
	return LineError{Line: line, Key: key, Args: args, Msg: fmt.Sprintf(format, args...)}
}

// ParseArrangements reads arrangements in the format of data/arrangements.txt. Errors name the
// line.
func ParseArrangements(r io.Reader) (map[int]Arrangement, error) {
	out := map[int]Arrangement{}
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	year, n := 0, 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		note := ""
		if i := strings.Index(line, "#"); i >= 0 {
			line, note = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		}
		if line == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "year "); ok {
			parts := strings.Split(rest, "|")
			y, err := strconv.Atoi(strings.TrimSpace(parts[0]))
			if err != nil || y < MinYear || y > MaxYear {
				return nil, lineErr(n, "arr.year", "the year must be a number from %d to %d", MinYear, MaxYear)
			}
			if _, dup := out[y]; dup {
				return nil, lineErr(n, "arr.year_twice", "year %d is given twice", y)
			}
			a := Arrangement{Year: y}
			if len(parts) > 1 {
				a.Document = strings.TrimSpace(parts[1])
			}
			if len(parts) > 2 {
				a.Confidence = strings.TrimSpace(strings.Join(parts[2:], "|"))
			}
			out[y], year = a, y
			continue
		}
		if year == 0 {
			return nil, lineErr(n, "arr.no_year", `a day comes before any "year YYYY" line`)
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return nil, lineErr(n, "arr.format", "expected: YYYY-MM-DD off|work reason")
		}
		date, err := time.Parse(time.DateOnly, fields[0])
		if err != nil {
			return nil, lineErr(n, "arr.date", "%q is not a date YYYY-MM-DD", fields[0])
		}
		if date.Year() < year-1 || date.Year() > year+1 {
			return nil, lineErr(n, "arr.far", "%s is too far from year %d", fields[0], year)
		}
		if prev, dup := seen[fields[0]]; dup {
			return nil, lineErr(n, "arr.twice", "%s is already given on line %d", fields[0], prev)
		}
		seen[fields[0]] = n
		var off bool
		switch fields[1] {
		case "off":
			off = true
		case "work":
			if wd := date.Weekday(); wd != time.Saturday && wd != time.Sunday {
				return nil, lineErr(n, "arr.weekday", "%s is not a Saturday or Sunday: only those can be make-up working days", fields[0])
			}
		default:
			return nil, lineErr(n, "arr.status", "%q must be off or work", fields[1])
		}
		reason := strings.Join(fields[2:], " ")
		if reason == "" {
			return nil, lineErr(n, "arr.reason", "give the reason (the holiday's name, or which day is made up)")
		}
		a := out[year]
		a.Days = append(a.Days, ArrangedDay{Date: date, Off: off, Reason: reason, Note: note})
		out[year] = a
	}
	return out, sc.Err()
}

// FormatArrangement writes a year in the format ParseArrangements reads.
func FormatArrangement(a Arrangement) string {
	return fmt.Sprintf("year %d | %s | %s\n", a.Year, a.Document, a.Confidence) + FormatDays(a.Days)
}

// FormatDays writes arranged days one a line, as under a year header.
func FormatDays(days []ArrangedDay) string {
	var b strings.Builder
	for _, d := range days {
		status := "work"
		if d.Off {
			status = "off "
		}
		fmt.Fprintf(&b, "%s %s %s", d.Date.Format(time.DateOnly), status, d.Reason)
		if d.Note != "" {
			b.WriteString("  # " + d.Note)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// With returns a copy of d in which the given arrangements replace those of their years.
func (d *Data) With(arr ...Arrangement) *Data {
	c := &Data{Rest: d.Rest, Rules: d.Rules, Arrangements: make(map[int]Arrangement, len(d.Arrangements)+len(arr))}
	for y, a := range d.Arrangements {
		c.Arrangements[y] = a
	}
	for _, a := range arr {
		c.Arrangements[a.Year] = a
	}
	return c
}
