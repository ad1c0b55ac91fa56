// Package service holds isogov's use cases. Every method takes the acting user, checks the
// permission first, writes its journal entry in the same transaction as the change, and
// returns domain errors with codes.
package service

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// Config tunes the service; zero values take the defaults.
type Config struct {
	SessionIdle     time.Duration // sign out after this long without a request (default 2 h)
	SessionAbsolute time.Duration // sign out this long after sign-in whatever happens (default 12 h)
	Argon           ArgonParams
	DataDir         string // uploaded files live under it (default ./data)
	FileLimit       int64  // largest upload in bytes (default 25 MiB)
	// AuditReminders are how many days before an internal audit its team and the agency's
	// managers are reminded (default 14 and 7).
	AuditReminders []int
	// LeadAgency is the code of the Department of Science and Technology, which issues the
	// province's consolidated reports (default SKHCN).
	LeadAgency string
	Mail       Mail // SMTP; no address: notifications stay in the inbox
}

// Service is the set of use cases over one database.
type Service struct {
	db       *store.DB
	cfg      Config
	now      func() time.Time
	log      *slog.Logger
	limiter  *signInLimiter
	lookups  *signInLimiter // the public dossier look-up: per code, per address
	hashSem  chan struct{}
	calendar calendarCache
	files    *store.Files
}

// FileLimit is the largest upload accepted, in bytes.
func (s *Service) FileLimit() int64 { return s.cfg.FileLimit }

// New returns a service over db. now is the clock (time.Now in production; tests move it).
func New(db *store.DB, cfg Config, now func() time.Time, log *slog.Logger) *Service {
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 2 * time.Hour
	}
	if cfg.SessionAbsolute == 0 {
		cfg.SessionAbsolute = 12 * time.Hour
	}
	if cfg.Argon == (ArgonParams{}) {
		cfg.Argon = DefaultArgon
	}
	if now == nil {
		now = time.Now
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	if cfg.FileLimit == 0 {
		cfg.FileLimit = 25 << 20
	}
	if cfg.LeadAgency == "" {
		cfg.LeadAgency = "SKHCN"
	}
	if len(cfg.AuditReminders) == 0 {
		cfg.AuditReminders = DefaultAuditReminders
	}
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: db, cfg: cfg, now: now, log: log, limiter: newSignInLimiter(), lookups: newSignInLimiter(),
		hashSem: make(chan struct{}, hashConcurrency()), files: store.NewFiles(cfg.DataDir)}
}

// DB exposes the database to the edges that need it for health checks and backups.
func (s *Service) DB() *store.DB { return s.db }

// System is the actor of changes made by the command line and the demo loader.
var System = &qms.Actor{UserID: 0, Name: "system", Grants: []qms.Grant{{Role: qms.RoleAdmin}}}

// record appends one journal entry for a change made by actor in tx.
func (s *Service) record(ctx context.Context, tx *store.Tx, actor *qms.Actor, chain int64, action, objectType string, objectID int64, changes qms.Changes) error {
	e := &qms.JournalEntry{
		Chain: chain, At: s.now(), ActorID: actor.UserID, ActorName: actorName(actor), Action: action,
		ObjectType: objectType, ObjectID: strconv.FormatInt(objectID, 10), Changes: qms.EncodeChanges(changes),
	}
	return tx.AppendJournal(ctx, e)
}

func actorName(a *qms.Actor) string {
	if a.Email != "" {
		return a.Name + " <" + a.Email + ">"
	}
	return a.Name
}

// Counts is what the home page shows.
type Counts struct {
	Agencies       int
	Users          int
	JournalEntries int64
	RolesByName    map[qms.Role]int
}

// Counts returns figures for the actor's home page: the province's when the actor oversees
// it, else only their own agency's role counts.
func (s *Service) Counts(ctx context.Context, actor *qms.Actor, agencyCode string) (Counts, error) {
	var c Counts
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return c, err
	}
	var err error
	if c.Agencies, err = s.db.CountAgencies(ctx); err != nil {
		return c, err
	}
	if actor.Can(qms.PermProvinceOversee, "") {
		if c.Users, err = s.db.CountUsers(ctx); err != nil {
			return c, err
		}
		if c.JournalEntries, err = s.db.JournalCount(ctx); err != nil {
			return c, err
		}
		c.RolesByName, err = s.db.CountGrantsByRole(ctx, 0)
		return c, err
	}
	if agencyCode != "" && actor.Can(qms.PermUnitRead, agencyCode) {
		a, err := s.db.AgencyByCode(ctx, agencyCode)
		if err != nil {
			return c, err
		}
		c.RolesByName, err = s.db.CountGrantsByRole(ctx, a.ID)
		return c, err
	}
	return c, nil
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }
