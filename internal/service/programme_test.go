package service_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// programmeFixture: the small province of seed(), an announcement programme with SKHCN in it.
func programmeFixture(t *testing.T, db *store.DB) (*service.Service, map[string]*qms.Actor, []qms.TrackStep, string) {
	t.Helper()
	dir := t.TempDir()
	clk := &clock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)} // the tests' "today"
	svc := service.New(db, service.Config{Argon: fastArgon, DataDir: dir, FileLimit: 1 << 16}, clk.now, nil)
	who := seed(t, svc)
	if err := svc.SeedStepTemplates(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateProgramme(ctx, service.System, qms.Programme{Code: "P2026", Name: "Thử", YearFrom: 2025, YearTo: 2026,
		Edition: "TCVN ISO 9001:2015", Regime: qms.RegimeAnnouncement}); err != nil {
		t.Fatal(err)
	}
	steps, err := svc.AddParticipant(ctx, service.System, "P2026", "SKHCN", qms.GroupConvert)
	if err != nil || len(steps) != 15 {
		t.Fatalf("participant: %d steps, %v", len(steps), err)
	}
	return svc, who, steps, dir
}

var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func TestStepsAndEvidence(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, who, steps, dir := programmeFixture(t, db)
		sec, staff, other := who["secretary@SKHCN"], who["staff@SKHCN"], who["leader@SNV"]
		a11 := steps[0] // A1.1 needs evidence: file or link:document
		if a11.Template.Code != "A1.1" || !a11.Template.EvidenceRequired {
			t.Fatalf("first step = %+v", a11.Template)
		}
		done := qms.StepUpdate{Status: qms.StepDone}
		if _, err := svc.UpdateStep(ctx, sec, "SKHCN", a11.ID, done); err == nil || !strings.Contains(err.Error(), "err.evidence_required") {
			t.Fatalf("done without evidence: %v", err)
		}
		if _, err := svc.UpdateStep(ctx, staff, "SKHCN", a11.ID, done); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("staff marking done: %v", err)
		}
		if _, err := svc.UpdateStep(ctx, other, "SKHCN", a11.ID, done); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency's leader: %v", err)
		}
		// A note is not accepted by this step; a renamed web page is not a PDF; an empty or too
		// large file is refused. None of them leaves a trace.
		for name, in := range map[string]service.EvidenceInput{
			"note not accepted": {Note: "đã làm"},
			"html named .pdf":   {File: strings.NewReader("<!DOCTYPE html><html><body>x</body></html>"), FileName: "ke-hoach.pdf"},
			"plain zip":         {File: bytes.NewReader(zipOf(t, "a.txt")), FileName: "ke-hoach.docx"},
			"empty":             {File: strings.NewReader(""), FileName: "x.pdf"},
			"too large":         {File: bytes.NewReader(append(append([]byte{}, pdf...), make([]byte, 1<<16)...)), FileName: "big.pdf"},
			"unknown link":      {LinkType: "audit", LinkID: "1"},
		} {
			if _, err := svc.AddEvidence(ctx, sec, "SKHCN", a11.ID, in); qms.ErrorCode(err) != qms.EInvalid {
				t.Errorf("%s: %v", name, err)
			}
		}
		if files := storedFiles(t, dir); len(files) != 0 {
			t.Errorf("refused uploads left files: %v", files)
		}
		e, err := svc.AddEvidence(ctx, sec, "SKHCN", a11.ID, service.EvidenceInput{File: bytes.NewReader(pdf), FileName: "../../etc/kế hoạch.pdf"})
		if err != nil || e.FileType != "application/pdf" || e.FileName != ".._.._etc_kế hoạch.pdf" {
			t.Fatalf("PDF evidence: %+v %v", e, err)
		}
		if _, err := svc.AddEvidence(ctx, sec, "SKHCN", a11.ID, service.EvidenceInput{File: bytes.NewReader(zipOf(t, "word/document.xml")), FileName: "kh.docx"}); err != nil {
			t.Errorf("a Word file: %v", err)
		}
		st, err := svc.UpdateStep(ctx, sec, "SKHCN", a11.ID, done)
		if err != nil || st.Status != qms.StepDone || st.DoneOn.IsZero() {
			t.Fatalf("done with evidence: %+v %v", st, err)
		}
		got, rc, err := svc.OpenEvidence(ctx, staff, "SKHCN", e.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(rc)
		if !bytes.Equal(b.Bytes(), pdf) || got.FileSize != int64(len(pdf)) {
			t.Error("the stored file differs from the upload")
		}
		if _, _, err := svc.OpenEvidence(ctx, other, "SKHCN", e.ID); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency reading evidence: %v", err)
		}
		// Not applicable needs a reason; a done date in the future is refused.
		if _, err := svc.UpdateStep(ctx, sec, "SKHCN", steps[2].ID, qms.StepUpdate{Status: qms.StepNotApplicable}); err == nil {
			t.Error("not applicable without a reason")
		}
		if _, err := svc.UpdateStep(ctx, sec, "SKHCN", steps[2].ID, qms.StepUpdate{Status: qms.StepDone, DoneOn: qms.NewDate(2099, 1, 1)}); err == nil {
			t.Error("done in the future")
		}
		tracks, err := svc.AgencyTracks(ctx, staff, "SKHCN")
		if err != nil || len(tracks) != 1 || tracks[0].Progress.Done != 1 || tracks[0].Progress.Total != 15 {
			t.Fatalf("tracks: %+v %v", tracks, err)
		}
		if _, err := service.Verify(ctx, db, nil); err != nil {
			t.Error(err)
		}
	})
}

