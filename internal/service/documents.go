package service

import (
	"context"
	"errors"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/extract"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
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

// DocumentInput is a new document: its type, code (empty: the next free one of the type's
// pattern), title and the clauses it cites.
type DocumentInput struct {
	Type     string           `json:"type"`
	Code     string           `json:"code"`
	Title    string           `json:"title"`
	Clauses  []string         `json:"clauses"`
	Edition  string           `json:"edition"`  // the edition the clauses cite: "2015" (default) or "2008"
	External *qms.ExternalDoc `json:"external"` // for external (legal) documents: number, issuer, dates, status
}

// CreateDocument registers a document and opens its first revision as a draft.
func (s *Service) CreateDocument(ctx context.Context, actor *qms.Actor, agencyCode string, in DocumentInput) (qms.Document, error) {
	code := qms.NormalizeCode(agencyCode)
	d := qms.Document{TypeCode: in.Type, Code: in.Code, Title: in.Title, Clauses: in.Clauses, Edition: in.Edition, External: in.External}
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return d, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		t, err := tx.DocType(ctx, in.Type)
		if qms.ErrorCode(err) == qms.ENotFound {
			return fieldErr("type", "err.doctype_not_found")
		} else if err != nil {
			return err
		}
		if strings.TrimSpace(d.Code) == "" {
			taken, err := tx.DocumentCodes(ctx, a.ID)
			if err != nil {
				return err
			}
			d.Code = qms.SuggestCode(t.CodePattern, taken)
		}
		if err := d.Validate(t); err != nil {
			return err
		}
		now := s.now()
		d.AgencyID, d.CreatedAt, d.CreatedBy = a.ID, now, actor.UserID
		if err := tx.CreateDocument(ctx, &d); err != nil {
			return err
		}
		state := qms.RevDraft
		v := qms.Revision{AgencyID: a.ID, DocumentID: d.ID, Number: 1, State: state, Title: d.Title, AuthorID: actor.UserID, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateRevision(ctx, &v); err != nil {
			return err
		}
		d.Latest = &v
		return s.record(ctx, tx, actor, a.ID, "document.create", "document", d.ID, qms.Changes{
			"code": {New: d.Code}, "title": {New: d.Title}, "type": {New: d.TypeCode}, "clauses": {New: d.Edition + ": " + strings.Join(d.Clauses, ",")}, "external": {New: externalText(d.External)}})
	})
	return d, err
}

// DocumentView is a document with its revisions, newest first, and its type.
type DocumentView struct {
	Agency    qms.Agency
	Type      qms.DocType
	Document  qms.Document
	Revisions []qms.Revision
	People    map[int64]string        // names of the authors, approvers, reviewers and commenters, by user id
	Comments  []qms.RevisionComment   // the newest revision's comments, every round
	Reviewers []int64                 // the newest revision's reviewers in its current round
	Readers   []int64                 // the distribution list (empty: the whole agency)
	Acks      []store.Acknowledgement // who must acknowledge the effective revision, and who did
	Requests  []qms.ChangeRequest     // change requests, newest first
	Units     []qms.Unit              // the units it is distributed to
	UnitAcks  []store.UnitAcknowledgement
	UnitsOf   map[int64]qms.Unit // the agency's units by id (open ones are offered for distribution)
}

// DocumentFilter narrows the master list: a type, a list state (qms.DocList…) and words found
// in the code, title or clauses (without diacritics).
type DocumentFilter struct {
	Type  string
	State string
	Query string
}

// Documents returns an agency's master list of documents; approved revisions whose day has
// come take effect first.
func (s *Service) Documents(ctx context.Context, actor *qms.Actor, agencyCode string, f DocumentFilter) (qms.Agency, []qms.Document, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return qms.Agency{}, nil, err
	}
	switch f.State {
	case "", qms.DocListEffective, qms.DocListWorking, qms.DocListObsolete, qms.DocListReviewDue:
	default:
		return qms.Agency{}, nil, fieldErr("state", "err.choice")
	}
	if err := s.PublishDue(ctx); err != nil {
		return qms.Agency{}, nil, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return a, nil, err
	}
	list, err := s.db.Documents(ctx, a.ID)
	if err != nil {
		return a, nil, err
	}
	today := qms.DateOf(s.now().In(vietnam))
	words := search.Fold(strings.TrimSpace(f.Query))
	kept := list[:0]
	for _, d := range list {
		if f.Type != "" && d.TypeCode != f.Type || !d.InListState(f.State, today) ||
			words != "" && !strings.Contains(search.Fold(d.Code+" "+d.Title+" "+strings.Join(d.Clauses, " ")), words) {
			continue
		}
		kept = append(kept, d)
	}
	return a, kept, nil
}

// Document returns one document with its revisions.
func (s *Service) Document(ctx context.Context, actor *qms.Actor, agencyCode string, id int64) (DocumentView, error) {
	var v DocumentView
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return v, err
	}
	if err := s.PublishDue(ctx); err != nil {
		return v, err
	}
	var err error
	if v.Agency, err = s.db.AgencyByCode(ctx, code); err != nil {
		return v, err
	}
	if v.Document, err = s.db.Document(ctx, v.Agency.ID, id); err != nil {
		return v, err
	}
	if v.Type, err = s.db.DocType(ctx, v.Document.TypeCode); err != nil {
		return v, err
	}
	if v.Revisions, err = s.db.Revisions(ctx, v.Agency.ID, id); err != nil {
		return v, err
	}
	ids := []int64{}
	if len(v.Revisions) > 0 {
		latest := v.Revisions[0]
		if v.Comments, err = s.db.Comments(ctx, v.Agency.ID, latest.ID); err != nil {
			return v, err
		}
		if v.Reviewers, err = s.db.Reviewers(ctx, v.Agency.ID, latest.ID, latest.Round); err != nil {
			return v, err
		}
		ids = append(ids, v.Reviewers...)
		for _, c := range v.Comments {
			ids = append(ids, c.AuthorID, c.AnsweredBy)
		}
	}
	if v.Readers, err = s.db.Readers(ctx, v.Agency.ID, id); err != nil {
		return v, err
	}
	units, err := s.db.ListUnits(ctx, v.Agency.ID)
	if err != nil {
		return v, err
	}
	v.UnitsOf = map[int64]qms.Unit{}
	for _, u := range units {
		v.UnitsOf[u.ID] = u
	}
	unitIDs, err := s.db.DocumentUnits(ctx, v.Agency.ID, id)
	if err != nil {
		return v, err
	}
	for _, uid := range unitIDs {
		v.Units = append(v.Units, v.UnitsOf[uid])
	}
	if v.Requests, err = s.db.ChangeRequests(ctx, v.Agency.ID, id); err != nil {
		return v, err
	}
	for _, c := range v.Requests {
		ids = append(ids, c.RequesterID, c.DecidedBy)
	}
	ids = append(ids, v.Readers...)
	for i, r := range v.Revisions {
		if v.Revisions[i].Attachments, err = s.db.Attachments(ctx, v.Agency.ID, r.ID); err != nil {
			return v, err
		}
		ids = append(ids, r.AuthorID, r.CheckerID, r.ApproverID)
		if r.State == qms.RevEffective {
			if v.Acks, err = s.db.Acknowledgements(ctx, v.Agency.ID, r.ID); err != nil {
				return v, err
			}
			if v.UnitAcks, err = s.db.UnitAcknowledgements(ctx, v.Agency.ID, r.ID); err != nil {
				return v, err
			}
			for _, k := range v.UnitAcks {
				ids = append(ids, k.By)
			}
			for _, k := range v.Acks {
				ids = append(ids, k.UserID)
			}
		}
	}
	v.People = map[int64]string{}
	for _, uid := range ids {
		if _, ok := v.People[uid]; ok || uid == 0 {
			continue
		}
		if u, err := s.db.UserByID(ctx, uid); err == nil {
			v.People[uid] = u.Name
		} else if qms.ErrorCode(err) != qms.ENotFound {
			return v, err
		}
	}
	return v, nil
}

