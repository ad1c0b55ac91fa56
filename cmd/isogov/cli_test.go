package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

func cli(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// The operator's commands, against SQLite and PostgreSQL.
func TestCommands(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := testdb.DSN(t, dialect)
			db := []string{"--db", dsn}

			files, err := os.ReadDir(filepath.Join("..", "..", "internal", "store", "migrations", dialect))
			if err != nil || len(files) < 8 {
				t.Fatalf("migration files: %d %v", len(files), err)
			}
			if out, _, err := cli(t, "", append([]string{"migrate"}, db...)...); err != nil || !strings.Contains(out, fmt.Sprintf("applied %d migration", len(files))) {
				t.Fatalf("migrate: %q %v", out, err)
			}
			if out, _, err := cli(t, "", append([]string{"migrate"}, db...)...); err != nil || !strings.Contains(out, "applied 0 migration") {
				t.Errorf("second migrate: %q %v", out, err)
			}
			if out, _, err := cli(t, "", append([]string{"demo"}, db...)...); err != nil || !strings.Contains(out, "57 agencies") {
				t.Fatalf("demo: %q %v", out, err)
			}
			if _, _, err := cli(t, "", append([]string{"demo"}, db...)...); err == nil || !strings.Contains(err.Error(), "not empty") {
				t.Errorf("demo twice: %v", err)
			}
			if out, _, err := cli(t, "", append([]string{"demo", "--dossiers", "250", "--years", "2", "--seed", "3"}, db...)...); err != nil ||
				!strings.Contains(out, "adding dossiers") || !strings.Contains(out, "generated 250 dossiers over 2 year(s)") {
				t.Errorf("demo --dossiers on the loaded demo: %q %v", out, err)
			}
			if _, _, err := cli(t, "", append([]string{"demo", "--dossiers", "-5"}, db...)...); err == nil || !strings.Contains(err.Error(), "--dossiers") {
				t.Errorf("a negative count: %v", err)
			}
			var dossiers int
			if err := testdb.Raw(t, dsn).QueryRow("SELECT count(*) FROM dossiers").Scan(&dossiers); err != nil || dossiers != 250 {
				t.Errorf("%d dossiers generated: %v", dossiers, err)
			}
			var revisions, entries int
			if err := testdb.Raw(t, dsn).QueryRow("SELECT (SELECT count(*) FROM revisions), (SELECT count(*) FROM search_entries)").Scan(&revisions, &entries); err != nil || revisions < 5 || entries != revisions {
				t.Errorf("the demo's %d revisions have %d search entries: %v", revisions, entries, err)
			}
			if out, _, err := cli(t, "", append([]string{"reindex"}, db...)...); err != nil || out != fmt.Sprintf("indexed %d revision(s)\n", revisions) {
				t.Errorf("reindex: %q %v", out, err)
			}
			// The procedure catalogue from a file: a dry run, the import, the same again, a bad file.
			file := filepath.Join(t.TempDir(), "thu-tuc.csv")
			csv := "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Cơ quan giải quyết,Thời hạn (ngày làm việc)\n" +
				"1.999100,Cấp giấy phép thử,Thử nghiệm,Cấp tỉnh,SKHCN,12\n1.001207,Cấp giấy chứng nhận đã sửa,Hoạt động khoa học và công nghệ,Cấp tỉnh,SKHCN,20\n"
			if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				args []string
				want string
			}{
				{[]string{"--dry-run"}, "2 row(s) checked (dry run, nothing written): 1 added, 1 updated, 0 unchanged"},
				{nil, "2 row(s) imported: 1 added, 1 updated, 0 unchanged"},
				{nil, "2 row(s) imported: 0 added, 0 updated, 2 unchanged"},
			} {
				if out, _, err := cli(t, "", append(append([]string{"import", "procedures", file}, c.args...), db...)...); err != nil || !strings.Contains(out, c.want) {
					t.Errorf("import %v: %q %v", c.args, out, err)
				}
			}
			if err := os.WriteFile(file, []byte(strings.Replace(csv, ",12\n", ",mười hai\n", 1)), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, _, err := cli(t, "", append([]string{"import", "procedures", file}, db...)...); err == nil || !strings.Contains(out, "line 2, Thời hạn (ngày làm việc): Must be a whole number.") {
				t.Errorf("a bad file: %q %v", out, err)
			}
			args := append([]string{"user", "add", "--email", "New.User@Test.vn", "--name", "Nguyễn Thị Mới", "--role", "secretary@SKHCN", "--role", "auditor@STP", "--password-stdin"}, db...)
			if out, _, err := cli(t, "Mot-mat-khau-dai-2026\n", args...); err != nil || !strings.Contains(out, "<new.user@test.vn>") {
				t.Fatalf("user add: %q %v", out, err)
			}
			for _, bad := range []struct {
				stdin string
				args  []string
				want  string
			}{
				{"Mot-mat-khau-dai-2026\n", []string{"user", "add", "--email", "new.user@test.vn", "--name", "X", "--password-stdin"}, "email"},
				{"short\n", []string{"user", "add", "--email", "b@test.vn", "--name", "X", "--password-stdin"}, "password: The password needs at least 10"},
				{"Mot-mat-khau-dai-2026\n", []string{"user", "add", "--email", "c@test.vn", "--name", "X", "--role", "leader", "--password-stdin"}, "roles"},
				{"Mot-mat-khau-dai-2026\n", []string{"user", "add", "--email", "d@test.vn", "--name", "X"}, "--password-stdin is required"},
				{"", []string{"token", "create", "--email", "nobody@test.vn"}, "User not found"},
			} {
				_, _, err := cli(t, bad.stdin, append(bad.args, db...)...)
				if err == nil || !strings.Contains(err.Error(), bad.want) {
					t.Errorf("%v: err = %v, want %q", bad.args, err, bad.want)
				}
			}
			out, _, err := cli(t, "", append([]string{"token", "create", "--email", "new.user@test.vn", "--name", "one-stop"}, db...)...)
			if err != nil || !strings.HasPrefix(out, "isg_") {
				t.Fatalf("token create: %q %v", out, err)
			}
			if out, _, err := cli(t, "", append([]string{"verify"}, db...)...); err != nil || !strings.Contains(out, "journal intact") {
				t.Errorf("verify: %q %v", out, err)
			}
			raw := testdb.Raw(t, dsn)
			if _, err := raw.Exec(`UPDATE journal SET actor_name = 'kẻ gian' WHERE id = (SELECT MIN(id) FROM journal)`); err != nil {
				t.Fatal(err)
			}
			_, _, err = cli(t, "", append([]string{"verify"}, db...)...)
			if err == nil || exitCode(err) != 3 || !strings.Contains(err.Error(), "journal broken") || !strings.Contains(err.Error(), "entry #") {
				t.Errorf("verify after tampering: %v (exit %d)", err, exitCode(err))
			}
		})
	}
}

