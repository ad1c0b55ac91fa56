package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

func (h *Handlers) docTypes(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.DocTypes(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, Page[qms.DocType]{Items: append([]qms.DocType{}, list...)})
}

func (h *Handlers) createDocType(w http.ResponseWriter, r *http.Request) {
	var in qms.DocType
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	t, err := h.svc.CreateDocType(r.Context(), httpkit.ActorOf(r), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

// updateDocType changes the fields the body names; the others keep their values.
func (h *Handlers) updateDocType(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.DocType(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	code := t.Code
	if err := decode(r, &t); err != nil {
		h.writeError(w, r, err)
		return
	}
	if t, err = h.svc.UpdateDocType(r.Context(), httpkit.ActorOf(r), code, t); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

type clauseJSON struct {
	No     string   `json:"no"`
	VI     string   `json:"vi"`
	EN     string   `json:"en"`
	Depth  int      `json:"depth"`
	To2015 []string `json:"to_2015,omitempty"`
}

func (h *Handlers) clauses(w http.ResponseWriter, r *http.Request) {
	e, ok := qms.ClauseEditionFor(r.PathValue("edition"))
	if !ok {
		h.writeError(w, r, qms.Errorf(qms.ENotFound, "err.edition_not_found"))
		return
	}
	out := struct {
		Edition   string                   `json:"edition"`
		Covers    []string                 `json:"covers"`
		Clauses   []clauseJSON             `json:"clauses"`
		Mandatory []qms.MandatoryProcedure `json:"mandatory_procedures,omitempty"`
	}{Edition: e.Edition, Covers: e.Covers, Clauses: []clauseJSON{}}
	for _, c := range e.Clauses {
		cj := clauseJSON{No: c.No, VI: c.VI, EN: c.EN, Depth: c.Depth()}
		if e.Edition == "2008" {
			cj.To2015 = qms.Clauses2015For(c.No)
		}
		out.Clauses = append(out.Clauses, cj)
	}
	if e.Edition == "2008" {
		out.Mandatory = qms.Mandatory2008()
	}
	writeJSON(w, http.StatusOK, out)
}

type revisionJSON struct {
	ID            int64            `json:"id"`
	Number        int              `json:"number"`
	State         qms.RevState     `json:"state"`
	Obsolete      bool             `json:"obsolete"`
	Title         string           `json:"title"`
	ChangeNote    string           `json:"change_note"`
	File          *qms.FileRef     `json:"file"`
	Attachments   []attachmentJSON `json:"attachments"`
	ContentHash   string           `json:"content_sha256"`
	SubmittedHash string           `json:"submitted_sha256"`
	EffectiveOn   *qms.Date        `json:"effective_on"`
	AuthorID      int64            `json:"author_id"`
	CheckerID     int64            `json:"checker_id,omitempty"`
	ApproverID    int64            `json:"approver_id,omitempty"`
	ApprovedAt    *time.Time       `json:"approved_at"`
	Reason        string           `json:"reason,omitempty"`
	ObsoleteOn    *qms.Date        `json:"obsolete_on"`
	DestroyedAt   *time.Time       `json:"destroyed_at"`
	Version       int64            `json:"version"`
	Events        []string         `json:"events"`
}

type attachmentJSON struct {
	ID   int64       `json:"id"`
	File qms.FileRef `json:"file"`
}

func revisionOut(v *qms.Revision) *revisionJSON {
	if v == nil {
		return nil
	}
	out := &revisionJSON{ID: v.ID, Number: v.Number, State: v.State, Obsolete: v.State.Obsolete(), Title: v.Title, ChangeNote: v.ChangeNote,
		ContentHash: v.ContentHash, SubmittedHash: v.SubmittedHash, AuthorID: v.AuthorID, CheckerID: v.CheckerID, ApproverID: v.ApproverID,
		ApprovedAt: optTime(v.ApprovedAt), Reason: v.Reason, Version: v.Version, Events: []string{}}
	if v.File.SHA256 != "" {
		f := v.File
		out.File = &f
	}
	if !v.ObsoleteOn.IsZero() {
		d := v.ObsoleteOn
		out.ObsoleteOn = &d
	}
	out.DestroyedAt = optTime(v.PurgedAt)
	out.Attachments = []attachmentJSON{}
	for _, a := range v.Attachments {
		out.Attachments = append(out.Attachments, attachmentJSON{ID: a.ID, File: a.File})
	}
	if !v.EffectiveOn.IsZero() {
		d := v.EffectiveOn
		out.EffectiveOn = &d
	}
	for _, e := range v.State.Events() {
		if e != qms.EvPublish && e != qms.EvSupersede {
			out.Events = append(out.Events, string(e))
		}
	}
	return out
}

type documentJSON struct {
	ID           int64            `json:"id"`
	Code         string           `json:"code"`
	Type         string           `json:"type"`
	Title        string           `json:"title"`
	Clauses      []string         `json:"clauses"`
	Edition      string           `json:"edition"`
	External     *qms.ExternalDoc `json:"external"`
	NextReviewOn *qms.Date        `json:"next_review_on"`
	Effective    *revisionJSON    `json:"effective"`
	Latest       *revisionJSON    `json:"latest"`
}

func documentOut(d qms.Document) documentJSON {
	out := documentJSON{ID: d.ID, Code: d.Code, Type: d.TypeCode, Title: d.Title, Clauses: append([]string{}, d.Clauses...), Edition: d.Edition, External: d.External,
		Effective: revisionOut(d.Effective), Latest: revisionOut(d.Latest)}
	if !d.NextReviewOn.IsZero() {
		n := d.NextReviewOn
		out.NextReviewOn = &n
	}
	return out
}

func (h *Handlers) documents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	_, list, err := h.svc.Documents(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), service.DocumentFilter{Type: q.Get("type"), State: q.Get("state"), Query: q.Get("q")})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[documentJSON]{Items: []documentJSON{}}
	for _, d := range list {
		page.Items = append(page.Items, documentOut(d))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) createDocument(w http.ResponseWriter, r *http.Request) {
	var in service.DocumentInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	d, err := h.svc.CreateDocument(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, documentOut(d))
}

func (h *Handlers) document(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Document(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := struct {
		documentJSON
		Revisions []*revisionJSON `json:"revisions"`
		Reviewers []personJSON    `json:"reviewers"`
		Comments  []commentJSON   `json:"comments"`
		Readers   []personJSON    `json:"readers"`
		Acks      []ackJSON       `json:"acknowledgements"`
		Units     []unitRefJSON   `json:"units"`
		UnitAcks  []unitAckJSON   `json:"unit_acknowledgements"`
		Requests  []changeReqJSON `json:"change_requests"`
	}{documentJSON: documentOut(v.Document), Revisions: []*revisionJSON{}, Reviewers: []personJSON{}, Comments: []commentJSON{},
		Readers: []personJSON{}, Acks: []ackJSON{}, Units: []unitRefJSON{}, UnitAcks: []unitAckJSON{}, Requests: []changeReqJSON{}}
	for _, u := range v.Units {
		out.Units = append(out.Units, unitRefJSON{u.ID, u.Code, u.Name})
	}
	for _, k := range v.UnitAcks {
		u := v.UnitsOf[k.UnitID]
		a := unitAckJSON{Unit: unitRefJSON{u.ID, u.Code, u.Name}, At: optTime(k.At)}
		if k.By != 0 {
			a.By = &personJSON{k.By, v.People[k.By]}
		}
		out.UnitAcks = append(out.UnitAcks, a)
	}
	for _, c := range v.Requests {
		out.Requests = append(out.Requests, changeReqOut(c))
	}
	for _, id := range v.Readers {
		out.Readers = append(out.Readers, personJSON{id, v.People[id]})
	}
	for _, k := range v.Acks {
		out.Acks = append(out.Acks, ackJSON{k.RevisionID, personJSON{k.UserID, v.People[k.UserID]}, optTime(k.At)})
	}
	for _, id := range v.Reviewers {
		out.Reviewers = append(out.Reviewers, personJSON{id, v.People[id]})
	}
	for _, c := range v.Comments {
		out.Comments = append(out.Comments, commentOut(c))
	}
	for i := range v.Revisions {
		out.Revisions = append(out.Revisions, revisionOut(&v.Revisions[i]))
		if v.Revisions[i].State == qms.RevEffective {
			out.Effective = revisionOut(&v.Revisions[i])
		}
	}
	if len(v.Revisions) > 0 {
		out.Latest = revisionOut(&v.Revisions[0])
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handlers) updateDraft(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in service.DraftInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.UpdateDraft(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, revisionOut(&v))
}

// uploadRevisionFile takes a draft's main file as the multipart part "file"; ?version= guards
// against overwriting someone else's change.
func (h *Handlers) uploadRevisionFile(w http.ResponseWriter, r *http.Request) {
	h.uploadToRevision(w, r, http.StatusOK, h.svc.UploadMainFile)
}

// uploadToRevision reads a revision's file from the multipart part "file" and hands it to put
// with the ?version= the caller read.
func (h *Handlers) uploadToRevision(w http.ResponseWriter, r *http.Request, status int,
	put func(context.Context, *qms.Actor, string, int64, int64, io.Reader, string) (qms.Revision, error)) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	version, err := versionOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	part, _, err := filePart(r, "file", "err.evidence_empty")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := put(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, version, part, part.FileName())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, status, revisionOut(&v))
}

func (h *Handlers) transition(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in service.TransitionRequest
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Transition(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, revisionOut(&v))
}

func (h *Handlers) newRevision(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.NewRevision(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, revisionOut(&v))
}

// revisionFile sends a revision's main file; an obsolete one is named "HET-HIEU-LUC_…" and
// says so in a header, so that nobody takes it for the one in force.
func (h *Handlers) revisionFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	d, err := h.svc.OpenRevisionFile(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	h.sendDownload(w, r, d, err)
}

// attachmentFile sends one attachment of a revision, marked like the main file.
func (h *Handlers) attachmentFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	att, err2 := pathID(r, "att")
	if err = errors.Join(err, err2); err != nil {
		h.writeError(w, r, err)
		return
	}
	d, err := h.svc.OpenAttachment(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, att)
	h.sendDownload(w, r, d, err)
}

func (h *Handlers) sendDownload(w http.ResponseWriter, r *http.Request, d service.Download, err error) {
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	defer d.Close()
	w.Header().Set("X-Revision-State", string(d.Revision.State))
	sendFile(w, d.Base, d.File, d)
}

// versionOf reads ?version= (0 when absent): the revision's version as the caller read it, so
// that nobody overwrites a change they have not seen.
func versionOf(r *http.Request) (int64, error) {
	s := r.URL.Query().Get("version")
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 1 {
		return 0, invalid("version", "err.invalid")
	}
	return v, nil
}

// addAttachment attaches an uploaded file (multipart part "file"; ?version= as for the main
// file) to a revision that may still change.
func (h *Handlers) addAttachment(w http.ResponseWriter, r *http.Request) {
	h.uploadToRevision(w, r, http.StatusCreated, h.svc.AddAttachment)
}

// removeAttachment detaches an attachment (?version= guards against a concurrent edit).
func (h *Handlers) removeAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	att, err2 := pathID(r, "att")
	if err = errors.Join(err, err2); err != nil {
		h.writeError(w, r, err)
		return
	}
	version, err := versionOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.RemoveAttachment(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, version, att)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, revisionOut(&v))
}

type personJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type commentJSON struct {
	ID         int64             `json:"id"`
	RevisionID int64             `json:"revision_id"`
	Round      int               `json:"round"`
	AuthorID   int64             `json:"author_id"`
	Body       string            `json:"body"`
	CreatedAt  time.Time         `json:"created_at"`
	Answer     qms.CommentAnswer `json:"answer"`
	AnswerNote string            `json:"answer_note"`
	AnsweredBy int64             `json:"answered_by,omitempty"`
	AnsweredAt *time.Time        `json:"answered_at"`
}

func commentOut(c qms.RevisionComment) commentJSON {
	return commentJSON{c.ID, c.RevisionID, c.Round, c.AuthorID, c.Body, c.CreatedAt, c.Answer, c.AnswerNote, c.AnsweredBy, optTime(c.AnsweredAt)}
}

func (h *Handlers) commentRevision(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.CommentRevision(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.Body)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, commentOut(c))
}

func (h *Handlers) answerComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Answer qms.CommentAnswer `json:"answer"`
		Note   string            `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.AnswerComment(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.Answer, in.Note)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, commentOut(c))
}

func (h *Handlers) reviewNoChange(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Note string `json:"note"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	d, err := h.svc.ReviewNoChange(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.Note)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, documentOut(d))
}

