package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

func dashboardFilter(r *http.Request) service.DashboardFilter {
	q := r.URL.Query()
	return service.DashboardFilter{Programme: q.Get("programme"), Group: qms.Group(q.Get("group")), Kind: qms.AgencyKind(q.Get("kind")), Status: q.Get("status")}
}

func (w *Web) programmes(rw http.ResponseWriter, r *http.Request) {
	d, err := w.svc.ProvinceDashboard(r.Context(), actor(r), dashboardFilter(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	var milestones []qms.Milestone
	if d.Programme.ID != 0 {
		if milestones, err = w.svc.Milestones(r.Context(), actor(r), d.Programme.Code); err != nil {
			w.errorPage(rw, r, err)
			return
		}
	}
	var pct [6]int
	for i := 1; i <= 5; i++ {
		pct[i] = service.Percent(d.PhaseDone[i], d.PhaseRows[i])
	}
	gaps, err := w.svc.LoopGaps(r.Context(), actor(r), "", w.now().Year())
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "programme.dashboard"), map[string]any{"LoopGaps": gaps, "Year": w.now().Year(),
		"D": d, "Percent": pct, "Groups": qms.Groups, "Kinds": qms.AgencyKinds, "Phases": []int{1, 2, 3, 4, 5}, "Today": qms.DateOf(w.now()),
		"ExportQuery": exportQuery(r, "programme", "group", "kind", "status"), "Milestones": milestones,
		"MilestoneText": formatMilestones(milestones),
	})
	w.render(rw, r, http.StatusOK, "programmes", p)
}

