package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

// Bulk writing for the volume generator: many dossiers in one transaction with multi-row
// inserts, their ids given by the writer, their journal entries chained in memory.

// BulkDossier is a generated dossier with its secret and its history (journal entries without
// chain, sequence or hashes, in order).
type BulkDossier struct {
	Dossier qms.Dossier
	Secret  DossierSecret
	Events  []*qms.JournalEntry
	Stats   []BulkStat
}

// BulkStat is a change to the aggregates a generated dossier makes.
type BulkStat struct {
	Month string
	Delta StatDelta
}

// NextDossierID returns the id after the largest one in use.
func (q Q) NextDossierID(ctx context.Context) (int64, error) {
	var id int64
	err := q.row(ctx, "SELECT COALESCE(max(id), 0) + 1 FROM dossiers").Scan(&id)
	return id, err
}

// DossierSeqs returns the numbers given so far per agency and day ("YYYY-MM-DD").
func (q Q) DossierSeqs(ctx context.Context) (map[int64]map[string]int, error) {
	rows, err := q.query(ctx, "SELECT agency_id, day, n FROM dossier_seq")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var a int64
		var day string
		var n int
		if err := rows.Scan(&a, &day, &n); err != nil {
			return nil, err
		}
		if out[a] == nil {
			out[a] = map[string]int{}
		}
		out[a][day] = n
	}
	return out, rows.Err()
}

