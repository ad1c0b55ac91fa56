package service_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// codes lists the document codes of a page of results, best first, with the agency.
func codes(r service.SearchResult) string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.AgencyCode+"/"+h.DocCode+"#"+string(rune('0'+h.Revision.Number)))
	}
	return strings.Join(out, " ")
}

func marked(spans []search.Span) string {
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

// The same searches give the same answers on SQLite (FTS5) and PostgreSQL (full-text).
func TestSearch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		staff, leader, snv, coord := who["staff@SKHCN"], who["leader@SKHCN"], who["leader@SNV"], who["coordinator"]
		doc := func(a *qms.Actor, agency string, in service.DocumentInput, body string) qms.Document {
			t.Helper()
			d, err := svc.CreateDocument(ctx, a, agency, in)
			if err != nil {
				t.Fatal(err)
			}
			if body != "" {
				v, err := svc.UploadMainFile(ctx, a, agency, d.Latest.ID, d.Latest.Version, bytes.NewReader(docx(t, body)), "f.docx")
				if err != nil {
					t.Fatal(err)
				}
				d.Latest = &v
			}
			return d
		}
		permit := doc(staff, "SKHCN", service.DocumentInput{Type: "procedure", Title: "Quy trình cấp giấy phép hoạt động", Clauses: []string{"8.2.1"}},
			"Mục đích: quy định trình tự tiếp nhận và trả kết quả. Căn cứ Quyết định số 19/2014/QĐ-TTg của Thủ tướng Chính phủ.")
		form := doc(staff, "SKHCN", service.DocumentInput{Type: "form", Title: "Phiếu theo dõi hồ sơ", Clauses: []string{"7.5.3"}},
			"Ghi số hồ sơ đề nghị cấp giấy phép, ngày nhận, ngày trả.")
		doc(staff, "SKHCN", service.DocumentInput{Type: "external", Title: "Quyết định áp dụng ISO 9001 vào hoạt động của cơ quan hành chính",
			External: &qms.ExternalDoc{Number: "19/2014/QĐ-TTg", Issuer: "Thủ tướng Chính phủ", SignedOn: qms.NewDate(2014, 3, 5), EffectiveOn: qms.NewDate(2014, 4, 20)}}, "")
		doc(snv, "SNV", service.DocumentInput{Type: "procedure", Title: "Quy trình cấp giấy phép thành lập hội"}, "Hồ sơ đề nghị thành lập hội.")

		find := func(a *qms.Actor, r service.SearchRequest) service.SearchResult {
			t.Helper()
			res, err := svc.Search(ctx, a, r)
			if err != nil {
				t.Fatalf("search %+v: %v", r, err)
			}
			return res
		}
		// Without diacritics, a title match ranks above a body match; another agency's
		// document stays out of sight.
		res := find(staff, service.SearchRequest{Query: "quy trinh cap giay phep"})
		if got := codes(res); got != "SKHCN/QT-01#1" || res.Total != 1 {
			t.Errorf("folded title: %q (%d)", got, res.Total)
		}
		res = find(staff, service.SearchRequest{Query: "giấy phép"})
		if got := codes(res); got != "SKHCN/QT-01#1 SKHCN/BM-01-01#1" {
			t.Errorf("title before body: %q", got)
		}
		if got := marked(res.Hits[1].Passage); !strings.Contains(got, "đề nghị cấp [giấy phép], ngày nhận") {
			t.Errorf("passage: %q", got)
		}
		// Legal numbers and codes, whatever their punctuation.
		if got := codes(find(staff, service.SearchRequest{Query: "19/2014"})); got != "SKHCN/VBN-001#1 SKHCN/QT-01#1" {
			t.Errorf("legal number: %q", got)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "qd-ttg 19/2014"})); got != "SKHCN/VBN-001#1 SKHCN/QT-01#1" {
			t.Errorf("legal number in pieces: %q", got)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "bm 01-01"})); got != "SKHCN/BM-01-01#1" {
			t.Errorf("code: %q", got)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "quy tri*"})); got != "SKHCN/QT-01#1" {
			t.Errorf("a prefix: %q", got)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "quy tri"})); got != "" {
			t.Errorf("a word is whole without *: %q", got)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "2014/19"})); got != "" {
			t.Errorf("a number's parts out of order: %q", got)
		}
		// Filters.
		if got := codes(find(staff, service.SearchRequest{Query: "giay phep", Type: "form"})); got != "SKHCN/BM-01-01#1" {
			t.Errorf("type filter: %q", got)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "giay phep", Clause: "7.5"})); got != "SKHCN/BM-01-01#1" {
			t.Errorf("clause filter: %q", got)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "giay phep", State: "effective"})); got != "" {
			t.Errorf("state filter before anything took effect: %q", got)
		}
		// The province sees every agency, and may narrow to one.
		// (Two title matches of the same strength may come in either order; the body match comes last.)
		if got := codes(find(coord, service.SearchRequest{Query: "cap giay phep"})); got != "SKHCN/QT-01#1 SNV/QT-01#1 SKHCN/BM-01-01#1" && got != "SNV/QT-01#1 SKHCN/QT-01#1 SKHCN/BM-01-01#1" {
			t.Errorf("province: %q", got)
		}
		if got := codes(find(coord, service.SearchRequest{Query: "cap giay phep", Agency: "snv"})); got != "SNV/QT-01#1" {
			t.Errorf("province narrowed: %q", got)
		}
		if got := codes(find(snv, service.SearchRequest{Query: "giay phep"})); got != "SNV/QT-01#1" {
			t.Errorf("SNV's leader: %q", got)
		}
		if _, err := svc.Search(ctx, snv, service.SearchRequest{Query: "giay phep", Agency: "SKHCN"}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency asked for by name: %v", err)
		}
		if _, err := svc.Search(ctx, nil, service.SearchRequest{Query: "giay phep"}); qms.ErrorCode(err) != qms.EUnauthenticated {
			t.Errorf("anonymous: %v", err)
		}
		// Bad input names its field.
		for _, c := range []struct {
			r     service.SearchRequest
			field string
		}{
			{service.SearchRequest{Query: " -/- "}, "q"},
			{service.SearchRequest{Query: strings.Repeat("a ", 101)}, "q"},
			{service.SearchRequest{Query: "a", Type: "nope"}, "type"},
			{service.SearchRequest{Query: "a", State: "nope"}, "state"},
			{service.SearchRequest{Query: "a", Clause: "99.9"}, "clause"},
			{service.SearchRequest{Query: "a", Page: 51}, "page"},
		} {
			_, err := svc.Search(ctx, staff, c.r)
			var e *qms.Error
			if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
				t.Errorf("%+v: %v, want an error on %s", c.r, err, c.field)
			}
		}

		// A revision that took effect, then its successor: both are found, the first
		// superseded; the index follows every transition.
		approve := func(v qms.Revision) qms.Revision {
			t.Helper()
			v, err := svc.Transition(ctx, staff, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvSubmitApproval})
			if err != nil {
				t.Fatal(err)
			}
			v, err = svc.Transition(ctx, leader, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 11, 27)})
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		approve(*form.Latest)
		if got := codes(find(staff, service.SearchRequest{Query: "giay phep", State: "effective"})); got != "SKHCN/BM-01-01#1" {
			t.Errorf("state filter after approval: %q", got)
		}
		next, err := svc.NewRevision(ctx, staff, "SKHCN", form.ID)
		if err != nil {
			t.Fatal(err)
		}
		if next, err = svc.UploadMainFile(ctx, staff, "SKHCN", next.ID, next.Version, bytes.NewReader(docx(t, "Ghi số hồ sơ đề nghị cấp giấy phép và số điện thoại.")), "f2.docx"); err != nil {
			t.Fatal(err)
		}
		approve(next)
		res = find(staff, service.SearchRequest{Query: "phieu theo doi"})
		if got := codes(res); got != "SKHCN/BM-01-01#2 SKHCN/BM-01-01#1" && got != "SKHCN/BM-01-01#1 SKHCN/BM-01-01#2" {
			t.Errorf("both revisions: %q", got)
		}
		states := map[int]qms.RevState{}
		for _, h := range res.Hits {
			states[h.Revision.Number] = h.Revision.State
		}
		if states[1] != qms.RevSuperseded || states[2] != qms.RevEffective {
			t.Errorf("states: %v", states)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "so dien thoai"})); got != "SKHCN/BM-01-01#2" {
			t.Errorf("the new file's text: %q", got)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "ngay nhan ngay tra"})); got != "SKHCN/BM-01-01#1" {
			t.Errorf("the superseded revision keeps its text: %q", got)
		}
		_ = permit

		// A database from before the index (or after isogov reindex cleared it) is filled in.
		if err := db.ClearSearchIndex(ctx); err != nil {
			t.Fatal(err)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "so dien thoai"})); got != "" {
			t.Errorf("emptied index: %q", got)
		}
		if n, err := db.IndexMissing(ctx, nil); err != nil || n != 5 {
			t.Errorf("indexed %d missing revisions, want 5: %v", n, err)
		}
		if got := codes(find(staff, service.SearchRequest{Query: "so dien thoai"})); got != "SKHCN/BM-01-01#2" {
			t.Errorf("refilled index: %q", got)
		}
	})
}