// programmesExport writes the dashboard grid as shown (filters applied): one row per agency,
// a column per phase with its state and done/total.
func (w *Web) programmesExport(rw http.ResponseWriter, r *http.Request) {
	d, err := w.svc.ProvinceDashboard(r.Context(), actor(r), dashboardFilter(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	headers := []string{"agency.code", "agency.name", "programme.group"}
	for i := 1; i <= 5; i++ {
		headers = append(headers, "phase."+strconv.Itoa(i))
	}
	headers = append(headers, "programme.overall", "programme.late_steps", "committee.title")
	w.sendTable(rw, r, "dashboard-"+d.Programme.Code, export.Table{
		Sheet:   d.Programme.Code,
		Headers: headers,
		Rows: func(emit func([]string) error) error {
			for _, row := range d.Rows {
				cells := []string{row.Agency.Code, row.Agency.Name, i18n.T(lang, "group."+string(row.Group))}
				for i := 1; i <= 5; i++ {
					ph := row.Progress.Phases[i]
					cells = append(cells, i18n.T(lang, "phasestate."+string(ph.State))+" ("+strconv.Itoa(ph.Done)+"/"+strconv.Itoa(ph.Total)+")")
				}
				cells = append(cells, strconv.Itoa(row.Progress.Percent)+"%", strconv.Itoa(row.Progress.Late), i18n.T(lang, "committeestate."+string(row.Committee)))
				if err := emit(cells); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

func (w *Web) agencyTrack(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	tracks, err := w.svc.AgencyTracks(r.Context(), actor(r), v.Agency.Code)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	type timeline struct {
		Rows   []timelineRow
		Ticks  []timelineTick
		Height int
	}
	var timelines []timeline
	for _, t := range tracks {
		rows, ticks, h := timelineOf(t)
		timelines = append(timelines, timeline{rows, ticks, h})
	}
	alerts, reannounce, err := w.svc.AgencyAlerts(r.Context(), actor(r), v.Agency.Code)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	tasks, err := w.openTasks(r, v.Agency.Code)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "track.title", v.Agency.Name), map[string]any{"Agency": v.Agency, "Tracks": tracks, "Timelines": timelines,
		"Phases": []int{1, 2, 3, 4, 5}, "Alerts": alerts, "Reannounce": reannounce, "Today": qms.DateOf(w.now()), "Tasks": tasks})
	w.render(rw, r, http.StatusOK, "track", p)
}

func (w *Web) stepPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	sv, err := w.svc.Step(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	if f == nil {
		f = emptyForm()
	}
	if _, ok := f.Values["status"]; !ok {
		f.Values["status"], f.Values["planned_on"], f.Values["done_on"] = string(sv.Step.Status), sv.Step.PlannedOn.String(), sv.Step.DoneOn.String()
		f.Values["owner"], f.Values["na_reason"] = sv.Step.Owner, sv.Step.NAReason
	}
	lang := httpkit.LangOf(r)
	p := w.page(r, sv.Step.Template.Code+" · "+sv.Step.Template.Title, map[string]any{"V": sv,
		"Statuses": []qms.StepStatus{qms.StepNotStarted, qms.StepInProgress, qms.StepDone, qms.StepNotApplicable},
		"Late":     sv.Step.Late(qms.DateOf(w.now())), "Limit": w.svc.FileLimit() >> 20, "Lang": lang})
	p.Form = f
	w.render(rw, r, status, "step", p)
}

func (w *Web) step(rw http.ResponseWriter, r *http.Request) { w.stepPage(rw, r, http.StatusOK, nil) }

func (w *Web) updateStep(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "status", "planned_on", "done_on", "owner", "na_reason")
	u := qms.StepUpdate{Status: qms.StepStatus(f.Values["status"]), Owner: f.Values["owner"], NAReason: f.Values["na_reason"]}
	var v qms.Validation
	if u.PlannedOn, err = qms.ParseDate(f.Values["planned_on"]); err != nil {
		v.Add("planned_on", "err.date")
	}
	if u.DoneOn, err = qms.ParseDate(f.Values["done_on"]); err != nil {
		v.Add("done_on", "err.date")
	}
	err = v.Err()
	if err == nil {
		_, err = w.svc.UpdateStep(r.Context(), actor(r), r.PathValue("code"), id, u)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.stepPage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"/track/steps/"+strconv.FormatInt(id, 10), "flash.saved")
}

// addEvidence takes a multipart upload (a file) or a plain form (a note or a link).
func (w *Web) addEvidence(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	in := service.EvidenceInput{}
	f := emptyForm()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		mr, err := r.MultipartReader()
		if err != nil {
			w.errorPage(rw, r, qms.Errorf(qms.EInvalid, "err.form"))
			return
		}
		// Stream the parts: the file goes to the file store without being held in memory.
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				w.evidenceError(rw, r, f, err)
				return
			}
			if part.FormName() == "file" && part.FileName() != "" {
				in.File, in.FileName = part, part.FileName()
				_, err = w.svc.AddEvidence(r.Context(), actor(r), r.PathValue("code"), id, in)
				w.evidenceDone(rw, r, f, id, err)
				return
			}
			if err := readField(part, f); err != nil {
				w.evidenceError(rw, r, f, err)
				return
			}
		}
	} else if !w.parseForm(rw, r) {
		return
	} else {
		f = newForm(r, "note", "link_type", "link_id")
	}
	in.Note, in.LinkType, in.LinkID = f.Values["note"], f.Values["link_type"], f.Values["link_id"]
	_, err = w.svc.AddEvidence(r.Context(), actor(r), r.PathValue("code"), id, in)
	w.evidenceDone(rw, r, f, id, err)
}

// readField reads a small form field of a multipart body into the form.
func readField(part *multipart.Part, f *form) error {
	b, err := io.ReadAll(io.LimitReader(part, 4096))
	if err != nil {
		return err
	}
	f.Values[part.FormName()] = strings.TrimSpace(string(b))
	return nil
}

// filePart reads a multipart form up to the file part named field, putting the small fields
// before it into f, and returns that part unread. A form without the file is an error on field
// with missingKey; a body over the limit says so next to the field.
func (w *Web) filePart(r *http.Request, f *form, field, missingKey string) (*multipart.Part, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, qms.Errorf(qms.EInvalid, "err.form")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, fieldErrOf(field, missingKey)
		}
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, fieldErrOf(field, "err.file_too_large", w.svc.FileLimit()>>20)
		}
		if err != nil {
			return nil, fieldErrOf(field, "err.form")
		}
		if part.FormName() == field && part.FileName() != "" {
			return part, nil
		}
		if part.FormName() != field {
			if err := readField(part, f); err != nil {
				return nil, fieldErrOf(field, "err.form")
			}
		}
	}
}

func (w *Web) evidenceError(rw http.ResponseWriter, r *http.Request, f *form, err error) {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		var v qms.Validation
		v.Add("file", "err.file_too_large", w.svc.FileLimit()>>20)
		err = v.Err()
	}
	if !f.fail(httpkit.LangOf(r), err) {
		w.fail(rw, r, err)
		return
	}
	w.stepPage(rw, r, http.StatusBadRequest, f)
}

func (w *Web) evidenceDone(rw http.ResponseWriter, r *http.Request, f *form, id int64, err error) {
	if err != nil {
		if qms.ErrorCode(err) == qms.EForbidden || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.evidenceError(rw, r, f, err)
		return
	}
	w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"/track/steps/"+strconv.FormatInt(id, 10), "flash.evidence_added")
}

