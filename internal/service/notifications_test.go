package service_test

import (
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// mailbox is a real SMTP server (emersion/go-smtp) on a local port that keeps what it receives.
type mailbox struct {
	mu   sync.Mutex
	msgs []string
	srv  *smtp.Server
	addr string
}

type mailSession struct{ box *mailbox }

func (s mailSession) Reset()                               {}
func (s mailSession) Logout() error                        { return nil }
func (s mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s mailSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, string(b))
	s.box.mu.Unlock()
	return err
}

func startMailbox(t *testing.T, addr string) *mailbox {
	t.Helper()
	box := &mailbox{}
	box.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return mailSession{box}, nil }))
	box.srv.Domain, box.srv.ErrorLog = "localhost", log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	box.addr = ln.Addr().String()
	go func() { _ = box.srv.Serve(ln) }()
	t.Cleanup(func() { _ = box.srv.Close() })
	return box
}

func (b *mailbox) received() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.msgs...)
}

// Notifications over the demo: the sweep finds the review not held by October and the audit on
// its reminder day, adds each notification once, queues its e-mail; the mailer delivers to a
// real SMTP server; with the server down it retries with backoff and gives up after the last
// attempt, an administrator retries, and nothing is sent twice.
func TestNotifications(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		// A port for the SMTP server, closed for now: the server is down at first.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		clk := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir(), Mail: service.Mail{Addr: addr, From: "isogov@demo.isogov.vn",
			BaseURL: "https://iso.nghean.gov.vn"}}, func() time.Time { return clk }, nil)
		if err := demo.Load(ctx, svc); err != nil {
			t.Fatal(err)
		}
		// The province's yearly report written by the coordinator waits for the Department's
		// leader; the six-month one, opened without text, does not.
		coord, _ := svc.ActorByEmail(ctx, "dieuphoi@demo.isogov.vn")
		if _, err := svc.OpenProvinceReport(ctx, coord, qms.ReportYear, 2026); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveProvinceReportText(ctx, coord, qms.ReportYear, 2026, service.ReportText{Proposals: "Bổ sung kinh phí"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.OpenProvinceReport(ctx, coord, qms.ReportHalf, 2026); err != nil {
			t.Fatal(err)
		}
		clk = clk.AddDate(0, 0, 3) // the demo's second audit is 7 days away: a reminder day
		n, err := svc.Sweep(ctx)
		if err != nil || n == 0 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		if again, err := svc.Sweep(ctx); err != nil || again != 0 {
			t.Errorf("a second sweep added %d (%v)", again, err)
		}
		auditor, _ := svc.ActorByEmail(ctx, "danhgia@demo.isogov.vn")
		leader, _ := svc.ActorByEmail(ctx, "lanhdao.skhcn@demo.isogov.vn")
		inbox, unread, err := svc.Inbox(ctx, auditor)
		if err != nil || unread == 0 || !containsTitle(inbox, "bắt đầu sau 7 ngày") || !containsTitle(inbox, "chưa xác nhận đã đọc") {
			t.Fatalf("the auditor's inbox: %+v %v", inbox, err)
		}
		if inbox, _, _ := svc.Inbox(ctx, leader); !containsTitle(inbox, "Chưa họp xem xét của lãnh đạo năm 2026") ||
			!containsTitle(inbox, "Báo cáo tổng hợp của tỉnh (cả năm 2026) chờ ký") || containsTitle(inbox, "6 tháng năm 2026") {
			t.Errorf("the leader's inbox: %+v", inbox)
		}
		admin, _ := svc.ActorByEmail(ctx, "quantri@demo.isogov.vn")
		_, counts, err := svc.MailQueue(ctx, admin, "")
		if err != nil || counts[qms.JobQueued] == 0 {
			t.Fatalf("the queue: %v %v", counts, err)
		}
		queued := counts[qms.JobQueued]
		// The server is down: every message fails its attempt and waits.
		if sent, err := svc.SendMail(ctx); err != nil || sent != 0 {
			t.Errorf("sent %d with the server down (%v)", sent, err)
		}
		jobs, _, _ := svc.MailQueue(ctx, admin, qms.JobQueued)
		if len(jobs) != queued || jobs[0].Attempts != 1 || jobs[0].LastError == "" || !jobs[0].NextAt.After(clk) {
			t.Fatalf("after a failed attempt: %+v", jobs[0])
		}
		for i := 2; i <= qms.MaxAttempts; i++ {
			clk = clk.Add(time.Hour + time.Minute)
			if _, err := svc.SendMail(ctx); err != nil {
				t.Fatal(err)
			}
		}
		failed, counts, _ := svc.MailQueue(ctx, admin, qms.JobFailed)
		if counts[qms.JobFailed] != queued || counts[qms.JobQueued] != 0 {
			t.Fatalf("after the last attempt: %v", counts)
		}
		if err := svc.RetryMail(ctx, auditor, failed[0].ID); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a user retries: %v", err)
		}
		for _, j := range failed {
			if err := svc.RetryMail(ctx, admin, j.ID); err != nil {
				t.Fatal(err)
			}
		}
		box := startMailbox(t, addr)
		if sent, err := svc.SendMail(ctx); err != nil || sent != queued {
			t.Fatalf("sent %d of %d (%v)", sent, queued, err)
		}
		if sent, _ := svc.SendMail(ctx); sent != 0 {
			t.Errorf("sent again: %d", sent)
		}
		msgs := box.received()
		ids := map[string]bool{}
		found := false
		for _, m := range msgs {
			id := header(m, "Message-Id")
			if ids[id] {
				t.Errorf("a message sent twice: %s", id)
			}
			ids[id] = true
			parts := service.MailParts(t, m)
			if strings.Contains(m, "To: danhgia@demo.isogov.vn") && strings.Contains(parts["text/plain"], "bắt đầu sau 7 ngày") &&
				strings.Contains(parts["text/plain"], "https://iso.nghean.gov.vn/agencies/SKHCN/audits/") &&
				strings.Contains(parts["text/html"], `href="https://iso.nghean.gov.vn/agencies/SKHCN/audits/`) && strings.Contains(parts["text/html"], "bắt đầu sau 7 ngày") {
				found = true
			}
		}
		if len(msgs) != queued || !found {
			t.Errorf("%d messages, the auditor's found %v", len(msgs), found)
		}
		// Preferences: no e-mail for reviews due.
		if err := svc.SetPrefs(ctx, leader, store.Prefs{EmailOff: []qms.NotifyKind{"spam"}}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("an unknown kind: %v", err)
		}
		if err := svc.SetPrefs(ctx, leader, store.Prefs{EmailOff: []qms.NotifyKind{qms.NotifyReviewDue}, Digest: false}); err != nil {
			t.Fatal(err)
		}
		if err := svc.MarkRead(ctx, auditor, 0); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ := svc.Inbox(ctx, auditor); unread != 0 {
			t.Errorf("unread after marking all read: %d", unread)
		}
	})
}

func containsTitle(list []qms.Notification, s string) bool {
	for _, n := range list {
		if strings.Contains(n.Title, s) {
			return true
		}
	}
	return false
}

func header(msg, name string) string {
	for _, line := range strings.Split(msg, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
