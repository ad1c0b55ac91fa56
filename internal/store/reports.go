package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/qms"
)

const reportColumns = `x.id, x.agency_id, a.code, a.name, x.kind, x.year, x.state, x.number, x.data, x.results, x.difficulties, x.proposals, x.signed_by,
	COALESCE(u.name, ''), x.signed_at, x.submitted_at, x.late, x.reviewed_by, x.reviewed_at, x.comment, x.created_at, x.version`

const reportFrom = " FROM reports x JOIN agencies a ON a.id = x.agency_id LEFT JOIN users u ON u.id = x.signed_by"

func scanReport(r interface{ Scan(...any) error }) (qms.Report, error) {
	var x qms.Report
	var data string
	var signed, submitted, reviewed, created int64
	err := r.Scan(&x.ID, &x.AgencyID, &x.AgencyCode, &x.AgencyName, &x.Kind, &x.Year, &x.State, &x.Number, &data, &x.Results, &x.Difficulties, &x.Proposals,
		&x.SignedBy, &x.SignerName, &signed, &submitted, &x.Late, &x.ReviewedBy, &reviewed, &x.Comment, &created, &x.Version)
	if err != nil {
		return x, err
	}
	if data != "" {
		x.Data = &qms.ReportData{}
		_ = json.Unmarshal([]byte(data), x.Data)
	}
	for _, p := range []struct {
		v int64
		t *time.Time
	}{{signed, &x.SignedAt}, {submitted, &x.SubmittedAt}, {reviewed, &x.ReviewedAt}, {created, &x.CreatedAt}} {
		if p.v != 0 {
			*p.t = fromMicros(p.v)
		}
	}
	return x, nil
}

// ReportSchedules returns the stored versions of the report schedules.
func (q Q) ReportSchedules(ctx context.Context) (qms.Schedules, error) {
	rows, err := q.query(ctx, "SELECT kind, year_from, due_month, due_day, close_days FROM report_schedules ORDER BY kind, year_from")
	return scanAll(rows, err, func(r *sql.Rows) (qms.ReportSchedule, error) {
		var x qms.ReportSchedule
		err := r.Scan(&x.Kind, &x.YearFrom, &x.DueMonth, &x.DueDay, &x.CloseDays)
		return x, err
	})
}

// SaveReportSchedule stores a version of a schedule (replacing the one of the same kind and
// year).
func (q Q) SaveReportSchedule(ctx context.Context, x qms.ReportSchedule) error {
	_, err := q.exec(ctx, `INSERT INTO report_schedules (kind, year_from, due_month, due_day, close_days) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, year_from) DO UPDATE SET due_month = excluded.due_month, due_day = excluded.due_day, close_days = excluded.close_days`,
		x.Kind, x.YearFrom, int(x.DueMonth), x.DueDay, x.CloseDays)
	return err
}

// withPeriods sets reports' periods, deadlines and closing days from the schedules in force.
func (q Q) withPeriods(ctx context.Context, list []qms.Report, err error) ([]qms.Report, error) {
	if err != nil {
		return list, err
	}
	sch, err := q.ReportSchedules(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		x := &list[i]
		x.From, x.To, x.DueOn, x.ClosesOn, _ = sch.Period(x.Kind, x.Year)
	}
	return list, nil
}

// InsertReport opens an agency's report for a period (one per agency, kind and year).
func (q Q) InsertReport(ctx context.Context, x *qms.Report, by int64, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO reports (agency_id, kind, year, state, results, difficulties, proposals, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, x.AgencyID, x.Kind, x.Year, x.State, x.Results, x.Difficulties, x.Proposals, by, micros(now))
	if err != nil {
		return conflict(err, "err.report_exists")
	}
	x.ID, x.Version, x.CreatedAt = id, 1, now
	return nil
}

