// Package e2e drives the real isogov binary with a real browser (Debian's chromium through
// chromedp). It skips when no browser is installed, unless ISOGOV_E2E=1 (CI), which makes a
// missing browser a failure.
package e2e

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/isogov/isogov/internal/calendar"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/testdb"
)

func browserPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ISOGOV_E2E") == "1" {
		t.Fatal("ISOGOV_E2E=1 but no chromium on PATH: apt-get install -y chromium")
	}
	t.Skip("no chromium on PATH: browser tests skipped (apt-get install -y chromium, then ISOGOV_E2E=1)")
	return ""
}

// startServer builds the binary and runs `isogov serve --demo` on a free port of a fresh data
// folder, exactly as the README tells a new user to; dsn "" is the embedded SQLite default,
// else a PostgreSQL URL.
func startServer(t *testing.T, dsn string) string {
	t.Helper()
	url, _ := runServer(t, dsn)
	return url
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
	buildOut  []byte
)

// binary builds the isogov binary once for every test of the run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "isogov-e2e-")
		if buildErr == nil {
			buildOut, buildErr = exec.Command("go", "build", "-o", filepath.Join(buildDir, "isogov"), "../cmd/isogov").CombinedOutput()
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, buildOut)
	}
	return filepath.Join(buildDir, "isogov")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// runServer is startServer that also returns the running process.
func runServer(t *testing.T, dsn string) (string, *exec.Cmd) {
	t.Helper()
	dir := t.TempDir()
	bin := binary(t)
	cmd := exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(), "ISOGOV_DB="+dsn)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case url := <-found:
		return url, cmd
	case <-time.After(60 * time.Second):
		t.Fatal("the server did not start within 60 s")
	}
	return "", nil
}

func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// browser wraps a chromedp context with helpers that fail the test on error.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func (b *browser) fail(step string, err error) {
	b.t.Helper()
	if shot, serr := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)); serr == nil {
		p := filepath.Join(os.TempDir(), "isogov-e2e-failure.png")
		if os.WriteFile(p, shot, 0o644) == nil {
			b.t.Logf("screenshot of the failure: %s", p)
		}
	}
	b.t.Fatalf("%s: %v", step, err)
}

// do runs steps in order.
func (b *browser) do(step string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.fail(step, err)
	}
}

// text returns the visible text of the first element matching a CSS selector.
func (b *browser) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fail("text of "+sel, err)
	}
	return strings.TrimSpace(v)
}

// eval evaluates a JavaScript expression returning a string.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.fail("evaluate "+expr, err)
	}
	return v
}

// hasSession reports whether the browser holds a session cookie (it is HttpOnly, so the
// page's scripts cannot see it: ask the browser).
func (b *browser) hasSession() bool {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		b.fail("cookies", err)
	}
	for _, c := range res.Cookies {
		if c.Name == "isogov_session" {
			return true
		}
	}
	return false
}

// shot saves a screenshot when ISOGOV_E2E_SHOTS names a folder (for looking at the UI).
func (b *browser) shot(name string) {
	dir := os.Getenv("ISOGOV_E2E_SHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	}
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

// submit runs actions that end in a page load (a form submitted, a link followed) and waits
// for the new page.
func (b *browser) submit(step string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if _, err := chromedp.RunResponse(b.ctx, steps...); err != nil {
		b.fail(step, err)
	}
}

// signIn signs in at base as a demo account.
func (b *browser) signIn(base, email string) {
	b.t.Helper()
	b.do("sign in as "+email, chromedp.Navigate(base+"/login"), visible("#f-email"), keys("#f-email", email), keys("#f-password", "demo-NgheAn-2026"),
		click(`form[action="/login"] button[type=submit]`), visible("header nav"))
}

// signOut signs out.
func (b *browser) signOut() {
	b.t.Helper()
	b.do("sign out", click(`form[action="/logout"] button`), visible("#f-email"))
}

// press submits the page's button for an event, confirming what it asks.
func (b *browser) press(event string) {
	b.t.Helper()
	b.eval(`window.confirm = () => true; "ok"`)
	b.submit(event, click(`button[name="event"][value="`+event+`"]`))
}

func click(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
func visible(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(sel))
}
func keys(sel, v string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.CSS(sel), v)
}

// The tour: a wrong password shows the error and opens no session; the demo
// coordinator signs in, sees all 57 agencies, finds one typed without diacritics, switches
// to English and back, and signs out.
func TestCoordinatorTour(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := ""
			if dialect != "sqlite" {
				dsn = testdb.DSN(t, dialect)
			}
			coordinatorTour(t, dsn)
		})
	}
}

