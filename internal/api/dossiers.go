package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

type dossierStepJSON struct {
	No          int         `json:"no"`
	Description string      `json:"description"`
	Responsible string      `json:"responsible"`
	Hours       int         `json:"hours"`
	DueOn       qms.Date    `json:"due_on"`
	Handler     string      `json:"handler,omitempty"`
	DoneAt      *time.Time  `json:"done_at,omitempty"`
	Outcome     qms.Outcome `json:"outcome,omitempty"`
}

type dossierJSON struct {
	ID            int64             `json:"id"`
	Code          string            `json:"code"`
	Agency        string            `json:"agency"`
	Procedure     string            `json:"procedure"`
	ProcedureName string            `json:"procedure_name"`
	Applicant     string            `json:"applicant"`
	IDNumber      string            `json:"id_number,omitempty"`
	Phone         string            `json:"phone,omitempty"`
	Address       string            `json:"address,omitempty"`
	Channel       qms.Channel       `json:"channel"`
	State         qms.DossierState  `json:"state"`
	ReceivedAt    time.Time         `json:"received_at"`
	CountedFrom   qms.Date          `json:"counted_from"`
	LimitDays     int               `json:"limit_days"`
	DueOn         qms.Date          `json:"due_on"`
	NewDueOn      *qms.Date         `json:"new_due_on,omitempty"`
	ApologyReason string            `json:"apology_reason,omitempty"`
	Supplements   int               `json:"supplements"`
	PausedDays    int               `json:"paused_days"`
	FinishedAt    *time.Time        `json:"finished_at,omitempty"`
	Outcome       qms.Outcome       `json:"outcome,omitempty"`
	Points        *int              `json:"points,omitempty"`
	Step          int               `json:"step"`
	Handler       string            `json:"handler,omitempty"`
	Reason        string            `json:"reason,omitempty"`
	Rating        int               `json:"rating,omitempty"`
	Version       int64             `json:"version"`
	Steps         []dossierStepJSON `json:"steps,omitempty"`
	PIN           string            `json:"pin,omitempty"`
}

// dossierOut shapes a dossier; the applicant's identity number and phone are masked unless full
// (for those who handle the agency's dossiers, on one dossier).
func dossierOut(d qms.Dossier, full bool) dossierJSON {
	out := dossierJSON{ID: d.ID, Code: d.Code, Agency: d.AgencyCode, Procedure: d.ProcedureCode, ProcedureName: d.ProcedureName, Applicant: d.Applicant,
		IDNumber: d.IDNumber, Phone: d.Phone, Address: d.Address, Channel: d.Channel, State: d.State, ReceivedAt: d.ReceivedAt, CountedFrom: d.CountedFrom,
		LimitDays: d.LimitDays, DueOn: d.DueOn, ApologyReason: d.ApologyReason, Supplements: d.Supplements, PausedDays: d.PausedDays, Outcome: d.Outcome,
		Step: d.StepNo, Handler: d.Handler, Reason: d.Reason, Rating: d.Rating, Version: d.Version}
	if !full {
		out.Applicant, out.IDNumber, out.Phone, out.Address = qms.MaskName(d.Applicant), qms.MaskDigits(d.IDNumber, 4), qms.MaskDigits(d.Phone, 3), ""
	}
	if !d.NewDueOn.IsZero() {
		x := d.NewDueOn
		out.NewDueOn = &x
	}
	if !d.FinishedAt.IsZero() {
		x := d.FinishedAt
		out.FinishedAt = &x
		p := d.Outcome.Points()
		out.Points = &p
	}
	for _, s := range d.Steps {
		st := dossierStepJSON{No: s.No, Description: s.Description, Responsible: s.Responsible, Hours: s.Hours, DueOn: s.DueOn, Handler: s.Handler, Outcome: s.Outcome}
		if !s.DoneAt.IsZero() {
			x := s.DoneAt
			st.DoneAt = &x
		}
		out.Steps = append(out.Steps, st)
	}
	return out
}

