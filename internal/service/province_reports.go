package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// The province's consolidated report as a document of its own: the Department's coordinator
// opens it for a period and writes its text; the Department's leader signs it (the table per
// agency frozen, the report numbered in the Department's register); it is submitted to the
// People's Committee and the Ministry. Until it is signed its figures are live.

// ProvinceReportView is the province's report for a period: its document (nil while none is
// opened), the consolidation (frozen once signed, live before), and what the actor may do.
type ProvinceReportView struct {
	Doc       *qms.ProvinceReport
	C         Consolidated
	MayOpen   bool
	MayEdit   bool
	MaySign   bool
	MayReopen bool // the leader, while signed and not sent
	MaySubmit bool
}

// mayReadProvinceReport: the province's roles, and the Department's leader who signs it.
func (s *Service) mayReadProvinceReport(actor *qms.Actor) error {
	if actor.CanAnywhere(qms.PermProvinceOversee) || actor.Can(qms.PermDocApprove, s.cfg.LeadAgency) {
		return nil
	}
	return actor.Require(qms.PermProvinceOversee, "")
}

// MayReadProvinceReport tells whether the actor may read the province's report (to offer the
// link to it).
func (s *Service) MayReadProvinceReport(actor *qms.Actor) bool {
	return s.mayReadProvinceReport(actor) == nil
}

// ProvinceReport returns the province's report for a period.
func (s *Service) ProvinceReport(ctx context.Context, actor *qms.Actor, kind qms.ReportKind, year int) (ProvinceReportView, error) {
	var v ProvinceReportView
	if err := s.mayReadProvinceReport(actor); err != nil {
		return v, err
	}
	doc, err := s.db.ProvinceReport(ctx, kind, year)
	switch {
	case err == nil:
		v.Doc = &doc
	case qms.ErrorCode(err) != qms.ENotFound:
		return v, err
	}
	if v.Doc != nil && len(v.Doc.Data) > 0 {
		if err := json.Unmarshal(v.Doc.Data, &v.C); err != nil {
			return v, fmt.Errorf("province report %d: %w", v.Doc.ID, err)
		}
	} else if v.C, err = s.consolidate(ctx, kind, year); err != nil {
		return v, err
	}
	manage, sign := actor.Can(qms.PermProgrammeManage, ""), actor.Can(qms.PermDocApprove, s.cfg.LeadAgency)
	v.MayOpen = v.Doc == nil && manage
	if v.Doc != nil {
		v.MayEdit = v.Doc.Editable() && manage
		v.MaySign = v.Doc.Editable() && sign
		v.MaySubmit = v.Doc.State == qms.ReportSigned && (manage || sign)
		v.MayReopen = v.Doc.State == qms.ReportSigned && sign
	}
	return v, nil
}

// ProvinceReports lists the province's reports, the latest period first.
func (s *Service) ProvinceReports(ctx context.Context, actor *qms.Actor) ([]qms.ProvinceReport, error) {
	if err := s.mayReadProvinceReport(actor); err != nil {
		return nil, err
	}
	return s.db.ProvinceReports(ctx)
}

// OpenProvinceReport opens the province's report for a period, as a draft (the Department's
// coordinator).
func (s *Service) OpenProvinceReport(ctx context.Context, actor *qms.Actor, kind qms.ReportKind, year int) (qms.ProvinceReport, error) {
	x := qms.ProvinceReport{Kind: kind, Year: year, State: qms.ReportDraft}
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return x, err
	}
	if year < 2000 || year > 2100 {
		return x, fieldErr("year", "err.year")
	}
	var err error
	if x.From, x.To, x.DueOn, _, err = s.period(ctx, kind, year); err != nil {
		return x, err
	}
	if qms.DateOf(s.now().In(vietnam)).Before(x.From) {
		return x, fieldErr("year", "err.report_future")
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertProvinceReport(ctx, &x, actor.UserID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "province_report.open", "province_report", x.ID,
			qms.Changes{"kind": {New: string(kind)}, "year": {New: fmt.Sprint(year)}})
	})
	return x, err
}

