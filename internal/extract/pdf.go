package extract

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"regexp"
	"sort"
	"strconv"
	"unicode/utf16"
)

// The text layer of a PDF: the strings its pages show, mapped to Unicode through each font's
// ToUnicode table when it has one (Vietnamese PDFs made by Word or LibreOffice do). It reads
// plain and compressed objects (object streams) and FlateDecode streams; anything else is
// skipped. Scanned pages have no text layer and give nothing.

type pdfObj struct {
	dict []byte // the object's text up to "stream" (or the whole object)
	// A stream stays in the file until it is decoded: off and n place its raw bytes. Objects
	// unpacked from an object stream have no stream.
	hasStream bool
	off, n    int64
	end       int64 // where the object's text ends in the file (the next object begins)
}

type pdfDoc struct {
	r      io.ReaderAt
	size   int64
	objs   map[int]*pdfObj
	budget *budget
	cmaps  map[int]map[string]string // font object → code bytes → text
	widths map[int]int               // font object → code length in bytes (1 or 2)
	advs   map[int]map[int]float64   // font object → code → advance in thousandths of an em
	dw     map[int]float64           // font object → advance of codes not listed
}

var (
	objStart  = regexp.MustCompile(`(\d+)\s+(\d+)\s+obj\b`)
	refRe     = regexp.MustCompile(`^\s*(\d+)\s+\d+\s+R`)
	streamKw  = []byte("stream")
	endstream = []byte("endstream")
)

// pdfScanChunk is how much of the file is read at a time to find its objects; the file is never
// held whole, and streams (pictures above all) are read only when their text is wanted.
const pdfScanChunk = 1 << 20

// pdfMaxDict bounds how much of one object's text (its dictionary) is kept.
const pdfMaxDict = 1 << 20

func pdfText(r io.ReaderAt, size int64, lim Limits) (*textBuf, error) {
	head := make([]byte, min(size, 1024))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, ErrFormat
	}
	if !bytes.HasPrefix(bytes.TrimLeft(head, "\x00\t\n\r "), []byte("%PDF-")) {
		return nil, ErrFormat
	}
	d := &pdfDoc{r: r, size: size, objs: map[int]*pdfObj{}, budget: &budget{left: lim.Unpacked}, cmaps: map[int]map[string]string{}, widths: map[int]int{},
		advs: map[int]map[int]float64{}, dw: map[int]float64{}}
	if err := d.parse(); err != nil {
		return nil, err
	}
	if err := d.expandObjectStreams(); err != nil {
		return nil, err
	}
	out := newTextBuf(lim.Text)
	pages := d.pages()
	for _, p := range pages {
		fonts := d.pageFonts(p)
		for _, c := range d.contents(p) {
			content, err := d.decode(c)
			if err != nil {
				if errors.Is(err, ErrBomb) {
					return out, err
				}
				continue
			}
			d.show(content, fonts, out)
			if out.full() {
				return out, nil
			}
		}
		out.newline()
	}
	return out, nil
}

