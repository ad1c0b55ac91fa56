package qms

import (
	"regexp"
	"strings"
	"time"
)

// LegalDoc is a legal document (văn bản quy phạm pháp luật, or a decision) of the province's
// register: what procedures cite as their legal bases, and what agencies list as external
// documents. Its status uses the external documents' statuses.
type LegalDoc struct {
	ID          int64          `json:"id"`
	Number      string         `json:"number"` // số, ký hiệu: 19/2014/QĐ-TTg
	Title       string         `json:"title"`  // trích yếu
	Issuer      string         `json:"issuer"`
	SignedOn    Date           `json:"signed_on"`
	EffectiveOn Date           `json:"effective_on"`
	Status      ExternalStatus `json:"status"`
	ChangedOn   Date           `json:"changed_on"` // the day the amendment or repeal takes effect
	ChangedBy   string         `json:"changed_by"` // the amending or repealing text
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

// legalNumber matches a Vietnamese legal number: number/year/symbol (19/2014/QĐ-TTg,
// 72/2025/QH15) or number/symbol with a dash (1234/QĐ-UBND).
var legalNumber = regexp.MustCompile(`[0-9]{1,6}/[0-9]{4}/\p{Lu}[\p{L}0-9]*(?:-[\p{L}0-9]+)*|[0-9]{1,6}/\p{Lu}[\p{L}0-9]*(?:-[\p{L}0-9]+)+`)

// LegalNumbers finds the legal numbers written in a text, in order and once each (by key).
func LegalNumbers(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, loc := range legalNumber.FindAllStringIndex(text, -1) {
		if loc[0] > 0 && strings.ContainsRune("0123456789/", rune(text[loc[0]-1])) {
			continue // the tail of a longer number
		}
		n := text[loc[0]:loc[1]]
		if k := LegalKey(n); !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	return out
}

// LegalKey is how legal numbers are compared: upper-cased, without spaces.
func LegalKey(number string) string {
	return strings.ToUpper(strings.Join(strings.Fields(number), ""))
}

// GuessIssuer names the issuer a legal number's symbol implies ("" when it does not say).
func GuessIssuer(number string) string {
	symbol := LegalKey(number[strings.LastIndex(number, "/")+1:])
	switch {
	case strings.HasPrefix(symbol, "QH"):
		return "Quốc hội"
	case strings.HasSuffix(symbol, "NĐ-CP"), strings.HasSuffix(symbol, "NQ-CP"):
		return "Chính phủ"
	case strings.HasSuffix(symbol, "-TTG"):
		return "Thủ tướng Chính phủ"
	case strings.HasSuffix(symbol, "-UBND"):
		return "Ủy ban nhân dân tỉnh"
	case strings.HasSuffix(symbol, "-HĐND"):
		return "Hội đồng nhân dân tỉnh"
	}
	return ""
}

// Normalize trims what a person typed and defaults the status to in force.
func (l *LegalDoc) Normalize() {
	l.Number = strings.Join(strings.Fields(l.Number), "")
	l.Title, l.Issuer, l.ChangedBy = strings.TrimSpace(l.Title), strings.TrimSpace(l.Issuer), strings.TrimSpace(l.ChangedBy)
	if l.Status == "" {
		l.Status = ExtInForce
	}
}

// Validate checks a register entry, each error named after its field.
func (l *LegalDoc) Validate() error {
	var v Validation
	if n := LegalNumbers(LegalKey(l.Number)); len(n) != 1 || n[0] != LegalKey(l.Number) {
		v.Add("number", "err.legal_number")
	}
	checkText(&v, "title", l.Title, true, 500)
	checkText(&v, "issuer", l.Issuer, false, 200)
	checkText(&v, "changed_by", l.ChangedBy, false, 200)
	switch l.Status {
	case ExtInForce:
	case ExtAmended, ExtRepealed:
		if !l.ChangedOn.IsZero() && !l.EffectiveOn.IsZero() && l.ChangedOn.Before(l.EffectiveOn) {
			v.Add("changed_on", "err.date_order")
		}
	default:
		v.Add("status", "err.choice")
	}
	if !l.SignedOn.IsZero() && !l.EffectiveOn.IsZero() && l.EffectiveOn.Before(l.SignedOn) {
		v.Add("effective_on", "err.date_order")
	}
	return v.Err()
}

// Change impact.

// TaskCause is what opened an update task.
type TaskCause string

const (
	CauseProcedure TaskCause = "procedure" // a procedure amended or abolished
	CauseLegal     TaskCause = "legal"     // a legal document amended or repealed
)

// The legal windows for updating after a change (DOMAIN.md §2): the agency's TTHC list within
// 5 working days of the decision changing a procedure, its QMS documents within 3 months.
const (
	ListWindowWorkingDays = 5
	DocsWindowMonths      = 3
)

// Update task states and how a task was closed.
const (
	TaskOpen      = "open"
	TaskClosed    = "closed"
	ClosedRevised = "revised"   // every document concerned has a new revision in force (or none)
	ClosedJustify = "justified" // closed with a written justification
)

// UpdateTask asks an agency to bring its QMS up to date after a change in a procedure or a
// legal document.
type UpdateTask struct {
	ID            int64        `json:"id"`
	AgencyID      int64        `json:"-"`
	AgencyCode    string       `json:"agency"`
	AgencyName    string       `json:"agency_name"`
	Cause         TaskCause    `json:"cause"`
	ProcedureCode string       `json:"procedure,omitempty"`
	ProcedureName string       `json:"procedure_name,omitempty"`
	LegalID       int64        `json:"legal_id,omitempty"`
	LegalNumber   string       `json:"legal_number,omitempty"`
	LegalTitle    string       `json:"legal_title,omitempty"`
	Change        string       `json:"change"` // amended, abolished or repealed
	Decision      string       `json:"decision"`
	ChangedOn     Date         `json:"changed_on"`
	ListDueOn     Date         `json:"list_due_on"` // zero when the TTHC list is not concerned
	ListDoneOn    Date         `json:"list_done_on"`
	DueOn         Date         `json:"due_on"`
	State         string       `json:"state"`
	ClosedHow     string       `json:"closed_how,omitempty"`
	Justification string       `json:"justification,omitempty"`
	ClosedAt      time.Time    `json:"closed_at,omitzero"`
	ClosedBy      string       `json:"closed_by,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	Items         []UpdateItem `json:"items"`
}

// UpdateItem is a document concerned by an update task.
type UpdateItem struct {
	DocumentID     int64  `json:"document_id"`
	DocumentCode   string `json:"document_code"`
	Title          string `json:"title"`
	TypeCode       string `json:"type"`
	RevisionID     int64  `json:"revision_id"`      // in force when the task was opened (0: none)
	DoneRevisionID int64  `json:"done_revision_id"` // the revision that settled it (0: pending)
	Done           bool   `json:"done"`
}

// ListPending tells whether the task still waits for the TTHC list to be updated.
func (t UpdateTask) ListPending() bool { return !t.ListDueOn.IsZero() && t.ListDoneOn.IsZero() }

// Pending counts the documents not yet settled.
func (t UpdateTask) Pending() int {
	n := 0
	for _, it := range t.Items {
		if !it.Done {
			n++
		}
	}
	return n
}

// Settled tells whether everything the task asks for is done.
func (t UpdateTask) Settled() bool { return !t.ListPending() && t.Pending() == 0 }

// Overdue tells whether an open task has let a window pass.
func (t UpdateTask) Overdue(today Date) bool {
	if t.State != TaskOpen {
		return false
	}
	return t.DueOn.Before(today) || t.ListPending() && t.ListDueOn.Before(today)
}