// SaveProvinceReportText writes a draft's free-text sections.
func (s *Service) SaveProvinceReportText(ctx context.Context, actor *qms.Actor, kind qms.ReportKind, year int, in ReportText) (qms.ProvinceReport, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return qms.ProvinceReport{}, err
	}
	return s.actOnProvinceReport(ctx, actor, kind, year, in.Version, "province_report.text", func(x *qms.ProvinceReport) (qms.Changes, error) {
		if !x.Editable() {
			return nil, qms.Errorf(qms.EConflict, "err.report_state", string(x.State))
		}
		old := *x
		x.Results, x.Difficulties, x.Proposals = in.Results, in.Difficulties, in.Proposals
		if err := x.CheckText(); err != nil {
			return nil, err
		}
		return qms.Changes{"results": {Old: old.Results, New: x.Results}, "difficulties": {Old: old.Difficulties, New: x.Difficulties},
			"proposals": {Old: old.Proposals, New: x.Proposals}}, nil
	})
}

// SignProvinceReport records the Department's leader's signature: the consolidation is
// compiled and frozen, the report numbered in the Department's register.
func (s *Service) SignProvinceReport(ctx context.Context, actor *qms.Actor, kind qms.ReportKind, year int, version int64) (qms.ProvinceReport, error) {
	if !actor.Can(qms.PermDocApprove, s.cfg.LeadAgency) {
		return qms.ProvinceReport{}, qms.Errorf(qms.EForbidden, "err.province_report_leader")
	}
	lead, err := s.db.AgencyByCode(ctx, s.cfg.LeadAgency)
	if err != nil {
		return qms.ProvinceReport{}, err
	}
	c, err := s.consolidate(ctx, kind, year)
	if err != nil {
		return qms.ProvinceReport{}, err
	}
	data, err := json.Marshal(c)
	if err != nil {
		return qms.ProvinceReport{}, err
	}
	return s.actOnProvinceReport(ctx, actor, kind, year, version, "province_report.sign", func(x *qms.ProvinceReport) (qms.Changes, error) {
		if !x.Editable() {
			return nil, qms.Errorf(qms.EConflict, "err.report_state", string(x.State))
		}
		if x.Number == "" { // signed again after a reopening: the same number
			n, err := s.db.NextReportNumber(ctx, lead.ID, x.Year, true)
			if err != nil {
				return nil, err
			}
			x.Number = fmt.Sprintf("%02d/BC-%s", n, lead.Code)
		}
		x.Data, x.State, x.SignedBy, x.SignerName, x.SignedAt = data, qms.ReportSigned, actor.UserID, actor.Name, s.now()
		return qms.Changes{"state": {Old: string(qms.ReportDraft), New: string(x.State)}, "number": {New: x.Number},
			"agencies": {New: fmt.Sprint(len(c.Rows))}}, nil
	})
}

// ReopenProvinceReport withdraws the leader's signature before the report is sent, to correct
// it: a draft again, its figures live, its number kept for the next signature.
func (s *Service) ReopenProvinceReport(ctx context.Context, actor *qms.Actor, kind qms.ReportKind, year int, version int64) (qms.ProvinceReport, error) {
	if !actor.Can(qms.PermDocApprove, s.cfg.LeadAgency) {
		return qms.ProvinceReport{}, qms.Errorf(qms.EForbidden, "err.province_report_leader")
	}
	return s.actOnProvinceReport(ctx, actor, kind, year, version, "province_report.reopen", func(x *qms.ProvinceReport) (qms.Changes, error) {
		if x.State != qms.ReportSigned {
			return nil, qms.Errorf(qms.EConflict, "err.report_state", string(x.State))
		}
		x.State, x.Data, x.SignedBy, x.SignerName, x.SignedAt = qms.ReportDraft, nil, 0, "", time.Time{}
		return qms.Changes{"state": {Old: string(qms.ReportSigned), New: string(x.State)}}, nil
	})
}

// SubmitProvinceReport sends the signed report to its recipients.
func (s *Service) SubmitProvinceReport(ctx context.Context, actor *qms.Actor, kind qms.ReportKind, year int, version int64, to []string) (qms.ProvinceReport, error) {
	if !actor.Can(qms.PermProgrammeManage, "") && !actor.Can(qms.PermDocApprove, s.cfg.LeadAgency) {
		return qms.ProvinceReport{}, actor.Require(qms.PermProgrammeManage, "")
	}
	to, err := qms.CheckRecipients(to)
	if err != nil {
		return qms.ProvinceReport{}, err
	}
	return s.actOnProvinceReport(ctx, actor, kind, year, version, "province_report.submit", func(x *qms.ProvinceReport) (qms.Changes, error) {
		if x.State != qms.ReportSigned {
			return nil, qms.Errorf(qms.EConflict, "err.report_state", string(x.State))
		}
		x.State, x.SubmittedAt, x.SubmittedTo = qms.ReportSubmitted, s.now(), to
		return qms.Changes{"state": {Old: string(qms.ReportSigned), New: string(x.State)}, "to": {New: strings.Join(to, "; ")}}, nil
	})
}

