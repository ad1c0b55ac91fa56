package store_test

import (
	"fmt"
	"testing"

	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// The SQLite and PostgreSQL migrations must produce the same tables, columns, types,
// nullability and named indexes, so the two dialects cannot drift apart.
func TestSchemasAgree(t *testing.T) {
	if testdb.PostgresURL() == "" {
		t.Skip("ISOGOV_TEST_POSTGRES is not set: schema comparison needs PostgreSQL")
	}
	lite, pg := testdb.Open(t, "sqlite"), testdb.Open(t, "postgres")
	a, b := store.SchemaForTest(t, lite), store.SchemaForTest(t, pg)
	if len(a.Tables) == 0 {
		t.Fatal("no tables read from SQLite")
	}
	if fmt.Sprint(a.Tables) != fmt.Sprint(b.Tables) {
		t.Errorf("tables differ:\nsqlite:   %v\npostgres: %v", a.Tables, b.Tables)
	}
	if fmt.Sprint(a.Indexes) != fmt.Sprint(b.Indexes) {
		t.Errorf("indexes differ:\nsqlite:   %v\npostgres: %v", a.Indexes, b.Indexes)
	}
}