func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := newZip(&b)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func storedFiles(t *testing.T, dir string) []string {
	var out []string
	_ = filepath.Walk(filepath.Join(dir, "files"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestCommittees(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, who, _, _ := programmeFixture(t, db)
		sec := who["secretary@SKHCN"]
		members := []qms.CommitteeMemberEntry{{Name: "Nguyễn Văn An", Position: "Giám đốc", Role: qms.CommitteeHead}, {Name: "Phạm Thị Bình", Role: qms.CommitteeSecretary}}
		for name, c := range map[string]qms.Committee{
			"no head":     {DecisionNo: "1/QĐ", DecisionDate: qms.NewDate(2025, 1, 1), Members: members[1:]},
			"two heads":   {DecisionNo: "1/QĐ", DecisionDate: qms.NewDate(2025, 1, 1), Members: []qms.CommitteeMemberEntry{members[0], {Name: "B", Role: qms.CommitteeHead}}},
			"no decision": {DecisionDate: qms.NewDate(2025, 1, 1), Members: members},
			"future":      {DecisionNo: "1/QĐ", DecisionDate: qms.NewDate(2099, 1, 1), Members: members},
			"bad role":    {DecisionNo: "1/QĐ", DecisionDate: qms.NewDate(2025, 1, 1), Members: append(members[:1:1], qms.CommitteeMemberEntry{Name: "C", Role: "boss"})},
			"blank name":  {DecisionNo: "1/QĐ", DecisionDate: qms.NewDate(2025, 1, 1), Members: append(members[:1:1], qms.CommitteeMemberEntry{Name: " ", Role: qms.CommitteeMember})},
		} {
			if _, err := svc.NewComposition(ctx, sec, "SKHCN", c); qms.ErrorCode(err) != qms.EInvalid {
				t.Errorf("%s: %v", name, err)
			}
		}
		first, err := svc.NewComposition(ctx, sec, "SKHCN", qms.Committee{DecisionNo: "1/QĐ", DecisionDate: qms.NewDate(2025, 1, 1), Members: members})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.NotifyComposition(ctx, sec, "SKHCN", first.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.NotifyComposition(ctx, sec, "SKHCN", first.ID); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("notifying twice: %v", err)
		}
		second, err := svc.NewComposition(ctx, sec, "SKHCN", qms.Committee{DecisionNo: "2/QĐ", DecisionDate: qms.NewDate(2026, 1, 1),
			Members: []qms.CommitteeMemberEntry{{Name: "Nguyễn Văn An", Position: "Giám đốc", Role: qms.CommitteeHead}, {Name: "Lê Văn Cường", Role: qms.CommitteeSecretary}}})
		if err != nil {
			t.Fatal(err)
		}
		d, err := svc.ProvinceDashboard(ctx, who["coordinator"], service.DashboardFilter{})
		if err != nil || len(d.Rows) != 1 || d.Rows[0].Committee != service.CommitteeUnnotified {
			t.Fatalf("dashboard before notifying: %+v %v", d.Rows, err)
		}
		if err := svc.NotifyComposition(ctx, sec, "SKHCN", second.ID); err != nil {
			t.Fatal(err)
		}
		inbox, err := svc.CommitteeInbox(ctx, who["coordinator"], 10)
		if err != nil || len(inbox) != 2 || inbox[0].Committee.ID != second.ID || inbox[0].Previous == nil || len(inbox[0].Changes) != 2 {
			t.Fatalf("inbox: %+v %v", inbox, err)
		}
		if _, err := svc.CommitteeInbox(ctx, sec, 10); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("an agency reading the province inbox: %v", err)
		}
	})
}

func TestCommitteeRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, who, _, dir := programmeFixture(t, db)
		sec, staff, other := who["secretary@SKHCN"], who["staff@SKHCN"], who["leader@SNV"]
		c, err := svc.NewComposition(ctx, sec, "SKHCN", qms.Committee{DecisionNo: "1/QĐ", DecisionDate: qms.NewDate(2025, 1, 1),
			Members: []qms.CommitteeMemberEntry{{Name: "Nguyễn Văn An", Role: qms.CommitteeHead}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.OpenCommitteeRules(ctx, staff, "SKHCN", c.ID); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("rules before any upload: %v", err)
		}
		for name, r := range map[string]io.Reader{
			"html named .pdf": strings.NewReader("<!DOCTYPE html><p>quy chế</p>"),
			"empty":           strings.NewReader(""),
			"too large":       bytes.NewReader(append(append([]byte{}, pdf...), make([]byte, 1<<16)...)),
		} {
			if _, err := svc.AttachCommitteeRules(ctx, sec, "SKHCN", c.ID, r, "quy-che.pdf"); qms.ErrorCode(err) != qms.EInvalid || !strings.Contains(err.Error(), "rules_file") {
				t.Errorf("%s: %v", name, err)
			}
		}
		if files := storedFiles(t, dir); len(files) != 0 {
			t.Errorf("refused uploads left files: %v", files)
		}
		if _, err := svc.AttachCommitteeRules(ctx, staff, "SKHCN", c.ID, bytes.NewReader(pdf), "quy-che.pdf"); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("staff uploading the rules: %v", err)
		}
		if _, err := svc.AttachCommitteeRules(ctx, other, "SNV", c.ID, bytes.NewReader(pdf), "quy-che.pdf"); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("another agency's composition: %v", err)
		}
		got, err := svc.AttachCommitteeRules(ctx, sec, "SKHCN", c.ID, bytes.NewReader(pdf), "Quy chế hoạt động.pdf")
		if err != nil || got.RulesFile.Type != "application/pdf" || got.RulesFile.Name != "Quy chế hoạt động.pdf" {
			t.Fatalf("upload: %+v %v", got.RulesFile, err)
		}
		docx := zipOf(t, "word/document.xml")
		if _, err := svc.AttachCommitteeRules(ctx, sec, "SKHCN", c.ID, bytes.NewReader(docx), "quy-che.docx"); err != nil {
			t.Fatal(err)
		}
		_, list, err := svc.Committees(ctx, staff, "SKHCN")
		if err != nil || list[0].RulesFile.Name != "quy-che.docx" || list[0].RulesFile.Size != int64(len(docx)) {
			t.Fatalf("after replacing: %+v %v", list, err)
		}
		_, rc, err := svc.OpenCommitteeRules(ctx, staff, "SKHCN", c.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(b, docx) {
			t.Error("the stored rules differ from the upload")
		}
		if _, _, err := svc.OpenCommitteeRules(ctx, other, "SKHCN", c.ID); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency reading the rules: %v", err)
		}
		entries, err := db.ListJournal(ctx, store.JournalFilter{ObjectType: "committee", ObjectID: strconv.FormatInt(c.ID, 10), Limit: 10})
		if err != nil || len(entries) != 3 || entries[0].Action != "committee.rules" || !strings.Contains(entries[0].Changes, "Quy chế hoạt động.pdf") || !strings.Contains(entries[0].Changes, "quy-che.docx") {
			t.Errorf("journal: %+v %v", entries, err)
		}
	})
}

