package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Reading tables back: a CSV (UTF-8, with or without a byte-order mark, comma or semicolon)
// or the first sheet of an XLSX workbook, as text.

var (
	// ErrNotUTF8 is a CSV file in another encoding (Windows-1258, TCVN3…).
	ErrNotUTF8 = errors.New("export: the file is not UTF-8")
	// ErrUnreadable is a file that is neither a readable CSV nor an XLSX workbook.
	ErrUnreadable = errors.New("export: not a CSV or XLSX table")
	// ErrTooManyRows is a table longer than the reader was allowed.
	ErrTooManyRows = errors.New("export: too many rows")
)

// Sheet is a table read from a file: its header and its data rows.
type Sheet struct {
	Header []string
	Rows   []Row
}

// Row is one data row: its line in the file (the header is line 1), its cells, and the columns
// whose cell holds a formula (XLSX), which an import must not trust.
type Row struct {
	Line     int
	Cells    []string
	Formulas []int
}

// Cell returns the row's cell in column i, "" beyond its end.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return strings.TrimSpace(r.Cells[i])
}

// ReadTable reads a CSV or XLSX table of at most maxRows data rows. Blank rows are skipped.
func ReadTable(r io.ReaderAt, size int64, maxRows int) (Sheet, error) {
	head := make([]byte, min(size, 4))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return Sheet{}, ErrUnreadable
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return readXLSX(io.NewSectionReader(r, 0, size), size, maxRows)
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return Sheet{}, ErrUnreadable
	}
	return readCSV(data, maxRows)
}

func readCSV(data []byte, maxRows int) (Sheet, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return Sheet{}, ErrNotUTF8
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return Sheet{}, ErrUnreadable
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';' // spreadsheets set to a Vietnamese locale write semicolons
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var s Sheet
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, fmt.Errorf("%w: %v", ErrUnreadable, err)
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = undefuse(rec[i])
		}
		if s.Header == nil {
			s.Header = rec
			continue
		}
		if blank(rec) {
			continue
		}
		if len(s.Rows) == maxRows {
			return s, ErrTooManyRows
		}
		s.Rows = append(s.Rows, Row{Line: line, Cells: rec})
	}
	if s.Header == nil {
		return s, ErrUnreadable
	}
	return s, nil
}

// undefuse takes off the apostrophe CSV adds before a cell that looks like a formula, so that
// an exported list reads back as it was.
func undefuse(c string) string {
	if len(c) > 1 && c[0] == '\'' && strings.ContainsRune("=+-@", rune(c[1])) {
		return c[1:]
	}
	return c
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func readXLSX(r io.Reader, size int64, maxRows int) (Sheet, error) {
	// Bounded unpacking: an archive bomb is refused, not inflated.
	limit := max(64<<20, 8*size)
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: limit})
	if err != nil {
		return Sheet{}, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Sheet{}, ErrUnreadable
	}
	name := sheets[0]
	rows, err := f.Rows(name)
	if err != nil {
		return Sheet{}, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	defer rows.Close()
	var s Sheet
	line := 0
	for rows.Next() {
		line++
		cells, err := rows.Columns()
		if err != nil {
			return s, fmt.Errorf("%w: %v", ErrUnreadable, err)
		}
		if s.Header == nil {
			if blank(cells) {
				continue
			}
			s.Header = cells
			continue
		}
		if blank(cells) {
			continue
		}
		if len(s.Rows) == maxRows {
			return s, ErrTooManyRows
		}
		row := Row{Line: line, Cells: cells}
		for i, c := range cells {
			if c == "" {
				continue
			}
			axis, err := excelize.CoordinatesToCellName(i+1, line)
			if err != nil {
				continue
			}
			if formula, _ := f.GetCellFormula(name, axis); formula != "" {
				row.Formulas = append(row.Formulas, i)
			}
		}
		s.Rows = append(s.Rows, row)
	}
	if s.Header == nil {
		return s, ErrUnreadable
	}
	return s, rows.Error()
}