// receiveDossier answers POST /api/v1/agencies/{code}/dossiers: 201 with the dossier and its
// PIN (shown once); with an Idempotency-Key already used, 200 with the first dossier and no PIN.
func (h *Handlers) receiveDossier(w http.ResponseWriter, r *http.Request) {
	var in service.IntakeInput
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	in.IdempotencyKey = r.Header.Get("Idempotency-Key")
	res, err := h.svc.ReceiveDossier(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := dossierOut(res.Dossier, true)
	out.PIN = res.PIN
	status := http.StatusCreated
	if res.Repeated {
		status = http.StatusOK
	}
	writeJSON(w, status, out)
}

// MaxBatch bounds a batch of dossiers.
const MaxBatch = 1000

type batchItem struct {
	service.IntakeInput
	IdempotencyKey string `json:"idempotency_key"`
}

type batchResult struct {
	Index    int          `json:"index"`
	Status   int          `json:"status"` // 201 received, 200 repeated, 4xx refused
	Dossier  *dossierJSON `json:"dossier,omitempty"`
	Problems []fieldJSON  `json:"errors,omitempty"`
	Code     string       `json:"code,omitempty"` // the error's code when refused
}

type fieldJSON struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// receiveBatch answers POST /api/v1/agencies/{code}/dossiers/batch: up to 1,000 dossiers, each
// received on its own (with its own idempotency key): the good ones are kept, each bad one is
// reported by its index, and the answer is 200 when every item was received.
func (h *Handlers) receiveBatch(w http.ResponseWriter, r *http.Request) {
	var items []batchItem
	if err := decode(r, &items); err != nil {
		h.writeError(w, r, err)
		return
	}
	if len(items) == 0 || len(items) > MaxBatch {
		h.writeError(w, r, invalid("body", "err.batch_size"))
		return
	}
	actor, lang := httpkit.ActorOf(r), httpkit.LangOf(r)
	results := make([]batchResult, len(items))
	failed := 0
	for i, it := range items {
		it.IntakeInput.IdempotencyKey = it.IdempotencyKey
		res, err := h.svc.ReceiveDossier(r.Context(), actor, r.PathValue("code"), it.IntakeInput)
		results[i].Index = i
		if err != nil {
			var e *qms.Error
			if !errors.As(err, &e) {
				h.writeError(w, r, err)
				return
			}
			if e.Code == qms.EForbidden || e.Code == qms.EUnauthenticated {
				h.writeError(w, r, err)
				return
			}
			failed++
			results[i].Status, results[i].Code = statusOf(e.Code), e.Code
			for _, f := range e.Fields {
				results[i].Problems = append(results[i].Problems, fieldJSON{f.Field, i18n.T(lang, f.Message, f.Args...)})
			}
			if len(e.Fields) == 0 {
				results[i].Problems = []fieldJSON{{"", i18n.T(lang, e.Key, e.Args...)}}
			}
			continue
		}
		out := dossierOut(res.Dossier, true)
		out.PIN = res.PIN
		results[i].Dossier, results[i].Status = &out, http.StatusCreated
		if res.Repeated {
			results[i].Status = http.StatusOK
		}
	}
	status := http.StatusOK
	if failed > 0 {
		status = http.StatusMultiStatus
	}
	writeJSON(w, status, map[string]any{"received": len(items) - failed, "refused": failed, "results": results})
}

// dossiers answers GET /api/v1/agencies/{code}/dossiers: newest first, filtered (state, open,
// due_by, procedure, code), a page at a time; the applicant masked.
func (h *Handlers) dossiers(w http.ResponseWriter, r *http.Request) {
	limit, err := limitOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	after, err := decodeCursor(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := store.DossierFilter{State: qms.DossierState(q.Get("state")), Open: q.Get("open") == "true", Code: q.Get("code"), Limit: limit + 1}
	if after != "" {
		if f.Before, err = strconv.ParseInt(after, 10, 64); err != nil {
			h.writeError(w, r, invalid("next", "err.cursor"))
			return
		}
	}
	if s := q.Get("due_by"); s != "" {
		if f.DueBy, err = qms.ParseDate(s); err != nil {
			h.writeError(w, r, invalid("due_by", "err.date"))
			return
		}
	}
	if s := q.Get("procedure"); s != "" {
		p, err := h.svc.Procedure(r.Context(), httpkit.ActorOf(r), s)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		f.ProcedureID = p.ID
	}
	_, list, err := h.svc.Dossiers(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), f)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	page := Page[dossierJSON]{Items: []dossierJSON{}}
	if len(list) > limit && f.DueBy.IsZero() {
		list = list[:limit]
		page.Next = encodeCursor(strconv.FormatInt(list[len(list)-1].ID, 10))
	}
	for _, d := range list[:min(len(list), limit)] {
		page.Items = append(page.Items, dossierOut(d, false))
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *Handlers) dossier(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.Dossier(r.Context(), httpkit.ActorOf(r), r.PathValue("code"), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := struct {
		dossierJSON
		Events []qms.DossierEvent `json:"events"`
	}{dossierOut(v.Dossier, v.MayAct), append([]qms.DossierEvent{}, v.Events...)}
	writeJSON(w, http.StatusOK, out)
}

// dossierEvents maps the action in the path to the event.
var dossierEvents = map[string]qms.DossierEvent{
	"assign": qms.DvAssign, "complete-step": qms.DvCompleteStep, "request-supplement": qms.DvRequestSupply, "supplement-received": qms.DvSupplied,
	"request-fee": qms.DvRequestFee, "fee-paid": qms.DvFeePaid, "withdraw": qms.DvWithdraw, "stop": qms.DvStop, "return": qms.DvReturn,
}

// actOnDossier answers POST /api/v1/agencies/{code}/dossiers/{id}/{action} with
// {"handler", "note", "version"} (all optional but what the action needs); "apologize" takes
// {"reason", "new_due_on"}.
func (h *Handlers) actOnDossier(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	action := r.PathValue("action")
	actor := httpkit.ActorOf(r)
	if action == "apologize" {
		var in struct {
			Reason   string   `json:"reason"`
			NewDueOn qms.Date `json:"new_due_on"`
		}
		if err := decode(r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
		d, err := h.svc.Apologize(r.Context(), actor, r.PathValue("code"), id, in.Reason, in.NewDueOn)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, dossierOut(d, true))
		return
	}
	ev, ok := dossierEvents[action]
	if !ok {
		h.writeError(w, r, qms.Errorf(qms.ENotFound, "err.not_found"))
		return
	}
	var in service.DossierAction
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	in.Event = ev
	d, err := h.svc.ActOnDossier(r.Context(), actor, r.PathValue("code"), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, dossierOut(d, true))
}

// dossierFigures answers GET /api/v1/dossier-figures?from=YYYY-MM&to=YYYY-MM[&agency=CODE]:
// the aggregates and the on-time rate per agency the caller may read (or, for one agency, per
// procedure), with the months' trend and the total.
func (h *Handlers) dossierFigures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := h.svc.DossierFigures(r.Context(), httpkit.ActorOf(r), q.Get("from"), q.Get("to"), q.Get("agency"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	type row struct {
		Agency     string   `json:"agency,omitempty"`
		Name       string   `json:"name,omitempty"`
		Procedure  string   `json:"procedure,omitempty"`
		Month      string   `json:"month,omitempty"`
		Received   int      `json:"received"`
		Finished   int      `json:"finished"`
		Early      int      `json:"early"`
		OnTime     int      `json:"on_time"`
		Late       int      `json:"late"`
		OpenLate   int      `json:"open_late"`
		Withdrawn  int      `json:"withdrawn"`
		Stopped    int      `json:"stopped"`
		OnTimeRate *float64 `json:"on_time_rate"`
		Rated      int      `json:"rated"`
		MeanRating *float64 `json:"mean_rating"`
	}
	conv := func(s store.DossierStat, by string) row {
		out := row{Agency: s.AgencyCode, Name: s.AgencyName, Received: s.Received, Finished: s.Finished, Early: s.Early, OnTime: s.OnTime, Late: s.Late,
			OpenLate: s.OpenLate, Withdrawn: s.Withdrawn, Stopped: s.Stopped}
		switch by {
		case store.ByProcedure:
			out.Procedure, out.Name = s.Key, s.Name
		case store.ByMonth:
			out.Month, out.Agency, out.Name = s.Key, "", ""
		}
		if rate := service.OnTimeRate(s); rate >= 0 {
			out.OnTimeRate = &rate
		}
		if out.Rated = s.Rated; s.Rated > 0 {
			mean := service.MeanRating(s)
			out.MeanRating = &mean
		}
		return out
	}
	by, key := store.ByAgency, "agencies"
	if f.Agency != nil {
		by, key = store.ByProcedure, "procedures"
	}
	rows, months := []row{}, []row{}
	for _, s := range f.Rows {
		rows = append(rows, conv(s, by))
	}
	for _, s := range f.Months {
		months = append(months, conv(s, store.ByMonth))
	}
	total := conv(f.Total, by)
	total.Agency, total.Name = "", ""
	out := map[string]any{"from": f.From, "to": f.To, key: rows, "months": months, "total": total}
	if f.Agency != nil {
		out["units"], out["handlers"] = stepRows(f.Units), stepRows(f.Handlers)
	}
	writeJSON(w, http.StatusOK, out)
}

// lookup answers GET /api/v1/lookup?code=…&pin=… for anyone: the dossier as its citizen may
// see it; one answer (404) for a wrong code and a wrong PIN; limited per code and address.
func (h *Handlers) lookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := h.svc.LookupDossier(r.Context(), q.Get("code"), q.Get("pin"), h.clientIP(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// rate answers POST /api/v1/lookup/rating with {"code", "pin", "rating" (1–5), "comment"}.
func (h *Handlers) rate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Code    string `json:"code"`
		PIN     string `json:"pin"`
		Rating  int    `json:"rating"`
		Comment string `json:"comment"`
	}
	if err := decode(r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	p, err := h.svc.RateDossier(r.Context(), in.Code, in.PIN, h.clientIP(r), in.Rating, in.Comment)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

type stepStatJSON struct {
	Name   string `json:"name"`
	Done   int    `json:"done"`
	Early  int    `json:"early"`
	OnTime int    `json:"on_time"`
	Late   int    `json:"late"`
}

func stepRows(list []store.StepStat) []stepStatJSON {
	out := []stepStatJSON{}
	for _, s := range list {
		out = append(out, stepStatJSON{s.Name, s.Done, s.Early, s.OnTime, s.Late})
	}
	return out
}