// parse finds every "n g obj … endobj" of the file (a later definition wins, as with
// incremental updates), reading the file a chunk at a time. It keeps each object's dictionary
// and where its stream lies.
func (d *pdfDoc) parse() error {
	type loc struct {
		num        int
		start, obj int64 // where "n g obj" starts and ends
	}
	var locs []loc
	const overlap = 64 // longer than any "n g obj" keyword
	buf := make([]byte, 0, pdfScanChunk+2*overlap)
	for off := int64(0); off < d.size; off += pdfScanChunk {
		from := max(0, off-overlap)
		buf = buf[:min(d.size, off+pdfScanChunk+overlap)-from]
		if _, err := d.r.ReadAt(buf, from); err != nil && !errors.Is(err, io.EOF) {
			return ErrFormat
		}
		for _, m := range objStart.FindAllSubmatchIndex(buf, -1) {
			at := from + int64(m[0])
			// A match belongs to the chunk it starts in, and starts where its number does.
			if at < off || at >= off+pdfScanChunk || m[0] > 0 && buf[m[0]-1] >= '0' && buf[m[0]-1] <= '9' {
				continue
			}
			num, err := strconv.Atoi(string(buf[m[2]:m[3]]))
			if err != nil {
				continue
			}
			locs = append(locs, loc{num, at, from + int64(m[1])})
		}
	}
	var lengths []*pdfObj // streams whose /Length is another object, resolved once all are read
	for i, l := range locs {
		end := d.size
		if i+1 < len(locs) {
			end = locs[i+1].start
		}
		body := make([]byte, min(end-l.obj, pdfMaxDict+2))
		if _, err := d.r.ReadAt(body, l.obj); err != nil && !errors.Is(err, io.EOF) {
			return ErrFormat
		}
		o := &pdfObj{dict: body, end: end}
		if s := bytes.Index(body, streamKw); s >= 0 && !bytes.HasPrefix(body[s:], endstream) && (s == 0 || body[s-1] != 'd') {
			o.dict = bytes.Clone(body[:s])
			start := s + len(streamKw)
			if start < len(body) && body[start] == '\r' {
				start++
			}
			if start < len(body) && body[start] == '\n' {
				start++
			}
			o.hasStream, o.off = true, l.obj+int64(start)
			if n, ok := d.directInt(o.dict, "/Length"); ok && n >= 0 && o.off+int64(n) <= end {
				o.n = int64(n)
			} else {
				o.n = -1
				lengths = append(lengths, o)
			}
		} else if len(body) > pdfMaxDict {
			o.dict = body[:pdfMaxDict]
		}
		d.objs[l.num] = o
	}
	for _, o := range lengths {
		if n, ok := d.directInt(o.dict, "/Length"); ok && n >= 0 && o.off+int64(n) <= o.end {
			o.n = int64(n)
			continue
		}
		// No usable length: the stream runs to the last "endstream" of the object.
		tail := make([]byte, min(o.end-o.off, 4096))
		if _, err := d.r.ReadAt(tail, o.end-int64(len(tail))); err != nil && !errors.Is(err, io.EOF) {
			return ErrFormat
		}
		o.n = o.end - o.off
		if e := bytes.LastIndex(tail, endstream); e >= 0 {
			o.n = o.end - int64(len(tail)) + int64(e) - o.off
		}
		o.n = max(o.n, 0)
	}
	return nil
}

// expandObjectStreams adds the objects packed in /Type /ObjStm streams.
func (d *pdfDoc) expandObjectStreams() error {
	nums := make([]int, 0, len(d.objs))
	for n := range d.objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		o := d.objs[n]
		if !o.hasStream || !bytes.Contains(o.dict, []byte("/ObjStm")) {
			continue
		}
		data, err := d.decode(o)
		if errors.Is(err, ErrBomb) {
			return err
		}
		if err != nil {
			continue
		}
		count, _ := d.directInt(o.dict, "/N")
		first, ok := d.directInt(o.dict, "/First")
		if !ok || first < 0 || first > len(data) || count < 0 || count > 100000 {
			continue
		}
		head := bytes.Fields(data[:first])
		type entry struct{ num, off int }
		var entries []entry
		for i := 0; i+1 < len(head) && len(entries) < count; i += 2 {
			num, e1 := strconv.Atoi(string(head[i]))
			off, e2 := strconv.Atoi(string(head[i+1]))
			if e1 != nil || e2 != nil || off < 0 || first+off > len(data) {
				break
			}
			entries = append(entries, entry{num, first + off})
		}
		for i, e := range entries {
			end := len(data)
			if i+1 < len(entries) && entries[i+1].off >= e.off {
				end = entries[i+1].off
			}
			if _, exists := d.objs[e.num]; !exists {
				d.objs[e.num] = &pdfObj{dict: data[e.off:end]}
			}
		}
	}
	return nil
}

