package service

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/isogov/isogov/internal/calendar"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// The legal register and change impact: procedures cite legal documents; when a procedure is
// amended or abolished, or a legal document is amended or repealed, every agency concerned
// gets an update task listing its documents concerned, due within the legal windows.

// LegalInput is a register entry as a form or the API gives it.
type LegalInput struct {
	Number      string             `json:"number"`
	Title       string             `json:"title"`
	Issuer      string             `json:"issuer"`
	SignedOn    qms.Date           `json:"signed_on"`
	EffectiveOn qms.Date           `json:"effective_on"`
	Status      qms.ExternalStatus `json:"status"`
	ChangedOn   qms.Date           `json:"changed_on"`
	ChangedBy   string             `json:"changed_by"`
}

// LegalDocs lists the register for anyone signed in.
func (s *Service) LegalDocs(ctx context.Context, actor *qms.Actor, f store.LegalFilter) ([]qms.LegalDoc, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	switch f.Status {
	case "", qms.ExtInForce, qms.ExtAmended, qms.ExtRepealed:
	default:
		return nil, fieldErr("status", "err.choice")
	}
	return s.db.LegalDocs(ctx, f)
}

// LegalView is a register entry with the procedures citing it and, for the province's roles,
// the update tasks it opened.
type LegalView struct {
	Doc        qms.LegalDoc         `json:"document"`
	Procedures []qms.Procedure      `json:"-"`
	Tasks      []qms.UpdateTask     `json:"tasks,omitempty"`
	MayEdit    bool                 `json:"-"`
	Codes      []string             `json:"procedures"`
	Statuses   []qms.ExternalStatus `json:"-"`
}

// LegalDoc returns one register entry.
func (s *Service) LegalDoc(ctx context.Context, actor *qms.Actor, id int64) (LegalView, error) {
	var v LegalView
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return v, err
	}
	var err error
	if v.Doc, err = s.db.LegalDoc(ctx, id); err != nil {
		return v, err
	}
	if v.Procedures, err = s.db.Procedures(ctx, store.ProcedureFilter{LegalID: id}); err != nil {
		return v, err
	}
	v.Codes = []string{}
	for _, p := range v.Procedures {
		v.Codes = append(v.Codes, p.Code)
	}
	if actor.Can(qms.PermProvinceOversee, "") {
		if v.Tasks, err = s.db.UpdateTasks(ctx, store.TaskFilter{LegalID: id}); err != nil {
			return v, err
		}
	}
	v.MayEdit = actor.Can(qms.PermProgrammeManage, "")
	v.Statuses = []qms.ExternalStatus{qms.ExtInForce, qms.ExtAmended, qms.ExtRepealed}
	return v, nil
}

// SaveLegalDoc adds an entry to the register (id 0) or changes one; the coordinator keeps the
// register. Marking an entry amended or repealed opens update tasks in every agency concerned;
// opened says how many.
func (s *Service) SaveLegalDoc(ctx context.Context, actor *qms.Actor, id int64, in LegalInput) (l qms.LegalDoc, opened int, err error) {
	l = qms.LegalDoc{ID: id, Number: in.Number, Title: in.Title, Issuer: in.Issuer, SignedOn: in.SignedOn, EffectiveOn: in.EffectiveOn,
		Status: in.Status, ChangedOn: in.ChangedOn, ChangedBy: in.ChangedBy}
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return l, 0, err
	}
	l.Normalize()
	if err := l.Validate(); err != nil {
		return l, 0, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return l, 0, err
	}
	today := qms.DateOf(s.now().In(vietnam))
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var old qms.LegalDoc
		action := "legal.create"
		if id != 0 {
			if old, err = tx.LegalDoc(ctx, id); err != nil {
				return err
			}
			l.CreatedAt, action = old.CreatedAt, "legal.update"
		}
		if err := tx.SaveLegalDoc(ctx, &l, s.now()); err != nil {
			return err
		}
		ch := qms.Changes{}
		ch.Diff("number", old.Number, l.Number)
		ch.Diff("title", old.Title, l.Title)
		ch.Diff("issuer", old.Issuer, l.Issuer)
		ch.Diff("signed_on", old.SignedOn.String(), l.SignedOn.String())
		ch.Diff("effective_on", old.EffectiveOn.String(), l.EffectiveOn.String())
		ch.Diff("status", string(old.Status), string(l.Status))
		ch.Diff("changed_on", old.ChangedOn.String(), l.ChangedOn.String())
		ch.Diff("changed_by", old.ChangedBy, l.ChangedBy)
		if len(ch) == 0 {
			return nil
		}
		if err := s.record(ctx, tx, actor, qms.ProvinceChain, action, "legal", l.ID, ch); err != nil {
			return err
		}
		if l.Status == qms.ExtInForce || l.Status == old.Status && l.ChangedBy == old.ChangedBy && l.ChangedOn == old.ChangedOn {
			return nil
		}
		opened, err = s.legalImpact(ctx, tx, cal, l, today)
		return err
	})
	return l, opened, err
}

