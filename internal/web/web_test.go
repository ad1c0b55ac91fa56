package web

import (
	"slices"
	"testing"

	"github.com/isogov/isogov/internal/qms"
)

// Vietnamese alphabetical order: a < ă < â < b … d < đ, and tones after the bare vowel.
func TestVietnameseOrder(t *testing.T) {
	names := []string{"Đô Lương", "Anh Sơn", "Yên Thành", "Diễn Châu", "Ăn Uống", "Âu Cơ", "Quỳ Hợp", "Quế Phong", "Con Cuông", "Cửa Lò"}
	list := make([]qms.Agency, len(names))
	for i, n := range names {
		list[i] = qms.Agency{Name: n, Kind: qms.KindDistrictCommittee}
	}
	sortAgencies(list, false)
	var got []string
	for _, a := range list {
		got = append(got, a.Name)
	}
	want := []string{"Anh Sơn", "Ăn Uống", "Âu Cơ", "Con Cuông", "Cửa Lò", "Diễn Châu", "Đô Lương", "Quế Phong", "Quỳ Hợp", "Yên Thành"}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
}

// The hierarchy puts children under their parent, ordered by kind then name, and lifts
// agencies whose parent is filtered out to the top.
func TestHierarchy(t *testing.T) {
	list := []qms.Agency{
		{ID: 1, Code: "UBNDT", Name: "UBND tỉnh", Kind: qms.KindProvincialCommittee},
		{ID: 2, Code: "SNV", Name: "Sở Nội vụ", Kind: qms.KindDepartment, ParentID: 1},
		{ID: 3, Code: "VP", Name: "Văn phòng", Kind: qms.KindOffice, ParentID: 1},
		{ID: 4, Code: "BTG", Name: "Ban Tôn giáo", Kind: qms.KindBoard, ParentID: 2},
		{ID: 5, Code: "ORPHAN", Name: "Mồ côi", Kind: qms.KindOther, ParentID: 99},
	}
	var got []string
	for _, r := range hierarchy(list) {
		got = append(got, r.Agency.Code+":"+string(rune('0'+r.Depth)))
	}
	want := []string{"UBNDT:0", "VP:1", "SNV:1", "BTG:2", "ORPHAN:0"}
	if !slices.Equal(got, want) {
		t.Errorf("hierarchy = %v, want %v", got, want)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/agencies?q=x": "/agencies?q=x", "//evil.example": "/", "https://evil.example": "/", `/\evil`: "/", "": "/"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q", in, got)
		}
	}
}
