package search

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// Every lower-case Vietnamese letter with a diacritic and the base letter it must fold to.
// Upper-case forms are checked through unicode.ToUpper.
var vietnameseLetters = map[string]string{
	"a": "àáảãạăằắẳẵặâầấẩẫậ",
	"e": "èéẻẽẹêềếểễệ",
	"i": "ìíỉĩị",
	"o": "òóỏõọôồốổỗộơờớởỡợ",
	"u": "ùúủũụưừứửữự",
	"y": "ỳýỷỹỵ",
	"d": "đ",
}

func TestFoldEveryVietnameseLetter(t *testing.T) {
	n := 0
	for base, letters := range vietnameseLetters {
		for _, r := range letters {
			for _, c := range []rune{r, unicode.ToUpper(r)} {
				n++
				if got := Fold(string(c)); got != base {
					t.Errorf("Fold(%q) = %q, want %q", c, got, base)
				}
			}
		}
	}
	if n != 134 { // 67 lower + 67 upper (research/go-codebases-and-dependencies.md §4)
		t.Fatalf("checked %d letters, want 134", n)
	}
}

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Sở Khoa học và Công nghệ", "so khoa hoc va cong nghe"},
		{"  ĐÀ   NẴNG\t", "da nang"},
		{"Chi cục Quản lý Chất lượng nông lâm sản và thủy sản", "chi cuc quan ly chat luong nong lam san va thuy san"},
		// Decomposed input (NFD from some keyboards) folds the same as precomposed.
		{"Nghe\u0302\u0323 An", "nghe an"},
		{"SKHCN-01", "skhcn-01"},
		{"", ""},
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEscapeLike(t *testing.T) {
	if got := EscapeLike(`50%_a\b`); got != `50\%\_a\\b` {
		t.Errorf("EscapeLike = %q", got)
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Sở Khoa học", "ĐĐđđ", "\xff\xfe", "a\u0301\u0302"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) produced invalid UTF-8", s)
		}
		if Fold(got) != got {
			t.Fatalf("Fold is not idempotent on %q: %q then %q", s, got, Fold(got))
		}
	})
}
