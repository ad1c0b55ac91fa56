package export

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	cases := []struct {
		name, in string
		header   string
		rows     []string
		err      error
	}{
		{"BOM and comma", "\uFEFFa,b\n1,\"x, y\"\n\n2,z\n", "a|b", []string{"2:1|x, y", "4:2|z"}, nil},
		{"semicolon", "a;b\n1;2\n", "a|b", []string{"2:1|2"}, nil},
		{"a defused formula reads back", "a\n'=1+1\n", "a", []string{"2:=1+1"}, nil},
		{"Windows-1258", "a\n\xe0\n", "", nil, ErrNotUTF8},
		{"empty", "", "", nil, ErrUnreadable},
		{"too many rows", "a\n1\n2\n3\n", "a", nil, ErrTooManyRows},
	}
	for _, c := range cases {
		s, err := ReadTable(strings.NewReader(c.in), int64(len(c.in)), 2)
		if !errors.Is(err, c.err) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.err)
			continue
		}
		if err != nil {
			continue
		}
		var rows []string
		for _, r := range s.Rows {
			rows = append(rows, strings.Join(append([]string{string(rune('0' + r.Line))}, r.Cells...), "|"))
		}
		got := strings.Join(rows, " ")
		want := strings.ReplaceAll(strings.Join(c.rows, " "), ":", "|")
		if strings.Join(s.Header, "|") != c.header || got != want {
			t.Errorf("%s: header %q rows %q, want %q %q", c.name, s.Header, got, c.header, want)
		}
	}
}

func FuzzReadTable(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\uFEFFa;b\n\"x\"\"y\";2\n", "PK\x03\x04", "a\n'=x\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadTable(bytes.NewReader(data), int64(len(data)), 50)
		if err != nil && !errors.Is(err, ErrNotUTF8) && !errors.Is(err, ErrUnreadable) && !errors.Is(err, ErrTooManyRows) {
			t.Fatalf("unexpected error: %v", err)
		}
		if len(s.Rows) > 50 {
			t.Fatalf("%d rows beyond the limit", len(s.Rows))
		}
	})
}
