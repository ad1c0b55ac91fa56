package service_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

func docx(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("word/document.xml")
	_, _ = w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const testPassword = "Kh0ng-de-doan-2026"

// A form's life: drafted with a file, submitted, signed by the leader with their password,
// effective at once; its second revision is approved for a later day and supersedes the
// first when that day comes.
func TestDocumentLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clk := &clock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir(), FileLimit: 1 << 20}, clk.now, nil)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		staff, sec, leader, other := who["staff@SKHCN"], who["secretary@SKHCN"], who["leader@SKHCN"], who["leader@SNV"]

		if _, err := svc.CreateDocument(ctx, staff, "SKHCN", service.DocumentInput{Type: "form", Code: "QT-01", Title: "Phiếu"}); err == nil || !strings.Contains(err.Error(), "code") {
			t.Errorf("a code against the pattern: %v", err)
		}
		if _, err := svc.CreateDocument(ctx, staff, "SKHCN", service.DocumentInput{Type: "form", Title: "Phiếu", Clauses: []string{"99.9"}}); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("an unknown clause: %v", err)
		}
		if _, err := svc.CreateDocument(ctx, other, "SKHCN", service.DocumentInput{Type: "form", Title: "Phiếu"}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency's leader: %v", err)
		}
		d, err := svc.CreateDocument(ctx, staff, "SKHCN", service.DocumentInput{Type: "form", Title: "Phiếu kiểm soát quá trình giải quyết hồ sơ", Clauses: []string{"7.5.3", "8.5.1"}})
		if err != nil || d.Code != "BM-01-01" || d.Latest.State != qms.RevDraft {
			t.Fatalf("create: %+v %v", d, err)
		}
		if _, err := svc.CreateDocument(ctx, staff, "SKHCN", service.DocumentInput{Type: "form", Code: "bm-01-01", Title: "Khác"}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("a duplicate code: %v", err)
		}
		rev := d.Latest
		if _, err := svc.Transition(ctx, staff, "SKHCN", rev.ID, service.TransitionRequest{Event: qms.EvSubmitApproval}); err == nil || !strings.Contains(err.Error(), "file") {
			t.Errorf("submitted without a file: %v", err)
		}
		// An image is not a document; a lying extension is caught by sniffing.
		if _, err := svc.UploadMainFile(ctx, staff, "SKHCN", rev.ID, 0, strings.NewReader("\x89PNG\r\n\x1a\n0000"), "bm.docx"); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("a PNG as the main file: %v", err)
		}
		v, err := svc.UploadMainFile(ctx, staff, "SKHCN", rev.ID, rev.Version, bytes.NewReader(docx(t, "Phiếu kiểm soát quá trình")), "BM-01-01.docx")
		if err != nil || v.File.Type != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" || v.ContentHash == "" {
			t.Fatalf("upload: %+v %v", v, err)
		}
		// Someone who read the draft before the upload cannot overwrite it.
		if _, err := svc.UpdateDraft(ctx, sec, "SKHCN", rev.ID, service.DraftInput{Title: "Cũ", Version: rev.Version}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("a stale edit: %v", err)
		}
		v, err = svc.Transition(ctx, sec, "SKHCN", rev.ID, service.TransitionRequest{Event: qms.EvSubmitApproval})
		if err != nil || v.State != qms.RevSubmitted || v.SubmittedHash != v.ContentHash || v.CheckerID != sec.UserID {
			t.Fatalf("submit (checked by the secretary who submits): %+v %v", v, err)
		}
		if _, err := svc.UpdateDraft(ctx, staff, "SKHCN", rev.ID, service.DraftInput{Title: "Sửa lúc đang trình"}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("editing a submitted revision: %v", err)
		}
		if _, err := svc.Transition(ctx, sec, "SKHCN", rev.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 11, 27)}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a secretary approving: %v", err)
		}
		if _, err := svc.Transition(ctx, leader, "SKHCN", rev.ID, service.TransitionRequest{Event: qms.EvApprove, Password: "wrong", EffectiveOn: qms.NewDate(2026, 11, 27)}); err == nil || !strings.Contains(err.Error(), "password") {
			t.Errorf("a wrong password: %v", err)
		}
		if _, err := svc.Transition(ctx, leader, "SKHCN", rev.ID, service.TransitionRequest{Event: qms.EvReject}); err == nil || !strings.Contains(err.Error(), "reason") {
			t.Errorf("a rejection without a reason: %v", err)
		}
		v, err = svc.Transition(ctx, leader, "SKHCN", rev.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 11, 27)})
		if err != nil || v.State != qms.RevEffective || v.ApproverID != leader.UserID {
			t.Fatalf("approve: %+v %v", v, err)
		}
		entries, _ := db.ListJournal(ctx, store.JournalFilter{ObjectType: "revision", ObjectID: strconv.FormatInt(rev.ID, 10), Limit: 10})
		var signed bool
		for _, e := range entries {
			signed = signed || e.Action == "revision.approve" && strings.Contains(e.Changes, v.ContentHash) && strings.Contains(e.Changes, "leader@SKHCN")
		}
		if !signed {
			t.Errorf("the journal does not hold the signature over %s: %+v", v.ContentHash, entries)
		}
		view, err := svc.Document(ctx, who["auditor@SKHCN"], "SKHCN", d.ID)
		if err != nil || view.Document.NextReviewOn != qms.NewDate(2028, 11, 27) {
			t.Fatalf("after taking effect: next review %s, %v", view.Document.NextReviewOn, err)
		}

		// The second revision: the leader drafted it, so the leader may not sign it.
		v2, err := svc.NewRevision(ctx, leader, "SKHCN", d.ID)
		if err != nil || v2.Number != 2 || v2.File.SHA256 != v.File.SHA256 {
			t.Fatalf("new revision: %+v %v", v2, err)
		}
		if _, err := svc.NewRevision(ctx, staff, "SKHCN", d.ID); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("a second open revision: %v", err)
		}
		if v2, err = svc.UpdateDraft(ctx, leader, "SKHCN", v2.ID, service.DraftInput{Title: "Phiếu kiểm soát (sửa đổi)", ChangeNote: "Mục 3: thêm cột ngày trả kết quả", Version: v2.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err = svc.Transition(ctx, leader, "SKHCN", v2.ID, service.TransitionRequest{Event: qms.EvSubmitApproval}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, leader, "SKHCN", v2.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 12, 1)}); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("self-approval: %v", err)
		}
		// Rejected, back to the draft; submitted again; approved by another leader for 1/12.
		if v2, err = svc.Transition(ctx, leader, "SKHCN", v2.ID, service.TransitionRequest{Event: qms.EvCancel, Reason: "Làm lại"}); err != nil || v2.State != qms.RevCancelled {
			t.Fatalf("cancel: %+v %v", v2, err)
		}
		if v2, err = svc.Transition(ctx, staff, "SKHCN", v2.ID, service.TransitionRequest{Event: qms.EvReopen}); err != nil || v2.State != qms.RevDraft {
			t.Fatalf("reopen: %+v %v", v2, err)
		}
		if _, err = svc.Transition(ctx, staff, "SKHCN", v2.ID, service.TransitionRequest{Event: qms.EvSubmitApproval}); err != nil {
			t.Fatal(err)
		}
		boss, err := svc.CreateUser(ctx, service.System, service.UserInput{Email: "pgd@test.vn", Name: "Phó Giám đốc", Password: testPassword, Roles: []string{"leader@SKHCN"}})
		if err != nil {
			t.Fatal(err)
		}
		deputy := &qms.Actor{UserID: boss.ID, Name: boss.Name, Grants: boss.Grants}
		if v2, err = svc.Transition(ctx, deputy, "SKHCN", v2.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 12, 1)}); err != nil || v2.State != qms.RevApproved {
			t.Fatalf("approve for later: %+v %v", v2, err)
		}
		_, list, err := svc.Documents(ctx, staff, "SKHCN", service.DocumentFilter{})
		if err != nil || len(list) != 1 || list[0].Effective == nil || list[0].Effective.Number != 1 || list[0].Latest.Number != 2 {
			t.Fatalf("master list before 1/12: %+v %v", list, err)
		}
		clk.mu.Lock()
		clk.t = time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
		clk.mu.Unlock()
		view, err = svc.Document(ctx, staff, "SKHCN", d.ID)
		if err != nil || view.Revisions[0].State != qms.RevEffective || view.Revisions[1].State != qms.RevSuperseded || !view.Revisions[1].State.Obsolete() {
			t.Fatalf("after 1/12: %+v %v", view.Revisions, err)
		}
		if _, err := service.Verify(ctx, db, nil); err != nil {
			t.Error(err)
		}
	})
}