// DraftInput is what the author changes of a draft; Version is the one they read.
type DraftInput struct {
	Title      string `json:"title"`
	ChangeNote string `json:"change_note"`
	Version    int64  `json:"version"`
}

// UpdateDraft changes a draft's title and change note. A revision written by someone else
// since Version was read is refused with a conflict, and nothing is lost: the caller still
// has what they typed.
func (s *Service) UpdateDraft(ctx context.Context, actor *qms.Actor, agencyCode string, revID int64, in DraftInput) (qms.Revision, error) {
	return s.editRevision(ctx, actor, agencyCode, revID, in.Version, "revision.update", func(_ *store.Tx, v *qms.Revision) (qms.Changes, error) {
		var val qms.Validation
		title, note := strings.TrimSpace(in.Title), strings.TrimSpace(in.ChangeNote)
		if title == "" || len([]rune(title)) > 300 {
			val.Add("title", "err.required")
		}
		if len([]rune(note)) > 4000 {
			val.Add("change_note", "err.too_long")
		}
		if err := val.Err(); err != nil {
			return nil, err
		}
		ch := qms.Changes{}
		ch.Diff("title", v.Title, title)
		ch.Diff("change_note", v.ChangeNote, note)
		v.Title, v.ChangeNote = title, note
		return ch, nil
	})
}

// UploadMainFile stores a draft's main file (DOCX, ODT, PDF, XLSX; sniffed and size-limited)
// and extracts its text for search.
func (s *Service) UploadMainFile(ctx context.Context, actor *qms.Actor, agencyCode string, revID, version int64, r io.Reader, fileName string) (qms.Revision, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return qms.Revision{}, err
	}
	f, err := s.putFile("file", r, fileName)
	if err != nil {
		return qms.Revision{}, err
	}
	if f.Type != extract.TypeDOCX && f.Type != extract.TypeODT && f.Type != extract.TypePDF && f.Type != extract.TypeXLSX {
		return qms.Revision{}, fieldErr("file", "err.main_file_type")
	}
	text, err := s.extractText("file", f)
	if err != nil {
		return qms.Revision{}, err
	}
	return s.editRevision(ctx, actor, agencyCode, revID, version, "revision.file", func(tx *store.Tx, v *qms.Revision) (qms.Changes, error) {
		ch := qms.Changes{"file": {Old: v.File.Name, New: f.Name + " (" + f.SHA256[:12] + ")"}}
		v.File, v.Text = f, text
		return ch, tx.SetRevisionText(ctx, v.AgencyID, v.ID, text)
	})
}

// AddAttachment attaches a file (any document or picture the store accepts) to a revision that
// may still change; the revision's hash covers it.
func (s *Service) AddAttachment(ctx context.Context, actor *qms.Actor, agencyCode string, revID, version int64, r io.Reader, fileName string) (qms.Revision, error) {
	if err := actor.Require(qms.PermDocEdit, qms.NormalizeCode(agencyCode)); err != nil {
		return qms.Revision{}, err
	}
	f, err := s.putFile("attachment", r, fileName)
	if err != nil {
		return qms.Revision{}, err
	}
	text, err := s.extractText("attachment", f)
	if err != nil {
		return qms.Revision{}, err
	}
	return s.editRevision(ctx, actor, agencyCode, revID, version, "revision.attachment_add", func(tx *store.Tx, v *qms.Revision) (qms.Changes, error) {
		if len(v.Attachments) >= qms.MaxAttachments {
			return nil, fieldErr("attachment", "err.attachments_full", qms.MaxAttachments)
		}
		for _, a := range v.Attachments {
			if a.File.Name == f.Name {
				return nil, fieldErr("attachment", "err.attachment_name_taken", f.Name)
			}
		}
		a := qms.Attachment{File: f, Text: text}
		if a.ID, err = tx.AddAttachment(ctx, v.AgencyID, v.ID, a, s.now()); err != nil {
			return nil, err
		}
		v.Attachments = append(v.Attachments, a)
		return qms.Changes{"attachment": {New: f.Name + " (" + f.SHA256[:12] + ")"}}, nil
	})
}

// RemoveAttachment detaches an attachment from a revision that may still change.
func (s *Service) RemoveAttachment(ctx context.Context, actor *qms.Actor, agencyCode string, revID, version, attID int64) (qms.Revision, error) {
	return s.editRevision(ctx, actor, agencyCode, revID, version, "revision.attachment_remove", func(tx *store.Tx, v *qms.Revision) (qms.Changes, error) {
		for i, a := range v.Attachments {
			if a.ID == attID {
				if err := tx.RemoveAttachment(ctx, v.AgencyID, v.ID, attID); err != nil {
					return nil, err
				}
				v.Attachments = append(v.Attachments[:i:i], v.Attachments[i+1:]...)
				return qms.Changes{"attachment": {Old: a.File.Name + " (" + a.File.SHA256[:12] + ")"}}, nil
			}
		}
		return nil, qms.Errorf(qms.ENotFound, "err.file_not_found")
	})
}

// Download is a file of a revision on its way to a reader. Base is an ASCII file name without
// extension; the files of an obsolete revision are named HẾT HIỆU LỰC (HET-HIEU-LUC in Base),
// so that nobody takes them for the ones in force.
type Download struct {
	Revision qms.Revision
	File     qms.FileRef
	Base     string
	io.ReadCloser
}

// OpenAttachment returns one attachment of a revision for those who may read the agency's
// documents.
func (s *Service) OpenAttachment(ctx context.Context, actor *qms.Actor, agencyCode string, revID, attID int64) (Download, error) {
	return s.openDownload(ctx, actor, agencyCode, revID, func(v qms.Revision) (qms.FileRef, string, bool) {
		for i, a := range v.Attachments {
			if a.ID == attID {
				return a.File, "lan-" + strconv.Itoa(v.Number) + "_dinh-kem-" + strconv.Itoa(i+1), true
			}
		}
		return qms.FileRef{}, "", false
	})
}

