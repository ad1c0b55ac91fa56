package qms

import (
	"strings"
	"testing"
)

func TestDefaultDocTypes(t *testing.T) {
	types := DefaultDocTypes()
	want := []string{"manual", "policy", "objectives", "procedure", "process", "instruction", "form", "external"}
	if len(types) != len(want) {
		t.Fatalf("%d types", len(types))
	}
	for i, dt := range types {
		if dt.Code != want[i] {
			t.Errorf("type %d = %s, want %s", i, dt.Code, want[i])
		}
		if err := dt.Validate(); err != nil {
			t.Errorf("%s: %v", dt.Code, err)
		}
		if dt.Approver != RoleLeader {
			t.Errorf("%s approved by %s", dt.Code, dt.Approver)
		}
	}
	bad := DocType{Code: "Thủ tục", NameVI: "", CodePattern: "QT-01", ReviewMonths: -1, Approver: RoleStaff}
	err := bad.Validate()
	for _, f := range []string{"code", "name_vi", "code_pattern", "review_months", "approver"} {
		if err == nil || !strings.Contains(err.Error(), f) {
			t.Errorf("bad type: %v lacks %s", err, f)
		}
	}
}

func TestCodePatterns(t *testing.T) {
	for _, c := range []struct {
		code, pattern string
		ok            bool
	}{
		{"QT-01", "QT-##", true},
		{"qt-07", "QT-##", true},
		{"QT-104", "QT-##", true},
		{"QT-1", "QT-##", false},
		{"QT-01A", "QT-##", false},
		{"HD-01", "QT-##", false},
		{"BM-01-02", "BM-##-##", true},
		{"BM-01", "BM-##-##", false},
		{"QT-TTHC-012", "QT-TTHC-###", true},
		{"", "QT-##", false},
	} {
		if got := MatchesPattern(c.code, c.pattern); got != c.ok {
			t.Errorf("MatchesPattern(%q, %q) = %v", c.code, c.pattern, got)
		}
	}
	if got := SuggestCode("QT-##", []string{"QT-01", "QT-07", "HD-09", "QT-03"}); got != "QT-08" {
		t.Errorf("SuggestCode = %s", got)
	}
	if got := SuggestCode("BM-##-##", []string{"BM-03-02", "BM-01-01"}); got != "BM-04-01" {
		t.Errorf("SuggestCode forms = %s", got)
	}
	if got := SuggestCode("QT-##", nil); got != "QT-01" {
		t.Errorf("first code = %s", got)
	}
	for _, p := range []string{"", "QT-01", "QT ##", "qt-##", "A-#0", strings.Repeat("#", 31)} {
		if checkPattern(p) == nil {
			t.Errorf("pattern %q accepted", p)
		}
	}
}

func FuzzMatchesPattern(f *testing.F) {
	f.Add("QT-01", "QT-##")
	f.Add("BM-01-02", "BM-##-##")
	f.Fuzz(func(t *testing.T, code, pattern string) {
		if checkPattern(pattern) != nil {
			return
		}
		_ = MatchesPattern(code, pattern)
		if s := SuggestCode(pattern, []string{code}); !MatchesPattern(s, pattern) {
			t.Errorf("SuggestCode(%q, %q) = %q does not match", pattern, code, s)
		}
	})
}

func procedureType() DocType {
	for _, dt := range DefaultDocTypes() {
		if dt.Code == "procedure" {
			return dt
		}
	}
	panic("no procedure type")
}