// A DOCX that unpacks beyond the limits is refused and the draft keeps its earlier file.
func TestDocumentBomb(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir(), FileLimit: 1 << 20}, nil, nil)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		d, err := svc.CreateDocument(ctx, who["staff@SKHCN"], "SKHCN", service.DocumentInput{Type: "instruction", Title: "Hướng dẫn"})
		if err != nil {
			t.Fatal(err)
		}
		bomb := docx(t, strings.Repeat("a", 120<<20))
		if len(bomb) > 1<<20 {
			t.Fatalf("the bomb is %d bytes", len(bomb))
		}
		if _, err := svc.UploadMainFile(ctx, who["staff@SKHCN"], "SKHCN", d.Latest.ID, 0, bytes.NewReader(bomb), "hd.docx"); err == nil || !strings.Contains(err.Error(), "err.file_bomb") {
			t.Errorf("bomb: %v", err)
		}
		view, _ := svc.Document(ctx, who["staff@SKHCN"], "SKHCN", d.ID)
		if view.Revisions[0].File.SHA256 != "" {
			t.Error("the refused file was attached")
		}
	})
}

// A procedure needs a comment round: named reviewers of the agency comment, the author answers
// every comment, the round closes, and only then may it be submitted.
func TestCommentRound(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clk := &clock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir(), FileLimit: 1 << 20}, clk.now, nil)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		sec, staff, auditor, leader := who["secretary@SKHCN"], who["staff@SKHCN"], who["auditor@SKHCN"], who["leader@SKHCN"]
		d, err := svc.CreateDocument(ctx, sec, "SKHCN", service.DocumentInput{Type: "procedure", Title: "Quy trình kiểm soát tài liệu", Clauses: []string{"4.2.3"}, Edition: "2008"})
		if err != nil || d.Code != "QT-01" {
			t.Fatalf("create: %+v %v", d, err)
		}
		rev := d.Latest.ID
		if _, err := svc.UploadMainFile(ctx, sec, "SKHCN", rev, 0, bytes.NewReader(docx(t, "Quy trình kiểm soát tài liệu")), "QT-01.docx"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, sec, "SKHCN", rev, service.TransitionRequest{Event: qms.EvSubmitApproval}); err == nil || !strings.Contains(err.Error(), "err.round_required") {
			t.Errorf("submitted without a round: %v", err)
		}
		round := func(emails ...string) error {
			_, err := svc.Transition(ctx, sec, "SKHCN", rev, service.TransitionRequest{Event: qms.EvSubmitReview, Reviewers: emails, Deadline: qms.NewDate(2026, 12, 4)})
			return err
		}
		if err := round(who["leader@SNV"].Email); err == nil || !strings.Contains(err.Error(), "err.reviewer_not_in_agency") {
			t.Errorf("a reviewer from another agency: %v", err)
		}
		if err := round("khong-co@test.vn"); err == nil || !strings.Contains(err.Error(), "err.reviewer_unknown") {
			t.Errorf("an unknown reviewer: %v", err)
		}
		if err := round(); err == nil || !strings.Contains(err.Error(), "reviewers") {
			t.Errorf("no reviewers: %v", err)
		}
		if err := round(staff.Email, auditor.Email, staff.Email); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CommentRevision(ctx, leader, "SKHCN", rev, "Không phải người góp ý"); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a comment from someone not named: %v", err)
		}
		c1, err := svc.CommentRevision(ctx, staff, "SKHCN", rev, "Mục 5.2: thêm thời hạn lưu hồ sơ")
		if err != nil {
			t.Fatal(err)
		}
		c2, err := svc.CommentRevision(ctx, auditor, "SKHCN", rev, "Đổi tên biểu mẫu BM-01")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, sec, "SKHCN", rev, service.TransitionRequest{Event: qms.EvCloseRound}); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("closing with open comments: %v", err)
		}
		if _, err := svc.AnswerComment(ctx, sec, "SKHCN", c1.ID, qms.AnswerAccepted, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AnswerComment(ctx, sec, "SKHCN", c2.ID, qms.AnswerRejected, ""); err == nil || !strings.Contains(err.Error(), "answer_note") {
			t.Errorf("rejected without a note: %v", err)
		}
		if _, err := svc.AnswerComment(ctx, auditor, "SKHCN", c2.ID, qms.AnswerAccepted, ""); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("the auditor answering: %v", err)
		}
		if _, err := svc.AnswerComment(ctx, sec, "SKHCN", c2.ID, qms.AnswerRejected, "Tên theo mẫu của tỉnh"); err != nil {
			t.Fatal(err)
		}
		if v, err := svc.Transition(ctx, sec, "SKHCN", rev, service.TransitionRequest{Event: qms.EvCloseRound}); err != nil || v.State != qms.RevReviewed {
			t.Fatalf("close the round: %+v %v", v, err)
		}
		if _, err := svc.CommentRevision(ctx, staff, "SKHCN", rev, "Muộn"); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("a comment after the round: %v", err)
		}
		if v, err := svc.Transition(ctx, sec, "SKHCN", rev, service.TransitionRequest{Event: qms.EvSubmitApproval}); err != nil || v.State != qms.RevSubmitted {
			t.Fatalf("submit after the round: %+v %v", v, err)
		}
		if v, err := svc.Transition(ctx, leader, "SKHCN", rev, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 11, 27)}); err != nil || v.State != qms.RevEffective {
			t.Fatalf("approve: %+v %v", v, err)
		}
		view, err := svc.Document(ctx, staff, "SKHCN", d.ID)
		if err != nil || len(view.Comments) != 2 || len(view.Reviewers) != 2 || view.People[auditor.UserID] == "" || view.Comments[1].Answer != qms.AnswerRejected {
			t.Fatalf("view: %+v %v", view, err)
		}
		// The procedure cites 2008's 4.2.3: it covers 2015's 7.5.2 and 7.5.3, and 2008's 4.2.3.
		_, _, cov, err := svc.Coverage(ctx, staff, "SKHCN", "2015")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cov {
			want := c.Clause.No == "7.5.2" || c.Clause.No == "7.5.3"
			if got := len(c.Documents) == 1; got != want {
				t.Errorf("2015 clause %s covered: %v", c.Clause.No, got)
			}
		}
		_, _, cov, _ = svc.Coverage(ctx, staff, "SKHCN", "2008")
		for _, c := range cov {
			if got := len(c.Documents) == 1; got != (c.Clause.No == "4.2.3") {
				t.Errorf("2008 clause %s covered: %v", c.Clause.No, got)
			}
		}
		if _, _, _, err := svc.Coverage(ctx, staff, "SKHCN", "1994"); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("an unknown edition: %v", err)
		}
	})
}

