// Package extract pulls the text out of the files agencies upload (DOCX, ODT, XLSX and the
// text layer of PDF) so that documents can be searched. It reads untrusted input: every
// decompression is bounded, so an archive bomb is refused instead of filling memory.
package extract

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Limits bound the work done on one file.
type Limits struct {
	Unpacked int64 // bytes decompressed in total (all parts of an archive, all PDF streams)
	Entries  int   // entries of an archive
	Text     int   // runes of text returned; the rest is cut off
}

// DefaultLimits suit documents of a government office: a 25 MiB upload that unpacks to more
// than 100 MiB is not a document.
var DefaultLimits = Limits{Unpacked: 100 << 20, Entries: 5000, Text: 1 << 20}

// ErrBomb is returned for a file that decompresses beyond the limits.
var ErrBomb = errors.New("extract: the file unpacks beyond the allowed size")

// ErrFormat is returned for a file that is not what its type says.
var ErrFormat = errors.New("extract: the file is damaged or not of its type")

// Types whose text can be extracted, by sniffed MIME type.
const (
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	TypePDF  = "application/pdf"
)

// Text returns the text of a file of the given (sniffed) type. Types without text (images)
// give "". The text is cut at lim.Text runes.
func Text(r io.ReaderAt, size int64, typ string, lim Limits) (string, error) {
	var out *textBuf
	var err error
	switch typ {
	case TypeDOCX:
		out, err = fromZip(r, size, lim, []string{"word/document.xml"}, docxText)
	case TypeODT, TypeODS:
		out, err = fromZip(r, size, lim, []string{"content.xml"}, odfText)
	case TypeXLSX:
		out, err = fromZip(r, size, lim, xlsxParts, xlsxText)
	case TypePDF:
		out, err = pdfText(r, size, lim)
	default:
		return "", nil
	}
	if out == nil {
		return "", err
	}
	return out.String(), err
}

// textBuf collects text up to a number of runes, folding runs of blank space.
type textBuf struct {
	b     strings.Builder
	runes int
	max   int
	space bool // the last written rune was white space
}

func newTextBuf(max int) *textBuf { return &textBuf{max: max, space: true} }

func (t *textBuf) full() bool { return t.runes >= t.max }

// write appends s; white space is kept as one space, or one newline if it holds one.
func (t *textBuf) write(s string) {
	for _, r := range s {
		if t.full() {
			return
		}
		if r == utf8.RuneError || r < 32 && r != '\n' && r != '\t' {
			continue
		}
		if r == ' ' || r == '\t' || r == '\n' || r == '\u00a0' {
			if !t.space {
				t.b.WriteByte(' ')
				t.runes++
				t.space = true
			}
			continue
		}
		t.b.WriteRune(r)
		t.runes++
		t.space = false
	}
}

// newline ends a paragraph.
func (t *textBuf) newline() {
	if t.full() || t.b.Len() == 0 {
		return
	}
	s := t.b.String()
	if strings.HasSuffix(s, "\n") {
		return
	}
	if strings.HasSuffix(s, " ") {
		t.b.Reset()
		t.b.WriteString(s[:len(s)-1])
		t.runes--
	}
	t.b.WriteByte('\n')
	t.runes++
	t.space = true
}

func (t *textBuf) String() string { return strings.TrimSpace(t.b.String()) }

// budget counts decompressed bytes across the parts of one file.
type budget struct{ left int64 }

// limited reads at most the budget's remainder from r and fails with ErrBomb beyond it.
type limited struct {
	r io.Reader
	b *budget
}