// legalRefs links procedures to the register entries their legal bases cite, creating the
// entries not yet known (titled with the line that cites them); it remembers what it found.
type legalRefs struct {
	s     *Service
	actor *qms.Actor
	ids   map[string]int64 // by qms.LegalKey
}

func (s *Service) newLegalRefs(actor *qms.Actor) *legalRefs {
	return &legalRefs{s: s, actor: actor, ids: map[string]int64{}}
}

func (r *legalRefs) link(ctx context.Context, tx *store.Tx, p qms.Procedure) error {
	var ids []int64
	for _, line := range strings.Split(p.LegalBases, "\n") {
		for _, n := range qms.LegalNumbers(line) {
			id, err := r.find(ctx, tx, n, line)
			if err != nil {
				return err
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return tx.SetLegalBases(ctx, p.ID, ids)
}

func (r *legalRefs) find(ctx context.Context, tx *store.Tx, number, line string) (int64, error) {
	key := qms.LegalKey(number)
	if id, ok := r.ids[key]; ok {
		return id, nil
	}
	l, err := tx.LegalDocByNumber(ctx, number)
	if qms.ErrorCode(err) == qms.ENotFound {
		l = qms.LegalDoc{Number: number, Title: strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-–•*+")), Status: qms.ExtInForce, Issuer: qms.GuessIssuer(number)}
		if utf8.RuneCountInString(l.Title) > 500 {
			l.Title = string([]rune(l.Title)[:500])
		}
		if err = tx.SaveLegalDoc(ctx, &l, r.s.now()); err == nil {
			err = r.s.record(ctx, tx, r.actor, qms.ProvinceChain, "legal.create", "legal", l.ID,
				qms.Changes{"number": {New: l.Number}, "title": {New: l.Title}, "cited_by": {New: "procedure"}})
		}
	}
	if err != nil {
		return 0, err
	}
	r.ids[key] = l.ID
	return l.ID, nil
}

// impact is one change to follow up: its cause, and for each agency concerned the procedure
// codes whose processes are concerned.
type impact struct {
	cause       qms.TaskCause
	procedureID int64
	legal       qms.LegalDoc
	change      string
	decision    string
	changedOn   qms.Date
	agencies    map[int64][]string
}

// add records agencies concerned through procedures (once per code).
func (imp *impact) add(pairs []store.AgencyProcedure) {
	for _, p := range pairs {
		if !slices.Contains(imp.agencies[p.AgencyID], p.Code) {
			imp.agencies[p.AgencyID] = append(imp.agencies[p.AgencyID], p.Code)
		}
	}
}

// procedureImpact opens the update tasks for a procedure amended or abolished, in the agencies
// that settle it and in those with a process for it: the windows run from the day the change
// takes effect when it was given with the change, else from today.
func (s *Service) procedureImpact(ctx context.Context, tx *store.Tx, cal *calendar.Calendar, old, p qms.Procedure, agencyIDs []int64, today qms.Date) (int, error) {
	on := today
	if !p.EffectiveOn.IsZero() && p.EffectiveOn != old.EffectiveOn {
		on = p.EffectiveOn
	}
	imp := impact{cause: qms.CauseProcedure, procedureID: p.ID, change: string(p.Status), decision: p.Decision, changedOn: on, agencies: map[int64][]string{}}
	for _, id := range agencyIDs {
		imp.agencies[id] = []string{p.Code}
	}
	holders, err := tx.ProcessHolders(ctx, []string{p.Code})
	if err != nil {
		return 0, err
	}
	imp.add(holders)
	return s.openUpdateTasks(ctx, tx, cal, imp)
}

// legalImpact opens the update tasks for a legal document amended or repealed: in the agencies
// that settle a procedure citing it or have a process for one, and in those that list it as an
// external document.
func (s *Service) legalImpact(ctx context.Context, tx *store.Tx, cal *calendar.Calendar, l qms.LegalDoc, today qms.Date) (int, error) {
	on := l.ChangedOn
	if on.IsZero() {
		on = today
	}
	imp := impact{cause: qms.CauseLegal, legal: l, change: string(l.Status), decision: l.ChangedBy, changedOn: on, agencies: map[int64][]string{}}
	pairs, err := tx.CitingAgencies(ctx, l.ID)
	if err != nil {
		return 0, err
	}
	imp.add(pairs)
	var codes []string
	for _, p := range pairs {
		if !slices.Contains(codes, p.Code) {
			codes = append(codes, p.Code)
		}
	}
	processes, err := tx.ProcessHolders(ctx, codes)
	if err != nil {
		return 0, err
	}
	imp.add(processes)
	holders, err := tx.ExternalHolders(ctx, l.Number)
	if err != nil {
		return 0, err
	}
	for _, a := range holders {
		if _, ok := imp.agencies[a]; !ok {
			imp.agencies[a] = nil
		}
	}
	return s.openUpdateTasks(ctx, tx, cal, imp)
}

// openUpdateTasks opens (or adds to the open) task of each agency concerned, listing its
// processes covering the procedures concerned, the forms those processes name, and its
// external documents with the legal document's number.
func (s *Service) openUpdateTasks(ctx context.Context, tx *store.Tx, cal *calendar.Calendar, imp impact) (int, error) {
	if len(imp.agencies) == 0 {
		return 0, nil
	}
	var ids []int64
	for id := range imp.agencies {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	heads, err := tx.DocHeads(ctx, ids)
	if err != nil {
		return 0, err
	}
	byAgency := map[int64][]store.DocHead{}
	for _, h := range heads {
		byAgency[h.AgencyID] = append(byAgency[h.AgencyID], h)
	}
	due := qms.NextReview(imp.changedOn, qms.DocsWindowMonths)
	var listDue qms.Date
	if imp.cause == qms.CauseProcedure {
		t, err := cal.AddWorkingDays(imp.changedOn.Time(), qms.ListWindowWorkingDays)
		if err != nil {
			return 0, err
		}
		listDue = qms.DateOf(t)
	}
	legalKey := qms.LegalKey(imp.legal.Number)
	opened := 0
	for _, agencyID := range ids {
		items := concernedDocs(byAgency[agencyID], imp.agencies[agencyID], legalKey)
		if imp.cause == qms.CauseLegal && len(items) == 0 && len(imp.agencies[agencyID]) == 0 {
			continue
		}
		t := qms.UpdateTask{AgencyID: agencyID, Cause: imp.cause, LegalID: imp.legal.ID, Change: imp.change, Decision: imp.decision,
			ChangedOn: imp.changedOn, ListDueOn: listDue, DueOn: due}
		t.ID, err = tx.OpenUpdateTask(ctx, agencyID, imp.cause, imp.procedureID, imp.legal.ID)
		if err != nil {
			return 0, err
		}
		action := "update_task.open"
		if t.ID != 0 {
			action = "update_task.restate"
			err = tx.RestateUpdateTask(ctx, t.ID, t.Change, t.Decision)
		} else {
			err = tx.InsertUpdateTask(ctx, &t, imp.procedureID, s.now())
			opened++
		}
		if err != nil {
			return 0, err
		}
		if err := tx.AddUpdateItems(ctx, t.ID, items); err != nil {
			return 0, err
		}
		codes := make([]string, len(items))
		for i, it := range items {
			codes[i] = it.DocumentCode
		}
		ch := qms.Changes{"cause": {New: string(imp.cause)}, "change": {New: imp.change}, "due_on": {New: due.String()},
			"documents": {New: strings.Join(codes, ", ")}}
		if imp.cause == qms.CauseProcedure {
			ch["procedures"] = qms.Change{New: strings.Join(imp.agencies[agencyID], ", ")}
			ch["list_due_on"] = qms.Change{New: listDue.String()}
		} else {
			ch["legal"] = qms.Change{New: imp.legal.Number}
		}
		if err := s.record(ctx, tx, System, agencyID, action, "update_task", t.ID, ch); err != nil {
			return 0, err
		}
	}
	return opened, nil
}

// concernedDocs picks an agency's documents concerned by a change: the processes covering one
// of the procedures, the documents those processes name (forms), and external documents with
// the legal number (key; "" for none).
func concernedDocs(heads []store.DocHead, codes []string, legalKey string) []qms.UpdateItem {
	var items []qms.UpdateItem
	picked := map[int64]bool{}
	add := func(h store.DocHead) {
		if !picked[h.ID] {
			picked[h.ID] = true
			items = append(items, qms.UpdateItem{DocumentID: h.ID, DocumentCode: h.Code, Title: h.Title, TypeCode: h.TypeCode, RevisionID: h.EffectiveID})
		}
	}
	var named strings.Builder
	for _, h := range heads {
		for _, c := range h.Procedures {
			if slices.Contains(codes, c) {
				add(h)
				named.WriteString(" " + strings.ToUpper(h.FormText) + " ")
				break
			}
		}
	}
	text := named.String()
	for _, h := range heads {
		switch {
		case legalKey != "" && h.ExtNumber != "" && qms.LegalKey(h.ExtNumber) == legalKey:
			add(h)
		case text != "" && h.TypeCode != qms.ProcessType && h.ExtNumber == "" && mentions(text, h.Code):
			add(h)
		}
	}
	return items
}

// mentions tells whether a text names a document code as a whole word.
func mentions(text, code string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], code)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(code)
		if (start == 0 || !codeChar(text[start-1])) && (end == len(text) || !codeChar(text[end])) {
			return true
		}
		i = start + 1
	}
}

func codeChar(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b == '-'
}

// settleUpdateTasks records that a revision of a document took effect (or the one in force was
// withdrawn): the open tasks listing the document count it done, and close when nothing is
// left.
func (s *Service) settleUpdateTasks(ctx context.Context, tx *store.Tx, agencyID, documentID, revisionID int64, withdrawn bool) error {
	ids, err := tx.SettleUpdateItems(ctx, agencyID, documentID, revisionID, withdrawn)
	if err != nil {
		return err
	}
	for _, id := range ids {
		t, err := tx.UpdateTask(ctx, agencyID, id)
		if err != nil {
			return err
		}
		if !t.Settled() {
			continue
		}
		if err := s.closeTask(ctx, tx, System, t, qms.ClosedRevised, ""); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) closeTask(ctx context.Context, tx *store.Tx, actor *qms.Actor, t qms.UpdateTask, how, justification string) error {
	if err := tx.CloseUpdateTask(ctx, t.ID, how, justification, actor.UserID, s.now()); err != nil {
		return err
	}
	ch := qms.Changes{"state": {Old: qms.TaskOpen, New: qms.TaskClosed}, "closed_how": {New: how}}
	if justification != "" {
		ch["justification"] = qms.Change{New: justification}
	}
	return s.record(ctx, tx, actor, t.AgencyID, "update_task.close", "update_task", t.ID, ch)
}

// TaskView is an agency's update task with what the actor may do with it.
type TaskView struct {
	Task    qms.UpdateTask
	Agency  qms.Agency
	MayAct  bool // mark the list updated, close with a justification
	Overdue bool
}

// UpdateTasks lists an agency's update tasks (state "" for all), open ones first by due date.
func (s *Service) UpdateTasks(ctx context.Context, actor *qms.Actor, agencyCode, state string) (qms.Agency, []qms.UpdateTask, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return qms.Agency{}, nil, err
	}
	switch state {
	case "", qms.TaskOpen, qms.TaskClosed:
	default:
		return qms.Agency{}, nil, fieldErr("state", "err.choice")
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return a, nil, err
	}
	tasks, err := s.db.UpdateTasks(ctx, store.TaskFilter{AgencyID: a.ID, State: state})
	return a, tasks, err
}

// UpdateTask returns one of an agency's update tasks.
func (s *Service) UpdateTask(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (TaskView, error) {
	var v TaskView
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return v, err
	}
	var err error
	if v.Agency, err = s.db.AgencyByCode(ctx, code); err != nil {
		return v, err
	}
	if v.Task, err = s.db.UpdateTask(ctx, v.Agency.ID, id); err != nil {
		return v, err
	}
	v.MayAct = v.Task.State == qms.TaskOpen && MayDecideChangeRequests(actor, code) == nil
	v.Overdue = v.Task.Overdue(qms.DateOf(s.now().In(vietnam)))
	return v, nil
}

// taskAction runs a change on one of an agency's open tasks, for its ISO secretary or leader.
func (s *Service) taskAction(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, fn func(tx *store.Tx, t qms.UpdateTask) error) (qms.UpdateTask, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := MayDecideChangeRequests(actor, code); err != nil {
		return qms.UpdateTask{}, err
	}
	var t qms.UpdateTask
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if t, err = tx.UpdateTask(ctx, a.ID, id); err != nil {
			return err
		}
		if t.State != qms.TaskOpen {
			return qms.Errorf(qms.EConflict, "err.task_closed")
		}
		if err := fn(tx, t); err != nil {
			return err
		}
		t, err = tx.UpdateTask(ctx, a.ID, id)
		return err
	})
	return t, err
}

