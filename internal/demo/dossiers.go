package demo

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/isogov/isogov/internal/calendar"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

// The volume generator: dossiers over the demo province's procedures, received on working days
// of the last Y years, handled along each procedure's steps with a realistic mix (about 3.5 %
// late, some supplement requests, a few withdrawals and stops, recent ones still open), each
// with its journal entries and counted in the aggregates; deterministic for a seed.

// GenOptions says how many dossiers to generate, over how many years before Now.
type GenOptions struct {
	N        int
	Years    int
	Seed     uint64
	Now      time.Time
	Progress func(done, total int)
}

// genBatch is how many dossiers go into one transaction.
const genBatch = 5000

// DemoPIN is the look-up PIN of a generated dossier: derived from the seed and the code, so a
// load test can look dossiers up.
func DemoPIN(seed uint64, code string) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seed)
	h := sha256.Sum256(append(b[:], code...))
	return fmt.Sprintf("%06d", binary.BigEndian.Uint32(h[:4])%1_000_000)
}

type genProcedure struct {
	id, agencyID int64
	agency, code string
	name         string
	limit        int
	cutoff       int
	steps        []qms.DossierStep
	weight       float64
}

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	middleNames = []string{"Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Xuân", "Thu"}
	givenNames  = []string{"An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Nga", "Phong",
		"Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến"}
)

// GenerateDossiers writes opts.N dossiers into a database holding the demo province.
func GenerateDossiers(ctx context.Context, svc *service.Service, opts GenOptions) error {
	db := svc.DB()
	if opts.Years < 1 {
		opts.Years = 1
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	vn := time.FixedZone("ICT", 7*3600)
	now := opts.Now.In(vn)
	cal, err := svc.Calendar(ctx)
	if err != nil {
		return err
	}
	procs, err := genProcedures(ctx, svc, db)
	if err != nil {
		return err
	}
	if len(procs) == 0 {
		return fmt.Errorf("no procedure to generate dossiers for: load the demo province first")
	}
	var total float64
	for _, p := range procs {
		total += p.weight
	}
	// The working days of the span, and the receipt times drawn in order.
	var days []time.Time
	for d := now.AddDate(-opts.Years, 0, 0); !d.After(now); d = d.AddDate(0, 0, 1) {
		if ok, err := cal.IsWorkingDay(d); err != nil {
			return err
		} else if ok {
			days = append(days, time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, vn))
		}
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	times := make([]time.Time, opts.N)
	for i := range times {
		t := days[rng.IntN(len(days))].Add(time.Duration(450+rng.IntN(570)) * time.Minute) // 07:30–17:00
		if t.After(now) {
			t = now.Add(-time.Duration(rng.IntN(3600)) * time.Second)
		}
		times[i] = t
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	seqs, err := db.DossierSeqs(ctx)
	if err != nil {
		return err
	}
	nextID, err := db.NextDossierID(ctx)
	if err != nil {
		return err
	}
	pick := func() *genProcedure {
		x := rng.Float64() * total
		for i := range procs {
			if x -= procs[i].weight; x < 0 {
				return &procs[i]
			}
		}
		return &procs[len(procs)-1]
	}
	g := generator{cal: cal, rng: rng, now: now, vn: vn, seed: opts.Seed}
	for start := 0; start < opts.N; start += genBatch {
		batch := make([]store.BulkDossier, 0, min(genBatch, opts.N-start))
		for i := start; i < min(start+genBatch, opts.N); i++ {
			p := pick()
			day := qms.DateOf(times[i]).String()
			if seqs[p.agencyID] == nil {
				seqs[p.agencyID] = map[string]int{}
			}
			seqs[p.agencyID][day]++
			b, err := g.dossier(p, nextID, times[i], seqs[p.agencyID][day])
			if err != nil {
				return err
			}
			nextID++
			batch = append(batch, b)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.WriteBulkDossiers(ctx, batch, opts.Now) }); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(start+len(batch), opts.N)
		}
	}
	return db.SyncDossierIDs(ctx)
}