// directInt reads "/Key 123" from a dictionary (not an indirect reference).
func (d *pdfDoc) directInt(dict []byte, key string) (int, bool) {
	v := d.value(dict, key)
	if v == nil || refRe.Match(v) {
		if m := refRe.FindSubmatch(v); m != nil { // a length kept in another object
			n, _ := strconv.Atoi(string(m[1]))
			if o, ok := d.objs[n]; ok && !o.hasStream {
				x, err := strconv.Atoi(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(o.dict), []byte("endobj")))))
				return x, err == nil
			}
		}
		return 0, false
	}
	f := bytes.Fields(v)
	if len(f) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(string(f[0]))
	return n, err == nil
}

// value returns the bytes after "/Key" in a dictionary: up to the end of the dictionary text.
func (d *pdfDoc) value(dict []byte, key string) []byte {
	for i := 0; ; {
		j := bytes.Index(dict[i:], []byte(key))
		if j < 0 {
			return nil
		}
		k := i + j + len(key)
		// The key must end here ("/Length" is not "/Length1").
		if k < len(dict) && isRegular(dict[k]) {
			i = k
			continue
		}
		return dict[k:]
	}
}

func isRegular(c byte) bool {
	return !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0 ||
		c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%')
}

// ref reads "/Key n g R" and returns n.
func (d *pdfDoc) ref(dict []byte, key string) (int, bool) {
	m := refRe.FindSubmatch(d.value(dict, key))
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(string(m[1]))
	return n, err == nil
}

// decode returns a stream's bytes with FlateDecode undone, within the budget.
func (d *pdfDoc) decode(o *pdfObj) ([]byte, error) {
	if o == nil || !o.hasStream {
		return nil, ErrFormat
	}
	raw := io.NewSectionReader(d.r, o.off, o.n)
	filter := d.value(o.dict, "/Filter")
	switch {
	case filter == nil:
		if o.n > d.budget.left {
			return nil, ErrBomb
		}
		d.budget.left -= o.n
		out := make([]byte, o.n)
		if _, err := io.ReadFull(raw, out); err != nil {
			return nil, ErrFormat
		}
		return out, nil
	case bytes.HasPrefix(bytes.TrimLeft(filter, " \r\n[\t"), []byte("/FlateDecode")) && !bytes.Contains(firstLine(filter), []byte("/DCT")):
		zr, err := zlib.NewReader(bufio.NewReader(raw))
		if err != nil {
			return nil, ErrFormat
		}
		defer zr.Close()
		out, err := io.ReadAll(&limited{r: zr, b: d.budget})
		if errors.Is(err, ErrBomb) {
			return nil, ErrBomb
		}
		if len(out) == 0 && err != nil {
			return nil, ErrFormat
		}
		return out, nil // a truncated stream still gives what it holds
	}
	return nil, ErrFormat
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexAny(b, "\r\n>"); i >= 0 {
		return b[:i]
	}
	return b
}

// pages returns the page objects in object-number order (close to reading order for the
// files offices produce).
func (d *pdfDoc) pages() []*pdfObj {
	nums := make([]int, 0)
	for n, o := range d.objs {
		if isPage(o.dict) {
			nums = append(nums, n)
		}
	}
	sort.Ints(nums)
	out := make([]*pdfObj, len(nums))
	for i, n := range nums {
		out[i] = d.objs[n]
	}
	return out
}

var pageType = regexp.MustCompile(`/Type\s*/Page\b`)

func isPage(dict []byte) bool {
	for _, m := range pageType.FindAllIndex(dict, -1) {
		if m[1] >= len(dict) || !isRegular(dict[m[1]]) {
			return true
		}
	}
	return false
}

var refAll = regexp.MustCompile(`(\d+)\s+\d+\s+R`)

