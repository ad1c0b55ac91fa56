package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
)

// The calendar commands of CONTRACTS.md, with their outputs and their refusals.
func TestCalendarCommands(t *testing.T) {
	empty := []string{"--data", t.TempDir()} // no database: the shipped data
	for _, c := range []struct {
		args []string
		out  string
		err  string
	}{
		{[]string{"calendar", "lunar", "2026-02-17"}, "1/1/2026\n", ""},
		{[]string{"calendar", "lunar", "2025-07-25"}, "1/6/2025 nhuận\n", ""},
		{[]string{"calendar", "lunar", "1985-01-21"}, "1/1/1985\n", ""},
		{[]string{"calendar", "lunar", "1985-01-21", "--zone", "8"}, "1/12/1984\n", ""}, // same new moon; China put its leap month in 1984
		{[]string{"calendar", "solar", "1/1/2030"}, "2030-02-02\n", ""},
		{[]string{"calendar", "solar", "1/1/2030", "--zone", "8"}, "2030-02-03\n", ""},
		{[]string{"calendar", "solar", "1/6/2025", "--leap"}, "2025-07-25\n", ""},
		{[]string{"calendar", "due", "2026-11-23T14:59", "5"}, "2026-12-01\n", ""},
		{[]string{"calendar", "due", "2026-11-23T15:00", "5"}, "2026-12-02\n", ""},
		{[]string{"calendar", "due", "2026-11-23T15:00", "5", "--cutoff", "16:00"}, "2026-12-01\n", ""},
		{[]string{"calendar", "due", "2026-01-10T09:00", "1"}, "2026-01-12\n", ""},
		{[]string{"calendar", "lunar", "2026-02-30"}, "", `"2026-02-30" is not a date`},
		{[]string{"calendar", "lunar", "1899-12-31"}, "", "outside 1900–2199"},
		{[]string{"calendar", "solar", "30/2/2026"}, "", "that month has 29 days"},
		{[]string{"calendar", "solar", "1/6/2026", "--leap"}, "", "no leap month 6"},
		{[]string{"calendar", "solar", "1-1-2026"}, "", "not a lunar date D/M/YYYY"},
		{[]string{"calendar", "holidays", "2200"}, "", "outside 1900–2199"},
		{[]string{"calendar", "holidays", "MMXXVI"}, "", "not a year"},
		{[]string{"calendar", "due", "2026-11-23T15:00", "-1"}, "", "not a number of working days"},
		{[]string{"calendar", "due", "2026-11-23 15:00", "5"}, "", "not a local time"},
		{[]string{"calendar", "due", "2026-11-23T15:00", "5", "--cutoff", "3pm"}, "", "--cutoff"},
		{[]string{"calendar", "lunar"}, "", "expected 1 argument"},
		{[]string{"calendar", "moon", "x"}, "", "unknown command"},
		{[]string{"calendar", "lunar", "2026-01-01", "--zone", "99"}, "", "not a time zone"},
	} {
		out, _, err := cli(t, "", append(c.args, empty...)...)
		if c.err == "" {
			if err != nil || out != c.out {
				t.Errorf("%v = %q, %v; want %q", c.args, out, err, c.out)
			}
		} else if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.err)
		}
	}
	out, _, err := cli(t, "", append([]string{"calendar", "holidays", "2026"}, empty...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 16 || lines[0] != "2026-01-01\toff\tTết Dương lịch" || lines[2] != "2026-01-10\twork\tLàm bù ngày 2/1" ||
		lines[15] != "2026-11-24\toff\tNgày Văn hóa Việt Nam" {
		t.Errorf("holidays 2026: %v\n%s", err, out)
	}
}

// An administrator's correction stored in the database changes what the commands answer.
func TestCalendarCommandsUseTheDatabase(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "isogov.db")
	db := testdb.OpenDSN(t, dsn)
	svc := service.New(db, service.Config{DataDir: t.TempDir()}, nil, nil)
	err := svc.SaveArrangement(ctx, service.System, 2027, service.ArrangementInput{Document: "CV 1/VPCP-KGVX (thử)", Confidence: "✅",
		Lines: "2027-01-01 off Tết Dương lịch\n2027-02-22 off Ngày nghỉ thử"})
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := cli(t, "", "calendar", "holidays", "2027", "--db", dsn)
	if err != nil || out != "2027-01-01\toff\tTết Dương lịch\n2027-02-22\toff\tNgày nghỉ thử\n" {
		t.Errorf("holidays 2027 from the database: %q %v", out, err)
	}
}
