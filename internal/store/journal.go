package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/isogov/isogov/internal/qms"
)

// AppendJournal chains e to the last entry of its chain and inserts it. It must run inside the
// transaction of the change it records. On PostgreSQL the chain's head row is locked so that
// concurrent writers to one chain queue up; other chains proceed in parallel.
func (tx *Tx) AppendJournal(ctx context.Context, e *qms.JournalEntry) error {
	if err := tx.chain(ctx, e); err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO journal (chain, seq, at, actor_id, actor_name, action, object_type, object_id, changes, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Chain, e.Seq, micros(e.At), e.ActorID, e.ActorName, e.Action, e.ObjectType, e.ObjectID, e.Changes, e.PrevHash, e.Hash)
	e.ID = id
	return err
}

// chain gives e its place at the end of its chain (sequence, previous hash, hash): the chain's
// head is locked at the transaction's first entry and advanced in memory.
func (tx *Tx) chain(ctx context.Context, e *qms.JournalEntry) error {
	h := tx.heads[e.Chain]
	if h == nil {
		if _, err := tx.exec(ctx, "INSERT INTO journal_heads (chain, seq, hash) VALUES (?, 0, '') ON CONFLICT (chain) DO NOTHING", e.Chain); err != nil {
			return err
		}
		h = &journalHead{}
		if err := tx.row(ctx, "SELECT seq, hash FROM journal_heads WHERE chain = ?"+tx.d.forUpdate(), e.Chain).Scan(&h.seq, &h.hash); err != nil {
			return err
		}
		if tx.heads == nil {
			tx.heads = map[int64]*journalHead{}
		}
		tx.heads[e.Chain] = h
	}
	e.Seq, e.PrevHash = h.seq+1, h.hash
	e.At = e.At.UTC().Truncate(1000) // stored to the microsecond; hash what is stored
	e.Hash = e.ComputeHash()
	h.seq, h.hash = e.Seq, e.Hash
	return nil
}

// writeHeads records where each chain the transaction appended to now ends.
func (tx *Tx) writeHeads(ctx context.Context) error {
	for chain, h := range tx.heads {
		if _, err := tx.exec(ctx, "UPDATE journal_heads SET seq = ?, hash = ? WHERE chain = ?", h.seq, h.hash, chain); err != nil {
			return err
		}
	}
	return nil
}

const journalColumns = "id, chain, seq, at, actor_id, actor_name, action, object_type, object_id, changes, prev_hash, hash"

func scanJournal(r interface{ Scan(...any) error }) (qms.JournalEntry, error) {
	var e qms.JournalEntry
	var at int64
	err := r.Scan(&e.ID, &e.Chain, &e.Seq, &at, &e.ActorID, &e.ActorName, &e.Action, &e.ObjectType, &e.ObjectID, &e.Changes, &e.PrevHash, &e.Hash)
	e.At = fromMicros(at)
	return e, err
}

// JournalFilter selects journal entries, newest first.
type JournalFilter struct {
	Chain      *int64 // one chain only
	ObjectType string
	ObjectID   string
	BeforeID   int64 // keyset cursor: entries with a smaller id
	Limit      int
}

// ListJournal returns entries matching f, newest first.
func (q Q) ListJournal(ctx context.Context, f JournalFilter) ([]qms.JournalEntry, error) {
	var where []string
	var args []any
	if f.Chain != nil {
		where = append(where, "chain = ?")
		args = append(args, *f.Chain)
	}
	if f.ObjectType != "" {
		where = append(where, "object_type = ? AND object_id = ?")
		args = append(args, f.ObjectType, f.ObjectID)
	}
	if f.BeforeID > 0 {
		where = append(where, "id < ?")
		args = append(args, f.BeforeID)
	}
	sqlText := "SELECT " + journalColumns + " FROM journal"
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	sqlText += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := q.query(ctx, sqlText, args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.JournalEntry, error) { return scanJournal(r) })
}

// JournalHead is the recorded end of one chain.
type JournalHead struct {
	Chain int64
	Seq   int64
	Hash  string
}

// JournalChains returns every chain that has a head or an entry, with its head (a chain whose
// head row was deleted gets seq 0 and an empty hash, which verification reports).
func (q Q) JournalChains(ctx context.Context) ([]JournalHead, error) {
	rows, err := q.query(ctx, `SELECT c.chain, COALESCE(h.seq, 0), COALESCE(h.hash, '')
		FROM (SELECT chain FROM journal_heads UNION SELECT DISTINCT chain FROM journal) c
		LEFT JOIN journal_heads h ON h.chain = c.chain ORDER BY c.chain`)
	return scanAll(rows, err, func(r *sql.Rows) (JournalHead, error) {
		var h JournalHead
		return h, r.Scan(&h.Chain, &h.Seq, &h.Hash)
	})
}

// EachJournalEntry calls fn for every entry of chain in seq order, reading in batches so
// memory stays flat on long chains. fn returning false stops the walk.
func (q Q) EachJournalEntry(ctx context.Context, chain int64, fn func(*qms.JournalEntry) bool) error {
	after := int64(-1 << 62)
	for {
		rows, err := q.query(ctx, "SELECT "+journalColumns+" FROM journal WHERE chain = ? AND seq > ? ORDER BY seq LIMIT 2000", chain, after)
		batch, err := scanAll(rows, err, func(r *sql.Rows) (qms.JournalEntry, error) { return scanJournal(r) })
		if err != nil {
			return err
		}
		for i := range batch {
			if !fn(&batch[i]) {
				return nil
			}
			after = batch[i].Seq
		}
		if len(batch) < 2000 {
			return nil
		}
	}
}

// AgencyIDsWithoutChain returns agencies that have no journal chain at all: every agency is
// created through the journal, so a missing chain means a whole chain was deleted.
func (q Q) AgencyIDsWithoutChain(ctx context.Context) ([]int64, error) {
	rows, err := q.query(ctx, `SELECT a.id FROM agencies a WHERE NOT EXISTS (SELECT 1 FROM journal_heads h WHERE h.chain = a.id)
		AND NOT EXISTS (SELECT 1 FROM journal j WHERE j.chain = a.id) ORDER BY a.id`)
	return scanAll(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// JournalCount counts all entries.
func (q Q) JournalCount(ctx context.Context) (int64, error) {
	var n int64
	err := q.row(ctx, "SELECT COUNT(*) FROM journal").Scan(&n)
	return n, err
}

// Backup writes a consistent copy of an SQLite database to path (VACUUM INTO reads one
// snapshot while other connections keep writing).
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return errors.New("backup of PostgreSQL: use pg_dump, e.g. pg_dump --format=custom --file=isogov.dump \"$ISOGOV_DB\"")
	}
	_, err := db.writer.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}
