package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

var docTypeFields = []string{"code", "name_vi", "name_en", "code_pattern", "review_months", "retain_years", "approver",
	"comment_round", "self_approval", "external", "mandatory_2008"}

// docTypeForm fills a form from a document type, for editing it.
func docTypeForm(t qms.DocType) *form {
	f := emptyForm()
	b := func(v bool) string {
		if v {
			return "1"
		}
		return ""
	}
	f.Values = map[string]string{"code": t.Code, "name_vi": t.NameVI, "name_en": t.NameEN, "code_pattern": t.CodePattern,
		"review_months": strconv.Itoa(t.ReviewMonths), "retain_years": strconv.Itoa(t.RetainYears), "approver": string(t.Approver),
		"comment_round": b(t.CommentRound), "self_approval": b(t.SelfApproval), "external": b(t.External), "mandatory_2008": b(t.Mandatory2008)}
	return f
}

// docTypeInput reads a posted document type; numbers that are not numbers are field errors.
func docTypeInput(f *form) (qms.DocType, error) {
	var v qms.Validation
	num := func(field string) int {
		n, err := strconv.Atoi(f.Values[field])
		if err != nil {
			v.Add(field, "err."+field)
		}
		return n
	}
	t := qms.DocType{Code: f.Values["code"], NameVI: f.Values["name_vi"], NameEN: f.Values["name_en"], CodePattern: f.Values["code_pattern"],
		ReviewMonths: num("review_months"), RetainYears: num("retain_years"), Approver: qms.Role(f.Values["approver"]),
		CommentRound: f.Values["comment_round"] == "1", SelfApproval: f.Values["self_approval"] == "1",
		External: f.Values["external"] == "1", Mandatory2008: f.Values["mandatory_2008"] == "1"}
	return t, v.Err()
}

func (w *Web) docTypes(rw http.ResponseWriter, r *http.Request) {
	w.docTypesPage(rw, r, http.StatusOK, nil)
}

func (w *Web) docTypesPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	list, err := w.svc.DocTypes(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "doctype.title"), map[string]any{"Types": list})
	if f == nil {
		f = emptyForm()
		f.Values["approver"], f.Values["review_months"], f.Values["retain_years"] = string(qms.RoleLeader), "12", "5"
	}
	p.Form = f
	w.render(rw, r, status, "doctypes", p)
}

func (w *Web) createDocType(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, docTypeFields...)
	t, err := docTypeInput(f)
	if err == nil {
		_, err = w.svc.CreateDocType(r.Context(), actor(r), t)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) {
			w.fail(rw, r, err)
			return
		}
		status := http.StatusBadRequest
		if qms.ErrorCode(err) == qms.EConflict {
			status = http.StatusConflict
		}
		w.docTypesPage(rw, r, status, f)
		return
	}
	w.redirect(rw, r, "/document-types", "flash.saved")
}

func (w *Web) editDocType(rw http.ResponseWriter, r *http.Request) {
	t, err := w.svc.DocType(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "doctype.edit", t.NameVI), t)
	p.Form = docTypeForm(t)
	w.render(rw, r, http.StatusOK, "doctype_edit", p)
}

func (w *Web) saveDocType(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	code := r.PathValue("code")
	old, err := w.svc.DocType(r.Context(), actor(r), code)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	f := newForm(r, docTypeFields...)
	f.Values["code"] = old.Code
	t, err := docTypeInput(f)
	if err == nil {
		_, err = w.svc.UpdateDocType(r.Context(), actor(r), old.Code, t)
	}
	if err != nil {
		p := w.page(r, i18n.T(httpkit.LangOf(r), "doctype.edit", old.NameVI), old)
		p.Form = f
		w.formError(rw, r, "doctype_edit", p, err)
		return
	}
	w.redirect(rw, r, "/document-types", "flash.saved")
}

// clauses shows the clause trees of the ISO 9001 editions and the 2008 → 2015 correspondence.
func (w *Web) clauses(rw http.ResponseWriter, r *http.Request) {
	edition := r.URL.Query().Get("edition")
	if edition == "" {
		edition = "2015"
	}
	e, ok := qms.ClauseEditionFor(edition)
	if !ok {
		w.errorPage(rw, r, qms.Errorf(qms.ENotFound, "err.edition_not_found"))
		return
	}
	type row struct {
		qms.Clause
		To []string // 2008 clauses: their 2015 counterparts
	}
	var rows []row
	for _, c := range e.Clauses {
		rw := row{Clause: c}
		if e.Edition == "2008" {
			rw.To = qms.Clauses2015For(c.No)
		}
		rows = append(rows, rw)
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "clauses.title"), map[string]any{"Edition": e, "Rows": rows, "Editions": qms.ClauseEditions(), "Mandatory": qms.Mandatory2008()})
	w.render(rw, r, http.StatusOK, "clauses", p)
}

func (w *Web) documentList(r *http.Request) (qms.Agency, []qms.Document, []qms.DocType, service.DocumentFilter, error) {
	q := r.URL.Query()
	f := service.DocumentFilter{Type: q.Get("type"), State: q.Get("state"), Query: strings.TrimSpace(q.Get("q"))}
	a, list, err := w.svc.Documents(r.Context(), actor(r), r.PathValue("code"), f)
	if err != nil {
		return a, nil, nil, f, err
	}
	types, err := w.svc.DocTypes(r.Context(), actor(r))
	return a, list, types, f, err
}

func (w *Web) documents(rw http.ResponseWriter, r *http.Request) {
	w.documentsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) documentsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	a, list, types, filter, err := w.documentList(r)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	names := map[string]qms.DocType{}
	for _, t := range types {
		names[t.Code] = t
	}
	pending, err := w.svc.AgencyPendingReads(r.Context(), actor(r), a.Code)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "doc.list_title", a.Name), map[string]any{"Agency": a, "Docs": list, "Types": types, "TypeOf": names,
		"Filter": filter, "Query": exportQuery(r, "q", "type", "state"), "Pending": pending, "Today": qms.DateOf(time.Now().In(vnZone)),
		"CanSetRules": actor(r).Can(qms.PermDocApprove, a.Code)})
	if f == nil {
		f = emptyForm()
	}
	p.Form = f
	w.render(rw, r, status, "documents", p)
}

func (w *Web) createDocument(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "type", "code", "title", "clauses", "edition", "ext_number", "ext_issuer", "ext_signed_on", "ext_effective_on", "ext_expired_on", "ext_status")
	in := service.DocumentInput{Type: f.Values["type"], Code: f.Values["code"], Title: f.Values["title"], Edition: f.Values["edition"],
		Clauses: qms.SplitList(f.Values["clauses"])}
	var d qms.Document
	x, err := externalInput(f)
	if err == nil {
		in.External = &x
		d, err = w.svc.CreateDocument(r.Context(), actor(r), r.PathValue("code"), in)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		status := http.StatusBadRequest
		if qms.ErrorCode(err) == qms.EConflict {
			status = http.StatusConflict
		}
		w.documentsPage(rw, r, status, f)
		return
	}
	w.redirect(rw, r, docURL(r, d.ID), "flash.doc_created")
}

func docURL(r *http.Request, id int64) string {
	return "/agencies/" + qms.NormalizeCode(r.PathValue("code")) + "/documents/" + strconv.FormatInt(id, 10)
}

func (w *Web) documentPage(rw http.ResponseWriter, r *http.Request) {
	w.renderDocument(rw, r, http.StatusOK, 0, nil)
}

// renderDocument shows a document; failed names the revision whose form came back with errors.
func (w *Web) renderDocument(rw http.ResponseWriter, r *http.Request, status int, docID int64, f *form) {
	if docID == 0 {
		var err error
		if docID, err = pathID(r, "id"); err != nil {
			w.errorPage(rw, r, err)
			return
		}
	}
	v, err := w.svc.Document(r.Context(), actor(r), r.PathValue("code"), docID)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	var people []qms.User
	canEdit := actor(r).Can(qms.PermDocEdit, v.Agency.Code)
	if canEdit {
		if people, err = w.svc.AgencyPeople(r.Context(), actor(r), v.Agency.Code); err != nil {
			w.errorPage(rw, r, err)
			return
		}
	}
	readers := map[int64]bool{}
	for _, id := range v.Readers {
		readers[id] = true
	}
	mustRead := false
	for _, k := range v.Acks {
		mustRead = mustRead || k.UserID == actor(r).UserID && k.At.IsZero()
	}
	reviewer := false
	for _, id := range v.Reviewers {
		reviewer = reviewer || id == actor(r).UserID
	}
	inList := map[int64]bool{}
	for _, u := range v.Units {
		inList[u.ID] = true
	}
	var openUnits []qms.Unit // offered for distribution
	for _, u := range v.UnitsOf {
		if !u.Closed {
			openUnits = append(openUnits, u)
		}
	}
	slices.SortFunc(openUnits, func(a, b qms.Unit) int { return strings.Compare(a.Code, b.Code) })
	today := qms.DateOf(time.Now().In(vnZone))
	p := w.page(r, v.Document.Code+" — "+v.Document.Title, map[string]any{"V": v, "Today": today.String(), "Lang": lang,
		"People": people, "IsReviewer": reviewer, "Deadline": today.AddDays(7).String(),
		"IsReader": readers, "MustRead": mustRead, "CanApprove": service.MayApprove(actor(r), v.Agency.Code, v.Type),
		"CanDecide": service.MayDecideChangeRequests(actor(r), v.Agency.Code) == nil,
		"OpenUnits": openUnits, "InUnitList": inList, "CanAckUnits": service.MayAcknowledgeForUnits(actor(r), v.Agency.Code),
		"CanEdit": canEdit})
	if f == nil {
		f = emptyForm()
		if x := v.Document.External; x != nil {
			date := func(d qms.Date) string {
				if d.IsZero() {
					return ""
				}
				return d.String()
			}
			f.Values["ext_number"], f.Values["ext_issuer"], f.Values["ext_status"] = x.Number, x.Issuer, string(x.Status)
			f.Values["ext_signed_on"], f.Values["ext_effective_on"], f.Values["ext_expired_on"] = date(x.SignedOn), date(x.EffectiveOn), date(x.ExpiredOn)
		}
	}
	p.Form = f
	w.render(rw, r, status, "document", p)
}

// revisionDoc finds the document a revision belongs to, for coming back to its page.
func (w *Web) revisionDoc(r *http.Request, revID int64) int64 {
	v, err := w.svc.RevisionOf(r.Context(), actor(r), r.PathValue("code"), revID)
	if err != nil {
		return 0
	}
	return v.DocumentID
}

func (w *Web) revisionDone(rw http.ResponseWriter, r *http.Request, revID int64, f *form, err error, flash string) {
	docID := w.revisionDoc(r, revID)
	if err != nil {
		if docID == 0 || !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		status := http.StatusBadRequest
		if qms.ErrorCode(err) == qms.EConflict {
			status = http.StatusConflict
		}
		w.renderDocument(rw, r, status, docID, f)
		return
	}
	w.redirect(rw, r, docURL(r, docID), flash)
}

func (w *Web) updateDraft(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "title", "change_note", "version")
	version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
	_, err = w.svc.UpdateDraft(r.Context(), actor(r), r.PathValue("code"), id, service.DraftInput{Title: f.Values["title"], ChangeNote: f.Values["change_note"], Version: version})
	w.revisionDone(rw, r, id, f, err, "flash.saved")
}

func (w *Web) uploadRevisionFile(rw http.ResponseWriter, r *http.Request) {
	w.uploadToRevision(rw, r, "file", "flash.file_saved", w.svc.UploadMainFile)
}

// uploadToRevision reads a revision's file from the form's part named field and hands it to
// put with the version the form was shown with.
func (w *Web) uploadToRevision(rw http.ResponseWriter, r *http.Request, field, flash string,
	put func(context.Context, *qms.Actor, string, int64, int64, io.Reader, string) (qms.Revision, error)) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	f := emptyForm()
	part, err := w.filePart(r, f, field, "err.evidence_empty")
	if err == nil {
		version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
		_, err = put(r.Context(), actor(r), r.PathValue("code"), id, version, part, part.FileName())
	}
	w.revisionDone(rw, r, id, f, err, flash)
}

func (w *Web) transition(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "event", "reason", "effective_on", "version", "deadline")
	in := service.TransitionRequest{Event: qms.RevEvent(f.Values["event"]), Reason: f.Values["reason"], Password: r.PostFormValue("password"),
		Reviewers: r.PostForm["reviewers"]}
	in.Version, _ = strconv.ParseInt(f.Values["version"], 10, 64)
	for field, dst := range map[string]*qms.Date{"effective_on": &in.EffectiveOn, "deadline": &in.Deadline} {
		if s := f.Values[field]; s != "" {
			if *dst, err = qms.ParseDate(s); err != nil {
				w.revisionDone(rw, r, id, f, fieldErrOf(field, "err.date"), "")
				return
			}
		}
	}
	f.Values["failed_event"] = f.Values["event"]
	_, err = w.svc.Transition(r.Context(), actor(r), r.PathValue("code"), id, in)
	w.revisionDone(rw, r, id, f, err, eventFlash[in.Event])
}

// eventFlash is the message shown after each event.
var eventFlash = map[qms.RevEvent]string{
	qms.EvSubmitReview: "flash.rev_submit_review", qms.EvCloseRound: "flash.rev_close_round", qms.EvRequestChanges: "flash.rev_request_changes",
	qms.EvSubmitApproval: "flash.rev_submit_approval", qms.EvApprove: "flash.rev_approve", qms.EvReject: "flash.rev_reject",
	qms.EvWithdraw: "flash.rev_withdraw", qms.EvCancel: "flash.rev_cancel", qms.EvReopen: "flash.rev_reopen",
}

func (w *Web) newRevision(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		_, err = w.svc.NewRevision(r.Context(), actor(r), r.PathValue("code"), id)
	}
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, docURL(r, id), "flash.rev_created")
}

func (w *Web) revisionFile(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	d, err := w.svc.OpenRevisionFile(r.Context(), actor(r), r.PathValue("code"), id)
	w.sendDownload(rw, r, d, err)
}

func (w *Web) attachmentFile(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	att, err2 := pathID(r, "att")
	if err = errors.Join(err, err2); err != nil {
		w.errorPage(rw, r, err)
		return
	}
	d, err := w.svc.OpenAttachment(r.Context(), actor(r), r.PathValue("code"), id, att)
	w.sendDownload(rw, r, d, err)
}

// sendDownload sends a revision's file, its state in a header (an obsolete one is also named
// HẾT HIỆU LỰC by the service).
func (w *Web) sendDownload(rw http.ResponseWriter, r *http.Request, d service.Download, err error) {
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	defer d.Close()
	rw.Header().Set("X-Revision-State", string(d.Revision.State))
	sendFile(rw, d.Base, d.File, d)
}

func (w *Web) addAttachment(rw http.ResponseWriter, r *http.Request) {
	w.uploadToRevision(rw, r, "attachment", "flash.attachment_added", w.svc.AddAttachment)
}

func (w *Web) removeAttachment(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	att, err2 := pathID(r, "att")
	if err = errors.Join(err, err2); err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "version")
	version, _ := strconv.ParseInt(f.Values["version"], 10, 64)
	_, err = w.svc.RemoveAttachment(r.Context(), actor(r), r.PathValue("code"), id, version, att)
	w.revisionDone(rw, r, id, f, err, "flash.attachment_removed")
}

func (w *Web) documentsExport(rw http.ResponseWriter, r *http.Request) {
	a, list, types, _, err := w.documentList(r)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	names := map[string]string{}
	for _, t := range types {
		names[t.Code] = t.NameVI
		if lang == "en" && t.NameEN != "" {
			names[t.Code] = t.NameEN
		}
	}
	w.sendTable(rw, r, "documents-"+a.Code, export.Table{
		Sheet:   i18n.T(lang, "doc.master_list"),
		Headers: []string{"doc.code", "doc.title", "doc.type", "doc.revision", "doc.effective_on", "doc.state", "doc.next_review", "doc.clauses"},
		Rows: func(emit func([]string) error) error {
			for _, d := range list {
				rev, eff, state := "", "", ""
				if d.Effective != nil {
					rev, eff = strconv.Itoa(d.Effective.Number), d.Effective.EffectiveOn.VN()
				}
				if d.Latest != nil {
					state = i18n.T(lang, "revstate."+string(d.Latest.State))
				}
				next := ""
				if !d.NextReviewOn.IsZero() {
					next = d.NextReviewOn.VN()
				}
				if err := emit([]string{d.Code, d.Title, names[d.TypeCode], rev, eff, state, next, strings.Join(d.Clauses, ", ")}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

func (w *Web) commentRevision(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "body")
	_, err = w.svc.CommentRevision(r.Context(), actor(r), r.PathValue("code"), id, f.Values["body"])
	w.revisionDone(rw, r, id, f, err, "flash.comment_saved")
}

func (w *Web) answerComment(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "answer", "answer_note", "revision")
	f.Values["failed_comment"] = strconv.FormatInt(id, 10)
	revID, _ := strconv.ParseInt(f.Values["revision"], 10, 64)
	_, err = w.svc.AnswerComment(r.Context(), actor(r), r.PathValue("code"), id, qms.CommentAnswer(f.Values["answer"]), f.Values["answer_note"])
	w.revisionDone(rw, r, revID, f, err, "flash.answer_saved")
}

func (w *Web) reviewNoChange(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "note")
	if _, err = w.svc.ReviewNoChange(r.Context(), actor(r), r.PathValue("code"), id, f.Values["note"]); err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.renderDocument(rw, r, http.StatusBadRequest, id, f)
		return
	}
	w.redirect(rw, r, docURL(r, id), "flash.reviewed")
}

func (w *Web) setReaders(rw http.ResponseWriter, r *http.Request) {
	w.setDistribution(rw, r, "readers", w.svc.SetReaders)
}

func (w *Web) setUnits(rw http.ResponseWriter, r *http.Request) {
	w.setDistribution(rw, r, "units", w.svc.SetDistributionUnits)
}

// setDistribution saves one of a document's distribution lists (the people, the units) from
// the checkboxes named field.
func (w *Web) setDistribution(rw http.ResponseWriter, r *http.Request, field string,
	set func(context.Context, *qms.Actor, string, int64, []string) error) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := emptyForm()
	if err = set(r.Context(), actor(r), r.PathValue("code"), id, r.PostForm[field]); err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.renderDocument(rw, r, http.StatusBadRequest, id, f)
		return
	}
	w.redirect(rw, r, docURL(r, id), "flash.saved")
}

func (w *Web) acknowledgeForUnit(rw http.ResponseWriter, r *http.Request) {
	if !service.MayAcknowledgeForUnits(actor(r), qms.NormalizeCode(r.PathValue("code"))) {
		w.errorPage(rw, r, qms.Errorf(qms.EForbidden, "err.forbidden"))
		return
	}
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	unit, err := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	if err != nil {
		err = qms.Errorf(qms.ENotFound, "err.unit_not_found")
	} else {
		err = w.svc.AcknowledgeForUnit(r.Context(), actor(r), r.PathValue("code"), id, unit)
	}
	w.revisionDone(rw, r, id, emptyForm(), err, "flash.unit_acknowledged")
}

func (w *Web) acknowledge(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = w.svc.Acknowledge(r.Context(), actor(r), r.PathValue("code"), id)
	}
	w.revisionDone(rw, r, id, emptyForm(), err, "flash.acknowledged")
}

// coverage shows which clauses of an edition the agency's documents in force cover.
func (w *Web) coverage(rw http.ResponseWriter, r *http.Request) {
	edition := r.URL.Query().Get("edition")
	if edition == "" {
		edition = "2015"
	}
	a, e, rows, err := w.svc.Coverage(r.Context(), actor(r), r.PathValue("code"), edition)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	covered, leaves := 0, 0
	for _, c := range rows {
		if c.Leaf {
			leaves++
			if len(c.Documents) > 0 {
				covered++
			}
		}
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "coverage.title", a.Name), map[string]any{"Agency": a, "Edition": e, "Rows": rows,
		"Editions": qms.ClauseEditions(), "Covered": covered, "Leaves": leaves})
	w.render(rw, r, http.StatusOK, "coverage", p)
}

func (w *Web) fileChangeRequest(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "request")
	if _, err = w.svc.FileChangeRequest(r.Context(), actor(r), r.PathValue("code"), id, f.Values["request"]); err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.renderDocument(rw, r, http.StatusBadRequest, id, f)
		return
	}
	w.redirect(rw, r, docURL(r, id), "flash.change_requested")
}

func (w *Web) decideChangeRequest(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = service.MayDecideChangeRequests(actor(r), r.PathValue("code"))
	}
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "decision", "reason", "document")
	f.Values["failed_request"] = strconv.FormatInt(id, 10)
	docID, _ := strconv.ParseInt(f.Values["document"], 10, 64)
	_, err = w.svc.DecideChangeRequest(r.Context(), actor(r), r.PathValue("code"), id, f.Values["decision"] == "accept", f.Values["reason"])
	if err != nil {
		if docID == 0 || !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		status := http.StatusBadRequest
		if qms.ErrorCode(err) == qms.EConflict {
			status = http.StatusConflict
		}
		w.renderDocument(rw, r, status, docID, f)
		return
	}
	w.redirect(rw, r, docURL(r, docID), "flash.change_decided")
}

func (w *Web) models(rw http.ResponseWriter, r *http.Request) {
	w.modelsPage(rw, r, http.StatusOK, nil)
}