func coordinatorTour(t *testing.T, dsn string) {
	b := &browser{t: t, ctx: newBrowser(t)}
	base := startServer(t, dsn)

	b.do("open a page while signed out",
		chromedp.Navigate(base+"/agencies"),
		visible("#f-email"),
		keys("#f-email", "dieuphoi@demo.isogov.vn"),
		keys("#f-password", "khong-phai-mat-khau"),
		click(`form[action="/login"] button[type=submit]`),
		visible(".alert"),
	)
	b.shot("1-wrong-password")
	if alert := b.text(".alert"); !strings.Contains(alert, "Thư điện tử hoặc mật khẩu không đúng") {
		t.Fatalf("wrong password: alert %q", alert)
	}
	if b.hasSession() {
		t.Fatal("a wrong password opened a session")
	}

	b.do("sign in",
		keys("#f-password", "demo-NgheAn-2026"),
		click(`form[action="/login"] button[type=submit]`),
		visible("#agency-results"),
	)
	b.shot("2-agencies")
	if count, rows := b.text("#agency-results p"), b.eval(`String(document.querySelectorAll('#agency-results tbody tr').length)`); !strings.HasPrefix(count, "57 ") || rows != "57" {
		t.Fatalf("agency list: %q, %s rows; want 57", count, rows)
	}
	if !b.hasSession() {
		t.Fatal("no session cookie after signing in")
	}

	b.do("search without diacritics",
		keys("#f-q", "so khoa hoc"),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](`document.querySelector('#agency-results p').textContent.trim().startsWith('1 ')`,
				chromedp.WithPollingTimeout(10*time.Second))(ctx, tg)
			return err
		}),
	)
	b.shot("3-search")
	if name := b.text("#agency-results tbody tr td a"); name != "Sở Khoa học và Công nghệ" {
		t.Fatalf("search found %q", name)
	}

	b.do("switch to English", click(`form[action="/lang"] button[value=en]`), visible(`form[action="/lang"] button[value=vi]`))
	b.shot("4-english")
	if lang, title := b.eval("document.documentElement.lang"), b.text("h1"); lang != "en" || title != "Agencies" {
		t.Fatalf("after switching to English: lang %q, title %q", lang, title)
	}
	b.do("back to Vietnamese", click(`form[action="/lang"] button[value=vi]`), visible(`form[action="/lang"] button[value=en]`))
	if lang, title := b.eval("document.documentElement.lang"), b.text("h1"); lang != "vi" || title != "Cơ quan, đơn vị" {
		t.Fatalf("back in Vietnamese: lang %q, title %q", lang, title)
	}

	b.do("working calendar",
		chromedp.Navigate(base+"/calendar/2026"),
		visible("table.month"),
	)
	if n := b.eval(`String(document.querySelectorAll('td.day.holiday').length)`); n != "16" {
		t.Errorf("2026 shows %s holiday cells, want 16 (1/1, nine days of Tết, 26/4, 30/4, 1/5, 1–2/9, 24/11)", n)
	}
	b.do("due date",
		chromedp.Navigate(base+"/calendar/due?received=2026-11-23T15:30&days=5&agency=SKHCN"),
		visible("#due-date"),
	)
	if due := b.text("#due-date"); due != "Thứ Tư 02/12/2026" {
		t.Errorf("due date shown: %q", due)
	}

	b.do("sign out", click(`form[action="/logout"] button`), visible("#f-email"))
	if b.hasSession() {
		t.Fatal("the session cookie survived signing out")
	}
	b.do("signed-out visit", chromedp.Navigate(base+"/agencies"), visible("#f-email"))
	if loc := b.eval("location.pathname + location.search"); !strings.HasPrefix(loc, "/login?next=") {
		t.Fatalf("after sign-out /agencies shows %s", loc)
	}
}

// SIGTERM lets the server finish and exit cleanly (systemd stops it this way).
func TestGracefulShutdown(t *testing.T) {
	base, cmd := runServer(t, "")
	resp, err := http.Get(base + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v", err)
	}
	resp.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop within 30 s of SIGTERM")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still answers after shutting down")
	}
}

// The programme tour of the issue: the coordinator filters the first-time group and sees 14
// agencies and opens one; its ISO secretary marks a step done with an uploaded file; the
// coordinator sees the progress change; a committee change the agency notifies appears in the
// coordinator's inbox with the difference.
func TestProgrammeTour(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := ""
			if dialect != "sqlite" {
				dsn = testdb.DSN(t, dialect)
			}
			programmeTour(t, dsn)
		})
	}
}

func programmeTour(t *testing.T, dsn string) {
	b := &browser{t: t, ctx: newBrowser(t)}
	base := startServer(t, dsn)
	row := `document.querySelector('a[href="/agencies/SNGV/track"]').closest('tr').querySelector('td:nth-child(8)').textContent.trim()`

	b.signIn(base, "dieuphoi@demo.isogov.vn")
	b.do("dashboard", chromedp.Navigate(base+"/programmes?programme=KH37-2012"), visible("#f-group"),
		chromedp.SetValue(chromedp.CSS("#f-group"), "first_time"))
	b.submit("filter the first-time group", click(`form.filters button[type=submit]`))
	b.shot("5-dashboard")
	if n := b.eval(`String(document.querySelectorAll('table.dashboard tbody tr').length)`); n != "14" {
		t.Fatalf("first-time group shows %s agencies, want 14", n)
	}
	before := b.eval(row)
	b.do("open an agency", click(`a[href="/agencies/SNGV/track"]`), visible("section.track"))
	if title := b.text("h1"); title != "Tiến độ ISO: Sở Ngoại vụ" {
		t.Fatalf("opened %q", title)
	}
	b.signOut()

	pdf := filepath.Join(t.TempDir(), "bao-cao-theo-doi.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.signIn(base, "thuky.sngv@demo.isogov.vn")
	b.do("the secretary's track", chromedp.Navigate(base+"/agencies/SNGV/track"), visible("section.track"))
	stepURL := b.eval(`Array.from(document.querySelectorAll('section.track')).find(s => s.querySelector('h2').textContent.startsWith('KH37-2012'))
		.querySelector('tbody tr:last-child a').href`)
	b.do("the step", chromedp.Navigate(stepURL), visible("#f-file"), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{pdf}))
	b.submit("upload evidence", click(`form[enctype="multipart/form-data"] button[type=submit]`))
	if txt := b.text("ul.evidence"); !strings.Contains(txt, "bao-cao-theo-doi.pdf") {
		t.Fatalf("evidence list: %q", txt)
	}
	b.do("choose done", chromedp.SetValue(chromedp.CSS("#f-status"), "done"))
	b.submit("mark done", click(`#step-progress button[type=submit]`))
	b.shot("6-step-done")
	if status := b.eval(`document.querySelector('#f-status').value`); status != "done" {
		t.Fatalf("step status after saving: %q (%s)", status, b.text("main"))
	}

	b.do("a new committee composition",
		chromedp.Navigate(base+"/agencies/SNGV/committee"), visible("#f-decision_no"),
		keys("#f-decision_no", "12/QĐ-SNGV"),
		chromedp.SetValue(chromedp.CSS("#f-decision_date"), "2026-11-02"),
		chromedp.SetValue(chromedp.CSS("#f-members"), "Lương Văn Tâm | Giám đốc Sở | trưởng ban\nNgô Thị Hạnh | Chuyên viên | thư ký"))
	b.submit("save the composition", click(`form[action="/agencies/SNGV/committee"] button[type=submit]`))
	b.eval(`window.confirm = () => true; "ok"`) // answer the confirmation dialog
	b.submit("notify DOST", click(`form[action$="/notify"] button`))
	if txt := b.text("section.composition"); !strings.Contains(txt, "Đã thông báo") {
		t.Fatalf("composition after notifying: %q", txt)
	}
	b.do("the operating rules", chromedp.SetUploadFiles(chromedp.CSS(`section.composition input[name="rules_file"]`), []string{pdf}))
	b.submit("upload the rules", click(`section.composition form[action$="/rules"] button`))
	if txt := b.text("section.composition"); !strings.Contains(txt, filepath.Base(pdf)) {
		t.Fatalf("composition after uploading the rules: %q", txt)
	}
	b.signOut()

	b.signIn(base, "dieuphoi@demo.isogov.vn")
	b.do("the dashboard again", chromedp.Navigate(base+"/programmes?programme=KH37-2012&group=first_time"), visible("table.dashboard"))
	if after := b.eval(row); after == before || !strings.HasSuffix(after, "95%") {
		t.Errorf("Sở Ngoại vụ's progress: %q before, %q after; want it to reach 95%%", before, after)
	}
	b.do("the inbox", chromedp.Navigate(base+"/committees/inbox"), visible("section.notification"))
	b.shot("7-inbox")
	if first := b.text("section.notification"); !strings.Contains(first, "Sở Ngoại vụ") || !strings.Contains(first, "Lương Văn Tâm tham gia (Trưởng ban)") {
		t.Errorf("inbox: %q", first)
	}
}

