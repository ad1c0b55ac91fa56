// Package store holds all SQL of isogov. Queries are written once with '?' placeholders and
// rebound for PostgreSQL; what truly differs between SQLite and PostgreSQL sits in dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// DB is the database: on SQLite one writer connection and a pool of read-only readers
// (PocketBase recipe); on PostgreSQL one pool for both.
type DB struct {
	Q       // reads outside a transaction go to the reader pool
	dialect Dialect
	writer  *sql.DB
	reader  *sql.DB
	path    string // SQLite file; "" on PostgreSQL
	// writing queues SQLite's writers in order: database/sql hands a freed connection to a
	// random waiter, which under load leaves some requests waiting many turns; a mutex that
	// turns first-come first-served once waiters queue (Go's starvation mode) bounds the wait.
	writing sync.Mutex
}

// IsPostgres reports whether a --db value selects PostgreSQL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn: a postgres:// URL, or else an SQLite file path.
// It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{}
	var err error
	if IsPostgres(dsn) {
		db.dialect = Postgres
		if db.writer, err = sql.Open("pgx", dsn); err != nil {
			return nil, err
		}
		db.writer.SetMaxOpenConns(16)
		db.writer.SetMaxIdleConns(4)
		db.writer.SetConnMaxIdleTime(5 * time.Minute)
		db.reader = db.writer
	} else {
		db.dialect = SQLite
		db.path = strings.TrimPrefix(dsn, "file:")
		if dir := filepath.Dir(db.path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)"
		if db.writer, err = sql.Open("sqlite", "file:"+db.path+"?"+pragmas+"&_txlock=immediate"); err != nil {
			return nil, err
		}
		db.writer.SetMaxOpenConns(1) // one writer: SQLite serialises writes anyway
		db.writer.SetConnMaxIdleTime(0)
		if db.reader, err = sql.Open("sqlite", "file:"+db.path+"?"+pragmas+"&_pragma=query_only(1)"); err != nil {
			db.writer.Close()
			return nil, err
		}
		db.reader.SetMaxOpenConns(4)
		db.reader.SetMaxIdleConns(4)
	}
	db.Q = Q{d: db.dialect, c: db.reader}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return db, nil
}

// Dialect tells which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.writer.PingContext(ctx); err != nil {
		return err
	}
	return db.reader.PingContext(ctx)
}

// Close closes every connection.
func (db *DB) Close() error {
	err := db.writer.Close()
	if db.reader != db.writer {
		err = errors.Join(err, db.reader.Close())
	}
	return err
}

// Stats reports the connection pools' figures, for /metrics.
func (db *DB) Stats() map[string]sql.DBStats {
	if db.reader == db.writer {
		return map[string]sql.DBStats{"pool": db.writer.Stats()}
	}
	return map[string]sql.DBStats{"writer": db.writer.Stats(), "reader": db.reader.Stats()}
}

// Tx is a write transaction. Everything a service changes, and its journal entry, goes
// through one Tx.
type Tx struct {
	Q
	tx *sql.Tx
	// heads are the journal chains this transaction appended to: locked at the first append,
	// advanced in memory, written once before the commit.
	heads map[int64]*journalHead
}

type journalHead struct {
	seq  int64
	hash string
}

// InTx runs fn in a write transaction and commits it when fn returns nil. On SQLite a
// "database is busy" failure (another process holds the write lock past busy_timeout) is
// retried a few times with back-off before giving up.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	if db.dialect == SQLite {
		db.writing.Lock()
		defer db.writing.Unlock()
	}
	for attempt := 0; attempt < 5; attempt++ {
		if err = db.inTx(ctx, fn); err == nil || !db.dialect.isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(50<<attempt) * time.Millisecond):
		}
	}
	return err
}

func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := &Tx{Q: Q{d: db.dialect, c: stx}, tx: stx}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := tx.writeHeads(ctx); err != nil {
		_ = stx.Rollback()
		return err
	}
	return stx.Commit()
}

// conn is what *sql.DB and *sql.Tx have in common.
type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Q runs queries written with '?' placeholders on a connection or transaction of either
// dialect. Every store query is a method of Q.
type Q struct {
	d Dialect
	c conn
}

func (q Q) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.c.ExecContext(ctx, q.d.rebind(query), args...)
}

func (q Q) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.c.QueryContext(ctx, q.d.rebind(query), args...)
}

func (q Q) row(ctx context.Context, query string, args ...any) *sql.Row {
	return q.c.QueryRowContext(ctx, q.d.rebind(query), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (q Q) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := q.row(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// scanAll reads every row with scan.
func scanAll[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// micros and fromMicros convert instants to the one portable representation used in every
// table: microseconds since the Unix epoch, UTC. 0 means "never".
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}
