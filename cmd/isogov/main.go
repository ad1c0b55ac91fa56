// Command isogov is the electronic ISO 9001 quality management system for Vietnamese public
// administration: one binary with the web UI, the API and the operator's commands.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

const usage = `isogov — hệ thống quản lý chất lượng ISO điện tử / electronic ISO 9001 QMS

Usage: isogov <command> [flags]

Commands:
  serve          migrate, then serve the web UI and API (--demo loads the demo province)
  migrate        apply pending database migrations
  demo           load the demo province into an empty database
  user add       create a user: --email E --name N [--role ROLE[@AGENCY]]... --password-stdin
  token create   print a new API token for a user: --email E [--name LABEL]
  calendar       lunar YYYY-MM-DD | solar D/M/YYYY [--leap] | holidays YYYY | due YYYY-MM-DDTHH:MM N
  verify         check every journal chain
  reindex        rebuild the full-text search index
  import procedures FILE  import the procedure catalogue from CSV or XLSX (--dry-run checks only)
  backup         write a consistent copy of the SQLite database: --to FILE
  version        print version, commit and Go version

Every command reads --db (ISOGOV_DB; default ./data/isogov.db, or a postgres:// URL)
and --data (ISOGOV_DATA; default ./data). Run "isogov <command> --help" for its flags.
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "isogov: "+oneLine(err))
		}
		os.Exit(exitCode(err))
	}
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if service.IsChainError(err) {
		return 3
	}
	return 1
}

// run dispatches a command; tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	cmd, rest := args[0], args[1:]
	if (cmd == "user" || cmd == "token" || cmd == "import") && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, rest, stdout, stderr)
	case "user add":
		return cmdUserAdd(ctx, rest, stdin, stdout, stderr)
	case "token create":
		return cmdTokenCreate(ctx, rest, stdout, stderr)
	case "calendar":
		return cmdCalendar(ctx, rest, stdout, stderr)
	case "verify":
		return cmdVerify(ctx, rest, stdout, stderr)
	case "import procedures":
		return cmdImportProcedures(ctx, rest, stdout, stderr)
	case "reindex":
		return cmdReindex(ctx, rest, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionLine())
		return nil
	}
	return fmt.Errorf("unknown command %q (run isogov --help)", strings.Join(args[:1], " "))
}

func versionLine() string {
	commit := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				commit = s.Value
			}
		}
	}
	return fmt.Sprintf("isogov %s (commit %s, %s, %s/%s)", version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// storage holds the flags every storage command shares.
type storage struct {
	db          string
	data        string
	lead        string
	mail        service.Mail
	reminders   []int // days before an internal audit
	reminderErr error // a malformed ISOGOV_AUDIT_REMINDERS
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *storage) {
	fs := flag.NewFlagSet("isogov "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	st := &storage{}
	fs.StringVar(&st.db, "db", env("ISOGOV_DB", ""), "database: an SQLite file or a postgres:// URL (ISOGOV_DB)")
	fs.StringVar(&st.data, "data", env("ISOGOV_DATA", "data"), "data folder for files and the default database (ISOGOV_DATA)")
	fs.StringVar(&st.lead, "lead-agency", env("ISOGOV_LEAD_AGENCY", "SKHCN"), "code of the Department of Science and Technology, issuer of the consolidated reports (ISOGOV_LEAD_AGENCY)")
	fs.StringVar(&st.mail.Addr, "smtp", env("ISOGOV_SMTP", ""), "SMTP server host:port for e-mail notifications; empty: the in-app inbox only (ISOGOV_SMTP)")
	fs.StringVar(&st.mail.From, "smtp-from", env("ISOGOV_SMTP_FROM", "isogov@localhost"), "sender address of e-mail notifications (ISOGOV_SMTP_FROM)")
	fs.StringVar(&st.mail.User, "smtp-user", env("ISOGOV_SMTP_USER", ""), "SMTP user, for PLAIN authentication; the password comes from ISOGOV_SMTP_PASSWORD (ISOGOV_SMTP_USER)")
	fs.StringVar(&st.mail.BaseURL, "base-url", env("ISOGOV_BASE_URL", "http://127.0.0.1:8080"), "the server's public address, for links in e-mails (ISOGOV_BASE_URL)")
	st.mail.Password = os.Getenv("ISOGOV_SMTP_PASSWORD")
	fs.Func("audit-reminders", "days before an internal audit its team is reminded, e.g. 14,7 (ISOGOV_AUDIT_REMINDERS)", st.setReminders)
	if v := env("ISOGOV_AUDIT_REMINDERS", ""); v != "" {
		st.reminderErr = st.setReminders(v)
	}
	return fs, st
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// open connects to the database and applies pending migrations.
func (st *storage) open(ctx context.Context) (*store.DB, error) {
	dsn := st.db
	if dsn == "" {
		dsn = filepath.Join(st.data, "isogov.db")
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// service opens the database and returns the use cases over it; close the database when done.
func (st *storage) service(ctx context.Context, log *slog.Logger) (*service.Service, *store.DB, error) {
	if st.reminderErr != nil {
		return nil, nil, fmt.Errorf("ISOGOV_AUDIT_REMINDERS: %w", st.reminderErr)
	}
	db, err := st.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	return service.New(db, service.Config{AuditReminders: st.reminders, LeadAgency: qms.NormalizeCode(st.lead), Mail: st.mail}, nil, log), db, nil
}

// setReminders reads a list of days, each from 1 to 90.
func (st *storage) setReminders(v string) error {
	var days []int
	for _, p := range strings.Split(v, ",") {
		d, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || d < 1 || d > 90 {
			return fmt.Errorf("%q: days from 1 to 90, separated by commas", v)
		}
		days = append(days, d)
	}
	st.reminders = days
	return nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, st := newFlags("migrate", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	dsn := st.db
	if dsn == "" {
		dsn = filepath.Join(st.data, "isogov.db")
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "applied %d migration(s) on %s\n", n, db.Dialect())
	return nil
}

func cmdUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, st := newFlags("user add", stderr)
	email := fs.String("email", "", "e-mail address (required)")
	name := fs.String("name", "", "full name (required)")
	lang := fs.String("lang", "vi", "UI language: vi or en")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (required)")
	var roles multi
	fs.Var(&roles, "role", "role to grant, repeatable: admin, coordinator, observer, leader@CODE, secretary@CODE, staff@CODE, auditor@CODE, consultant@CODE")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !*pwStdin {
		return errors.New("user add: --password-stdin is required (the password is never taken as an argument)")
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user add: read password: %w", err)
	}
	svc, db, err := st.service(ctx, newLogger(stderr, "warn"))
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := svc.CreateUser(ctx, service.System, service.UserInput{Email: *email, Name: *name, Lang: *lang,
		Password: strings.TrimRight(line, "\r\n"), Roles: roles})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created user %d <%s>\n", u.ID, u.Email)
	return nil
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// describe turns a domain error into one English line naming the fields at fault.
func describe(err error) error {
	var de *qms.Error
	if !errors.As(err, &de) {
		return err
	}
	if len(de.Fields) == 0 {
		return fmt.Errorf("%s: %s", de.Code, englishOf(de.Key, de.Args...))
	}
	var parts []string
	for _, f := range de.Fields {
		parts = append(parts, f.Field+": "+englishOf(f.Message))
	}
	return fmt.Errorf("%s: %s", de.Code, strings.Join(parts, "; "))
}

func cmdTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, st := newFlags("token create", stderr)
	email := fs.String("email", "", "the user's e-mail address (required)")
	name := fs.String("name", "cli", "a label to recognise the token by")
	if err := parse(fs, args); err != nil {
		return err
	}
	svc, db, err := st.service(ctx, newLogger(stderr, "warn"))
	if err != nil {
		return err
	}
	defer db.Close()
	nt, err := svc.CreateTokenFor(ctx, service.System, *email, *name)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintln(stdout, nt.Secret)
	return nil
}

// cmdReindex rebuilds the search index from the documents, with a progress line on a terminal.
func cmdReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, st := newFlags("reindex", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := st.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.ClearSearchIndex(ctx); err != nil {
		return err
	}
	var progress func(int, int)
	if isTerminal(stderr) {
		progress = func(done, total int) {
			fmt.Fprintf(stderr, "\rindexing… %d/%d revisions (%d%%)", done, total, 100*done/max(total, 1))
		}
	}
	n, err := db.IndexMissing(ctx, progress)
	if progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "indexed %d revision(s)\n", n)
	return nil
}

func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, st := newFlags("verify", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := st.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var progress func(int64, int64)
	if isTerminal(stderr) {
		progress = func(chain, n int64) { fmt.Fprintf(stderr, "\rverifying… chain %d, %d entries", chain, n) }
	}
	res, err := service.Verify(ctx, db, progress)
	if progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		if service.IsChainError(err) {
			return fmt.Errorf("journal broken: %w", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "journal intact: %d entries verified in %d chains\n", res.Entries, res.Chains)
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// cmdImportProcedures imports the procedure catalogue from a CSV or XLSX file, all or nothing,
// with a progress line on a terminal; --dry-run only checks. Every issue is printed as
// "line N, column: message" and the command fails.
func cmdImportProcedures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, st := newFlags("import procedures", stderr)
	dry := fs.Bool("dry-run", false, "check the file and report, write nothing")
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	if file == "" {
		return errors.New("import procedures: give the file to import (CSV or XLSX)")
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() > service.MaxImportFile {
		return fmt.Errorf("import procedures: %s is %d MiB; at most %d MiB", file, info.Size()>>20, service.MaxImportFile>>20)
	}
	svc, db, err := st.service(ctx, newLogger(io.Discard, "error"))
	if err != nil {
		return err
	}
	defer db.Close()
	var progress func(int, int)
	if isTerminal(stderr) {
		progress = func(done, total int) { fmt.Fprintf(stderr, "\rimporting… %d%%", 100*done/max(total, 1)) }
	}
	rep, err := svc.ImportProcedures(ctx, service.System, f, info.Size(), *dry, progress)
	if progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		return describe(err)
	}
	for _, is := range rep.Issues {
		fmt.Fprintf(stdout, "line %d, %s: %s\n", is.Row, is.Column, englishOf(is.Message, is.Args...))
	}
	if len(rep.Issues) > 0 {
		return fmt.Errorf("import procedures: %d issue(s) in %d row(s); nothing was imported", len(rep.Issues), rep.Rows)
	}
	verb := "imported"
	if *dry {
		verb = "checked (dry run, nothing written)"
	}
	fmt.Fprintf(stdout, "%d row(s) %s: %d added, %d updated, %d unchanged\n", rep.Rows, verb, rep.Added, rep.Updated, rep.Unchanged)
	return nil
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, st := newFlags("backup", stderr)
	to := fs.String("to", "", "the file to write (must not exist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: --to FILE is required")
	}
	if _, err := os.Stat(*to); err == nil {
		return fmt.Errorf("backup: %s exists already; choose a new file", *to)
	}
	db, err := st.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *to)
	return nil
}