// openDownload opens the file pick chooses from a revision, named for its reader.
func (s *Service) openDownload(ctx context.Context, actor *qms.Actor, agencyCode string, revID int64, pick func(qms.Revision) (qms.FileRef, string, bool)) (Download, error) {
	var d Download
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return d, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return d, err
	}
	if d.Revision, err = s.db.Revision(ctx, a.ID, revID); err != nil {
		return d, err
	}
	d.Revision.Text = ""
	var ok bool
	if d.File, d.Base, ok = pick(d.Revision); !ok || d.File.SHA256 == "" {
		return d, qms.Errorf(qms.ENotFound, "err.file_not_found")
	}
	if !d.Revision.PurgedAt.IsZero() {
		return d, qms.Errorf(qms.ENotFound, "err.file_destroyed")
	}
	if d.Revision.State.Obsolete() {
		d.Base, d.File.Name = "HET-HIEU-LUC_"+d.Base, "HẾT HIỆU LỰC - "+d.File.Name
	}
	d.ReadCloser, err = s.files.Open(d.File.SHA256)
	return d, err
}

// extractText reads a stored file's text; a file that unpacks beyond the limits is refused.
func (s *Service) extractText(field string, f qms.FileRef) (string, error) {
	file, err := s.files.Open(f.SHA256)
	if err != nil {
		return "", err
	}
	defer file.Close()
	text, err := extract.Text(file, f.Size, f.Type, extract.DefaultLimits)
	switch {
	case errors.Is(err, extract.ErrBomb):
		return "", fieldErr(field, "err.file_bomb")
	case errors.Is(err, extract.ErrFormat):
		return "", fieldErr(field, "err.file_damaged")
	}
	return text, err
}

// editRevision changes a revision's content while it may change (draft or in review), under
// optimistic locking, and journals what changed.
func (s *Service) editRevision(ctx context.Context, actor *qms.Actor, agencyCode string, revID, version int64, action string,
	change func(*store.Tx, *qms.Revision) (qms.Changes, error)) (qms.Revision, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return qms.Revision{}, err
	}
	var v qms.Revision
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if v, err = tx.Revision(ctx, a.ID, revID); err != nil {
			return err
		}
		if !v.State.Editable() {
			return qms.Errorf(qms.EConflict, "err.rev_locked")
		}
		if version != 0 && version != v.Version {
			return qms.Errorf(qms.EConflict, "err.stale")
		}
		ch, err := change(tx, &v)
		if err != nil {
			return err
		}
		if len(ch) == 0 {
			return nil
		}
		v.ContentHash = v.Hash()
		if err := tx.UpdateRevision(ctx, &v, s.now()); err != nil {
			return err
		}
		ch["revision"] = qms.Change{New: strconv.Itoa(v.Number)}
		return s.record(ctx, tx, actor, a.ID, action, "revision", v.ID, ch)
	})
	return v, err
}

// TransitionRequest is an event on a revision, with what it needs: a reason to send back,
// reject, withdraw or cancel; the effective date and the approver's password to approve.
type TransitionRequest struct {
	Event       qms.RevEvent `json:"event"`
	Reason      string       `json:"reason"`
	EffectiveOn qms.Date     `json:"effective_on"`
	Password    string       `json:"password"`
	Version     int64        `json:"version"`
	Reviewers   []string     `json:"reviewers"` // e-mails, with submit_review
	Deadline    qms.Date     `json:"deadline"`  // with submit_review
}

// Transition moves a revision through its life (qms.Transition is the table and its rules).
// Approval re-checks the approver's password and journals the signer, the meaning of the
// signature and the SHA-256 of exactly what was signed. A revision whose effective date has
// come takes effect at once, superseding the one before.
func (s *Service) Transition(ctx context.Context, actor *qms.Actor, agencyCode string, revID int64, in TransitionRequest) (qms.Revision, error) {
	code := qms.NormalizeCode(agencyCode)
	perm := qms.PermDocEdit
	if in.Event == qms.EvApprove || in.Event == qms.EvReject {
		perm = qms.PermSignedIn // the type says who approves; checked below
	}
	if err := actor.Require(perm, code); err != nil {
		return qms.Revision{}, err
	}
	if in.Event == qms.EvPublish || in.Event == qms.EvSupersede {
		return qms.Revision{}, qms.Errorf(qms.EConflict, "err.rev_automatic")
	}
	if in.Event == qms.EvApprove {
		u, err := s.db.UserByID(ctx, actor.UserID)
		if err != nil {
			return qms.Revision{}, err
		}
		ok, err := s.checkPassword(ctx, in.Password, u.PasswordHash)
		if err != nil {
			return qms.Revision{}, err
		}
		if !ok {
			return qms.Revision{}, fieldErr("password", "err.password_wrong")
		}
	}
	today := qms.DateOf(s.now().In(vietnam))
	var v qms.Revision
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if v, err = tx.Revision(ctx, a.ID, revID); err != nil {
			return err
		}
		if in.Version != 0 && in.Version != v.Version {
			return qms.Errorf(qms.EConflict, "err.stale")
		}
		d, err := tx.Document(ctx, a.ID, v.DocumentID)
		if err != nil {
			return err
		}
		t, err := tx.DocType(ctx, d.TypeCode)
		if err != nil {
			return err
		}
		if (in.Event == qms.EvApprove || in.Event == qms.EvReject) && !MayApprove(actor, code, t) {
			return qms.Errorf(qms.EForbidden, "err.not_approver")
		}
		facts := qms.RevisionFacts{State: v.State, Type: t, AuthorID: v.AuthorID, SubmittedHash: v.SubmittedHash, ContentHash: v.Hash(),
			EffectiveOn: v.EffectiveOn, RoundDone: !t.CommentRound, Now: s.now(), AllowSelf: a.DocSelfApproval}
		if in.Event == qms.EvApprove {
			facts.EffectiveOn = in.EffectiveOn
		}
		var reviewers []int64
		var reviewerNames []string
		switch in.Event {
		case qms.EvSubmitReview:
			if reviewers, reviewerNames, err = s.agencyMembers(ctx, tx, code, "reviewers", in.Reviewers); err != nil {
				return err
			}
		case qms.EvCloseRound:
			comments, err := tx.Comments(ctx, a.ID, v.ID)
			if err != nil {
				return err
			}
			for _, c := range comments {
				if c.Round == v.Round && c.Answer == qms.AnswerNone {
					facts.OpenComments++
				}
			}
			facts.DeadlineOn = v.RoundDeadline
		}
		to, err := qms.Transition(facts, in.Event, qms.TransitionInput{ActorID: actor.UserID, Reason: in.Reason, Today: today,
			Reviewers: len(reviewers), Deadline: in.Deadline})
		if err != nil {
			return err
		}
		ch := qms.Changes{"state": {Old: string(v.State), New: string(to)}, "revision": {New: strconv.Itoa(v.Number)}}
		if r := strings.TrimSpace(in.Reason); r != "" {
			v.Reason = r
			ch["reason"] = qms.Change{New: r}
		}
		switch in.Event {
		case qms.EvSubmitReview:
			v.Round, v.RoundDeadline = v.Round+1, in.Deadline
			if err := tx.AddReviewers(ctx, a.ID, v.ID, v.Round, reviewers); err != nil {
				return err
			}
			ch["reviewers"] = qms.Change{New: strings.Join(reviewerNames, ", ")}
			ch["deadline"] = qms.Change{New: in.Deadline.String()}
		case qms.EvSubmitApproval:
			v.SubmittedHash, v.CheckerID = v.Hash(), actor.UserID
			ch["submitted_sha256"] = qms.Change{New: v.SubmittedHash}
			ch["checked_by"] = qms.Change{New: actorName(actor)}
		case qms.EvReject, qms.EvRequestChanges:
			v.SubmittedHash = ""
		case qms.EvApprove:
			v.ApproverID, v.ApprovedAt, v.EffectiveOn = actor.UserID, s.now(), in.EffectiveOn
			ch["signer"] = qms.Change{New: actorName(actor)}
			ch["meaning"] = qms.Change{New: "approved (phê duyệt)"}
			ch["signed_sha256"] = qms.Change{New: v.SubmittedHash}
			ch["effective_on"] = qms.Change{New: in.EffectiveOn.String()}
		}
		v.State = to
		if to == qms.RevWithdrawn {
			v.ObsoleteOn = today
		}
		if err := tx.UpdateRevision(ctx, &v, s.now()); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, a.ID, "revision."+string(in.Event), "revision", v.ID, ch); err != nil {
			return err
		}
		if to == qms.RevWithdrawn {
			if err := s.settleUpdateTasks(ctx, tx, a.ID, v.DocumentID, v.ID, true); err != nil {
				return err
			}
		}
		if v.State == qms.RevApproved && !today.Before(v.EffectiveOn) {
			return s.publish(ctx, tx, &v, today)
		}
		return nil
	})
	return v, err
}