// multiInsert inserts rows of cols values each, as many per statement as the databases take.
func (q Q) multiInsert(ctx context.Context, head string, cols int, rows [][]any) error {
	per := max(1, 30000/cols)
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, cols*len(chunk))
		for i, r := range chunk {
			if len(r) != cols {
				return fmt.Errorf("bulk insert: a row of %d values, want %d", len(r), cols)
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(one)
			args = append(args, r...)
		}
		if _, err := q.exec(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// WriteBulkDossiers writes generated dossiers (their ids set by the caller), their steps,
// their journal entries chained onto each agency's chain, the day numbers and the aggregates.
func (tx *Tx) WriteBulkDossiers(ctx context.Context, list []BulkDossier, now time.Time) error {
	var dossiers, steps, journal [][]any
	seqs := map[[2]any]int{}
	stats := map[[3]any]StatDelta{}
	stepStats := map[stepKey]StepStat{}
	for i := range list {
		b := &list[i]
		d := &b.Dossier
		dossiers = append(dossiers, []any{d.ID, d.AgencyID, d.Code, d.ProcedureID, d.Applicant, d.IDNumber, d.Phone, d.Address, d.Channel, d.State,
			micros(d.ReceivedAt), d.CountedFrom.String(), d.LimitDays, d.DueOn.String(), d.NewDueOn.String(), d.ApologyReason, d.Supplements, d.PausedDays,
			microsOrZero(d.FinishedAt), d.Outcome, d.StepNo, d.Handler, d.Reason, b.Secret.Salt, b.Secret.Hash, microsOrZero(d.RatedAt), d.Rating, d.RatingNote,
			micros(now), micros(now)})
		for _, s := range d.Steps {
			steps = append(steps, []any{d.ID, s.No, d.AgencyID, s.Description, s.Responsible, s.Hours, s.DueOn.String(), s.Handler, microsOrZero(s.DoneAt), s.Outcome})
			if s.DoneAt.IsZero() {
				continue
			}
			month := s.DoneAt.In(vietnamZone).Format("2006-01")
			for _, k := range [][2]string{{StepByUnit, s.Responsible}, {StepByHandler, s.Handler}} {
				if k[1] == "" {
					continue
				}
				key := stepKey{d.AgencyID, k[0], k[1], month}
				c := stepStats[key]
				c.Done++
				switch s.Outcome {
				case qms.OutcomeEarly:
					c.Early++
				case qms.OutcomeOnTime:
					c.OnTime++
				default:
					c.Late++
				}
				stepStats[key] = c
			}
		}
		for _, e := range b.Events {
			if err := tx.chain(ctx, e); err != nil {
				return err
			}
			journal = append(journal, []any{e.Chain, e.Seq, micros(e.At), e.ActorID, e.ActorName, e.Action, e.ObjectType, e.ObjectID, e.Changes, e.PrevHash, e.Hash})
		}
		day := qms.DateOf(d.ReceivedAt.In(vietnamZone)).String()
		if n := dossierNo(d.Code); n > seqs[[2]any{d.AgencyID, day}] {
			seqs[[2]any{d.AgencyID, day}] = n
		}
		for _, s := range b.Stats {
			k := [3]any{d.AgencyID, d.ProcedureID, s.Month}
			stats[k] = addDelta(stats[k], s.Delta)
		}
	}
	if err := tx.multiInsert(ctx, `INSERT INTO dossiers (id, agency_id, code, procedure_id, applicant, id_number, phone, address, channel, state, received_at,
		counted_from, limit_days, due_on, new_due_on, apology_reason, supplements, paused_days, finished_at, outcome, step_no, handler, reason, pin_salt, pin_hash,
		rated_at, rating, rating_note, created_at, updated_at)`, 30, dossiers); err != nil {
		return err
	}
	if err := tx.multiInsert(ctx, "INSERT INTO dossier_steps (dossier_id, no, agency_id, description, responsible, hours, due_on, handler, done_at, outcome)", 10, steps); err != nil {
		return err
	}
	if err := tx.multiInsert(ctx, "INSERT INTO journal (chain, seq, at, actor_id, actor_name, action, object_type, object_id, changes, prev_hash, hash)", 11, journal); err != nil {
		return err
	}
	for k, n := range seqs {
		if _, err := tx.exec(ctx, `INSERT INTO dossier_seq (agency_id, day, n) VALUES (?, ?, ?)
			ON CONFLICT (agency_id, day) DO UPDATE SET n = CASE WHEN excluded.n > dossier_seq.n THEN excluded.n ELSE dossier_seq.n END`, k[0], k[1], n); err != nil {
			return err
		}
	}
	for k, d := range stats {
		if err := tx.AddDossierStats(ctx, k[0].(int64), k[1].(int64), k[2].(string), d); err != nil {
			return err
		}
	}
	for k, c := range stepStats {
		if _, err := tx.exec(ctx, `INSERT INTO dossier_step_stats (agency_id, kind, name, month, done, early, on_time, late) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (agency_id, kind, name, month) DO UPDATE SET done = dossier_step_stats.done + excluded.done, early = dossier_step_stats.early + excluded.early,
			on_time = dossier_step_stats.on_time + excluded.on_time, late = dossier_step_stats.late + excluded.late`,
			k.agency, k.kind, k.name, k.month, c.Done, c.Early, c.OnTime, c.Late); err != nil {
			return err
		}
	}
	return nil
}

type stepKey struct {
	agency            int64
	kind, name, month string
}

// SyncDossierIDs moves PostgreSQL's id sequence past ids the bulk writer gave (SQLite needs
// nothing).
func (q Q) SyncDossierIDs(ctx context.Context) error {
	if q.d != Postgres {
		return nil
	}
	_, err := q.exec(ctx, "SELECT setval(pg_get_serial_sequence('dossiers', 'id'), (SELECT COALESCE(max(id), 1) FROM dossiers))")
	return err
}

var vietnamZone = time.FixedZone("ICT", 7*3600)

func dossierNo(code string) int {
	n := 0
	for i := strings.LastIndexByte(code, '-') + 1; i < len(code); i++ {
		n = n*10 + int(code[i]-'0')
	}
	return n
}

func addDelta(a, b StatDelta) StatDelta {
	return StatDelta{Received: a.Received + b.Received, Finished: a.Finished + b.Finished, Early: a.Early + b.Early, OnTime: a.OnTime + b.OnTime,
		Late: a.Late + b.Late, Withdrawn: a.Withdrawn + b.Withdrawn, Stopped: a.Stopped + b.Stopped, Rated: a.Rated + b.Rated, RatingSum: a.RatingSum + b.RatingSum}
}