func (w *Web) evidenceFile(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	e, f, err := w.svc.OpenEvidence(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	defer f.Close()
	sendFile(rw, "evidence-"+strconv.FormatInt(e.ID, 10), qms.FileRef{SHA256: e.FileSHA256, Name: e.FileName, Size: e.FileSize, Type: e.FileType}, f)
}

func (w *Web) committee(rw http.ResponseWriter, r *http.Request) {
	w.committeePage(rw, r, http.StatusOK, nil)
}

func (w *Web) committeePage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	a, list, err := w.svc.Committees(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	type composition struct {
		C       qms.Committee
		Changes []qms.MemberChange
	}
	var history []composition
	for i, c := range list {
		var old []qms.CommitteeMemberEntry
		if i+1 < len(list) {
			old = list[i+1].Members
		}
		history = append(history, composition{c, qms.DiffCommittees(old, c.Members)})
	}
	if f == nil {
		f = emptyForm()
		if len(list) > 0 {
			f.Values["members"] = formatMembers(list[0].Members)
		}
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "committee.of", a.Name), map[string]any{"Agency": a, "History": history})
	p.Form = f
	w.render(rw, r, status, "committee", p)
}

var roleWords = map[string]qms.CommitteeRole{
	"head": qms.CommitteeHead, "trưởng ban": qms.CommitteeHead, "deputy": qms.CommitteeDeputy, "phó ban": qms.CommitteeDeputy, "phó trưởng ban": qms.CommitteeDeputy,
	"secretary": qms.CommitteeSecretary, "thư ký": qms.CommitteeSecretary, "member": qms.CommitteeMember, "thành viên": qms.CommitteeMember, "ủy viên": qms.CommitteeMember,
}

func formatMembers(ms []qms.CommitteeMemberEntry) string {
	var b strings.Builder
	for _, m := range ms {
		line := m.Name + " | " + m.Position + " | " + string(m.Role)
		if m.Email != "" {
			line += " | " + m.Email
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// parseMembers reads "name | position | role" lines; the role may be written in Vietnamese.
func parseMembers(text string) ([]qms.CommitteeMemberEntry, error) {
	var out []qms.CommitteeMemberEntry
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 && len(parts) != 4 {
			var v qms.Validation
			v.Add("members", "err.member_line", n+1)
			return nil, v.Err()
		}
		role, ok := roleWords[strings.ToLower(strings.TrimSpace(parts[2]))]
		if !ok {
			var v qms.Validation
			v.Add("members", "err.member_line", n+1)
			return nil, v.Err()
		}
		m := qms.CommitteeMemberEntry{Name: strings.TrimSpace(parts[0]), Position: strings.TrimSpace(parts[1]), Role: role}
		if len(parts) == 4 {
			m.Email = strings.TrimSpace(parts[3])
		}
		out = append(out, m)
	}
	return out, nil
}

func (w *Web) newComposition(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "decision_no", "decision_date", "rules_note")
	f.Values["members"] = r.PostFormValue("members")
	c := qms.Committee{DecisionNo: f.Values["decision_no"], RulesNote: f.Values["rules_note"]}
	var err error
	if c.DecisionDate, err = qms.ParseDate(f.Values["decision_date"]); err != nil {
		err = fieldErrOf("decision_date", "err.date")
	} else if c.Members, err = parseMembers(f.Values["members"]); err == nil {
		_, err = w.svc.NewComposition(r.Context(), actor(r), r.PathValue("code"), c)
	}
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) != qms.EInvalid {
			w.errorPage(rw, r, err)
			return
		}
		w.committeePage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"/committee", "flash.committee_saved")
}

// uploadRules takes a composition's operating rules file; the file streams to the store.
func (w *Web) uploadRules(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	f := emptyForm()
	f.Values["composition"] = strconv.FormatInt(id, 10)
	part, err := w.filePart(r, f, "rules_file", "err.evidence_empty")
	if err == nil {
		_, err = w.svc.AttachCommitteeRules(r.Context(), actor(r), r.PathValue("code"), id, part, part.FileName())
	}
	if err != nil {
		if qms.ErrorCode(err) != qms.EInvalid || !f.fail(httpkit.LangOf(r), err) {
			w.errorPage(rw, r, err)
			return
		}
		w.committeePage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"/committee", "flash.rules_saved")
}

func (w *Web) rulesFile(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	c, f, err := w.svc.OpenCommitteeRules(r.Context(), actor(r), r.PathValue("code"), id)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	defer f.Close()
	sendFile(rw, "quy-che-"+strconv.FormatInt(c.ID, 10), c.RulesFile, f)
}

