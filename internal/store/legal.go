package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
)

const legalColumns = "l.id, l.number, l.title, l.issuer, l.signed_on, l.effective_on, l.status, l.changed_on, l.changed_by, l.created_at, l.updated_at"

func scanLegal(r interface{ Scan(...any) error }) (qms.LegalDoc, error) {
	var l qms.LegalDoc
	var signed, eff, changed string
	var c, u int64
	err := r.Scan(&l.ID, &l.Number, &l.Title, &l.Issuer, &signed, &eff, &l.Status, &changed, &l.ChangedBy, &c, &u)
	l.SignedOn, _ = qms.ParseDate(signed)
	l.EffectiveOn, _ = qms.ParseDate(eff)
	l.ChangedOn, _ = qms.ParseDate(changed)
	l.CreatedAt, l.UpdatedAt = fromMicros(c), fromMicros(u)
	return l, err
}

// LegalFilter selects entries of the legal register; zero values select everything.
type LegalFilter struct {
	Query  string // words matched without diacritics against number, title and issuer
	Status qms.ExternalStatus
	After  string // keyset cursor: number keys after this one
	Limit  int
}

// LegalDocs returns the register's entries matching f by number.
func (q Q) LegalDocs(ctx context.Context, f LegalFilter) ([]qms.LegalDoc, error) {
	where := []string{"1 = 1"}
	var args []any
	for _, term := range search.Terms(f.Query) {
		where = append(where, `l.search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+search.EscapeLike(term)+"%")
	}
	if f.Status != "" {
		where = append(where, "l.status = ?")
		args = append(args, f.Status)
	}
	if f.After != "" {
		where = append(where, "l.number_key > ?")
		args = append(args, f.After)
	}
	text := "SELECT " + legalColumns + " FROM legal_documents l WHERE " + strings.Join(where, " AND ") + " ORDER BY l.number_key"
	if f.Limit > 0 {
		text += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := q.query(ctx, text, args...)
	return scanAll(rows, err, func(r *sql.Rows) (qms.LegalDoc, error) { return scanLegal(r) })
}

// LegalDoc returns one entry of the register.
func (q Q) LegalDoc(ctx context.Context, id int64) (qms.LegalDoc, error) {
	l, err := scanLegal(q.row(ctx, "SELECT "+legalColumns+" FROM legal_documents l WHERE l.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, qms.Errorf(qms.ENotFound, "err.legal_not_found")
	}
	return l, err
}

// LegalDocByNumber returns the entry with a number (compared by qms.LegalKey).
func (q Q) LegalDocByNumber(ctx context.Context, number string) (qms.LegalDoc, error) {
	l, err := scanLegal(q.row(ctx, "SELECT "+legalColumns+" FROM legal_documents l WHERE l.number_key = ?", qms.LegalKey(number)))
	if errors.Is(err, sql.ErrNoRows) {
		return l, qms.Errorf(qms.ENotFound, "err.legal_not_found")
	}
	return l, err
}

// SaveLegalDoc inserts an entry (ID 0) or updates it.
func (q Q) SaveLegalDoc(ctx context.Context, l *qms.LegalDoc, now time.Time) error {
	text := search.Fold(l.Number + " " + l.Title + " " + l.Issuer)
	if l.ID == 0 {
		id, err := q.insert(ctx, `INSERT INTO legal_documents (number, number_key, title, issuer, signed_on, effective_on, status, changed_on, changed_by, search_text,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.Number, qms.LegalKey(l.Number), l.Title, l.Issuer, l.SignedOn.String(), l.EffectiveOn.String(), l.Status, l.ChangedOn.String(), l.ChangedBy, text,
			micros(now), micros(now))
		if err != nil {
			return conflict(err, "err.legal_number_taken")
		}
		l.ID, l.CreatedAt, l.UpdatedAt = id, now, now
		return nil
	}
	_, err := q.exec(ctx, `UPDATE legal_documents SET number = ?, number_key = ?, title = ?, issuer = ?, signed_on = ?, effective_on = ?, status = ?, changed_on = ?,
		changed_by = ?, search_text = ?, updated_at = ? WHERE id = ?`,
		l.Number, qms.LegalKey(l.Number), l.Title, l.Issuer, l.SignedOn.String(), l.EffectiveOn.String(), l.Status, l.ChangedOn.String(), l.ChangedBy, text,
		micros(now), l.ID)
	if err != nil {
		return conflict(err, "err.legal_number_taken")
	}
	l.UpdatedAt = now
	return nil
}

// SetLegalBases links a procedure to the register entries it cites.
func (q Q) SetLegalBases(ctx context.Context, procedureID int64, legalIDs []int64) error {
	if _, err := q.exec(ctx, "DELETE FROM procedure_legal_bases WHERE procedure_id = ?", procedureID); err != nil {
		return err
	}
	for _, id := range legalIDs {
		if _, err := q.exec(ctx, "INSERT INTO procedure_legal_bases (procedure_id, legal_id) VALUES (?, ?) ON CONFLICT DO NOTHING", procedureID, id); err != nil {
			return err
		}
	}
	return nil
}

// LegalBases returns the register entries a procedure cites, by number.
func (q Q) LegalBases(ctx context.Context, procedureID int64) ([]qms.LegalDoc, error) {
	rows, err := q.query(ctx, "SELECT "+legalColumns+` FROM legal_documents l JOIN procedure_legal_bases b ON b.legal_id = l.id
		WHERE b.procedure_id = ? ORDER BY l.number_key`, procedureID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.LegalDoc, error) { return scanLegal(r) })
}

