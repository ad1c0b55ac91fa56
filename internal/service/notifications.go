package service

import (
	"context"
	"fmt"
	"mime"
	"net/smtp"
	"slices"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Notifications: a sweep (hourly, and at start) finds what needs someone's attention and puts a
// notification in their inbox — once, by a dedupe key — and, unless they turned it off, an
// e-mail in the durable queue; a mailer sends the queue over SMTP, retrying with backoff, and
// gives up on a message after qms.MaxAttempts for an administrator to retry. Each message
// carries its dedupe key as Message-ID, so a message sent again after a crash between the SMTP
// server's acceptance and the mark "sent" is recognisable as the same.

// Mail is the SMTP configuration; Addr empty: no e-mail, the inbox only.
type Mail struct {
	Addr     string // host:port
	From     string
	User     string // PLAIN authentication, when set
	Password string
	BaseURL  string // the server's public address, for the links in messages
}

// people returns the open accounts holding one of roles in an agency.
func (s *Service) people(ctx context.Context, a qms.Agency, roles ...qms.Role) ([]qms.User, error) {
	list, err := s.db.ListUsers(ctx, store.UserFilter{AgencyID: a.ID, Limit: 1000})
	if err != nil {
		return nil, err
	}
	var out []qms.User
	for _, u := range list {
		if u.Disabled {
			continue
		}
		grants, err := s.db.Grants(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(grants, func(g qms.Grant) bool { return g.AgencyID == a.ID && slices.Contains(roles, g.Role) }) {
			out = append(out, u)
		}
	}
	return out, nil
}

// notify puts a notification in a user's inbox and, when it is new, e-mail is configured and the
// user wants it, its e-mail in the queue.
func (s *Service) notify(ctx context.Context, u qms.User, kind qms.NotifyKind, title, link, dedupe string) (bool, error) {
	mail, err := s.wantsMail(ctx, u, kind)
	if err != nil {
		return false, err
	}
	added := false
	err = s.db.InTx(ctx, func(tx *store.Tx) error { // the notification and its e-mail together, or neither
		var err error
		added, err = s.notifyIn(ctx, tx, u, mail, kind, title, link, dedupe)
		return err
	})
	return added, err
}

// wantsMail tells whether a user gets e-mail of a kind.
func (s *Service) wantsMail(ctx context.Context, u qms.User, kind qms.NotifyKind) (bool, error) {
	if s.cfg.Mail.Addr == "" || u.Email == "" {
		return false, nil
	}
	prefs, err := s.db.PrefsOf(ctx, u.ID)
	return err == nil && !slices.Contains(prefs.EmailOff, kind), err
}

// notifyIn adds a notification and, when it is new and mail is wanted, queues its e-mail, in tx.
func (s *Service) notifyIn(ctx context.Context, tx *store.Tx, u qms.User, mail bool, kind qms.NotifyKind, title, link, dedupe string) (bool, error) {
	n := qms.Notification{UserID: u.ID, Kind: kind, Title: title, Link: link, Dedupe: dedupe, CreatedAt: s.now()}
	added, err := tx.AddNotification(ctx, &n)
	if err != nil || !added || !mail {
		return added, err
	}
	text, html, err := s.notificationMail(kind, title, link)
	if err != nil {
		return added, err
	}
	_, err = tx.QueueMail(ctx, qms.MailJob{Dedupe: dedupe, Recipient: u.Email, Subject: "[isogov] " + title, Body: text, HTML: html, NextAt: s.now(),
		CreatedAt: s.now()})
	return added, err
}

// Sweep finds what needs attention now and notifies the people concerned; it returns how many
// notifications it added. Safe to run as often as one likes: each is added once.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.now().In(vietnam)
	today := qms.DateOf(now)
	added := 0
	count := func(ok bool, err error) error {
		if ok {
			added++
		}
		return err
	}
	// Actions due within three days, or overdue, to their owners.
	actions, err := s.db.DueActions(ctx, today.AddDays(3))
	if err != nil {
		return added, err
	}
	for _, a := range actions {
		u, err := s.db.UserByID(ctx, a.OwnerID)
		if err != nil || u.Disabled {
			continue
		}
		kind, title := qms.NotifyActionDue, fmt.Sprintf("Hành động đến hạn %s: %s", a.DueOn.VN(), a.Description)
		if a.DueOn.Before(today) {
			kind, title = qms.NotifyActionOverdue, fmt.Sprintf("Hành động quá hạn (%s): %s", a.DueOn.VN(), a.Description)
		}
		link := "/agencies/" + a.AgencyCode + "/" + a.ParentPath()
		if err := count(s.notify(ctx, u, kind, title, link, fmt.Sprintf("%s:%d:%s", kind, a.ID, today))); err != nil {
			return added, err
		}
	}
	// Audits on a reminder day, to their team.
	audits, err := s.db.Audits(ctx, store.AuditFilter{From: today, To: today.AddDays(slices.Max(s.cfg.AuditReminders))})
	if err != nil {
		return added, err
	}
	for _, x := range audits {
		in := int(x.StartsOn.Time().Sub(today.Time()) / (24 * time.Hour))
		if x.State == qms.AuditCancelled || x.State.Done() || !slices.Contains(s.cfg.AuditReminders, in) {
			continue
		}
		for _, m := range x.Auditors() {
			u, err := s.db.UserByID(ctx, m.UserID)
			if err != nil || u.Disabled {
				continue
			}
			title := fmt.Sprintf("Cuộc đánh giá nội bộ %s bắt đầu sau %d ngày (%s)", x.Code, in, x.StartsOn.VN())
			if err := count(s.notify(ctx, u, qms.NotifyAuditComing, title, fmt.Sprintf("/agencies/%s/audits/%d", x.AgencyCode, x.ID),
				fmt.Sprintf("audit:%d:%d:%d", x.ID, u.ID, in))); err != nil {
				return added, err
			}
		}
	}
	// Periodic reports due within 14 days and not submitted; management reviews missing from
	// October; update tasks past their window — to the agency's leader and secretary.
	agencies, err := s.db.ListAgencies(ctx, store.AgencyFilter{})
	if err != nil {
		return added, err
	}
	reviews, err := s.db.ReviewCounts(ctx, qms.NewDate(now.Year(), 1, 1), qms.NewDate(now.Year(), 12, 31))
	if err != nil {
		return added, err
	}
	overdueTasks, err := s.db.UpdateTasks(ctx, store.TaskFilter{OverdueOn: today})
	if err != nil {
		return added, err
	}
	tasksOf := map[int64]int{}
	for _, t := range overdueTasks {
		tasksOf[t.AgencyID]++
	}
	byID := map[int64]qms.Agency{}
	for _, a := range agencies {
		byID[a.ID] = a
	}
	alerts, _, err := s.recognitionAlerts(ctx, byID)
	if err != nil {
		return added, err
	}
	alertsOf := map[int64][]Alert{}
	for _, al := range alerts {
		alertsOf[al.Agency.ID] = append(alertsOf[al.Agency.ID], al)
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return added, err
	}
	next, err := cal.AddWorkingDays(now, 1)
	if err != nil {
		return added, err
	}
	schedules, err := s.db.ReportSchedules(ctx)
	if err != nil {
		return added, err
	}
	for _, a := range agencies {
		if a.Closed() {
			continue
		}
		var todo []struct {
			kind        qms.NotifyKind
			title, link string
			dedupe      string
		}
		for _, kind := range []qms.ReportKind{qms.ReportHalf, qms.ReportYear} {
			_, _, due, _, _ := schedules.Period(kind, now.Year())
			if today.After(due) || due.AddDays(-14).After(today) {
				continue
			}
			reps, err := s.db.Reports(ctx, store.ReportFilter{AgencyID: a.ID, Kind: kind, Year: now.Year()})
			if err != nil {
				return added, err
			}
			if len(reps) == 0 || reps[0].State == qms.ReportDraft || reps[0].State == qms.ReportSigned || reps[0].State == qms.ReportReturned {
				todo = append(todo, struct {
					kind        qms.NotifyKind
					title, link string
					dedupe      string
				}{qms.NotifyReportDue, fmt.Sprintf("Báo cáo %s năm %d phải gửi Sở KH&CN trước %s", map[qms.ReportKind]string{qms.ReportHalf: "6 tháng", qms.ReportYear: "năm"}[kind],
					now.Year(), due.VN()), "/agencies/" + a.Code + "/reports", fmt.Sprintf("report:%d:%s:%d", a.ID, kind, now.Year())})
			}
		}
		if now.Month() >= time.October && reviews[a.ID] == 0 && a.Kind != qms.KindProvincialCommittee {
			todo = append(todo, struct {
				kind        qms.NotifyKind
				title, link string
				dedupe      string
			}{qms.NotifyReviewDue, fmt.Sprintf("Chưa họp xem xét của lãnh đạo năm %d", now.Year()), "/agencies/" + a.Code + "/reviews",
				fmt.Sprintf("review:%d:%d-%02d", a.ID, now.Year(), now.Month())})
		}
		for _, al := range alertsOf[a.ID] {
			what := "Giấy chứng nhận " + al.Number + " hết hiệu lực ngày " + al.DueOn.VN()
			if al.Kind == "surveillance" {
				what = "Đánh giá giám sát giấy chứng nhận " + al.Number + " đến hạn ngày " + al.DueOn.VN()
			}
			todo = append(todo, struct {
				kind        qms.NotifyKind
				title, link string
				dedupe      string
			}{qms.NotifyRecognition, what, "/agencies/" + a.Code + "/track", fmt.Sprintf("recognition:%d:%s:%s:%d-%02d", a.ID, al.Kind, al.Number, now.Year(), now.Month())})
		}
		if risk, err := s.db.Dossiers(ctx, store.DossierFilter{AgencyID: a.ID, DueBy: qms.DateOf(next), Limit: 1000}); err != nil {
			return added, err
		} else if len(risk) > 0 {
			todo = append(todo, struct {
				kind        qms.NotifyKind
				title, link string
				dedupe      string
			}{qms.NotifyDossierRisk, fmt.Sprintf("%d hồ sơ đến hạn trong 1 ngày làm việc chưa giải quyết xong", len(risk)), "/agencies/" + a.Code + "/dossiers",
				fmt.Sprintf("dossiers:%d:%s", a.ID, today)})
		}
		if n := tasksOf[a.ID]; n > 0 {
			todo = append(todo, struct {
				kind        qms.NotifyKind
				title, link string
				dedupe      string
			}{qms.NotifyTaskOverdue, fmt.Sprintf("%d nhiệm vụ cập nhật quá hạn", n), "/agencies/" + a.Code + "/update-tasks", fmt.Sprintf("tasks:%d:%s", a.ID, today)})
		}
		if len(todo) == 0 {
			continue
		}
		people, err := s.people(ctx, a, qms.RoleLeader, qms.RoleSecretary)
		if err != nil {
			return added, err
		}
		for _, t := range todo {
			for _, u := range people {
				if err := count(s.notify(ctx, u, t.kind, t.title, t.link, t.dedupe+":"+fmt.Sprint(u.ID))); err != nil {
					return added, err
				}
			}
		}
	}
	// The province's report drafted (its text written) and not yet signed, to the Department's
	// leaders, once.
	if err := s.sweepProvinceReports(ctx, count); err != nil {
		return added, err
	}
	// Documents in force not acknowledged, to their readers, once a week.
	users, err := s.db.ListUsers(ctx, store.UserFilter{Limit: 100000})
	if err != nil {
		return added, err
	}
	year, week := now.ISOWeek()
	for _, u := range users {
		if u.Disabled {
			continue
		}
		reads, err := s.db.PendingReads(ctx, u.ID, 0, 100)
		if err != nil {
			return added, err
		}
		if len(reads) > 0 {
			if err := count(s.notify(ctx, u, qms.NotifyAcknowledge, fmt.Sprintf("%d tài liệu mới có hiệu lực chưa xác nhận đã đọc", len(reads)), "/",
				fmt.Sprintf("acknowledge:%d:%d-W%02d", u.ID, year, week))); err != nil {
				return added, err
			}
		}
	}
	return added, s.digests(ctx, now)
}

// digests queues, once an ISO week, a digest of their unread notifications to the users who
// want it.
func (s *Service) digests(ctx context.Context, now time.Time) error {
	if s.cfg.Mail.Addr == "" {
		return nil
	}
	year, week := now.ISOWeek()
	users, err := s.db.ListUsers(ctx, store.UserFilter{Limit: 100000})
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Disabled || u.Email == "" {
			continue
		}
		prefs, err := s.db.PrefsOf(ctx, u.ID)
		if err != nil {
			return err
		}
		if !prefs.Digest || slices.Contains(prefs.EmailOff, qms.NotifyDigest) {
			continue
		}
		inbox, err := s.db.Inbox(ctx, u.ID, 50)
		if err != nil {
			return err
		}
		var items []mailItem
		for _, n := range inbox {
			if n.ReadAt.IsZero() {
				items = append(items, mailItem{Title: n.Title, URL: s.cfg.Mail.BaseURL + n.Link})
			}
		}
		if len(items) == 0 {
			continue
		}
		subject, text, html, err := s.digestMail(week, items)
		if err != nil {
			return err
		}
		job := qms.MailJob{Dedupe: fmt.Sprintf("digest:%d:%d-W%02d", u.ID, year, week), Recipient: u.Email, Subject: subject, Body: text, HTML: html,
			NextAt: s.now(), CreatedAt: s.now()}
		if err := s.db.InTx(ctx, func(tx *store.Tx) error { _, err := tx.QueueMail(ctx, job); return err }); err != nil {
			return err
		}
	}
	return nil
}