func TestReviewNoChange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clk := &clock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir(), FileLimit: 1 << 20}, clk.now, nil)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		staff, leader := who["staff@SKHCN"], who["leader@SKHCN"]
		d, err := svc.CreateDocument(ctx, staff, "SKHCN", service.DocumentInput{Type: "objectives", Title: "Mục tiêu chất lượng năm 2026"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ReviewNoChange(ctx, staff, "SKHCN", d.ID, ""); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("reviewing a document not in force: %v", err)
		}
		rev := d.Latest.ID
		if _, err := svc.UploadMainFile(ctx, staff, "SKHCN", rev, 0, bytes.NewReader(docx(t, "Mục tiêu")), "mt.docx"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, staff, "SKHCN", rev, service.TransitionRequest{Event: qms.EvSubmitApproval}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, leader, "SKHCN", rev, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2025, 1, 31)}); err != nil {
			t.Fatal(err)
		}
		got, err := svc.ReviewNoChange(ctx, staff, "SKHCN", d.ID, "Không thay đổi")
		if err != nil || got.NextReviewOn != qms.NewDate(2027, 11, 27) {
			t.Fatalf("review: %s %v", got.NextReviewOn, err)
		}
		if _, err := svc.ReviewNoChange(ctx, who["auditor@SKHCN"], "SKHCN", d.ID, ""); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("the auditor recording a review: %v", err)
		}
	})
}

