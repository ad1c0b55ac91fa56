package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// JournalQuery selects journal entries: one agency's chain (AgencyCode), the province chain
// (Province), or one object's entries within either.
type JournalQuery struct {
	AgencyCode string
	Province   bool
	ObjectType string
	ObjectID   string
	BeforeID   int64
	Limit      int
}

// Journal returns entries newest first. An agency's journal needs journal.read for that
// agency; the province chain and the whole journal need it for the province.
func (s *Service) Journal(ctx context.Context, actor *qms.Actor, q JournalQuery) ([]qms.JournalEntry, error) {
	f := store.JournalFilter{ObjectType: q.ObjectType, ObjectID: q.ObjectID, BeforeID: q.BeforeID, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	switch {
	case q.AgencyCode != "":
		code := qms.NormalizeCode(q.AgencyCode)
		if err := actor.Require(qms.PermJournalRead, code); err != nil {
			return nil, err
		}
		a, err := s.db.AgencyByCode(ctx, code)
		if err != nil {
			return nil, err
		}
		f.Chain = &a.ID
	default:
		if err := actor.Require(qms.PermJournalRead, ""); err != nil {
			return nil, err
		}
		if q.Province {
			chain := qms.ProvinceChain
			f.Chain = &chain
		}
	}
	return s.db.ListJournal(ctx, f)
}

// VerifyResult says how much of the journal was checked.
type VerifyResult struct {
	Chains  int
	Entries int64
}

// Verify walks every chain and checks each entry's hash and link to its predecessor, each
// chain's end against its recorded head, and that every agency has a chain. It returns the
// first broken entry as a *qms.ChainError.
func Verify(ctx context.Context, db *store.DB, progress func(chain int64, entries int64)) (VerifyResult, error) {
	var res VerifyResult
	heads, err := db.JournalChains(ctx)
	if err != nil {
		return res, err
	}
	for _, h := range heads {
		c := qms.ChainCheck{Chain: h.Chain}
		if err := db.EachJournalEntry(ctx, h.Chain, c.Next); err != nil {
			return res, err
		}
		if err := c.Finish(h.Seq, h.Hash); err != nil {
			return res, err
		}
		res.Chains++
		res.Entries += c.Count
		if progress != nil {
			progress(h.Chain, res.Entries)
		}
	}
	missing, err := db.AgencyIDsWithoutChain(ctx)
	if err != nil {
		return res, err
	}
	if len(missing) > 0 {
		return res, &qms.ChainError{Chain: missing[0], Reason: fmt.Sprintf("agency %d has no journal chain (the whole chain was deleted)", missing[0])}
	}
	return res, nil
}

// IsChainError reports whether err says the journal was tampered with.
func IsChainError(err error) bool {
	var ce *qms.ChainError
	return errors.As(err, &ce)
}
