package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/export"
	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

// sendTable answers with the table as ?format=xlsx or CSV (the default). A failure before
// anything was sent shows an error page; a failure midway aborts the connection, so the person
// gets a broken download rather than a silently shortened list.
func (w *Web) sendTable(rw http.ResponseWriter, r *http.Request, name string, t export.Table) {
	lang := httpkit.LangOf(r)
	for i, h := range t.Headers {
		t.Headers[i] = i18n.T(lang, h)
	}
	write, ext, ctype := export.CSV, ".csv", "text/csv; charset=utf-8"
	if r.URL.Query().Get("format") == "xlsx" {
		write, ext, ctype = export.XLSX, ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	rw.Header().Set("Content-Type", ctype)
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+ext+`"`)
	if err := write(rw, t); err != nil {
		w.log.ErrorContext(r.Context(), "export", "request_id", httpkit.RequestID(r.Context()), "list", name, "err", err)
		panic(http.ErrAbortHandler)
	}
}

func (w *Web) agenciesExport(rw http.ResponseWriter, r *http.Request) {
	list, err := w.svc.Agencies(r.Context(), actor(r), agencyFilter(r))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	sortAgencies(list, true)
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "agencies", export.Table{
		Sheet:   i18n.T(lang, "agencies.title"),
		Headers: []string{"agency.code", "agency.name", "agency.short_name", "agency.kind", "agency.parent", "agency.valid_from", "agency.valid_to"},
		Rows: func(emit func([]string) error) error {
			for _, a := range list {
				if err := emit([]string{a.Code, a.Name, a.ShortName, i18n.T(lang, "kind."+string(a.Kind)), a.ParentCode, a.ValidFrom.String(), a.ValidTo.String()}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

func (w *Web) unitsExport(rw http.ResponseWriter, r *http.Request) {
	a, units, err := w.svc.Units(r.Context(), actor(r), r.PathValue("code"))
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "units-"+a.Code, export.Table{
		Sheet:   i18n.T(lang, "units.title"),
		Headers: []string{"agency.code", "unit.name", "unit.status"},
		Rows: func(emit func([]string) error) error {
			for _, u := range units {
				status := i18n.T(lang, "unit.open")
				if u.Closed {
					status = i18n.T(lang, "unit.closed")
				}
				if err := emit([]string{u.Code, u.Name, status}); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

func (w *Web) usersExport(rw http.ResponseWriter, r *http.Request) {
	f, err := w.userFilter(r)
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	// Ask first, so that a refusal is a page and not a broken download.
	if _, err := w.svc.Users(r.Context(), actor(r), store.UserFilter{Limit: 1}); err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, "users", export.Table{
		Sheet:   i18n.T(lang, "users.title"),
		Headers: []string{"user.id", "user.email", "user.name", "user.roles", "user.status"},
		Rows: func(emit func([]string) error) error {
			f.Limit = 500
			for { // keyset pages keep memory flat however many accounts there are
				list, err := w.svc.Users(r.Context(), actor(r), f)
				if err != nil {
					return err
				}
				for _, u := range list {
					full, err := w.svc.User(r.Context(), actor(r), u.ID)
					if err != nil {
						return err
					}
					var roles []string
					for _, g := range full.Grants {
						roles = append(roles, g.String())
					}
					status := i18n.T(lang, "user.active")
					if u.Disabled {
						status = i18n.T(lang, "user.disabled")
					}
					if err := emit([]string{strconv.FormatInt(u.ID, 10), u.Email, u.Name, strings.Join(roles, " "), status}); err != nil {
						return err
					}
					f.AfterID = u.ID
				}
				if len(list) < f.Limit {
					return nil
				}
			}
		},
	})
}

func (w *Web) agencyJournalExport(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadAgency(rw, r)
	if !ok {
		return
	}
	w.journalExport(rw, r, "journal-"+v.Agency.Code, service.JournalQuery{AgencyCode: v.Agency.Code})
}

func (w *Web) provinceJournalExport(rw http.ResponseWriter, r *http.Request) {
	w.journalExport(rw, r, "journal", service.JournalQuery{Province: r.URL.Query().Get("chain") == "province"})
}

// journalExport streams every entry the query selects, newest first, in pages.
func (w *Web) journalExport(rw http.ResponseWriter, r *http.Request, name string, q service.JournalQuery) {
	qs := r.URL.Query()
	if qs.Get("object_type") != "" && qs.Get("object_id") != "" {
		q.ObjectType, q.ObjectID = qs.Get("object_type"), qs.Get("object_id")
	}
	q.Limit = 1
	if _, err := w.svc.Journal(r.Context(), actor(r), q); err != nil {
		w.errorPage(rw, r, err)
		return
	}
	lang := httpkit.LangOf(r)
	w.sendTable(rw, r, name, export.Table{
		Sheet:   i18n.T(lang, "journal.title"),
		Headers: []string{"journal.seq", "journal.at", "journal.actor", "journal.action", "journal.object_col", "journal.changes", "journal.hash"},
		Rows: func(emit func([]string) error) error {
			q.Limit = 500
			for {
				entries, err := w.svc.Journal(r.Context(), actor(r), q)
				if err != nil {
					return err
				}
				for _, e := range entries {
					if err := emit([]string{strconv.FormatInt(e.Chain, 10) + "/" + strconv.FormatInt(e.Seq, 10), e.At.In(vnZone).Format("2006-01-02 15:04:05"),
						e.ActorName, i18n.T(lang, "action."+e.Action), e.ObjectType + " #" + e.ObjectID, e.Changes, e.Hash}); err != nil {
						return err
					}
					q.BeforeID = e.ID
				}
				if len(entries) < q.Limit {
					return nil
				}
			}
		},
	})
}

// sendPDF answers with a PDF to download, or the error page.
func (w *Web) sendPDF(rw http.ResponseWriter, r *http.Request, name string, b []byte, err error) {
	if err != nil {
		w.errorPage(rw, r, err)
		return
	}
	rw.Header().Set("Content-Type", "application/pdf")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
	_, _ = rw.Write(b)
}