// The document tour (issue: controlled documents), on every database: the ISO secretary finds
// the document-control procedure by a search without diacritics, opens its next revision and
// sends it for comment; a staff member comments; the secretary answers, closes the round and
// submits it; the director signs with the password; the first revision is marked obsolete;
// the staff member acknowledges having read the new one.
func TestDocumentTour(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := ""
			if dialect != "sqlite" {
				dsn = testdb.DSN(t, dialect)
			}
			documentTour(t, dsn)
		})
	}
}

func documentTour(t *testing.T, dsn string) {
	b := &browser{t: t, ctx: newBrowser(t)}
	base := startServer(t, dsn)
	openDoc := func() {
		b.do("the procedure", chromedp.Navigate(base+"/agencies/SKHCN/documents?q=quy+trinh+kiem+soat+tai+lieu"), visible("table.documents"))
		if n := b.eval(`String(document.querySelectorAll('table.documents tbody tr').length)`); n != "1" {
			t.Fatalf("the search without diacritics found %s documents, want 1", n)
		}
		b.submit("open it", click(`table.documents tbody a`))
	}

	b.signIn(base, "thuky.skhcn@demo.isogov.vn")
	openDoc()
	b.eval(`window.confirm = () => true; "ok"`)
	b.submit("a new revision", click(`form[action$="/revisions"] button`))
	b.do("the change note", visible("#f-change_note"), keys("#f-change_note", "Mục 5: thêm bước phân phối điện tử"))
	b.submit("save the draft", click(`form.inline-form:has(#f-change_note) button`))
	b.do("choose a reviewer", visible(`input[name="reviewers"][value="chuyenvien.skhcn@demo.isogov.vn"]`),
		click(`input[name="reviewers"][value="chuyenvien.skhcn@demo.isogov.vn"]`))
	b.submit("send for comments", click(`form:has(input[value="submit_review"]) button[type=submit]`))
	if txt := b.text("section.revision"); !strings.Contains(txt, "Đang góp ý") || !strings.Contains(txt, "Hoàng Văn Cường") {
		t.Fatalf("the revision after sending it for comments: %q", txt)
	}
	b.signOut()

	b.signIn(base, "chuyenvien.skhcn@demo.isogov.vn")
	openDoc()
	b.do("write a comment", visible("#f-body"), keys("#f-body", "Bổ sung thời hạn phân phối trong 2 ngày làm việc"))
	b.submit("send the comment", click(`form[action$="/comments"] button`))
	b.signOut()

	b.signIn(base, "thuky.skhcn@demo.isogov.vn")
	openDoc()
	b.do("the comment to answer", visible(`form[action$="/answer"]`))
	b.submit("accept it", click(`form[action$="/answer"] button`))
	b.submit("close the round", click(`form:has(input[value="close_round"]) button`))
	b.submit("submit for approval", click(`form:has(input[value="submit_approval"]) button`))
	if txt := b.text("section.revision"); !strings.Contains(txt, "Đang trình ký") {
		t.Fatalf("the revision after submitting it: %q", txt)
	}
	b.signOut()

	b.signIn(base, "lanhdao.skhcn@demo.isogov.vn")
	openDoc()
	b.do("sign", visible("#f-password"), keys("#f-password", "demo-NgheAn-2026"))
	b.submit("approve", click(`form.sign button[type=submit]`))
	b.shot("8-document")
	if txt := b.text("section.revision"); !strings.Contains(txt, "Đang hiệu lực") {
		t.Fatalf("the new revision after signing: %q", txt)
	}
	if old := b.text("section.revision.obsolete"); !strings.Contains(old, "HẾT HIỆU LỰC") || !strings.Contains(old, "Lần ban hành 1") {
		t.Errorf("the first revision: %q", old)
	}
	if header := b.text("table.rev-header"); !strings.Contains(header, "Soát xét") || !strings.Contains(header, "Phạm Thị Bình") {
		t.Errorf("the header does not name the secretary who checked it: %q", header)
	}
	b.signOut()

	b.signIn(base, "chuyenvien.skhcn@demo.isogov.vn")
	if home := b.text("main"); !strings.Contains(home, "Quy trình kiểm soát tài liệu") {
		t.Errorf("the staff member's home page does not ask to read the procedure: %q", home)
	}
	openDoc()
	b.submit("acknowledge", click(`form.ack button`))
	if txt := b.text("main"); !strings.Contains(txt, "Đã xác nhận bạn đã đọc tài liệu") {
		t.Errorf("after acknowledging: %q", txt)
	}

	// Full-text search from the menu, typed without diacritics: both revisions, the first
	// marked obsolete, the new one found by its change note.
	b.do("search from the menu", click(`header nav a[href="/search"]`), visible("#f-q"), keys("#f-q", "quy trinh kiem soat tai lieu"))
	b.submit("search", click(`form.search-form button[type=submit]`))
	b.shot("9-search")
	if n := b.eval(`String(document.querySelectorAll('ol.hits li.hit').length)`); n != "2" {
		t.Fatalf("the search found %s revisions, want 2: %q", n, b.text("main"))
	}
	if hits := b.text("ol.hits"); !strings.Contains(hits, "QT-01") || !strings.Contains(hits, "HẾT HIỆU LỰC") {
		t.Errorf("the results: %q", hits)
	}
	if marked := b.text("ol.hits mark"); !strings.Contains(marked, "Quy trình kiểm soát tài liệu") {
		t.Errorf("the matching passage is not marked: %q", marked)
	}
	b.do("search the change note", chromedp.Navigate(base+"/search?q=phan+phoi+dien+tu"), visible("ol.hits"))
	if n := b.eval(`String(document.querySelectorAll('ol.hits li.hit').length)`); n != "1" {
		t.Errorf("the change note's words found %s revisions, want 1", n)
	}
}