// MayApprove tells whether the actor may sign (or reject) documents of type t in an agency:
// its leader always may; its ISO secretary when the type names the secretary as approver.
func MayApprove(actor *qms.Actor, agencyCode string, t qms.DocType) bool {
	code := qms.NormalizeCode(agencyCode)
	return actor.Can(qms.PermDocApprove, code) || t.Approver == qms.RoleSecretary && hasAgencyRole(actor, qms.RoleSecretary, code)
}

// PublishDue puts into effect every approved revision whose effective date has come.
func (s *Service) PublishDue(ctx context.Context) error {
	today := qms.DateOf(s.now().In(vietnam))
	due, err := s.db.DueRevisions(ctx, today)
	if err != nil || len(due) == 0 {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for i := range due {
			v, err := tx.Revision(ctx, due[i].AgencyID, due[i].ID)
			if err != nil {
				return err
			}
			if v.State != qms.RevApproved { // published meanwhile
				continue
			}
			if err := s.publish(ctx, tx, &v, today); err != nil {
				return err
			}
		}
		return nil
	})
}

// publish makes an approved revision the effective one: the revision in force before it is
// superseded, and the document's next review is set from the type's interval.
func (s *Service) publish(ctx context.Context, tx *store.Tx, v *qms.Revision, today qms.Date) error {
	revs, err := tx.Revisions(ctx, v.AgencyID, v.DocumentID)
	if err != nil {
		return err
	}
	for _, old := range revs {
		if old.State != qms.RevEffective || old.ID == v.ID {
			continue
		}
		old.State, old.ObsoleteOn = qms.RevSuperseded, v.EffectiveOn
		if err := tx.UpdateRevision(ctx, &old, s.now()); err != nil {
			return err
		}
		if err := s.record(ctx, tx, System, v.AgencyID, "revision.supersede", "revision", old.ID,
			qms.Changes{"state": {Old: string(qms.RevEffective), New: string(qms.RevSuperseded)}, "by_revision": {New: strconv.Itoa(v.Number)}}); err != nil {
			return err
		}
	}
	v.State = qms.RevEffective
	if err := tx.UpdateRevision(ctx, v, s.now()); err != nil {
		return err
	}
	d, err := tx.Document(ctx, v.AgencyID, v.DocumentID)
	if err != nil {
		return err
	}
	t, err := tx.DocType(ctx, d.TypeCode)
	if err != nil {
		return err
	}
	next := qms.NextReview(v.EffectiveOn, t.ReviewMonths)
	if err := tx.SetNextReview(ctx, v.AgencyID, d.ID, next); err != nil {
		return err
	}
	readers, err := tx.Readers(ctx, v.AgencyID, d.ID)
	if err != nil {
		return err
	}
	if len(readers) == 0 {
		if readers, err = tx.AgencyMembers(ctx, v.AgencyID); err != nil {
			return err
		}
	}
	if err := tx.AddAcknowledgements(ctx, v.AgencyID, v.ID, readers); err != nil {
		return err
	}
	units, err := tx.DocumentUnits(ctx, v.AgencyID, d.ID)
	if err != nil {
		return err
	}
	if err := tx.AddUnitAcknowledgements(ctx, v.AgencyID, v.ID, units); err != nil {
		return err
	}
	if err := s.settleUpdateTasks(ctx, tx, v.AgencyID, d.ID, v.ID, false); err != nil {
		return err
	}
	return s.record(ctx, tx, System, v.AgencyID, "revision.publish", "revision", v.ID,
		qms.Changes{"state": {Old: string(qms.RevApproved), New: string(qms.RevEffective)}, "effective_on": {New: v.EffectiveOn.String()}, "next_review_on": {New: next.String()}})
}

// NewRevision opens the next revision of a document as a draft, starting from the effective
// one; a document has at most one revision in the works.
func (s *Service) NewRevision(ctx context.Context, actor *qms.Actor, agencyCode string, docID int64) (qms.Revision, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return qms.Revision{}, err
	}
	var v qms.Revision
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		v, err = s.openRevision(ctx, tx, actor, a.ID, docID)
		return err
	})
	return v, err
}

// openRevision opens the next draft revision of a document inside a transaction.
func (s *Service) openRevision(ctx context.Context, tx *store.Tx, actor *qms.Actor, agencyID, docID int64) (qms.Revision, error) {
	var v qms.Revision
	if _, err := tx.Document(ctx, agencyID, docID); err != nil {
		return v, err
	}
	revs, err := tx.Revisions(ctx, agencyID, docID)
	if err != nil {
		return v, err
	}
	var base *qms.Revision
	for i := range revs {
		switch revs[i].State {
		case qms.RevDraft, qms.RevInReview, qms.RevReviewed, qms.RevSubmitted, qms.RevApproved:
			return v, qms.Errorf(qms.EConflict, "err.revision_open", revs[i].Number)
		case qms.RevEffective:
			base = &revs[i]
		}
	}
	if base == nil {
		return v, qms.Errorf(qms.EConflict, "err.no_effective")
	}
	now := s.now()
	full, err := tx.Revision(ctx, agencyID, base.ID)
	if err != nil {
		return v, err
	}
	v = qms.Revision{AgencyID: agencyID, DocumentID: docID, Number: revs[0].Number + 1, State: qms.RevDraft, Title: base.Title,
		File: base.File, Text: full.Text, AuthorID: actor.UserID, CreatedAt: now, UpdatedAt: now}
	v.Attachments = full.Attachments // the new draft starts with the effective revision's attachments and process content
	process, hasProcess, err := tx.ProcessContent(ctx, agencyID, base.ID)
	if err != nil {
		return v, err
	}
	if hasProcess {
		v.ProcessDigest = process.Digest()
	}
	v.ContentHash = v.Hash()
	if err := tx.CreateRevision(ctx, &v); err != nil {
		return v, err
	}
	if hasProcess {
		if err := tx.SetProcessContent(ctx, agencyID, v.ID, process); err != nil {
			return v, err
		}
	}
	for i, a := range v.Attachments {
		if v.Attachments[i].ID, err = tx.AddAttachment(ctx, agencyID, v.ID, a, now); err != nil {
			return v, err
		}
	}
	return v, s.record(ctx, tx, actor, agencyID, "revision.create", "revision", v.ID, qms.Changes{"revision": {New: strconv.Itoa(v.Number)}, "from": {New: strconv.Itoa(base.Number)}})
}

