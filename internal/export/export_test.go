package export

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func table(rows [][]string) Table {
	return Table{Sheet: "Cơ quan", Headers: []string{"Mã", "Tên"}, Rows: func(emit func([]string) error) error {
		for _, r := range rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	}}
}

var rows = [][]string{{"SKHCN", "Sở Khoa học và Công nghệ"}, {"X", "=HYPERLINK(\"http://evil\")"}}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	if err := CSV(&b, table(rows)); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFMã,Tên\nSKHCN,Sở Khoa học và Công nghệ\nX,\"'=HYPERLINK(\"\"http://evil\"\")\"\n"
	if b.String() != want {
		t.Errorf("CSV =\n%q\nwant\n%q", b.String(), want)
	}
}

func TestXLSX(t *testing.T) {
	var b bytes.Buffer
	if err := XLSX(&b, table(rows)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.GetRows("Cơ quan")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[1][1] != "Sở Khoa học và Công nghệ" || got[2][1] != `=HYPERLINK("http://evil")` {
		t.Errorf("rows = %q", got)
	}
	if formula, _ := f.GetCellFormula("Cơ quan", "B3"); formula != "" {
		t.Errorf("B3 became a formula: %q", formula)
	}
}

func TestRowsErrorStops(t *testing.T) {
	boom := errors.New("boom")
	tb := Table{Headers: []string{"a"}, Rows: func(emit func([]string) error) error { return boom }}
	if err := CSV(&strings.Builder{}, tb); !errors.Is(err, boom) {
		t.Errorf("CSV: %v", err)
	}
	if err := XLSX(&bytes.Buffer{}, tb); !errors.Is(err, boom) {
		t.Errorf("XLSX: %v", err)
	}
}

// A QR code is a square SVG with a dark path; its modules follow the content (two contents
// draw two different paths), and the finder pattern's corner module is dark.
func TestQRSVG(t *testing.T) {
	a, err := QRSVG("https://isogov.example/lookup?code=SKHCN-261127-0001", 160)
	if err != nil {
		t.Fatal(err)
	}
	b, err := QRSVG("https://isogov.example/lookup?code=SKHCN-261127-0002", 160)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a, "<svg") || !strings.Contains(a, `width="160"`) || a == b {
		t.Errorf("the QR codes: %.120s", a)
	}
	// The quiet zone is 4 modules: the top-left finder pattern starts at (4, 4) with a run of 7.
	if !strings.Contains(a, "M4 4h7v1h-7z") {
		t.Errorf("no finder pattern at the corner: %.300s", a)
	}
}