// MarkListUpdated records that the agency updated its list of procedures after the change;
// the task closes when its documents are settled too.
func (s *Service) MarkListUpdated(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (qms.UpdateTask, error) {
	return s.taskAction(ctx, actor, agencyCode, id, func(tx *store.Tx, t qms.UpdateTask) error {
		if t.ListDueOn.IsZero() || !t.ListDoneOn.IsZero() {
			return qms.Errorf(qms.EConflict, "err.task_list_done")
		}
		today := qms.DateOf(s.now().In(vietnam))
		if err := tx.SetTaskListDone(ctx, t.ID, today, actor.UserID); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, t.AgencyID, "update_task.list_updated", "update_task", t.ID, qms.Changes{"list_done_on": {New: today.String()}}); err != nil {
			return err
		}
		t.ListDoneOn = today
		if t.Settled() {
			return s.closeTask(ctx, tx, actor, t, qms.ClosedRevised, "")
		}
		return nil
	})
}

// CloseUpdateTask closes a task with a written justification (why nothing, or nothing more,
// needs to change).
func (s *Service) CloseUpdateTask(ctx context.Context, actor *qms.Actor, agencyCode string, id int64, justification string) (qms.UpdateTask, error) {
	justification = strings.TrimSpace(justification)
	return s.taskAction(ctx, actor, agencyCode, id, func(tx *store.Tx, t qms.UpdateTask) error {
		if err := checkBody("justification", justification); err != nil {
			return err
		}
		return s.closeTask(ctx, tx, actor, t, qms.ClosedJustify, justification)
	})
}

// OverdueUpdateTasks lists the open tasks past a window in every agency, for the province.
func (s *Service) OverdueUpdateTasks(ctx context.Context, actor *qms.Actor, limit int) ([]qms.UpdateTask, error) {
	if err := actor.Require(qms.PermProvinceOversee, ""); err != nil {
		return nil, err
	}
	return s.db.UpdateTasks(ctx, store.TaskFilter{OverdueOn: qms.DateOf(s.now().In(vietnam)), Limit: limit})
}

// ProcedureLegalBases returns the register entries a procedure's legal bases cite.
func (s *Service) ProcedureLegalBases(ctx context.Context, actor *qms.Actor, p qms.Procedure) ([]qms.LegalDoc, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.LegalBases(ctx, p.ID)
}

// ProcedureTasks returns the update tasks a procedure's changes opened, for the province's
// roles (nothing for others).
func (s *Service) ProcedureTasks(ctx context.Context, actor *qms.Actor, p qms.Procedure) ([]qms.UpdateTask, error) {
	if !actor.Can(qms.PermProvinceOversee, "") {
		return nil, nil
	}
	return s.db.UpdateTasks(ctx, store.TaskFilter{ProcedureID: p.ID})
}
