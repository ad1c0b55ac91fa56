// Package testdb opens a fresh, migrated database for each test: always SQLite, and
// PostgreSQL too when ISOGOV_TEST_POSTGRES holds a server URL (each test then gets its own
// schema, dropped at the end).
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/isogov/isogov/internal/store"
)

// PostgresURL is the server the PostgreSQL leg runs against, or "".
func PostgresURL() string { return os.Getenv("ISOGOV_TEST_POSTGRES") }

// Dialects lists the databases every store test runs on.
func Dialects() []string {
	if PostgresURL() != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn as a subtest once per dialect with a fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a fresh migrated database of the dialect, closed when the test ends.
func Open(t testing.TB, dialect string) *store.DB {
	t.Helper()
	return OpenDSN(t, DSN(t, dialect))
}

// DSN returns the address of a fresh, empty database of the dialect: a new SQLite file, or a
// new PostgreSQL schema selected through search_path.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return filepath.Join(t.TempDir(), "isogov.db")
	}
	base := PostgresURL()
	if base == "" {
		t.Skip("ISOGOV_TEST_POSTGRES is not set: PostgreSQL leg skipped")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("PostgreSQL at ISOGOV_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Raw opens a second, plain connection to the database at dsn, for tests that tamper with
// rows behind the application's back.
func Raw(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	driver, name := "sqlite", dsn
	if store.IsPostgres(dsn) {
		driver = "pgx"
	} else {
		name = "file:" + dsn + "?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// OpenDSN opens and migrates the database at dsn (from DSN), closed when the test ends.
func OpenDSN(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}