type ackJSON struct {
	RevisionID int64      `json:"revision_id"`
	Reader     personJSON `json:"reader"`
	At         *time.Time `json:"acknowledged_at"`
}

type unitRefJSON struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// unitAckJSON is a unit's acknowledgement of the revision in force (by and at: null until given).
type unitAckJSON struct {
	Unit unitRefJSON `json:"unit"`
	By   *personJSON `json:"acknowledged_by"`
	At   *time.Time  `json:"acknowledged_at"`
}

// setUnits answers PUT …/documents/{id}/units: {"units": ["VP", …]} by unit code.
func (h *Handlers) setUnits(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Units []string `json:"units"`
	}
	h.setDistribution(w, r, &in, func() []string { return in.Units }, h.svc.SetDistributionUnits)
}

// setDistribution decodes a distribution list into in and hands list() to set.
func (h *Handlers) setDistribution(w http.ResponseWriter, r *http.Request, in any, list func() []string,
	set func(context.Context, *qms.Actor, string, int64, []string) error) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := decode(r, in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := set(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, list()); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// acknowledgeForUnit answers POST …/revisions/{id}/unit-acknowledgements: {"unit_id": n}.
func (h *Handlers) acknowledgeForUnit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if !service.MayAcknowledgeForUnits(httpkit.ActorOf(r), qms.NormalizeCode(r.PathValue("code"))) {
		h.writeError(w, r, qms.Errorf(qms.EForbidden, "err.forbidden"))
		return
	}
	var in struct {
		UnitID int64 `json:"unit_id"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.AcknowledgeForUnit(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.UnitID); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) setReaders(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Readers []string `json:"readers"`
	}
	h.setDistribution(w, r, &in, func() []string { return in.Readers }, h.svc.SetReaders)
}

func (h *Handlers) acknowledge(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = h.svc.Acknowledge(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) myReading(w http.ResponseWriter, r *http.Request) {
	limit, err := limitOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list, err := h.svc.MyPendingReads(r.Context(), httpkit.ActorOf(r), limit)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	type item struct {
		Agency      string   `json:"agency"`
		DocumentID  int64    `json:"document_id"`
		Code        string   `json:"code"`
		Title       string   `json:"title"`
		RevisionID  int64    `json:"revision_id"`
		Number      int      `json:"number"`
		EffectiveOn qms.Date `json:"effective_on"`
	}
	page := Page[item]{Items: []item{}}
	for _, p := range list {
		page.Items = append(page.Items, item{p.AgencyCode, p.DocumentID, p.DocumentCode, p.Title, p.RevisionID, p.Number, p.EffectiveOn})
	}
	writeJSON(w, http.StatusOK, page)
}

type changeReqJSON struct {
	ID          int64      `json:"id"`
	DocumentID  int64      `json:"document_id"`
	RequesterID int64      `json:"requester_id"`
	Body        string     `json:"body"`
	State       string     `json:"state"`
	Reason      string     `json:"reason"`
	DecidedBy   int64      `json:"decided_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at"`
	RevisionID  int64      `json:"revision_id,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

func changeReqOut(c qms.ChangeRequest) changeReqJSON {
	return changeReqJSON{c.ID, c.DocumentID, c.RequesterID, c.Body, c.State, c.Reason, c.DecidedBy, optTime(c.DecidedAt), c.RevisionID, c.CreatedAt}
}

func (h *Handlers) fileChangeRequest(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.FileChangeRequest(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.Body)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, changeReqOut(c))
}

func (h *Handlers) decideChangeRequest(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = service.MayDecideChangeRequests(httpkit.ActorOf(r), r.PathValue("code"))
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Accept bool   `json:"accept"`
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.DecideChangeRequest(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.Accept, in.Reason)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, changeReqOut(c))
}

type modelJSON struct {
	ID          int64       `json:"id"`
	Type        string      `json:"type"`
	Title       string      `json:"title"`
	Clauses     []string    `json:"clauses"`
	Edition     string      `json:"edition"`
	File        qms.FileRef `json:"file"`
	Note        string      `json:"note"`
	PublishedAt time.Time   `json:"published_at"`
}

func modelOut(m qms.DocModel) modelJSON {
	return modelJSON{m.ID, m.TypeCode, m.Title, append([]string{}, m.Clauses...), m.Edition, m.File, m.Note, m.PublishedAt}
}

func (h *Handlers) models(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Models(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[modelJSON]{Items: []modelJSON{}}
	for _, m := range list {
		page.Items = append(page.Items, modelOut(m))
	}
	writeJSON(w, http.StatusOK, page)
}

// publishModel takes multipart fields type, title, edition, clauses (comma-separated) and note,
// then the part "file".
func (h *Handlers) publishModel(w http.ResponseWriter, r *http.Request) {
	part, fields, err := filePart(r, "file", "err.main_file_required")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in := service.ModelInput{Type: fields["type"], Title: fields["title"], Edition: fields["edition"], Note: fields["note"], File: part, FileName: part.FileName(),
		Clauses: qms.SplitList(fields["clauses"])}
	m, err := h.svc.PublishModel(r.Context(), httpkit.ActorOf(r), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, modelOut(m))
}

func (h *Handlers) modelFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	m, f, err := h.svc.OpenModelFile(r.Context(), httpkit.ActorOf(r), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	defer f.Close()
	sendFile(w, "model-"+strconv.FormatInt(m.ID, 10), m.File, f)
}

func (h *Handlers) copyModel(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	d, err := h.svc.CopyModel(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, documentOut(d))
}

func (h *Handlers) updateExternal(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var x qms.ExternalDoc
	if err := decode(r, &x); err != nil {
		h.writeError(w, r, err)
		return
	}
	d, err := h.svc.UpdateExternal(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, x)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, documentOut(d))
}

type docSettingsJSON struct {
	SelfApproval bool `json:"self_approval"`
}

// documentSettings answers GET and PUT /api/v1/agencies/{code}/document-settings.
func (h *Handlers) documentSettings(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPut {
		var in docSettingsJSON
		if err := decode(r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
		a, err := h.svc.SetDocSelfApproval(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in.SelfApproval)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, docSettingsJSON{SelfApproval: a.DocSelfApproval})
		return
	}
	v, err := h.svc.AgencyDocSettings(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, docSettingsJSON{SelfApproval: v.DocSelfApproval})
}

type retentionJSON struct {
	DocumentID int64         `json:"document_id"`
	Code       string        `json:"code"`
	Revision   *revisionJSON `json:"revision"`
	ObsoleteOn *qms.Date     `json:"obsolete_on"`
	DestroyOn  qms.Date      `json:"destroy_on"`
}

// retention answers GET …/retention: obsolete revisions whose retention has ended.
func (h *Handlers) retention(w http.ResponseWriter, r *http.Request) {
	_, items, err := h.svc.RetentionDue(r.Context(), httpkit.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[retentionJSON]{Items: []retentionJSON{}}
	for _, it := range items {
		x := retentionJSON{DocumentID: it.Document.ID, Code: it.Document.Code, Revision: revisionOut(&it.Revision), DestroyOn: it.DestroyOn}
		if !it.Revision.ObsoleteOn.IsZero() {
			d := it.Revision.ObsoleteOn
			x.ObsoleteOn = &d
		}
		page.Items = append(page.Items, x)
	}
	writeJSON(w, http.StatusOK, page)
}

// destroyRevision answers POST …/revisions/{id}/destroy: {"note": "…"} (the destruction record).
func (h *Handlers) destroyRevision(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.DestroyRevision(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id, in.Note); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
