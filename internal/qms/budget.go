package qms

import (
	"slices"
	"strconv"
	"strings"
)

// Budgets for the QMS (DOMAIN.md §5): finance norms as versioned data (Circular 116/2015
// embedded, Circular 159/2010 enterable), per agency and year an estimate by cost heading with
// the caps of the norm in force applied and every excess explained, and the actual spending.

// Tier is the row of the norm an agency falls in.
type Tier string

const (
	TierProvince      Tier = "province"       // the provincial People's Committee
	TierDepartment    Tier = "department"     // a department, a district People's Committee
	TierSubDepartment Tier = "sub_department" // a sub-department, a district office
	TierCommune       Tier = "commune"        // a commune People's Committee, a public service unit
)

// TierOf places an agency kind in the norm.
func TierOf(k AgencyKind) Tier {
	switch k {
	case KindProvincialCommittee:
		return TierProvince
	case KindDepartment, KindDistrictCommittee, KindBoard, KindOffice:
		return TierDepartment
	case KindSubDepartment:
		return TierSubDepartment
	}
	return TierCommune
}

// Heading is a cost heading of an estimate.
type Heading string

const (
	HeadConsultant  Heading = "consultant"     // a consultancy firm
	HeadSelfBuild   Heading = "self_build"     // building it by contract, without a firm
	HeadOwnCosts    Heading = "own_costs"      // the agency's own costs
	HeadDrafting    Heading = "drafting"       // drafting the processes (per process)
	HeadTraining    Heading = "training"       // within the own costs' cap in the norm; no cap of its own
	HeadAudit       Heading = "internal_audit" // idem
	HeadMaintenance Heading = "maintenance"    // upkeep, yearly
	HeadInspection  Heading = "inspection"     // a certification body helping inspect
)

// Headings lists them in the order of an estimate.
var Headings = []Heading{HeadConsultant, HeadSelfBuild, HeadOwnCosts, HeadDrafting, HeadTraining, HeadAudit, HeadMaintenance, HeadInspection}

// TierCaps are one tier's caps, in whole VND.
type TierCaps struct {
	ConsultantFirst     int64 `json:"consultant_first"`
	ConsultantExtension int64 `json:"consultant_extension"`
	OwnFirst            int64 `json:"own_first"`
	OwnExtension        int64 `json:"own_extension"`
	PerProcess          int64 `json:"per_process"`
}

// Million is a million VND.
const Million = 1_000_000

// Norm is one version of the finance norms.
type Norm struct {
	Code          string            `json:"code"` // TT116-2015
	Name          string            `json:"name"`
	EffectiveFrom Date              `json:"effective_from"`
	Tiers         map[Tier]TierCaps `json:"tiers"`
	Maintenance   int64             `json:"maintenance"`    // a year, VND
	SelfBuildPct  int64             `json:"self_build_pct"` // of the consultant cap
	Inspection    int64             `json:"inspection"`     // a certification body helping inspect, VND
}

// Circular116 is the norm of Circular 116/2015/TT-BTC Art. 4 (the commune row is 80 % of the
// sub-department row).
var Circular116 = Norm{Code: "TT116-2015", Name: "Thông tư 116/2015/TT-BTC", EffectiveFrom: NewDate(2015, 9, 25),
	Tiers: map[Tier]TierCaps{
		TierProvince:      {60 * Million, 30 * Million, 65 * Million, 50 * Million, 2 * Million},
		TierDepartment:    {45 * Million, 25 * Million, 50 * Million, 40 * Million, 2 * Million},
		TierSubDepartment: {33 * Million, 20 * Million, 40 * Million, 25 * Million, 2 * Million},
		TierCommune:       {26_400_000, 16 * Million, 32 * Million, 20 * Million, 1_600_000},
	}, Maintenance: 15 * Million, SelfBuildPct: 85, Inspection: 5 * Million}

