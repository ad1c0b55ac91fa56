package web

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

const journalPageSize = 50

// journalLine is an entry as the journal page shows it.
type journalLine struct {
	Entry   qms.JournalEntry
	Changes []changeLine
}

type changeLine struct {
	Field    string
	Old, New string
}

func journalLines(entries []qms.JournalEntry) []journalLine {
	out := make([]journalLine, 0, len(entries))
	for _, e := range entries {
		l := journalLine{Entry: e}
		var ch map[string]qms.Change
		if json.Unmarshal([]byte(e.Changes), &ch) == nil {
			for f, c := range ch {
				l.Changes = append(l.Changes, changeLine{f, text(c.Old), text(c.New)})
			}
			sort.Slice(l.Changes, func(i, j int) bool { return l.Changes[i].Field < l.Changes[j].Field })
		}
		out = append(out, l)
	}
	return out
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "✓"
		}
		return "✗"
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func (w *Web) agencyJournal(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	w.journalPage(rw, r, service.JournalQuery{AgencyCode: v.Agency.Code}, &v.Agency)
}

func (w *Web) journal(rw http.ResponseWriter, r *http.Request) {
	w.journalPage(rw, r, service.JournalQuery{Province: r.URL.Query().Get("chain") == "province"}, nil)
}

func (w *Web) journalPage(rw http.ResponseWriter, r *http.Request, q service.JournalQuery, agency *qms.Agency) {
	qs := r.URL.Query()
	q.ObjectType, q.ObjectID = qs.Get("object_type"), qs.Get("object_id")
	if q.ObjectType == "" || q.ObjectID == "" {
		q.ObjectType, q.ObjectID = "", ""
	}
	q.BeforeID, _ = strconv.ParseInt(qs.Get("before"), 10, 64)
	q.Limit = journalPageSize + 1
	entries, err := w.svc.Journal(r.Context(), actor(r), q)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	older := ""
	if len(entries) > journalPageSize {
		entries = entries[:journalPageSize]
		older = strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	lang := httpkit.LangOf(r)
	title := i18n.T(lang, "journal.title")
	if agency != nil {
		title = i18n.T(lang, "journal.of_agency", agency.Name)
	}
	p := w.page(r, title, map[string]any{
		"Agency": agency, "Lines": journalLines(entries), "Older": older, "Newest": q.BeforeID != 0,
		"ObjectType": q.ObjectType, "ObjectID": q.ObjectID, "Province": q.Province,
		"ExportQuery": exportQuery(r, "chain", "object_type", "object_id"),
	})
	w.render(rw, r, http.StatusOK, "journal", p)
}