// actOnProvinceReport changes the province's report in a transaction, journaled on the
// province's chain.
func (s *Service) actOnProvinceReport(ctx context.Context, actor *qms.Actor, kind qms.ReportKind, year int, version int64, action string,
	change func(x *qms.ProvinceReport) (qms.Changes, error)) (qms.ProvinceReport, error) {
	var x qms.ProvinceReport
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if x, err = tx.ProvinceReport(ctx, kind, year); err != nil {
			return err
		}
		if version != 0 && version != x.Version {
			return qms.Errorf(qms.EConflict, "err.stale")
		}
		ch, err := change(&x)
		if err != nil {
			return err
		}
		if err := tx.UpdateProvinceReport(ctx, &x); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, action, "province_report", x.ID, ch)
	})
	return x, err
}

// TableRows are the table's rows: one per agency, then the totals.
func (c Consolidated) TableRows(lang string) [][]string {
	var rows [][]string
	state := func(x *qms.Report) string {
		if x == nil {
			return i18n.T(lang, "consolidation.missing")
		}
		s := i18n.T(lang, "reportstate."+string(x.State))
		if x.Late {
			s += " (" + i18n.T(lang, "report.late") + ")"
		}
		return s
	}
	for i, r := range c.Rows {
		rows = append(rows, []string{strconv.Itoa(i + 1), r.Agency.Name, state(r.Report), strconv.Itoa(r.Finished), ratePct(r.OnTimeRate),
			strconv.Itoa(r.Audits), strconv.Itoa(r.Reviews), strconv.Itoa(r.NCOpen), r.Recognition})
	}
	t := c.Totals
	rows = append(rows, []string{"", i18n.T(lang, "consolidation.total"), strconv.Itoa(c.Submitted), strconv.Itoa(t.Finished), ratePct(t.OnTimeRate),
		strconv.Itoa(t.Audits), strconv.Itoa(t.Reviews), strconv.Itoa(t.NCOpen), ""})
	return rows
}

// ConsolidatedHeaders are the i18n keys of the table's columns.
var ConsolidatedHeaders = []string{"consolidation.no", "agency.name", "consolidation.report", "consolidation.settled", "consolidation.on_time",
	"consolidation.audits", "consolidation.reviews", "consolidation.nc_open", "consolidation.recognition"}

