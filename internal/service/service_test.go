package service_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

var ctx = context.Background()

// fastArgon keeps tests quick; production parameters are measured in bench/.
var fastArgon = service.ArgonParams{Time: 1, MemoryK: 1024, Threads: 1}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newService(t *testing.T, db *store.DB) (*service.Service, *clock) {
	c := &clock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
	return service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir()}, c.now, nil), c
}

// seed creates a small province: UBNDT with SKHCN and SNV under it, and one user per role.
func seed(t *testing.T, svc *service.Service) map[string]*qms.Actor {
	t.Helper()
	for _, a := range []service.AgencyInput{
		{Code: "UBNDT", Name: "Ủy ban nhân dân tỉnh Nghệ An", Kind: qms.KindProvincialCommittee},
		{Code: "SKHCN", Name: "Sở Khoa học và Công nghệ", Kind: qms.KindDepartment, ParentCode: "UBNDT"},
		{Code: "SNV", Name: "Sở Nội vụ", Kind: qms.KindDepartment, ParentCode: "UBNDT"},
	} {
		if _, err := svc.CreateAgency(ctx, service.System, a); err != nil {
			t.Fatal(err)
		}
	}
	actors := map[string]*qms.Actor{}
	for _, role := range []string{"admin", "coordinator", "observer", "leader@SKHCN", "secretary@SKHCN", "staff@SKHCN", "auditor@SKHCN", "consultant@SKHCN", "leader@SNV"} {
		email := strings.NewReplacer("@", ".", "_", "").Replace(role) + "@test.vn"
		u, err := svc.CreateUser(ctx, service.System, service.UserInput{Email: email, Name: role, Password: "Kh0ng-de-doan-2026", Roles: []string{role}})
		if err != nil {
			t.Fatalf("user %s: %v", role, err)
		}
		actors[role] = &qms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Grants: u.Grants}
	}
	return actors
}

// Every service method refuses actors without the permission, whatever the handler did.
func TestServiceAuthorization(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		who := seed(t, svc)
		n := 0
		next := func() string { n++; return "U" + strconv.Itoa(n) }
		unit := func(a *qms.Actor, code string) error {
			_, err := svc.CreateUnit(ctx, a, code, service.UnitInput{Code: next(), Name: "Phòng"})
			return err
		}
		units := func(a *qms.Actor, code string) error { _, _, err := svc.Units(ctx, a, code); return err }
		journal := func(a *qms.Actor, code string) error {
			_, err := svc.Journal(ctx, a, service.JournalQuery{AgencyCode: code, Limit: 5})
			return err
		}
		createAgency := func(a *qms.Actor, _ string) error {
			_, err := svc.CreateAgency(ctx, a, service.AgencyInput{Code: next(), Name: "Mới", Kind: qms.KindOther})
			return err
		}
		listUsers := func(a *qms.Actor, _ string) error {
			_, err := svc.Users(ctx, a, store.UserFilter{Limit: 5})
			return err
		}

		cases := []struct {
			name  string
			do    func(*qms.Actor, string) error
			code  string
			allow []string
		}{
			{"create unit SKHCN", unit, "SKHCN", []string{"admin", "coordinator", "leader@SKHCN", "secretary@SKHCN"}},
			{"read units SKHCN", units, "SKHCN", []string{"admin", "coordinator", "observer", "leader@SKHCN", "secretary@SKHCN", "staff@SKHCN", "auditor@SKHCN", "consultant@SKHCN"}},
			{"read units SNV", units, "SNV", []string{"admin", "coordinator", "observer", "leader@SNV"}},
			{"journal SKHCN", journal, "SKHCN", []string{"admin", "coordinator", "observer", "leader@SKHCN", "secretary@SKHCN"}},
			{"journal SNV", journal, "SNV", []string{"admin", "coordinator", "observer", "leader@SNV"}},
			{"create agency", createAgency, "", []string{"admin", "coordinator"}},
			{"list users", listUsers, "", []string{"admin"}},
		}
		for _, c := range cases {
			for role, a := range who {
				err := c.do(a, c.code)
				allowed := contains(c.allow, role)
				if allowed && err != nil {
					t.Errorf("%s as %s: %v, want allowed", c.name, role, err)
				}
				if !allowed && qms.ErrorCode(err) != qms.EForbidden {
					t.Errorf("%s as %s: %v, want forbidden", c.name, role, err)
				}
			}
			if err := c.do(nil, c.code); qms.ErrorCode(err) != qms.EUnauthenticated {
				t.Errorf("%s anonymous: %v, want unauthenticated", c.name, err)
			}
		}
	})
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Bad input is refused with field errors and nothing is stored.
func TestAgencyValidation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		seed(t, svc)
		before, _ := db.JournalCount(ctx)
		for _, c := range []struct {
			in    service.AgencyInput
			field string
		}{
			{service.AgencyInput{Code: "", Name: "X", Kind: qms.KindOther}, "code"},
			{service.AgencyInput{Code: "sở", Name: "X", Kind: qms.KindOther}, "code"},
			{service.AgencyInput{Code: "A B", Name: "X", Kind: qms.KindOther}, "code"},
			{service.AgencyInput{Code: "SKHCN", Name: "X", Kind: qms.KindOther}, "code"},
			{service.AgencyInput{Code: "OK1", Name: "", Kind: qms.KindOther}, "name"},
			{service.AgencyInput{Code: "OK1", Name: strings.Repeat("á", 201), Kind: qms.KindOther}, "name"},
			{service.AgencyInput{Code: "OK1", Name: "a\x00b", Kind: qms.KindOther}, "name"},
			{service.AgencyInput{Code: "OK1", Name: "X", Kind: "ministry"}, "kind"},
			{service.AgencyInput{Code: "OK1", Name: "X", Kind: qms.KindOther, ParentCode: "NOPE"}, "parent_code"},
		} {
			_, err := svc.CreateAgency(ctx, service.System, c.in)
			e, ok := err.(*qms.Error)
			if !ok || e.Code != qms.EInvalid || len(e.Fields) == 0 || e.Fields[0].Field != c.field {
				t.Errorf("%+v: err = %v, want invalid %s", c.in, err, c.field)
			}
		}
		if _, err := svc.UpdateAgency(ctx, service.System, "UBNDT", service.AgencyInput{Name: "UBND", Kind: qms.KindProvincialCommittee, ParentCode: "SKHCN"}); err == nil {
			t.Error("a cycle in the hierarchy was accepted")
		}
		// Markup is stored as typed and escaped on output, never interpreted.
		a, err := svc.CreateAgency(ctx, service.System, service.AgencyInput{Code: "XSS", Name: `<script>alert(1)</script>'; DROP TABLE agencies;--`, Kind: qms.KindOther})
		if err != nil || a.Name != `<script>alert(1)</script>'; DROP TABLE agencies;--` {
			t.Errorf("text with markup: %+v, %v", a, err)
		}
		after, _ := db.JournalCount(ctx)
		if after != before+1 {
			t.Errorf("journal grew by %d, want 1 (only the valid agency)", after-before)
		}
	})
}