// On taking effect every reader on the distribution list is asked to acknowledge it.
func TestAcknowledgements(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clk := &clock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir(), FileLimit: 1 << 20}, clk.now, nil)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		staff, auditor, leader, sec := who["staff@SKHCN"], who["auditor@SKHCN"], who["leader@SKHCN"], who["secretary@SKHCN"]
		d, err := svc.CreateDocument(ctx, sec, "SKHCN", service.DocumentInput{Type: "form", Title: "Sổ theo dõi hồ sơ"})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.SetReaders(ctx, sec, "SKHCN", d.ID, []string{who["leader@SNV"].Email}); err == nil || !strings.Contains(err.Error(), "readers") {
			t.Errorf("a reader from another agency: %v", err)
		}
		if err := svc.SetReaders(ctx, sec, "SKHCN", d.ID, []string{staff.Email, auditor.Email}); err != nil {
			t.Fatal(err)
		}
		rev := d.Latest.ID
		if _, err := svc.UploadMainFile(ctx, sec, "SKHCN", rev, 0, bytes.NewReader(docx(t, "Sổ theo dõi")), "so.docx"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, sec, "SKHCN", rev, service.TransitionRequest{Event: qms.EvSubmitApproval}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, leader, "SKHCN", rev, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 11, 27)}); err != nil {
			t.Fatal(err)
		}
		mine, err := svc.MyPendingReads(ctx, staff, 10)
		if err != nil || len(mine) != 1 || mine[0].DocumentCode != "BM-01-01" {
			t.Fatalf("staff's pending reads: %+v %v", mine, err)
		}
		if mine, _ := svc.MyPendingReads(ctx, leader, 10); len(mine) != 0 {
			t.Errorf("the leader is not on the list but has %d to read", len(mine))
		}
		if err := svc.Acknowledge(ctx, staff, "SKHCN", rev); err != nil {
			t.Fatal(err)
		}
		if err := svc.Acknowledge(ctx, staff, "SKHCN", rev); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("acknowledging twice: %v", err)
		}
		if err := svc.Acknowledge(ctx, who["leader@SNV"], "SKHCN", rev); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency acknowledging: %v", err)
		}
		pending, err := svc.AgencyPendingReads(ctx, leader, "SKHCN")
		if err != nil || len(pending) != 1 || pending[0].Name != "auditor@SKHCN" || pending[0].Count != 1 {
			t.Errorf("the agency's pending reads: %+v %v", pending, err)
		}
		view, err := svc.Document(ctx, staff, "SKHCN", d.ID)
		if err != nil || len(view.Acks) != 2 || len(view.Readers) != 2 {
			t.Fatalf("view: %+v %v", view.Acks, err)
		}
	})
}

// Anyone in the agency files a change request; the secretary accepts one (a new draft starts)
// and rejects another with a reason.
func TestChangeRequests(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir(), FileLimit: 1 << 20}, nil, nil)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		sec, staff, auditor, leader := who["secretary@SKHCN"], who["staff@SKHCN"], who["auditor@SKHCN"], who["leader@SKHCN"]
		d, err := svc.CreateDocument(ctx, sec, "SKHCN", service.DocumentInput{Type: "form", Title: "Giấy biên nhận hồ sơ"})
		if err != nil {
			t.Fatal(err)
		}
		rev := d.Latest.ID
		if _, err := svc.UploadMainFile(ctx, sec, "SKHCN", rev, 0, bytes.NewReader(docx(t, "Giấy biên nhận")), "bn.docx"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, sec, "SKHCN", rev, service.TransitionRequest{Event: qms.EvSubmitApproval}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, leader, "SKHCN", rev, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 1, 5)}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.FileChangeRequest(ctx, auditor, "SKHCN", d.ID, " "); qms.ErrorCode(err) != qms.EInvalid {
			t.Errorf("an empty request: %v", err)
		}
		if _, err := svc.FileChangeRequest(ctx, who["leader@SNV"], "SKHCN", d.ID, "Sửa"); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency filing: %v", err)
		}
		r1, err := svc.FileChangeRequest(ctx, auditor, "SKHCN", d.ID, "Thêm ô số điện thoại người nộp")
		if err != nil {
			t.Fatal(err)
		}
		r2, err := svc.FileChangeRequest(ctx, staff, "SKHCN", d.ID, "Bỏ ô ghi chú")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.DecideChangeRequest(ctx, staff, "SKHCN", r1.ID, true, ""); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("staff deciding: %v", err)
		}
		if _, err := svc.DecideChangeRequest(ctx, sec, "SKHCN", r2.ID, false, ""); err == nil || !strings.Contains(err.Error(), "reason") {
			t.Errorf("a rejection without a reason: %v", err)
		}
		got, err := svc.DecideChangeRequest(ctx, sec, "SKHCN", r1.ID, true, "")
		if err != nil || got.State != "accepted" || got.RevisionID == 0 {
			t.Fatalf("accept: %+v %v", got, err)
		}
		if _, err := svc.DecideChangeRequest(ctx, sec, "SKHCN", r1.ID, false, "Đổi ý"); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("deciding twice: %v", err)
		}
		if _, err := svc.DecideChangeRequest(ctx, sec, "SKHCN", r2.ID, false, "Ô ghi chú là bắt buộc theo mẫu của tỉnh"); err != nil {
			t.Fatal(err)
		}
		view, err := svc.Document(ctx, staff, "SKHCN", d.ID)
		if err != nil || len(view.Requests) != 2 || view.Revisions[0].Number != 2 || view.Revisions[0].State != qms.RevDraft || view.Requests[0].State != "rejected" {
			t.Fatalf("view: %+v %+v %v", view.Requests, view.Revisions, err)
		}
	})
}