func TestRevisionLifecycle(t *testing.T) {
	today := NewDate(2026, 11, 27)
	typ := procedureType()
	f := RevisionFacts{State: RevDraft, Type: typ, AuthorID: 7, ContentHash: "abc"}
	step := func(ev RevEvent, in TransitionInput) RevState {
		t.Helper()
		in.Today = today
		to, err := Transition(f, ev, in)
		if err != nil {
			t.Fatalf("%s from %s: %v", ev, f.State, err)
		}
		f.State = to
		return to
	}
	fail := func(ev RevEvent, in TransitionInput, code, key string) {
		t.Helper()
		in.Today = today
		to, err := Transition(f, ev, in)
		if err == nil || ErrorCode(err) != code || !strings.Contains(err.Error(), key) || to != f.State {
			t.Errorf("%s from %s: %v (state %s), want %s %s", ev, f.State, err, to, code, key)
		}
	}
	// A procedure needs a comment round before approval.
	fail(EvSubmitApproval, TransitionInput{}, EConflict, "err.round_required")
	fail(EvSubmitReview, TransitionInput{Reviewers: 0, Deadline: today.AddDays(-1)}, EInvalid, "reviewers")
	step(EvSubmitReview, TransitionInput{Reviewers: 2, Deadline: today.AddDays(5)})
	f.DeadlineOn, f.OpenComments = today.AddDays(5), 1
	fail(EvCloseRound, TransitionInput{}, EConflict, "err.comments_open")
	f.OpenComments = 0
	step(EvCloseRound, TransitionInput{})
	f.RoundDone = true
	fail(EvApprove, TransitionInput{ActorID: 9}, EConflict, "err.rev_transition")
	step(EvSubmitApproval, TransitionInput{})
	f.SubmittedHash = "abc"
	// Rejection needs a reason and goes back to the draft.
	fail(EvReject, TransitionInput{ActorID: 9}, EInvalid, "reason")
	if to, err := Transition(f, EvReject, TransitionInput{ActorID: 9, Reason: "Sửa mục 5", Today: today}); err != nil || to != RevDraft {
		t.Errorf("reject: %s %v", to, err)
	}
	// The content changed after submission: approval is refused.
	f.ContentHash = "abd"
	fail(EvApprove, TransitionInput{ActorID: 9}, EConflict, "err.rev_changed")
	f.ContentHash = "abc"
	fail(EvApprove, TransitionInput{ActorID: 7}, EForbidden, "err.self_approval")
	fail(EvApprove, TransitionInput{ActorID: 9}, EInvalid, "effective_on")
	f.EffectiveOn = today.AddDays(3)
	step(EvApprove, TransitionInput{ActorID: 9})
	if f.State.Editable() {
		t.Error("an approved revision is editable")
	}
	fail(EvPublish, TransitionInput{}, EConflict, "err.not_yet_effective")
	today = today.AddDays(3)
	step(EvPublish, TransitionInput{})
	fail(EvWithdraw, TransitionInput{}, EInvalid, "reason")
	step(EvSupersede, TransitionInput{})
	if !f.State.Obsolete() || len(f.State.Events()) != 0 {
		t.Errorf("superseded: obsolete %v, events %v", f.State.Obsolete(), f.State.Events())
	}
	// Self-approval where the agency allows it.
	g := RevisionFacts{State: RevSubmitted, Type: typ, AuthorID: 7, ContentHash: "x", SubmittedHash: "x", EffectiveOn: today, AllowSelf: true}
	if to, err := Transition(g, EvApprove, TransitionInput{ActorID: 7, Today: today}); err != nil || to != RevApproved {
		t.Errorf("allowed self-approval: %s %v", to, err)
	}
	// A form needs no comment round; an external document has none at all.
	form := DocType{Code: "form", CommentRound: false}
	if to, err := Transition(RevisionFacts{State: RevDraft, Type: form, ContentHash: "x"}, EvSubmitApproval, TransitionInput{Today: today}); err != nil || to != RevSubmitted {
		t.Errorf("form submitted without a round: %s %v", to, err)
	}
	if _, err := Transition(RevisionFacts{State: RevDraft, Type: DocType{External: true}}, EvSubmitReview, TransitionInput{Reviewers: 1, Deadline: today, Today: today}); ErrorCode(err) != EConflict {
		t.Errorf("a round on an external document: %v", err)
	}
	if _, err := Transition(RevisionFacts{State: RevDraft, Type: form}, EvSubmitApproval, TransitionInput{Today: today}); err == nil || !strings.Contains(err.Error(), "file") {
		t.Errorf("submitted without a main file: %v", err)
	}
}

// Every state is reachable from a draft, and the table names only known states.
func TestTransitionTable(t *testing.T) {
	seen := map[RevState]bool{RevDraft: true}
	queue := []RevState{RevDraft}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, ev := range s.Events() {
			to := revTransitions[s][ev]
			if !to.Valid() {
				t.Errorf("%s --%s--> unknown %s", s, ev, to)
			}
			if !seen[to] {
				seen[to] = true
				queue = append(queue, to)
			}
		}
	}
	for _, s := range RevStates() {
		if !seen[s] {
			t.Errorf("%s is unreachable", s)
		}
	}
	if len(RevStates()) != len(revTransitions) {
		t.Errorf("%d states listed, %d in the table", len(RevStates()), len(revTransitions))
	}
}

func TestNextReview(t *testing.T) {
	for _, c := range []struct {
		from   Date
		months int
		want   Date
	}{
		{NewDate(2026, 1, 15), 12, NewDate(2027, 1, 15)},
		{NewDate(2026, 8, 31), 6, NewDate(2027, 2, 28)},
		{NewDate(2027, 8, 31), 6, NewDate(2028, 2, 29)},
		{NewDate(2026, 11, 30), 1, NewDate(2026, 12, 30)},
		{NewDate(2026, 12, 31), 24, NewDate(2028, 12, 31)},
		{NewDate(2026, 3, 1), 0, Date{}},
		{Date{}, 12, Date{}},
	} {
		if got := NextReview(c.from, c.months); got != c.want {
			t.Errorf("NextReview(%s, %d) = %s, want %s", c.from, c.months, got, c.want)
		}
	}
}

