package qms

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseGrant(t *testing.T) {
	for in, want := range map[string]string{
		"admin": "admin", "Coordinator": "coordinator", "observer": "observer",
		"leader@SKHCN": "leader@SKHCN", "staff@skhcn": "staff@SKHCN", " auditor@STP ": "auditor@STP",
		"leader": "err.role_needs_agency", "leader@": "err.role_needs_agency", "leader@Sở": "err.role_needs_agency",
		"admin@SKHCN": "err.role_no_agency", "boss@SKHCN": "err.role_unknown", "": "err.role_unknown",
	} {
		g, err := ParseGrant(in)
		got := g.String()
		if err != nil {
			got = err.(*Error).Key
		}
		if got != want {
			t.Errorf("ParseGrant(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestActorCan(t *testing.T) {
	leader := &Actor{Grants: []Grant{{Role: RoleLeader, AgencyCode: "SKHCN"}}}
	observer := &Actor{Grants: []Grant{{Role: RoleObserver}}}
	var anon *Actor
	cases := []struct {
		a    *Actor
		p    Permission
		code string
		want bool
	}{
		{leader, PermUnitManage, "SKHCN", true},
		{leader, PermUnitManage, "SNV", false},
		{leader, PermUnitManage, "", false}, // an agency role never grants province-wide
		{leader, PermAgencyManage, "SKHCN", false},
		{observer, PermUnitRead, "SNV", true},
		{observer, PermUnitManage, "SNV", false},
		{observer, PermJournalRead, "", true},
		{anon, PermSignedIn, "", false},
		{leader, PermSignedIn, "", true},
	}
	for _, c := range cases {
		if got := c.a.Can(c.p, c.code); got != c.want {
			t.Errorf("%v.Can(%s, %q) = %v", c.a, c.p, c.code, got)
		}
	}
	if err := anon.Require(PermSignedIn, ""); ErrorCode(err) != EUnauthenticated {
		t.Errorf("anonymous Require: %v", err)
	}
	if !leader.CanAnywhere(PermJournalRead) || leader.CanAnywhere(PermUserManage) {
		t.Error("CanAnywhere")
	}
}

// Every role's permissions are a subset of the admin's, and no agency role manages the province.
func TestPermissionTable(t *testing.T) {
	for r, perms := range rolePermissions {
		for _, p := range perms {
			if !RoleHas(RoleAdmin, p) {
				t.Errorf("%s has %s, which admin lacks", r, p)
			}
			if !r.ProvinceWide() && (p == PermAgencyManage || p == PermUserManage || p == PermProvinceOversee || p == PermProgrammeManage) {
				t.Errorf("agency role %s holds province permission %s", r, p)
			}
		}
	}
	for _, r := range Roles {
		if _, ok := rolePermissions[r]; !ok {
			t.Errorf("role %s is missing from the permission table", r)
		}
	}
}

func TestEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"a@b.vn": true, "nguyen.van.a@skhcn.nghean.gov.vn": true,
		"a@b": false, "@b.vn": false, "a b@c.vn": false, "a@b@c.vn": false, "a@.vn": false, "a@b.vn.": false, "<a@b.vn>": false,
	} {
		if ValidEmail(s) != want {
			t.Errorf("ValidEmail(%q) = %v", s, !want)
		}
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2012-01-04")
	if err != nil || d.String() != "2012-01-04" || d.VN() != "04/01/2012" {
		t.Fatalf("%v %v", d, err)
	}
	for _, bad := range []string{"04/01/2012", "2012-13-01", "2012-02-30", "x"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	a := Agency{ValidFrom: NewDate(2012, 1, 4), ValidTo: NewDate(2025, 6, 30)}
	if !a.Active(NewDate(2025, 6, 30)) || a.Active(NewDate(2025, 7, 1)) || a.Active(NewDate(2011, 12, 31)) {
		t.Error("Active")
	}
	var z Date
	if b, _ := z.MarshalJSON(); string(b) != "null" {
		t.Errorf("zero date JSON = %s", b)
	}
}

func entry(seq int64, prev string) JournalEntry {
	e := JournalEntry{ID: seq * 10, Chain: 5, Seq: seq, At: time.Unix(1700000000+seq, 0), ActorName: "x", Action: "a", ObjectType: "o", ObjectID: "1", Changes: "{}", PrevHash: prev}
	e.Hash = e.ComputeHash()
	return e
}

func TestChainCheck(t *testing.T) {
	e1 := entry(1, "")
	e2 := entry(2, e1.Hash)
	e3 := entry(3, e2.Hash)
	var c ChainCheck
	c.Chain = 5
	for _, e := range []JournalEntry{e1, e2, e3} {
		e := e
		if !c.Next(&e) {
			t.Fatal(c.Finish(0, ""))
		}
	}
	if err := c.Finish(3, e3.Hash); err != nil || c.Count != 3 {
		t.Fatal(err)
	}
	// Any single changed field breaks the hash.
	for name, edit := range map[string]func(*JournalEntry){
		"actor":   func(e *JournalEntry) { e.ActorName = "y" },
		"action":  func(e *JournalEntry) { e.Action = "b" },
		"changes": func(e *JournalEntry) { e.Changes = `{"a":1}` },
		"time":    func(e *JournalEntry) { e.At = e.At.Add(time.Microsecond) },
		"object":  func(e *JournalEntry) { e.ObjectID = "2" },
	} {
		bad := e2
		edit(&bad)
		c := ChainCheck{Chain: 5}
		c.Next(&e1)
		if c.Next(&bad) {
			t.Errorf("edited %s not caught", name)
		}
		if err := c.Finish(3, e3.Hash); err == nil || !strings.Contains(err.Error(), "edited") {
			t.Errorf("edited %s: %v", name, err)
		}
	}
	// Field boundaries are unambiguous: moving text between fields changes the hash.
	x, y := e1, e1
	x.ActorName, x.Action = "ab", "c"
	y.ActorName, y.Action = "a", "bc"
	if x.ComputeHash() == y.ComputeHash() {
		t.Error("hash is ambiguous across field boundaries")
	}
}

func TestCheckPassword(t *testing.T) {
	for pw, want := range map[string]string{
		"Kh0ng-de-doan-2026": "", "qwertyuiop": "err.password_common", "0987654321": "err.password_common",
		"Abcdefghij": "err.password_common", "xxxxxxxxxxxxx": "err.password_common", strings.Repeat("a1b2", 70): "err.too_long",
		"hoang.anh-sở-2026": "err.password_email",
	} {
		if got := CheckPassword(pw, "hoang.anh@test.vn"); got != want {
			t.Errorf("CheckPassword(%q) = %q, want %q", pw, got, want)
		}
	}
}

// Whatever text a legal basis holds, the numbers found in it are valid register numbers, found
// once each, and appear in the text.
func FuzzLegalNumbers(f *testing.F) {
	for _, s := range []string{"Luật số 18/2008/QH12", "Nghị định 61/2018/NĐ-CP; 825/QĐ-UBND", "1/2 3/QH 19/2014/qđ-ttg", "", "9999999/2014/QĐ-TTg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		seen := map[string]bool{}
		for _, n := range LegalNumbers(text) {
			l := LegalDoc{Number: n, Title: "x"}
			l.Normalize()
			if err := l.Validate(); err != nil {
				t.Errorf("%q found in %q does not validate: %v", n, text, err)
			}
			if seen[LegalKey(n)] || !strings.Contains(text, n) {
				t.Errorf("%q twice, or not in %q", n, text)
			}
			seen[LegalKey(n)] = true
		}
	})
}

// The domain's rules for dossiers, nonconformities and procedure changes, each both ways.
func TestImprovementRules(t *testing.T) {
	due := NewDate(2026, 12, 17)
	if DossierOutcome(NewDate(2026, 12, 10), due, 1) != OutcomeEarly || DossierOutcome(NewDate(2026, 12, 10), due, 2) != OutcomeLate ||
		DossierOutcome(due, due, 0) != OutcomeOnTime || DossierOutcome(due.AddDays(1), due, 0) != OutcomeLate {
		t.Error("dossier outcomes")
	}
	open := Dossier{State: DossierInProgress, DueOn: due}
	if open.NCSource(due) != "" || open.NCSource(due.AddDays(1)) != SourceLate || (Dossier{State: DossierReturned, Rating: 2}).NCSource(due) != SourceComplaint ||
		(Dossier{State: DossierReturned, Rating: 4, Outcome: OutcomeEarly}).NCSource(due) != "" {
		t.Error("which dossiers call for a nonconformity")
	}
	n := Nonconformity{Actions: []Action{{OwnerID: 7, State: ActionPartly}, {OwnerID: 8, State: ActionEffective}}}
	if ErrorCode(n.Guard(NCvClose, 7)) != EForbidden || n.Guard(NCvClose, 9) != nil {
		t.Error("closing: not by an owner, fine by another")
	}
	n.Actions[1].State = ActionIneffective
	if ErrorCode(n.Guard(NCvClose, 9)) != EConflict || ErrorCode((Nonconformity{}).Guard(NCvStart, 9)) != EConflict ||
		ErrorCode((Nonconformity{Actions: []Action{{State: ActionOpen}}}).Guard(NCvVerify, 9)) != EConflict {
		t.Error("the guards let through what they should stop")
	}
	old := Procedure{ID: 1, Status: ProcInForce}
	if !(Procedure{Status: ProcAmended}).ChangeToFollow(old) || (Procedure{Status: ProcInForce}).ChangeToFollow(old) || (Procedure{Status: ProcAbolished}).ChangeToFollow(Procedure{}) {
		t.Error("procedure changes to follow")
	}
}

// The loop's rules: an auditor's independence, an audit's guards, the checklist, the periods
// of an objective, the levels of a risk.
func TestLoopRules(t *testing.T) {
	x := Audit{Lead: Auditor{UserID: 1, Name: "A", Unit: "VP"}, Team: []Auditor{{UserID: 2, Name: "B"}}, Units: []string{"QLKH"}, Processes: []string{"QT-01"}}
	if err := x.Independence(map[string]int64{"QT-01": 3}); err != nil {
		t.Errorf("independent: %v", err)
	}
	if err := x.Independence(map[string]int64{"QT-01": 2}); ErrorCode(err) != EConflict {
		t.Errorf("B owns QT-01: %v", err)
	}
	x.Lead.Unit = "QLKH"
	if err := x.Independence(nil); ErrorCode(err) != EConflict {
		t.Errorf("A audits her own unit: %v", err)
	}
	if err := (Audit{}).Guard(AuditvSend); ErrorCode(err) != EConflict {
		t.Errorf("an empty checklist sent: %v", err)
	}
	x.Items = []AuditItem{{Result: ChecklistYes}, {Result: ""}}
	x.Summary = "ok"
	if err := x.Guard(AuditvFollowUp); ErrorCode(err) != EConflict {
		t.Errorf("an unanswered line: %v", err)
	}
	x.Items[1].Result = ChecklistNA
	if err := x.Guard(AuditvFollowUp); err != nil {
		t.Errorf("all answered: %v", err)
	}
	x.Findings = []Finding{{NCID: 7, NCCode: "NC-2026-001", NCState: NCInProgress}}
	if err := x.Guard(AuditvClose); ErrorCode(err) != EConflict {
		t.Errorf("closing with an open nonconformity: %v", err)
	}
	x.Findings[0].NCState = NCCancelled
	if err := x.Guard(AuditvClose); err != nil {
		t.Errorf("its nonconformity cancelled: %v", err)
	}
	if _, err := NextAuditState(AuditFieldwork, AuditvCancel); ErrorCode(err) != EConflict {
		t.Errorf("cancelling during fieldwork: %v", err)
	}
	e, _ := ClauseEditionFor("2015")
	c, _ := e.FindClause("7.5")
	list := Checklist([]Clause{c}, map[string]ProcessContent{"QT-01": {Steps: []ProcessStep{{Description: "Tiếp nhận", Amount: 4, Unit: UnitHours, Output: "Phiếu"}}}}, []string{"QT-01", "QT-02"})
	if len(list) != 2 || list[0].Clause != "7.5" || list[1].Position != 2 || !strings.Contains(list[1].Question, "4 giờ làm việc") || !strings.Contains(list[1].Question, "Phiếu") {
		t.Errorf("checklist: %+v", list)
	}
	o := Objective{Year: 2026, Frequency: Quarterly}
	if ps := o.Periods(NewDate(2026, 5, 1)); len(ps) != 2 || ps[1].Key != "2026-Q2" || ps[1].From != NewDate(2026, 4, 1) || ps[1].To != NewDate(2026, 6, 30) {
		t.Errorf("quarters so far: %+v", ps)
	}
	o.Frequency = Monthly
	if ps := o.Periods(NewDate(2027, 1, 1)); len(ps) != 12 || ps[1].To != NewDate(2026, 2, 28) {
		t.Errorf("the months of a past year: %d", len(ps))
	}
	for score, want := range map[int]string{25: "high", 15: "high", 12: "medium", 8: "medium", 6: "low"} {
		if Level(score) != want {
			t.Errorf("level of %d: %s", score, Level(score))
		}
	}
	if PlaceName("Ủy ban nhân dân tỉnh Nghệ An") != "Nghệ An" || PlaceName("Ủy ban nhân dân thành phố Hà Nội") != "Hà Nội" {
		t.Error("place names")
	}
}

// FuzzObjectivePeriod: a period accepted is one of the year's periods, and every period of the
// year is accepted.
func FuzzObjectivePeriod(f *testing.F) {
	for _, s := range []string{"2026-03", "2026-Q1", "2026-13", "2026-Q5", "2025-01", "2026-1", "2026-", "-Q1", "2026-Q1x"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, key string, quarterly bool) {
		o := Objective{Year: 2026, Frequency: Monthly}
		if quarterly {
			o.Frequency = Quarterly
		}
		all := o.Periods(NewDate(2027, 1, 1))
		in := slices.ContainsFunc(all, func(p Period) bool { return p.Key == key })
		if o.ValidPeriod(key) != in {
			t.Errorf("%q (quarterly %v): valid %v, among the periods %v", key, quarterly, o.ValidPeriod(key), in)
		}
	})
}

// The evaluation's rules: each criterion's share from the facts, and the tally within weights.
func TestEvaluationFacts(t *testing.T) {
	f := Facts{CommitteeNotified: true, DocsTotal: 10, DocsOverdue: 2, Procedures: 4, WithProcess: 3, Audits: 1, OnTimeRate: 95,
		Report: &Report{State: ReportSubmitted, Late: true, Number: "01/BC-X"}}
	for code, want := range map[string]float64{CritCommittee: 1, CritDocuments: 0.8, CritProcesses: 0.75, CritAudit: 1, CritReview: 0,
		CritReports: 0.5, CritDossiers: 0.95, CritActions: 1, CritAnnounced: 0} {
		if got, _ := f.Fraction(code); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: %v, want %v", code, got, want)
		}
	}
	f.Report.State = ReportSigned
	if got, _ := f.Fraction(CritReports); got != 0 {
		t.Errorf("a report signed, not submitted: %v", got)
	}
	e := Evaluation{Scores: []Score{{Criterion: Criterion{Code: CritAudit, Weight: 15}, Fraction: 1}, {Criterion: Criterion{Code: CritReview, Weight: 10}}},
		Adjustments: []Adjustment{{Criterion: CritAudit, Points: 5}, {Criterion: CritReview, Points: 4}}}
	e.Tally()
	if e.Total != 19 || e.Scores[0].Points != 15 || e.Proposed {
		t.Errorf("tally: %+v", e)
	}
}

