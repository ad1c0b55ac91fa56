package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrations embed.FS

// Migrate applies every pending migration of the database's dialect, completes the search
// index, and returns how many migrations ran.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	sub, err := fs.Sub(migrations, "migrations/"+db.dialect.String())
	if err != nil {
		return 0, err
	}
	gd := goose.DialectSQLite3
	if db.dialect == Postgres {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, db.writer, sub)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate: %w", err)
	}
	// Data written before the search index existed gets its entries.
	if _, err := db.IndexMissing(ctx, nil); err != nil {
		return len(res), fmt.Errorf("search index: %w", err)
	}
	return len(res), nil
}
