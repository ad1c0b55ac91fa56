package search

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// slowTerms is the definition eachTerm must agree with: fold the whole text, then cut it at
// every character that is not an ASCII letter or digit.
func slowTerms(text string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(Fold(text), func(r rune) bool { return !termRune(r) }) {
		if len(t) <= MaxTermLen {
			out = append(out, t)
		}
	}
	return out
}

func TestTerms(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Quy trình cấp giấy phép", "quy trinh cap giay phep"},
		{"QT-01", "qt 01 qt01"},
		{"Quyết định số 19/2014/QĐ-TTg", "quyet dinh so 19 2014 qd ttg 192014 192014qd 192014qdttg 2014qd 2014qdttg qdttg"},
		{"ISO 9001:2015, điều 7.5", "iso 9001 2015 90012015 dieu 7 5 75"},
		{"Đ\u0110a\u0301", "dda"},             // decomposed input, marks joined to their letter
		{"naïve ∑ 中文 x", "naive x"},           // other scripts separate
		{strings.Repeat("x", 65) + " y", "y"}, // over-long runs are dropped
		{"", ""},
	}
	for _, c := range cases {
		if got := IndexTerms(c.in); got != c.want {
			t.Errorf("IndexTerms(%q) = %q, want %q", c.in, got, c.want)
		}
		if got, want := termsOf(c.in, MaxIndexTerms), slowTerms(c.in); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("terms(%q) = %q, folding whole gives %q", c.in, got, want)
		}
	}
	long := strings.Repeat("một hai ", MaxIndexTerms)
	if n := len(strings.Fields(IndexTerms(long))); n != MaxIndexTerms {
		t.Errorf("a long text indexes %d terms, want %d", n, MaxIndexTerms)
	}
}

func TestParseQuery(t *testing.T) {
	cases := []struct{ in, str, fts, ts string }{
		{"quy trinh cap giay phep", "quy trinh cap giay phep", `"quy" AND "trinh" AND "cap" AND "giay" AND "phep"`, "quy & trinh & cap & giay & phep"},
		{"19/2014", "19 2014", `"192014"`, "192014"},
		{"QT-01  Phiếu", "qt 01 phieu", `"qt01" AND "phieu"`, "qt01 & phieu"},
		{"trìn* QT-0* x*", "trin* qt 0* x", `"trin" * AND "qt0" * AND "x"`, "trin:* & qt0:* & x"}, // a prefix needs two characters
		{`" * -- ' ;`, "", "", ""},
		{`"OR" NEAR(a)`, "or near a", `"or" AND "neara"`, "or & neara"},
	}
	for _, c := range cases {
		q := ParseQuery(c.in)
		if q.String() != c.str || q.FTS5() != c.fts || q.TSQuery() != c.ts {
			t.Errorf("ParseQuery(%q) = %q, %q, %q; want %q, %q, %q", c.in, q.String(), q.FTS5(), q.TSQuery(), c.str, c.fts, c.ts)
		}
		if q.Empty() != (c.str == "") {
			t.Errorf("ParseQuery(%q).Empty() = %v", c.in, q.Empty())
		}
	}
	if n := len(ParseQuery(strings.Repeat("a ", 50)).Groups); n != MaxQueryGroups {
		t.Errorf("a long query keeps %d groups, want %d", n, MaxQueryGroups)
	}
}

func render(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Hit {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestPassage(t *testing.T) {
	text := "Mục đích: quy định trình tự.\n\nPhạm vi: áp dụng cho việc cấp   giấy phép hoạt động theo Quyết định 19/2014/QĐ-TTg. Trách nhiệm: lãnh đạo."
	cases := []struct {
		q     string
		width int
		want  string
	}{
		{"cap giay phep", 8, "… cho việc [cấp giấy phép] hoạt động theo …"},
		{"19/2014", 6, "… định [19/2014]/QĐ-TTg. Trách …"},
		{"trach nhiem lanh", 40, "Mục đích: quy định trình tự. Phạm vi: áp dụng cho việc cấp giấy phép hoạt động theo Quyết định 19/2014/QĐ-TTg. [Trách nhiệm]: [lãnh] đạo."},
		{"trach nhiem la", 6, "… QĐ-TTg. [Trách nhiệm]: lãnh đạo."},
		{"trach nhiem la*", 6, "… QĐ-TTg. [Trách nhiệm]: [lãnh] đạo."},
		{"khong co", 3, "Mục đích: quy …"},
	}
	for _, c := range cases {
		if got := render(Passage(text, ParseQuery(c.q), c.width)); got != c.want {
			t.Errorf("Passage(%q, %d)\n got %q\nwant %q", c.q, c.width, got, c.want)
		}
	}
	if Passage("", ParseQuery("x"), 10) != nil || Passage("— …", ParseQuery("x"), 10) != nil {
		t.Error("a text without words has no passage")
	}
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{"Quy trình QT-01", "19/2014/QĐ-UBND", "a\u0301\u0110", "\xff\xfe", "İstanbul ǅ K"} {
		f.Add(s, "quy 2014")
	}
	f.Fuzz(func(t *testing.T, text, query string) {
		if got, want := termsOf(text, MaxIndexTerms), slowTerms(text); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("terms(%q) = %q, folding whole gives %q", text, got, want)
		}
		q := ParseQuery(query)
		for _, g := range q.Groups {
			for _, term := range g.Terms {
				if term == "" || strings.ContainsAny(term, `"*:&|!<>()' `) {
					t.Fatalf("query %q has the term %q", query, term)
				}
			}
		}
		for _, s := range Passage(text, q, 12) {
			if !utf8.ValidString(s.Text) && utf8.ValidString(text) {
				t.Fatalf("passage of valid text is not valid: %q", s.Text)
			}
		}
	})
}

func TestRank(t *testing.T) {
	c := func(id int64, title, body string) Candidate {
		return Candidate{id, IndexTerms(title), IndexTerms(body)}
	}
	cands := []Candidate{
		c(1, "Phiếu theo dõi", "ghi số hồ sơ đề nghị cấp giấy phép, ngày nhận, ngày trả, ghi chú khác về hồ sơ và kết quả"),
		c(2, "Quy trình cấp giấy phép", "tiếp nhận hồ sơ"),
		c(3, "Hướng dẫn", "cấp giấy phép cấp giấy phép cấp giấy phép"),
		c(4, "Quy trình cấp giấy phép hoạt động", "tiếp nhận hồ sơ"),
	}
	got := fmt.Sprint(Rank(ParseQuery("cap giay phep"), cands))
	if got != "[2 4 3 1]" { // titles first (the shorter one ahead), then the text that says it most
		t.Errorf("rank: %s", got)
	}
	if got := fmt.Sprint(Rank(ParseQuery("nhan"), cands)); got != "[2 4 1 3]" { // ties keep the given order
		t.Errorf("rank of whole words: %s", got)
	}
	if n := countTerm("giayphep phep giayphepx xgiayphep giayphep", "giayphep", false); n != 2 {
		t.Errorf("whole-term count: %d", n)
	}
	if n := countTerm("giayphep phep giayphepx xgiayphep giayphep", "giayphep", true); n != 3 {
		t.Errorf("prefix count: %d", n)
	}
}