// sendFile writes a stored file as an attachment: an ASCII name by its sniffed type, and the
// user's own name in UTF-8 for browsers that take it.
func sendFile(rw http.ResponseWriter, base string, ref qms.FileRef, f io.Reader) {
	rw.Header().Set("Content-Type", ref.Type)
	rw.Header().Set("Content-Disposition", `attachment; filename="`+base+store.Extension(ref.Type)+`"; filename*=UTF-8''`+urlPathEscape(ref.Name))
	rw.Header().Set("Content-Length", strconv.FormatInt(ref.Size, 10))
	_, _ = io.Copy(rw, f)
}

func (w *Web) notifyComposition(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = w.svc.NotifyComposition(r.Context(), actor(r), r.PathValue("code"), id)
	}
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"/committee", "flash.committee_notified")
}

func (w *Web) committeeInbox(rw http.ResponseWriter, r *http.Request) {
	items, err := w.svc.CommitteeInbox(r.Context(), actor(r), 100)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "inbox.title"), items)
	w.render(rw, r, http.StatusOK, "inbox", p)
}

func (w *Web) templates(rw http.ResponseWriter, r *http.Request) {
	w.templatesPage(rw, r, http.StatusOK, 0, nil)
}

// templatesPage lists the step templates of both regimes; failed is the template whose form
// comes back with errors.
func (w *Web) templatesPage(rw http.ResponseWriter, r *http.Request, status int, failed int64, f *form) {
	list, err := w.svc.StepTemplates(r.Context(), actor(r), "")
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	p := w.page(r, i18n.T(httpkit.LangOf(r), "templates.title"), map[string]any{"Templates": list, "Failed": failed, "Groups": qms.Groups})
	if f == nil {
		f = emptyForm()
	}
	p.Form = f
	w.render(rw, r, status, "templates", p)
}

func (w *Web) updateTemplate(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "title", "phase", "evidence_required", "evidence_kinds")
	in := templateInput(r, f)
	if _, err := w.svc.UpdateStepTemplate(r.Context(), actor(r), id, in); err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.ENotFound {
			w.errorPage(rw, r, err)
			return
		}
		w.templatesPage(rw, r, http.StatusBadRequest, id, f)
		return
	}
	w.redirect(rw, r, "/step-templates#t"+strconv.FormatInt(id, 10), "flash.saved")
}

func (w *Web) newProgramme(rw http.ResponseWriter, r *http.Request) {
	p := w.page(r, i18n.T(httpkit.LangOf(r), "programme.new"), nil)
	p.Form = emptyForm()
	p.Form.Values["edition"], p.Form.Values["regime"] = "TCVN ISO 9001:2015", string(qms.RegimeAnnouncement)
	w.render(rw, r, http.StatusOK, "programme_new", p)
}

func (w *Web) createProgramme(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "code", "name", "decision_no", "decision_date", "signer", "year_from", "year_to", "edition", "regime")
	from, _ := strconv.Atoi(f.Values["year_from"])
	to, _ := strconv.Atoi(f.Values["year_to"])
	prog := qms.Programme{Code: f.Values["code"], Name: f.Values["name"], DecisionNo: f.Values["decision_no"], Signer: f.Values["signer"],
		YearFrom: from, YearTo: to, Edition: f.Values["edition"], Regime: qms.Regime(f.Values["regime"])}
	var err error
	if prog.DecisionDate, err = qms.ParseDate(f.Values["decision_date"]); err != nil {
		err = fieldErrOf("decision_date", "err.date")
	} else {
		prog, err = w.svc.CreateProgramme(r.Context(), actor(r), prog)
	}
	if err != nil {
		p := w.page(r, i18n.T(httpkit.LangOf(r), "programme.new"), nil)
		p.Form = f
		w.formError(rw, r, "programme_new", p, err)
		return
	}
	w.redirect(rw, r, "/programmes?programme="+prog.Code, "flash.programme_created")
}

func (w *Web) addParticipant(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	code := qms.NormalizeCode(r.PathValue("programme"))
	_, err := w.svc.AddParticipant(r.Context(), actor(r), code, r.PostFormValue("agency"), qms.Group(r.PostFormValue("group")))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, "/programmes?programme="+code, "flash.participant_added")
}

// timelineRow is one step on the planned-against-actual timeline (an SVG; positions in the
// viewBox's units, 0–1000 across the span).
type timelineRow struct {
	Code       string
	Y          int
	PlannedX   int
	DoneX      int
	Done, Late bool
}

type timelineTick struct {
	X     int
	Label string
}

