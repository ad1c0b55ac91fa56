package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/search"
)

const docTypeColumns = "code, name_vi, name_en, code_pattern, review_months, comment_round, approver, self_approval, retain_years, external, mandatory_2008"

func scanDocType(r interface{ Scan(...any) error }) (qms.DocType, error) {
	var t qms.DocType
	err := r.Scan(&t.Code, &t.NameVI, &t.NameEN, &t.CodePattern, &t.ReviewMonths, &t.CommentRound, &t.Approver, &t.SelfApproval, &t.RetainYears, &t.External, &t.Mandatory2008)
	return t, err
}

// DocTypes returns every document type, in the order they were added.
func (q Q) DocTypes(ctx context.Context) ([]qms.DocType, error) {
	rows, err := q.query(ctx, "SELECT "+docTypeColumns+" FROM doc_types ORDER BY id")
	return scanAll(rows, err, func(r *sql.Rows) (qms.DocType, error) { return scanDocType(r) })
}

// DocType returns one document type by its code.
func (q Q) DocType(ctx context.Context, code string) (qms.DocType, error) {
	t, err := scanDocType(q.row(ctx, "SELECT "+docTypeColumns+" FROM doc_types WHERE code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return t, qms.Errorf(qms.ENotFound, "err.doctype_not_found")
	}
	return t, err
}

// CreateDocType inserts a document type.
func (q Q) CreateDocType(ctx context.Context, t qms.DocType) error {
	_, err := q.insert(ctx, "INSERT INTO doc_types ("+docTypeColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		t.Code, t.NameVI, t.NameEN, t.CodePattern, t.ReviewMonths, t.CommentRound, t.Approver, t.SelfApproval, t.RetainYears, t.External, t.Mandatory2008)
	return conflict(err, "err.doctype_code_taken")
}

// UpdateDocType writes every field of a document type but its code.
func (q Q) UpdateDocType(ctx context.Context, t qms.DocType) error {
	_, err := q.exec(ctx, `UPDATE doc_types SET name_vi = ?, name_en = ?, code_pattern = ?, review_months = ?, comment_round = ?, approver = ?,
		self_approval = ?, retain_years = ?, external = ?, mandatory_2008 = ? WHERE code = ?`,
		t.NameVI, t.NameEN, t.CodePattern, t.ReviewMonths, t.CommentRound, t.Approver, t.SelfApproval, t.RetainYears, t.External, t.Mandatory2008, t.Code)
	return err
}

const revisionColumns = `r.id, r.agency_id, r.document_id, r.number, r.state, r.title, r.change_note, r.file_sha256, r.file_name, r.file_size, r.file_type,
	r.content_hash, r.submitted_hash, r.effective_on, r.author_id, r.checker_id, r.approver_id, r.approved_at, r.reason, r.round, r.round_deadline, r.version, r.created_at, r.updated_at,
	r.obsolete_on, r.purged_at, r.purged_by`

func scanRevision(r interface{ Scan(...any) error }, extra ...any) (qms.Revision, error) {
	var v qms.Revision
	var eff, deadline, obsolete string
	var ap, c, u, purged int64
	err := r.Scan(append([]any{&v.ID, &v.AgencyID, &v.DocumentID, &v.Number, &v.State, &v.Title, &v.ChangeNote, &v.File.SHA256, &v.File.Name, &v.File.Size, &v.File.Type,
		&v.ContentHash, &v.SubmittedHash, &eff, &v.AuthorID, &v.CheckerID, &v.ApproverID, &ap, &v.Reason, &v.Round, &deadline, &v.Version, &c, &u,
		&obsolete, &purged, &v.PurgedBy}, extra...)...)
	v.EffectiveOn, _ = qms.ParseDate(eff)
	v.ObsoleteOn, _ = qms.ParseDate(obsolete)
	v.PurgedAt = fromMicros(purged)
	v.RoundDeadline, _ = qms.ParseDate(deadline)
	v.ApprovedAt, v.CreatedAt, v.UpdatedAt = fromMicros(ap), fromMicros(c), fromMicros(u)
	return v, err
}

const documentColumns = "d.id, d.agency_id, d.type_code, d.code, d.title, d.clauses, d.edition, d.ext_number, d.ext_issuer, d.ext_signed_on, d.ext_effective, d.ext_expired_on, d.ext_status, d.next_review_on, d.created_at, d.created_by"

func scanDocument(r interface{ Scan(...any) error }, extra ...any) (qms.Document, error) {
	var d qms.Document
	var clauses, review, signed, eff, expired string
	var x qms.ExternalDoc
	var c int64
	err := r.Scan(append([]any{&d.ID, &d.AgencyID, &d.TypeCode, &d.Code, &d.Title, &clauses, &d.Edition,
		&x.Number, &x.Issuer, &signed, &eff, &expired, &x.Status, &review, &c, &d.CreatedBy}, extra...)...)
	d.Clauses, d.CreatedAt = splitList(clauses), fromMicros(c)
	if x.Number != "" {
		x.SignedOn, _ = qms.ParseDate(signed)
		x.EffectiveOn, _ = qms.ParseDate(eff)
		x.ExpiredOn, _ = qms.ParseDate(expired)
		d.External = &x
	}
	d.NextReviewOn, _ = qms.ParseDate(review)
	return d, err
}

// CreateDocument inserts a document.
func (q Q) CreateDocument(ctx context.Context, d *qms.Document) error {
	var x qms.ExternalDoc
	if d.External != nil {
		x = *d.External
	}
	id, err := q.insert(ctx, `INSERT INTO documents (agency_id, type_code, code, title, clauses, edition, ext_number, ext_issuer, ext_signed_on, ext_effective, ext_expired_on, ext_status,
		next_review_on, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.AgencyID, d.TypeCode, d.Code, d.Title, strings.Join(d.Clauses, ","), d.Edition, x.Number, x.Issuer, x.SignedOn.String(), x.EffectiveOn.String(), x.ExpiredOn.String(), string(x.Status),
		d.NextReviewOn.String(), micros(d.CreatedAt), d.CreatedBy)
	if err != nil {
		return conflict(err, "err.doc_code_taken")
	}
	d.ID = id
	return nil
}

// CreateRevision inserts a revision.
func (q Q) CreateRevision(ctx context.Context, v *qms.Revision) error {
	id, err := q.insert(ctx, `INSERT INTO revisions (agency_id, document_id, number, state, title, change_note, file_sha256, file_name, file_size, file_type, body_text,
		content_hash, effective_on, author_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		v.AgencyID, v.DocumentID, v.Number, v.State, v.Title, v.ChangeNote, v.File.SHA256, v.File.Name, v.File.Size, v.File.Type, v.Text,
		v.ContentHash, v.EffectiveOn.String(), v.AuthorID, micros(v.CreatedAt), micros(v.UpdatedAt))
	if err != nil {
		return conflict(err, "err.revision_exists")
	}
	v.ID, v.Version = id, 1
	return q.indexRevisions(ctx, "r.id = ?", id)
}

// Document returns one document of an agency.
func (q Q) Document(ctx context.Context, agencyID, id int64) (qms.Document, error) {
	d, err := scanDocument(q.row(ctx, "SELECT "+documentColumns+" FROM documents d WHERE d.agency_id = ? AND d.id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, qms.Errorf(qms.ENotFound, "err.doc_not_found")
	}
	return d, err
}

// Documents returns an agency's documents by code, each with its newest and its effective
// revision (the master list).
func (q Q) Documents(ctx context.Context, agencyID int64) ([]qms.Document, error) {
	rows, err := q.query(ctx, "SELECT "+documentColumns+" FROM documents d WHERE d.agency_id = ? ORDER BY d.type_code, d.code", agencyID)
	docs, err := scanAll(rows, err, func(r *sql.Rows) (qms.Document, error) { return scanDocument(r) })
	if err != nil || len(docs) == 0 {
		return docs, err
	}
	byID := map[int64]*qms.Document{}
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	rows, err = q.query(ctx, "SELECT "+revisionColumns+" FROM revisions r WHERE r.agency_id = ? ORDER BY r.document_id, r.number", agencyID)
	revs, err := scanAll(rows, err, func(r *sql.Rows) (qms.Revision, error) { return scanRevision(r) })
	for i := range revs {
		d := byID[revs[i].DocumentID]
		if d == nil {
			continue
		}
		d.Latest = &revs[i]
		if revs[i].State == qms.RevEffective {
			d.Effective = &revs[i]
		}
	}
	return docs, err
}

// DocumentCodes returns the codes an agency's documents use.
func (q Q) DocumentCodes(ctx context.Context, agencyID int64) ([]string, error) {
	rows, err := q.query(ctx, "SELECT code FROM documents WHERE agency_id = ?", agencyID)
	return scanAll(rows, err, func(r *sql.Rows) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
}

// Revisions returns a document's revisions, newest first.
func (q Q) Revisions(ctx context.Context, agencyID, documentID int64) ([]qms.Revision, error) {
	rows, err := q.query(ctx, "SELECT "+revisionColumns+" FROM revisions r WHERE r.agency_id = ? AND r.document_id = ? ORDER BY r.number DESC", agencyID, documentID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Revision, error) { return scanRevision(r) })
}

// Revision returns one revision of an agency, with its extracted text and its attachments.
func (q Q) Revision(ctx context.Context, agencyID, id int64) (qms.Revision, error) {
	var text string
	v, err := scanRevision(q.row(ctx, "SELECT "+revisionColumns+", r.body_text FROM revisions r WHERE r.agency_id = ? AND r.id = ?", agencyID, id), &text)
	if errors.Is(err, sql.ErrNoRows) {
		return v, qms.Errorf(qms.ENotFound, "err.revision_not_found")
	}
	if err != nil {
		return v, err
	}
	v.Text = text
	if v.Attachments, err = q.Attachments(ctx, agencyID, id); err != nil {
		return v, err
	}
	err = q.row(ctx, "SELECT digest FROM process_contents WHERE agency_id = ? AND revision_id = ?", agencyID, id).Scan(&v.ProcessDigest)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return v, err
}

// Attachments returns a revision's attachments in the order they were added.
func (q Q) Attachments(ctx context.Context, agencyID, revisionID int64) ([]qms.Attachment, error) {
	rows, err := q.query(ctx, "SELECT id, file_sha256, file_name, file_size, file_type, body_text FROM revision_attachments WHERE agency_id = ? AND revision_id = ? ORDER BY id",
		agencyID, revisionID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.Attachment, error) {
		var a qms.Attachment
		return a, r.Scan(&a.ID, &a.File.SHA256, &a.File.Name, &a.File.Size, &a.File.Type, &a.Text)
	})
}

// AddAttachment attaches a stored file, with its extracted text, to a revision.
func (q Q) AddAttachment(ctx context.Context, agencyID, revisionID int64, a qms.Attachment, now time.Time) (int64, error) {
	return q.insert(ctx, `INSERT INTO revision_attachments (agency_id, revision_id, file_sha256, file_name, file_size, file_type, body_text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, agencyID, revisionID, a.File.SHA256, a.File.Name, a.File.Size, a.File.Type, a.Text, micros(now))
}

// RemoveAttachment detaches one attachment from a revision (the stored file stays: other
// revisions may hold it).
func (q Q) RemoveAttachment(ctx context.Context, agencyID, revisionID, id int64) error {
	_, err := q.exec(ctx, "DELETE FROM revision_attachments WHERE agency_id = ? AND revision_id = ? AND id = ?", agencyID, revisionID, id)
	return err
}

// UpdateRevision writes a revision whole but its extracted text (SetRevisionText; revisions
// read in lists come without it) if nobody wrote it since version was read; it bumps the
// version. A stale version is a conflict.
func (q Q) UpdateRevision(ctx context.Context, v *qms.Revision, now time.Time) error {
	res, err := q.exec(ctx, `UPDATE revisions SET state = ?, title = ?, change_note = ?, file_sha256 = ?, file_name = ?, file_size = ?, file_type = ?,
		content_hash = ?, submitted_hash = ?, effective_on = ?, checker_id = ?, approver_id = ?, approved_at = ?, reason = ?, round = ?, round_deadline = ?,
		obsolete_on = ?, version = version + 1, updated_at = ? WHERE agency_id = ? AND id = ? AND version = ?`,
		v.State, v.Title, v.ChangeNote, v.File.SHA256, v.File.Name, v.File.Size, v.File.Type, v.ContentHash, v.SubmittedHash,
		v.EffectiveOn.String(), v.CheckerID, v.ApproverID, micros(v.ApprovedAt), v.Reason, v.Round, v.RoundDeadline.String(), v.ObsoleteOn.String(), micros(now), v.AgencyID, v.ID, v.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return qms.Errorf(qms.EConflict, "err.stale")
	}
	v.Version++
	v.UpdatedAt = now
	return q.indexRevisions(ctx, "r.id = ?", v.ID)
}

// SetRevisionText stores the text extracted from a revision's main file and indexes it.
func (q Q) SetRevisionText(ctx context.Context, agencyID, id int64, text string) error {
	if _, err := q.exec(ctx, "UPDATE revisions SET body_text = ? WHERE agency_id = ? AND id = ?", text, agencyID, id); err != nil {
		return err
	}
	return q.indexRevisions(ctx, "r.id = ?", id)
}

// DueRevisions returns approved revisions whose effective date has come, oldest first.
func (q Q) DueRevisions(ctx context.Context, today qms.Date) ([]qms.Revision, error) {
	rows, err := q.query(ctx, "SELECT "+revisionColumns+" FROM revisions r WHERE r.state = ? AND r.effective_on <= ? ORDER BY r.effective_on, r.id",
		qms.RevApproved, today.String())
	return scanAll(rows, err, func(r *sql.Rows) (qms.Revision, error) { return scanRevision(r) })
}

// SetNextReview records a document's next review date.
func (q Q) SetNextReview(ctx context.Context, agencyID, id int64, on qms.Date) error {
	_, err := q.exec(ctx, "UPDATE documents SET next_review_on = ? WHERE agency_id = ? AND id = ?", on.String(), agencyID, id)
	return err
}

// AddReviewers names the reviewers of a revision's comment round.
func (q Q) AddReviewers(ctx context.Context, agencyID, revisionID int64, round int, userIDs []int64) error {
	for _, u := range userIDs {
		if _, err := q.exec(ctx, "INSERT INTO revision_reviewers (agency_id, revision_id, round, user_id) VALUES (?, ?, ?, ?)", agencyID, revisionID, round, u); err != nil {
			return conflict(err, "err.reviewer_twice")
		}
	}
	return nil
}

// Reviewers returns the user ids of a round's reviewers.
func (q Q) Reviewers(ctx context.Context, agencyID, revisionID int64, round int) ([]int64, error) {
	rows, err := q.query(ctx, "SELECT user_id FROM revision_reviewers WHERE agency_id = ? AND revision_id = ? AND round = ? ORDER BY user_id", agencyID, revisionID, round)
	return scanAll(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

const commentColumns = "id, revision_id, round, author_id, body, created_at, answer, answer_note, answered_by, answered_at"

func scanComment(r interface{ Scan(...any) error }) (qms.RevisionComment, error) {
	var c qms.RevisionComment
	var at, ans int64
	err := r.Scan(&c.ID, &c.RevisionID, &c.Round, &c.AuthorID, &c.Body, &at, &c.Answer, &c.AnswerNote, &c.AnsweredBy, &ans)
	c.CreatedAt, c.AnsweredAt = fromMicros(at), fromMicros(ans)
	return c, err
}

// CreateComment inserts a reviewer's comment.
func (q Q) CreateComment(ctx context.Context, agencyID int64, c *qms.RevisionComment) error {
	id, err := q.insert(ctx, "INSERT INTO revision_comments (agency_id, revision_id, round, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		agencyID, c.RevisionID, c.Round, c.AuthorID, c.Body, micros(c.CreatedAt))
	c.ID = id
	return err
}

// Comments returns a revision's comments, every round, oldest first.
func (q Q) Comments(ctx context.Context, agencyID, revisionID int64) ([]qms.RevisionComment, error) {
	rows, err := q.query(ctx, "SELECT "+commentColumns+" FROM revision_comments WHERE agency_id = ? AND revision_id = ? ORDER BY round, id", agencyID, revisionID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.RevisionComment, error) { return scanComment(r) })
}

// Comment returns one comment of an agency.
func (q Q) Comment(ctx context.Context, agencyID, id int64) (qms.RevisionComment, error) {
	c, err := scanComment(q.row(ctx, "SELECT "+commentColumns+" FROM revision_comments WHERE agency_id = ? AND id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, qms.Errorf(qms.ENotFound, "err.comment_not_found")
	}
	return c, err
}

// AnswerComment records the author's answer to a comment.
func (q Q) AnswerComment(ctx context.Context, agencyID int64, c qms.RevisionComment) error {
	_, err := q.exec(ctx, "UPDATE revision_comments SET answer = ?, answer_note = ?, answered_by = ?, answered_at = ? WHERE agency_id = ? AND id = ?",
		c.Answer, c.AnswerNote, c.AnsweredBy, micros(c.AnsweredAt), agencyID, c.ID)
	return err
}

// SetReaders replaces a document's distribution list (empty: the whole agency).
func (q Q) SetReaders(ctx context.Context, agencyID, documentID int64, userIDs []int64) error {
	if _, err := q.exec(ctx, "DELETE FROM document_readers WHERE agency_id = ? AND document_id = ?", agencyID, documentID); err != nil {
		return err
	}
	for _, u := range userIDs {
		if _, err := q.exec(ctx, "INSERT INTO document_readers (agency_id, document_id, user_id) VALUES (?, ?, ?)", agencyID, documentID, u); err != nil {
			return conflict(err, "err.reader_twice")
		}
	}
	return nil
}

// Readers returns a document's distribution list (empty: the whole agency).
func (q Q) Readers(ctx context.Context, agencyID, documentID int64) ([]int64, error) {
	rows, err := q.query(ctx, "SELECT user_id FROM document_readers WHERE agency_id = ? AND document_id = ? ORDER BY user_id", agencyID, documentID)
	return scanAll(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// AgencyMembers returns the active accounts holding a role in an agency.
func (q Q) AgencyMembers(ctx context.Context, agencyID int64) ([]int64, error) {
	rows, err := q.query(ctx, `SELECT DISTINCT u.id FROM users u JOIN role_grants g ON g.user_id = u.id WHERE g.agency_id = ? AND NOT u.disabled ORDER BY u.id`, agencyID)
	return scanAll(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// AddAcknowledgements asks each user to acknowledge a revision.
func (q Q) AddAcknowledgements(ctx context.Context, agencyID, revisionID int64, userIDs []int64) error {
	for _, u := range userIDs {
		if _, err := q.exec(ctx, "INSERT INTO acknowledgements (agency_id, revision_id, user_id) VALUES (?, ?, ?)", agencyID, revisionID, u); err != nil {
			return conflict(err, "err.ack_twice")
		}
	}
	return nil
}

// Acknowledgement is one reader's acknowledgement of a revision (At zero: still pending).
type Acknowledgement struct {
	RevisionID int64
	UserID     int64
	At         time.Time
}

// Acknowledgements returns who must acknowledge a revision and who did.
func (q Q) Acknowledgements(ctx context.Context, agencyID, revisionID int64) ([]Acknowledgement, error) {
	rows, err := q.query(ctx, "SELECT revision_id, user_id, acknowledged_at FROM acknowledgements WHERE agency_id = ? AND revision_id = ? ORDER BY user_id", agencyID, revisionID)
	return scanAll(rows, err, func(r *sql.Rows) (Acknowledgement, error) {
		var a Acknowledgement
		var at int64
		err := r.Scan(&a.RevisionID, &a.UserID, &at)
		a.At = fromMicros(at)
		return a, err
	})
}

// Acknowledge records that a user read a revision; false if nothing was pending.
func (q Q) Acknowledge(ctx context.Context, agencyID, revisionID, userID int64, at time.Time) (bool, error) {
	res, err := q.exec(ctx, "UPDATE acknowledgements SET acknowledged_at = ? WHERE agency_id = ? AND revision_id = ? AND user_id = ? AND acknowledged_at = 0",
		micros(at), agencyID, revisionID, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// PendingRead is a revision a user has yet to acknowledge.
type PendingRead struct {
	AgencyCode   string
	DocumentID   int64
	DocumentCode string
	Title        string
	RevisionID   int64
	Number       int
	EffectiveOn  qms.Date
}

// PendingReads returns what a user has yet to acknowledge, newest first (agencyID 0: every agency).
func (q Q) PendingReads(ctx context.Context, userID, agencyID int64, limit int) ([]PendingRead, error) {
	rows, err := q.query(ctx, `SELECT a.code, d.id, d.code, r.title, r.id, r.number, r.effective_on FROM acknowledgements k
		JOIN revisions r ON r.id = k.revision_id JOIN documents d ON d.id = r.document_id JOIN agencies a ON a.id = k.agency_id
		WHERE k.user_id = ? AND k.acknowledged_at = 0 AND r.state = 'effective' AND (? = 0 OR k.agency_id = ?) ORDER BY r.effective_on DESC, r.id DESC LIMIT ?`,
		userID, agencyID, agencyID, limit)
	return scanAll(rows, err, func(r *sql.Rows) (PendingRead, error) {
		var p PendingRead
		var eff string
		err := r.Scan(&p.AgencyCode, &p.DocumentID, &p.DocumentCode, &p.Title, &p.RevisionID, &p.Number, &eff)
		p.EffectiveOn, _ = qms.ParseDate(eff)
		return p, err
	})
}

// PendingCounts returns, per user with something pending in an agency, how many revisions
// they have yet to acknowledge.
func (q Q) PendingCounts(ctx context.Context, agencyID int64) (map[int64]int, error) {
	return q.countsByID(ctx, `SELECT k.user_id, COUNT(*) FROM acknowledgements k JOIN revisions r ON r.id = k.revision_id
		WHERE k.agency_id = ? AND k.acknowledged_at = 0 AND r.state = ? GROUP BY k.user_id`, agencyID, qms.RevEffective)
}

// countsByID runs a query of (id, count) rows into a map.
func (q Q) countsByID(ctx context.Context, query string, args ...any) (map[int64]int, error) {
	rows, err := q.query(ctx, query, args...)
	type kv struct {
		id int64
		n  int
	}
	list, err := scanAll(rows, err, func(r *sql.Rows) (kv, error) {
		var x kv
		return x, r.Scan(&x.id, &x.n)
	})
	out := map[int64]int{}
	for _, x := range list {
		out[x.id] = x.n
	}
	return out, err
}

const changeRequestColumns = "id, document_id, requester_id, body, state, reason, decided_by, decided_at, revision_id, created_at"

func scanChangeRequest(r interface{ Scan(...any) error }) (qms.ChangeRequest, error) {
	var c qms.ChangeRequest
	var d, at int64
	err := r.Scan(&c.ID, &c.DocumentID, &c.RequesterID, &c.Body, &c.State, &c.Reason, &c.DecidedBy, &d, &c.RevisionID, &at)
	c.DecidedAt, c.CreatedAt = fromMicros(d), fromMicros(at)
	return c, err
}

// CreateChangeRequest inserts a change request.
func (q Q) CreateChangeRequest(ctx context.Context, agencyID int64, c *qms.ChangeRequest) error {
	id, err := q.insert(ctx, "INSERT INTO change_requests (agency_id, document_id, requester_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
		agencyID, c.DocumentID, c.RequesterID, c.Body, micros(c.CreatedAt))
	c.ID, c.State = id, "open"
	return err
}

// ChangeRequests returns a document's change requests, newest first.
func (q Q) ChangeRequests(ctx context.Context, agencyID, documentID int64) ([]qms.ChangeRequest, error) {
	rows, err := q.query(ctx, "SELECT "+changeRequestColumns+" FROM change_requests WHERE agency_id = ? AND document_id = ? ORDER BY id DESC", agencyID, documentID)
	return scanAll(rows, err, func(r *sql.Rows) (qms.ChangeRequest, error) { return scanChangeRequest(r) })
}

// ChangeRequest returns one change request of an agency.
func (q Q) ChangeRequest(ctx context.Context, agencyID, id int64) (qms.ChangeRequest, error) {
	c, err := scanChangeRequest(q.row(ctx, "SELECT "+changeRequestColumns+" FROM change_requests WHERE agency_id = ? AND id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, qms.Errorf(qms.ENotFound, "err.change_request_not_found")
	}
	return c, err
}

// DecideChangeRequest records the decision on an open request; false if it was decided already.
func (q Q) DecideChangeRequest(ctx context.Context, agencyID int64, c qms.ChangeRequest) (bool, error) {
	res, err := q.exec(ctx, "UPDATE change_requests SET state = ?, reason = ?, decided_by = ?, decided_at = ?, revision_id = ? WHERE agency_id = ? AND id = ? AND state = 'open'",
		c.State, c.Reason, c.DecidedBy, micros(c.DecidedAt), c.RevisionID, agencyID, c.ID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// OpenChangeRequests counts open change requests per document of an agency.
func (q Q) OpenChangeRequests(ctx context.Context, agencyID int64) (map[int64]int, error) {
	rows, err := q.query(ctx, "SELECT document_id, COUNT(*) FROM change_requests WHERE agency_id = ? AND state = 'open' GROUP BY document_id", agencyID)
	type kv struct {
		d int64
		n int
	}
	list, err := scanAll(rows, err, func(r *sql.Rows) (kv, error) {
		var x kv
		return x, r.Scan(&x.d, &x.n)
	})
	out := map[int64]int{}
	for _, x := range list {
		out[x.d] = x.n
	}
	return out, err
}

const modelColumns = "id, type_code, title, clauses, edition, file_sha256, file_name, file_size, file_type, note, published_at, published_by"

func scanModel(r interface{ Scan(...any) error }) (qms.DocModel, error) {
	var m qms.DocModel
	var clauses string
	var at int64
	err := r.Scan(&m.ID, &m.TypeCode, &m.Title, &clauses, &m.Edition, &m.File.SHA256, &m.File.Name, &m.File.Size, &m.File.Type, &m.Note, &at, &m.PublishedBy)
	m.Clauses, m.PublishedAt = splitList(clauses), fromMicros(at)
	return m, err
}

// CreateModel inserts a model document.
func (q Q) CreateModel(ctx context.Context, m *qms.DocModel) error {
	id, err := q.insert(ctx, "INSERT INTO doc_models ("+strings.TrimPrefix(modelColumns, "id, ")+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		m.TypeCode, m.Title, strings.Join(m.Clauses, ","), m.Edition, m.File.SHA256, m.File.Name, m.File.Size, m.File.Type, m.Note, micros(m.PublishedAt), m.PublishedBy)
	m.ID = id
	return err
}

// Models returns the model documents, newest first.
func (q Q) Models(ctx context.Context) ([]qms.DocModel, error) {
	rows, err := q.query(ctx, "SELECT "+modelColumns+" FROM doc_models ORDER BY id DESC")
	return scanAll(rows, err, func(r *sql.Rows) (qms.DocModel, error) { return scanModel(r) })
}

// Model returns one model document.
func (q Q) Model(ctx context.Context, id int64) (qms.DocModel, error) {
	m, err := scanModel(q.row(ctx, "SELECT "+modelColumns+" FROM doc_models WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, qms.Errorf(qms.ENotFound, "err.model_not_found")
	}
	return m, err
}

// SetExternal records a legal text's standing (in force, amended, repealed) and dates.
func (q Q) SetExternal(ctx context.Context, agencyID, id int64, x qms.ExternalDoc) error {
	_, err := q.exec(ctx, `UPDATE documents SET ext_number = ?, ext_issuer = ?, ext_signed_on = ?, ext_effective = ?, ext_expired_on = ?, ext_status = ?
		WHERE agency_id = ? AND id = ?`, x.Number, x.Issuer, x.SignedOn.String(), x.EffectiveOn.String(), x.ExpiredOn.String(), string(x.Status), agencyID, id)
	if err != nil {
		return err
	}
	return q.indexRevisions(ctx, "r.agency_id = ? AND r.document_id = ?", agencyID, id)
}

// SetDocumentUnits sets the units a document is distributed to.
func (q Q) SetDocumentUnits(ctx context.Context, agencyID, documentID int64, unitIDs []int64) error {
	if _, err := q.exec(ctx, "DELETE FROM document_units WHERE agency_id = ? AND document_id = ?", agencyID, documentID); err != nil {
		return err
	}
	for _, u := range unitIDs {
		if _, err := q.exec(ctx, "INSERT INTO document_units (agency_id, document_id, unit_id) VALUES (?, ?, ?)", agencyID, documentID, u); err != nil {
			return err
		}
	}
	return nil
}

// DocumentUnits returns the units a document is distributed to.
func (q Q) DocumentUnits(ctx context.Context, agencyID, documentID int64) ([]int64, error) {
	return q.ids(ctx, "SELECT unit_id FROM document_units WHERE agency_id = ? AND document_id = ? ORDER BY unit_id", agencyID, documentID)
}

// AddUnitAcknowledgements asks units to acknowledge a revision that took effect.
func (q Q) AddUnitAcknowledgements(ctx context.Context, agencyID, revisionID int64, unitIDs []int64) error {
	for _, u := range unitIDs {
		if _, err := q.exec(ctx, `INSERT INTO unit_acknowledgements (agency_id, revision_id, unit_id) VALUES (?, ?, ?)
			ON CONFLICT (revision_id, unit_id) DO NOTHING`, agencyID, revisionID, u); err != nil {
			return err
		}
	}
	return nil
}

// UnitAcknowledgement is a unit's acknowledgement of a revision (By 0: still to give).
type UnitAcknowledgement struct {
	UnitID int64
	By     int64
	At     time.Time
}

// UnitAcknowledgements returns the units asked to acknowledge a revision, with their answers.
func (q Q) UnitAcknowledgements(ctx context.Context, agencyID, revisionID int64) ([]UnitAcknowledgement, error) {
	rows, err := q.query(ctx, "SELECT unit_id, acknowledged_by, acknowledged_at FROM unit_acknowledgements WHERE agency_id = ? AND revision_id = ? ORDER BY unit_id",
		agencyID, revisionID)
	return scanAll(rows, err, func(r *sql.Rows) (UnitAcknowledgement, error) {
		var k UnitAcknowledgement
		var at int64
		err := r.Scan(&k.UnitID, &k.By, &at)
		k.At = fromMicros(at)
		return k, err
	})
}

// AcknowledgeForUnit records a unit's acknowledgement once; it reports whether one was due.
func (q Q) AcknowledgeForUnit(ctx context.Context, agencyID, revisionID, unitID, by int64, at time.Time) (bool, error) {
	res, err := q.exec(ctx, `UPDATE unit_acknowledgements SET acknowledged_by = ?, acknowledged_at = ?
		WHERE agency_id = ? AND revision_id = ? AND unit_id = ? AND acknowledged_at = 0`, by, micros(at), agencyID, revisionID, unitID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// PendingUnitCounts counts, per unit of an agency, the revisions in force it has yet to
// acknowledge.
func (q Q) PendingUnitCounts(ctx context.Context, agencyID int64) (map[int64]int, error) {
	return q.countsByID(ctx, `SELECT k.unit_id, count(*) FROM unit_acknowledgements k JOIN revisions r ON r.id = k.revision_id
		WHERE k.agency_id = ? AND k.acknowledged_at = 0 AND r.state = ? GROUP BY k.unit_id`, agencyID, qms.RevEffective)
}

// PurgeRevision destroys an obsolete revision's content: its text and its attachments; the
// record with its hash stays. It returns the stored files the revision used (its main file and
// attachments), for the caller to delete those nothing else uses any more (FileInUse).
func (q Q) PurgeRevision(ctx context.Context, agencyID, id, by int64, now time.Time) ([]string, error) {
	var sha string
	if err := q.row(ctx, "SELECT file_sha256 FROM revisions WHERE agency_id = ? AND id = ?", agencyID, id).Scan(&sha); err != nil {
		return nil, err
	}
	atts, err := q.Attachments(ctx, agencyID, id)
	if err != nil {
		return nil, err
	}
	var files []string
	if sha != "" {
		files = append(files, sha)
	}
	for _, a := range atts {
		files = append(files, a.File.SHA256)
	}
	if _, err := q.exec(ctx, "DELETE FROM revision_attachments WHERE agency_id = ? AND revision_id = ?", agencyID, id); err != nil {
		return nil, err
	}
	if _, err := q.exec(ctx, "UPDATE revisions SET body_text = '', purged_at = ?, purged_by = ?, version = version + 1 WHERE agency_id = ? AND id = ?",
		micros(now), by, agencyID, id); err != nil {
		return nil, err
	}
	return files, q.indexRevisions(ctx, "r.id = ?", id)
}

// FileInUse reports whether a stored file is still referred to by anything not destroyed.
func (q Q) FileInUse(ctx context.Context, sha string) (bool, error) {
	var n int
	err := q.row(ctx, `SELECT (SELECT count(*) FROM revisions WHERE file_sha256 = ? AND purged_at = 0) + (SELECT count(*) FROM revision_attachments WHERE file_sha256 = ?)
		+ (SELECT count(*) FROM evidence WHERE file_sha256 = ?) + (SELECT count(*) FROM committees WHERE rules_file_sha256 = ?) + (SELECT count(*) FROM doc_models WHERE file_sha256 = ?)`,
		sha, sha, sha, sha, sha).Scan(&n)
	return n > 0, err
}

// ProcessContent returns a revision's structured process content; ok is false when it has none.
func (q Q) ProcessContent(ctx context.Context, agencyID, revisionID int64) (qms.ProcessContent, bool, error) {
	var c qms.ProcessContent
	var raw string
	err := q.row(ctx, "SELECT content FROM process_contents WHERE agency_id = ? AND revision_id = ?", agencyID, revisionID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	return c, true, json.Unmarshal([]byte(raw), &c)
}

// SetProcessContent writes a revision's structured process content.
func (q Q) SetProcessContent(ctx context.Context, agencyID, revisionID int64, c qms.ProcessContent) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = q.exec(ctx, `INSERT INTO process_contents (revision_id, agency_id, procedures, content, digest) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (revision_id) DO UPDATE SET procedures = excluded.procedures, content = excluded.content, digest = excluded.digest`,
		revisionID, agencyID, " "+strings.Join(c.Procedures, " ")+" ", string(raw), c.Digest())
	return err
}

// EffectiveProcess returns the content of an agency's process in force for a procedure (its
// revision id, 0 when there is none).
func (q Q) EffectiveProcess(ctx context.Context, agencyID int64, procedureCode string) (int64, qms.ProcessContent, error) {
	var c qms.ProcessContent
	var id int64
	var raw string
	err := q.row(ctx, `SELECT p.revision_id, p.content FROM process_contents p JOIN revisions r ON r.id = p.revision_id
		WHERE p.agency_id = ? AND r.state = ? AND p.procedures LIKE ? ESCAPE '\' ORDER BY p.revision_id DESC LIMIT 1`,
		agencyID, qms.RevEffective, "% "+search.EscapeLike(procedureCode)+" %").Scan(&id, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, c, nil
	}
	if err != nil {
		return 0, c, err
	}
	return id, c, json.Unmarshal([]byte(raw), &c)
}