// Paper writes the province's report as an administrative document: numbered,
// dated and signed once its leader signed, its text and the table per agency.
func (v ProvinceReportView) Paper() export.Paper {
	c := v.C
	period := "năm " + strconv.Itoa(c.Year)
	if c.Kind == qms.ReportHalf {
		period = "6 tháng đầu năm " + strconv.Itoa(c.Year)
	}
	t := c.Totals
	number, dated, signer := "      /BC-"+c.Issuer.Code, qms.DateOf(c.Compiled.In(vietnam)), ""
	recipients := append([]string(nil), qms.ProvinceRecipients...)
	var doc qms.ProvinceReport
	if v.Doc != nil {
		doc = *v.Doc
		if doc.Number != "" {
			number, dated, signer = doc.Number, qms.DateOf(doc.SignedAt.In(vietnam)), doc.SignerName
		}
		if len(doc.SubmittedTo) > 0 {
			recipients = append([]string(nil), doc.SubmittedTo...)
		}
	}
	text := func(s string) []string {
		if s == "" {
			return []string{"Không có."}
		}
		return []string{s}
	}
	general := []string{
		"Số cơ quan triển khai: " + strconv.Itoa(len(c.Rows)) + "; đã gửi báo cáo: " + strconv.Itoa(c.Submitted) + " (trễ hạn " + strconv.Itoa(c.LateCount) +
			"), chưa gửi: " + strconv.Itoa(c.Missing) + ".",
		"Tiến độ triển khai chung: hoàn thành " + strconv.Itoa(t.StepsDone) + "/" + strconv.Itoa(t.StepsTotal) + " bước.",
		"Hồ sơ thủ tục hành chính: tiếp nhận " + strconv.Itoa(t.Received) + ", đã giải quyết " + strconv.Itoa(t.Finished) + ", đúng hạn " + strconv.Itoa(t.OnTime) +
			", trễ hạn " + strconv.Itoa(t.Late) + "; tỷ lệ đúng hạn " + ratePct(t.OnTimeRate) + ".",
		"Đánh giá nội bộ: " + strconv.Itoa(t.Audits) + " cuộc; " + strconv.Itoa(c.NoAudit) + " cơ quan chưa đánh giá nội bộ. Xem xét của lãnh đạo: " +
			strconv.Itoa(t.Reviews) + " cuộc; " + strconv.Itoa(c.NoReview) + " cơ quan chưa tổ chức.",
		"Sự không phù hợp: phát sinh " + strconv.Itoa(t.NCOpened) + ", đã khắc phục " + strconv.Itoa(t.NCClosed) + ", còn mở " + strconv.Itoa(t.NCOpen) + ".",
	}
	if doc.Results != "" {
		general = append(general, doc.Results)
	}
	headers := []string{"TT", "Cơ quan", "Báo cáo", "Hồ sơ đã giải quyết", "Đúng hạn", "ĐGNB", "XXLĐ", "KPH còn mở", "Công bố"}
	pp := export.Paper{Superior: c.Superior, Agency: c.Issuer.Name, Number: number, DateLine: export.DateLine(c.Place, dated),
		Title: "Báo cáo", Subtitle: "Tình hình xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001 tại các cơ quan hành chính nhà nước " + period,
		Sections: []export.PaperSection{
			{Heading: "I. TÌNH HÌNH CHUNG", Paras: general},
			{Heading: "II. KẾT QUẢ TẠI TỪNG CƠ QUAN", Paras: []string{"ĐGNB — số cuộc đánh giá nội bộ; XXLĐ — số cuộc họp xem xét của lãnh đạo; KPH — sự không phù hợp."},
				Widths: []float64{9, 48, 24, 17, 15, 11, 11, 12, 18}, Header: headers, Rows: c.TableRows("vi")},
			{Heading: "III. KHÓ KHĂN, VƯỚNG MẮC", Paras: text(doc.Difficulties)},
			{Heading: "IV. KIẾN NGHỊ, ĐỀ XUẤT", Paras: text(doc.Proposals)},
		},
		SignTitle: "Giám đốc", Signer: signer, Recipients: append(recipients, "Lưu: VT")}
	if c.Kind == qms.ReportYear { // the yearly report's table (Decision 19/2014, Annex II), before the difficulties
		annex := export.PaperSection{Heading: "Bảng tổng hợp kết quả áp dụng Hệ thống quản lý chất lượng (Phụ lục II, Quyết định số 19/2014/QĐ-TTg)",
			Widths: []float64{8, 33, 30, 22, 22, 22, 28}, Header: []string{"TT", "Tên cơ quan", "Phạm vi áp dụng", "Tư vấn", "Quyết định công bố (số, ngày)",
				"Duy trì, cải tiến", "Kết quả kiểm tra"}, Rows: c.AnnexRows()}
		pp.Sections = append(pp.Sections[:2], append([]export.PaperSection{annex}, pp.Sections[2:]...)...)
	}
	return pp
}

// AnnexRows are the rows of the yearly report's table (Decision 19/2014, Annex II): per agency
// its scope, consultants, announcement, upkeep (internal audits and reviews in the year) and
// the result of the year's inspection.
func (c Consolidated) AnnexRows() [][]string {
	rows := make([][]string, 0, len(c.Rows))
	for i, r := range c.Rows {
		scope := []rune(r.Scope)
		if len(scope) > 120 {
			scope = append(scope[:119], '…')
		}
		consultant := "Tự xây dựng"
		if len(r.Consultants) > 0 {
			consultant = strings.Join(r.Consultants, "; ")
		}
		announced := ""
		if r.Recognition != "" {
			announced = r.Recognition + ", " + r.RecognitionOn.VN()
		}
		inspection := ""
		if x := r.Inspection; x != nil {
			inspection = i18n.T("vi", "inspstate."+string(x.State))
			if x.State == qms.InspDone || x.State == qms.InspCorrected {
				shortcomings := 0
				for _, it := range x.Checklist {
					if !it.OK {
						shortcomings++
					}
				}
				inspection = fmt.Sprintf("%s %s; %d tồn tại", i18n.T("vi", "inspform."+string(x.Form)), x.DoneOn.VN(), shortcomings)
				if x.State == qms.InspCorrected {
					inspection += ", đã khắc phục"
				}
			}
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), r.Agency.Name, string(scope), consultant, announced,
			fmt.Sprintf("ĐGNB: %d; XXLĐ: %d", r.Audits, r.Reviews), inspection})
	}
	return rows
}

func ratePct(v float64) string {
	if v < 0 {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + "%"
}