func (w *Web) modelsPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	list, err := w.svc.Models(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	types, err := w.svc.DocTypes(r.Context(), actor(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	names := map[string]qms.DocType{}
	for _, t := range types {
		names[t.Code] = t
	}
	agency := ""
	if s := httpkit.SessionOf(r); s != nil && actor(r).Can(qms.PermDocEdit, s.AgencyCode) {
		agency = s.AgencyCode
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "model.title"), map[string]any{"Models": list, "Types": types, "TypeOf": names, "CopyTo": agency})
	if f == nil {
		f = emptyForm()
	}
	p.Form = f
	w.render(rw, r, status, "models", p)
}

// publishModel takes the model's fields and its file as one multipart form; the file comes last.
func (w *Web) publishModel(rw http.ResponseWriter, r *http.Request) {
	f := emptyForm()
	part, err := w.filePart(r, f, "file", "err.main_file_required")
	if err == nil {
		in := service.ModelInput{Type: f.Values["type"], Title: f.Values["title"], Edition: f.Values["edition"], Note: f.Values["note"],
			Clauses: qms.SplitList(f.Values["clauses"]), File: part, FileName: part.FileName()}
		_, err = w.svc.PublishModel(r.Context(), actor(r), in)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden {
			w.errorPage(rw, r, err)
			return
		}
		w.modelsPage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/document-models", "flash.model_published")
}

func (w *Web) modelFile(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	m, f, err := w.svc.OpenModelFile(r.Context(), actor(r), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	defer f.Close()
	sendFile(rw, "mo-hinh-"+strconv.FormatInt(m.ID, 10), m.File, f)
}

func (w *Web) copyModel(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	d, err := w.svc.CopyModel(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, docURL(r, d.ID), "flash.model_copied")
}

// externalInput reads a legal text's facts from a form; bad dates are field errors.
func externalInput(f *form) (qms.ExternalDoc, error) {
	x := qms.ExternalDoc{Number: f.Values["ext_number"], Issuer: f.Values["ext_issuer"], Status: qms.ExternalStatus(f.Values["ext_status"])}
	var v qms.Validation
	for field, dst := range map[string]*qms.Date{"ext_signed_on": &x.SignedOn, "ext_effective_on": &x.EffectiveOn, "ext_expired_on": &x.ExpiredOn} {
		if s := f.Values[field]; s != "" {
			d, err := qms.ParseDate(s)
			if err != nil {
				v.Add(field, "err.date")
			}
			*dst = d
		}
	}
	return x, v.Err()
}

func (w *Web) updateExternal(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "ext_number", "ext_issuer", "ext_signed_on", "ext_effective_on", "ext_expired_on", "ext_status")
	f.Values["ext_form"] = "1"
	x, err := externalInput(f)
	if err == nil {
		_, err = w.svc.UpdateExternal(r.Context(), actor(r), r.PathValue("code"), id, x)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.renderDocument(rw, r, http.StatusBadRequest, id, f)
		return
	}
	w.redirect(rw, r, docURL(r, id), "flash.saved")
}

// documentSettings saves the agency's document-control rules (self-approval).
func (w *Web) documentSettings(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	a, err := w.svc.SetDocSelfApproval(r.Context(), actor(r), r.PathValue("code"), r.PostFormValue("self_approval") == "1")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, "/agencies/"+a.Code+"/documents", "flash.docset_saved")
}

// retention lists the agency's obsolete revisions whose retention has ended, for the leader
// to destroy.
func (w *Web) retention(rw http.ResponseWriter, r *http.Request) {
	w.retentionPage(rw, r, http.StatusOK, nil)
}

func (w *Web) retentionPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	a, items, err := w.svc.RetentionDue(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "retention.title", a.Name), map[string]any{"Agency": a, "Items": items,
		"CanDestroy": actor(r).Can(qms.PermDocApprove, a.Code)})
	if f == nil {
		f = emptyForm()
	}
	p.Form = f
	w.render(rw, r, status, "retention", p)
}

func (w *Web) destroyRevision(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "note")
	if err := w.svc.DestroyRevision(r.Context(), actor(r), r.PathValue("code"), id, f.Values["note"]); err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		f.Values["failed"] = strconv.FormatInt(id, 10)
		status := http.StatusBadRequest
		if qms.ErrorCode(err) == qms.EConflict {
			status = http.StatusConflict
		}
		w.retentionPage(rw, r, status, f)
		return
	}
	w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"/documents/retention", "flash.destroyed")
}