func (l *limited) Read(p []byte) (int, error) {
	if l.b.left <= 0 {
		// One byte more than allowed tells a part that ends exactly at the limit from one
		// that goes on.
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			return 0, ErrBomb
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.b.left {
		p = p[:l.b.left]
	}
	n, err := l.r.Read(p)
	l.b.left -= int64(n)
	return n, err
}

var xlsxParts = []string{"xl/sharedStrings.xml", "xl/worksheets/*.xml"}

// fromZip opens an OOXML or ODF archive and feeds the named parts ("dir/*.xml" takes every
// XML file of dir, in name order) to a reader of their XML.
func fromZip(r io.ReaderAt, size int64, lim Limits, parts []string, read func(*xml.Decoder, *textBuf) error) (*textBuf, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, ErrFormat
	}
	if len(zr.File) > lim.Entries {
		return nil, fmt.Errorf("%w: %d entries", ErrBomb, len(zr.File))
	}
	var files []*zip.File
	for _, p := range parts {
		var match []*zip.File
		for _, f := range zr.File {
			if f.Name == p || strings.HasSuffix(p, "/*.xml") && strings.HasPrefix(f.Name, strings.TrimSuffix(p, "*.xml")) &&
				strings.HasSuffix(f.Name, ".xml") && !strings.Contains(strings.TrimPrefix(f.Name, strings.TrimSuffix(p, "*.xml")), "/") {
				match = append(match, f)
			}
		}
		sort.Slice(match, func(i, j int) bool { return match[i].Name < match[j].Name })
		files = append(files, match...)
	}
	if len(files) == 0 {
		return nil, ErrFormat
	}
	out := newTextBuf(lim.Text)
	b := &budget{left: lim.Unpacked}
	for _, f := range files {
		// The sizes in the directory can lie; they only refuse early. The reader enforces.
		if f.UncompressedSize64 > uint64(b.left) {
			return out, ErrBomb
		}
		rc, err := f.Open()
		if err != nil {
			return out, ErrFormat
		}
		dec := xml.NewDecoder(&limited{r: rc, b: b})
		dec.Strict = false
		dec.Entity = xml.HTMLEntity
		err = read(dec, out)
		rc.Close()
		if errors.Is(err, ErrBomb) {
			return out, ErrBomb
		}
		if err != nil && err != io.EOF {
			return out, ErrFormat
		}
		out.newline()
		if out.full() {
			break
		}
	}
	return out, nil
}

// walk calls fn for every token of an XML part until the end or until text is full.
func walk(dec *xml.Decoder, out *textBuf, fn func(xml.Token)) error {
	for !out.full() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		fn(tok)
	}
	return nil
}

// docxText reads WordprocessingML: text runs (w:t), tabs, breaks and paragraph ends.
func docxText(dec *xml.Decoder, out *textBuf) error {
	inText := false
	return walk(dec, out, func(tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab", "br", "cr":
				out.write(" ")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p", "tr":
				out.newline()
			case "tc":
				out.write(" ")
			}
		case xml.CharData:
			if inText {
				out.write(string(t))
			}
		}
	})
}

// odfText reads OpenDocument content: paragraphs, headings, spans, spaces and tabs.
func odfText(dec *xml.Decoder, out *textBuf) error {
	depth := 0 // inside text:p or text:h
	return walk(dec, out, func(tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p", "h":
				depth++
			case "s", "tab", "line-break":
				out.write(" ")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "p", "h":
				if depth > 0 {
					depth--
				}
				out.newline()
			case "table-cell":
				out.write(" ")
			}
		case xml.CharData:
			if depth > 0 {
				out.write(string(t))
			}
		}
	})
}

// xlsxText reads shared strings and inline strings of worksheets (t elements) and the
// values of cells (v elements) that are numbers.
func xlsxText(dec *xml.Decoder, out *textBuf) error {
	in := ""
	cellType := ""
	return walk(dec, out, func(tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t", "v":
				in = t.Name.Local
			case "c":
				cellType = ""
				for _, a := range t.Attr {
					if a.Name.Local == "t" {
						cellType = a.Value
					}
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t", "v":
				in = ""
			case "si", "row":
				out.newline()
			case "c":
				out.write(" ")
			}
		case xml.CharData:
			// A "v" of a shared-string cell is an index into the shared strings: not text.
			if in == "t" || in == "v" && cellType != "s" {
				out.write(string(t))
			}
		}
	})
}
