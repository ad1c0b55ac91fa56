package store_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// BenchmarkJournalAppend appends journal entries one transaction each, as services do,
// spread over 57 agency chains like the demo province. Target: ≥ 5,000 entries/s on SQLite
// with one writer (bench/README.md).
func BenchmarkJournalAppend(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := testdb.Open(b, dialect)
			changes := qms.EncodeChanges(qms.Changes{"name": {Old: "Sở Khoa học và Công nghệ", New: "Sở Khoa học, Công nghệ và Thông tin"}})
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			i := 0
			for b.Loop() {
				i++
				e := &qms.JournalEntry{Chain: int64(i%57 + 1), At: at, ActorID: 7, ActorName: "Trần Văn Hùng <dieuphoi@demo.isogov.vn>",
					Action: "agency.update", ObjectType: "agency", ObjectID: strconv.Itoa(i % 57), Changes: changes}
				if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.AppendJournal(ctx, e) }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}
