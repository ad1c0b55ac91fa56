package export

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// Docx builds a Word document of headings, paragraphs and tables in Times New Roman 13 pt,
// the type Decree 30/2020 asks of administrative documents.
type Docx struct {
	body strings.Builder
}

// Para is a paragraph's look.
type Para struct {
	Bold, Center bool
	Size         int // half-points; 0: 26 (13 pt)
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// run writes text as runs, a line break for each newline.
func run(text string, p Para) string {
	size := p.Size
	if size == 0 {
		size = 26
	}
	props := `<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>`
	if p.Bold {
		props += `<w:b/>`
	}
	props += `<w:sz w:val="` + strconv.Itoa(size) + `"/></w:rPr>`
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString(`<w:r>` + props + `<w:br/></w:r>`)
		}
		b.WriteString(`<w:r>` + props + `<w:t xml:space="preserve">` + esc(line) + `</w:t></w:r>`)
	}
	return b.String()
}

func paragraph(text string, p Para) string {
	ppr := ""
	if p.Center {
		ppr = `<w:pPr><w:jc w:val="center"/></w:pPr>`
	}
	return `<w:p>` + ppr + run(text, p) + `</w:p>`
}

// P adds a paragraph.
func (d *Docx) P(text string, p Para) { d.body.WriteString(paragraph(text, p)) }

// Table adds a table with borders; the first row is the header, in bold.
func (d *Docx) Table(rows [][]string) {
	d.body.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		d.body.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	d.body.WriteString(`</w:tblBorders></w:tblPr>`)
	for i, row := range rows {
		d.body.WriteString(`<w:tr>`)
		for _, cell := range row {
			d.body.WriteString(`<w:tc>` + paragraph(cell, Para{Bold: i == 0, Size: 24}) + `</w:tc>`)
		}
		d.body.WriteString(`</w:tr>`)
	}
	d.body.WriteString(`</w:tbl>` + paragraph("", Para{}))
}

// Write writes the document as a .docx file.
func (d *Docx) Write(w io.Writer) error {
	zw := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			d.body.String() + `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:body></w:document>`},
	}
	for _, p := range parts {
		f, err := zw.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	return zw.Close()
}