// Report returns one of an agency's reports.
func (q Q) Report(ctx context.Context, agencyID, id int64) (qms.Report, error) {
	x, err := scanReport(q.row(ctx, "SELECT "+reportColumns+reportFrom+" WHERE x.agency_id = ? AND x.id = ?", agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, qms.Errorf(qms.ENotFound, "err.report_not_found")
	}
	list, err := q.withPeriods(ctx, []qms.Report{x}, err)
	if err != nil {
		return x, err
	}
	return list[0], nil
}

// ReportFilter selects reports.
type ReportFilter struct {
	AgencyID int64 // 0: every agency
	Kind     qms.ReportKind
	Year     int
	States   []qms.ReportState
}

// Reports returns the reports matching f (their figures left out), the latest period first.
func (q Q) Reports(ctx context.Context, f ReportFilter) ([]qms.Report, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.AgencyID != 0 {
		where, args = append(where, "x.agency_id = ?"), append(args, f.AgencyID)
	}
	if f.Kind != "" {
		where, args = append(where, "x.kind = ?"), append(args, f.Kind)
	}
	if f.Year != 0 {
		where, args = append(where, "x.year = ?"), append(args, f.Year)
	}
	if len(f.States) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(f.States)), ", ")
		where = append(where, "x.state IN ("+ph+")")
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	rows, err := q.query(ctx, "SELECT "+strings.Replace(reportColumns, "x.data", "''", 1)+reportFrom+" WHERE "+strings.Join(where, " AND ")+
		" ORDER BY x.year DESC, x.kind, a.code", args...)
	list, err := scanAll(rows, err, func(r *sql.Rows) (qms.Report, error) { return scanReport(r) })
	return q.withPeriods(ctx, list, err)
}

// UpdateReport writes a report when its version is the one read.
func (q Q) UpdateReport(ctx context.Context, x *qms.Report) error {
	data := ""
	if x.Data != nil {
		data = jsonText(x.Data)
	}
	return q.versioned(ctx, &x.Version, `UPDATE reports SET state = ?, number = ?, data = ?, results = ?, difficulties = ?, proposals = ?, signed_by = ?, signed_at = ?,
		submitted_at = ?, late = ?, reviewed_by = ?, reviewed_at = ?, comment = ?, version = version + 1 WHERE id = ? AND version = ?`,
		x.State, x.Number, data, x.Results, x.Difficulties, x.Proposals, x.SignedBy, microsOrZero(x.SignedAt), microsOrZero(x.SubmittedAt), x.Late, x.ReviewedBy,
		microsOrZero(x.ReviewedAt), x.Comment, x.ID, x.Version)
}

// NextReportNumber counts the reports an agency signed in a year, for the next number of its
// register; the lead agency's register also holds the province's consolidated reports
// (withProvince).
func (q Q) NextReportNumber(ctx context.Context, agencyID int64, year int, withProvince bool) (int, error) {
	var own, province int
	if err := q.row(ctx, "SELECT count(*) FROM reports WHERE agency_id = ? AND number <> '' AND year = ?", agencyID, year).Scan(&own); err != nil {
		return 0, err
	}
	if withProvince {
		if err := q.row(ctx, "SELECT count(*) FROM province_reports WHERE number <> '' AND year = ?", year).Scan(&province); err != nil {
			return 0, err
		}
	}
	return own + province + 1, nil
}

// RevisionsEffective counts an agency's revisions that took effect in [from, to].
func (q Q) RevisionsEffective(ctx context.Context, agencyID int64, from, to qms.Date) (int, error) {
	var n int
	err := q.row(ctx, "SELECT count(*) FROM revisions WHERE agency_id = ? AND effective_on >= ? AND effective_on <= ? AND state IN (?, ?, ?)",
		agencyID, from.String(), to.String(), qms.RevEffective, qms.RevSuperseded, qms.RevWithdrawn).Scan(&n)
	return n, err
}

const provinceReportColumns = `x.id, x.kind, x.year, x.state, x.number, x.data, x.results, x.difficulties, x.proposals, x.signed_by, COALESCE(u.name, ''),
	x.signed_at, x.submitted_at, x.submitted_to, x.created_at, x.version`

