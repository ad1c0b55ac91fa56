package qms

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A dossier (hồ sơ thủ tục hành chính) is one citizen's or organisation's request under a
// procedure, from receipt at the one-stop desk to the result returned (DOMAIN.md §5).

// DossierState is where a dossier stands, with the names exchanged with the national portal.
type DossierState string

const (
	DossierReceived    DossierState = "received"             // đã tiếp nhận
	DossierNotReceived DossierState = "not_received"         // từ chối tiếp nhận (Form 03)
	DossierInProgress  DossierState = "in_progress"          // đang giải quyết
	DossierSupplement  DossierState = "supplement_requested" // yêu cầu bổ sung (Form 02)
	DossierAwaitingFee DossierState = "awaiting_fee"         // chờ thực hiện nghĩa vụ tài chính
	DossierWithdrawal  DossierState = "withdrawal_requested" // công dân xin rút
	DossierStopped     DossierState = "stopped"              // dừng xử lý
	DossierProcessed   DossierState = "processed"            // đã giải quyết, chờ trả
	DossierReturned    DossierState = "returned"             // đã trả kết quả
)

// DossierStates lists the states in the order of a dossier's life.
var DossierStates = []DossierState{DossierReceived, DossierInProgress, DossierSupplement, DossierAwaitingFee, DossierProcessed, DossierReturned,
	DossierWithdrawal, DossierStopped, DossierNotReceived}

// DossierEvent moves a dossier.
type DossierEvent string

const (
	DvAssign        DossierEvent = "assign"        // give the current step to a unit or handler (or transfer it)
	DvCompleteStep  DossierEvent = "complete_step" // the current step is done; the last one makes the dossier processed
	DvRequestSupply DossierEvent = "request_supplement"
	DvSupplied      DossierEvent = "supplement_received"
	DvRequestFee    DossierEvent = "request_fee"
	DvFeePaid       DossierEvent = "fee_paid"
	DvWithdraw      DossierEvent = "withdraw" // on the citizen's request
	DvStop          DossierEvent = "stop"
	DvReturn        DossierEvent = "return" // the result handed over
)

var dossierTransitions = map[DossierState]map[DossierEvent]DossierState{
	DossierReceived: {DvAssign: DossierInProgress, DvCompleteStep: DossierInProgress, DvRequestSupply: DossierSupplement, DvRequestFee: DossierAwaitingFee,
		DvWithdraw: DossierWithdrawal, DvStop: DossierStopped},
	DossierInProgress: {DvAssign: DossierInProgress, DvCompleteStep: DossierInProgress, DvRequestSupply: DossierSupplement, DvRequestFee: DossierAwaitingFee,
		DvWithdraw: DossierWithdrawal, DvStop: DossierStopped},
	DossierSupplement:  {DvSupplied: DossierInProgress, DvWithdraw: DossierWithdrawal, DvStop: DossierStopped},
	DossierAwaitingFee: {DvFeePaid: DossierInProgress, DvWithdraw: DossierWithdrawal, DvStop: DossierStopped},
	DossierWithdrawal:  {DvStop: DossierStopped},
	DossierProcessed:   {DvReturn: DossierReturned},
	DossierReturned:    {},
	DossierStopped:     {},
	DossierNotReceived: {},
}

// Events returns the events possible from a state, in a stable order.
func (s DossierState) Events() []DossierEvent {
	var out []DossierEvent
	for _, e := range []DossierEvent{DvAssign, DvCompleteStep, DvRequestSupply, DvSupplied, DvRequestFee, DvFeePaid, DvReturn, DvWithdraw, DvStop} {
		if _, ok := dossierTransitions[s][e]; ok {
			out = append(out, e)
		}
	}
	return out
}

// Valid tells whether s is a known state.
func (s DossierState) Valid() bool { _, ok := dossierTransitions[s]; return ok }

