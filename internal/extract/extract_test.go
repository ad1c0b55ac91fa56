package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// zipOf builds an archive from name → content pairs.
func zipOf(t testing.TB, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(parts[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func text(t *testing.T, data []byte, typ string, lim Limits) (string, error) {
	t.Helper()
	return Text(bytes.NewReader(data), int64(len(data)), typ, lim)
}

const docxBody = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Quy trình cấp</w:t></w:r><w:r><w:t xml:space="preserve"> giấy phép</w:t></w:r></w:p>
<w:p><w:r><w:t>Mã số:</w:t><w:tab/><w:t>QT-07 &amp; BM-07-01</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Soạn thảo</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Phê duyệt</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr></w:p>
</w:body></w:document>`

func TestDOCX(t *testing.T) {
	data := zipOf(t, "[Content_Types].xml", "<Types/>", "word/document.xml", docxBody)
	got, err := text(t, data, TypeDOCX, DefaultLimits)
	want := "Quy trình cấp giấy phép\nMã số: QT-07 & BM-07-01\nSoạn thảo\nPhê duyệt"
	if err != nil || got != want {
		t.Errorf("DOCX text = %q, %v; want %q", got, err, want)
	}
	// The text is cut at the limit.
	short, err := text(t, data, TypeDOCX, Limits{Unpacked: 1 << 20, Entries: 10, Text: 9})
	if err != nil || short != "Quy trình" {
		t.Errorf("cut text = %q, %v", short, err)
	}
}

func TestODT(t *testing.T) {
	content := `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">
<office:body><office:text>
<text:h text:outline-level="1">Sổ tay chất lượng</text:h>
<text:p>Phạm vi<text:s/>áp dụng:<text:tab/>toàn <text:span>Sở</text:span></text:p>
<table:table><table:table-row><table:table-cell><text:p>Điều 4.2.3</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>`
	data := zipOf(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", content)
	got, err := text(t, data, TypeODT, DefaultLimits)
	want := "Sổ tay chất lượng\nPhạm vi áp dụng: toàn Sở\nĐiều 4.2.3"
	if err != nil || got != want {
		t.Errorf("ODT text = %q, %v; want %q", got, err, want)
	}
}

func TestXLSX(t *testing.T) {
	shared := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Danh mục tài liệu</t></si><si><r><t>Quy trình </t></r><r><t>kiểm soát</t></r></si></sst>`
	sheet := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c></row>
<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>2015</v></c><c r="C2" t="inlineStr"><is><t>QT-01</t></is></c></row>
</sheetData></worksheet>`
	data := zipOf(t, "xl/sharedStrings.xml", shared, "xl/worksheets/sheet1.xml", sheet, "xl/worksheets/_rels/sheet1.xml.rels", "<Relationships/>")
	got, err := text(t, data, TypeXLSX, DefaultLimits)
	want := "Danh mục tài liệu\nQuy trình kiểm soát\n2015 QT-01"
	if err != nil || got != want {
		t.Errorf("XLSX text = %q, %v; want %q", got, err, want)
	}
}

// A DOCX whose document part unpacks far beyond the limit is refused, whether its directory
// tells the truth or lies about the size.
func TestArchiveBomb(t *testing.T) {
	lim := Limits{Unpacked: 1 << 20, Entries: 100, Text: 1 << 20}
	huge := "<w:document><w:body><w:p><w:r><w:t>" + strings.Repeat("a", 3<<20) + "</w:t></w:r></w:p></w:body></w:document>"
	honest := zipOf(t, "word/document.xml", huge)
	if len(honest) > 64<<10 {
		t.Fatalf("the bomb is not compressed: %d bytes", len(honest))
	}
	if _, err := text(t, honest, TypeDOCX, lim); !errors.Is(err, ErrBomb) {
		t.Errorf("honest bomb: %v", err)
	}
	// The same content with a directory that claims 100 bytes.
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.BestCompression)
	_, _ = fw.Write([]byte(huge))
	_ = fw.Close()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CompressedSize64: uint64(raw.Len()), UncompressedSize64: 100, CRC32: 0})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(raw.Bytes())
	_ = zw.Close()
	// archive/zip itself stops reading past the declared size; either way it is refused.
	if got, err := text(t, b.Bytes(), TypeDOCX, lim); !errors.Is(err, ErrBomb) && !errors.Is(err, ErrFormat) || len(got) > 1<<20 {
		t.Errorf("lying bomb: %d bytes, %v", len(got), err)
	}
	// Too many entries.
	var parts []string
	for i := 0; i < 101; i++ {
		parts = append(parts, fmt.Sprintf("f%d.xml", i), "x")
	}
	parts = append(parts, "word/document.xml", docxBody)
	if _, err := text(t, zipOf(t, parts...), TypeDOCX, lim); !errors.Is(err, ErrBomb) {
		t.Errorf("many entries: %v", err)
	}
	// A PDF stream that inflates beyond the limit.
	var z bytes.Buffer
	zlw := zlib.NewWriter(&z)
	_, _ = zlw.Write(bytes.Repeat([]byte("(a) Tj "), 400000))
	_ = zlw.Close()
	pdf := pdfFile(map[int]string{
		1: "<< /Type /Catalog /Pages 2 0 R >>",
		2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		3: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
		4: fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.String()),
	})
	if _, err := text(t, pdf, TypePDF, lim); !errors.Is(err, ErrBomb) {
		t.Errorf("PDF bomb: %v", err)
	}
}

func TestNotWhatItSays(t *testing.T) {
	for typ, data := range map[string][]byte{
		TypeDOCX: []byte("<html>not a zip</html>"),
		TypeXLSX: zipOf(t, "a.txt", "no workbook"),
		TypeODT:  zipOf(t, "word/document.xml", docxBody),
		TypePDF:  []byte("PK\x03\x04 not a pdf"),
	} {
		if _, err := text(t, data, typ, DefaultLimits); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v", typ, err)
		}
	}
	if got, err := text(t, []byte("\x89PNG\r\n"), "image/png", DefaultLimits); got != "" || err != nil {
		t.Errorf("an image: %q %v", got, err)
	}
}

// pdfFile writes a minimal PDF with the given objects.
func pdfFile(objs map[int]string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	for n := 1; n <= len(objs); n++ {
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	b.WriteString("trailer\n<< /Root 1 0 R >>\n%%EOF\n")
	return b.Bytes()
}

func deflate(s string) string {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return z.String()
}

// A hand-made PDF: a Latin-1 font with literal strings, and a Type0 font whose dictionary
// sits in an object stream and whose ToUnicode table maps two-byte codes to Vietnamese.
func TestPDFHandMade(t *testing.T) {
	cmap := `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <0051> <0002> <0075> endbfchar
2 beginbfrange <0003> <0005> <0079> <0010> <0011> [<1EA5> <0070>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`
	// 0001 Q, 0002 u, 0003-0005 y z {, 0010 ấ, 0011 p
	content := "BT /F1 12 Tf 72 700 Td (Quy tr\\354nh \\(QT-07\\)) Tj 0 -14 Td [(s) 120 (\\364 ) -300 (19/2014)] TJ ET\n" +
		"BT /F2 12 Tf 1 0 0 1 72 600 Tm <000100020003> Tj <0010> Tj 1 0 0 1 72 580 Tm <0011> Tj ET"
	objStm := "5 0 << /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 7 0 R >>"
	first := len("5 0 ")
	_ = first
	header := "5 0 "
	pdf := pdfFile(map[int]string{
		1: "<< /Type /Catalog /Pages 2 0 R >>",
		2: "<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 6 0 R /F2 5 0 R >> >> >>",
		3: "<< /Type /Page /Parent 2 0 R /Contents [4 0 R] >>",
		4: fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(deflate(content)), deflate(content)),
		5: "null", // packed in the object stream (8)
		6: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		7: fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(cmap), cmap),
		8: fmt.Sprintf("<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream",
			len(header), len(deflate(objStm[len(header)-len("5 0 "):])), deflate(objStm[len(header)-len("5 0 "):])),
	})
	// Object 5 is defined as null in the file, so the packed one must not replace it… unless
	// the file's own is the placeholder: drop it to exercise the object stream.
	pdf = bytes.Replace(pdf, []byte("5 0 obj\nnull\nendobj\n"), nil, 1)
	got, err := text(t, pdf, TypePDF, DefaultLimits)
	want := "Quy trình (QT-07)\nsô 19/2014\nQuyấ\np"
	if err != nil || got != want {
		t.Errorf("PDF text = %q, %v; want %q", got, err, want)
	}
}

// A real file: Chromium's PDF of a Vietnamese page (subset fonts, Identity-H, ToUnicode).
func TestPDFChromium(t *testing.T) {
	data, err := os.ReadFile("testdata/chromium-vi.pdf")
	if err != nil {
		t.Fatal(err)
	}
	got, err := text(t, data, TypePDF, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Quy trình cấp giấy phép xây dựng", "QT-07", "19/2014/QĐ-TTg", "Sở Khoa học và Công nghệ tỉnh Nghệ An — Hệ thống quản lý chất lượng", "TCVN ISO 9001:2015"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n1 0 obj << /Type /Page /Contents 2 0 R >> endobj 2 0 obj << /Length 12 >> stream\nBT (a) Tj ET\nendstream endobj"), 0)
	f.Add(zipOf(f, "word/document.xml", docxBody), 1)
	f.Add(zipOf(f, "content.xml", "<text:p>x</text:p>"), 2)
	f.Add(zipOf(f, "xl/sharedStrings.xml", "<si><t>x</t></si>"), 3)
	types := []string{TypePDF, TypeDOCX, TypeODT, TypeXLSX}
	f.Fuzz(func(t *testing.T, data []byte, which int) {
		typ := types[(which%4+4)%4]
		lim := Limits{Unpacked: 4 << 20, Entries: 100, Text: 10000}
		got, err := Text(bytes.NewReader(data), int64(len(data)), typ, lim)
		if err != nil && !errors.Is(err, ErrBomb) && !errors.Is(err, ErrFormat) {
			t.Errorf("unexpected error: %v", err)
		}
		if len([]rune(got)) > lim.Text {
			t.Errorf("text of %d runes beyond the limit", len([]rune(got)))
		}
	})
}

// The file is read a chunk at a time: an object whose "n 0 obj" straddles the end of a chunk,
// or a stream whose length is another object, is still found; a large picture is never read.
func TestPDFAcrossChunks(t *testing.T) {
	content := "BT /F1 12 Tf 72 700 Td (Quy tr\\354nh ki\\352m so\\341t) Tj ET"
	file := func(pad int) []byte {
		return pdfFile(map[int]string{
			1: "<< /Type /Catalog /Pages 2 0 R >>",
			2: "<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 6 0 R >> >> >>",
			3: "<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
			4: fmt.Sprintf("<< /Type /XObject /Subtype /Image /Length %d /Filter /DCTDecode >>\nstream\n%s\nendstream", pad, strings.Repeat("\xff", pad)),
			5: "<< /Length 7 0 R >>\nstream\n" + content + "\nendstream",
			6: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
			7: strconv.Itoa(len(content)),
		})
	}
	// Padding that puts "5 0 obj" from 10 bytes before the end of the first chunk to just after.
	base := pdfScanChunk - 1000
	at := bytes.Index(file(base), []byte("5 0 obj"))
	for pad := base + pdfScanChunk - 10 - at; pad <= base+pdfScanChunk+2-at; pad++ {
		pdf := file(pad)
		got, err := text(t, pdf, TypePDF, DefaultLimits)
		if err != nil || got != "Quy trình kiêm soát" {
			t.Fatalf("object 5 at %d (chunk %d): %q %v", bytes.Index(pdf, []byte("5 0 obj")), pdfScanChunk, got, err)
		}
	}
}