// contents returns a page's content streams.
func (d *pdfDoc) contents(p *pdfObj) []*pdfObj {
	v := d.value(p.dict, "/Contents")
	if v == nil {
		return nil
	}
	v = bytes.TrimLeft(v, " \r\n\t")
	if len(v) > 0 && v[0] == '[' {
		if e := bytes.IndexByte(v, ']'); e >= 0 {
			v = v[:e]
		}
	} else if m := refRe.FindIndex(v); m != nil {
		v = v[:m[1]]
	} else {
		return nil
	}
	var out []*pdfObj
	for _, m := range refAll.FindAllSubmatch(v, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		if o, ok := d.objs[n]; ok {
			out = append(out, o)
		}
	}
	return out
}

var fontEntry = regexp.MustCompile(`/([^\s/<>\[\]()]+)\s+(\d+)\s+\d+\s+R`)

// pageFonts maps a page's font resource names to font objects, following /Resources and the
// page tree's inherited resources.
func (d *pdfDoc) pageFonts(p *pdfObj) map[string]int {
	dict := p.dict
	for hops := 0; hops < 32; hops++ {
		res := d.value(dict, "/Resources")
		if res != nil {
			if n, ok := d.ref(dict, "/Resources"); ok {
				if o, ok := d.objs[n]; ok {
					res = o.dict
				}
			}
			fonts := d.value(res, "/Font")
			if n, ok := d.ref(res, "/Font"); ok {
				if o, ok := d.objs[n]; ok {
					fonts = o.dict
				}
			}
			return d.fontMap(fonts)
		}
		parent, ok := d.ref(dict, "/Parent")
		if !ok || d.objs[parent] == nil {
			return nil
		}
		dict = d.objs[parent].dict
	}
	return nil
}

func (d *pdfDoc) fontMap(fonts []byte) map[string]int {
	fonts = bytes.TrimLeft(fonts, " \r\n\t")
	if !bytes.HasPrefix(fonts, []byte("<<")) {
		return nil
	}
	if e := bytes.Index(fonts, []byte(">>")); e >= 0 {
		fonts = fonts[2:e]
	}
	out := map[string]int{}
	for _, m := range fontEntry.FindAllSubmatch(fonts, -1) {
		n, _ := strconv.Atoi(string(m[2]))
		out[string(m[1])] = n
	}
	return out
}

// cmap returns a font's ToUnicode table and its code length, reading it once.
func (d *pdfDoc) cmap(font int) (map[string]string, int) {
	if m, ok := d.cmaps[font]; ok {
		return m, d.widths[font]
	}
	d.cmaps[font], d.widths[font] = nil, 1
	o := d.objs[font]
	if o == nil {
		return nil, 1
	}
	n, ok := d.ref(o.dict, "/ToUnicode")
	if !ok {
		if bytes.Contains(o.dict, []byte("/Identity-H")) || bytes.Contains(o.dict, []byte("/Type0")) {
			d.widths[font] = 2
		}
		return nil, d.widths[font]
	}
	data, err := d.decode(d.objs[n])
	if err != nil {
		return nil, 1
	}
	m, w := parseCMap(data)
	d.cmaps[font], d.widths[font] = m, w
	return m, w
}

