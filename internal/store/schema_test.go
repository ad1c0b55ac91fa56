package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"testing"
)

// column is what the two schemas must agree on.
type column struct {
	Name, Type string
	NotNull    bool
}

// normalType folds each dialect's spelling of a column type into one word.
func normalType(t string) string {
	switch strings.ToLower(t) {
	case "integer", "bigint":
		return "int"
	case "text":
		return "text"
	case "boolean":
		return "bool"
	case "double precision":
		return "float"
	}
	return "?" + t
}

// The full-text index is the one place the dialects differ by design (migration 00011):
// SQLite's FTS5 table with its shadow tables, PostgreSQL's tsvector column and GIN index.
const (
	sqliteOnlyTables = "search_fts%"
	postgresOnlyCol  = "tsv"
	postgresOnlyIdx  = "search_entries_tsv"
)

func schemaOf(t *testing.T, db *DB) map[string][]column {
	t.Helper()
	ctx := context.Background()
	out := map[string][]column{}
	var rows *sql.Rows
	var err error
	if db.dialect == SQLite {
		rows, err = db.reader.QueryContext(ctx, `SELECT m.name, p.name, p.type, p."notnull" OR p.pk FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version' AND m.name NOT LIKE ?`, sqliteOnlyTables)
	} else {
		rows, err = db.reader.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'goose_db_version' AND NOT (table_name = 'search_entries' AND column_name = $1)`, postgresOnlyCol)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table string
		var c column
		if err := rows.Scan(&table, &c.Name, &c.Type, &c.NotNull); err != nil {
			t.Fatal(err)
		}
		c.Type = normalType(c.Type)
		out[table] = append(out[table], c)
	}
	for _, cols := range out {
		sort.Slice(cols, func(i, j int) bool { return cols[i].Name < cols[j].Name })
	}
	return out
}

func indexesOf(t *testing.T, db *DB) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`
	if db.dialect == Postgres {
		q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'
			AND tablename <> 'goose_db_version' AND indexname <> '` + postgresOnlyIdx + `'`
	}
	rows, err := db.reader.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