// FileChangeRequest records a request to change a document; anyone who may read the agency's
// documents may file one.
func (s *Service) FileChangeRequest(ctx context.Context, actor *qms.Actor, agencyCode string, docID int64, body string) (qms.ChangeRequest, error) {
	code := qms.NormalizeCode(agencyCode)
	c := qms.ChangeRequest{DocumentID: docID, RequesterID: actor.UserID, Body: strings.TrimSpace(body)}
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return c, err
	}
	if err := checkBody("request", c.Body); err != nil {
		return c, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if _, err := tx.Document(ctx, a.ID, docID); err != nil {
			return err
		}
		c.CreatedAt = s.now()
		if err := tx.CreateChangeRequest(ctx, a.ID, &c); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "document.change_request", "document", docID, qms.Changes{"request": {New: c.Body}})
	})
	return c, err
}

// DecideChangeRequest is the ISO secretary's (or the leader's) decision on a change request:
// accepted, it opens the next draft revision from the effective one; rejected, it needs a reason.
func (s *Service) DecideChangeRequest(ctx context.Context, actor *qms.Actor, agencyCode string, reqID int64, accept bool, reason string) (qms.ChangeRequest, error) {
	code := qms.NormalizeCode(agencyCode)
	var c qms.ChangeRequest
	if err := MayDecideChangeRequests(actor, code); err != nil {
		return c, err
	}
	reason = strings.TrimSpace(reason)
	if !accept && reason == "" {
		return c, fieldErr("reason", "err.reason_required")
	}
	if len([]rune(reason)) > 1000 {
		return c, fieldErr("reason", "err.too_long")
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if c, err = tx.ChangeRequest(ctx, a.ID, reqID); err != nil {
			return err
		}
		if c.State != "open" {
			return qms.Errorf(qms.EConflict, "err.change_request_decided")
		}
		c.State, c.Reason, c.DecidedBy, c.DecidedAt = "rejected", reason, actor.UserID, s.now()
		if accept {
			v, err := s.openRevision(ctx, tx, actor, a.ID, c.DocumentID)
			if err != nil {
				return err
			}
			c.State, c.RevisionID = "accepted", v.ID
		}
		if ok, err := tx.DecideChangeRequest(ctx, a.ID, c); err != nil {
			return err
		} else if !ok {
			return qms.Errorf(qms.EConflict, "err.change_request_decided")
		}
		return s.record(ctx, tx, actor, a.ID, "document.change_"+c.State, "document", c.DocumentID, qms.Changes{
			"request": {New: strconv.FormatInt(c.ID, 10)}, "decision": {New: c.State}, "reason": {New: reason}})
	})
	return c, err
}

// MayDecideChangeRequests tells whether the actor may decide an agency's change requests: its
// ISO secretary or its leader (or an administrator).
func MayDecideChangeRequests(actor *qms.Actor, agencyCode string) error {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return err
	}
	if !actor.Can(qms.PermDocApprove, code) && !hasAgencyRole(actor, qms.RoleSecretary, code) {
		return qms.Errorf(qms.EForbidden, "err.secretary_decides")
	}
	return nil
}

// hasAgencyRole tells whether the actor holds role r in the agency.
func hasAgencyRole(actor *qms.Actor, r qms.Role, code string) bool {
	for _, g := range actor.Grants {
		if g.Role == r && g.AgencyCode == code {
			return true
		}
	}
	return false
}

// OpenRevisionFile returns a revision's main file for those who may read the agency's documents.
func (s *Service) OpenRevisionFile(ctx context.Context, actor *qms.Actor, agencyCode string, revID int64) (Download, error) {
	return s.openDownload(ctx, actor, agencyCode, revID, func(v qms.Revision) (qms.FileRef, string, bool) {
		return v.File, "lan-" + strconv.Itoa(v.Number), true
	})
}

// RevisionOf returns one revision (without its text) for those who may read the agency's documents.
func (s *Service) RevisionOf(ctx context.Context, actor *qms.Actor, agencyCode string, revID int64) (qms.Revision, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return qms.Revision{}, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return qms.Revision{}, err
	}
	v, err := s.db.Revision(ctx, a.ID, revID)
	v.Text = ""
	return v, err
}

// agencyMembers resolves people by e-mail (reviewers, readers): each must hold a role in the
// agency; a refusal is an error on the given form field.
func (s *Service) agencyMembers(ctx context.Context, tx *store.Tx, code, field string, emails []string) ([]int64, []string, error) {
	var ids []int64
	var names []string
	seen := map[int64]bool{}
	for _, e := range emails {
		e = qms.NormalizeEmail(e)
		if e == "" {
			continue
		}
		u, err := tx.UserByEmail(ctx, e)
		if qms.ErrorCode(err) == qms.ENotFound {
			return nil, nil, fieldErr(field, "err.reviewer_unknown", e)
		} else if err != nil {
			return nil, nil, err
		}
		grants, err := tx.Grants(ctx, u.ID)
		if err != nil {
			return nil, nil, err
		}
		member := false
		for _, g := range grants {
			member = member || g.AgencyCode == code
		}
		if !member || u.Disabled {
			return nil, nil, fieldErr(field, "err.reviewer_not_in_agency", u.Name)
		}
		if !seen[u.ID] {
			seen[u.ID] = true
			ids = append(ids, u.ID)
			names = append(names, u.Name)
		}
	}
	return ids, names, nil
}

// CommentRevision records a named reviewer's comment on a revision in its comment round.
func (s *Service) CommentRevision(ctx context.Context, actor *qms.Actor, agencyCode string, revID int64, body string) (qms.RevisionComment, error) {
	code := qms.NormalizeCode(agencyCode)
	c := qms.RevisionComment{RevisionID: revID, AuthorID: actor.UserID, Body: strings.TrimSpace(body)}
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return c, err
	}
	if err := checkBody("body", c.Body); err != nil {
		return c, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		v, err := tx.Revision(ctx, a.ID, revID)
		if err != nil {
			return err
		}
		if v.State != qms.RevInReview {
			return qms.Errorf(qms.EConflict, "err.no_round")
		}
		if v.RoundDeadline.Before(qms.DateOf(s.now().In(vietnam))) {
			return qms.Errorf(qms.EConflict, "err.round_over", v.RoundDeadline.VN())
		}
		reviewers, err := tx.Reviewers(ctx, a.ID, v.ID, v.Round)
		if err != nil {
			return err
		}
		named := false
		for _, id := range reviewers {
			named = named || id == actor.UserID
		}
		if !named {
			return qms.Errorf(qms.EForbidden, "err.not_reviewer")
		}
		c.Round, c.CreatedAt = v.Round, s.now()
		if err := tx.CreateComment(ctx, a.ID, &c); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "revision.comment", "revision", v.ID, qms.Changes{"round": {New: strconv.Itoa(v.Round)}, "comment": {New: c.Body}})
	})
	return c, err
}