func TestModels(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir(), FileLimit: 1 << 20}, nil, nil)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		coord, sec := who["coordinator"], who["secretary@SKHCN"]
		in := service.ModelInput{Type: "procedure", Title: "Quy trình đánh giá nội bộ (mô hình khung)", Clauses: []string{"9.2"},
			File: bytes.NewReader(docx(t, "Mô hình khung: đánh giá nội bộ")), FileName: "mo-hinh-danh-gia-noi-bo.docx"}
		if _, err := svc.PublishModel(ctx, sec, in); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("a secretary publishing: %v", err)
		}
		bad := in
		bad.File, bad.Clauses = bytes.NewReader(docx(t, "x")), []string{"4.2.3"}
		if _, err := svc.PublishModel(ctx, coord, bad); err == nil || !strings.Contains(err.Error(), "clauses") {
			t.Errorf("a 2008 clause cited as 2015: %v", err)
		}
		in.File = bytes.NewReader(docx(t, "Mô hình khung: đánh giá nội bộ"))
		m, err := svc.PublishModel(ctx, coord, in)
		if err != nil {
			t.Fatal(err)
		}
		if list, err := svc.Models(ctx, sec); err != nil || len(list) != 1 {
			t.Fatalf("models: %+v %v", list, err)
		}
		if _, err := svc.CopyModel(ctx, who["leader@SNV"], "SKHCN", m.ID); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("copying into another agency: %v", err)
		}
		d, err := svc.CopyModel(ctx, sec, "SKHCN", m.ID)
		if err != nil || d.Code != "QT-01" || d.Latest.File.SHA256 != m.File.SHA256 || d.Latest.State != qms.RevDraft {
			t.Fatalf("copy: %+v %v", d, err)
		}
		if d2, err := svc.CopyModel(ctx, sec, "SKHCN", m.ID); err != nil || d2.Code != "QT-02" {
			t.Errorf("a second copy: %+v %v", d2, err)
		}
	})
}

func TestExternalDocuments(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir(), FileLimit: 1 << 20}, nil, nil)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		sec := who["secretary@SKHCN"]
		if _, err := svc.CreateDocument(ctx, sec, "SKHCN", service.DocumentInput{Type: "external", Title: "Quyết định 19/2014/QĐ-TTg"}); err == nil || !strings.Contains(err.Error(), "ext_number") {
			t.Errorf("an external document without its number: %v", err)
		}
		x := &qms.ExternalDoc{Number: "19/2014/QĐ-TTg", Issuer: "Thủ tướng Chính phủ", SignedOn: qms.NewDate(2014, 3, 5), EffectiveOn: qms.NewDate(2014, 4, 20)}
		d, err := svc.CreateDocument(ctx, sec, "SKHCN", service.DocumentInput{Type: "external", Title: "Quyết định áp dụng ISO 9001 trong cơ quan hành chính", External: x})
		if err != nil || d.Code != "VBN-001" || d.External.Status != qms.ExtInForce {
			t.Fatalf("create: %+v %v", d, err)
		}
		if _, err := svc.UpdateExternal(ctx, sec, "SKHCN", d.ID, qms.ExternalDoc{Number: x.Number, Issuer: x.Issuer, SignedOn: x.SignedOn, Status: qms.ExtRepealed}); err == nil || !strings.Contains(err.Error(), "ext_expired_on") {
			t.Errorf("repealed without an end date: %v", err)
		}
		if _, err := svc.UpdateExternal(ctx, sec, "SKHCN", d.ID, qms.ExternalDoc{Number: x.Number, Issuer: x.Issuer, SignedOn: x.SignedOn, Status: qms.ExtRepealed, ExpiredOn: qms.NewDate(2026, 1, 1)}); err != nil {
			t.Fatal(err)
		}
		view, err := svc.Document(ctx, sec, "SKHCN", d.ID)
		if err != nil || view.Document.External == nil || view.Document.External.Status != qms.ExtRepealed || view.Document.External.ExpiredOn != qms.NewDate(2026, 1, 1) {
			t.Fatalf("after repeal: %+v %v", view.Document.External, err)
		}
		form, err := svc.CreateDocument(ctx, sec, "SKHCN", service.DocumentInput{Type: "form", Title: "Phiếu", External: x})
		if err != nil || form.External != nil {
			t.Errorf("an internal form keeps legal facts: %+v %v", form.External, err)
		}
		if _, err := svc.UpdateExternal(ctx, sec, "SKHCN", form.ID, *x); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("legal facts on an internal form: %v", err)
		}
	})
}