// Schedules: the version of the latest year not after the one asked, else the default.
func TestSchedulesFor(t *testing.T) {
	s := Schedules{
		{Kind: ReportYear, YearFrom: 2028, DueMonth: time.December, DueDay: 1, CloseDays: 10},
		{Kind: ReportYear, YearFrom: 2026, DueMonth: time.December, DueDay: 10, CloseDays: 30},
		{Kind: ReportHalf, YearFrom: 2027, DueMonth: time.July, DueDay: 20, CloseDays: 60},
	}
	for _, c := range []struct {
		kind      ReportKind
		year, day int
	}{{ReportYear, 2025, 15}, {ReportYear, 2026, 10}, {ReportYear, 2027, 10}, {ReportYear, 2028, 1}, {ReportYear, 2040, 1}, {ReportHalf, 2026, 15}, {ReportHalf, 2027, 20}} {
		_, _, due, _, err := s.Period(c.kind, c.year)
		if err != nil || due.Time().Day() != c.day || due.Time().Year() != c.year {
			t.Errorf("%s %d: due %v %v, want day %d", c.kind, c.year, due, err, c.day)
		}
	}
	if _, _, _, _, err := s.Period("quarter", 2026); ErrorCode(err) != EInvalid {
		t.Errorf("an unknown kind: %v", err)
	}
}