// The coordinator imports procedures into the catalogue from a CSV file: a check first, then
// the import; the new procedure is in the catalogue and in its agency's list.
func TestProcedureImportTour(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := ""
			if dialect != "sqlite" {
				dsn = testdb.DSN(t, dialect)
			}
			b := &browser{t: t, ctx: newBrowser(t)}
			base := startServer(t, dsn)
			file := filepath.Join(t.TempDir(), "thu-tuc.csv")
			csv := "\uFEFFMã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Cơ quan giải quyết,Thời hạn (ngày làm việc)\n" +
				"1.888001,Cấp giấy phép tổ chức lễ hội thử,Văn hóa cơ sở,Cấp tỉnh,SVHTTDL,15\n" +
				"1.888002,Cấp giấy phép quảng cáo thử,Quảng cáo,Cấp tỉnh,SVHTTDL,12\n"
			if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
				t.Fatal(err)
			}
			b.do("sign in as the coordinator",
				chromedp.Navigate(base+"/login"), visible("#f-email"),
				keys("#f-email", "dieuphoi@demo.isogov.vn"), keys("#f-password", "demo-NgheAn-2026"),
				click(`form[action="/login"] button[type=submit]`), visible("header nav"))
			b.submit("the catalogue", click(`header nav a[href="/procedures"]`))
			b.submit("the import page", click(`a[href="/procedures/import"]`))
			b.do("choose the file", visible("#f-file"), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}))
			b.submit("check it", click(`form[action="/procedures/import"] button[type=submit]`))
			if txt := b.text("main"); !strings.Contains(txt, "sẽ thêm 2") {
				t.Fatalf("after the check: %q", txt)
			}
			b.do("import this time", click(`input[name="mode"][value="import"]`), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}))
			b.submit("import it", click(`form[action="/procedures/import"] button[type=submit]`))
			b.shot("10-procedures-import")
			if txt := b.text("main"); !strings.Contains(txt, "Đã nhập 2 dòng") {
				t.Fatalf("after the import: %q", txt)
			}
			b.do("the agency's list", chromedp.Navigate(base+"/agencies/SVHTTDL/procedures?q=thu"), visible("table.procedures"))
			if txt := b.text("table.procedures"); !strings.Contains(txt, "1.888001") || !strings.Contains(txt, "Cấp giấy phép quảng cáo thử") {
				t.Errorf("the agency's list: %q", txt)
			}

			// A secretary builds a five-step process for the 15-day procedure: 16 days are
			// refused with the overrun named, 15 are saved.
			b.do("sign out", click(`form[action="/logout"] button`), visible("#f-email"))
			b.do("sign in as SKHCN's secretary", keys("#f-email", "thuky.skhcn@demo.isogov.vn"), keys("#f-password", "demo-NgheAn-2026"),
				click(`form[action="/login"] button[type=submit]`), visible("header nav"))
			b.do("the master list", chromedp.Navigate(base+"/agencies/SKHCN/documents"), visible("#f-newtype"),
				chromedp.SetValue(chromedp.CSS("#f-newtype"), "process"), keys("#f-title", "Quy trình cấp giấy phép tổ chức lễ hội thử"))
			b.submit("create the process", click(`form[action="/agencies/SKHCN/documents"].card button[type=submit]`))
			b.submit("its content", click(`a[href$="/process"]`))
			fill := func(days []string) {
				b.do("the procedure", visible("#f-procedures"), chromedp.SetValue(chromedp.CSS("#f-procedures"), "1.888001"))
				for i, d := range days {
					n := strconv.Itoa(i + 1)
					b.do("step "+n,
						chromedp.SetValue(chromedp.CSS(`table.edit-steps tbody tr:nth-child(`+n+`) input[name="step_description"]`), "Bước "+n),
						chromedp.SetValue(chromedp.CSS(`table.edit-steps tbody tr:nth-child(`+n+`) input[name="step_responsible"]`), "Phòng Văn hóa"),
						chromedp.SetValue(chromedp.CSS(`table.edit-steps tbody tr:nth-child(`+n+`) input[name="step_amount"]`), d))
				}
				b.submit("save the process", click(`form[action$="/process"] button[type=submit]`))
			}
			fill([]string{"1", "8", "3", "2", "2"})
			if txt := b.text("#e-steps"); !strings.Contains(txt, "16 ngày làm việc, vượt thời hạn 15 ngày làm việc của thủ tục 1 ngày") {
				t.Fatalf("the overrun: %q", txt)
			}
			fill([]string{"1", "7", "3", "2", "2"})
			b.shot("11-process")
			if txt := b.text("table.steps"); !strings.Contains(txt, "15 / 15") || !strings.Contains(txt, "Bước 5") {
				t.Errorf("the saved process: %q", txt)
			}

			// The coordinator marks the procedure amended; the secretary sees the update task on
			// her home page, due in 5 working days (the list) and 3 months (the process).
			b.do("sign out", click(`form[action="/logout"] button`), visible("#f-email"))
			b.do("sign in as the coordinator again", keys("#f-email", "dieuphoi@demo.isogov.vn"), keys("#f-password", "demo-NgheAn-2026"),
				click(`form[action="/login"] button[type=submit]`), visible("header nav"))
			b.do("the procedure", chromedp.Navigate(base+"/procedures/1.888001"), visible("#f-status"),
				chromedp.SetValue(chromedp.CSS("#f-status"), "amended"), keys("#f-decision", "2200/QĐ-UBND"))
			b.submit("mark it amended", click(`form[action="/procedures/1.888001"] button[type=submit]`))
			if txt := b.text("main"); !strings.Contains(txt, "Sửa đổi, bổ sung") || !strings.Contains(txt, "Sở Khoa học và Công nghệ") {
				t.Errorf("the procedure after the amendment (tasks of SVHTTDL and SKHCN): %q", txt)
			}
			b.do("sign out", click(`form[action="/logout"] button`), visible("#f-email"))
			b.do("sign in as SKHCN's secretary again", keys("#f-email", "thuky.skhcn@demo.isogov.vn"), keys("#f-password", "demo-NgheAn-2026"),
				click(`form[action="/login"] button[type=submit]`), visible("section.tasks-due"))
			today := time.Now().In(time.FixedZone("ICT", 7*3600))
			listDue, err := calendar.New(calendar.Embedded()).AddWorkingDays(today, 5)
			if err != nil {
				t.Fatal(err)
			}
			due := qms.NextReview(qms.DateOf(today), 3)
			if txt := b.text("section.tasks-due"); !strings.Contains(txt, "1.888001") || !strings.Contains(txt, qms.DateOf(listDue).VN()) || !strings.Contains(txt, due.VN()) {
				t.Errorf("the home page's tasks (due %s and %s): %q", qms.DateOf(listDue).VN(), due.VN(), txt)
			}
			href := b.eval(`[...document.querySelectorAll('section.tasks-due a[href*="/update-tasks/"]')].find(a => a.textContent.includes('1.888001')).href`)
			b.do("open the task", chromedp.Navigate(href), visible("main h1"))
			b.shot("12-update-task")
			if txt := b.text("main"); !strings.Contains(txt, "Quy trình cấp giấy phép tổ chức lễ hội thử") || !strings.Contains(txt, "2200/QĐ-UBND") ||
				!strings.Contains(txt, "Hạn cập nhật danh mục TTHC") {
				t.Errorf("the task: %q", txt)
			}
		})
	}
}