// A type may name the ISO secretary as its approver: then the secretary signs, staff still may not.
func TestSecretaryApprover(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: t.TempDir(), FileLimit: 1 << 20}, nil, nil)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		sec, staff := who["secretary@SKHCN"], who["staff@SKHCN"]
		form, err := db.DocType(ctx, "form")
		if err != nil {
			t.Fatal(err)
		}
		if service.MayApprove(sec, "SKHCN", form) {
			t.Error("the secretary may approve forms before the type says so")
		}
		form.Approver = qms.RoleSecretary
		if _, err := svc.UpdateDocType(ctx, who["coordinator"], "form", form); err != nil {
			t.Fatal(err)
		}
		if !service.MayApprove(sec, "SKHCN", form) || service.MayApprove(staff, "SKHCN", form) || service.MayApprove(sec, "SNV", form) {
			t.Error("MayApprove for a secretary-approved type")
		}
		d, err := svc.CreateDocument(ctx, staff, "SKHCN", service.DocumentInput{Type: "form", Title: "Phiếu"})
		if err != nil {
			t.Fatal(err)
		}
		rev := d.Latest.ID
		if _, err := svc.UploadMainFile(ctx, staff, "SKHCN", rev, 0, bytes.NewReader(docx(t, "Phiếu")), "p.docx"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, staff, "SKHCN", rev, service.TransitionRequest{Event: qms.EvSubmitApproval}); err != nil {
			t.Fatal(err)
		}
		if v, err := svc.Transition(ctx, sec, "SKHCN", rev, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 1, 1)}); err != nil || v.State != qms.RevEffective {
			t.Fatalf("the secretary signs: %+v %v", v, err)
		}
	})
}

// An author may not approve their own revision unless the agency's leader allows it; the
// setting is journaled and only the leader changes it.
func TestAgencySelfApproval(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		leader, sec := who["leader@SKHCN"], who["secretary@SKHCN"]
		d, err := svc.CreateDocument(ctx, leader, "SKHCN", service.DocumentInput{Type: "form", Title: "Phiếu do lãnh đạo soạn"})
		if err != nil {
			t.Fatal(err)
		}
		v, err := svc.UploadMainFile(ctx, leader, "SKHCN", d.Latest.ID, d.Latest.Version, bytes.NewReader(docx(t, "Phiếu")), "p.docx")
		if err == nil {
			v, err = svc.Transition(ctx, sec, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvSubmitApproval})
		}
		if err != nil {
			t.Fatal(err)
		}
		approve := service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 11, 27)}
		if _, err := svc.Transition(ctx, leader, "SKHCN", v.ID, approve); qms.ErrorCode(err) != qms.EForbidden {
			t.Fatalf("the author approving their own revision: %v", err)
		}
		if _, err := svc.SetDocSelfApproval(ctx, sec, "SKHCN", true); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("the secretary changing the rule: %v", err)
		}
		if a, err := svc.SetDocSelfApproval(ctx, leader, "SKHCN", true); err != nil || !a.DocSelfApproval {
			t.Fatalf("the leader allowing it: %+v %v", a, err)
		}
		if a, err := svc.AgencyDocSettings(ctx, sec, "SKHCN"); err != nil || !a.DocSelfApproval {
			t.Errorf("the rule as read back: %v %v", a.DocSelfApproval, err)
		}
		if v, err = svc.Transition(ctx, leader, "SKHCN", v.ID, approve); err != nil || v.State != qms.RevEffective {
			t.Fatalf("approving once allowed: %v %v", v.State, err)
		}
		entries, err := svc.Journal(ctx, leader, service.JournalQuery{AgencyCode: "SKHCN", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			found = found || e.Action == "agency.doc_self_approval"
		}
		if !found {
			t.Error("the rule's change is not in the journal")
		}
	})
}

