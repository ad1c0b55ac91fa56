package service

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/calendar"
	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
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
	cal, err := s.Calendar(ctx)
	if err != nil {
		return p, err
	}
	today := qms.DateOf(s.now().In(vietnam))
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
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
		if err := s.record(ctx, tx, actor, qms.ProvinceChain, action, "procedure", p.ID, ch); err != nil {
			return err
		}
		return s.afterProcedureSave(ctx, tx, cal, s.newLegalRefs(actor), old, p, ids, today)
	})
	return p, err
}

// afterProcedureSave links a saved procedure's legal bases to the register and, when it was
// amended or abolished, opens the agencies' update tasks.
func (s *Service) afterProcedureSave(ctx context.Context, tx *store.Tx, cal *calendar.Calendar, refs *legalRefs, old, p qms.Procedure, agencyIDs []int64, today qms.Date) error {
	if old.LegalBases != p.LegalBases {
		if err := refs.link(ctx, tx, p); err != nil {
			return err
		}
	}
	if !p.ChangeToFollow(old) {
		return nil
	}
	_, err := s.procedureImpact(ctx, tx, cal, old, p, agencyIDs, today)
	return err
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

// ImportIssue is what is wrong with one cell or row of an imported table (Row 1 is the header).
type ImportIssue struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"` // a message key
	Args    []any  `json:"args,omitempty"`
}