// SendMail sends the queued messages that are due, a batch at a time (claimed in one
// transaction, marked in another), until none is left or the context ends; it returns how many
// it sent.
func (s *Service) SendMail(ctx context.Context) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		var batch []qms.MailJob
		if err := s.db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			batch, err = tx.ClaimMail(ctx, s.now(), 5*time.Minute, 20)
			return err
		}); err != nil || len(batch) == 0 {
			return sent, err
		}
		errs := make([]error, len(batch))
		for i, j := range batch {
			errs[i] = s.deliver(j)
		}
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			for i, j := range batch {
				if errs[i] == nil {
					if err := tx.MailSent(ctx, j.ID, s.now()); err != nil {
						return err
					}
					continue
				}
				final := j.Attempts >= qms.MaxAttempts
				s.log.Warn("mail", "job", j.ID, "attempt", j.Attempts, "final", final, "err", errs[i].Error())
				if err := tx.MailFailed(ctx, j.ID, errs[i].Error(), s.now().Add(qms.Backoff(j.Attempts)), final); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return sent, err
		}
		for _, e := range errs {
			if e == nil {
				sent++
			}
		}
	}
	return sent, ctx.Err()
}

// deliver sends one message over SMTP.
func (s *Service) deliver(j qms.MailJob) error {
	m := s.cfg.Mail
	var auth smtp.Auth
	if m.User != "" {
		host, _, _ := strings.Cut(m.Addr, ":")
		auth = smtp.PlainAuth("", m.User, m.Password, host)
	}
	msg := "From: " + m.From + "\r\nTo: " + j.Recipient + "\r\nSubject: " + mimeWord(j.Subject) + "\r\nMessage-ID: <" + strings.ReplaceAll(j.Dedupe, ":", ".") +
		"@isogov>\r\nMIME-Version: 1.0\r\n" + mimeBody(j.Body, j.HTML, fmt.Sprintf("=_isogov_%d", j.ID)) // "=_" never occurs in quoted-printable text
	return smtp.SendMail(m.Addr, auth, m.From, []string{j.Recipient}, []byte(msg))
}