// timelineOf lays a track's steps out on a time axis from the earliest to the latest date.
func timelineOf(t service.Track) (rows []timelineRow, ticks []timelineTick, height int) {
	var lo, hi qms.Date
	for _, s := range t.Steps {
		for _, d := range []qms.Date{s.PlannedOn, s.DoneOn} {
			if d.IsZero() {
				continue
			}
			if lo.IsZero() || d.Before(lo) {
				lo = d
			}
			if hi.IsZero() || hi.Before(d) {
				hi = d
			}
		}
	}
	if lo.IsZero() {
		return nil, nil, 0
	}
	start := time.Date(lo.Time().Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(hi.Time().Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
	span := end.Sub(start).Hours()
	x := func(d qms.Date) int { return 60 + int(930*d.Time().Sub(start).Hours()/span) }
	for y := start.Year(); y < end.Year(); y++ {
		ticks = append(ticks, timelineTick{X: x(qms.NewDate(y, 1, 1)), Label: strconv.Itoa(y)})
	}
	for i, s := range t.Steps {
		r := timelineRow{Code: s.Template.Code, Y: 30 + i*18, Done: !s.DoneOn.IsZero(), Late: s.Late(t.Today)}
		if !s.PlannedOn.IsZero() {
			r.PlannedX = x(s.PlannedOn)
		}
		if r.Done {
			r.DoneX = x(s.DoneOn)
		}
		rows = append(rows, r)
	}
	return rows, ticks, 40 + len(t.Steps)*18
}

func formatMilestones(ms []qms.Milestone) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(strconv.Itoa(m.Year) + ": " + m.Text + "\n")
	}
	return b.String()
}

// setMilestones reads "YYYY: text" lines.
func (w *Web) setMilestones(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	code := qms.NormalizeCode(r.PathValue("programme"))
	var ms []qms.Milestone
	for _, line := range strings.Split(r.PostFormValue("milestones"), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		year, text, ok := strings.Cut(line, ":")
		y, err := strconv.Atoi(strings.TrimSpace(year))
		if !ok || err != nil {
			w.errorPage(rw, r, qms.Errorf(qms.EInvalid, "err.milestone_line"))
			return
		}
		ms = append(ms, qms.Milestone{Year: y, Text: text})
	}
	if err := w.svc.SetMilestones(r.Context(), actor(r), code, ms); err != nil {
		if e, ok := err.(*qms.Error); ok && len(e.Fields) > 0 {
			err = qms.Errorf(qms.EInvalid, e.Fields[0].Message)
		}
		w.errorPage(rw, r, err)
		return
	}
	w.redirect(rw, r, "/programmes?programme="+code, "flash.saved")
}

func (w *Web) addComment(rw http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil || !w.parseForm(rw, r) {
		if err != nil {
			w.errorPage(rw, r, err)
		}
		return
	}
	f := newForm(r, "comment")
	if _, err := w.svc.AddComment(r.Context(), actor(r), r.PathValue("code"), id, f.Values["comment"]); err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) != qms.EInvalid {
			w.errorPage(rw, r, err)
			return
		}
		w.stepPage(rw, r, http.StatusBadRequest, f)
		return
	}
	w.redirect(rw, r, "/agencies/"+qms.NormalizeCode(r.PathValue("code"))+"/track/steps/"+strconv.FormatInt(id, 10)+"#comments", "flash.comment_added")
}

// templateInput reads a template form; groups come as repeated checkboxes.
func templateInput(r *http.Request, f *form) service.TemplateUpdate {
	phase, _ := strconv.Atoi(f.Values["phase"])
	in := service.TemplateUpdate{Title: f.Values["title"], Phase: phase, EvidenceRequired: f.Values["evidence_required"] == "1",
		EvidenceKinds: qms.SplitList(f.Values["evidence_kinds"])}
	for _, g := range r.PostForm["groups"] {
		in.Groups = append(in.Groups, qms.Group(g))
	}
	return in
}

func (w *Web) createTemplate(rw http.ResponseWriter, r *http.Request) {
	if !w.parseForm(rw, r) {
		return
	}
	f := newForm(r, "regime", "code", "title", "phase", "evidence_required", "evidence_kinds")
	t, err := w.svc.CreateStepTemplate(r.Context(), actor(r), service.NewTemplate{TemplateUpdate: templateInput(r, f), Regime: qms.Regime(f.Values["regime"]), Code: f.Values["code"]})
	if err != nil {
		if !f.fail(httpkit.LangOf(r), err) || qms.ErrorCode(err) == qms.EForbidden {
			w.errorPage(rw, r, err)
			return
		}
		w.templatesPage(rw, r, http.StatusBadRequest, -1, f)
		return
	}
	w.redirect(rw, r, "/step-templates#t"+strconv.FormatInt(t.ID, 10), "flash.saved")
}