// AnswerComment records the author's answer to a comment: accepted, or rejected with a note.
func (s *Service) AnswerComment(ctx context.Context, actor *qms.Actor, agencyCode string, commentID int64, answer qms.CommentAnswer, note string) (qms.RevisionComment, error) {
	code := qms.NormalizeCode(agencyCode)
	var c qms.RevisionComment
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return c, err
	}
	note = strings.TrimSpace(note)
	if answer != qms.AnswerAccepted && answer != qms.AnswerRejected {
		return c, fieldErr("answer", "err.choice")
	}
	if answer == qms.AnswerRejected && note == "" {
		return c, fieldErr("answer_note", "err.reason_required")
	}
	if len([]rune(note)) > 2000 {
		return c, fieldErr("answer_note", "err.too_long")
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if c, err = tx.Comment(ctx, a.ID, commentID); err != nil {
			return err
		}
		v, err := tx.Revision(ctx, a.ID, c.RevisionID)
		if err != nil {
			return err
		}
		if v.State != qms.RevInReview || c.Round != v.Round {
			return qms.Errorf(qms.EConflict, "err.no_round")
		}
		old := string(c.Answer)
		c.Answer, c.AnswerNote, c.AnsweredBy, c.AnsweredAt = answer, note, actor.UserID, s.now()
		if err := tx.AnswerComment(ctx, a.ID, c); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "revision.answer", "revision", v.ID, qms.Changes{"comment": {New: strconv.FormatInt(c.ID, 10)},
			"answer": {Old: old, New: string(answer)}, "note": {New: note}})
	})
	return c, err
}

// AgencyPeople returns the active accounts holding a role in an agency, for naming reviewers.
func (s *Service) AgencyPeople(ctx context.Context, actor *qms.Actor, agencyCode string) ([]qms.User, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return nil, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	list, err := s.db.ListUsers(ctx, store.UserFilter{AgencyID: a.ID, Limit: 500})
	var out []qms.User
	for _, u := range list {
		if !u.Disabled {
			out = append(out, u)
		}
	}
	return out, err
}

// ReviewNoChange records a periodic review that found nothing to change: the document's next
// review date moves on by its type's interval from today.
func (s *Service) ReviewNoChange(ctx context.Context, actor *qms.Actor, agencyCode string, docID int64, note string) (qms.Document, error) {
	code := qms.NormalizeCode(agencyCode)
	var d qms.Document
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return d, err
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 1000 {
		return d, fieldErr("note", "err.too_long")
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if d, err = tx.Document(ctx, a.ID, docID); err != nil {
			return err
		}
		revs, err := tx.Revisions(ctx, a.ID, docID)
		if err != nil {
			return err
		}
		effective := false
		for _, r := range revs {
			effective = effective || r.State == qms.RevEffective
		}
		if !effective {
			return qms.Errorf(qms.EConflict, "err.no_effective")
		}
		t, err := tx.DocType(ctx, d.TypeCode)
		if err != nil {
			return err
		}
		old := d.NextReviewOn
		d.NextReviewOn = qms.NextReview(qms.DateOf(s.now().In(vietnam)), t.ReviewMonths)
		if err := tx.SetNextReview(ctx, a.ID, d.ID, d.NextReviewOn); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "document.review", "document", d.ID, qms.Changes{
			"next_review_on": {Old: old.String(), New: d.NextReviewOn.String()}, "result": {New: "no change"}, "note": {New: note}})
	})
	return d, err
}

// SetReaders sets who must read a document (e-mails of the agency's people; none: everyone
// with a role in the agency). It applies to the revisions that take effect from now on.
func (s *Service) SetReaders(ctx context.Context, actor *qms.Actor, agencyCode string, docID int64, emails []string) error {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if _, err := tx.Document(ctx, a.ID, docID); err != nil {
			return err
		}
		ids, names, err := s.agencyMembers(ctx, tx, code, "readers", emails)
		if err != nil {
			return err
		}
		if err := tx.SetReaders(ctx, a.ID, docID, ids); err != nil {
			return err
		}
		list := strings.Join(names, ", ")
		if list == "" {
			list = "(whole agency)"
		}
		return s.record(ctx, tx, actor, a.ID, "document.readers", "document", docID, qms.Changes{"readers": {New: list}})
	})
}

// Acknowledge records that the actor read a revision in force that they were asked to read.
func (s *Service) Acknowledge(ctx context.Context, actor *qms.Actor, agencyCode string, revID int64) error {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		v, err := tx.Revision(ctx, a.ID, revID)
		if err != nil {
			return err
		}
		ok, err := tx.Acknowledge(ctx, a.ID, revID, actor.UserID, s.now())
		if err != nil {
			return err
		}
		if !ok || v.State != qms.RevEffective {
			return qms.Errorf(qms.EConflict, "err.nothing_to_ack")
		}
		return s.record(ctx, tx, actor, a.ID, "revision.acknowledge", "revision", revID, qms.Changes{"read": {New: strconv.Itoa(v.Number)}})
	})
}

// SetDistributionUnits sets the units (by code) a document is distributed to; each acknowledges
// the revisions that take effect from now on.
func (s *Service) SetDistributionUnits(ctx context.Context, actor *qms.Actor, agencyCode string, docID int64, unitCodes []string) error {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if _, err := tx.Document(ctx, a.ID, docID); err != nil {
			return err
		}
		units, err := tx.ListUnits(ctx, a.ID)
		if err != nil {
			return err
		}
		byCode := map[string]qms.Unit{}
		for _, u := range units {
			if !u.Closed {
				byCode[u.Code] = u
			}
		}
		var ids []int64
		var names []string
		seen := map[int64]bool{}
		for _, c := range unitCodes {
			u, ok := byCode[qms.NormalizeCode(c)]
			if !ok {
				return fieldErr("units", "err.unit_not_found")
			}
			if !seen[u.ID] {
				seen[u.ID] = true
				ids, names = append(ids, u.ID), append(names, u.Name)
			}
		}
		if err := tx.SetDocumentUnits(ctx, a.ID, docID, ids); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "document.units", "document", docID, qms.Changes{"units": {New: strings.Join(names, ", ")}})
	})
}

// MayAcknowledgeForUnits tells whether the actor may acknowledge on behalf of the agency's
// units: one of its own people (not the province's roles).
func MayAcknowledgeForUnits(actor *qms.Actor, agencyCode string) bool {
	return actor.Can(qms.PermDocRead, agencyCode) && slices.Contains(actor.AgencyCodes(), agencyCode)
}