func scanProvinceReport(r interface{ Scan(...any) error }) (qms.ProvinceReport, error) {
	var x qms.ProvinceReport
	var data, to string
	var signed, submitted, created int64
	err := r.Scan(&x.ID, &x.Kind, &x.Year, &x.State, &x.Number, &data, &x.Results, &x.Difficulties, &x.Proposals, &x.SignedBy, &x.SignerName,
		&signed, &submitted, &to, &created, &x.Version)
	if err != nil {
		return x, err
	}
	if data != "" {
		x.Data = []byte(data)
	}
	if to != "" {
		x.SubmittedTo = strings.Split(to, "\n")
	}
	for _, p := range []struct {
		v int64
		t *time.Time
	}{{signed, &x.SignedAt}, {submitted, &x.SubmittedAt}, {created, &x.CreatedAt}} {
		if p.v != 0 {
			*p.t = fromMicros(p.v)
		}
	}
	return x, nil
}

// InsertProvinceReport opens the province's consolidated report for a period (one per kind and
// year).
func (q Q) InsertProvinceReport(ctx context.Context, x *qms.ProvinceReport, by int64, now time.Time) error {
	id, err := q.insert(ctx, `INSERT INTO province_reports (kind, year, state, results, difficulties, proposals, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, x.Kind, x.Year, x.State, x.Results, x.Difficulties, x.Proposals, by, micros(now))
	if err != nil {
		return conflict(err, "err.report_exists")
	}
	x.ID, x.Version, x.CreatedAt = id, 1, now
	return nil
}

// ProvinceReport returns the province's consolidated report for a period.
func (q Q) ProvinceReport(ctx context.Context, kind qms.ReportKind, year int) (qms.ProvinceReport, error) {
	x, err := scanProvinceReport(q.row(ctx, "SELECT "+provinceReportColumns+
		" FROM province_reports x LEFT JOIN users u ON u.id = x.signed_by WHERE x.kind = ? AND x.year = ?", kind, year))
	if errors.Is(err, sql.ErrNoRows) {
		return x, qms.Errorf(qms.ENotFound, "err.report_not_found")
	}
	if err != nil {
		return x, err
	}
	sch, err := q.ReportSchedules(ctx)
	x.From, x.To, x.DueOn, _, _ = sch.Period(x.Kind, x.Year)
	return x, err
}

// ProvinceReports lists the province's consolidated reports (their tables left out), the latest
// period first.
func (q Q) ProvinceReports(ctx context.Context) ([]qms.ProvinceReport, error) {
	rows, err := q.query(ctx, "SELECT "+strings.Replace(provinceReportColumns, "x.data", "''", 1)+
		" FROM province_reports x LEFT JOIN users u ON u.id = x.signed_by ORDER BY x.year DESC, x.kind")
	list, err := scanAll(rows, err, func(r *sql.Rows) (qms.ProvinceReport, error) { return scanProvinceReport(r) })
	if err != nil {
		return nil, err
	}
	sch, err := q.ReportSchedules(ctx)
	for i := range list {
		list[i].From, list[i].To, list[i].DueOn, _, _ = sch.Period(list[i].Kind, list[i].Year)
	}
	return list, err
}

// UpdateProvinceReport writes the province's report when its version is the one read.
func (q Q) UpdateProvinceReport(ctx context.Context, x *qms.ProvinceReport) error {
	return q.versioned(ctx, &x.Version, `UPDATE province_reports SET state = ?, number = ?, data = ?, results = ?, difficulties = ?, proposals = ?,
		signed_by = ?, signed_at = ?, submitted_at = ?, submitted_to = ?, version = version + 1 WHERE id = ? AND version = ?`,
		x.State, x.Number, string(x.Data), x.Results, x.Difficulties, x.Proposals, x.SignedBy, microsOrZero(x.SignedAt), microsOrZero(x.SubmittedAt),
		strings.Join(x.SubmittedTo, "\n"), x.ID, x.Version)
}
