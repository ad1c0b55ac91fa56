package service

import (
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/qms"
)

// MailParts reads a message as a mail client does: its parts by content type, decoded (exported
// for the package's external tests).
func MailParts(t *testing.T, msg string) map[string]string {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	read := func(ctype, enc string, r io.Reader) {
		if enc == "quoted-printable" {
			r = quotedprintable.NewReader(r)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		mt, _, _ := mime.ParseMediaType(ctype)
		parts[mt] = string(b)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		read(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
		return parts
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		read(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
	}
	return parts
}

// A notification's e-mail: the text and the HTML carry the title and the link; the title is
// escaped in the HTML; a long line is wrapped for SMTP and comes back whole.
func TestNotificationMail(t *testing.T) {
	s := &Service{cfg: Config{Mail: Mail{BaseURL: "https://iso.nghean.gov.vn"}}}
	title := `Hành động "KPH-2026-001" <script>alert(1)</script> sắp đến hạn ` + strings.Repeat("rất dài ", 200)
	text, html, err := s.notificationMail(qms.NotifyActionDue, title, "/agencies/SKHCN/nonconformities/7")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, "<script>") || !strings.Contains(html, "&lt;script&gt;") || !strings.Contains(html, `href="https://iso.nghean.gov.vn/agencies/SKHCN/nonconformities/7"`) ||
		!strings.Contains(html, "Hành động sắp đến hạn") {
		t.Errorf("the HTML: %.600s", html)
	}
	msg := "From: a@b\r\nTo: c@d\r\nSubject: x\r\nMIME-Version: 1.0\r\n" + mimeBody(text, html, "=_isogov_1")
	for _, line := range strings.Split(msg, "\r\n") {
		if len(line) > 998 {
			t.Fatalf("a line of %d bytes", len(line))
		}
	}
	parts := MailParts(t, msg)
	lf := strings.NewReplacer("\r\n", "\n").Replace // line ends travel as CRLF
	if lf(parts["text/plain"]) != lf(text) || lf(parts["text/html"]) != lf(html) {
		t.Errorf("the parts do not come back: %d %d", len(parts["text/plain"]), len(parts["text/html"]))
	}
	// Text only: one part.
	if parts := MailParts(t, "From: a@b\r\nMIME-Version: 1.0\r\n"+mimeBody("Xin chào", "", "=_x")); parts["text/plain"] != "Xin chào" || len(parts) != 1 {
		t.Errorf("text only: %v", parts)
	}
}
