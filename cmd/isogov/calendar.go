package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/calendar"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

const calendarUsage = `usage:
  isogov calendar lunar YYYY-MM-DD           the Vietnamese lunar date, D/M/YYYY (" nhuận" in a leap month)
  isogov calendar solar D/M/YYYY [--leap]    the solar date of a lunar date, YYYY-MM-DD
  isogov calendar holidays YYYY              weekdays not worked and weekend days worked: date, off|work, reason
  isogov calendar due YYYY-MM-DDTHH:MM N     the due date of a dossier received then with a limit of N working days
flags: --zone H (lunar and solar; default 7, the UTC+7 meridian), --cutoff HH:MM (due; default 15:00)`

// cmdCalendar runs the calendar commands. holidays and due use the administrators'
// corrections stored in the database when one is configured or exists; otherwise the shipped data.
func cmdCalendar(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, calendarUsage)
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errors.New("calendar: name a command: lunar, solar, holidays or due")
	}
	sub, rest := args[0], args[1:]
	fs, st := newFlags("calendar "+sub, stderr)
	zone := fs.Float64("zone", calendar.VietnamZone, "time zone of the lunar calendar in hours (7 since 1968, 8 before)")
	leap := fs.Bool("leap", false, "the lunar month is the leap month (solar)")
	cutoff := fs.String("cutoff", qms.DefaultOfficeCutoff, "office cut-off HH:MM (due)")
	var pos []string
	for len(rest) > 0 { // flags may come after the arguments
		if _, err := strconv.Atoi(rest[0]); err == nil { // a negative number is an argument, not a flag
			pos, rest = append(pos, rest[0]), rest[1:]
			continue
		}
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if rest = fs.Args(); len(rest) > 0 {
			pos, rest = append(pos, rest[0]), rest[1:]
		}
	}
	need := map[string]int{"lunar": 1, "solar": 1, "holidays": 1, "due": 2}
	n, ok := need[sub]
	if !ok {
		return fmt.Errorf("calendar: unknown command %q (lunar, solar, holidays, due)", sub)
	}
	if len(pos) != n {
		return fmt.Errorf("calendar %s: expected %d argument(s), got %d\n%s", sub, n, len(pos), calendarUsage)
	}
	if *zone < -12 || *zone > 14 {
		return fmt.Errorf("calendar %s: --zone %v is not a time zone", sub, *zone)
	}
	switch sub {
	case "lunar":
		d, err := time.Parse(time.DateOnly, pos[0])
		if err != nil {
			return fmt.Errorf("calendar lunar: %q is not a date YYYY-MM-DD", pos[0])
		}
		l, err := calendar.ToLunar(d, *zone)
		if err != nil {
			return fmt.Errorf("calendar lunar: %w", err)
		}
		fmt.Fprintln(stdout, l)
		return nil
	case "solar":
		var l calendar.LunarDate
		parts := strings.Split(pos[0], "/")
		var err error
		if len(parts) == 3 {
			if l.Day, err = strconv.Atoi(parts[0]); err == nil {
				if l.Month, err = strconv.Atoi(parts[1]); err == nil {
					l.Year, err = strconv.Atoi(parts[2])
				}
			}
		}
		if len(parts) != 3 || err != nil {
			return fmt.Errorf("calendar solar: %q is not a lunar date D/M/YYYY", pos[0])
		}
		l.Leap = *leap
		d, err := calendar.ToSolar(l, *zone)
		if err != nil {
			return fmt.Errorf("calendar solar: %w", err)
		}
		fmt.Fprintln(stdout, d.Format(time.DateOnly))
		return nil
	}
	cal, closeDB, err := st.calendar(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	if sub == "holidays" {
		y, err := strconv.Atoi(pos[0])
		if err != nil {
			return fmt.Errorf("calendar holidays: %q is not a year", pos[0])
		}
		days, err := cal.OffAndWorked(y)
		if err != nil {
			return fmt.Errorf("calendar holidays: %w", err)
		}
		for _, d := range days {
			status := "off"
			if d.Working {
				status = "work"
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\n", d.Date.Format(time.DateOnly), status, d.Reason)
		}
		return nil
	}
	received, err := time.Parse("2006-01-02T15:04", pos[0])
	if err != nil {
		return fmt.Errorf("calendar due: %q is not a local time YYYY-MM-DDTHH:MM", pos[0])
	}
	days, err := strconv.Atoi(pos[1])
	if err != nil || days < 0 {
		return fmt.Errorf("calendar due: %q is not a number of working days (0 or more)", pos[1])
	}
	minutes, err := qms.ParseClock(*cutoff)
	if err != nil {
		return fmt.Errorf("calendar due: --cutoff %q is not a time HH:MM", *cutoff)
	}
	due, err := cal.DueDate(received, days, minutes, nil)
	if err != nil {
		return fmt.Errorf("calendar due: %w", err)
	}
	fmt.Fprintln(stdout, due.Due.Format(time.DateOnly))
	return nil
}

// calendar returns the working calendar: with the database's corrections when a database is
// named or the default one exists, else from the shipped data alone.
func (st *storage) calendar(ctx context.Context) (*calendar.Calendar, func(), error) {
	if st.db == "" {
		if _, err := os.Stat(filepath.Join(st.data, "isogov.db")); err != nil {
			return calendar.New(calendar.Embedded()), func() {}, nil
		}
	}
	db, err := st.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	cal, err := service.LoadCalendar(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return cal, func() { db.Close() }, nil
}
