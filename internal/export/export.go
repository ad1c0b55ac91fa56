// Package export writes lists as CSV and XLSX, streaming rows so that memory stays flat
// however long the list is.
package export

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table is a list to export: a header and rows produced one at a time by Rows, which calls
// emit for each row and stops at the first error emit returns.
type Table struct {
	Sheet   string
	Headers []string
	Rows    func(emit func(row []string) error) error
}

// CSV writes the table as UTF-8 CSV with a byte-order mark, which spreadsheet programs need
// to read Vietnamese letters right. Cells that a spreadsheet would run as a formula are
// prefixed with an apostrophe (CSV injection).
func CSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Headers); err != nil {
		return err
	}
	err := t.Rows(func(row []string) error {
		safe := make([]string, len(row))
		for i, c := range row {
			safe[i] = Defuse(c)
		}
		return cw.Write(safe)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// Defuse makes text that starts like a spreadsheet formula inert.
func Defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// XLSX writes the table as one worksheet with a frozen header row. Cells are written as text,
// never as formulas.
func XLSX(w io.Writer, t Table) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Sheet
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, len(t.Headers), 24); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := 1
	put := func(cells []string) error {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		row++
		return sw.SetRow(cell, vals)
	}
	if err := put(t.Headers); err != nil {
		return err
	}
	if err := t.Rows(put); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// RowsOf makes a table's rows from a list, one row per item.
func RowsOf[T any](list []T, row func(T) []string) func(emit func([]string) error) error {
	return func(emit func([]string) error) error {
		for _, x := range list {
			if err := emit(row(x)); err != nil {
				return err
			}
		}
		return nil
	}
}
