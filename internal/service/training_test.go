package service_test

import (
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

func TestTraining(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, who, _, _ := programmeFixture(t, db)
		coord, sec, snv, staff := who["coordinator"], who["secretary@SKHCN"], who["leader@SNV"], who["staff@SKHCN"]
		if _, err := svc.CreateCourse(ctx, sec, qms.Course{Code: "X", Title: "X", Kind: qms.CourseOther}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a secretary adding to the catalogue: %v", err)
		}
		if _, err := svc.CreateCourse(ctx, coord, qms.Course{Code: "DG", Title: "Đánh giá nội bộ", Kind: "magic"}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("unknown course kind: %v", err)
		}
		if _, err := svc.CreateCourse(ctx, coord, qms.Course{Code: "DG", Title: "Đánh giá nội bộ", Kind: qms.CourseInternalAuditor}); err != nil {
			t.Fatal(err)
		}
		dost := service.SessionInput{Course: "DG", Organiser: qms.OrganisedByDOST, StartsOn: qms.NewDate(2025, 5, 12), EndsOn: qms.NewDate(2025, 5, 14)}
		if _, err := svc.CreateTrainingSession(ctx, sec, dost); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a secretary recording a DOST session: %v", err)
		}
		bad := dost
		bad.EndsOn = qms.NewDate(2025, 5, 1)
		if _, err := svc.CreateTrainingSession(ctx, coord, bad); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("ends before it starts: %v", err)
		}
		s, err := svc.CreateTrainingSession(ctx, coord, dost)
		if err != nil {
			t.Fatal(err)
		}
		own := service.SessionInput{Course: "DG", Organiser: qms.OrganisedByAgency, Agency: "SNV", StartsOn: qms.NewDate(2025, 6, 1)}
		if _, err := svc.CreateTrainingSession(ctx, sec, own); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("SKHCN's secretary recording SNV's session: %v", err)
		}
		if _, err := svc.CreateTrainingSession(ctx, snv, own); err != nil {
			t.Errorf("SNV's leader recording SNV's session: %v", err)
		}
		for name, c := range map[string]struct {
			actor *qms.Actor
			in    service.AttendanceInput
			code  string
		}{
			"certificate without a pass": {coord, service.AttendanceInput{Agency: "SKHCN", Name: "A", Result: qms.ResultAttended, CertificateNo: "1"}, qms.EInvalid},
			"no name":                    {coord, service.AttendanceInput{Agency: "SKHCN", Result: qms.ResultPassed}, qms.EInvalid},
			"unknown account":            {coord, service.AttendanceInput{Agency: "SKHCN", Name: "A", Email: "nobody@x.vn"}, qms.EInvalid},
			"another agency's people":    {sec, service.AttendanceInput{Agency: "SNV", Name: "A"}, qms.EForbidden},
			"staff":                      {staff, service.AttendanceInput{Agency: "SKHCN", Name: "A"}, qms.EForbidden},
		} {
			if _, err := svc.AddAttendance(ctx, c.actor, s.ID, c.in); qms.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", name, err, c.code)
			}
		}
		for _, in := range []service.AttendanceInput{
			{Agency: "SKHCN", Name: "Phạm Thị Bình", Email: "secretary.skhcn@test.vn", Result: qms.ResultPassed, CertificateNo: "DG-1"},
			{Agency: "SKHCN", Name: "Hoàng Văn Cường", Result: qms.ResultFailed},
		} {
			if _, err := svc.AddAttendance(ctx, sec, s.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.AddAttendance(ctx, coord, s.ID, service.AttendanceInput{Agency: "SNV", Name: "Trần Quốc Hưng", Result: qms.ResultPassed}); err != nil {
			t.Fatal(err)
		}
		tr, err := svc.TrainingOf(ctx, staff, "SKHCN")
		if err != nil || len(tr.Records) != 2 || len(tr.Auditors) != 1 || tr.Auditors[0].Name != "Phạm Thị Bình" {
			t.Fatalf("SKHCN's training: %+v %v", tr, err)
		}
		v, err := svc.TrainingSession(ctx, staff, s.ID)
		if err != nil || len(v.Attendees) != 2 {
			t.Errorf("SKHCN staff sees %d attendees (%v), want their agency's 2", len(v.Attendees), err)
		}
		if v, _ := svc.TrainingSession(ctx, coord, s.ID); len(v.Attendees) != 3 {
			t.Errorf("the coordinator sees %d attendees, want 3", len(v.Attendees))
		}
		mine, err := svc.MyTraining(ctx, sec)
		if err != nil || len(mine) != 1 || mine[0].CertificateNo != "DG-1" {
			t.Errorf("the secretary's own record: %+v %v", mine, err)
		}
	})
}