// Closing an agency links its successors both ways and journals both chains.
func TestCloseWithSuccessor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		seed(t, svc)
		in := service.CloseInput{On: qms.NewDate(2025, 7, 1), Kind: qms.LinkMerge, Successors: []string{"SNV"}}
		if _, err := svc.CloseAgency(ctx, service.System, "SKHCN", in); err != nil {
			t.Fatal(err)
		}
		v, err := svc.Agency(ctx, service.System, "SNV")
		if err != nil || len(v.Links) != 1 || v.Links[0].FromCode != "SKHCN" || v.Links[0].Kind != qms.LinkMerge {
			t.Fatalf("successor view: %+v, %v", v.Links, err)
		}
		if _, err := svc.CloseAgency(ctx, service.System, "SKHCN", in); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("closing twice: %v", err)
		}
		if _, err := svc.CloseAgency(ctx, service.System, "SNV", service.CloseInput{On: qms.NewDate(2025, 7, 1), Kind: qms.LinkMerge, Successors: []string{"SKHCN"}}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("closed successor accepted: %v", err)
		}
		active, _ := svc.Agencies(ctx, service.System, store.AgencyFilter{})
		all, _ := svc.Agencies(ctx, service.System, store.AgencyFilter{IncludeClosed: true})
		if len(active) != 2 || len(all) != 3 {
			t.Errorf("active %d, all %d; want 2 and 3", len(active), len(all))
		}
		if _, err := service.Verify(ctx, db, nil); err != nil {
			t.Error(err)
		}
	})
}

// Sessions end after the idle timeout and after the absolute timeout.
func TestSessionTimeouts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clk := newService(t, db)
		seed(t, svc)
		res, err := svc.SignIn(ctx, "admin@test.vn", "Kh0ng-de-doan-2026", "10.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		if a, _, err := svc.SessionActor(ctx, res.Secret); err != nil || a.Email != "admin@test.vn" {
			t.Fatalf("fresh session: %v", err)
		}
		// Active every 90 minutes: the idle timeout (2 h) never trips, the absolute one (12 h) does.
		for i := 0; i < 7; i++ {
			clk.add(90 * time.Minute)
			if _, _, err := svc.SessionActor(ctx, res.Secret); err != nil {
				t.Fatalf("after %d × 90 min: %v", i+1, err)
			}
		}
		clk.add(90 * time.Minute)
		if _, _, err := svc.SessionActor(ctx, res.Secret); qms.ErrorCode(err) != qms.EUnauthenticated {
			t.Errorf("past the absolute timeout: %v", err)
		}
		res2, _ := svc.SignIn(ctx, "admin@test.vn", "Kh0ng-de-doan-2026", "10.0.0.1", "test")
		clk.add(2*time.Hour + time.Second)
		if _, _, err := svc.SessionActor(ctx, res2.Secret); qms.ErrorCode(err) != qms.EUnauthenticated {
			t.Errorf("past the idle timeout: %v", err)
		}
		if _, _, err := svc.SessionActor(ctx, "forged"); qms.ErrorCode(err) != qms.EUnauthenticated {
			t.Errorf("forged cookie: %v", err)
		}
	})
}

