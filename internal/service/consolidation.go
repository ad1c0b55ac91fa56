package service

import (
	"context"
	"slices"
	"time"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// The Department of Science and Technology's consolidated report to the People's Committee and
// the Ministry: every agency's report for the period with the live figures of the province, a
// row per agency. It is read from aggregates and per-agency counts (a few queries for the
// whole province), never by compiling 150 reports one by one.

// ConsolidatedRow is one agency in the consolidated report.
type ConsolidatedRow struct {
	Agency      qms.Agency
	Report      *qms.Report // nil: no report opened
	StepsDone   int
	StepsTotal  int
	Committee   CommitteeState
	Received    int
	Finished    int
	OnTime      int
	Late        int
	OnTimeRate  float64 // -1: nothing settled
	Audits      int
	Reviews     int
	NCOpened    int
	NCClosed    int
	NCOpen      int
	Recognition string
	// For the yearly report's annex (Decision 19/2014, Annex II).
	RecognitionOn qms.Date
	Scope         string // the announcement's or certificate's scope
	Consultants   []string
	Inspection    *qms.Inspection // the year's inspection, if planned
}

// Consolidated is the province's report for a period.
type Consolidated struct {
	Kind       qms.ReportKind
	Year       int
	From, To   qms.Date
	DueOn      qms.Date
	Issuer     qms.Agency // the Department that issues it
	Superior   string
	Place      string
	Compiled   time.Time
	Rows       []ConsolidatedRow
	Submitted  int // reports submitted or accepted
	LateCount  int // of which late
	Missing    int // agencies without a submitted report
	NoAudit    int
	NoReview   int
	Totals     ConsolidatedRow
	MayPublish bool
}

// Consolidate compiles the province's report for a period (province roles).
func (s *Service) Consolidate(ctx context.Context, actor *qms.Actor, kind qms.ReportKind, year int) (Consolidated, error) {
	if err := actor.Require(qms.PermProvinceOversee, ""); err != nil {
		return Consolidated{}, err
	}
	return s.consolidate(ctx, kind, year)
}

// consolidate compiles the province's report for a period from live data.
func (s *Service) consolidate(ctx context.Context, kind qms.ReportKind, year int) (Consolidated, error) {
	c := Consolidated{Kind: kind, Year: year, Compiled: s.now()}
	var err error
	if c.From, c.To, c.DueOn, _, err = s.period(ctx, kind, year); err != nil {
		return c, err
	}
	if year < 2000 || year > 2100 {
		return c, fieldErr("year", "err.year")
	}
	today := qms.DateOf(s.now().In(vietnam))
	if c.Issuer, c.Superior, c.Place, err = s.issuer(ctx); err != nil {
		return c, err
	}
	dash, err := s.ProvinceDashboard(ctx, System, DashboardFilter{})
	if err != nil {
		return c, err
	}
	reports, err := s.db.Reports(ctx, store.ReportFilter{Kind: kind, Year: year})
	if err != nil {
		return c, err
	}
	byAgency := map[int64]*qms.Report{}
	for i := range reports {
		byAgency[reports[i].AgencyID] = &reports[i]
	}
	stats, err := s.db.DossierStats(ctx, store.ByAgency, nil, c.From.String()[:7], c.To.String()[:7], today)
	if err != nil {
		return c, err
	}
	statOf := map[int64]store.DossierStat{}
	for _, st := range stats {
		statOf[st.AgencyID] = st
	}
	audits, err := s.db.AuditCounts(ctx, c.From, c.To)
	if err != nil {
		return c, err
	}
	reviews, err := s.db.ReviewCounts(ctx, c.From, c.To)
	if err != nil {
		return c, err
	}
	start := time.Date(c.From.Time().Year(), c.From.Time().Month(), c.From.Time().Day(), 0, 0, 0, 0, vietnam)
	opened, closed, open, err := s.db.NCCounts(ctx, start, start.AddDate(0, 0, int(c.To.Time().Sub(c.From.Time()).Hours()/24)+1))
	if err != nil {
		return c, err
	}
	inspections, consultants := map[int64]qms.Inspection{}, map[int64][]string{}
	if kind == qms.ReportYear { // for the yearly report's table
		list, err := s.db.Inspections(ctx, year, 0)
		if err != nil {
			return c, err
		}
		for _, x := range list {
			inspections[x.AgencyID] = x
		}
		engagements, err := s.db.EngagementsDuring(ctx, 0, c.From, c.To)
		if err != nil {
			return c, err
		}
		consultants = consultantsOf(engagements)
	}
	c.Totals.OnTimeRate = -1
	var totalStat store.DossierStat
	for _, r := range dash.Rows {
		a := r.Agency
		row := ConsolidatedRow{Agency: a, Report: byAgency[a.ID], StepsDone: r.Progress.Done, StepsTotal: r.Progress.Total, Committee: r.Committee,
			Audits: audits[a.ID], Reviews: reviews[a.ID], NCOpened: opened[a.ID], NCClosed: closed[a.ID], NCOpen: open[a.ID], OnTimeRate: -1}
		st := statOf[a.ID]
		if c.To.Before(today) {
			st.OpenLate = 0
		}
		row.Received, row.Finished, row.OnTime, row.Late = st.Received, st.Finished, st.Early+st.OnTime, st.Late
		if st.Finished+st.OpenLate > 0 {
			row.OnTimeRate = OnTimeRate(st)
		}
		totalStat.Finished, totalStat.Early, totalStat.OnTime, totalStat.OpenLate = totalStat.Finished+st.Finished, totalStat.Early+st.Early,
			totalStat.OnTime+st.OnTime, totalStat.OpenLate+st.OpenLate
		_, recs, err := s.Recognitions(ctx, System, a.Code)
		if err != nil {
			return c, err
		}
		for _, rc := range recs {
			if rc.Status == qms.RecognitionValid && !c.To.Before(rc.IssuedOn) {
				row.Recognition, row.RecognitionOn, row.Scope = rc.Number, rc.IssuedOn, rc.Scope
			}
		}
		if kind == qms.ReportYear {
			row.Consultants = consultants[a.ID]
			if x, ok := inspections[a.ID]; ok {
				row.Inspection = &x
			}
		}
		if rep := row.Report; rep != nil && (rep.State == qms.ReportSubmitted || rep.State == qms.ReportAccepted) {
			c.Submitted++
			if rep.Late {
				c.LateCount++
			}
		} else {
			c.Missing++
		}
		if row.Audits == 0 {
			c.NoAudit++
		}
		if row.Reviews == 0 {
			c.NoReview++
		}
		t := &c.Totals
		t.StepsDone, t.StepsTotal, t.Received, t.Finished, t.OnTime, t.Late = t.StepsDone+row.StepsDone, t.StepsTotal+row.StepsTotal, t.Received+row.Received,
			t.Finished+row.Finished, t.OnTime+row.OnTime, t.Late+row.Late
		t.Audits, t.Reviews, t.NCOpened, t.NCClosed, t.NCOpen = t.Audits+row.Audits, t.Reviews+row.Reviews, t.NCOpened+row.NCOpened, t.NCClosed+row.NCClosed,
			t.NCOpen+row.NCOpen
		c.Rows = append(c.Rows, row)
	}
	if totalStat.Finished+totalStat.OpenLate > 0 {
		c.Totals.OnTimeRate = OnTimeRate(totalStat)
	}
	return c, nil
}

// issuer is who issues the province's documents: the lead agency (the Department), its
// superior's name, the province's place name for the date line.
func (s *Service) issuer(ctx context.Context) (lead qms.Agency, superior, place string, err error) {
	if lead, err = s.db.AgencyByCode(ctx, s.cfg.LeadAgency); err != nil && qms.ErrorCode(err) != qms.ENotFound {
		return lead, "", "", err
	}
	if lead.ParentCode != "" {
		if p, err := s.db.AgencyByCode(ctx, lead.ParentCode); err == nil {
			superior = p.Name
		}
	}
	place, err = s.place(ctx)
	return lead, superior, place, err
}

// Issuer is who issues the province's documents, for their PDFs.
func (s *Service) Issuer(ctx context.Context) (export.Issuer, error) {
	lead, superior, place, err := s.issuer(ctx)
	return export.Issuer{Superior: superior, Agency: lead.Name, Code: lead.Code, Place: place}, err
}

// consultantsOf names the consultancies of engagements, once each, by agency.
func consultantsOf(engagements []qms.Engagement) map[int64][]string {
	out := map[int64][]string{}
	for _, e := range engagements {
		if !slices.Contains(out[e.AgencyID], e.OrganisationName) {
			out[e.AgencyID] = append(out[e.AgencyID], e.OrganisationName)
		}
	}
	return out
}