// mimeWord encodes a header's text as UTF-8 (RFC 2047) when it is not ASCII.
func mimeWord(s string) string { return mime.QEncoding.Encode("utf-8", s) }

// Inbox returns the actor's notifications and how many are unread.
func (s *Service) Inbox(ctx context.Context, actor *qms.Actor) ([]qms.Notification, int, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, 0, err
	}
	list, err := s.db.Inbox(ctx, actor.UserID, 200)
	if err != nil {
		return nil, 0, err
	}
	n, err := s.db.Unread(ctx, actor.UserID)
	return list, n, err
}

// MarkRead marks the actor's notification (0: all) read.
func (s *Service) MarkRead(ctx context.Context, actor *qms.Actor, id int64) error {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error { return tx.MarkRead(ctx, actor.UserID, id, s.now()) })
}

// Prefs returns the actor's notification preferences.
func (s *Service) Prefs(ctx context.Context, actor *qms.Actor) (store.Prefs, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return store.Prefs{}, err
	}
	return s.db.PrefsOf(ctx, actor.UserID)
}

// SetPrefs writes the actor's notification preferences.
func (s *Service) SetPrefs(ctx context.Context, actor *qms.Actor, p store.Prefs) error {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return err
	}
	for _, k := range p.EmailOff {
		if !slices.Contains(qms.NotifyKinds, k) {
			return fieldErr("email_off", "err.choice")
		}
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error { return tx.SetPrefs(ctx, actor.UserID, p) })
}