// Open tells whether the dossier is still being handled (its clock may run).
func (s DossierState) Open() bool {
	switch s {
	case DossierReceived, DossierInProgress, DossierSupplement, DossierAwaitingFee:
		return true
	}
	return false
}

// Finished tells whether the dossier's handling ended with a result (it counts in the on-time
// rate).
func (s DossierState) Finished() bool { return s == DossierProcessed || s == DossierReturned }

// NextDossierState applies an event; an impossible one is a conflict naming what is possible.
func NextDossierState(s DossierState, ev DossierEvent) (DossierState, error) {
	to, ok := dossierTransitions[s][ev]
	if !ok {
		var can []string
		for _, e := range s.Events() {
			can = append(can, string(e))
		}
		return s, Errorf(EConflict, "err.dossier_transition", string(ev), string(s), strings.Join(can, ", "))
	}
	return to, nil
}

// Channel is how a dossier was filed.
type Channel string

const (
	ChannelDirect Channel = "direct"
	ChannelOnline Channel = "online"
	ChannelPostal Channel = "postal"
)

// Channels lists the channels.
var Channels = []Channel{ChannelDirect, ChannelOnline, ChannelPostal}

// Outcome is how a finished dossier or step compares with its due date.
type Outcome string

const (
	OutcomeNone   Outcome = ""
	OutcomeEarly  Outcome = "early"   // before the due date: 2 points
	OutcomeOnTime Outcome = "on_time" // on the due date: 1 point
	OutcomeLate   Outcome = "late"    // after: 0 points
)

// Points is the outcome's score (DOMAIN.md §5).
func (o Outcome) Points() int {
	switch o {
	case OutcomeEarly:
		return 2
	case OutcomeOnTime:
		return 1
	}
	return 0
}

// OutcomeOf compares the day something finished with its due date.
func OutcomeOf(finished, due Date) Outcome {
	switch {
	case finished.Before(due):
		return OutcomeEarly
	case finished == due:
		return OutcomeOnTime
	}
	return OutcomeLate
}

// DossierOutcome scores a finished dossier against its legal due date; more than one
// supplement request makes it late whatever the date (DOMAIN.md §5).
func DossierOutcome(finished, due Date, supplements int) Outcome {
	if supplements > 1 {
		return OutcomeLate
	}
	return OutcomeOf(finished, due)
}

// NCSource says whether a dossier calls for a nonconformity and from which source: a low
// rating (1 or 2) is a citizen's complaint, a late or overdue one a late dossier; "" otherwise.
func (d Dossier) NCSource(today Date) NCSource {
	switch {
	case d.Rating > 0 && d.Rating <= 2:
		return SourceComplaint
	case d.Outcome == OutcomeLate || d.State.Open() && d.DueOn.Before(today):
		return SourceLate
	}
	return ""
}

// Dossier is one request under a procedure.
type Dossier struct {
	ID            int64
	AgencyID      int64
	AgencyCode    string
	Code          string // <unit code>-YYMMDD-NNNN
	ProcedureID   int64
	ProcedureCode string
	ProcedureName string
	Applicant     string
	IDNumber      string // identity number (CCCD)
	Phone         string
	Address       string
	Channel       Channel
	State         DossierState
	ReceivedAt    time.Time // as given by the desk or the one-stop software
	CountedFrom   Date      // the day the limit counts from (cut-off, restarts)
	LimitDays     int
	DueOn         Date // the legal due date (statistics count against it)
	NewDueOn      Date // the date promised in the apology letter, if any
	ApologyReason string
	Supplements   int // supplement requests so far
	PausedDays    int // working days the later supplement requests paused the clock
	FinishedAt    time.Time
	Outcome       Outcome
	StepNo        int // the current step (1-based; 0 when there are none left)
	Handler       string
	Reason        string // of a refusal, a stop or a withdrawal
	RatedAt       time.Time
	Rating        int
	RatingNote    string
	CreatedBy     int64
	Version       int64
	Steps         []DossierStep
}

