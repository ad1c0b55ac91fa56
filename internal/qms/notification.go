package qms

import (
	"time"
)

// Notifications: an in-app inbox and e-mail, delivered by a durable queue.

// NotifyKind is what a notification is about.
type NotifyKind string

const (
	NotifyActionDue     NotifyKind = "action_due"     // an action one owns is due within 3 days
	NotifyActionOverdue NotifyKind = "action_overdue" // … or past due
	NotifyAuditComing   NotifyKind = "audit_coming"   // an audit one is on the team of, on a reminder day
	NotifyReportDue     NotifyKind = "report_due"     // the agency's periodic report is due within 14 days and not submitted
	NotifyTaskOverdue   NotifyKind = "task_overdue"   // an update task past its window
	NotifyReviewDue     NotifyKind = "review_due"     // no management review held this year, from October
	NotifyDossierRisk   NotifyKind = "dossier_risk"   // dossiers due within a working day, not settled
	NotifyAcknowledge   NotifyKind = "acknowledge"    // documents in force one has not acknowledged
	NotifyRecognition   NotifyKind = "recognition"    // a certificate expiring or its surveillance due within 90 days
	NotifyDigest        NotifyKind = "digest"         // the weekly digest (e-mail only)
)

// NotifyKinds lists the kinds one may turn e-mail off for.
var NotifyKinds = []NotifyKind{NotifyActionDue, NotifyActionOverdue, NotifyAuditComing, NotifyReportDue, NotifyTaskOverdue, NotifyReviewDue, NotifyDossierRisk,
	NotifyAcknowledge, NotifyRecognition, NotifyDigest}

// Notification is one message of a user's inbox.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      NotifyKind
	Title     string
	Link      string
	Dedupe    string
	CreatedAt time.Time
	ReadAt    time.Time
}

// MailJob is one e-mail in the durable queue.
type MailJob struct {
	ID        int64
	Dedupe    string
	Recipient string
	Subject   string
	Body      string // the plain text
	HTML      string // the same as HTML; empty: text only
	State     string // queued, sent, failed
	Attempts  int
	NextAt    time.Time
	LastError string
	CreatedAt time.Time
	SentAt    time.Time
}

// Mail job states.
const (
	JobQueued = "queued"
	JobSent   = "sent"
	JobFailed = "failed" // gave up after MaxAttempts; an administrator may retry it
)

// MaxAttempts is how many times a message is tried before it is marked failed.
const MaxAttempts = 8

// Backoff is the wait before the next attempt after n failed ones: 1 minute doubling, at most
// an hour.
func Backoff(n int) time.Duration {
	d := time.Minute << min(n, 6)
	return min(d, time.Hour)
}