func TestExternalDoc(t *testing.T) {
	ok := ExternalDoc{Number: "19/2014/QĐ-TTg", Issuer: "Thủ tướng Chính phủ", SignedOn: NewDate(2014, 3, 5), EffectiveOn: NewDate(2014, 4, 20)}
	if err := ok.Validate(); err != nil || ok.Status != ExtInForce {
		t.Errorf("valid: %v %s", err, ok.Status)
	}
	for name, e := range map[string]ExternalDoc{
		"no number":        {Issuer: "X", SignedOn: NewDate(2014, 3, 5)},
		"effective before": {Number: "1", Issuer: "X", SignedOn: NewDate(2014, 3, 5), EffectiveOn: NewDate(2014, 1, 1)},
		"expired before":   {Number: "1", Issuer: "X", SignedOn: NewDate(2014, 3, 5), ExpiredOn: NewDate(2013, 1, 1)},
		"repealed, no end": {Number: "1", Issuer: "X", SignedOn: NewDate(2014, 3, 5), Status: ExtRepealed},
		"unknown status":   {Number: "1", Issuer: "X", SignedOn: NewDate(2014, 3, 5), Status: "gone"},
	} {
		if err := e.Validate(); ErrorCode(err) != EInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestClauses(t *testing.T) {
	e08, ok := ClauseEditionFor("TCVN ISO 9001:2008")
	if !ok || e08.Edition != "2008" {
		t.Fatal("no 2008 tree")
	}
	if e00, _ := ClauseEditionFor("TCVN ISO 9001:2000"); e00.Edition != "2008" {
		t.Error("2000 does not share the 2008 tree")
	}
	e15, ok := ClauseEditionFor("2015")
	if !ok || e15.Clauses[len(e15.Clauses)-1].No != "10.3" || e15.Clauses[0].No != "4" {
		t.Fatalf("2015 tree: %v", ok)
	}
	for _, e := range []ClauseEdition{e08, e15} {
		seen := map[string]bool{}
		for i, c := range e.Clauses {
			if seen[c.No] || c.VI == "" || c.EN == "" {
				t.Errorf("%s: clause %q duplicated or untitled", e.Edition, c.No)
			}
			seen[c.No] = true
			if p := c.Parent(); p != "" && !seen[p] {
				t.Errorf("%s: %s comes before its parent %s", e.Edition, c.No, p)
			}
			if i > 0 && !clauseLess(e.Clauses[i-1].No, c.No) {
				t.Errorf("%s: %s after %s", e.Edition, c.No, e.Clauses[i-1].No)
			}
		}
	}
	// Every leaf of 2008 maps onto clauses that exist in 2015.
	for _, c := range e08.Clauses {
		if c.Depth() == 1 {
			continue
		}
		to := Clauses2015For(c.No)
		hasChild := false
		for _, d := range e08.Clauses {
			hasChild = hasChild || d.Parent() == c.No
		}
		if len(to) == 0 && !hasChild {
			t.Errorf("2008 %s has no 2015 counterpart", c.No)
		}
		for _, n := range to {
			if _, ok := e15.FindClause(n); !ok {
				t.Errorf("2008 %s → unknown 2015 %s", c.No, n)
			}
		}
	}
	if got := Clauses2015For("8.5.3"); len(got) != 1 || got[0] != "6.1" {
		t.Errorf("preventive action → %v", got)
	}
	if m := Mandatory2008(); len(m) != 6 {
		t.Errorf("%d mandatory procedures", len(m))
	} else {
		for _, p := range m {
			if _, ok := e08.FindClause(p.Clause); !ok {
				t.Errorf("mandatory procedure cites unknown clause %s", p.Clause)
			}
		}
	}
	if c, _ := e15.FindClause("7.5.3"); c.Title("en") != "Control of documented information" || c.Title("vi") != "Kiểm soát thông tin dạng văn bản" {
		t.Errorf("7.5.3 = %+v", c)
	}
	if !clauseLess("7.5", "7.5.1") || !clauseLess("9.3.3", "10") || clauseLess("10", "9") {
		t.Error("clause order")
	}
}

func TestInListState(t *testing.T) {
	today := NewDate(2026, 11, 27)
	eff := &Revision{State: RevEffective}
	draft := &Revision{State: RevDraft}
	old := &Revision{State: RevSuperseded}
	for _, c := range []struct {
		d     Document
		state string
		want  bool
	}{
		{Document{Effective: eff, Latest: eff}, DocListEffective, true},
		{Document{Latest: draft}, DocListEffective, false},
		{Document{Effective: eff, Latest: draft}, DocListWorking, true},
		{Document{Effective: eff, Latest: eff}, DocListWorking, false},
		{Document{Latest: old}, DocListObsolete, true},
		{Document{Latest: &Revision{State: RevCancelled}}, DocListWorking, false},
		{Document{NextReviewOn: NewDate(2026, 12, 27)}, DocListReviewDue, true},
		{Document{NextReviewOn: NewDate(2026, 12, 28)}, DocListReviewDue, false},
		{Document{NextReviewOn: NewDate(2025, 1, 1)}, DocListReviewDue, true},
		{Document{}, DocListReviewDue, false},
		{Document{}, "", true},
		{Document{}, "nonsense", false},
	} {
		if got := c.d.InListState(c.state, today); got != c.want {
			t.Errorf("%+v in %q = %v", c.d, c.state, got)
		}
	}
}