// The dossiers tour: the desk receives a dossier and prints the slip (PIN and QR code), a
// handler completes its five steps, the citizen looks it up with the code and PIN and rates
// it; a dossier due on the next working day appears on the handlers' home page and gets an
// apology letter with a new date.
func TestDossierTour(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := ""
			if dialect != "sqlite" {
				dsn = testdb.DSN(t, dialect)
			}
			b := &browser{t: t, ctx: newBrowser(t)}
			base := startServer(t, dsn)
			b.signIn(base, "chuyenvien.skhcn@demo.isogov.vn")
			b.submit("the dossiers", click(`header nav a[href="/agencies/SKHCN/dossiers"]`))
			b.submit("the intake form", click(`a[href="/agencies/SKHCN/dossiers/new"]`))
			b.do("fill it", visible("#f-procedure"), chromedp.SetValue(chromedp.CSS("#f-procedure"), "1.001214"),
				keys("#f-applicant", "Lê Văn Bình"), keys("#f-phone", "0912345678"))
			b.submit("receive", click(`form[action="/agencies/SKHCN/dossiers"] button[type=submit]`))
			b.do("the slip", visible("article.slip .qr svg"))
			b.shot("13-receipt-slip")
			pin, code := b.text("article.slip .pin"), b.text("article.slip code")
			if len(pin) != 6 || !strings.HasPrefix(code, "SKHCN-") {
				t.Fatalf("the slip: PIN %q, code %q", pin, code)
			}
			b.submit("the dossier", click(`.crumbs a[href^="/agencies/SKHCN/dossiers/"]`))
			for i := 0; i < 5; i++ {
				b.do("complete a step", visible("#f-event"), chromedp.SetValue(chromedp.CSS("#f-event"), "complete_step"))
				b.submit("save", click(`form[action^="/agencies/SKHCN/dossiers/"] button[type=submit]`))
			}
			if txt := b.text("main dl.facts"); !strings.Contains(txt, "Đã giải quyết") || !strings.Contains(txt, "Sớm hạn") {
				t.Errorf("after the five steps: %q", txt)
			}
			b.do("sign out", click(`form[action="/logout"] button`), visible("#f-email"))

			// The citizen, on the look-up page the QR code leads to.
			b.do("the look-up", chromedp.Navigate(base+"/lookup?code="+code), visible("#f-pin"), keys("#f-pin", pin))
			b.submit("look up", click(`form[action="/lookup"] button[type=submit]`))
			if txt := b.text("main"); !strings.Contains(txt, "L. V. Bình") || !strings.Contains(txt, "Đã giải quyết") || strings.Contains(txt, "0912345678") {
				t.Errorf("the look-up: %q", txt)
			}
			b.do("rate it", click(`input[name="rating"][value="5"]`), keys("#f-comment", "Cán bộ hướng dẫn tận tình"))
			b.submit("send", click(`form[action="/lookup/rating"] button[type=submit]`))
			b.shot("14-lookup")
			if txt := b.text("main"); !strings.Contains(txt, "Cảm ơn ông/bà đã đánh giá") {
				t.Errorf("after rating: %q", txt)
			}

			// A dossier received eleven working days before the next working day is due then.
			cal := calendar.New(calendar.Embedded())
			now := time.Now().In(time.FixedZone("ICT", 7*3600))
			due, err := cal.AddWorkingDays(now, 1)
			if err != nil {
				t.Fatal(err)
			}
			received := due
			for n := 0; n < 11; {
				received = received.AddDate(0, 0, -1)
				if ok, _ := cal.IsWorkingDay(received); ok {
					n++
				}
			}
			b.signIn(base, "chuyenvien.skhcn@demo.isogov.vn")
			b.do("another intake", chromedp.Navigate(base+"/agencies/SKHCN/dossiers/new"), visible("#f-procedure"),
				chromedp.SetValue(chromedp.CSS("#f-procedure"), "1.001214"), keys("#f-applicant", "Trần Thị Cúc"),
				chromedp.SetValue(chromedp.CSS("#f-received_at"), received.Format("2006-01-02")+"T09:00"))
			b.submit("receive it", click(`form[action="/agencies/SKHCN/dossiers"] button[type=submit]`))
			late := b.text("article.slip code")
			b.do("the home page", chromedp.Navigate(base+"/"), visible("section.due-soon"))
			if txt := b.text("section.due-soon"); !strings.Contains(txt, late) || !strings.Contains(txt, qms.DateOf(due).VN()) {
				t.Fatalf("the dossiers due (%s on %s): %q", late, qms.DateOf(due).VN(), txt)
			}
			href := b.eval(`[...document.querySelectorAll('section.due-soon a')].find(a => a.textContent.includes('` + late + `')).href`)
			b.do("open it", chromedp.Navigate(href), visible("#f-reason"), keys("#f-reason", "Cần xác minh thực tế tại cơ sở"),
				chromedp.SetValue(chromedp.CSS("#f-new_due_on"), qms.DateOf(due).AddDays(7).String()))
			b.eval(`window.confirm = () => true; "ok"`)
			b.submit("issue the apology", click(`form[action^="/agencies/SKHCN/dossiers/"] input[value="apologize"] ~ button[type=submit]`))
			b.shot("15-apology")
			if txt := b.text("main dl.facts"); !strings.Contains(txt, "Đã xin lỗi, hẹn lại ngày "+qms.DateOf(due).AddDays(7).VN()) {
				t.Errorf("after the apology: %q", txt)
			}
		})
	}
}

