package service

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// ProcedureInput is a procedure of the catalogue as a form or the API gives it.
type ProcedureInput struct {
	Code          string          `json:"code"`
	Name          string          `json:"name"`
	Field         string          `json:"field"`
	Level         qms.ProcLevel   `json:"level"`
	Agencies      []string        `json:"agencies"`
	TimeLimitDays int             `json:"time_limit_days"`
	Fees          string          `json:"fees"`
	Components    string          `json:"components"`
	Result        string          `json:"result"`
	Online        qms.OnlineLevel `json:"online"`
	Anywhere      bool            `json:"anywhere"`
	Status        qms.ProcStatus  `json:"status"`
	EffectiveOn   qms.Date        `json:"effective_on"`
	Decision      string          `json:"decision"`
	LegalBases    string          `json:"legal_bases"`
}

func (in ProcedureInput) procedure() qms.Procedure {
	return qms.Procedure{Code: in.Code, Name: in.Name, Field: in.Field, Level: in.Level, Agencies: in.Agencies, TimeLimitDays: in.TimeLimitDays,
		Fees: in.Fees, Components: in.Components, Result: in.Result, Online: in.Online, Anywhere: in.Anywhere, Status: in.Status,
		EffectiveOn: in.EffectiveOn, Decision: in.Decision, LegalBases: in.LegalBases}
}

// ProcedureQuery is a search of the catalogue: a filter, optionally one agency's list (its code).
type ProcedureQuery struct {
	store.ProcedureFilter
	Agency string
}

// Procedures lists the catalogue (or one agency's procedures) for anyone signed in: the
// catalogue is public information.
func (s *Service) Procedures(ctx context.Context, actor *qms.Actor, q ProcedureQuery) ([]qms.Procedure, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	var v qms.Validation
	if q.Level != "" && !slices.Contains(qms.ProcLevels, q.Level) {
		v.Add("level", "err.choice")
	}
	if q.Status != "" && !slices.Contains(qms.ProcStatuses, q.Status) {
		v.Add("status", "err.choice")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if code := qms.NormalizeCode(q.Agency); code != "" {
		a, err := s.db.AgencyByCode(ctx, code)
		if err != nil {
			return nil, err
		}
		q.AgencyID = a.ID
	}
	return s.db.Procedures(ctx, q.ProcedureFilter)
}

// Procedure returns one procedure of the catalogue.
func (s *Service) Procedure(ctx context.Context, actor *qms.Actor, code string) (qms.Procedure, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return qms.Procedure{}, err
	}
	return s.db.ProcedureByCode(ctx, qms.NormalizeProcCode(code))
}

// ProcedureFields lists the fields the catalogue uses, for filters and forms.
func (s *Service) ProcedureFields(ctx context.Context, actor *qms.Actor) ([]string, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.ProcedureFields(ctx)
}

// SaveProcedure adds a procedure to the catalogue (code "") or changes the one with the code;
// the coordinator keeps the catalogue. Every change is journaled with what changed.
func (s *Service) SaveProcedure(ctx context.Context, actor *qms.Actor, code string, in ProcedureInput) (qms.Procedure, error) {
	p := in.procedure()
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return p, err
	}
	code = qms.NormalizeProcCode(code)
	if code != "" {
		p.Code = code
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var old qms.Procedure
		action := "procedure.create"
		if code != "" {
			var err error
			if old, err = tx.ProcedureByCode(ctx, code); err != nil {
				return err
			}
			p.ID, p.CreatedAt, action = old.ID, old.CreatedAt, "procedure.update"
		}
		var ids []int64
		for _, c := range p.Agencies {
			a, err := tx.AgencyByCode(ctx, c)
			if qms.ErrorCode(err) == qms.ENotFound {
				return fieldErr("agencies", "err.proc_agency_unknown", c)
			}
			if err != nil {
				return err
			}
			ids = append(ids, a.ID)
		}
		if err := tx.SaveProcedure(ctx, &p, ids, s.now()); err != nil {
			return err
		}
		ch := procedureChanges(old, p)
		if len(ch) == 0 {
			return nil
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, action, "procedure", p.ID, ch)
	})
	return p, err
}

func procedureChanges(old, p qms.Procedure) qms.Changes {
	ch := qms.Changes{}
	ch.Diff("code", old.Code, p.Code)
	ch.Diff("name", old.Name, p.Name)
	ch.Diff("field", old.Field, p.Field)
	ch.Diff("level", string(old.Level), string(p.Level))
	ch.Diff("agencies", strings.Join(old.Agencies, ", "), strings.Join(p.Agencies, ", "))
	ch.Diff("time_limit_days", strconv.Itoa(old.TimeLimitDays), strconv.Itoa(p.TimeLimitDays))
	ch.Diff("fees", old.Fees, p.Fees)
	ch.Diff("components", old.Components, p.Components)
	ch.Diff("result", old.Result, p.Result)
	ch.Diff("online", string(old.Online), string(p.Online))
	ch.Diff("anywhere", old.Anywhere, p.Anywhere)
	ch.Diff("status", string(old.Status), string(p.Status))
	ch.Diff("effective_on", old.EffectiveOn.String(), p.EffectiveOn.String())
	ch.Diff("decision", old.Decision, p.Decision)
	ch.Diff("legal_bases", old.LegalBases, p.LegalBases)
	return ch
}
