package service_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/testdb"
)

// isogov verify must catch every way of altering the journal directly in the database:
// an edited entry, a deleted one, two swapped, the end of a chain cut off, a whole chain
// removed, and a forged head. Each case starts from a fresh, intact journal.
func TestVerifyCatchesTampering(t *testing.T) {
	cases := []struct {
		name   string
		sql    []string
		reason string
	}{
		{"edited changes", []string{`UPDATE journal SET changes = '{"name":{"new":"Sở giả mạo"}}' WHERE chain = CHAIN AND seq = 1`}, "edited"},
		{"edited actor", []string{`UPDATE journal SET actor_name = 'người khác' WHERE chain = CHAIN AND seq = 2`}, "edited"},
		{"edited time", []string{`UPDATE journal SET at = at + 1 WHERE chain = 0 AND seq = 1`}, "edited"},
		{"deleted middle entry", []string{`DELETE FROM journal WHERE chain = CHAIN AND seq = 2`}, "sequence gap"},
		{"deleted and renumbered", []string{
			`DELETE FROM journal WHERE chain = CHAIN AND seq = 2`,
			`UPDATE journal SET seq = seq - 1 WHERE chain = CHAIN AND seq > 2`,
			`UPDATE journal_heads SET seq = seq - 1 WHERE chain = CHAIN`}, "previous hash"},
		{"reordered", []string{
			`UPDATE journal SET seq = -1 WHERE chain = CHAIN AND seq = 1`,
			`UPDATE journal SET seq = 1 WHERE chain = CHAIN AND seq = 2`,
			`UPDATE journal SET seq = 2 WHERE chain = CHAIN AND seq = -1`}, "previous hash"},
		{"last entry removed", []string{`DELETE FROM journal WHERE chain = CHAIN AND seq = (SELECT MAX(seq) FROM journal WHERE chain = CHAIN)`}, "head"},
		{"whole chain removed", []string{`DELETE FROM journal WHERE chain = CHAIN`, `DELETE FROM journal_heads WHERE chain = CHAIN`}, "no journal chain"},
		{"forged head", []string{`UPDATE journal_heads SET hash = 'abc' WHERE chain = CHAIN`}, "head"},
	}
	for _, dialect := range testdb.Dialects() {
		for _, c := range cases {
			t.Run(dialect+"/"+c.name, func(t *testing.T) {
				dsn := testdb.DSN(t, dialect)
				db := testdb.OpenDSN(t, dsn)
				svc, _ := newService(t, db)
				seed(t, svc)
				a, _ := db.AgencyByCode(ctx, "SKHCN")
				for _, u := range []string{"P1", "P2"} {
					if _, err := svc.CreateUnit(ctx, service.System, "SKHCN", service.UnitInput{Code: u, Name: "Phòng " + u}); err != nil {
						t.Fatal(err)
					}
				}
				res, err := service.Verify(ctx, db, nil)
				if err != nil || res.Entries == 0 {
					t.Fatalf("intact journal: %+v, %v", res, err)
				}
				raw := testdb.Raw(t, dsn)
				for _, q := range c.sql {
					if _, err := raw.Exec(strings.ReplaceAll(q, "CHAIN", itoa(a.ID))); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				_, err = service.Verify(ctx, db, nil)
				var ce *qms.ChainError
				if !errors.As(err, &ce) {
					t.Fatalf("tampering not caught: %v", err)
				}
				if !strings.Contains(ce.Error(), c.reason) {
					t.Errorf("reason %q does not say %q", ce.Error(), c.reason)
				}
			})
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