// The improvement loop's tour: the auditor opens the audit her home page reminds her of, runs
// it and records a major nonconformity; the secretary analyses it and plans a corrective
// action; its owner implements it; the leader's effectiveness check closes it; the next
// management review's input pack shows the audit's finding and the closure.
func TestImprovementTour(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := ""
			if dialect != "sqlite" {
				dsn = testdb.DSN(t, dialect)
			}
			b := &browser{t: t, ctx: newBrowser(t)}
			base := startServer(t, dsn)

			b.signIn(base, "danhgia@demo.isogov.vn")
			b.do("the reminder", visible("section.upcoming-audits"))
			b.submit("open the audit", click(`section.upcoming-audits a`))
			for _, ev := range []string{"prepare", "send_checklist", "start_fieldwork"} {
				b.press(ev)
			}
			b.do("a major nonconformity", visible("form.add-finding"), chromedp.SetValue(chromedp.CSS("form.add-finding #f-type"), "major_nc"),
				keys("form.add-finding #f-clause", "7.5.3"), keys("form.add-finding #f-description", "Tài liệu lỗi thời còn được sử dụng tại bộ phận một cửa"),
				keys("form.add-finding #f-evidence", "Mẫu đơn phiên bản 2019 trên bàn tiếp nhận"))
			b.submit("record it", click(`form.add-finding button[type=submit]`))
			nc := b.text("table.findings a code")
			if !strings.HasPrefix(nc, "NC-") {
				t.Fatalf("the finding's nonconformity: %q", nc)
			}
			b.eval(`document.querySelectorAll('table.checklist select').forEach(s => s.value = 'yes'); "ok"`)
			b.submit("the answers", click(`form input[value="answers"] ~ button[type=submit]`))
			b.do("the conclusion", keys("#f-summary", "Một điểm không phù hợp nặng về kiểm soát tài liệu"))
			b.submit("save it", click(`form input[value="summary"] ~ button[type=submit]`))
			b.press("report")
			b.press("follow_up")
			b.shot("16-audit")
			if txt := b.text("main dl.facts"); !strings.Contains(txt, "Theo dõi khắc phục") {
				t.Fatalf("the audit after its report: %q", txt)
			}
			b.signOut()

			// The secretary analyses and plans.
			b.signIn(base, "thuky.skhcn@demo.isogov.vn")
			b.do("the audits", chromedp.Navigate(base+"/agencies/SKHCN/audits"), visible("table.audits"))
			href := b.eval(`[...document.querySelectorAll('table.audits a')].at(-1).href`)
			b.do("the audit", chromedp.Navigate(href), visible("table.findings"))
			b.submit("the nonconformity", click(`table.findings a`))
			b.press("analyse")
			b.do("the cause", keys("#f-why1", "Bản cũ không được thu hồi"), keys("#f-root_cause", "Chưa quy định thu hồi tài liệu lỗi thời"),
				chromedp.SetValue(chromedp.CSS("#f-category"), "documents"))
			b.press("plan")
			due := time.Now().In(time.FixedZone("ICT", 7*3600)).AddDate(0, 0, 14).Format("2006-01-02")
			b.do("an action", chromedp.SetValue(chromedp.CSS("#f-type"), "corrective"), keys("#f-description", "Thu hồi mẫu cũ, bổ sung bước thu hồi vào quy trình"),
				keys("#f-owner", "chuyenvien.skhcn@demo.isogov.vn"), chromedp.SetValue(chromedp.CSS("#f-due_on"), due))
			b.submit("plan it", click(`form.add-action button[type=submit]`))
			b.press("start")
			ncURL := b.eval(`location.href`)
			b.signOut()

			// The owner implements it from her home page.
			b.signIn(base, "chuyenvien.skhcn@demo.isogov.vn")
			b.do("my actions", visible("section.my-actions"))
			b.submit("open it", click(`section.my-actions a`))
			b.do("the evidence", keys(`form input[value="implement"] ~ input[name="evidence"]`, "Biên bản thu hồi ngày hôm nay"))
			b.submit("done", click(`form input[value="implement"] ~ button[type=submit]`))
			if page := b.text("main"); strings.Contains(page, "Kiểm tra hiệu lực") && strings.Contains(b.eval(`String(!!document.querySelector('form input[value="check"]'))`), "true") {
				t.Error("the owner is offered to check her own action")
			}
			b.signOut()

			// The leader checks it, verifies and closes.
			b.signIn(base, "lanhdao.skhcn@demo.isogov.vn")
			b.do("the nonconformity", chromedp.Navigate(ncURL), visible(`form input[value="check"] ~ select`),
				chromedp.SetValue(chromedp.CSS(`form input[value="check"] ~ select`), "effective"), keys(`form input[value="check"] ~ input[name="note"]`, "Kiểm tra: không còn mẫu cũ"))
			b.submit("check", click(`form input[value="check"] ~ button[type=submit]`))
			b.press("verify")
			b.press("close")
			if txt := b.text("main dl.facts"); !strings.Contains(txt, "Đã đóng") {
				t.Fatalf("the nonconformity: %q", txt)
			}

			// The next management review, over the whole year.
			year := time.Now().In(time.FixedZone("ICT", 7*3600)).Year()
			b.do("plan the review", chromedp.Navigate(base+"/agencies/SKHCN/reviews"), visible("#f-meeting_on"),
				chromedp.SetValue(chromedp.CSS("#f-period_from"), strconv.Itoa(year)+"-01-01"), chromedp.SetValue(chromedp.CSS("#f-period_to"), strconv.Itoa(year)+"-12-31"))
			b.submit("save it", click(`form[action="/agencies/SKHCN/reviews"] button[type=submit]`))
			b.do("the pack", visible("section.pack-audits"))
			b.shot("17-review-pack")
			if txt := b.text("section.pack-nonconformities"); !strings.Contains(txt, nc) || !strings.Contains(txt, "Đã đóng") || !strings.Contains(txt, "Đánh giá nội bộ") {
				t.Errorf("the pack's nonconformities: %q", txt)
			}
			if txt := b.text("section.pack-audits"); !strings.Contains(txt, "Không phù hợp nặng: 1") {
				t.Errorf("the pack's audits: %q", txt)
			}
		})
	}
}