// parseCMap reads the bfchar and bfrange sections of a ToUnicode CMap.
func parseCMap(data []byte) (map[string]string, int) {
	m := map[string]string{}
	width := 1
	toks := pdfTokens(data, 200000)
	isOp := func(t token, op string) bool { return t.kind == tokOp && string(t.op) == op }
	for i := 0; i < len(toks); {
		t := toks[i]
		i++
		switch {
		case isOp(t, "begincodespacerange"):
			if i < len(toks) && toks[i].kind == tokString && len(toks[i].s) == 2 {
				width = 2
			}
		case isOp(t, "beginbfchar"):
			for i+1 < len(toks) && !isOp(toks[i], "endbfchar") {
				src, dst := toks[i], toks[i+1]
				i += 2
				if src.kind == tokString && dst.kind == tokString {
					m[string(src.s)] = utf16BE(dst.s)
				}
			}
		case isOp(t, "beginbfrange"):
			for i+2 < len(toks) && !isOp(toks[i], "endbfrange") {
				lo, hi, dst := toks[i], toks[i+1], toks[i+2]
				i += 3
				var items []token
				if dst.kind == tokArrayStart {
					for i < len(toks) && toks[i].kind != tokArrayEnd {
						items = append(items, toks[i])
						i++
					}
					i++ // past "]"
				}
				if lo.kind != tokString || hi.kind != tokString || len(lo.s) != len(hi.s) || len(lo.s) == 0 || len(lo.s) > 4 {
					continue
				}
				a, b := codeInt(lo.s), codeInt(hi.s)
				if b < a || b-a > 65535 {
					continue
				}
				switch dst.kind {
				case tokString:
					base := []rune(utf16BE(dst.s))
					if len(base) == 0 {
						continue
					}
					for c := a; c <= b; c++ {
						r := append([]rune{}, base...)
						r[len(r)-1] += rune(c - a)
						m[string(codeBytes(c, len(lo.s)))] = string(r)
					}
				case tokArrayStart:
					for k, it := range items {
						if it.kind == tokString && a+k <= b {
							m[string(codeBytes(a+k, len(lo.s)))] = utf16BE(it.s)
						}
					}
				}
			}
		}
	}
	return m, width
}

func codeInt(b []byte) int {
	n := 0
	for _, c := range b {
		n = n<<8 | int(c)
	}
	return n
}

func codeBytes(n, size int) []byte {
	b := make([]byte, size)
	for i := size - 1; i >= 0; i-- {
		b[i] = byte(n)
		n >>= 8
	}
	return b
}