func TestDiffCommittees(t *testing.T) {
	old := []qms.CommitteeMemberEntry{{Name: "A", Role: qms.CommitteeHead}, {Name: "B", Role: qms.CommitteeMember}, {Name: "C", Role: qms.CommitteeMember}}
	nw := []qms.CommitteeMemberEntry{{Name: "A", Role: qms.CommitteeHead}, {Name: "B", Role: qms.CommitteeDeputy}, {Name: "D", Role: qms.CommitteeSecretary}}
	got := qms.DiffCommittees(old, nw)
	want := []qms.MemberChange{{Name: "B", From: qms.CommitteeMember, To: qms.CommitteeDeputy}, {Name: "D", To: qms.CommitteeSecretary}, {Name: "C", From: qms.CommitteeMember}}
	if len(got) != len(want) {
		t.Fatalf("diff = %+v", got)
	}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].From != want[i].From || got[i].To != want[i].To {
			t.Errorf("change %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestProgress(t *testing.T) {
	today := qms.NewDate(2026, 6, 1)
	step := func(phase int, s qms.StepStatus, planned qms.Date) qms.TrackStep {
		return qms.TrackStep{Template: qms.StepTemplate{Phase: phase}, Status: s, PlannedOn: planned}
	}
	p := qms.ComputeProgress([]qms.TrackStep{
		step(1, qms.StepDone, qms.NewDate(2026, 1, 1)), step(1, qms.StepNotApplicable, qms.NewDate(2026, 1, 1)),
		step(2, qms.StepInProgress, qms.NewDate(2026, 9, 1)), step(2, qms.StepNotStarted, qms.NewDate(2026, 9, 1)),
		step(3, qms.StepNotStarted, qms.NewDate(2026, 5, 1)),
		step(4, qms.StepNotStarted, qms.NewDate(2026, 12, 1)),
	}, today)
	want := []qms.PhaseState{qms.PhaseDone, qms.PhaseInProgress, qms.PhaseLate, qms.PhaseNotStarted, qms.PhaseNone}
	for i, w := range want {
		if p.Phases[i+1].State != w {
			t.Errorf("phase %d = %s, want %s", i+1, p.Phases[i+1].State, w)
		}
	}
	if p.Done != 2 || p.Total != 6 || p.Late != 1 || p.Percent != 33 {
		t.Errorf("progress = %+v", p)
	}
}

func TestMilestonesCommentsMembers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, who, steps, _ := programmeFixture(t, db)
		coord, sec, staff := who["coordinator"], who["secretary@SKHCN"], who["staff@SKHCN"]
		if err := svc.SetMilestones(ctx, coord, "P2026", []qms.Milestone{{Year: 2030, Text: "x"}}); err == nil {
			t.Error("a milestone outside the period")
		}
		if err := svc.SetMilestones(ctx, sec, "P2026", []qms.Milestone{{Year: 2025, Text: "x"}}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a secretary setting milestones: %v", err)
		}
		if err := svc.SetMilestones(ctx, coord, "P2026", []qms.Milestone{{Year: 2025, Text: "Chuyển đổi"}, {Year: 2026, Text: "Công bố"}}); err != nil {
			t.Fatal(err)
		}
		if ms, err := svc.Milestones(ctx, staff, "P2026"); err != nil || len(ms) != 2 || ms[1].Text != "Công bố" {
			t.Errorf("milestones: %+v %v", ms, err)
		}
		// The agency's staff and DOST comment; another agency may not.
		if _, err := svc.AddComment(ctx, staff, "SKHCN", steps[0].ID, "  "); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("empty comment: %v", err)
		}
		if _, err := svc.AddComment(ctx, who["leader@SNV"], "SKHCN", steps[0].ID, "x"); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency commenting: %v", err)
		}
		for _, a := range []*qms.Actor{staff, coord} {
			if _, err := svc.AddComment(ctx, a, "SKHCN", steps[0].ID, "Góp ý của "+a.Name); err != nil {
				t.Fatal(err)
			}
		}
		v, err := svc.Step(ctx, sec, "SKHCN", steps[0].ID)
		if err != nil || len(v.Comments) != 2 || v.Comments[1].Body != "Góp ý của coordinator" {
			t.Errorf("comments: %+v %v", v.Comments, err)
		}
		// A member with an account is linked to it; an unknown e-mail is refused.
		c := qms.Committee{DecisionNo: "1/QĐ", DecisionDate: qms.NewDate(2025, 1, 1), Members: []qms.CommitteeMemberEntry{
			{Name: "A", Role: qms.CommitteeHead, Email: "LEADER.SKHCN@test.vn"}, {Name: "B", Role: qms.CommitteeMember, Email: "nobody@test.vn"}}}
		if _, err := svc.NewComposition(ctx, sec, "SKHCN", c); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("unknown member account: %v", err)
		}
		c.Members[1].Email = ""
		if _, err := svc.NewComposition(ctx, sec, "SKHCN", c); err != nil {
			t.Fatal(err)
		}
		_, list, _ := svc.Committees(ctx, sec, "SKHCN")
		if len(list) != 1 || list[0].Members[0].UserID != who["leader@SKHCN"].UserID || list[0].Members[0].Email != "leader.skhcn@test.vn" {
			t.Errorf("member link: %+v", list[0].Members)
		}
	})
}