// Attachments: part of what is signed, locked from submission, carried into the next revision,
// and marked HẾT HIỆU LỰC when their revision is.
func TestAttachments(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		staff, leader, other := who["staff@SKHCN"], who["leader@SKHCN"], who["leader@SNV"]
		d, err := svc.CreateDocument(ctx, staff, "SKHCN", service.DocumentInput{Type: "form", Title: "Phiếu có phụ lục"})
		if err != nil {
			t.Fatal(err)
		}
		v, err := svc.UploadMainFile(ctx, staff, "SKHCN", d.Latest.ID, 0, bytes.NewReader(docx(t, "Phiếu")), "phieu.docx")
		if err != nil {
			t.Fatal(err)
		}
		before := v.ContentHash
		if _, err := svc.AddAttachment(ctx, other, "SKHCN", v.ID, 0, bytes.NewReader(docx(t, "x")), "x.docx"); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("another agency attaching: %v", err)
		}
		if v, err = svc.AddAttachment(ctx, staff, "SKHCN", v.ID, v.Version, bytes.NewReader(docx(t, "Phụ lục 1")), "phu-luc.docx"); err != nil || len(v.Attachments) != 1 || v.ContentHash == before {
			t.Fatalf("attach: %+v %v", v.Attachments, err)
		}
		if res, err := svc.Search(ctx, staff, service.SearchRequest{Query: "phu luc 1"}); err != nil || res.Total != 1 {
			t.Errorf("the attachment's text is not searched: %d %v", res.Total, err)
		}
		if _, err := svc.AddAttachment(ctx, staff, "SKHCN", v.ID, v.Version-1, bytes.NewReader(docx(t, "y")), "y.docx"); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("attaching to a version read before: %v", err)
		}
		var e *qms.Error
		if _, err := svc.AddAttachment(ctx, staff, "SKHCN", v.ID, 0, bytes.NewReader(docx(t, "Khác")), "phu-luc.docx"); !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "attachment" {
			t.Errorf("the same name twice: %v", err)
		}
		if v, err = svc.Transition(ctx, staff, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvSubmitApproval}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RemoveAttachment(ctx, staff, "SKHCN", v.ID, 0, v.Attachments[0].ID); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("removing an attachment after submission: %v", err)
		}
		if v, err = svc.Transition(ctx, leader, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 11, 27)}); err != nil {
			t.Fatal(err)
		}
		dl, err := svc.OpenAttachment(ctx, staff, "SKHCN", v.ID, v.Attachments[0].ID)
		if err != nil || dl.Base != "lan-1_dinh-kem-1" || dl.File.Name != "phu-luc.docx" {
			t.Fatalf("download: %q %q %v", dl.Base, dl.File.Name, err)
		}
		dl.Close()

		next, err := svc.NewRevision(ctx, staff, "SKHCN", d.ID)
		if err != nil || len(next.Attachments) != 1 || next.ContentHash != v.ContentHash {
			t.Fatalf("the next revision starts with the attachments: %+v %v", next.Attachments, err)
		}
		if next, err = svc.RemoveAttachment(ctx, staff, "SKHCN", next.ID, next.Version, next.Attachments[0].ID); err != nil || len(next.Attachments) != 0 {
			t.Fatalf("remove: %+v %v", next.Attachments, err)
		}
		if next, err = svc.Transition(ctx, staff, "SKHCN", next.ID, service.TransitionRequest{Event: qms.EvSubmitApproval}); err == nil {
			_, err = svc.Transition(ctx, leader, "SKHCN", next.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 11, 27)})
		}
		if err != nil {
			t.Fatal(err)
		}
		dl, err = svc.OpenAttachment(ctx, staff, "SKHCN", v.ID, v.Attachments[0].ID)
		if err != nil || dl.Base != "HET-HIEU-LUC_lan-1_dinh-kem-1" || dl.File.Name != "HẾT HIỆU LỰC - phu-luc.docx" {
			t.Fatalf("the superseded revision's attachment: %q %q %v", dl.Base, dl.File.Name, err)
		}
		dl.Close()
		if _, err := svc.OpenAttachment(ctx, staff, "SKHCN", next.ID, v.Attachments[0].ID); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("another revision's attachment: %v", err)
		}
	})
}

// Distribution to units: each unit on the list acknowledges a revision when it takes effect,
// given by one of the agency's people on its behalf; pending units show in the agency's list.
func TestUnitDistribution(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := newService(t, db)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		staff, sec, leader, coord := who["staff@SKHCN"], who["secretary@SKHCN"], who["leader@SKHCN"], who["coordinator"]
		vp, err := svc.CreateUnit(ctx, leader, "SKHCN", service.UnitInput{Code: "VP", Name: "Văn phòng Sở"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateUnit(ctx, leader, "SKHCN", service.UnitInput{Code: "QLKH", Name: "Phòng Quản lý khoa học"}); err != nil {
			t.Fatal(err)
		}
		d, err := svc.CreateDocument(ctx, staff, "SKHCN", service.DocumentInput{Type: "form", Title: "Phiếu phân phối"})
		if err != nil {
			t.Fatal(err)
		}
		var e *qms.Error
		if err := svc.SetDistributionUnits(ctx, staff, "SKHCN", d.ID, []string{"VP", "NOPE"}); !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "units" {
			t.Errorf("an unknown unit: %v", err)
		}
		if err := svc.SetDistributionUnits(ctx, staff, "SKHCN", d.ID, []string{"vp", "QLKH", "VP"}); err != nil {
			t.Fatal(err)
		}
		v, err := svc.UploadMainFile(ctx, staff, "SKHCN", d.Latest.ID, 0, bytes.NewReader(docx(t, "Phiếu")), "p.docx")
		if err == nil {
			v, err = svc.Transition(ctx, sec, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvSubmitApproval})
		}
		if err == nil {
			v, err = svc.Transition(ctx, leader, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.NewDate(2026, 11, 27)})
		}
		if err != nil {
			t.Fatal(err)
		}
		view, err := svc.Document(ctx, staff, "SKHCN", d.ID)
		if err != nil || len(view.Units) != 2 || len(view.UnitAcks) != 2 {
			t.Fatalf("the view: %d units, %d acknowledgements, %v", len(view.Units), len(view.UnitAcks), err)
		}
		pending, err := svc.AgencyPendingReads(ctx, leader, "SKHCN")
		units := 0
		for _, p := range pending {
			if p.Unit {
				units++
			}
		}
		if err != nil || units != 2 {
			t.Errorf("pending units: %d %v", units, err)
		}
		if err := svc.AcknowledgeForUnit(ctx, coord, "SKHCN", v.ID, vp.ID); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("the province acknowledging for a unit: %v", err)
		}
		if err := svc.AcknowledgeForUnit(ctx, staff, "SKHCN", v.ID, vp.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.AcknowledgeForUnit(ctx, staff, "SKHCN", v.ID, vp.ID); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("twice: %v", err)
		}
		view, _ = svc.Document(ctx, staff, "SKHCN", d.ID)
		for _, k := range view.UnitAcks {
			if k.UnitID == vp.ID && (k.By != staff.UserID || k.At.IsZero()) {
				t.Errorf("the unit's acknowledgement: %+v", k)
			}
		}
	})
}

