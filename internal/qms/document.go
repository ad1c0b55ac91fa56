package qms

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Controlled documents (ISO 9001:2008 4.2.3, 2015 7.5): document types as data, the life of a
// revision as a transition table, review dates and code patterns. No SQL or HTTP here.

// DocType is one kind of document an agency controls, as data a coordinator can edit.
type DocType struct {
	Code          string `json:"code"` // manual, policy, objectives, procedure, process, instruction, form, external
	NameVI        string `json:"name_vi"`
	NameEN        string `json:"name_en"`
	CodePattern   string `json:"code_pattern"`   // "QT-##": '#' is a digit, anything else is literal
	ReviewMonths  int    `json:"review_months"`  // 0: no periodic review
	CommentRound  bool   `json:"comment_round"`  // a comment round is required before approval
	Approver      Role   `json:"approver"`       // who approves (the agency leader by default)
	SelfApproval  bool   `json:"self_approval"`  // the author may approve their own revision
	RetainYears   int    `json:"retain_years"`   // obsolete revisions are kept this long
	External      bool   `json:"external"`       // a legal text from outside: no drafting or approval
	Mandatory2008 bool   `json:"mandatory_2008"` // one of the documents ISO 9001:2008 requires
}

//go:embed doctypes.json
var docTypesJSON []byte

// DefaultDocTypes returns the document types a new deployment starts with.
func DefaultDocTypes() []DocType {
	var out []DocType
	if err := json.Unmarshal(docTypesJSON, &out); err != nil {
		panic("qms: doctypes.json: " + err.Error()) // embedded data, checked by the tests
	}
	return out
}

var docTypeCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,29}$`)

// Validate checks a document type as a coordinator edits it.
func (t *DocType) Validate() error {
	var v Validation
	t.Code, t.NameVI, t.NameEN, t.CodePattern = strings.TrimSpace(t.Code), strings.TrimSpace(t.NameVI), strings.TrimSpace(t.NameEN), strings.TrimSpace(t.CodePattern)
	if !docTypeCode.MatchString(t.Code) {
		v.Add("code", "err.doctype_code")
	}
	checkText(&v, "name_vi", t.NameVI, true, 120)
	checkText(&v, "name_en", t.NameEN, false, 120)
	if err := checkPattern(t.CodePattern); err != nil {
		v.Add("code_pattern", "err.code_pattern")
	}
	if t.ReviewMonths < 0 || t.ReviewMonths > 120 {
		v.Add("review_months", "err.review_months")
	}
	if t.RetainYears < 0 || t.RetainYears > 100 {
		v.Add("retain_years", "err.retain_years")
	}
	if t.Approver == "" {
		t.Approver = RoleLeader
	}
	if t.Approver != RoleLeader && t.Approver != RoleSecretary {
		v.Add("approver", "err.approver")
	}
	return v.Err()
}

// checkPattern accepts patterns of capital letters, digits, '-', '.', '/' and at least one
// '#', no digit right after a '#'.
func checkPattern(p string) error {
	if p == "" || len(p) > 30 || !strings.Contains(p, "#") {
		return fmt.Errorf("pattern %q", p)
	}
	for i, r := range p {
		if !(r == '#' || r == '-' || r == '.' || r == '/' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("pattern %q: %q", p, r)
		}
		// A digit right after a '#' run would make the run's end ambiguous ("A-#0").
		if i > 0 && p[i-1] == '#' && r >= '0' && r <= '9' {
			return fmt.Errorf("pattern %q: digit after #", p)
		}
	}
	return nil
}

// MatchesPattern tells whether a document code fits a type's pattern ("QT-##" takes "QT-01";
// a run of '#' takes at least that many digits, so "QT-##" also takes "QT-104").
func MatchesPattern(code, pattern string) bool {
	code = strings.ToUpper(strings.TrimSpace(code))
	i := 0
	for j := 0; j < len(pattern); {
		if pattern[j] != '#' {
			if i >= len(code) || code[i] != pattern[j] {
				return false
			}
			i, j = i+1, j+1
			continue
		}
		n := 0
		for j < len(pattern) && pattern[j] == '#' {
			n, j = n+1, j+1
		}
		d := 0
		for i < len(code) && code[i] >= '0' && code[i] <= '9' {
			d, i = d+1, i+1
		}
		if d < n {
			return false
		}
	}
	return i == len(code)
}

// SuggestCode proposes the next free code of a pattern: the first '#' run counts up from the
// highest taken; later runs are filled with 1 ("BM-##-##" after "BM-03-02" is "BM-04-01").
func SuggestCode(pattern string, taken []string) string {
	high := 0
	for _, c := range taken {
		if !MatchesPattern(c, pattern) {
			continue
		}
		if n := firstNumber(c, pattern); n > high {
			high = n
		}
	}
	var b strings.Builder
	first := true
	for j := 0; j < len(pattern); {
		if pattern[j] != '#' {
			b.WriteByte(pattern[j])
			j++
			continue
		}
		n := 0
		for j < len(pattern) && pattern[j] == '#' {
			n, j = n+1, j+1
		}
		v := 1
		if first {
			v, first = high+1, false
		}
		fmt.Fprintf(&b, "%0*d", n, v)
	}
	return b.String()
}

// firstNumber reads the digits standing for the first '#' run of pattern in code.
func firstNumber(code, pattern string) int {
	code = strings.ToUpper(code)
	lead := strings.IndexByte(pattern, '#')
	if lead < 0 || lead > len(code) {
		return 0
	}
	end := lead
	for end < len(code) && code[end] >= '0' && code[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(code[lead:end])
	return n
}

// RevState is where a revision stands in its life.
type RevState string

const (
	RevDraft      RevState = "draft"      // Dự thảo: the author edits
	RevInReview   RevState = "in_review"  // Góp ý: named reviewers comment until the deadline
	RevReviewed   RevState = "reviewed"   // the round is closed, every comment answered
	RevSubmitted  RevState = "submitted"  // Trình ký: content locked, waiting for the approver
	RevApproved   RevState = "approved"   // signed; takes effect on its effective date
	RevEffective  RevState = "effective"  // Ban hành: the one revision in force
	RevSuperseded RevState = "superseded" // replaced by the next revision (HẾT HIỆU LỰC)
	RevWithdrawn  RevState = "withdrawn"  // withdrawn by decision (HẾT HIỆU LỰC)
	RevCancelled  RevState = "cancelled"  // abandoned before taking effect
)

// RevEvent is what moves a revision from one state to another.
type RevEvent string

const (
	EvSubmitReview   RevEvent = "submit_review"   // open a comment round: reviewers and a deadline
	EvCloseRound     RevEvent = "close_round"     // every comment answered (or the deadline passed)
	EvRequestChanges RevEvent = "request_changes" // back to the author with a reason
	EvSubmitApproval RevEvent = "submit_approval" // lock the content and send it to the approver
	EvApprove        RevEvent = "approve"         // the approver signs (password re-entered)
	EvReject         RevEvent = "reject"          // the approver refuses, with a reason
	EvPublish        RevEvent = "publish"         // the effective date has come
	EvSupersede      RevEvent = "supersede"       // the next revision took effect
	EvWithdraw       RevEvent = "withdraw"        // withdrawn by decision, with a reason
	EvCancel         RevEvent = "cancel"          // abandon a revision not yet in force
	EvReopen         RevEvent = "reopen"          // a cancelled revision becomes a draft again
)

// revTransitions is the life of a revision: from a state, an event leads to one state.
var revTransitions = map[RevState]map[RevEvent]RevState{
	RevDraft:      {EvSubmitReview: RevInReview, EvSubmitApproval: RevSubmitted, EvCancel: RevCancelled},
	RevInReview:   {EvCloseRound: RevReviewed, EvRequestChanges: RevDraft, EvCancel: RevCancelled},
	RevReviewed:   {EvSubmitApproval: RevSubmitted, EvRequestChanges: RevDraft, EvCancel: RevCancelled},
	RevSubmitted:  {EvApprove: RevApproved, EvReject: RevDraft, EvCancel: RevCancelled},
	RevApproved:   {EvPublish: RevEffective, EvCancel: RevCancelled},
	RevEffective:  {EvSupersede: RevSuperseded, EvWithdraw: RevWithdrawn},
	RevCancelled:  {EvReopen: RevDraft},
	RevSuperseded: {},
	RevWithdrawn:  {},
}

// RevStates lists every state, in the order of a revision's life.
func RevStates() []RevState {
	return []RevState{RevDraft, RevInReview, RevReviewed, RevSubmitted, RevApproved, RevEffective, RevSuperseded, RevWithdrawn, RevCancelled}
}

// Events returns the events possible from a state, sorted.
func (s RevState) Events() []RevEvent {
	var out []RevEvent
	for e := range revTransitions[s] {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Editable tells whether a revision's content (title, files, header) may change: only while
// it is drafted or commented on; from submission on it is locked.
func (s RevState) Editable() bool { return s == RevDraft || s == RevInReview }

// Obsolete tells whether a revision is no longer in force and must be marked "HẾT HIỆU LỰC".
func (s RevState) Obsolete() bool { return s == RevSuperseded || s == RevWithdrawn }

// Valid tells whether s is a known state.
func (s RevState) Valid() bool { _, ok := revTransitions[s]; return ok }

// RevisionFacts is what the transition rules need to know about a revision and its document.
type RevisionFacts struct {
	State         RevState
	Type          DocType
	AuthorID      int64
	Reviewers     int       // named reviewers of the open round
	OpenComments  int       // comments of the round not yet answered
	RoundDone     bool      // a comment round was closed for this revision
	SubmittedHash string    // SHA-256 of the content when it was submitted
	ContentHash   string    // SHA-256 of the content now
	EffectiveOn   Date      // the date the revision takes effect (zero: not set)
	DeadlineOn    Date      // the round's deadline
	AllowSelf     bool      // the agency allows self-approval for this type
	Now           time.Time // for the deadline and the effective date
}

// TransitionInput is what a person gives with an event.
type TransitionInput struct {
	ActorID   int64
	Reason    string // required to reject, request changes, withdraw, cancel
	Reviewers int    // with submit_review
	Deadline  Date   // with submit_review
	Today     Date
}

// Transition checks an event against the table and the rules, and returns the new state.
func Transition(f RevisionFacts, ev RevEvent, in TransitionInput) (RevState, error) {
	to, ok := revTransitions[f.State][ev]
	if !ok {
		return f.State, Errorf(EConflict, "err.rev_transition", string(f.State), string(ev))
	}
	var v Validation
	reason := strings.TrimSpace(in.Reason)
	switch ev {
	case EvSubmitReview:
		if f.Type.External {
			return f.State, Errorf(EConflict, "err.rev_external")
		}
		if in.Reviewers < 1 {
			v.Add("reviewers", "err.reviewers_required")
		}
		if in.Deadline.IsZero() || in.Deadline.Before(in.Today) {
			v.Add("deadline", "err.deadline")
		}
	case EvCloseRound:
		if f.OpenComments > 0 && (f.DeadlineOn.IsZero() || !f.DeadlineOn.Before(in.Today)) {
			return f.State, Errorf(EConflict, "err.comments_open", f.OpenComments)
		}
		if f.OpenComments > 0 {
			return f.State, Errorf(EConflict, "err.comments_unanswered", f.OpenComments)
		}
	case EvSubmitApproval:
		if f.Type.CommentRound && !f.RoundDone && f.State == RevDraft {
			return f.State, Errorf(EConflict, "err.round_required")
		}
		if f.ContentHash == "" {
			v.Add("file", "err.main_file_required")
		}
	case EvApprove:
		if f.SubmittedHash == "" || f.SubmittedHash != f.ContentHash {
			return f.State, Errorf(EConflict, "err.rev_changed")
		}
		if in.ActorID == f.AuthorID && !(f.Type.SelfApproval || f.AllowSelf) {
			return f.State, Errorf(EForbidden, "err.self_approval")
		}
		if f.EffectiveOn.IsZero() {
			v.Add("effective_on", "err.effective_on")
		}
	case EvPublish:
		if f.EffectiveOn.IsZero() || in.Today.Before(f.EffectiveOn) {
			return f.State, Errorf(EConflict, "err.not_yet_effective")
		}
	case EvReject, EvRequestChanges, EvWithdraw, EvCancel:
		if reason == "" {
			v.Add("reason", "err.reason_required")
		} else if len([]rune(reason)) > 1000 {
			v.Add("reason", "err.too_long")
		}
	}
	if err := v.Err(); err != nil {
		return f.State, err
	}
	return to, nil
}

// NextReview is the date a document is next due for review: the effective (or last review)
// date plus the type's interval in months, on the same day of the month or the month's last
// day. A type without an interval is never due.
func NextReview(from Date, months int) Date {
	if from.IsZero() || months <= 0 {
		return Date{}
	}
	t := from.Time()
	y, m := t.Year(), int(t.Month())+months
	y += (m - 1) / 12
	m = (m-1)%12 + 1
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	d := t.Day()
	if d > last {
		d = last
	}
	return NewDate(y, time.Month(m), d)
}

// ExternalStatus is the standing of an external (legal) document.
type ExternalStatus string

const (
	ExtInForce  ExternalStatus = "in_force"
	ExtAmended  ExternalStatus = "amended"
	ExtRepealed ExternalStatus = "repealed"
)

// ExternalDoc is what a legal text carries: number, issuer and its dates.
type ExternalDoc struct {
	Number      string         `json:"number"` // "19/2014/QĐ-TTg"
	Issuer      string         `json:"issuer"`
	SignedOn    Date           `json:"signed_on"`
	EffectiveOn Date           `json:"effective_on"`
	ExpiredOn   Date           `json:"expired_on"`
	Status      ExternalStatus `json:"status"`
}

// Validate checks a legal text's facts: its number, issuer, dates in order and its status.
// Fields are named as the forms name them: ext_number, ext_issuer, …
func (e *ExternalDoc) Validate() error {
	var v Validation
	e.check(&v)
	return v.Err()
}

func (e *ExternalDoc) check(v *Validation) {
	e.Number, e.Issuer = strings.TrimSpace(e.Number), strings.TrimSpace(e.Issuer)
	checkText(v, "ext_number", e.Number, true, 60)
	checkText(v, "ext_issuer", e.Issuer, true, 200)
	if e.SignedOn.IsZero() {
		v.Add("ext_signed_on", "err.required")
	}
	if !e.EffectiveOn.IsZero() && e.EffectiveOn.Before(e.SignedOn) {
		v.Add("ext_effective_on", "err.date_order")
	}
	if !e.ExpiredOn.IsZero() && (e.ExpiredOn.Before(e.SignedOn) || !e.EffectiveOn.IsZero() && e.ExpiredOn.Before(e.EffectiveOn)) {
		v.Add("ext_expired_on", "err.date_order")
	}
	switch e.Status {
	case "":
		e.Status = ExtInForce
	case ExtInForce, ExtAmended, ExtRepealed:
	default:
		v.Add("ext_status", "err.choice")
	}
	if e.Status == ExtRepealed && e.ExpiredOn.IsZero() {
		v.Add("ext_expired_on", "err.required")
	}
}

// Document is one controlled document of an agency; its content lives in its revisions.
type Document struct {
	ID           int64
	AgencyID     int64
	TypeCode     string
	Code         string
	Title        string
	Clauses      []string
	Edition      string       // the edition whose clauses Clauses cites: "2015" or "2008"
	External     *ExternalDoc // the legal text's facts, for documents of an external type
	NextReviewOn Date
	CreatedAt    time.Time
	CreatedBy    int64
	Effective    *Revision // the revision in force, if any
	Latest       *Revision // the newest revision
}

// Validate checks a new document against its type: the code fits the pattern, the title is
// there, every cited clause exists in the edition it cites (2015 unless said otherwise).
func (d *Document) Validate(t DocType) error {
	var v Validation
	d.Code, d.Title = strings.ToUpper(strings.TrimSpace(d.Code)), strings.TrimSpace(d.Title)
	if !MatchesPattern(d.Code, t.CodePattern) {
		v.Add("code", "err.doc_code", t.CodePattern)
	}
	checkText(&v, "title", d.Title, true, 300)
	if d.Edition == "" {
		d.Edition = "2015"
	}
	e, ok := ClauseEditionFor(d.Edition)
	if !ok {
		v.Add("edition", "err.edition_not_found")
		return v.Err()
	}
	d.Edition = e.Edition
	seen := map[string]bool{}
	var clauses []string
	for _, c := range d.Clauses {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		if _, ok := e.FindClause(c); !ok {
			v.Add("clauses", "err.clause_in", c, e.Edition)
			break
		}
		clauses = append(clauses, c)
	}
	d.Clauses = clauses
	if t.External {
		if d.External == nil {
			d.External = &ExternalDoc{}
		}
		d.External.check(&v)
	} else {
		d.External = nil
	}
	return v.Err()
}

// Document list states, as the master list filters them.
const (
	DocListEffective = "effective"  // a revision is in force
	DocListWorking   = "working"    // a revision is being drafted, commented or approved
	DocListObsolete  = "obsolete"   // the newest revision is superseded or withdrawn
	DocListReviewDue = "review_due" // the periodic review is due within 30 days or overdue
)

// InListState tells whether a document (with its Effective and Latest revisions filled in) is
// in one of the master list's states on a given day; "" is every document.
func (d Document) InListState(state string, today Date) bool {
	switch state {
	case "":
		return true
	case DocListEffective:
		return d.Effective != nil
	case DocListWorking:
		return d.Latest != nil && d.Latest.State != RevEffective && !d.Latest.State.Obsolete() && d.Latest.State != RevCancelled
	case DocListObsolete:
		return d.Latest != nil && d.Latest.State.Obsolete()
	case DocListReviewDue:
		return !d.NextReviewOn.IsZero() && !today.AddDays(30).Before(d.NextReviewOn)
	}
	return false
}

// Revision is one issue (lần ban hành) of a document.
type Revision struct {
	ID            int64
	AgencyID      int64
	DocumentID    int64
	Number        int
	State         RevState
	Title         string
	ChangeNote    string // the amendment log: what changed, where, on whose request
	File          FileRef
	Attachments   []Attachment // besides the main file, in the order they were added
	ProcessDigest string       // the digest of its structured process content, if any
	Text          string       // extracted from the main file, for search
	ContentHash   string
	SubmittedHash string
	EffectiveOn   Date
	AuthorID      int64
	CheckerID     int64 // who submitted it for approval: "Soát xét" in the header
	ApproverID    int64
	ApprovedAt    time.Time
	Reason        string    // why it was last sent back, rejected, withdrawn or cancelled
	ObsoleteOn    Date      // the day it stopped being in force (superseded or withdrawn)
	PurgedAt      time.Time // destroyed after its retention: file, attachments and text removed
	PurgedBy      int64
	Round         int   // the comment round, 0 before the first
	RoundDeadline Date  // the open round's deadline
	Version       int64 // bumped by every write, for optimistic locking
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// DestroyOn is the day an obsolete revision's retention ends and it may be destroyed: its type's
// retention years after it stopped being in force (for revisions from before that day was
// recorded, after their last change). A revision in force, in the works or already destroyed,
// and a type kept permanently (0 years), have none.
func (r *Revision) DestroyOn(t DocType) Date {
	if !r.State.Obsolete() || !r.PurgedAt.IsZero() || t.RetainYears <= 0 {
		return Date{}
	}
	from := r.ObsoleteOn
	if from.IsZero() {
		from = DateOf(r.UpdatedAt)
	}
	return NextReview(from, 12*t.RetainYears)
}

// MaxAttachments bounds a revision's attachments.
const MaxAttachments = 20

// Attachment is a file attached to a revision besides its main file.
type Attachment struct {
	ID   int64
	File FileRef
	Text string // extracted, for search
}

// Hash is the SHA-256 of exactly what a revision says: its title, its change note, its main
// file's content hash, its attachments' names and content hashes and its process content's
// digest. The approver signs this. A revision with neither a file nor process content has none.
func (r *Revision) Hash() string {
	if r.File.SHA256 == "" && r.ProcessDigest == "" {
		return ""
	}
	s := "isogov-revision-v1\x00" + r.Title + "\x00" + r.ChangeNote + "\x00" + r.File.SHA256
	for _, a := range r.Attachments { // a revision without attachments hashes as before they existed
		s += "\x00" + a.File.Name + "\x00" + a.File.SHA256
	}
	if r.ProcessDigest != "" {
		s += "\x00process\x00" + r.ProcessDigest
	}
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// CommentAnswer is the author's answer to a reviewer's comment.
type CommentAnswer string

const (
	AnswerNone     CommentAnswer = ""
	AnswerAccepted CommentAnswer = "accepted"
	AnswerRejected CommentAnswer = "rejected"
)

// RevisionComment is a reviewer's comment on a revision in a comment round.
type RevisionComment struct {
	ID         int64
	RevisionID int64
	Round      int
	AuthorID   int64
	Body       string
	CreatedAt  time.Time
	Answer     CommentAnswer
	AnswerNote string
	AnsweredBy int64
	AnsweredAt time.Time
}

// ChangeRequest is a request to change a document (phiếu yêu cầu sửa đổi).
type ChangeRequest struct {
	ID          int64
	DocumentID  int64
	RequesterID int64
	Body        string
	State       string // open, accepted, rejected
	Reason      string
	DecidedBy   int64
	DecidedAt   time.Time
	RevisionID  int64 // the draft revision an accepted request started
	CreatedAt   time.Time
}

// DocModel is a model document the province publishes for agencies to copy.
type DocModel struct {
	ID          int64
	TypeCode    string
	Title       string
	Clauses     []string
	Edition     string
	File        FileRef
	Note        string
	PublishedAt time.Time
	PublishedBy int64
}