// AgencyProcedure is an agency that settles a procedure (by code).
type AgencyProcedure struct {
	AgencyID int64
	Code     string
}

// CitingAgencies returns, for the procedures citing a legal document, the agencies that settle
// each of them.
func (q Q) CitingAgencies(ctx context.Context, legalID int64) ([]AgencyProcedure, error) {
	rows, err := q.query(ctx, `SELECT pa.agency_id, p.code FROM procedure_legal_bases b JOIN procedures p ON p.id = b.procedure_id
		JOIN procedure_agencies pa ON pa.procedure_id = p.id WHERE b.legal_id = ? ORDER BY pa.agency_id, p.code`, legalID)
	return scanAll(rows, err, func(r *sql.Rows) (AgencyProcedure, error) {
		var a AgencyProcedure
		return a, r.Scan(&a.AgencyID, &a.Code)
	})
}

// DocHead is what change impact needs of a document: its code, type, title, the revision in
// force (0: none), and for a process the procedure codes its current revisions cover and
// the text of their steps' outputs and records (where forms are named).
type DocHead struct {
	ID          int64
	AgencyID    int64
	Code        string
	TypeCode    string
	Title       string
	ExtNumber   string
	EffectiveID int64
	Procedures  []string
	FormText    string
}

// DocHeads returns the documents of some agencies with what change impact needs; processes
// carry the procedures of their revision in force and of the one in the works.
func (q Q) DocHeads(ctx context.Context, agencyIDs []int64) ([]DocHead, error) {
	if len(agencyIDs) == 0 {
		return nil, nil
	}
	in, args := inList(agencyIDs)
	rows, err := q.query(ctx, `SELECT d.id, d.agency_id, d.code, d.type_code, d.title, d.ext_number,
		COALESCE((SELECT max(r.id) FROM revisions r WHERE r.document_id = d.id AND r.state = ?), 0)
		FROM documents d WHERE d.agency_id IN `+in+" ORDER BY d.agency_id, d.code", append([]any{qms.RevEffective}, args...)...)
	heads, err := scanAll(rows, err, func(r *sql.Rows) (DocHead, error) {
		var h DocHead
		return h, r.Scan(&h.ID, &h.AgencyID, &h.Code, &h.TypeCode, &h.Title, &h.ExtNumber, &h.EffectiveID)
	})
	if err != nil || len(heads) == 0 {
		return heads, err
	}
	byID := map[int64]*DocHead{}
	for i := range heads {
		byID[heads[i].ID] = &heads[i]
	}
	rows, err = q.query(ctx, `SELECT r.document_id, p.content FROM process_contents p JOIN revisions r ON r.id = p.revision_id
		WHERE p.agency_id IN `+in+` AND r.state NOT IN (?, ?, ?) ORDER BY r.id`, append(args, qms.RevSuperseded, qms.RevWithdrawn, qms.RevCancelled)...)
	type content struct {
		doc int64
		raw string
	}
	contents, err := scanAll(rows, err, func(r *sql.Rows) (content, error) {
		var c content
		return c, r.Scan(&c.doc, &c.raw)
	})
	for _, c := range contents {
		h := byID[c.doc]
		var pc qms.ProcessContent
		if h == nil || json.Unmarshal([]byte(c.raw), &pc) != nil {
			continue
		}
		for _, code := range pc.Procedures {
			if !slices.Contains(h.Procedures, code) {
				h.Procedures = append(h.Procedures, code)
			}
		}
		var b strings.Builder
		b.WriteString(h.FormText)
		for _, st := range pc.Steps {
			b.WriteString(" " + st.Output)
		}
		for _, rec := range pc.Records {
			b.WriteString(" " + rec.Record)
		}
		b.WriteString(" " + pc.References)
		h.FormText = b.String()
	}
	return heads, err
}

