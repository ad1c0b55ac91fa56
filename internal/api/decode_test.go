package api

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// targets are the request bodies the API decodes.
var targets = []func() any{
	func() any { return &service.AgencyInput{} },
	func() any { return &agencyPatch{} },
	func() any { return &service.CloseInput{} },
	func() any { return &service.UserInput{} },
	func() any { return &userPatch{} },
	func() any { return &unitPatch{} },
}

// checkDecode decodes body into every target and fails unless each attempt either succeeds or
// returns an invalid-input error naming a field.
func checkDecode(t *testing.T, body []byte) {
	for i, mk := range targets {
		err := decodeJSON(bytes.NewReader(body), mk())
		if err == nil {
			continue
		}
		var de *qms.Error
		if !errors.As(err, &de) || de.Code != qms.EInvalid || len(de.Fields) != 1 || de.Fields[0].Field == "" || de.Fields[0].Message == "" {
			t.Fatalf("target %d, body %q: error %v is not a field error", i, body, err)
		}
	}
}

// FuzzDecode feeds arbitrary bytes to the request decoder: no panic, and every failure is a
// clear invalid-input error. Its seed corpus is testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"code":"SKHCN","name":"Sở Khoa học và Công nghệ","kind":"department","parent_code":"UBNDT","valid_from":"2012-01-04"}`,
		`{"on":"2025-07-01","kind":"merge","successors":["SKHCN","SNV"]}`,
		`{"email":"a@b.vn","name":"A","password":"Kh0ng-de-doan-2026","roles":["leader@SKHCN"]}`,
		`{"valid_from":"31/12/2025"}`, `{"valid_from":null}`, `{"closed":"yes"}`, `[]`, `null`, `{"a":1}{}`, "\xff\xfe", `{"name":"\u0000"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkDecode(t, body) })
}

// The decoder's answers for typical mistakes.
func TestDecodeErrors(t *testing.T) {
	for body, field := range map[string]string{
		``:                            "body",
		`{"code":`:                    "body",
		`{"code":"A"} {"code":"B"}`:   "body",
		`{"code":"A","extra":1}`:      "extra",
		`{"code":1}`:                  "code",
		`{"valid_from":"04/01/2012"}`: "body",
		`{"kind":["department"]}`:     "kind",
		`[{"code":"A"}]`:              "body",
	} {
		err := decodeJSON(strings.NewReader(body), &service.AgencyInput{})
		var de *qms.Error
		if !errors.As(err, &de) || de.Fields[0].Field != field {
			t.Errorf("%q: %v, want field %s", body, err, field)
		}
	}
	var in service.AgencyInput
	if err := decodeJSON(strings.NewReader(`{"code":"SKHCN","name":"Sở","kind":"department","valid_from":"2012-01-04"}`), &in); err != nil || in.ValidFrom.String() != "2012-01-04" {
		t.Errorf("valid body: %+v %v", in, err)
	}
}

// The seed corpus in testdata stays decodable by the fuzzer (a guard against a renamed target).
func TestFuzzCorpusPresent(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzDecode", "*"))
	if err != nil || len(files) < 5 {
		t.Fatalf("seed corpus: %d files, %v", len(files), err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil || !strings.HasPrefix(string(b), "go test fuzz v1\n") {
			t.Errorf("%s: not a fuzz corpus file (%v)", f, err)
		}
	}
}
