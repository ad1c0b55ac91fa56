package calendar

import "testing"

// BenchmarkToLunar converts dates spread over 2019–2026 with the year tables cached.
// Target: < 2 µs per date.
func BenchmarkToLunar(b *testing.B) {
	start := date("2019-01-01")
	for i := 0; i < 3000; i++ { // warm the tables
		_, _ = ToLunar(start.AddDate(0, 0, i), VietnamZone)
	}
	i := 0
	for b.Loop() {
		if _, err := ToLunar(start.AddDate(0, 0, i%2900), VietnamZone); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkAddWorkingDays adds 30 working days with the year tables cached. Target: < 1 µs.
func BenchmarkAddWorkingDays(b *testing.B) {
	c := New(Embedded())
	start := date("2026-11-02")
	_, _ = c.AddWorkingDays(start, 30)
	i := 0
	for b.Loop() {
		if _, err := c.AddWorkingDays(start.AddDate(0, 0, i%40), 30); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkBuildYear builds one year's table from the rules, lunar tables included (a fresh
// calendar each time, no arrangement). Target: < 100 µs.
func BenchmarkBuildYear(b *testing.B) {
	d := Embedded()
	y := 2030
	for b.Loop() {
		tables.Clear() // the lunar year tables too
		c := New(d)
		if _, err := c.Year(y); err != nil {
			b.Fatal(err)
		}
		y = 2030 + (y-2029)%100
	}
}