// ImportReport says what an import found and (unless it was a dry run or found issues) did.
type ImportReport struct {
	Rows      int           `json:"rows"`
	Added     int           `json:"added"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	DryRun    bool          `json:"dry_run"`
	Issues    []ImportIssue `json:"issues"`
}

// MaxImportRows bounds an imported catalogue (a province has about 2,000 procedures).
const MaxImportRows = 20000

// procColumn is a column of the procedure template: its key, the message key of its label (an
// import knows it in Vietnamese and English) and other headers people give it; headers are
// compared without diacritics or case.
type procColumn struct {
	key      string
	required bool
	label    string
	aliases  []string
}

// procedureColumns is the import template, in order: the export writes these headers.
var procedureColumns = []procColumn{
	{"code", true, "proc.code", []string{"mã", "mã TTHC", "mã số", "mã thủ tục hành chính"}},
	{"name", true, "proc.name", []string{"tên", "tên TTHC", "tên thủ tục hành chính"}},
	{"field", true, "proc.field", nil},
	{"level", true, "proc.level", []string{"cấp"}},
	{"agencies", true, "proc.agencies", []string{"cơ quan thực hiện", "cơ quan"}},
	{"time_limit_days", true, "proc.time_limit", []string{"thời hạn", "thời hạn giải quyết", "số ngày"}},
	{"fees", false, "proc.fees", []string{"phí", "lệ phí"}},
	{"components", false, "proc.components", nil},
	{"result", false, "proc.result", []string{"kết quả thực hiện"}},
	{"online", false, "proc.online", []string{"mức độ dịch vụ công"}},
	{"anywhere", false, "proc.anywhere", []string{"phi địa giới"}},
	{"status", false, "proc.status", []string{"trạng thái"}},
	{"effective_on", false, "proc.effective_on", []string{"ngày hiệu lực"}},
	{"decision", false, "proc.decision", []string{"quyết định"}},
	{"legal_bases", false, "proc.legal_bases", nil},
}

// ProcedureTemplate returns the template's column keys and label keys, in order.
func ProcedureTemplate() (keys, labels []string) {
	for _, c := range procedureColumns {
		keys, labels = append(keys, c.key), append(labels, c.label)
	}
	return keys, labels
}

// ImportProcedures reads a catalogue from a CSV or XLSX table (the template of
// ProcedureTemplate) and, when every row is right and it is not a dry run, writes it in one
// transaction: new codes are added, known ones updated, identical ones left alone, so that
// importing the same file twice changes nothing. Any issue (a wrong cell, a missing column, a
// code twice in the file, an unknown agency, a formula) is reported by row and column and
// nothing is written. progress, if not nil, hears of each row checked and each row written.
func (s *Service) ImportProcedures(ctx context.Context, actor *qms.Actor, r io.ReaderAt, size int64, dryRun bool, progress func(done, total int)) (ImportReport, error) {
	rep := ImportReport{DryRun: dryRun, Issues: []ImportIssue{}}
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return rep, err
	}
	sheet, index, err := readTemplate(r, size, procedureColumns, &rep)
	if err != nil || len(rep.Issues) > 0 {
		return rep, err
	}
	issue := func(row int, col, key string, args ...any) {
		rep.Issues = append(rep.Issues, ImportIssue{Row: row, Column: col, Message: key, Args: args})
	}
	cell := func(row export.Row, key string) string { return row.Cell(index[key] - 1) }
	column := func(key string) string { // as the file names it
		if i := index[key]; i > 0 {
			return strings.TrimSpace(sheet.Header[i-1])
		}
		return key
	}
	agencies, err := s.db.ListAgencies(ctx, store.AgencyFilter{IncludeClosed: true})
	if err != nil {
		return rep, err
	}
	agencyID := map[string]int64{}
	for _, a := range agencies {
		agencyID[a.Code] = a.ID
	}
	existing, err := s.db.Procedures(ctx, store.ProcedureFilter{})
	if err != nil {
		return rep, err
	}
	known := map[string]qms.Procedure{}
	for _, p := range existing {
		known[p.Code] = p
	}
	type parsed struct {
		p   qms.Procedure
		ids []int64
	}
	var good []parsed
	firstLine := map[string]int{}
	for n, row := range sheet.Rows {
		for _, i := range row.Formulas {
			issue(row.Line, strings.TrimSpace(sheet.Header[i]), "err.import_formula")
		}
		p, bad := procedureFromRow(func(key string) string { return cell(row, key) })
		for field, key := range bad {
			issue(row.Line, column(field), key)
		}
		p.Normalize()
		if err := p.Validate(); err != nil {
			var e *qms.Error
			if errors.As(err, &e) {
				for _, f := range e.Fields {
					if _, dup := bad[f.Field]; !dup {
						issue(row.Line, column(f.Field), f.Message, f.Args...)
					}
				}
			}
		}
		if first, dup := firstLine[p.Code]; dup && p.Code != "" {
			issue(row.Line, column("code"), "err.import_code_twice", first)
		} else {
			firstLine[p.Code] = row.Line
		}
		var ids []int64
		for _, c := range p.Agencies {
			if id, ok := agencyID[c]; ok {
				ids = append(ids, id)
			} else {
				issue(row.Line, column("agencies"), "err.proc_agency_unknown", c)
			}
		}
		good = append(good, parsed{p, ids})
		if progress != nil && (n+1)%100 == 0 {
			progress(n+1, 2*len(sheet.Rows))
		}
	}
	if len(rep.Issues) > 0 || dryRun {
		for _, g := range good {
			if old, ok := known[g.p.Code]; !ok {
				rep.Added++
			} else if len(procedureChanges(old, g.p)) > 0 {
				rep.Updated++
			} else {
				rep.Unchanged++
			}
		}
		if len(rep.Issues) > 0 {
			rep.Added, rep.Updated, rep.Unchanged = 0, 0, 0
		}
		return rep, nil
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return rep, err
	}
	today, refs := qms.DateOf(s.now().In(vietnam)), s.newLegalRefs(actor)
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		for n, g := range good {
			p, action := g.p, "procedure.create"
			old, ok := known[p.Code]
			if ok {
				p.ID, p.CreatedAt, action = old.ID, old.CreatedAt, "procedure.update"
			}
			ch := procedureChanges(old, p)
			switch {
			case !ok:
				rep.Added++
			case len(ch) > 0:
				rep.Updated++
			default:
				rep.Unchanged++
				continue
			}
			if err := tx.SaveProcedure(ctx, &p, g.ids, s.now()); err != nil {
				return err
			}
			ch["import"] = qms.Change{New: "line " + strconv.Itoa(sheet.Rows[n].Line)}
			if err := s.record(ctx, tx, actor, qms.ProvinceChain, action, "procedure", p.ID, ch); err != nil {
				return err
			}
			if err := s.afterProcedureSave(ctx, tx, cal, refs, old, p, g.ids, today); err != nil {
				return err
			}
			if progress != nil && (n+1)%100 == 0 {
				progress(len(good)+n+1, 2*len(good))
			}
		}
		return nil
	})
	if err != nil {
		rep.Added, rep.Updated, rep.Unchanged = 0, 0, 0
	}
	return rep, err
}

// readTemplate reads an imported table and finds the template's columns by their headers
// (index: column key → position + 1); a file it cannot read is an error on the file field,
// unknown, repeated or missing columns are issues of row 1 in the report.
func readTemplate(r io.ReaderAt, size int64, columns []procColumn, rep *ImportReport) (export.Sheet, map[string]int, error) {
	sheet, err := export.ReadTable(r, size, MaxImportRows)
	switch {
	case errors.Is(err, export.ErrNotUTF8):
		return sheet, nil, fieldErr("file", "err.import_encoding")
	case errors.Is(err, export.ErrTooManyRows):
		return sheet, nil, fieldErr("file", "err.import_rows", MaxImportRows)
	case err != nil:
		return sheet, nil, fieldErr("file", "err.import_format")
	}
	rep.Rows = len(sheet.Rows)
	issue := func(col, key string) { rep.Issues = append(rep.Issues, ImportIssue{Row: 1, Column: col, Message: key}) }
	index := map[string]int{}
	for i, h := range sheet.Header {
		key := matchHeader(columns, h)
		switch {
		case strings.TrimSpace(h) == "":
		case key == "":
			issue(h, "err.import_column_unknown")
		case index[key] != 0:
			issue(h, "err.import_column_twice")
		default:
			index[key] = i + 1 // 0: absent
		}
	}
	for _, c := range columns {
		if c.required && index[c.key] == 0 {
			issue(c.key, "err.import_column_missing")
		}
	}
	return sheet, index, nil
}

// matchColumn finds the template column a header names: its key, or its Vietnamese or English
// label, compared without diacritics, case or surrounding marks.
func matchColumn(h string) string { return matchHeader(procedureColumns, h) }

// matchHeader finds which of a template's columns a header names.
func matchHeader(columns []procColumn, h string) string {
	h = search.Fold(strings.Trim(strings.TrimSpace(h), "*:"))
	for _, c := range columns {
		names := append([]string{c.key, i18n.T("vi", c.label), i18n.T("en", c.label)}, c.aliases...)
		for _, n := range names {
			if h == search.Fold(n) {
				return c.key
			}
		}
	}
	return ""
}

// procedureFromRow reads a row's cells (by column key); cells that do not parse (a number, a
// date, a choice) are returned by field with their message key.
func procedureFromRow(cell func(key string) string) (qms.Procedure, map[string]string) {
	bad := map[string]string{}
	p := qms.Procedure{Code: cell("code"), Name: cell("name"), Field: cell("field"), Fees: cell("fees"), Components: cell("components"),
		Result: cell("result"), Decision: cell("decision"), LegalBases: cell("legal_bases")}
	p.Agencies = qms.SplitList(cell("agencies"))
	if n, err := strconv.Atoi(strings.TrimSpace(cell("time_limit_days"))); err == nil {
		p.TimeLimitDays = n
	} else {
		bad["time_limit_days"] = "err.import_number"
	}
	choice := func(field, v string, keys []string, labelPrefix string) string {
		if v == "" {
			return ""
		}
		f := search.Fold(v)
		for _, k := range keys {
			if f == k || f == search.Fold(i18n.T("vi", labelPrefix+k)) || f == search.Fold(i18n.T("en", labelPrefix+k)) {
				return k
			}
		}
		bad[field] = "err.choice"
		return v
	}
	p.Level = qms.ProcLevel(choice("level", cell("level"), []string{"province", "district", "commune"}, "level."))
	p.Online = qms.OnlineLevel(choice("online", cell("online"), []string{"none", "partial", "full"}, "online."))
	p.Status = qms.ProcStatus(choice("status", cell("status"), []string{"in_force", "amended", "abolished"}, "procstatus."))
	switch search.Fold(cell("anywhere")) {
	case "", "0", "khong", "no", "false":
	case "1", "x", "co", "yes", "true":
		p.Anywhere = true
	default:
		bad["anywhere"] = "err.choice"
	}
	if s := cell("effective_on"); s != "" {
		d, err := qms.ParseDate(s)
		if err != nil {
			d, err = parseVNDate(s)
		}
		if err != nil {
			bad["effective_on"] = "err.date"
		}
		p.EffectiveOn = d
	}
	return p, bad
}

// parseVNDate reads a date written the Vietnamese way, D/M/YYYY.
func parseVNDate(s string) (qms.Date, error) {
	t, err := time.Parse("2/1/2006", strings.TrimSpace(s))
	if err != nil {
		return qms.Date{}, err
	}
	return qms.DateOf(t), nil
}

// MaxImportFile bounds an imported table file.
const MaxImportFile = 20 << 20

// ImportProceduresFrom is ImportProcedures for a stream (an upload): it is spooled to a
// temporary file of at most MaxImportFile bytes first.
func (s *Service) ImportProceduresFrom(ctx context.Context, actor *qms.Actor, r io.Reader, dryRun bool) (ImportReport, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return ImportReport{}, err
	}
	var rep ImportReport
	err := s.spool(r, func(f io.ReaderAt, n int64) (err error) {
		rep, err = s.ImportProcedures(ctx, actor, f, n, dryRun, nil)
		return err
	})
	return rep, err
}

// spool copies an uploaded file (at most MaxImportFile bytes) to a temporary file, so that a
// spreadsheet reader can seek in it, and hands it to fn; the file is removed afterwards.
func (s *Service) spool(r io.Reader, fn func(f io.ReaderAt, n int64) error) error {
	if err := os.MkdirAll(s.cfg.DataDir, 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(s.cfg.DataDir, "import-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := io.Copy(f, io.LimitReader(r, MaxImportFile+1))
	if err != nil {
		return fieldErr("file", "err.form")
	}
	if n > MaxImportFile {
		return fieldErr("file", "err.file_too_large", MaxImportFile>>20)
	}
	return fn(f, n)
}

// ProcessView is a process revision's structured content with the procedures it handles.
type ProcessView struct {
	Revision   qms.Revision
	Document   qms.Document
	Content    qms.ProcessContent
	Procedures []qms.Procedure
	LimitDays  int // the shortest legal limit among them
}

// Process returns a revision's process content (empty when none was written yet) for those
// who may read the agency's documents.
func (s *Service) Process(ctx context.Context, actor *qms.Actor, agencyCode string, revID int64) (ProcessView, error) {
	var v ProcessView
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return v, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return v, err
	}
	if v.Revision, err = s.db.Revision(ctx, a.ID, revID); err != nil {
		return v, err
	}
	v.Revision.Text = ""
	if v.Document, err = s.db.Document(ctx, a.ID, v.Revision.DocumentID); err != nil {
		return v, err
	}
	if v.Document.TypeCode != qms.ProcessType {
		return v, qms.Errorf(qms.EConflict, "err.not_process")
	}
	if v.Content, _, err = s.db.ProcessContent(ctx, a.ID, revID); err != nil {
		return v, err
	}
	v.Procedures, v.LimitDays, err = s.processProcedures(ctx, s.db.Q, v.Content.Procedures)
	return v, err
}

// processProcedures finds a process's procedures in the catalogue and their shortest limit; an
// unknown code is an error on "procedures".
func (s *Service) processProcedures(ctx context.Context, q store.Q, codes []string) ([]qms.Procedure, int, error) {
	var list []qms.Procedure
	limit := -1
	for _, c := range codes {
		p, err := q.ProcedureByCode(ctx, c)
		if qms.ErrorCode(err) == qms.ENotFound {
			return nil, 0, fieldErr("procedures", "err.process_unknown_procedure", c)
		}
		if err != nil {
			return nil, 0, err
		}
		list = append(list, p)
		if limit < 0 || p.TimeLimitDays < limit {
			limit = p.TimeLimitDays
		}
	}
	return list, max(limit, 0), nil
}

// SaveProcess writes a process revision's structured content while the revision may change
// (under optimistic locking): the procedures must be in the catalogue and the steps must fit
// in the shortest of their legal time limits. The content becomes part of what is signed.
func (s *Service) SaveProcess(ctx context.Context, actor *qms.Actor, agencyCode string, revID, version int64, c qms.ProcessContent) (qms.Revision, error) {
	c.Normalize()
	return s.editRevision(ctx, actor, agencyCode, revID, version, "revision.process", func(tx *store.Tx, v *qms.Revision) (qms.Changes, error) {
		d, err := tx.Document(ctx, v.AgencyID, v.DocumentID)
		if err != nil {
			return nil, err
		}
		if d.TypeCode != qms.ProcessType {
			return nil, qms.Errorf(qms.EConflict, "err.not_process")
		}
		_, limit, err := s.processProcedures(ctx, tx.Q, c.Procedures)
		if err != nil {
			return nil, err
		}
		if err := c.Validate(limit); err != nil {
			return nil, err
		}
		if err := tx.SetProcessContent(ctx, v.AgencyID, v.ID, c); err != nil {
			return nil, err
		}
		old := v.ProcessDigest
		v.ProcessDigest = c.Digest()
		if old == v.ProcessDigest {
			return nil, nil
		}
		return qms.Changes{"process": {Old: short(old), New: short(v.ProcessDigest)}, "procedures": {New: strings.Join(c.Procedures, ", ")},
			"steps": {New: strconv.Itoa(len(c.Steps)) + " (" + qms.FormatDays(c.TotalHours()) + " / " + strconv.Itoa(limit) + ")"}}, nil
	})
}

func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12]
	}
	return digest
}

// WorkflowStep is a step dossiers of a procedure follow, with when it is due: its hours from
// the start and the hours of the steps before it.
type WorkflowStep struct {
	qms.ProcessStep
	StartHours int `json:"start_hours"`
	EndHours   int `json:"end_hours"`
}

// Workflow is what dossiers of a procedure follow in an agency: the steps of its process in
// force (RevisionID 0 and no steps when it has none yet) within the legal limit.
type Workflow struct {
	Procedure  qms.Procedure  `json:"-"`
	RevisionID int64          `json:"revision_id"`
	LimitDays  int            `json:"limit_days"`
	Steps      []WorkflowStep `json:"steps"`
}

// ProcedureWorkflow returns the steps an agency's dossiers of a procedure follow.
func (s *Service) ProcedureWorkflow(ctx context.Context, actor *qms.Actor, agencyCode, procedureCode string) (Workflow, error) {
	var wf Workflow
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return wf, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return wf, err
	}
	if wf.Procedure, err = s.db.ProcedureByCode(ctx, qms.NormalizeProcCode(procedureCode)); err != nil {
		return wf, err
	}
	wf.LimitDays = wf.Procedure.TimeLimitDays
	rev, c, err := s.db.EffectiveProcess(ctx, a.ID, wf.Procedure.Code)
	if err != nil {
		return wf, err
	}
	wf.RevisionID, wf.Steps = rev, []WorkflowStep{}
	at := 0
	for _, st := range c.Steps {
		hours := st.Amount
		if st.Unit != qms.UnitHours {
			hours *= qms.HoursPerDay
		}
		wf.Steps = append(wf.Steps, WorkflowStep{ProcessStep: st, StartHours: at, EndHours: at + hours})
		at += hours
	}
	return wf, nil
}
