package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

var ctx = context.Background()

var now = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

func mustAgency(t *testing.T, db *store.DB, code, name string, parent int64) qms.Agency {
	t.Helper()
	a := qms.Agency{Code: code, Name: name, Kind: qms.KindDepartment, ParentID: parent}
	if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateAgency(ctx, &a, now) }); err != nil {
		t.Fatal(err)
	}
	return a
}

// Agencies are found without diacritics, listed by code with a keyset cursor, and their codes are unique.
func TestAgencies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		root := mustAgency(t, db, "UBNDT", "Ủy ban nhân dân tỉnh Nghệ An", 0)
		mustAgency(t, db, "SKHCN", "Sở Khoa học và Công nghệ", root.ID)
		mustAgency(t, db, "SNV", "Sở Nội vụ", root.ID)
		mustAgency(t, db, "STP", "Sở Tư pháp", root.ID)

		for q, want := range map[string][]string{
			"so khoa hoc":    {"SKHCN"},
			"SỞ KHOA HỌC":    {"SKHCN"},
			"cong nghe so":   {"SKHCN"}, // words in any order
			"nghe an":        {"UBNDT"},
			"so":             {"SKHCN", "SNV", "STP"},
			"100%":           nil,
			"x' OR '1'='1":   nil,
			"noi vu; DROP T": nil,
		} {
			got, err := db.ListAgencies(ctx, store.AgencyFilter{Query: q})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			if codes(got) != join(want) {
				t.Errorf("search %q = %v, want %v", q, codes(got), want)
			}
		}

		page1, err := db.ListAgencies(ctx, store.AgencyFilter{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		page2, err := db.ListAgencies(ctx, store.AgencyFilter{Limit: 2, After: page1[1].Code})
		if err != nil {
			t.Fatal(err)
		}
		if codes(page1) != "SKHCN,SNV" || codes(page2) != "STP,UBNDT" {
			t.Errorf("pages = %s | %s", codes(page1), codes(page2))
		}

		dup := qms.Agency{Code: "SNV", Name: "Trùng", Kind: qms.KindOther}
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateAgency(ctx, &dup, now) })
		if qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("duplicate code: err = %v, want conflict", err)
		}

		got, err := db.AgencyByCode(ctx, "SKHCN")
		if err != nil || got.ParentCode != "UBNDT" || got.Name != "Sở Khoa học và Công nghệ" || !got.CreatedAt.Equal(now) {
			t.Errorf("AgencyByCode = %+v, %v", got, err)
		}
		if _, err := db.AgencyByCode(ctx, "NONE"); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("missing agency: %v", err)
		}
	})
}

func codes(list []qms.Agency) string {
	var out []string
	for _, a := range list {
		out = append(out, a.Code)
	}
	return join(out)
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

// A failed transaction leaves nothing behind.
func TestTxRollsBack(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			a := qms.Agency{Code: "X1", Name: "X", Kind: qms.KindOther}
			if err := tx.CreateAgency(ctx, &a, now); err != nil {
				return err
			}
			return qms.Errorf(qms.EInvalid, "err.invalid")
		})
		if qms.ErrorCode(err) != qms.EInvalid {
			t.Fatalf("err = %v", err)
		}
		if n, _ := db.CountAgencies(ctx); n != 0 {
			t.Errorf("%d agencies after rollback, want 0", n)
		}
	})
}

// Province-wide and agency role grants are each unique per user.
func TestGrantsUnique(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		a := mustAgency(t, db, "SKHCN", "Sở Khoa học và Công nghệ", 0)
		u := qms.User{Email: "a@b.vn", Name: "A", Lang: "vi", PasswordHash: "x"}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &u, now) }); err != nil {
			t.Fatal(err)
		}
		grant := func(role qms.Role, agency int64) error {
			g := qms.Grant{UserID: u.ID, Role: role, AgencyID: agency}
			return db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateGrant(ctx, &g, now) })
		}
		for _, c := range []struct {
			role   qms.Role
			agency int64
			want   string
		}{
			{qms.RoleAdmin, 0, ""}, {qms.RoleAdmin, 0, qms.EConflict},
			{qms.RoleLeader, a.ID, ""}, {qms.RoleLeader, a.ID, qms.EConflict}, {qms.RoleStaff, a.ID, ""},
		} {
			err := grant(c.role, c.agency)
			if got := ""; err != nil {
				got = qms.ErrorCode(err)
				if got != c.want {
					t.Errorf("grant %s@%d: %v, want %q", c.role, c.agency, err, c.want)
				}
			} else if c.want != "" {
				t.Errorf("grant %s@%d succeeded, want %s", c.role, c.agency, c.want)
			}
		}
		gs, err := db.Grants(ctx, u.ID)
		if err != nil || len(gs) != 3 || gs[1].AgencyCode != "SKHCN" {
			t.Errorf("grants = %+v, %v", gs, err)
		}
		dupUser := qms.User{Email: "a@b.vn", Name: "B", Lang: "vi", PasswordHash: "x"}
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &dupUser, now) })
		if qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("duplicate e-mail: %v", err)
		}
	})
}

// Journal entries chain within their chain; chains are independent.
func TestJournalAppend(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		for i, chain := range []int64{0, 7, 0, 7, 0} {
			e := &qms.JournalEntry{Chain: chain, At: now.Add(time.Duration(i) * time.Second), ActorName: "system", Action: "test", ObjectType: "x", ObjectID: "1", Changes: "{}"}
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.AppendJournal(ctx, e) }); err != nil {
				t.Fatal(err)
			}
		}
		heads, err := db.JournalChains(ctx)
		if err != nil || len(heads) != 2 || heads[0].Seq != 3 || heads[1].Seq != 2 {
			t.Fatalf("heads = %+v, %v", heads, err)
		}
		for _, h := range heads {
			c := qms.ChainCheck{Chain: h.Chain}
			if err := db.EachJournalEntry(ctx, h.Chain, c.Next); err != nil {
				t.Fatal(err)
			}
			if err := c.Finish(h.Seq, h.Hash); err != nil {
				t.Errorf("chain %d: %v", h.Chain, err)
			}
		}
		chain := int64(7)
		list, err := db.ListJournal(ctx, store.JournalFilter{Chain: &chain, Limit: 10})
		if err != nil || len(list) != 2 || list[0].Seq != 2 || list[0].PrevHash != list[1].Hash {
			t.Errorf("list = %+v, %v", list, err)
		}
	})
}

// A backup taken while another connection writes opens as a complete database.
func TestBackup(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	mustAgency(t, db, "SKHCN", "Sở Khoa học và Công nghệ", 0)
	to := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, to); err != nil {
		t.Fatal(err)
	}
	cp, err := store.Open(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if n, err := cp.CountAgencies(ctx); err != nil || n != 1 {
		t.Errorf("backup holds %d agencies, %v", n, err)
	}
}