// sessionCookie returns the browser's session cookie, for a download made outside the browser.
func (b *browser) sessionCookie() *http.Cookie {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		b.fail("cookies", err)
	}
	for _, c := range res.Cookies {
		if c.Name == "isogov_session" {
			return &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	b.t.Fatal("no session cookie")
	return nil
}

// The report's tour, as the issue tells it: the Department's coordinator first extends the
// closing of the six-month period (the schedule is data; in November the period would be closed);
// the secretary opens the six-month report, pre-filled from live data, and writes its text
// sections; the leader signs and submits it (late); the coordinator accepts it, downloads its
// PDF — whose text (pdftotext) keeps its Vietnamese diacritics —, consolidates the province's
// reports and downloads that PDF; she writes the province's report, the Department's leader
// signs and sends it, and its PDF carries its number and his name.
func TestReportTour(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext (Debian's poppler-utils) is needed to read the report's PDF")
	}
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := ""
			if dialect != "sqlite" {
				dsn = testdb.DSN(t, dialect)
			}
			b := &browser{t: t, ctx: newBrowser(t)}
			base := startServer(t, dsn)
			year := strconv.Itoa(time.Now().In(time.FixedZone("ICT", 7*3600)).Year())
			pdfText := func(url string) string {
				t.Helper()
				req, _ := http.NewRequest("GET", url, nil)
				req.AddCookie(b.sessionCookie())
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				pdf := filepath.Join(t.TempDir(), "bao-cao.pdf")
				f, _ := os.Create(pdf)
				_, err = f.ReadFrom(resp.Body)
				resp.Body.Close()
				f.Close()
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("%s: %d %v", url, resp.StatusCode, err)
				}
				out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
				if err != nil {
					t.Fatal(err)
				}
				return string(out)
			}

			// The six-month period stays open for submission all year: 365 days after 15 July.
			b.signIn(base, "dieuphoi@demo.isogov.vn")
			b.do("the schedules", chromedp.Navigate(base+"/report-schedules"), visible("#f-close_days"), chromedp.SetValue(chromedp.CSS("#f-kind"), "half"),
				chromedp.SetValue(chromedp.CSS("#f-year_from"), year), chromedp.SetValue(chromedp.CSS("#f-due_day"), "15"),
				chromedp.SetValue(chromedp.CSS("#f-due_month"), "7"), chromedp.SetValue(chromedp.CSS("#f-close_days"), "365"))
			b.submit("save the schedule", click(`form.card[action="/report-schedules"] button[type=submit]`))
			if txt := b.text("table.schedules"); !strings.Contains(txt, "15/07") || !strings.Contains(txt, "365") {
				t.Errorf("the schedule in force: %q", txt)
			}
			b.signOut()

			b.signIn(base, "thuky.skhcn@demo.isogov.vn")
			b.do("the reports", chromedp.Navigate(base+"/agencies/SKHCN/reports"), visible("#f-kind"), chromedp.SetValue(chromedp.CSS("#f-kind"), "half"),
				chromedp.SetValue(chromedp.CSS("#f-year"), year))
			b.submit("open the six-month report", click(`form[action="/agencies/SKHCN/reports"] button[type=submit]`))
			if txt := b.text("article.report-doc"); !strings.Contains(txt, "6 tháng đầu năm "+year) || !strings.Contains(txt, "Ban chỉ đạo ISO gồm") ||
				!strings.Contains(txt, "Đánh giá nội bộ:") {
				t.Errorf("the pre-filled report: %q", txt)
			}
			b.do("the text", keys("#f-results", "Hệ thống được duy trì hiệu lực."), keys("#f-difficulties", "Thiếu cán bộ chuyên trách."),
				keys("#f-proposals", "Đề nghị tổ chức tập huấn đánh giá viên."))
			b.press("text")
			if strings.Contains(b.eval(`String(!!document.querySelector('button[value="sign"]'))`), "true") {
				t.Error("the secretary is offered to sign")
			}
			reportURL := b.eval(`location.href`)
			b.signOut()

			b.signIn(base, "lanhdao.skhcn@demo.isogov.vn")
			b.do("the report", chromedp.Navigate(reportURL), visible(`button[value="sign"]`))
			b.press("sign")
			if txt := b.text(".report-state"); !strings.Contains(txt, "Đã ký") {
				t.Fatalf("after signing: %q", txt)
			}
			b.press("submit")
			if txt := b.text(".facts"); !strings.Contains(txt, "Đã gửi Sở KH&CN") {
				t.Fatalf("after submitting: %q", txt)
			}
			b.signOut()

			b.signIn(base, "dieuphoi@demo.isogov.vn")
			b.do("the report", chromedp.Navigate(reportURL), visible(`button[value="accept"]`))
			b.press("accept")
			b.shot("18-report")
			if txt := b.text(".report-state"); !strings.Contains(txt, "đã tiếp nhận") {
				t.Fatalf("after acceptance: %q", txt)
			}
			text := pdfText(reportURL + "/pdf")
			for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "BÁO CÁO",
				"chất lượng 6 tháng", "đầu năm " + year, "Đề nghị tổ chức tập huấn đánh giá viên.", "Thiếu cán bộ chuyên trách.", "01/BC-SKHCN", "Nghệ An, ngày"} {
				if !strings.Contains(text, want) {
					t.Errorf("the report's PDF lacks %q:\n%s", want, text)
				}
			}

			// The coordinator consolidates the province's six-month reports and downloads the PDF.
			b.do("the consolidation", chromedp.Navigate(base+"/programmes"), visible(`a[href="/province-reports"]`))
			b.submit("open it", click(`a[href="/province-reports"]`))
			b.do("the period", chromedp.SetValue(chromedp.CSS("#f-kind"), "half"), chromedp.SetValue(chromedp.CSS("#f-year"), year))
			b.submit("show it", click(`form.filters[action="/province-reports"] button[type=submit]`))
			b.shot("19-consolidation")
			if txt := b.text("table.consolidation"); !strings.Contains(txt, "Sở Khoa học và Công nghệ") || !strings.Contains(txt, "Sở KH&CN đã tiếp nhận (gửi trễ hạn)") ||
				!strings.Contains(txt, "Chưa gửi") {
				t.Errorf("the consolidation table: %q", txt)
			}
			text = pdfText(b.eval(`document.querySelector('a[href^="/province-reports/pdf"]').href`))
			for _, want := range []string{"ỦY BAN NHÂN DÂN TỈNH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "KẾT QUẢ TẠI TỪNG CƠ QUAN", "Sở Tư pháp", "Chưa gửi", "Toàn tỉnh",
				"Tình hình xây dựng, áp dụng, duy trì và cải tiến", "6 tháng đầu năm"} {
				if !strings.Contains(text, want) {
					t.Errorf("the consolidated PDF lacks %q:\n%.2000s", want, text)
				}
			}

			// The consolidated report as the Department's document: the coordinator opens it
			// and writes it; the Department's leader finds it from his agency's reports, signs
			// it (not offered the text) and sends it to the People's Committee and the
			// Ministry; its PDF carries the number after his agency's report's and his name.
			b.press("open")
			b.do("its text", visible("#f-difficulties"), keys("#f-difficulties", "Một số xã chưa bố trí cán bộ."), keys("#f-proposals", "Bổ sung kinh phí duy trì."))
			b.press("text")
			if strings.Contains(b.eval(`String(!!document.querySelector('button[value="sign"]'))`), "true") {
				t.Error("the coordinator is offered to sign")
			}
			b.signOut()
			b.signIn(base, "lanhdao.skhcn@demo.isogov.vn")
			b.do("his reports", chromedp.Navigate(base+"/agencies/SKHCN/reports"), visible(`a[href="/province-reports"]`))
			b.submit("the province's report", click(`a[href="/province-reports"]`))
			b.do("the period", chromedp.SetValue(chromedp.CSS("#f-kind"), "half"), chromedp.SetValue(chromedp.CSS("#f-year"), year))
			b.submit("show it", click(`form.filters[action="/province-reports"] button[type=submit]`))
			if strings.Contains(b.eval(`String(!!document.querySelector('#f-results'))`), "true") {
				t.Error("the leader is offered the text")
			}
			b.press("sign")
			b.press("submit")
			b.shot("20-province-report")
			if txt := b.text(".province-doc"); !strings.Contains(txt, "02/BC-SKHCN") || !strings.Contains(txt, "Ủy ban nhân dân tỉnh; Bộ Khoa học và Công nghệ") {
				t.Errorf("the submitted document: %q", txt)
			}
			text = pdfText(b.eval(`document.querySelector('a[href^="/province-reports/pdf"]').href`))
			for _, want := range []string{"Số: 02/BC-SKHCN", "GIÁM ĐỐC", "Nguyễn Văn An", "Một số xã chưa bố trí cán bộ.", "Bổ sung kinh phí duy trì.", "Bộ Khoa học và Công nghệ;"} {
				if !strings.Contains(text, want) {
					t.Errorf("the signed consolidated PDF lacks %q:\n%.3000s", want, text)
				}
			}
		})
	}
}