// MailQueue returns the queue's messages in a state and the counts by state (administrators).
func (s *Service) MailQueue(ctx context.Context, actor *qms.Actor, state string) ([]qms.MailJob, map[string]int, error) {
	if err := actor.Require(qms.PermUserManage, ""); err != nil {
		return nil, nil, err
	}
	list, err := s.db.MailJobs(ctx, state, 200)
	if err != nil {
		return nil, nil, err
	}
	counts, err := s.db.MailCounts(ctx)
	return list, counts, err
}

// RetryMail queues a failed message again (administrators).
func (s *Service) RetryMail(ctx context.Context, actor *qms.Actor, id int64) error {
	if err := actor.Require(qms.PermUserManage, ""); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error { return tx.RetryMail(ctx, id, s.now()) })
}

// FanOut sends one notice to n recipients drawn in turn from the open accounts (for the
// benchmark and for a coordinator's announcement): a notification each, with its e-mail, in
// transactions of a thousand.
func (s *Service) FanOut(ctx context.Context, kind qms.NotifyKind, title, link string, n int) (int, error) {
	all, err := s.db.ListUsers(ctx, store.UserFilter{Limit: 100000})
	if err != nil {
		return 0, err
	}
	type recipient struct {
		u    qms.User
		mail bool
	}
	var users []recipient
	for _, u := range all {
		if !u.Disabled {
			mail, err := s.wantsMail(ctx, u, kind)
			if err != nil {
				return 0, err
			}
			users = append(users, recipient{u, mail})
		}
	}
	if len(users) == 0 {
		return 0, nil
	}
	stamp := s.now().UnixNano()
	added := 0
	for start := 0; start < n; start += 1000 {
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			for i := start; i < min(start+1000, n); i++ {
				r := users[i%len(users)]
				ok, err := s.notifyIn(ctx, tx, r.u, r.mail, kind, title, link, fmt.Sprintf("fanout:%d:%d", stamp, i))
				if err != nil {
					return err
				}
				if ok {
					added++
				}
			}
			return nil
		})
		if err != nil {
			return added, err
		}
	}
	return added, nil
}

