package service_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// The catalogue: the coordinator adds and amends procedures (journaled), everyone reads it,
// filters it and each agency's list; bad input names its field.
func TestProcedureCatalogue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		who := seed(t, svc)
		coord, leader := who["coordinator"], who["leader@SKHCN"]
		in := service.ProcedureInput{Code: " 1.004227 ", Name: "Cấp giấy phép tiến hành công việc bức xạ", Field: "An toàn bức xạ", Level: qms.LevelProvince,
			Agencies: []string{"skhcn"}, TimeLimitDays: 15, Fees: "Theo Thông tư 287/2016/TT-BTC", Online: qms.OnlinePartial}
		if _, err := svc.SaveProcedure(ctx, leader, "", in); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an agency's leader adding to the catalogue: %v", err)
		}
		p, err := svc.SaveProcedure(ctx, coord, "", in)
		if err != nil || p.Code != "1.004227" || p.Status != qms.ProcInForce || strings.Join(p.Agencies, ",") != "SKHCN" {
			t.Fatalf("add: %+v %v", p, err)
		}
		if _, err := svc.SaveProcedure(ctx, coord, "", in); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("the same code again: %v", err)
		}
		second := in
		second.Code, second.Name, second.Field, second.Agencies, second.TimeLimitDays = "1.005000", "Cấp giấy phép thành lập hội", "Tổ chức phi chính phủ", []string{"SNV", "SKHCN"}, 30
		if _, err := svc.SaveProcedure(ctx, coord, "", second); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			change func(*service.ProcedureInput)
			field  string
		}{
			{func(x *service.ProcedureInput) { x.Code = "a b" }, "code"},
			{func(x *service.ProcedureInput) { x.Name = " " }, "name"},
			{func(x *service.ProcedureInput) { x.TimeLimitDays = -1 }, "time_limit_days"},
			{func(x *service.ProcedureInput) { x.Level = "nation" }, "level"},
			{func(x *service.ProcedureInput) { x.Agencies = nil }, "agencies"},
			{func(x *service.ProcedureInput) { x.Agencies = []string{"NOPE"} }, "agencies"},
		} {
			bad := in
			bad.Code = "1.009999"
			c.change(&bad)
			_, err := svc.SaveProcedure(ctx, coord, "", bad)
			var e *qms.Error
			if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
				t.Errorf("bad %s: %v", c.field, err)
			}
		}
		// Amended: the change is journaled with what changed.
		in.Status, in.TimeLimitDays = qms.ProcAmended, 10
		if p, err = svc.SaveProcedure(ctx, coord, "1.004227", in); err != nil || p.Status != qms.ProcAmended || p.TimeLimitDays != 10 {
			t.Fatalf("amend: %+v %v", p, err)
		}
		entries, err := svc.Journal(ctx, coord, service.JournalQuery{Limit: 3})
		if err != nil || len(entries) == 0 || entries[0].Action != "procedure.update" || !strings.Contains(entries[0].Changes, `"time_limit_days":{"old":"15","new":"10"}`) {
			t.Errorf("the journal: %+v %v", entries, err)
		}

		list := func(q service.ProcedureQuery) string {
			t.Helper()
			got, err := svc.Procedures(ctx, leader, q)
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, p := range got {
				codes = append(codes, p.Code)
			}
			return strings.Join(codes, " ")
		}
		if got := list(service.ProcedureQuery{}); got != "1.004227 1.005000" {
			t.Errorf("the catalogue: %q", got)
		}
		if got := list(service.ProcedureQuery{ProcedureFilter: store.ProcedureFilter{Query: "giay phep buc xa"}}); got != "1.004227" {
			t.Errorf("folded search: %q", got)
		}
		if got := list(service.ProcedureQuery{Agency: "SNV"}); got != "1.005000" {
			t.Errorf("SNV's list: %q", got)
		}
		if got := list(service.ProcedureQuery{ProcedureFilter: store.ProcedureFilter{Status: qms.ProcAmended}}); got != "1.004227" {
			t.Errorf("by status: %q", got)
		}
		if got := list(service.ProcedureQuery{ProcedureFilter: store.ProcedureFilter{After: "1.004227", Limit: 1}}); got != "1.005000" {
			t.Errorf("the next page: %q", got)
		}
		if _, err := svc.Procedures(ctx, leader, service.ProcedureQuery{ProcedureFilter: store.ProcedureFilter{Level: "nation"}}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a bad level filter: %v", err)
		}
		if _, err := svc.Procedure(ctx, leader, "9.999999"); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("an unknown code: %v", err)
		}
		if _, err := svc.Procedures(ctx, nil, service.ProcedureQuery{}); qms.ErrorCode(err) != qms.EUnauthenticated {
			t.Errorf("anonymous: %v", err)
		}
	})
}