// AcknowledgeForUnit records, on a unit's behalf, that it received a revision in force; one of
// the agency's own people gives it.
func (s *Service) AcknowledgeForUnit(ctx context.Context, actor *qms.Actor, agencyCode string, revID, unitID int64) error {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return err
	}
	if !MayAcknowledgeForUnits(actor, code) {
		return qms.Errorf(qms.EForbidden, "err.forbidden")
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		v, err := tx.Revision(ctx, a.ID, revID)
		if err != nil {
			return err
		}
		u, err := tx.UnitByID(ctx, a.ID, unitID)
		if err != nil {
			return err
		}
		if v.State != qms.RevEffective {
			return qms.Errorf(qms.EConflict, "err.nothing_to_ack")
		}
		ok, err := tx.AcknowledgeForUnit(ctx, a.ID, revID, unitID, actor.UserID, s.now())
		if err != nil {
			return err
		}
		if !ok {
			return qms.Errorf(qms.EConflict, "err.nothing_to_ack")
		}
		return s.record(ctx, tx, actor, a.ID, "revision.unit_acknowledge", "revision", revID,
			qms.Changes{"read": {New: strconv.Itoa(v.Number)}, "unit": {New: u.Name}})
	})
}

// MyPendingReads lists the revisions in force the actor has yet to acknowledge, in every agency.
func (s *Service) MyPendingReads(ctx context.Context, actor *qms.Actor, limit int) ([]store.PendingRead, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.PendingReads(ctx, actor.UserID, 0, limit)
}

// PendingReader is a person or a unit of an agency with documents still to acknowledge.
type PendingReader struct {
	Name  string
	Unit  bool
	Count int
}

// AgencyPendingReads lists, for an agency, who has documents in force still to acknowledge.
func (s *Service) AgencyPendingReads(ctx context.Context, actor *qms.Actor, agencyCode string) ([]PendingReader, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return nil, err
	}
	a, err := s.db.AgencyByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	counts, err := s.db.PendingCounts(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	var out []PendingReader
	for uid, n := range counts {
		u, err := s.db.UserByID(ctx, uid)
		if err != nil {
			return nil, err
		}
		out = append(out, PendingReader{Name: u.Name, Count: n})
	}
	unitCounts, err := s.db.PendingUnitCounts(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	for uid, n := range unitCounts {
		u, err := s.db.UnitByID(ctx, a.ID, uid)
		if err != nil {
			return nil, err
		}
		out = append(out, PendingReader{Name: u.Name, Unit: true, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Count > out[j].Count || out[i].Count == out[j].Count && out[i].Name < out[j].Name
	})
	return out, nil
}

// RetentionItem is an obsolete revision whose retention has ended.
type RetentionItem struct {
	Document  qms.Document
	Revision  qms.Revision
	DestroyOn qms.Date
}

// RetentionDue lists an agency's obsolete revisions whose type's retention has ended, the
// longest due first: the secretary proposes them for destruction, the leader destroys them.
func (s *Service) RetentionDue(ctx context.Context, actor *qms.Actor, agencyCode string) (qms.Agency, []RetentionItem, error) {
	a, docs, err := s.Documents(ctx, actor, agencyCode, DocumentFilter{})
	if err != nil {
		return a, nil, err
	}
	types, err := s.db.DocTypes(ctx)
	if err != nil {
		return a, nil, err
	}
	byCode := map[string]qms.DocType{}
	for _, t := range types {
		byCode[t.Code] = t
	}
	today := qms.DateOf(s.now().In(vietnam))
	var out []RetentionItem
	for _, d := range docs {
		revs, err := s.db.Revisions(ctx, a.ID, d.ID)
		if err != nil {
			return a, nil, err
		}
		for _, r := range revs {
			t := byCode[d.TypeCode]
			if on := r.DestroyOn(t); !on.IsZero() && !today.Before(on) {
				out = append(out, RetentionItem{Document: d, Revision: r, DestroyOn: on})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DestroyOn.Before(out[j].DestroyOn) })
	return a, out, nil
}

// DestroyRevision destroys an obsolete revision whose retention has ended: its text and
// attachments go, and so do its stored files when nothing else uses them; the record of what it
// was (number, dates, signer, hash) stays. The agency's leader decides; the note (the
// destruction record's number, say) is required and journaled.
func (s *Service) DestroyRevision(ctx context.Context, actor *qms.Actor, agencyCode string, revID int64, note string) error {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocApprove, code); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if err := checkBody("note", note); err != nil {
		return err
	}
	var files []string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		v, err := tx.Revision(ctx, a.ID, revID)
		if err != nil {
			return err
		}
		d, err := tx.Document(ctx, a.ID, v.DocumentID)
		if err != nil {
			return err
		}
		t, err := tx.DocType(ctx, d.TypeCode)
		if err != nil {
			return err
		}
		on := v.DestroyOn(t)
		if on.IsZero() || qms.DateOf(s.now().In(vietnam)).Before(on) {
			return qms.Errorf(qms.EConflict, "err.not_due_destroy")
		}
		if files, err = tx.PurgeRevision(ctx, a.ID, v.ID, actor.UserID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.ID, "revision.destroy", "revision", v.ID, qms.Changes{
			"revision": {New: d.Code + " #" + strconv.Itoa(v.Number)}, "content_sha256": {New: v.ContentHash}, "note": {New: note}})
	})
	if err != nil {
		return err
	}
	for _, sha := range files {
		inUse, err := s.db.FileInUse(ctx, sha)
		if err != nil {
			return err
		}
		if !inUse {
			if err := s.files.Delete(sha); err != nil {
				return err
			}
		}
	}
	return nil
}

// ClauseCoverage is one clause of an edition with the agency's documents in force that cite it
// (directly, or through a 2008 clause that maps onto it).
type ClauseCoverage struct {
	Clause    qms.Clause
	Leaf      bool // a clause without sub-clauses: what the coverage figure counts
	Documents []qms.Document
}

// Coverage shows, for an edition, which clauses an agency's documents in force cover: in the
// 2015 view, documents citing 2008 clauses count for the clauses those map onto.
func (s *Service) Coverage(ctx context.Context, actor *qms.Actor, agencyCode, edition string) (qms.Agency, qms.ClauseEdition, []ClauseCoverage, error) {
	a, docs, err := s.Documents(ctx, actor, agencyCode, DocumentFilter{})
	if err != nil {
		return a, qms.ClauseEdition{}, nil, err
	}
	e, ok := qms.ClauseEditionFor(edition)
	if !ok {
		return a, e, nil, qms.Errorf(qms.ENotFound, "err.edition_not_found")
	}
	byClause := map[string][]qms.Document{}
	for _, d := range docs {
		if d.Effective == nil {
			continue
		}
		seen := map[string]bool{}
		for _, c := range d.Clauses {
			var targets []string
			switch {
			case d.Edition == e.Edition:
				targets = []string{c}
			case d.Edition == "2008" && e.Edition == "2015":
				targets = qms.Clauses2015For(c)
			}
			for _, t := range targets {
				if !seen[t] {
					seen[t] = true
					byClause[t] = append(byClause[t], d)
				}
			}
		}
	}
	out := make([]ClauseCoverage, 0, len(e.Clauses))
	for i, c := range e.Clauses {
		leaf := i+1 == len(e.Clauses) || e.Clauses[i+1].Parent() != c.No
		out = append(out, ClauseCoverage{Clause: c, Leaf: leaf, Documents: byClause[c.No]})
	}
	return a, e, out, nil
}

