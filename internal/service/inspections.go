package service

import (
	"context"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// The province's inspections (Circular 26/2014 Arts. 33–42): the coordinator drafts the
// yearly plan over the agencies of the programme (all on paper, at least a third on site) and
// records its approval; each inspection gets its decision, then its minutes along the Art. 36
// checklist — every shortcoming becomes a nonconformity in the agency's register — and the
// agency reports its corrective actions within two months.

// PlanView is a year's plan with its inspections.
type PlanView struct {
	Year     int
	Plan     store.InspectionPlan
	Found    bool
	Items    []qms.Inspection
	Agencies []qms.Agency // the agencies of the programme, to plan
	OnSite   int
	MayEdit  bool // draft, the coordinator
	Today    qms.Date
}

// InspectionPlan returns a year's plan (province roles).
func (s *Service) InspectionPlan(ctx context.Context, actor *qms.Actor, year int) (PlanView, error) {
	v := PlanView{Year: year, Today: qms.DateOf(s.now().In(vietnam))}
	if err := actor.Require(qms.PermProvinceOversee, ""); err != nil {
		return v, err
	}
	if year < 2000 || year > 2100 {
		return v, fieldErr("year", "err.year")
	}
	var err error
	if v.Plan, v.Found, err = s.db.Plan(ctx, year); err != nil {
		return v, err
	}
	if v.Items, err = s.db.Inspections(ctx, year, 0); err != nil {
		return v, err
	}
	for _, x := range v.Items {
		if x.Form == qms.OnSite {
			v.OnSite++
		}
	}
	dash, err := s.ProvinceDashboard(ctx, actor, DashboardFilter{})
	if err != nil {
		return v, err
	}
	for _, r := range dash.Rows {
		v.Agencies = append(v.Agencies, r.Agency)
	}
	v.MayEdit = v.Plan.State != "approved" && actor.Can(qms.PermProgrammeManage, "")
	return v, nil
}

// SavePlan writes a year's draft plan: every agency of the programme once, a month each, at
// least a third on site.
func (s *Service) SavePlan(ctx context.Context, actor *qms.Actor, year int, items []qms.PlanItem) (PlanView, error) {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return PlanView{}, err
	}
	v, err := s.InspectionPlan(ctx, actor, year)
	if err != nil {
		return v, err
	}
	if !v.MayEdit {
		return v, qms.Errorf(qms.EConflict, "err.plan_approved")
	}
	byCode := map[string]qms.Agency{}
	known := map[string]bool{}
	for _, a := range v.Agencies {
		byCode[a.Code], known[a.Code] = a, true
	}
	for i := range items {
		items[i].AgencyCode = qms.NormalizeCode(items[i].AgencyCode)
		items[i].Team, items[i].Partner = strings.TrimSpace(items[i].Team), strings.TrimSpace(items[i].Partner)
	}
	if err := qms.CheckPlan(items, known); err != nil {
		return v, err
	}
	list := make([]qms.Inspection, len(items))
	onSite := 0
	for i, it := range items {
		a := byCode[it.AgencyCode]
		list[i] = qms.Inspection{Year: year, AgencyID: a.ID, AgencyCode: a.Code, AgencyName: a.Name, Form: it.Form, Month: it.Month, Team: it.Team,
			Partner: it.Partner, Budget: it.Budget}
		if it.Form == qms.OnSite {
			onSite++
		}
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SavePlanItems(ctx, year, list); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "inspection.plan", "inspection_plan", int64(year), qms.Changes{"agencies": {New: strconv.Itoa(len(list))},
			"on_site": {New: strconv.Itoa(onSite)}})
	})
	if err != nil {
		return v, err
	}
	return s.InspectionPlan(ctx, actor, year)
}

// ApprovePlan records the approval of a year's plan by the People's Committee (decision number
// and date).
func (s *Service) ApprovePlan(ctx context.Context, actor *qms.Actor, year int, decisionNo string, on qms.Date) error {
	if err := actor.Require(qms.PermProgrammeManage, ""); err != nil {
		return err
	}
	v, err := s.InspectionPlan(ctx, actor, year)
	if err != nil {
		return err
	}
	if !v.Found || len(v.Items) == 0 {
		return qms.Errorf(qms.EConflict, "err.plan_empty")
	}
	if !v.MayEdit {
		return qms.Errorf(qms.EConflict, "err.plan_approved")
	}
	decisionNo = strings.TrimSpace(decisionNo)
	var val qms.Validation
	if decisionNo == "" || len([]rune(decisionNo)) > 60 {
		val.Add("decision_no", "err.required")
	}
	if on.IsZero() {
		val.Add("approved_on", "err.date")
	}
	if err := val.Err(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.ApprovePlan(ctx, year, decisionNo, on); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, qms.ProvinceChain, "inspection.approve", "inspection_plan", int64(year), qms.Changes{"decision": {New: decisionNo},
			"on": {New: on.String()}})
	})
}

