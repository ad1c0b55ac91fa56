package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/isogov/isogov/internal/demo"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
)

type countSession struct{ n *atomic.Int64 }

func (s countSession) Reset()                               {}
func (s countSession) Logout() error                        { return nil }
func (s countSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s countSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s countSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	s.n.Add(1)
	return err
}

// BenchmarkMailFanOut queues 10,000 messages (one notification each, with its e-mail, to the
// demo's accounts) and times the mailer delivering all of them to a local SMTP server
// (emersion/go-smtp) with 4 senders. Target: < 1 minute (issue: oversight).
func BenchmarkMailFanOut(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			var got atomic.Int64
			srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return countSession{&got}, nil }))
			srv.Domain, srv.ErrorLog = "localhost", log.New(io.Discard, "", 0)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			go func() { _ = srv.Serve(ln) }()
			defer srv.Close()
			db := testdb.Open(b, dialect)
			svc := service.New(db, service.Config{Argon: fastArgon, DataDir: b.TempDir(), Mail: service.Mail{Addr: ln.Addr().String(), From: "isogov@localhost",
				BaseURL: "http://127.0.0.1:8080"}}, nil, nil)
			if err := demo.Load(ctx, svc); err != nil {
				b.Fatal(err)
			}
			round := 0
			for b.Loop() {
				round++
				got.Store(0)
				t0 := time.Now()
				n, err := svc.FanOut(ctx, qms.NotifyReportDue, fmt.Sprintf("Nhắc gửi báo cáo, đợt %d", round), "/inbox", 10_000)
				if err != nil || n != 10_000 {
					b.Fatalf("queued %d: %v", n, err)
				}
				queued := time.Since(t0)
				sent, err := svc.SendMailParallel(ctx, 4)
				if err != nil || sent != 10_000 || got.Load() != 10_000 {
					b.Fatalf("sent %d, received %d: %v", sent, got.Load(), err)
				}
				b.ReportMetric(queued.Seconds(), "queue-s")
				b.ReportMetric(time.Since(t0).Seconds(), "total-s")
			}
		})
	}
}