// DossierStep is one step of a dossier's handling, from its process.
type DossierStep struct {
	No          int
	Description string
	Responsible string
	Hours       int  // its share of the limit, in working hours
	DueOn       Date // the day it must be done by
	Handler     string
	DoneAt      time.Time
	Outcome     Outcome
}

// MaskName shows a name by its initials and given name: "Nguyễn Văn An" → "N. V. An".
func MaskName(name string) string {
	parts := strings.Fields(name)
	if len(parts) <= 1 {
		return name
	}
	var b strings.Builder
	for _, p := range parts[:len(parts)-1] {
		r, _ := utf8.DecodeRuneInString(p)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(". ")
	}
	b.WriteString(parts[len(parts)-1])
	return b.String()
}

// MaskDigits keeps the last n characters of an identity number or phone: "•••••••6789".
func MaskDigits(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.Repeat("•", len(r)-n) + string(r[len(r)-n:])
}

var (
	idNumber = regexp.MustCompile(`^[0-9]{9}$|^[0-9]{12}$`) // CMND (9) or CCCD (12)
	phone    = regexp.MustCompile(`^\+?[0-9]{9,12}$`)
)

// DossierCode makes a dossier's code from its unit, its day of receipt and its number that day.
func DossierCode(unit string, day Date, n int) string {
	return fmt.Sprintf("%s-%s-%04d", unit, day.Time().Format("060102"), n)
}

var dossierCode = regexp.MustCompile(`^[A-Z0-9][A-Z0-9\-]{0,30}-[0-9]{6}-[0-9]{4,}$`)

// ValidDossierCode tells whether s has the shape of a dossier code.
func ValidDossierCode(s string) bool { return dossierCode.MatchString(s) }

// Validate checks what the desk (or the one-stop software) gives at intake.
func (d *Dossier) Validate(now time.Time) error {
	var v Validation
	d.Applicant, d.Address = strings.TrimSpace(d.Applicant), strings.TrimSpace(d.Address)
	d.IDNumber, d.Phone = strings.ReplaceAll(strings.TrimSpace(d.IDNumber), " ", ""), strings.ReplaceAll(strings.TrimSpace(d.Phone), " ", "")
	checkText(&v, "applicant", d.Applicant, true, 200)
	checkText(&v, "address", d.Address, false, 300)
	if d.IDNumber != "" && !idNumber.MatchString(d.IDNumber) {
		v.Add("id_number", "err.id_number")
	}
	if d.Phone != "" && !phone.MatchString(d.Phone) {
		v.Add("phone", "err.phone")
	}
	if d.Channel == "" {
		d.Channel = ChannelDirect
	}
	if !slices.Contains(Channels, d.Channel) {
		v.Add("channel", "err.choice")
	}
	switch {
	case d.ReceivedAt.IsZero():
		v.Add("received_at", "err.required")
	case d.ReceivedAt.After(now.Add(time.Minute)):
		v.Add("received_at", "err.received_future")
	case d.ReceivedAt.Before(now.AddDate(-10, 0, 0)):
		v.Add("received_at", "err.received_old")
	}
	return v.Err()
}

// DossierSteps are the steps a dossier of a procedure follows under this process: each with
// its share of the limit in working hours; without a process (no steps), one step for the
// whole limit.
func (c ProcessContent) DossierSteps(limitDays int) []DossierStep {
	var out []DossierStep
	for i, st := range c.Steps {
		hours := st.Amount
		if st.Unit != UnitHours {
			hours *= HoursPerDay
		}
		out = append(out, DossierStep{No: i + 1, Description: st.Description, Responsible: st.Responsible, Hours: hours})
	}
	if len(out) == 0 {
		out = []DossierStep{{No: 1, Description: "Giải quyết hồ sơ", Hours: max(1, limitDays) * HoursPerDay}}
	}
	return out
}