// InspectionView is one inspection with what the actor may do.
type InspectionView struct {
	Inspection   qms.Inspection
	MayDecide    bool
	MayMinutes   bool
	MayCorrect   bool
	PlanApproved bool
	Plan         store.InspectionPlan
	Today        qms.Date
}

// Inspection returns one inspection: for the province's roles, or the agency's own people.
func (s *Service) Inspection(ctx context.Context, actor *qms.Actor, id int64) (InspectionView, error) {
	var v InspectionView
	x, err := s.db.Inspection(ctx, id)
	if err != nil {
		return v, err
	}
	if !actor.Can(qms.PermProvinceOversee, "") {
		if err := actor.Require(qms.PermTrackRead, x.AgencyCode); err != nil {
			return v, err
		}
	}
	p, _, err := s.db.Plan(ctx, x.Year)
	if err != nil {
		return v, err
	}
	v.Inspection, v.Plan, v.PlanApproved, v.Today = x, p, p.State == "approved", qms.DateOf(s.now().In(vietnam))
	manage := actor.Can(qms.PermProgrammeManage, "")
	// A decision (Form 20) only for an inspection on site (Art. 35); one on paper goes to its
	// minutes once the plan is approved.
	v.MayDecide = manage && v.PlanApproved && x.State == qms.InspPlanned && x.TakesDecision()
	v.MayMinutes = manage && (x.State == qms.InspDecided || x.State == qms.InspPlanned && !x.TakesDecision() && v.PlanApproved)
	v.MayCorrect = x.State == qms.InspDone && actor.Can(qms.PermTrackEdit, x.AgencyCode)
	return v, nil
}

// AgencyInspections lists an agency's inspections.
func (s *Service) AgencyInspections(ctx context.Context, actor *qms.Actor, agencyCode string) ([]qms.Inspection, error) {
	a, err := s.agencyFor(ctx, actor, qms.PermTrackRead, agencyCode)
	if err != nil {
		return nil, err
	}
	return s.db.Inspections(ctx, 0, a.ID)
}

// InspectionStep is a step of an inspection: the decision, the minutes, the corrective report.
type InspectionStep struct {
	DecisionNo string          `json:"decision_no"`
	DecisionOn qms.Date        `json:"decision_on"`
	Members    string          `json:"members"`
	Checklist  []qms.CheckItem `json:"checklist"`
	Conclusion string          `json:"conclusion"`
	DoneOn     qms.Date        `json:"done_on"`
	Corrective string          `json:"corrective"`
	Version    int64           `json:"version"`
}

// DecideInspection records an inspection's decision (Form 20) once the plan is approved.
func (s *Service) DecideInspection(ctx context.Context, actor *qms.Actor, id int64, in InspectionStep) (qms.Inspection, error) {
	return s.actOnInspection(ctx, actor, id, in.Version, "inspection.decide", func(v InspectionView, x *qms.Inspection) (qms.Changes, error) {
		if !v.MayDecide {
			if !actor.Can(qms.PermProgrammeManage, "") {
				return nil, qms.Errorf(qms.EForbidden, "err.forbidden")
			}
			if !x.TakesDecision() {
				return nil, qms.Errorf(qms.EConflict, "err.decision_on_site")
			}
			return nil, qms.Errorf(qms.EConflict, "err.inspection_state", string(x.State))
		}
		var val qms.Validation
		x.DecisionNo, x.Members = strings.TrimSpace(in.DecisionNo), strings.TrimSpace(in.Members)
		if x.DecisionNo == "" || len([]rune(x.DecisionNo)) > 60 {
			val.Add("decision_no", "err.required")
		}
		if in.DecisionOn.IsZero() {
			val.Add("decision_on", "err.date")
		}
		if x.Members == "" || len([]rune(x.Members)) > 2000 {
			val.Add("members", "err.required")
		}
		if err := val.Err(); err != nil {
			return nil, err
		}
		x.DecisionOn, x.State = in.DecisionOn, qms.InspDecided
		return qms.Changes{"decision": {New: x.DecisionNo}, "members": {New: x.Members}}, nil
	})
}

// RecordInspection records an inspection's minutes (Form 21): the Art. 36 checklist, the
// conclusion; every item not met becomes a nonconformity of the agency (source: inspection)
// and the corrective report falls due two months later.
func (s *Service) RecordInspection(ctx context.Context, actor *qms.Actor, id int64, in InspectionStep) (qms.Inspection, error) {
	return s.actOnInspection(ctx, actor, id, in.Version, "inspection.minutes", func(v InspectionView, x *qms.Inspection) (qms.Changes, error) {
		if !v.MayMinutes {
			if !actor.Can(qms.PermProgrammeManage, "") {
				return nil, qms.Errorf(qms.EForbidden, "err.forbidden")
			}
			return nil, qms.Errorf(qms.EConflict, "err.inspection_state", string(x.State))
		}
		if err := qms.CheckMinutes(in.Checklist, in.Conclusion); err != nil {
			return nil, err
		}
		if in.DoneOn.IsZero() || in.DoneOn.Before(x.DecisionOn) || v.Today.Before(in.DoneOn) {
			return nil, fieldErr("done_on", "err.minutes_date")
		}
		x.Checklist, x.Conclusion, x.DoneOn = in.Checklist, strings.TrimSpace(in.Conclusion), in.DoneOn
		x.CorrectiveDue, x.State = qms.CorrectiveDueOn(in.DoneOn), qms.InspDone
		return qms.Changes{"conclusion": {New: x.Conclusion}, "done_on": {New: x.DoneOn.String()}, "corrective_due": {New: x.CorrectiveDue.String()}}, nil
	})
}

