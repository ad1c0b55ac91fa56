package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/isogov/isogov/internal/qms"
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