// OpenUpdateTask returns the id of an agency's open task for the same cause (0: none).
func (q Q) OpenUpdateTask(ctx context.Context, agencyID int64, cause qms.TaskCause, procedureID, legalID int64) (int64, error) {
	var id int64
	err := q.row(ctx, `SELECT id FROM update_tasks WHERE agency_id = ? AND state = ? AND cause = ? AND COALESCE(procedure_id, 0) = ? AND COALESCE(legal_id, 0) = ?`,
		agencyID, qms.TaskOpen, cause, procedureID, legalID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// InsertUpdateTask opens a task (its items are added with AddUpdateItems).
func (q Q) InsertUpdateTask(ctx context.Context, t *qms.UpdateTask, procedureID int64, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO update_tasks (agency_id, cause, procedure_id, legal_id, change, decision, changed_on, list_due_on, due_on, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.AgencyID, t.Cause, nullID(procedureID), nullID(t.LegalID), t.Change, t.Decision, t.ChangedOn.String(), t.ListDueOn.String(), t.DueOn.String(), qms.TaskOpen, micros(now))
	t.ID, t.State, t.CreatedAt = id, qms.TaskOpen, now
	return err
}

// RestateUpdateTask records a later change on an open task (the windows keep running from the
// first change).
func (q Q) RestateUpdateTask(ctx context.Context, id int64, change, decision string) error {
	_, err := q.exec(ctx, "UPDATE update_tasks SET change = ?, decision = ? WHERE id = ?", change, decision, id)
	return err
}

// AddUpdateItems lists documents on a task (once each).
func (q Q) AddUpdateItems(ctx context.Context, taskID int64, items []qms.UpdateItem) error {
	for _, it := range items {
		if _, err := q.exec(ctx, "INSERT INTO update_task_items (task_id, document_id, revision_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			taskID, it.DocumentID, it.RevisionID); err != nil {
			return err
		}
	}
	return nil
}

// TaskFilter selects update tasks.
type TaskFilter struct {
	AgencyID    int64  // 0: every agency
	State       string // "", open or closed
	OverdueOn   qms.Date
	ProcedureID int64
	LegalID     int64
	Limit       int
}

const taskColumns = `t.id, t.agency_id, a.code, a.name, t.cause, COALESCE(p.code, ''), COALESCE(p.name, ''), COALESCE(t.legal_id, 0), COALESCE(l.number, ''),
	COALESCE(l.title, ''), t.change, t.decision, t.changed_on, t.list_due_on, t.list_done_on, t.due_on, t.state, t.closed_how, t.justification, t.closed_at,
	COALESCE(u.name, ''), t.created_at`

const taskFrom = ` FROM update_tasks t JOIN agencies a ON a.id = t.agency_id LEFT JOIN procedures p ON p.id = t.procedure_id
	LEFT JOIN legal_documents l ON l.id = t.legal_id LEFT JOIN users u ON u.id = t.closed_by`

func scanTask(r interface{ Scan(...any) error }) (qms.UpdateTask, error) {
	var t qms.UpdateTask
	var changed, listDue, listDone, due string
	var closed, created int64
	err := r.Scan(&t.ID, &t.AgencyID, &t.AgencyCode, &t.AgencyName, &t.Cause, &t.ProcedureCode, &t.ProcedureName, &t.LegalID, &t.LegalNumber, &t.LegalTitle,
		&t.Change, &t.Decision, &changed, &listDue, &listDone, &due, &t.State, &t.ClosedHow, &t.Justification, &closed, &t.ClosedBy, &created)
	t.ChangedOn, _ = qms.ParseDate(changed)
	t.ListDueOn, _ = qms.ParseDate(listDue)
	t.ListDoneOn, _ = qms.ParseDate(listDone)
	t.DueOn, _ = qms.ParseDate(due)
	if closed != 0 {
		t.ClosedAt = fromMicros(closed)
	}
	t.CreatedAt = fromMicros(created)
	return t, err
}

// UpdateTasks returns the tasks matching f, open ones by their due date first, each with its
// items.
func (q Q) UpdateTasks(ctx context.Context, f TaskFilter) ([]qms.UpdateTask, error) {
	where := []string{"1 = 1"}
	var args []any
	if f.AgencyID != 0 {
		where = append(where, "t.agency_id = ?")
		args = append(args, f.AgencyID)
	}
	if f.State != "" {
		where = append(where, "t.state = ?")
		args = append(args, f.State)
	}
	if !f.OverdueOn.IsZero() {
		d := f.OverdueOn.String()
		where = append(where, "t.state = ? AND (t.due_on < ? OR (t.list_due_on <> '' AND t.list_done_on = '' AND t.list_due_on < ?))")
		args = append(args, qms.TaskOpen, d, d)
	}
	if f.ProcedureID != 0 {
		where = append(where, "t.procedure_id = ?")
		args = append(args, f.ProcedureID)
	}
	if f.LegalID != 0 {
		where = append(where, "t.legal_id = ?")
		args = append(args, f.LegalID)
	}
	text := "SELECT " + taskColumns + taskFrom + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY CASE WHEN t.state = 'open' THEN 0 ELSE 1 END, t.due_on, t.id"
	if f.Limit > 0 {
		text += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := q.query(ctx, text, args...)
	tasks, err := scanAll(rows, err, func(r *sql.Rows) (qms.UpdateTask, error) { return scanTask(r) })
	if err != nil || len(tasks) == 0 {
		return tasks, err
	}
	return tasks, q.loadItems(ctx, tasks)
}

// UpdateTask returns one task of an agency with its items.
func (q Q) UpdateTask(ctx context.Context, agencyID, id int64) (qms.UpdateTask, error) {
	t, err := scanTask(q.row(ctx, "SELECT "+taskColumns+taskFrom+" WHERE t.agency_id = ? AND t.id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, qms.Errorf(qms.ENotFound, "err.task_not_found")
	}
	if err != nil {
		return t, err
	}
	list := []qms.UpdateTask{t}
	err = q.loadItems(ctx, list)
	return list[0], err
}

func (q Q) loadItems(ctx context.Context, tasks []qms.UpdateTask) error {
	ids := make([]int64, len(tasks))
	byID := map[int64]*qms.UpdateTask{}
	for i := range tasks {
		ids[i] = tasks[i].ID
		byID[tasks[i].ID] = &tasks[i]
		tasks[i].Items = []qms.UpdateItem{}
	}
	for start := 0; start < len(ids); start += 500 {
		in, args := inList(ids[start:min(start+500, len(ids))])
		rows, err := q.query(ctx, `SELECT i.task_id, i.document_id, d.code, d.title, d.type_code, i.revision_id, i.done_revision_id
			FROM update_task_items i JOIN documents d ON d.id = i.document_id WHERE i.task_id IN `+in+" ORDER BY i.task_id, d.code", args...)
		type row struct {
			task int64
			it   qms.UpdateItem
		}
		items, err := scanAll(rows, err, func(r *sql.Rows) (row, error) {
			var x row
			return x, r.Scan(&x.task, &x.it.DocumentID, &x.it.DocumentCode, &x.it.Title, &x.it.TypeCode, &x.it.RevisionID, &x.it.DoneRevisionID)
		})
		if err != nil {
			return err
		}
		for _, x := range items {
			x.it.Done = x.it.DoneRevisionID != 0
			byID[x.task].Items = append(byID[x.task].Items, x.it)
		}
	}
	return nil
}

// SettleUpdateItems marks the open tasks' items of a document settled by a revision: another
// revision taking effect, or (withdrawn) the one in force withdrawn. It returns the tasks
// touched.
func (q Q) SettleUpdateItems(ctx context.Context, agencyID, documentID, revisionID int64, withdrawn bool) ([]int64, error) {
	other := -1 // no revision id
	if !withdrawn {
		other = int(revisionID)
	}
	rows, err := q.query(ctx, `SELECT i.task_id FROM update_task_items i JOIN update_tasks t ON t.id = i.task_id
		WHERE i.document_id = ? AND t.agency_id = ? AND t.state = ? AND i.done_revision_id = 0 AND i.revision_id <> ?`,
		documentID, agencyID, qms.TaskOpen, int64(other))
	ids, err := scanAll(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil || len(ids) == 0 {
		return ids, err
	}
	in, args := inList(ids)
	_, err = q.exec(ctx, "UPDATE update_task_items SET done_revision_id = ? WHERE document_id = ? AND done_revision_id = 0 AND task_id IN "+in,
		append([]any{revisionID, documentID}, args...)...)
	return ids, err
}

// SetTaskListDone records that the agency updated its TTHC list.
func (q Q) SetTaskListDone(ctx context.Context, id int64, on qms.Date, by int64) error {
	_, err := q.exec(ctx, "UPDATE update_tasks SET list_done_on = ?, list_done_by = ? WHERE id = ?", on.String(), by, id)
	return err
}

// CloseUpdateTask closes a task, how (revised or justified) and by whom (0: the system).
func (q Q) CloseUpdateTask(ctx context.Context, id int64, how, justification string, by int64, now time.Time) error {
	_, err := q.exec(ctx, "UPDATE update_tasks SET state = ?, closed_how = ?, justification = ?, closed_by = ?, closed_at = ? WHERE id = ? AND state = ?",
		qms.TaskClosed, how, justification, by, micros(now), id, qms.TaskOpen)
	return err
}

// ExternalHolders returns the agencies with an external document of a legal number.
func (q Q) ExternalHolders(ctx context.Context, number string) ([]int64, error) {
	prefix := number[:strings.LastIndex(number, "/")+1] // the number and year: the symbol's case may differ
	rows, err := q.query(ctx, `SELECT DISTINCT agency_id, ext_number FROM documents WHERE ext_number LIKE ? ESCAPE '\'`, search.EscapeLike(prefix)+"%")
	type hit struct {
		agency int64
		number string
	}
	hits, err := scanAll(rows, err, func(r *sql.Rows) (hit, error) {
		var h hit
		return h, r.Scan(&h.agency, &h.number)
	})
	var out []int64
	key := qms.LegalKey(number)
	for _, h := range hits {
		if qms.LegalKey(h.number) == key && !slices.Contains(out, h.agency) {
			out = append(out, h.agency)
		}
	}
	return out, err
}

// ProcessHolders returns, for procedure codes, the agencies with a live process (in force or in
// the works) covering each of them.
func (q Q) ProcessHolders(ctx context.Context, codes []string) ([]AgencyProcedure, error) {
	var out []AgencyProcedure
	for start := 0; start < len(codes); start += 50 {
		chunk := codes[start:min(start+50, len(codes))]
		var ors []string
		args := []any{qms.RevSuperseded, qms.RevWithdrawn, qms.RevCancelled}
		for _, c := range chunk {
			ors = append(ors, `p.procedures LIKE ? ESCAPE '\'`)
			args = append(args, "% "+search.EscapeLike(c)+" %")
		}
		rows, err := q.query(ctx, `SELECT DISTINCT p.agency_id, p.procedures FROM process_contents p JOIN revisions r ON r.id = p.revision_id
			WHERE r.state NOT IN (?, ?, ?) AND (`+strings.Join(ors, " OR ")+")", args...)
		type hit struct {
			agency int64
			codes  string
		}
		hits, err := scanAll(rows, err, func(r *sql.Rows) (hit, error) {
			var h hit
			return h, r.Scan(&h.agency, &h.codes)
		})
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			for _, c := range chunk {
				if strings.Contains(h.codes, " "+c+" ") {
					out = append(out, AgencyProcedure{AgencyID: h.agency, Code: c})
				}
			}
		}
	}
	return out, nil
}
