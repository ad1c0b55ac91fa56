package store

import "testing"

// Schema is one database's tables and named indexes, for the cross-dialect comparison.
type Schema struct {
	Tables  map[string][]column
	Indexes []string
}

// SchemaForTest reads db's schema.
func SchemaForTest(t *testing.T, db *DB) Schema {
	return Schema{Tables: schemaOf(t, db), Indexes: indexesOf(t, db)}
}
