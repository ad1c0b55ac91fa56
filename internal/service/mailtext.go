package service

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"

	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
)

// The e-mails' text: a plain-text part and an HTML part from templates (mail/*.html, escaped by
// html/template), sent together as multipart/alternative.

//go:embed mail/*.html
var mailFS embed.FS

var mailTemplates = map[string]*template.Template{
	"notification": template.Must(template.ParseFS(mailFS, "mail/layout.html", "mail/notification.html")),
	"digest":       template.Must(template.ParseFS(mailFS, "mail/layout.html", "mail/digest.html")),
}

// mailItem is one thing to attend to, with the address of its page.
type mailItem struct{ Title, URL string }

// notificationMail writes one notification's e-mail: its text and HTML.
func (s *Service) notificationMail(kind qms.NotifyKind, title, link string) (text, html string, err error) {
	url := s.cfg.Mail.BaseURL + link
	text = title + "\r\n\r\n" + url + "\r\n"
	html, err = renderMail("notification", map[string]any{"Subject": title, "Base": s.cfg.Mail.BaseURL, "Kind": capitalise(i18n.T("vi", "notify."+string(kind))),
		"Title": title, "URL": url})
	return text, html, err
}

// digestMail writes the weekly digest: a line per unread notification.
func (s *Service) digestMail(week int, items []mailItem) (subject, text, html string, err error) {
	subject = fmt.Sprintf("[isogov] Tổng hợp tuần %d: %d việc cần xử lý", week, len(items))
	lines := make([]string, len(items))
	for i, it := range items {
		lines[i] = "- " + it.Title + "\r\n  " + it.URL
	}
	text = strings.Join(lines, "\r\n") + "\r\n"
	html, err = renderMail("digest", map[string]any{"Subject": subject, "Base": s.cfg.Mail.BaseURL, "Week": week, "Items": items})
	return subject, text, html, err
}

func renderMail(name string, data map[string]any) (string, error) {
	var b bytes.Buffer
	err := mailTemplates[name].ExecuteTemplate(&b, "layout", data)
	return b.String(), err
}

func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// mimeBody writes a message's body after its common headers: the text alone, or the text and
// the HTML as multipart/alternative; each part quoted-printable, so that no line is too long
// for SMTP whatever the text.
func mimeBody(text, html, boundary string) string {
	qp := func(w io.Writer, s string) {
		q := quotedprintable.NewWriter(w)
		_, _ = q.Write([]byte(s))
		_ = q.Close()
	}
	var b bytes.Buffer
	if html == "" {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		qp(&b, text)
		return b.String()
	}
	m := multipart.NewWriter(&b)
	_ = m.SetBoundary(boundary)
	head := "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n"
	for _, p := range []struct{ ctype, body string }{{"text/plain; charset=utf-8", text}, {"text/html; charset=utf-8", html}} {
		w, _ := m.CreatePart(textproto.MIMEHeader{"Content-Type": {p.ctype}, "Content-Transfer-Encoding": {"quoted-printable"}})
		qp(w, p.body)
	}
	_ = m.Close()
	return head + b.String()
}