// Five failures lock the account for 15 minutes, even for the right password; an address
// that tries too many accounts is slowed down too.
func TestSignInRateLimit(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	svc, clk := newService(t, db)
	seed(t, svc)
	for i := 0; i < 5; i++ {
		if _, err := svc.SignIn(ctx, "admin@test.vn", "wrong-password", "10.0.0.2", ""); qms.ErrorCode(err) != qms.EUnauthenticated {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	_, err := svc.SignIn(ctx, "admin@test.vn", "Kh0ng-de-doan-2026", "10.0.0.3", "")
	if qms.ErrorCode(err) != qms.ERateLimited {
		t.Fatalf("locked account: %v", err)
	}
	if e := err.(*qms.Error); len(e.Args) != 1 || e.Args[0].(int) != 15 {
		t.Errorf("wait = %v, want 15 minutes", e.Args)
	}
	clk.add(15 * time.Minute)
	if _, err := svc.SignIn(ctx, "admin@test.vn", "Kh0ng-de-doan-2026", "10.0.0.3", ""); err != nil {
		t.Errorf("after the lock: %v", err)
	}
	for i := 0; i < 30; i++ {
		_, _ = svc.SignIn(ctx, "nobody"+string(rune('a'+i%26))+"@test.vn", "x", "10.0.0.9", "")
	}
	if _, err := svc.SignIn(ctx, "staff.skhcn@test.vn", "Kh0ng-de-doan-2026", "10.0.0.9", ""); qms.ErrorCode(err) != qms.ERateLimited {
		t.Errorf("address over its limit: %v", err)
	}
}

// Weak passwords are refused with the reason.
func TestPasswordPolicy(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	svc, _ := newService(t, db)
	for pw, want := range map[string]string{
		"short1":              "err.password_short",
		"1234567890":          "err.password_common",
		"Password123":         "err.password_common",
		"matkhau2024!":        "err.password_common",
		"aaaaaaaaaaaa":        "err.password_common",
		"nguyenvana-2026":     "err.password_email",
		"Kh0ng-de-doan-2026":  "",
		"Tôi là công chức 26": "",
	} {
		_, err := svc.CreateUser(ctx, service.System, service.UserInput{Email: "nguyenvana@test.vn", Name: "A", Password: pw})
		got := ""
		if e, ok := err.(*qms.Error); ok && len(e.Fields) > 0 {
			got = e.Fields[0].Message
		} else if err != nil {
			t.Fatalf("%q: %v", pw, err)
		}
		if got != want {
			t.Errorf("password %q: %q, want %q", pw, got, want)
		}
		if err == nil {
			db2 := testdb.Open(t, "sqlite") // the e-mail is now taken: start over
			svc, _ = newService(t, db2)
		}
	}
}

// API tokens work until revoked or expired, and are stored only as hashes.
func TestTokens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clk := newService(t, db)
		who := seed(t, svc)
		staff := who["staff@SKHCN"]
		nt, err := svc.CreateToken(ctx, staff, "một cửa", qms.NewDate(2026, 12, 1))
		if err != nil {
			t.Fatal(err)
		}
		a, err := svc.TokenActor(ctx, nt.Secret)
		if err != nil || a.UserID != staff.UserID {
			t.Fatalf("token actor: %+v, %v", a, err)
		}
		if nt.Token.Hash == nt.Secret || strings.Contains(nt.Token.Hash, nt.Secret) {
			t.Error("the secret is stored")
		}
		clk.add(5 * 24 * time.Hour)
		if _, err := svc.TokenActor(ctx, nt.Secret); qms.ErrorCode(err) != qms.EUnauthenticated {
			t.Errorf("expired token: %v", err)
		}
		nt2, _ := svc.CreateToken(ctx, staff, "khác", qms.Date{})
		if err := svc.RevokeToken(ctx, who["leader@SKHCN"], nt2.Token.ID); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("revoking another user's token: %v", err)
		}
		if err := svc.RevokeToken(ctx, staff, nt2.Token.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.TokenActor(ctx, nt2.Secret); qms.ErrorCode(err) != qms.EUnauthenticated {
			t.Errorf("revoked token: %v", err)
		}
	})
}
