package service_test

import (
	"strconv"
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

func TestConsultancies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, who, _, _ := programmeFixture(t, db)
		coord, sec := who["coordinator"], who["secretary@SKHCN"]
		if _, err := svc.CreateOrganisation(ctx, sec, qms.Organisation{Code: "TV", Name: "TV", Kind: qms.Consultancy}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an agency registering an organisation: %v", err)
		}
		if _, err := svc.CreateOrganisation(ctx, coord, qms.Organisation{Code: "TV", Name: "TV", Kind: "bank"}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("unknown kind: %v", err)
		}
		for _, o := range []qms.Organisation{{Code: "TV", Name: "Tư vấn", Kind: qms.Consultancy}, {Code: "CN", Name: "Chứng nhận", Kind: qms.CertificationBody}} {
			if _, err := svc.CreateOrganisation(ctx, coord, o); err != nil {
				t.Fatal(err)
			}
		}
		// Four qualified consultants and one without a certificate: still understaffed.
		for i := 0; i < 5; i++ {
			e := qms.Expert{Name: "CG " + strconv.Itoa(i), Role: qms.ExpertConsultant, CertificateNo: "C" + strconv.Itoa(i)}
			if i == 4 {
				e.CertificateNo = ""
			}
			if _, err := svc.AddExpert(ctx, coord, "TV", e); err != nil {
				t.Fatal(err)
			}
		}
		v, err := svc.Organisation(ctx, coord, "TV")
		if err != nil || v.Organisation.Consultants != 4 || !v.Organisation.Understaffed() {
			t.Fatalf("four qualified: %+v %v", v.Organisation, err)
		}
		if _, err := svc.AddExpert(ctx, coord, "TV", qms.Expert{Name: "CG 5", Role: qms.ExpertConsultant, CertificateNo: "C5"}); err != nil {
			t.Fatal(err)
		}
		if v, _ := svc.Organisation(ctx, coord, "TV"); v.Organisation.Understaffed() {
			t.Error("five qualified consultants still flagged")
		}
		e := qms.Engagement{OrganisationCode: "TV", ContractNo: "1/HĐ", SignedOn: qms.NewDate(2025, 1, 1), StartsOn: qms.NewDate(2025, 2, 1), EndsOn: qms.NewDate(2025, 12, 31),
			ValueVND: 45_000_000, Scope: "Xây dựng HTQLCL"}
		for name, c := range map[string]struct {
			edit func(*qms.Engagement)
			code string
		}{
			"not in the register": {func(e *qms.Engagement) { e.OrganisationCode = "NOPE" }, qms.EInvalid},
			"not a consultancy":   {func(e *qms.Engagement) { e.OrganisationCode = "CN" }, qms.EInvalid},
			"dates out of order":  {func(e *qms.Engagement) { e.EndsOn = qms.NewDate(2024, 1, 1) }, qms.EInvalid},
			"negative value":      {func(e *qms.Engagement) { e.ValueVND = -1 }, qms.EInvalid},
		} {
			bad := e
			c.edit(&bad)
			if _, err := svc.AddEngagement(ctx, sec, "SKHCN", bad); qms.ErrorCode(err) != c.code {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := svc.AddEngagement(ctx, who["leader@SNV"], "SKHCN", e); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency's contract: %v", err)
		}
		if _, err := svc.AddEngagement(ctx, sec, "SKHCN", e); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.InspectOrganisation(ctx, coord, "TV", qms.OrganisationInspection{InspectedOn: qms.NewDate(2026, 6, 1), Findings: "Hồ sơ đầy đủ", Conclusion: "Đạt"}); err != nil {
			t.Fatal(err)
		}
		v, _ = svc.Organisation(ctx, coord, "TV")
		if len(v.Engagements) != 1 || len(v.Inspections) != 1 {
			t.Errorf("coordinator's view: %d engagements, %d inspections", len(v.Engagements), len(v.Inspections))
		}
		if v, _ := svc.Organisation(ctx, sec, "TV"); v.Engagements != nil || v.Inspections != nil {
			t.Error("an agency sees the province's engagements and inspections of an organisation")
		}
	})
}