func TestCreateStepTemplate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, who, _, _ := programmeFixture(t, db)
		coord := who["coordinator"]
		in := service.NewTemplate{Regime: qms.RegimeAnnouncement, Code: "A2.3", TemplateUpdate: service.TemplateUpdate{Title: "Rà soát danh mục TTHC", Phase: 2,
			Groups: []qms.Group{qms.GroupExtend}, EvidenceKinds: []string{"note"}}}
		for name, edit := range map[string]func(*service.NewTemplate){
			"bad regime": func(n *service.NewTemplate) { n.Regime = "royal" },
			"bad phase":  func(n *service.NewTemplate) { n.Phase = 9 },
			"bad group":  func(n *service.NewTemplate) { n.Groups = []qms.Group{"vip"} },
			"bad kind":   func(n *service.NewTemplate) { n.EvidenceKinds = []string{"photo"} },
			"taken code": func(n *service.NewTemplate) { n.Code = "A1.1" },
		} {
			bad := in
			edit(&bad)
			if _, err := svc.CreateStepTemplate(ctx, coord, bad); qms.ErrorCode(err) != qms.EInvalid {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := svc.CreateStepTemplate(ctx, who["secretary@SKHCN"], in); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a secretary adding a step: %v", err)
		}
		if _, err := svc.CreateStepTemplate(ctx, coord, in); err != nil {
			t.Fatal(err)
		}
		// SNV joins in the extend group and gets the new step; SKHCN (convert) kept its 15.
		steps, err := svc.AddParticipant(ctx, service.System, "P2026", "SNV", qms.GroupExtend)
		found := false
		for _, s := range steps {
			found = found || s.Template.Code == "A2.3"
		}
		if err != nil || !found || len(steps) != 16 {
			t.Errorf("SNV's steps: %d, new step there: %v (%v)", len(steps), found, err)
		}
		tracks, _ := svc.AgencyTracks(ctx, coord, "SKHCN")
		if len(tracks[0].Steps) != 15 {
			t.Errorf("SKHCN's track changed: %d steps", len(tracks[0].Steps))
		}
	})
}

func TestDocTypes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, who, _, _ := programmeFixture(t, db)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		if err := svc.SeedReferenceData(ctx); err != nil { // twice: nothing doubles
			t.Fatal(err)
		}
		types, err := svc.DocTypes(ctx, who["staff@SKHCN"])
		if err != nil || len(types) != len(qms.DefaultDocTypes()) || types[3].Code != "procedure" || !types[3].CommentRound {
			t.Fatalf("types: %+v %v", types, err)
		}
		coord := who["coordinator"]
		p := types[3]
		p.ReviewMonths, p.SelfApproval = 24, true
		if _, err := svc.UpdateDocType(ctx, who["secretary@SKHCN"], "procedure", p); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a secretary editing types: %v", err)
		}
		p.CodePattern = "QT-01"
		if _, err := svc.UpdateDocType(ctx, coord, "procedure", p); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a pattern without #: %v", err)
		}
		p.CodePattern = "QT-##"
		if _, err := svc.UpdateDocType(ctx, coord, "procedure", p); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.UpdateDocType(ctx, coord, "nope", p); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("unknown type: %v", err)
		}
		got, _ := db.DocType(ctx, "procedure")
		if got.ReviewMonths != 24 || !got.SelfApproval {
			t.Errorf("after update: %+v", got)
		}
		plan := qms.DocType{Code: "plan", NameVI: "Kế hoạch", CodePattern: "KH-##", ReviewMonths: 12}
		if _, err := svc.CreateDocType(ctx, coord, plan); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateDocType(ctx, coord, plan); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("a duplicate code: %v", err)
		}
		entries, err := db.ListJournal(ctx, store.JournalFilter{Limit: 5})
		if err != nil || entries[0].Action != "doctype.create" || entries[1].Action != "doctype.update" || !strings.Contains(entries[1].Changes, `"review_months"`) {
			t.Errorf("journal: %+v %v", entries[:2], err)
		}
	})
}