// Retention: a superseded revision comes due when its type's retention has passed since it
// stopped being in force; the leader destroys it with a note; its unused files go, files the
// next revision still uses stay.
func TestRetention(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clk := &clock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
		dir := t.TempDir()
		svc := service.New(db, service.Config{Argon: fastArgon, DataDir: dir, FileLimit: 1 << 20}, clk.now, nil)
		who := seed(t, svc)
		if err := svc.SeedReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		stored := func(sha string) bool {
			_, err := os.Stat(filepath.Join(dir, "files", sha[:2], sha))
			return err == nil
		}
		staff, leader := who["staff@SKHCN"], who["leader@SKHCN"]
		approve := func(v qms.Revision) qms.Revision {
			t.Helper()
			v, err := svc.Transition(ctx, staff, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvSubmitApproval})
			if err == nil {
				v, err = svc.Transition(ctx, leader, "SKHCN", v.ID, service.TransitionRequest{Event: qms.EvApprove, Password: testPassword, EffectiveOn: qms.DateOf(clk.now().In(time.FixedZone("ICT", 7*3600)))})
			}
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		d, err := svc.CreateDocument(ctx, staff, "SKHCN", service.DocumentInput{Type: "form", Title: "Phiếu lưu trữ"}) // forms are kept 3 years
		if err != nil {
			t.Fatal(err)
		}
		v1, err := svc.UploadMainFile(ctx, staff, "SKHCN", d.Latest.ID, 0, bytes.NewReader(docx(t, "Bản một: ngày nhận")), "v1.docx")
		if err == nil {
			v1, err = svc.AddAttachment(ctx, staff, "SKHCN", v1.ID, 0, bytes.NewReader(docx(t, "Phụ lục chung")), "phu-luc.docx")
		}
		if err != nil {
			t.Fatal(err)
		}
		v1 = approve(v1)
		clk.add(24 * time.Hour)
		v2, err := svc.NewRevision(ctx, staff, "SKHCN", d.ID)
		if err == nil {
			v2, err = svc.UploadMainFile(ctx, staff, "SKHCN", v2.ID, 0, bytes.NewReader(docx(t, "Bản hai")), "v2.docx")
		}
		if err != nil {
			t.Fatal(err)
		}
		v2 = approve(v2)

		if _, items, err := svc.RetentionDue(ctx, leader, "SKHCN"); err != nil || len(items) != 0 {
			t.Fatalf("due right after superseding: %d %v", len(items), err)
		}
		if err := svc.DestroyRevision(ctx, leader, "SKHCN", v1.ID, "BB-01"); qms.ErrorCode(err) != qms.EConflict {
			t.Errorf("destroying before its time: %v", err)
		}
		clk.add(3 * 366 * 24 * time.Hour)
		_, items, err := svc.RetentionDue(ctx, staff, "SKHCN")
		if err != nil || len(items) != 1 || items[0].Revision.ID != v1.ID || items[0].DestroyOn != qms.NewDate(2029, 11, 28) {
			t.Fatalf("due after three years: %+v %v", items, err)
		}
		if err := svc.DestroyRevision(ctx, staff, "SKHCN", v1.ID, "BB-01"); qms.ErrorCode(err) != qms.EForbidden {
			t.Errorf("staff destroying: %v", err)
		}
		var e *qms.Error
		if err := svc.DestroyRevision(ctx, leader, "SKHCN", v1.ID, " "); !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "note" {
			t.Errorf("without a note: %v", err)
		}
		if err := svc.DestroyRevision(ctx, leader, "SKHCN", v1.ID, "Biên bản hủy số 01/BB-SKHCN"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.OpenRevisionFile(ctx, staff, "SKHCN", v1.ID); qms.ErrorCode(err) != qms.ENotFound {
			t.Errorf("the destroyed revision's file: %v", err)
		}
		if stored(v1.File.SHA256) || !stored(v1.Attachments[0].File.SHA256) || !stored(v2.File.SHA256) {
			t.Errorf("files after destruction: the destroyed one kept %v, the shared attachment kept %v, the one in force kept %v",
				stored(v1.File.SHA256), stored(v1.Attachments[0].File.SHA256), stored(v2.File.SHA256))
		}
		if _, items, _ := svc.RetentionDue(ctx, leader, "SKHCN"); len(items) != 0 {
			t.Errorf("still due after destruction: %d", len(items))
		}
		// The next revision's file and the attachment it carried over are still there.
		v2, err = svc.RevisionOf(ctx, staff, "SKHCN", v2.ID)
		if err != nil || len(v2.Attachments) != 1 {
			t.Fatalf("the revision in force: %+v %v", v2.Attachments, err)
		}
		for _, open := range []func() (service.Download, error){
			func() (service.Download, error) { return svc.OpenRevisionFile(ctx, staff, "SKHCN", v2.ID) },
			func() (service.Download, error) {
				return svc.OpenAttachment(ctx, staff, "SKHCN", v2.ID, v2.Attachments[0].ID)
			},
		} {
			dl, err := open()
			if err != nil {
				t.Fatalf("a file still in use: %v", err)
			}
			dl.Close()
		}
		if res, err := svc.Search(ctx, staff, service.SearchRequest{Query: "ngay nhan"}); err != nil || res.Total != 0 {
			t.Errorf("the destroyed text is still searchable: %d %v", res.Total, err)
		}
		entries, _ := svc.Journal(ctx, leader, service.JournalQuery{AgencyCode: "SKHCN", Limit: 5})
		if len(entries) == 0 || entries[0].Action != "revision.destroy" {
			t.Errorf("the journal's last entry: %+v", entries)
		}
	})
}
