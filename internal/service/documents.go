package service

import (
	"context"
	"strconv"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// SeedDocTypes loads the shipped document types into a database that has none.
func (s *Service) SeedDocTypes(ctx context.Context) error {
	existing, err := s.db.DocTypes(ctx)
	if err != nil || len(existing) > 0 {
		return err
	}
	types := qms.DefaultDocTypes()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, t := range types {
			if err := tx.CreateDocType(ctx, t); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, System, qms.ProvinceChain, "doctype.seed", "doc_types", 0, qms.Changes{"count": {New: strconv.Itoa(len(types))}})
	})
}

// SeedReferenceData loads every kind of shipped reference data that the database lacks.
func (s *Service) SeedReferenceData(ctx context.Context) error {
	if err := s.SeedStepTemplates(ctx); err != nil {
		return err
	}
	return s.SeedDocTypes(ctx)
}

// DocTypes returns the document types; every signed-in user may read them.
func (s *Service) DocTypes(ctx context.Context, actor *qms.Actor) ([]qms.DocType, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.DocTypes(ctx)
}

// CreateDocType adds a document type (coordinator).
func (s *Service) CreateDocType(ctx context.Context, actor *qms.Actor, t qms.DocType) (qms.DocType, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return t, err
	}
	if err := t.Validate(); err != nil {
		return t, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateDocType(ctx, t); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "doctype.create", "doc_type", 0, docTypeChanges(qms.DocType{}, t))
	})
	return t, err
}

// UpdateDocType changes a document type (coordinator); its code stays.
func (s *Service) UpdateDocType(ctx context.Context, actor *qms.Actor, code string, t qms.DocType) (qms.DocType, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return t, err
	}
	t.Code = code
	if err := t.Validate(); err != nil {
		return t, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.DocType(ctx, code)
		if err != nil {
			return err
		}
		ch := docTypeChanges(old, t)
		if len(ch) == 0 {
			return nil
		}
		if err := tx.UpdateDocType(ctx, t); err != nil {
			return err
		}
		ch["doc_type"] = qms.Change{Old: code, New: code}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "doctype.update", "doc_type", 0, ch)
	})
	return t, err
}

func docTypeChanges(old, t qms.DocType) qms.Changes {
	ch := qms.Changes{}
	ch.Diff("code", old.Code, t.Code)
	ch.Diff("name_vi", old.NameVI, t.NameVI)
	ch.Diff("name_en", old.NameEN, t.NameEN)
	ch.Diff("code_pattern", old.CodePattern, t.CodePattern)
	ch.Diff("review_months", old.ReviewMonths, t.ReviewMonths)
	ch.Diff("comment_round", old.CommentRound, t.CommentRound)
	ch.Diff("approver", string(old.Approver), string(t.Approver))
	ch.Diff("self_approval", old.SelfApproval, t.SelfApproval)
	ch.Diff("retain_years", old.RetainYears, t.RetainYears)
	ch.Diff("external", old.External, t.External)
	ch.Diff("mandatory_2008", old.Mandatory2008, t.Mandatory2008)
	return ch
}

// DocType returns one document type.
func (s *Service) DocType(ctx context.Context, actor *qms.Actor, code string) (qms.DocType, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return qms.DocType{}, err
	}
	return s.db.DocType(ctx, code)
}
