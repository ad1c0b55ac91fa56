package store

import (
	"context"
	"database/sql"
	"time"
)

// CalendarArrangement is an administrator's arrangement of one year.
type CalendarArrangement struct {
	Year       int
	Document   string
	Confidence string
	Body       string
	UpdatedAt  time.Time
	UpdatedBy  int64
}

// CalendarArrangements returns every stored arrangement, by year.
func (q Q) CalendarArrangements(ctx context.Context) ([]CalendarArrangement, error) {
	rows, err := q.query(ctx, "SELECT year, document, confidence, body, updated_at, updated_by FROM calendar_arrangements ORDER BY year")
	return scanAll(rows, err, func(r *sql.Rows) (CalendarArrangement, error) {
		var a CalendarArrangement
		var at int64
		err := r.Scan(&a.Year, &a.Document, &a.Confidence, &a.Body, &at, &a.UpdatedBy)
		a.UpdatedAt = fromMicros(at)
		return a, err
	})
}

// SaveCalendarArrangement stores a year's arrangement, replacing any earlier one.
func (q Q) SaveCalendarArrangement(ctx context.Context, a CalendarArrangement) error {
	_, err := q.exec(ctx, `INSERT INTO calendar_arrangements (year, document, confidence, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (year) DO UPDATE SET document = excluded.document, confidence = excluded.confidence, body = excluded.body,
		updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		a.Year, a.Document, a.Confidence, a.Body, micros(a.UpdatedAt), a.UpdatedBy)
	return err
}

// DeleteCalendarArrangement removes a stored arrangement; it reports whether there was one.
func (q Q) DeleteCalendarArrangement(ctx context.Context, year int) (bool, error) {
	res, err := q.exec(ctx, "DELETE FROM calendar_arrangements WHERE year = ?", year)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