// ReportCorrective records the agency's report of its corrective actions.
func (s *Service) ReportCorrective(ctx context.Context, actor *qms.Actor, id int64, in InspectionStep) (qms.Inspection, error) {
	return s.actOnInspection(ctx, actor, id, in.Version, "inspection.corrective", func(v InspectionView, x *qms.Inspection) (qms.Changes, error) {
		if !v.MayCorrect {
			if !actor.Can(qms.PermTrackEdit, x.AgencyCode) {
				return nil, qms.Errorf(qms.EForbidden, "err.forbidden")
			}
			return nil, qms.Errorf(qms.EConflict, "err.inspection_state", string(x.State))
		}
		text := strings.TrimSpace(in.Corrective)
		if text == "" || len([]rune(text)) > 8000 {
			return nil, fieldErr("corrective", "err.corrective_text")
		}
		x.Corrective, x.CorrectedAt, x.State = text, s.now(), qms.InspCorrected
		return qms.Changes{"corrective": {New: text}, "late": {New: strconv.FormatBool(x.CorrectiveDue.Before(v.Today))}}, nil
	})
}

// actOnInspection changes an inspection in a transaction, journaled on the agency's chain; the
// minutes' shortcomings go to the agency's register of nonconformities.
func (s *Service) actOnInspection(ctx context.Context, actor *qms.Actor, id, version int64, action string,
	change func(v InspectionView, x *qms.Inspection) (qms.Changes, error)) (qms.Inspection, error) {
	v, err := s.Inspection(ctx, actor, id)
	if err != nil {
		return qms.Inspection{}, err
	}
	x := v.Inspection
	if version != 0 && version != x.Version {
		return x, qms.Errorf(qms.EConflict, "err.stale")
	}
	ch, err := change(v, &x)
	if err != nil {
		return x, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if action == "inspection.minutes" {
			for i := range x.Checklist {
				it := &x.Checklist[i]
				if it.OK {
					continue
				}
				n := qms.Nonconformity{AgencyID: x.AgencyID, AgencyCode: x.AgencyCode, Title: it.Item, Description: strings.Join(strings.Fields(it.Note), " "), Source: qms.SourceInspection,
					SourceRef: x.Code, Severity: qms.SeverityMinor, State: qms.NCDraft, ReportedBy: actor.UserID, ReportedAt: s.now()}
				if err := n.Validate(); err != nil {
					return err
				}
				if err := tx.InsertNC(ctx, &n); err != nil {
					return err
				}
				it.NCCode = n.Code
				if err := s.record(ctx, tx, actor, x.AgencyID, "nc.report", "nc", n.ID, qms.Changes{"code": {New: n.Code}, "title": {New: n.Title},
					"source": {New: string(n.Source)}, "source_ref": {New: n.SourceRef}}); err != nil {
					return err
				}
			}
		}
		if err := tx.UpdateInspection(ctx, &x); err != nil {
			return err
		}
		ch["code"] = qms.Change{New: x.Code}
		return s.record(ctx, tx, actor, x.AgencyID, action, "inspection", x.ID, ch)
	})
	return x, err
}

// PlanPDF writes a year's plan as Form 19 (province roles).
func (s *Service) PlanPDF(ctx context.Context, actor *qms.Actor, year int) ([]byte, error) {
	v, err := s.InspectionPlan(ctx, actor, year)
	if err != nil {
		return nil, err
	}
	is, err := s.Issuer(ctx)
	if err != nil {
		return nil, err
	}
	return export.InspectionPlanPDF(is, year, v.Plan.DecisionNo, v.Plan.ApprovedOn, v.Today, v.Items)
}

// InspectionPDF writes an inspection's decision (Form 20, "decision") or minutes (Form 21,
// "minutes"); before they are recorded, a form with dots to fill by hand.
func (s *Service) InspectionPDF(ctx context.Context, actor *qms.Actor, id int64, form string) ([]byte, error) {
	v, err := s.Inspection(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	is, err := s.Issuer(ctx)
	if err != nil {
		return nil, err
	}
	switch form {
	case "decision":
		if !v.Inspection.TakesDecision() {
			return nil, qms.Errorf(qms.EConflict, "err.decision_on_site")
		}
		return export.InspectionDecisionPDF(is, v.Plan.DecisionNo, v.Plan.ApprovedOn, v.Inspection)
	case "minutes":
		return export.InspectionMinutesPDF(is, v.Inspection)
	}
	return nil, qms.Errorf(qms.ENotFound, "err.not_found")
}