// A schedule that validates gives, for every year from its own, a deadline in that year on the
// day and month asked, and a closing day not before it; one that does not validate is never
// used.
func FuzzSchedule(f *testing.F) {
	f.Add("year", 2026, 12, 15, 60, 2030)
	f.Add("half", 2026, 7, 31, 0, 2026)
	f.Add("half", 2026, 2, 29, 10, 2028)
	f.Add("year", 2100, 11, 31, 365, 2100)
	f.Fuzz(func(t *testing.T, kind string, from, month, day, closeDays, year int) {
		x := ReportSchedule{Kind: ReportKind(kind), YearFrom: from, DueMonth: time.Month(month), DueDay: day, CloseDays: closeDays}
		if x.Validate() != nil {
			return
		}
		if year < from || year > 9999 {
			return
		}
		_, to, due, closes, err := Schedules{x}.Period(x.Kind, year)
		if err != nil {
			t.Fatalf("%+v in %d: %v", x, year, err)
		}
		if due.Time().Year() != year || due.Time().Month() != x.DueMonth || due.Time().Day() != day || closes.Before(due) {
			t.Fatalf("%+v in %d: due %v, closes %v", x, year, due, closes)
		}
		if x.Kind == ReportHalf && !to.Before(due) {
			t.Fatalf("a six-month report due %v, before its period ends %v", due, to)
		}
	})
}