func TestCommandLine(t *testing.T) {
	if out, _, err := cli(t, "", "version"); err != nil || !strings.HasPrefix(out, "isogov ") || !strings.Contains(out, "go1.") {
		t.Errorf("version: %q %v", out, err)
	}
	if _, _, err := cli(t, "", "frobnicate"); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("unknown command: %v", err)
	}
	if out, _, err := cli(t, "", "--help"); err != nil || !strings.Contains(out, "token create") {
		t.Errorf("--help: %v", err)
	}
	_, errOut, err := cli(t, "", "serve", "--help")
	if exitCode(err) != 0 || !strings.Contains(errOut, "-addr") {
		t.Errorf("serve --help: %v %q", err, errOut)
	}
	if _, _, err := cli(t, "", "backup", "--db", filepath.Join(t.TempDir(), "x.db")); err == nil || !strings.Contains(err.Error(), "--to") {
		t.Errorf("backup without --to: %v", err)
	}
	if _, _, err := cli(t, "", "backup", "--db", "postgres://nobody@127.0.0.1:1/x", "--to", "x"); err == nil {
		t.Error("backup of an unreachable PostgreSQL succeeded")
	}
}

// A backup taken while the server writes restores into a database that verifies, holding
// every change committed before the backup began.
func TestBackupWhileWriting(t *testing.T) {
	dsn := testdb.DSN(t, "sqlite")
	db := testdb.OpenDSN(t, dsn)
	svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir()}, nil, nil)
	if _, err := svc.CreateAgency(ctx, service.System, service.AgencyInput{Code: "SKHCN", Name: "Sở Khoa học và Công nghệ", Kind: qms.KindDepartment}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var written atomic.Int64
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := svc.CreateUnit(ctx, service.System, "SKHCN", service.UnitInput{Code: "U" + itoa(int64(i)), Name: "Phòng"}); err != nil {
				t.Error(err)
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() < 50 {
		time.Sleep(time.Millisecond)
	}
	before := written.Load()
	to := filepath.Join(t.TempDir(), "backup.db")
	out, _, err := cli(t, "", "backup", "--db", dsn, "--to", to)
	close(stop)
	wg.Wait()
	if err != nil || !strings.Contains(out, "backup written") {
		t.Fatalf("backup: %q %v", out, err)
	}
	if out, _, err := cli(t, "", "verify", "--db", to); err != nil || !strings.Contains(out, "journal intact") {
		t.Fatalf("verify the backup: %q %v", out, err)
	}
	copyDB := testdb.OpenDSN(t, to)
	_, units, err := service.New(copyDB, service.Config{}, nil, nil).Units(ctx, service.System, "SKHCN")
	if err != nil || int64(len(units)) < before {
		t.Errorf("backup holds %d units, at least %d were committed before it began (%v)", len(units), before, err)
	}
	if _, _, err := cli(t, "", "backup", "--db", dsn, "--to", to); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
}

// A server started on an empty database (no demo) has the shipped step templates, so a
// coordinator's first programme gives its agencies their steps.
func TestServeSeedsReferenceData(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := testdb.DSN(t, dialect)
			ctx, cancel := context.WithCancel(context.Background())
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() {
				var errb bytes.Buffer
				done <- run(ctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--data", t.TempDir()}, strings.NewReader(""), pw, &errb)
				pw.Close()
			}()
			sc := bufio.NewScanner(pr)
			listening := false
			for !listening && sc.Scan() {
				listening = strings.Contains(sc.Text(), "listening on")
			}
			go func() { _, _ = io.Copy(io.Discard, pr) }()
			if !listening {
				cancel()
				t.Fatalf("the server did not start: %v", <-done)
			}
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			got, err := db.StepTemplates(context.Background(), "")
			if err != nil || len(got) != len(qms.DefaultStepTemplates()) {
				t.Errorf("step templates after start: %d, want %d (%v)", len(got), len(qms.DefaultStepTemplates()), err)
			}
			if types, err := db.DocTypes(context.Background()); err != nil || len(types) != len(qms.DefaultDocTypes()) {
				t.Errorf("document types after start: %d, want %d (%v)", len(types), len(qms.DefaultDocTypes()), err)
			}
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
	}
}

// The reminder days of internal audits are read from the flag or the environment; a bad list
// stops the server before it opens anything.
func TestAuditRemindersFlag(t *testing.T) {
	var out, errs strings.Builder
	dir := t.TempDir()
	for _, bad := range []string{"0", "14,x", "120"} {
		if err := run(ctx, []string{"serve", "-data", dir, "-audit-reminders", bad}, strings.NewReader(""), &out, &errs); err == nil {
			t.Errorf("-audit-reminders %s accepted", bad)
		}
	}
	t.Setenv("ISOGOV_AUDIT_REMINDERS", "7,x")
	if err := run(ctx, []string{"serve", "-data", dir, "-addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &errs); err == nil || !strings.Contains(err.Error(), "ISOGOV_AUDIT_REMINDERS") {
		t.Errorf("a bad ISOGOV_AUDIT_REMINDERS: %v", err)
	}
	st := &storage{}
	if err := st.setReminders("21, 7,1"); err != nil || len(st.reminders) != 3 || st.reminders[0] != 21 {
		t.Errorf("21,7,1: %v %v", st.reminders, err)
	}
}