// ModelInput is a model document the coordinator publishes.
type ModelInput struct {
	Type     string
	Title    string
	Clauses  []string
	Edition  string
	Note     string
	File     io.Reader
	FileName string
}

// PublishModel publishes a model document with its file (coordinator).
func (s *Service) PublishModel(ctx context.Context, actor *qms.Actor, in ModelInput) (qms.DocModel, error) {
	m := qms.DocModel{TypeCode: in.Type, Title: in.Title, Clauses: in.Clauses, Edition: in.Edition, Note: strings.TrimSpace(in.Note)}
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return m, err
	}
	t, err := s.db.DocType(ctx, in.Type)
	if qms.ErrorCode(err) == qms.ENotFound {
		return m, fieldErr("type", "err.doctype_not_found")
	} else if err != nil {
		return m, err
	}
	// The model is checked as a document of its type would be; its code comes when copied.
	probe := qms.Document{Code: qms.SuggestCode(t.CodePattern, nil), Title: in.Title, Clauses: in.Clauses, Edition: in.Edition}
	if err := probe.Validate(t); err != nil {
		return m, err
	}
	if len([]rune(m.Note)) > 1000 {
		return m, fieldErr("note", "err.too_long")
	}
	if in.File == nil {
		return m, fieldErr("file", "err.main_file_required")
	}
	f, err := s.putFile("file", in.File, in.FileName)
	if err != nil {
		return m, err
	}
	if f.Type != extract.TypeDOCX && f.Type != extract.TypeODT && f.Type != extract.TypePDF && f.Type != extract.TypeXLSX {
		return m, fieldErr("file", "err.main_file_type")
	}
	if _, err := s.extractText("file", f); err != nil { // a model that agencies could not take is refused now
		return m, err
	}
	m.Title, m.Clauses, m.Edition, m.File, m.PublishedAt, m.PublishedBy = probe.Title, probe.Clauses, probe.Edition, f, s.now(), actor.UserID
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateModel(ctx, &m); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "model.publish", "doc_model", m.ID, qms.Changes{
			"title": {New: m.Title}, "type": {New: m.TypeCode}, "file": {New: f.Name + " (" + f.SHA256[:12] + ")"}})
	})
	return m, err
}

// Models lists the province's model documents; every signed-in user may read them.
func (s *Service) Models(ctx context.Context, actor *qms.Actor) ([]qms.DocModel, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return nil, err
	}
	return s.db.Models(ctx)
}

// OpenModelFile returns a model document's file.
func (s *Service) OpenModelFile(ctx context.Context, actor *qms.Actor, id int64) (qms.DocModel, io.ReadCloser, error) {
	if err := actor.Require(qms.PermSignedIn, ""); err != nil {
		return qms.DocModel{}, nil, err
	}
	m, err := s.db.Model(ctx, id)
	if err != nil {
		return m, nil, err
	}
	f, err := s.files.Open(m.File.SHA256)
	return m, f, err
}

// CopyModel starts an agency's own document from a model: a new document of the model's type
// (the next free code) whose first draft holds the model's file.
func (s *Service) CopyModel(ctx context.Context, actor *qms.Actor, agencyCode string, modelID int64) (qms.Document, error) {
	m, err := s.db.Model(ctx, modelID)
	if err != nil {
		return qms.Document{}, err
	}
	d, err := s.CreateDocument(ctx, actor, agencyCode, DocumentInput{Type: m.TypeCode, Title: m.Title, Clauses: m.Clauses, Edition: m.Edition})
	if err != nil {
		return d, err
	}
	f, err := s.files.Open(m.File.SHA256)
	if err != nil {
		return d, err
	}
	defer f.Close()
	v, err := s.UploadMainFile(ctx, actor, agencyCode, d.Latest.ID, d.Latest.Version, f, m.File.Name)
	if err != nil {
		return d, err
	}
	d.Latest = &v
	return d, nil
}

func externalText(x *qms.ExternalDoc) string {
	if x == nil {
		return ""
	}
	return x.Number + " (" + x.Issuer + ", " + x.SignedOn.String() + ", " + string(x.Status) + ")"
}

// UpdateExternal records a legal text's changed standing: amended, repealed (with its end
// date), or corrected facts. Only documents of an external type have them.
func (s *Service) UpdateExternal(ctx context.Context, actor *qms.Actor, agencyCode string, docID int64, x qms.ExternalDoc) (qms.Document, error) {
	code := qms.NormalizeCode(agencyCode)
	var d qms.Document
	if err := actor.Require(qms.PermDocEdit, code); err != nil {
		return d, err
	}
	if err := x.Validate(); err != nil {
		return d, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AgencyByCode(ctx, code)
		if err != nil {
			return err
		}
		if d, err = tx.Document(ctx, a.ID, docID); err != nil {
			return err
		}
		t, err := tx.DocType(ctx, d.TypeCode)
		if err != nil {
			return err
		}
		if !t.External {
			return qms.Errorf(qms.EConflict, "err.not_external")
		}
		old := externalText(d.External)
		if err := tx.SetExternal(ctx, a.ID, d.ID, x); err != nil {
			return err
		}
		d.External = &x
		return s.record(ctx, tx, actor, a.ID, "document.external", "document", d.ID, qms.Changes{"external": {Old: old, New: externalText(&x)}})
	})
	return d, err
}

// SetDocSelfApproval records whether the agency lets authors approve their own documents; its
// leader (who signs) decides. Journaled.
func (s *Service) SetDocSelfApproval(ctx context.Context, actor *qms.Actor, agencyCode string, allow bool) (qms.Agency, error) {
	code := qms.NormalizeCode(agencyCode)
	var a qms.Agency
	if err := actor.Require(qms.PermDocApprove, code); err != nil {
		return a, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if a, err = tx.AgencyByCode(ctx, code); err != nil {
			return err
		}
		if a.DocSelfApproval == allow {
			return nil
		}
		if err := tx.SetDocSelfApproval(ctx, a.ID, allow, s.now()); err != nil {
			return err
		}
		ch := qms.Changes{"doc_self_approval": {Old: strconv.FormatBool(a.DocSelfApproval), New: strconv.FormatBool(allow)}}
		a.DocSelfApproval = allow
		return s.record(ctx, tx, actor, a.ID, "agency.doc_self_approval", "agency", a.ID, ch)
	})
	return a, err
}

// AgencyDocSettings returns the agency with its document-control rules, for whoever reads its
// documents.
func (s *Service) AgencyDocSettings(ctx context.Context, actor *qms.Actor, agencyCode string) (qms.Agency, error) {
	code := qms.NormalizeCode(agencyCode)
	if err := actor.Require(qms.PermDocRead, code); err != nil {
		return qms.Agency{}, err
	}
	return s.db.AgencyByCode(ctx, code)
}

// checkBody accepts a written text (a comment, a change request): present, at most 4,000
// characters, no NUL.
func checkBody(field, body string) error {
	if body == "" || len([]rune(body)) > 4000 || strings.ContainsRune(body, 0) {
		return fieldErr(field, "err.comment_body")
	}
	return nil
}