// The yearly report assesses itself along Art. 36; the six-month one does not.
func TestReportArt36(t *testing.T) {
	d := ReportData{Recognition: "Quyết định công bố 120/QĐ-STP", RecognitionOn: NewDate(2026, 3, 5), Scope: "Các thủ tục hành chính thuộc thẩm quyền", Announced: 1,
		Consultants: []string{"Công ty Tư vấn Chất lượng"}, Trained: 12, TrainedAuditor: 3,
		Pack: ReviewPack{UpdateTasks: []PackTask{{Opened: NewDate(2026, 2, 1)}, {Opened: NewDate(2026, 11, 1)}, {Opened: NewDate(2026, 1, 1), Closed: true}}}}
	year := Report{Kind: ReportYear, Year: 2026, To: NewDate(2026, 12, 31)}
	secs := year.Sections(d)
	if len(secs) != 5 || !strings.HasPrefix(secs[2].Heading, "III. TỰ ĐÁNH GIÁ THEO ĐIỀU 36") || len(secs[2].Paras) != len(Art36Items) || secs[4].Heading != "V. KIẾN NGHỊ, ĐỀ XUẤT" {
		t.Fatalf("the yearly report's sections: %+v", secs)
	}
	all := strings.Join(secs[2].Paras, "\n")
	for _, want := range []string{"1. Phạm vi áp dụng Hệ thống quản lý chất lượng: Các thủ tục hành chính thuộc thẩm quyền", "12 lượt người",
		"3 thay đổi thủ tục, văn bản pháp luật trong kỳ; 1 chưa cập nhật vào hệ thống sau 3 tháng", "1 quyết định công bố (lại)",
		"Thuê tổ chức tư vấn: Công ty Tư vấn Chất lượng", "Người đứng đầu đã xác nhận hiệu lực"} {
		if !strings.Contains(all, want) {
			t.Errorf("the self-assessment lacks %q:\n%s", want, all)
		}
	}
	half := Report{Kind: ReportHalf, Year: 2026, To: NewDate(2026, 6, 30)}
	if secs := half.Sections(ReportData{}); len(secs) != 4 || strings.Contains(secs[2].Heading, "ĐIỀU 36") {
		t.Errorf("the six-month report's sections: %+v", secs)
	}
	if secs := year.Sections(ReportData{}); !strings.Contains(strings.Join(secs[2].Paras, "\n"), "Tự xây dựng, không thuê tổ chức tư vấn") {
		t.Error("no consultant")
	}
}
