package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
)

const procedureColumns = `p.id, p.code, p.name, p.field, p.level, p.time_limit_days, p.fees, p.components, p.result, p.online, p.anywhere, p.status,
	p.effective_on, p.decision, p.legal_bases, p.created_at, p.updated_at`

func scanProcedure(r interface{ Scan(...any) error }) (qms.Procedure, error) {
	var p qms.Procedure
	var eff string
	var c, u int64
	err := r.Scan(&p.ID, &p.Code, &p.Name, &p.Field, &p.Level, &p.TimeLimitDays, &p.Fees, &p.Components, &p.Result, &p.Online, &p.Anywhere, &p.Status,
		&eff, &p.Decision, &p.LegalBases, &c, &u)
	p.EffectiveOn, _ = qms.ParseDate(eff)
	p.CreatedAt, p.UpdatedAt = fromMicros(c), fromMicros(u)
	return p, err
}

func procedureSearchText(p qms.Procedure) string {
	return search.Fold(p.Code + " " + p.Name + " " + p.Field + " " + p.Decision)
}

// ProcedureFilter selects procedures of the catalogue; zero values select everything.
type ProcedureFilter struct {
	Query    string // words matched without diacritics against code, name, field and decision
	Field    string
	Level    qms.ProcLevel
	Status   qms.ProcStatus
	AgencyID int64  // only the procedures this agency settles
	LegalID  int64  // only the procedures citing this legal document
	After    string // keyset cursor: codes after this one
	Limit    int    // 0: no limit
}

// Procedures returns the procedures matching f by code, each with its agencies' codes.
func (q Q) Procedures(ctx context.Context, f ProcedureFilter) ([]qms.Procedure, error) {
	var where []string
	var args []any
	for _, term := range search.Terms(f.Query) {
		where = append(where, `p.search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+search.EscapeLike(term)+"%")
	}
	for _, c := range []struct {
		col string
		v   string
	}{{"p.field", f.Field}, {"p.level", string(f.Level)}, {"p.status", string(f.Status)}} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if f.AgencyID != 0 {
		where = append(where, "p.id IN (SELECT procedure_id FROM procedure_agencies WHERE agency_id = ?)")
		args = append(args, f.AgencyID)
	}
	if f.LegalID != 0 {
		where = append(where, "p.id IN (SELECT procedure_id FROM procedure_legal_bases WHERE legal_id = ?)")
		args = append(args, f.LegalID)
	}
	if f.After != "" {
		where = append(where, "p.code > ?")
		args = append(args, f.After)
	}
	text := "SELECT " + procedureColumns + " FROM procedures p"
	if len(where) > 0 {
		text += " WHERE " + strings.Join(where, " AND ")
	}
	text += " ORDER BY p.code"
	if f.Limit > 0 {
		text += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := q.query(ctx, text, args...)
	list, err := scanAll(rows, err, func(r *sql.Rows) (qms.Procedure, error) { return scanProcedure(r) })
	if err != nil || len(list) == 0 {
		return list, err
	}
	ids := make([]int64, len(list))
	byID := map[int64]*qms.Procedure{}
	for i := range list {
		ids[i] = list[i].ID
		byID[list[i].ID] = &list[i]
	}
	in, idArgs := inList(ids)
	rows, err = q.query(ctx, "SELECT pa.procedure_id, a.code FROM procedure_agencies pa JOIN agencies a ON a.id = pa.agency_id WHERE pa.procedure_id IN "+in+
		" ORDER BY pa.procedure_id, a.code", idArgs...)
	type link struct {
		id   int64
		code string
	}
	links, err := scanAll(rows, err, func(r *sql.Rows) (link, error) {
		var l link
		return l, r.Scan(&l.id, &l.code)
	})
	for _, l := range links {
		byID[l.id].Agencies = append(byID[l.id].Agencies, l.code)
	}
	return list, err
}

// ProcedureByCode returns one procedure with its agencies.
func (q Q) ProcedureByCode(ctx context.Context, code string) (qms.Procedure, error) {
	p, err := scanProcedure(q.row(ctx, "SELECT "+procedureColumns+" FROM procedures p WHERE p.code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return p, qms.Errorf(qms.ENotFound, "err.proc_not_found")
	}
	if err != nil {
		return p, err
	}
	rows, err := q.query(ctx, "SELECT a.code FROM procedure_agencies pa JOIN agencies a ON a.id = pa.agency_id WHERE pa.procedure_id = ? ORDER BY a.code", p.ID)
	p.Agencies, err = scanAll(rows, err, func(r *sql.Rows) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
	return p, err
}

// ProcedureFields lists the fields (lĩnh vực) the catalogue uses.
func (q Q) ProcedureFields(ctx context.Context) ([]string, error) {
	rows, err := q.query(ctx, "SELECT DISTINCT field FROM procedures ORDER BY field")
	return scanAll(rows, err, func(r *sql.Rows) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
}

// SaveProcedure inserts a procedure, or updates the one with its code, and sets its agencies
// (by id).
func (q Q) SaveProcedure(ctx context.Context, p *qms.Procedure, agencyIDs []int64, now time.Time) error {
	var err error
	isNew := p.ID == 0
	if isNew {
		p.ID, err = q.insert(ctx, `INSERT INTO procedures (code, name, field, level, time_limit_days, fees, components, result, online, anywhere, status,
			effective_on, decision, legal_bases, search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.Code, p.Name, p.Field, p.Level, p.TimeLimitDays, p.Fees, p.Components, p.Result, p.Online, p.Anywhere, p.Status,
			p.EffectiveOn.String(), p.Decision, p.LegalBases, procedureSearchText(*p), micros(now), micros(now))
		if err != nil {
			return conflict(err, "err.proc_code_taken")
		}
		p.CreatedAt = now
	} else {
		_, err = q.exec(ctx, `UPDATE procedures SET name = ?, field = ?, level = ?, time_limit_days = ?, fees = ?, components = ?, result = ?, online = ?,
			anywhere = ?, status = ?, effective_on = ?, decision = ?, legal_bases = ?, search_text = ?, updated_at = ? WHERE id = ?`,
			p.Name, p.Field, p.Level, p.TimeLimitDays, p.Fees, p.Components, p.Result, p.Online, p.Anywhere, p.Status,
			p.EffectiveOn.String(), p.Decision, p.LegalBases, procedureSearchText(*p), micros(now), p.ID)
		if err != nil {
			return err
		}
	}
	p.UpdatedAt = now
	if !isNew {
		if _, err := q.exec(ctx, "DELETE FROM procedure_agencies WHERE procedure_id = ?", p.ID); err != nil {
			return err
		}
	}
	if len(agencyIDs) == 0 {
		return nil
	}
	values := make([]string, len(agencyIDs))
	args := make([]any, 0, 2*len(agencyIDs))
	for i, a := range agencyIDs {
		values[i] = "(?, ?)"
		args = append(args, p.ID, a)
	}
	_, err = q.exec(ctx, "INSERT INTO procedure_agencies (procedure_id, agency_id) VALUES "+strings.Join(values, ", "), args...)
	return err
}