// Validate checks a norm.
func (n *Norm) Validate() error {
	var v Validation
	n.Code, n.Name = NormalizeCode(n.Code), strings.TrimSpace(n.Name)
	if !ValidCode(n.Code) {
		v.Add("code", "err.code_format")
	}
	checkText(&v, "name", n.Name, true, 200)
	if n.EffectiveFrom.IsZero() {
		v.Add("effective_from", "err.date")
	}
	for _, t := range []Tier{TierProvince, TierDepartment, TierSubDepartment, TierCommune} {
		c, ok := n.Tiers[t]
		if !ok || slices.ContainsFunc([]int64{c.ConsultantFirst, c.ConsultantExtension, c.OwnFirst, c.OwnExtension, c.PerProcess},
			func(x int64) bool { return x < 0 }) {
			v.Add("tiers", "err.norm_tier", string(t))
		}
	}
	if n.SelfBuildPct <= 0 || n.SelfBuildPct > 100 {
		v.Add("self_build_pct", "err.objective_percent")
	}
	return v.Err()
}

// Cap is a heading's cap in VND for a tier, first build or extension, and a number of
// processes; ok is false for headings the norm does not cap.
func (n Norm) Cap(h Heading, t Tier, extension bool, processes int) (int64, bool) {
	c := n.Tiers[t]
	consultant, own := c.ConsultantFirst, c.OwnFirst
	if extension {
		consultant, own = c.ConsultantExtension, c.OwnExtension
	}
	switch h {
	case HeadConsultant:
		return consultant, true
	case HeadSelfBuild:
		return consultant * n.SelfBuildPct / 100, true
	case HeadOwnCosts:
		return own, true
	case HeadDrafting:
		return c.PerProcess * int64(processes), true
	case HeadMaintenance:
		return n.Maintenance, true
	case HeadInspection:
		return n.Inspection, true
	}
	return 0, false
}

// BudgetLine is one heading of an estimate, in whole VND.
type BudgetLine struct {
	Heading     Heading `json:"heading"`
	Estimate    int64   `json:"estimate"`
	Actual      int64   `json:"actual"`
	Explanation string  `json:"explanation,omitempty"` // required above the cap
	Processes   int     `json:"processes,omitempty"`   // drafting: how many
	Cap         int64   `json:"cap"`                   // computed
	Capped      bool    `json:"capped"`
}

// Budget is an agency's estimate and spending for a year.
type Budget struct {
	ID         int64
	AgencyID   int64
	AgencyCode string
	AgencyName string
	Kind       AgencyKind
	Year       int
	NormCode   string
	Extension  bool // extending the scope rather than a first build
	Lines      []BudgetLine
	Version    int64
}

// Totals sums the estimate and the spending.
func (b Budget) Totals() (estimate, actual int64) {
	for _, l := range b.Lines {
		estimate += l.Estimate
		actual += l.Actual
	}
	return
}

// Apply checks an estimate against a norm: known headings, once each, amounts ≥ 0, every
// amount above its cap explained; it sets each line's cap.
func (b *Budget) Apply(n Norm) error {
	var v Validation
	seen := map[Heading]bool{}
	tier := TierOf(b.Kind)
	for i := range b.Lines {
		l := &b.Lines[i]
		l.Explanation = strings.TrimSpace(l.Explanation)
		field := "line_" + string(l.Heading)
		if !slices.Contains(Headings, l.Heading) || seen[l.Heading] {
			v.Add("lines", "err.budget_heading", string(l.Heading))
			continue
		}
		seen[l.Heading] = true
		if l.Estimate < 0 || l.Actual < 0 || l.Estimate > 1e12 || l.Actual > 1e12 {
			v.Add(field, "err.budget_amount")
		}
		if l.Processes < 0 || l.Processes > 1000 {
			v.Add(field, "err.budget_processes")
		}
		l.Cap, l.Capped = n.Cap(l.Heading, tier, b.Extension, l.Processes)
		if l.Capped && l.Estimate > l.Cap && l.Explanation == "" {
			v.Add(field, "err.budget_over_cap", Millions(l.Cap))
		}
		if len([]rune(l.Explanation)) > 2000 {
			v.Add(field, "err.too_long")
		}
	}
	return v.Err()
}

// Millions writes an amount of VND in millions, as people read it ("38,25").
func Millions(vnd int64) string {
	s := strconv.FormatFloat(float64(vnd)/Million, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1)
}