func utf16BE(b []byte) string {
	if len(b)%2 == 1 {
		b = append([]byte{0}, b...)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

// show runs a content stream's text operators and writes what they show. Where a word ends
// is found from the glyphs' widths: a jump well past the end of the last run is a space; a
// change of line is a new line.
func (d *pdfDoc) show(content []byte, fonts map[string]int, out *textBuf) {
	toks := pdfTokens(content, 4_000_000)
	var stack []token
	font := -1
	size := 12.0
	var lineX, lineY, curX, posX float64
	moved, hasRun := false, false
	num := func(k int) (float64, bool) { // the k-th operand from the end
		if len(stack) < k || stack[len(stack)-k].kind != tokNumber {
			return 0, false
		}
		return stack[len(stack)-k].num, true
	}
	emit := func(s []byte) {
		text := d.decodeString(s, font)
		advance := d.advance(s, font)
		if moved && hasRun {
			if gap := posX - curX; gap > 0.3*size || gap < -2*size {
				out.write(" ")
			}
		}
		if moved {
			curX, moved = posX, false
		}
		out.write(text)
		hasRun = hasRun || text != ""
		curX += advance / 1000 * size
	}
	newline := func() {
		if hasRun {
			out.newline()
		}
		hasRun = false
	}
	for i := 0; i < len(toks) && !out.full(); i++ {
		t := toks[i]
		if t.kind != tokOp {
			if len(stack) < 4096 {
				stack = append(stack, t)
			}
			continue
		}
		switch string(t.op) {
		case "Tf":
			if len(stack) >= 2 && stack[len(stack)-2].kind == tokName {
				if n, ok := fonts[string(stack[len(stack)-2].s)]; ok {
					font = n
				} else {
					font = -1
				}
			}
			if v, ok := num(1); ok && v != 0 {
				size = max(v, -v)
			}
		case "Tj", "'", "\"":
			if string(t.op) != "Tj" {
				newline()
				moved, posX = true, lineX
			}
			if len(stack) > 0 && stack[len(stack)-1].kind == tokString {
				emit(stack[len(stack)-1].s)
			}
		case "TJ":
			start := len(stack) - 1
			for start >= 0 && stack[start].kind != tokArrayStart {
				start--
			}
			for _, e := range stack[max(start, 0):] {
				switch e.kind {
				case tokString:
					emit(e.s)
				case tokNumber:
					if e.num < -180 { // a gap wider than a space, in thousandths of an em
						out.write(" ")
					}
					curX -= e.num / 1000 * size
				}
			}
		case "Td", "TD":
			tx, ok1 := num(2)
			ty, ok2 := num(1)
			if ok1 && ok2 {
				lineX, lineY = lineX+tx, lineY+ty
				if ty != 0 {
					newline()
				}
				moved, posX = true, lineX
			}
		case "Tm":
			x, ok1 := num(2)
			y, ok2 := num(1)
			if ok1 && ok2 {
				if y != lineY {
					newline()
				}
				lineX, lineY = x, y
				moved, posX = true, x
			}
		case "T*":
			newline()
			moved, posX = true, lineX
		}
		stack = stack[:0]
	}
}

// advance is the width of a shown string in thousandths of an em, from the font's /Widths
// (simple fonts) or its descendant's /W and /DW (Type0); half an em per glyph when unknown.
func (d *pdfDoc) advance(s []byte, font int) float64 {
	width := 1
	if font >= 0 {
		_, width = d.cmap(font)
	}
	advs, dw := d.fontAdvances(font)
	total := 0.0
	for i := 0; i+width <= len(s); i += width {
		if a, ok := advs[codeInt(s[i:i+width])]; ok {
			total += a
		} else {
			total += dw
		}
	}
	return total
}

// fontAdvances reads a font's glyph widths once.
func (d *pdfDoc) fontAdvances(font int) (map[int]float64, float64) {
	if font < 0 || d.objs[font] == nil {
		return nil, 500
	}
	if m, ok := d.advs[font]; ok {
		return m, d.dw[font]
	}
	m := map[int]float64{}
	d.advs[font], d.dw[font] = m, 500
	dict := d.objs[font].dict
	if w := d.array(dict, "/Widths"); w != nil {
		first, _ := d.directInt(dict, "/FirstChar")
		for i, t := range w {
			if t.kind == tokNumber {
				m[first+i] = t.num
			}
		}
		return m, 500
	}
	desc := d.array(dict, "/DescendantFonts")
	if len(desc) < 3 || desc[0].kind != tokNumber {
		return m, 500
	}
	cid := d.objs[int(desc[0].num)]
	if cid == nil {
		return m, 500
	}
	d.dw[font] = 1000
	if v, ok := d.directInt(cid.dict, "/DW"); ok {
		d.dw[font] = float64(v)
	}
	w := d.array(cid.dict, "/W")
	for i := 0; i < len(w); {
		if w[i].kind != tokNumber {
			i++
			continue
		}
		c := int(w[i].num)
		switch {
		case i+1 < len(w) && w[i+1].kind == tokArrayStart:
			i += 2
			for ; i < len(w) && w[i].kind == tokNumber; i++ {
				m[c] = w[i].num
				c++
			}
			i++ // past "]"
		case i+2 < len(w) && w[i+1].kind == tokNumber && w[i+2].kind == tokNumber:
			for k := c; k <= int(w[i+1].num) && k-c < 65536; k++ {
				m[k] = w[i+2].num
			}
			i += 3
		default:
			i++
		}
	}
	return m, d.dw[font]
}

// array returns the tokens inside "/Key [ … ]" (nested arrays included), following a reference
// to an array object; nil if the key is missing.
func (d *pdfDoc) array(dict []byte, key string) []token {
	v := d.value(dict, key)
	if v == nil {
		return nil
	}
	if n, ok := d.ref(dict, key); ok && d.objs[n] != nil {
		v = d.objs[n].dict
	}
	toks := pdfTokens(v, 200000)
	if len(toks) == 0 || toks[0].kind != tokArrayStart {
		return nil
	}
	depth := 0
	for i, t := range toks {
		switch t.kind {
		case tokArrayStart:
			depth++
		case tokArrayEnd:
			depth--
			if depth == 0 {
				return toks[1:i]
			}
		}
	}
	return toks[1:]
}

// decodeString maps a shown string to text through the font's ToUnicode table, or reads it
// as single-byte text (PDFDocEncoding and WinAnsi agree with Latin-1 on letters).
func (d *pdfDoc) decodeString(s []byte, font int) string {
	var m map[string]string
	width := 1
	if font >= 0 {
		m, width = d.cmap(font)
	}
	if m == nil {
		if width == 2 {
			return "" // glyph ids without a table: no text to recover
		}
		r := make([]rune, len(s))
		for i, c := range s {
			r[i] = rune(c)
		}
		return string(r)
	}
	var b []byte
	for i := 0; i+width <= len(s); i += width {
		if u, ok := m[string(s[i:i+width])]; ok {
			b = append(b, u...)
		}
	}
	return string(b)
}

type tokKind int

const (
	tokOp tokKind = iota
	tokNumber
	tokString
	tokName
	tokArrayStart
	tokArrayEnd
	tokOther
)

type token struct {
	kind tokKind
	op   []byte
	s    []byte
	num  float64
}

// pdfTokens splits PDF content into tokens, at most max of them.
func pdfTokens(b []byte, max int) []token {
	var out []token
	i := 0
	for i < len(b) && len(out) < max {
		c := b[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0:
			i++
		case c == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case c == '(':
			s, n := literalString(b[i:])
			out = append(out, token{kind: tokString, s: s})
			i += n
		case c == '<' && i+1 < len(b) && b[i+1] == '<':
			out = append(out, token{kind: tokOther})
			i += 2
		case c == '>' && i+1 < len(b) && b[i+1] == '>':
			out = append(out, token{kind: tokOther})
			i += 2
		case c == '<':
			j := bytes.IndexByte(b[i:], '>')
			if j < 0 {
				j = len(b) - i
			}
			out = append(out, token{kind: tokString, s: hexString(b[i+1 : i+j])})
			i += j + 1
		case c == '[':
			out = append(out, token{kind: tokArrayStart})
			i++
		case c == ']':
			out = append(out, token{kind: tokArrayEnd})
			i++
		case c == '/':
			j := i + 1
			for j < len(b) && isRegular(b[j]) {
				j++
			}
			out = append(out, token{kind: tokName, s: b[i+1 : j]})
			i = j
		case c == '{' || c == '}' || c == ')' || c == '>':
			i++
		default:
			j := i
			for j < len(b) && isRegular(b[j]) {
				j++
			}
			if j == i {
				j++
			}
			word := b[i:j]
			if f, err := strconv.ParseFloat(string(word), 64); err == nil {
				out = append(out, token{kind: tokNumber, num: f})
			} else {
				out = append(out, token{kind: tokOp, op: word})
			}
			i = j
		}
	}
	return out
}

// literalString reads "( … )" with nesting and escapes; it returns the bytes and the length read.
func literalString(b []byte) ([]byte, int) {
	var out []byte
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '(':
			if depth > 0 {
				out = append(out, c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return out, i + 1
			}
			out = append(out, c)
		case c == '\\' && i+1 < len(b):
			i++
			switch e := b[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r', '\n': // a line continuation
				if e == '\r' && i+1 < len(b) && b[i+1] == '\n' {
					i++
				}
			default:
				if e >= '0' && e <= '7' {
					n := 0
					for k := 0; k < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7'; k++ {
						n = n*8 + int(b[i]-'0')
						i++
					}
					i--
					out = append(out, byte(n))
				} else {
					out = append(out, e)
				}
			}
		default:
			out = append(out, c)
		}
	}
	return out, len(b)
}

func hexString(b []byte) []byte {
	var out []byte
	var hi byte
	half := false
	for _, c := range b {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return out
}