func genProcedures(ctx context.Context, svc *service.Service, db *store.DB) ([]genProcedure, error) {
	list, err := svc.Procedures(ctx, service.System, service.ProcedureQuery{})
	if err != nil {
		return nil, err
	}
	agencies, err := db.ListAgencies(ctx, store.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	byCode := map[string]qms.Agency{}
	for _, a := range agencies {
		byCode[a.Code] = a
	}
	var out []genProcedure
	for i, p := range list {
		if p.Status == qms.ProcAbolished || len(p.Agencies) == 0 {
			continue
		}
		a, ok := byCode[p.Agencies[0]]
		if !ok {
			continue
		}
		cutoff, err := qms.ParseClock(a.OfficeCutoff)
		if err != nil {
			cutoff = 15 * 60
		}
		gp := genProcedure{id: p.ID, agencyID: a.ID, agency: a.Code, code: p.Code, name: p.Name, limit: p.TimeLimitDays, cutoff: cutoff,
			weight: 1 / float64(1+i%23)} // a few procedures take most dossiers
		_, content, err := db.EffectiveProcess(ctx, a.ID, p.Code)
		if err != nil {
			return nil, err
		}
		gp.steps = content.DossierSteps(p.TimeLimitDays)
		out = append(out, gp)
	}
	return out, nil
}

type generator struct {
	cal  *calendar.Calendar
	rng  *rand.Rand
	now  time.Time
	vn   *time.Location
	seed uint64
}

// at returns a moment on the n-th working day after day (n ≥ 0), in office hours.
func (g *generator) at(day qms.Date, n int) (time.Time, error) {
	t, err := g.cal.AddWorkingDays(day.Time(), n)
	if err != nil {
		return t, err
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 8, 0, 0, 0, g.vn).Add(time.Duration(g.rng.IntN(480)) * time.Minute), nil
}

func (g *generator) dossier(p *genProcedure, id int64, received time.Time, n int) (store.BulkDossier, error) {
	var b store.BulkDossier
	r := g.rng
	d := &b.Dossier
	*d = qms.Dossier{ID: id, AgencyID: p.agencyID, AgencyCode: p.agency, ProcedureID: p.id, ProcedureCode: p.code, ProcedureName: p.name, LimitDays: p.limit,
		Applicant: familyNames[r.IntN(len(familyNames))] + " " + middleNames[r.IntN(len(middleNames))] + " " + givenNames[r.IntN(len(givenNames))],
		IDNumber:  fmt.Sprintf("%03d%09d", 1+r.IntN(96), r.IntN(1_000_000_000)), Phone: fmt.Sprintf("09%08d", r.IntN(100_000_000)),
		ReceivedAt: received, State: qms.DossierReceived, StepNo: 1}
	switch x := r.IntN(100); {
	case x < 60:
		d.Channel = qms.ChannelOnline
	case x < 95:
		d.Channel = qms.ChannelDirect
	default:
		d.Channel = qms.ChannelPostal
	}
	d.Code = qms.DossierCode(p.agency, qms.DateOf(received), n)
	salt := strconv.FormatInt(id, 36)
	pinSum := sha256.Sum256([]byte(salt + ":" + DemoPIN(g.seed, d.Code)))
	b.Secret = store.DossierSecret{Salt: salt, Hash: hex.EncodeToString(pinSum[:])}
	due, err := g.cal.DueDate(received, p.limit, p.cutoff, nil)
	if err != nil {
		return b, err
	}
	d.CountedFrom, d.DueOn = qms.DateOf(due.Effective), qms.DateOf(due.Due)
	event := func(at time.Time, action string, ch qms.Changes) {
		b.Events = append(b.Events, &qms.JournalEntry{Chain: p.agencyID, At: at, ActorName: "demo", Action: action, ObjectType: "dossier",
			ObjectID: strconv.FormatInt(id, 10), Changes: qms.EncodeChanges(ch)})
	}
	event(received, "dossier.receive", qms.Changes{"code": {New: d.Code}, "procedure": {New: p.code}, "channel": {New: string(d.Channel)}, "due_on": {New: d.DueOn.String()}})
	month := func(t time.Time) string { return t.In(g.vn).Format("2006-01") }
	b.Stats = append(b.Stats, store.BulkStat{Month: month(received), Delta: store.StatDelta{Received: 1}})
	fate := r.Float64()
	switch {
	case fate < 0.01, fate < 0.015: // withdrawn by the citizen, or stopped
		at, err := g.at(d.CountedFrom, r.IntN(max(1, p.limit)))
		if err != nil {
			return b, err
		}
		if at.After(g.now) {
			break
		}
		ev, state, delta := "dossier.withdraw", qms.DossierWithdrawal, store.StatDelta{Withdrawn: 1}
		d.Reason = "Công dân có đơn xin rút hồ sơ"
		if fate >= 0.01 {
			ev, state, delta, d.Reason = "dossier.stop", qms.DossierStopped, store.StatDelta{Stopped: 1}, "Hồ sơ không đủ điều kiện giải quyết theo quy định"
		}
		d.State, d.StepNo = state, 0
		event(at, ev, qms.Changes{"state": {Old: string(qms.DossierReceived), New: string(state)}, "note": {New: d.Reason}})
		b.Stats = append(b.Stats, store.BulkStat{Month: month(at), Delta: delta})
		return g.stepDues(b, p)
	}
	if r.Float64() < 0.08 { // a supplement request within 3 working days: the clock restarts
		asked, err := g.at(d.CountedFrom, r.IntN(3))
		if err != nil {
			return b, err
		}
		if asked.After(g.now) {
			return g.stepDues(b, p)
		}
		d.Supplements = 1
		event(asked, "dossier.request_supplement", qms.Changes{"supplements": {New: "1"}, "clock": {New: "restarts"}, "note": {New: "Bổ sung bản sao giấy tờ"}})
		back := asked.Add(time.Duration(24*(1+r.IntN(6))) * time.Hour)
		if back.After(g.now) {
			d.State = qms.DossierSupplement
			return g.stepDues(b, p)
		}
		due, err := g.cal.DueDate(back, p.limit, p.cutoff, nil)
		if err != nil {
			return b, err
		}
		d.CountedFrom, d.DueOn = qms.DateOf(due.Effective), qms.DateOf(due.Due)
		event(back, "dossier.supplement_received", qms.Changes{"due_on": {New: d.DueOn.String()}})
	}
	b, err = g.stepDues(b, p)
	if err != nil {
		return b, err
	}
	// When it is finished: late (about 3.5 %), on the due day, or earlier.
	var finish time.Time
	switch x := r.Float64(); {
	case x < 0.035:
		finish, err = g.at(d.DueOn, 1+r.IntN(5))
	case x < 0.20:
		finish, err = g.at(d.DueOn, 0)
	default:
		finish, err = g.at(d.CountedFrom, int(float64(max(1, p.limit)-1)*(0.3+0.7*r.Float64())))
	}
	if err != nil {
		return b, err
	}
	d.State = qms.DossierInProgress
	stepsDone := 0
	for i := range d.Steps {
		// Each step ends at its share of the way from receipt to the finish.
		share := time.Duration(float64(finish.Sub(received)) * float64(i+1) / float64(len(d.Steps)))
		doneAt := received.Add(share)
		if doneAt.After(g.now) {
			break
		}
		st := &d.Steps[i]
		st.DoneAt, st.Outcome, st.Handler = doneAt, qms.OutcomeOf(qms.DateOf(doneAt.In(g.vn)), st.DueOn), "Chuyên viên thụ lý"
		stepsDone++
		ch := qms.Changes{"state": {Old: string(qms.DossierInProgress), New: string(qms.DossierInProgress)}, "step": {New: strconv.Itoa(st.No)},
			"step_outcome": {New: string(st.Outcome)}}
		if i == len(d.Steps)-1 {
			d.FinishedAt, d.Outcome, d.State, d.StepNo = doneAt, qms.DossierOutcome(qms.DateOf(doneAt.In(g.vn)), d.DueOn, d.Supplements), qms.DossierProcessed, 0
			ch["state"], ch["outcome"] = qms.Change{Old: string(qms.DossierInProgress), New: string(qms.DossierProcessed)}, qms.Change{New: string(d.Outcome)}
			delta := store.StatDelta{Finished: 1}
			switch d.Outcome {
			case qms.OutcomeEarly:
				delta.Early = 1
			case qms.OutcomeOnTime:
				delta.OnTime = 1
			default:
				delta.Late = 1
			}
			b.Stats = append(b.Stats, store.BulkStat{Month: month(doneAt), Delta: delta})
		}
		event(doneAt, "dossier.complete_step", ch)
	}
	if stepsDone < len(d.Steps) {
		d.StepNo = stepsDone + 1
		return b, nil
	}
	if back := d.FinishedAt.Add(time.Duration(r.IntN(72)) * time.Hour); !back.After(g.now) && r.Float64() < 0.95 {
		d.State = qms.DossierReturned
		event(back, "dossier.return", qms.Changes{"state": {Old: string(qms.DossierProcessed), New: string(qms.DossierReturned)}})
		if r.Float64() < 0.3 {
			d.Rating, d.RatedAt = 3+r.IntN(3), back.Add(time.Hour)
			if r.Float64() < 0.05 {
				d.Rating = 1 + r.IntN(2) // a few unhappy citizens
			}
			event(d.RatedAt, "dossier.rate", qms.Changes{"rating": {New: strconv.Itoa(d.Rating)}})
			b.Stats = append(b.Stats, store.BulkStat{Month: month(d.RatedAt), Delta: store.StatDelta{Rated: 1, RatingSum: d.Rating}})
		}
	}
	return b, nil
}

// stepDues gives a generated dossier its steps with their due dates.
func (g *generator) stepDues(b store.BulkDossier, p *genProcedure) (store.BulkDossier, error) {
	d := &b.Dossier
	d.Steps = append([]qms.DossierStep(nil), p.steps...)
	hours := 0
	for i := range d.Steps {
		hours += d.Steps[i].Hours
		t, err := g.cal.AddWorkingDays(d.CountedFrom.Time(), min((hours+qms.HoursPerDay-1)/qms.HoursPerDay, d.LimitDays))
		if err != nil {
			return b, err
		}
		d.Steps[i].DueOn = qms.DateOf(t)
	}
	return b, nil
}
