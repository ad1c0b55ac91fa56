package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

// AddNotification puts a notification in a user's inbox unless one with its dedupe key exists;
// added tells which.
func (q Q) AddNotification(ctx context.Context, n *qms.Notification) (added bool, err error) {
	res, err := q.exec(ctx, `INSERT INTO notifications (user_id, kind, title, link, dedupe, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe) DO NOTHING`,
		n.UserID, n.Kind, n.Title, n.Link, n.Dedupe, micros(n.CreatedAt))
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// Inbox returns a user's notifications, the unread first, newest first.
func (q Q) Inbox(ctx context.Context, userID int64, limit int) ([]qms.Notification, error) {
	rows, err := q.query(ctx, `SELECT id, user_id, kind, title, link, dedupe, created_at, read_at FROM notifications WHERE user_id = ?
		ORDER BY CASE WHEN read_at = 0 THEN 0 ELSE 1 END, id DESC LIMIT ?`, userID, limit)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Notification, error) {
		var n qms.Notification
		var created, read int64
		err := r.Scan(&n.ID, &n.UserID, &n.Kind, &n.Title, &n.Link, &n.Dedupe, &created, &read)
		n.CreatedAt = fromMicros(created)
		if read != 0 {
			n.ReadAt = fromMicros(read)
		}
		return n, err
	})
}

// Unread counts a user's unread notifications.
func (q Q) Unread(ctx context.Context, userID int64) (int, error) {
	var n int
	err := q.row(ctx, "SELECT count(*) FROM notifications WHERE user_id = ? AND read_at = 0", userID).Scan(&n)
	return n, err
}

// MarkRead marks a user's notifications read (all when id is 0).
func (q Q) MarkRead(ctx context.Context, userID, id int64, at time.Time) error {
	if id == 0 {
		_, err := q.exec(ctx, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at = 0", micros(at), userID)
		return err
	}
	_, err := q.exec(ctx, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at = 0", micros(at), userID, id)
	return err
}

// Prefs are a user's notification preferences.
type Prefs struct {
	EmailOff []qms.NotifyKind
	Digest   bool
}

// PrefsOf returns a user's preferences (the defaults: every e-mail, the digest).
func (q Q) PrefsOf(ctx context.Context, userID int64) (Prefs, error) {
	p := Prefs{Digest: true}
	var off string
	err := q.row(ctx, "SELECT email_off, digest FROM notification_prefs WHERE user_id = ?", userID).Scan(&off, &p.Digest)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err == nil {
		err = json.Unmarshal([]byte(off), &p.EmailOff)
	}
	return p, err
}

// SetPrefs writes a user's preferences.
func (q Q) SetPrefs(ctx context.Context, userID int64, p Prefs) error {
	_, err := q.exec(ctx, `INSERT INTO notification_prefs (user_id, email_off, digest) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET email_off = excluded.email_off, digest = excluded.digest`, userID, jsonText(p.EmailOff), p.Digest)
	return err
}

// QueueMail queues an e-mail unless one with its dedupe key was queued before.
func (q Q) QueueMail(ctx context.Context, j qms.MailJob) (bool, error) {
	res, err := q.exec(ctx, `INSERT INTO mail_jobs (dedupe, recipient, subject, body, html, state, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (dedupe) DO NOTHING`, j.Dedupe, j.Recipient, j.Subject, j.Body, j.HTML, qms.JobQueued, micros(j.NextAt), micros(j.CreatedAt))
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

const jobColumns = "id, dedupe, recipient, subject, body, html, state, attempts, next_at, last_error, created_at, sent_at"

func scanJob(r interface{ Scan(...any) error }) (qms.MailJob, error) {
	var j qms.MailJob
	var next, created, sent int64
	err := r.Scan(&j.ID, &j.Dedupe, &j.Recipient, &j.Subject, &j.Body, &j.HTML, &j.State, &j.Attempts, &next, &j.LastError, &created, &sent)
	j.NextAt, j.CreatedAt = fromMicros(next), fromMicros(created)
	if sent != 0 {
		j.SentAt = fromMicros(sent)
	}
	return j, err
}

// ClaimMail takes up to limit queued messages due at now and pushes their next try a lease
// ahead, so that another sender (or this one after a crash) does not take them before the lease
// ends. Run in a transaction.
func (q Q) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]qms.MailJob, error) {
	rows, err := q.query(ctx, "SELECT "+jobColumns+" FROM mail_jobs WHERE state = ? AND next_at <= ? ORDER BY next_at, id LIMIT ?"+q.d.skipLocked(),
		qms.JobQueued, micros(now), limit)
	list, err := scanAll(rows, err, func(r *sql.Rows) (qms.MailJob, error) { return scanJob(r) })
	if err != nil || len(list) == 0 {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
		list[i].Attempts++
	}
	in, args := inList(ids)
	_, err = q.exec(ctx, "UPDATE mail_jobs SET next_at = ?, attempts = attempts + 1 WHERE id IN "+in, append([]any{micros(now.Add(lease))}, args...)...)
	return list, err
}

// MailSent marks a message sent.
func (q Q) MailSent(ctx context.Context, id int64, at time.Time) error {
	_, err := q.exec(ctx, "UPDATE mail_jobs SET state = ?, sent_at = ?, last_error = '' WHERE id = ?", qms.JobSent, micros(at), id)
	return err
}

// MailFailed records a failed attempt: the next try at next, or failed for good.
func (q Q) MailFailed(ctx context.Context, id int64, msg string, next time.Time, final bool) error {
	state := qms.JobQueued
	if final {
		state = qms.JobFailed
	}
	_, err := q.exec(ctx, "UPDATE mail_jobs SET state = ?, next_at = ?, last_error = ? WHERE id = ?", state, micros(next), msg, id)
	return err
}

// RetryMail queues a failed message again.
func (q Q) RetryMail(ctx context.Context, id int64, now time.Time) error {
	_, err := q.exec(ctx, "UPDATE mail_jobs SET state = ?, attempts = 0, next_at = ? WHERE id = ? AND state = ?", qms.JobQueued, micros(now), id, qms.JobFailed)
	return err
}

// MailJobs returns the queue's messages in a state ("" every one), newest first.
func (q Q) MailJobs(ctx context.Context, state string, limit int) ([]qms.MailJob, error) {
	where, args := "1 = 1", []any{}
	if state != "" {
		where, args = "state = ?", append(args, state)
	}
	rows, err := q.query(ctx, "SELECT "+jobColumns+" FROM mail_jobs WHERE "+where+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.MailJob, error) { return scanJob(r) })
}

// MailCounts counts the queue's messages by state.
func (q Q) MailCounts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	rows, err := q.query(ctx, "SELECT state, count(*) FROM mail_jobs GROUP BY state")
	_, err = scanAll(rows, err, func(r *sql.Rows) (struct{}, error) {
		var s string
		var n int
		err := r.Scan(&s, &n)
		out[s] = n
		return struct{}{}, err
	})
	return out, err
}