// SendMailParallel runs the mailer with several senders (each its own SMTP connection per
// message) until the queue holds nothing due; it returns how many were sent.
func (s *Service) SendMailParallel(ctx context.Context, senders int) (int, error) {
	type result struct {
		n   int
		err error
	}
	done := make(chan result, senders)
	for range senders {
		go func() {
			n, err := s.SendMail(ctx)
			done <- result{n, err}
		}()
	}
	total := 0
	var first error
	for range senders {
		r := <-done
		total += r.n
		if first == nil {
			first = r.err
		}
	}
	return total, first
}

// sweepProvinceReports tells the Department's leaders of a province report waiting for their
// signature: a draft whose text the coordinator has written.
func (s *Service) sweepProvinceReports(ctx context.Context, count func(bool, error) error) error {
	docs, err := s.db.ProvinceReports(ctx)
	if err != nil {
		return err
	}
	var leaders []qms.User
	loaded := false
	for _, d := range docs {
		if d.State != qms.ReportDraft || d.Results+d.Difficulties+d.Proposals == "" {
			continue
		}
		if !loaded {
			lead, err := s.db.AgencyByCode(ctx, s.cfg.LeadAgency)
			if qms.ErrorCode(err) == qms.ENotFound {
				return nil // no lead agency: nobody to tell
			} else if err != nil {
				return err
			}
			if leaders, err = s.people(ctx, lead, qms.RoleLeader); err != nil {
				return err
			}
			loaded = true
		}
		title := fmt.Sprintf("Báo cáo tổng hợp của tỉnh (%s năm %d) chờ ký", map[qms.ReportKind]string{qms.ReportHalf: "6 tháng", qms.ReportYear: "cả"}[d.Kind], d.Year)
		for _, u := range leaders {
			if err := count(s.notify(ctx, u, qms.NotifyReportDue, title, fmt.Sprintf("/province-reports?kind=%s&year=%d", d.Kind, d.Year),
				fmt.Sprintf("province-sign:%d:%d", d.ID, u.ID))); err != nil {
				return err
			}
		}
	}
	return nil
}
