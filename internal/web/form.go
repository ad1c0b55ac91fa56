package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/httpkit"
	"github.com/isogov/isogov/internal/i18n"
	"github.com/isogov/isogov/internal/qms"
)

// form carries what a person typed and the errors to show beside each field.
type form struct {
	Values  map[string]string
	Errors  map[string]string // field → translated message
	Summary string            // a message for the whole form
}

func newForm(r *http.Request, fields ...string) *form {
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range fields {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	return f
}

func emptyForm() *form { return &form{Values: map[string]string{}, Errors: map[string]string{}} }

// fail records a service error on the form: field errors beside their fields, anything else as
// the summary. It returns false for errors that are not the person's (internal ones).
func (f *form) fail(lang string, err error) bool {
	var de *qms.Error
	if !errors.As(err, &de) {
		return false
	}
	for _, fe := range de.Fields {
		if _, dup := f.Errors[fe.Field]; !dup {
			f.Errors[fe.Field] = i18n.T(lang, fe.Message, fe.Args...)
		}
	}
	if len(de.Fields) == 0 {
		f.Summary = i18n.T(lang, de.Key, de.Args...)
	} else {
		f.Summary = i18n.T(lang, "form.has_errors")
	}
	return true
}

// fieldView is what the "field" partial renders: label, input and the error beside it.
type fieldView struct {
	Name, Label, Type, Value, Error, Hint string
	Required                              bool
	Options                               []option
}

type option struct{ Value, Label string }

// newField builds a field for the "field" partial from the page's form.
func newField(p *page, name, labelKey, typ string, required bool) fieldView {
	fv := fieldView{Name: name, Label: i18n.T(p.Lang, labelKey), Type: typ, Required: required}
	if p.Form != nil {
		fv.Value = p.Form.Values[name]
		fv.Error = p.Form.Errors[name]
	}
	switch typ {
	case "kind":
		fv.Type = "select"
		fv.Options = append(fv.Options, option{"", i18n.T(p.Lang, "form.choose")})
		for _, k := range qms.AgencyKinds {
			fv.Options = append(fv.Options, option{string(k), i18n.T(p.Lang, "kind."+string(k))})
		}
	case "lang":
		fv.Type = "select"
		for _, l := range qms.Languages {
			fv.Options = append(fv.Options, option{l, i18n.T(p.Lang, "lang."+l)})
		}
	case "link":
		fv.Type = "select"
		for _, k := range []qms.LinkKind{qms.LinkMerge, qms.LinkRename, qms.LinkSplit} {
			fv.Options = append(fv.Options, option{string(k), i18n.T(p.Lang, "link."+string(k))})
		}
	case "regime":
		fv.Type = "select"
		for _, r := range []qms.Regime{qms.RegimeAnnouncement, qms.RegimeCertification} {
			fv.Options = append(fv.Options, option{string(r), i18n.T(p.Lang, "regime."+string(r))})
		}
	case "orgkind":
		fv.Type = "select"
		for _, k := range []qms.OrganisationKind{qms.Consultancy, qms.CertificationBody, qms.ConsultancyAndCB} {
			fv.Options = append(fv.Options, option{string(k), i18n.T(p.Lang, "orgkind."+string(k))})
		}
	case "exprole":
		fv.Type = "select"
		for _, k := range []qms.ExpertRole{qms.ExpertConsultant, qms.ExpertAssessor} {
			fv.Options = append(fv.Options, option{string(k), i18n.T(p.Lang, "exprole."+string(k))})
		}
	case "extstatus":
		fv.Type = "select"
		for _, k := range []qms.ExternalStatus{qms.ExtInForce, qms.ExtAmended, qms.ExtRepealed} {
			fv.Options = append(fv.Options, option{string(k), i18n.T(p.Lang, "extstatus."+string(k))})
		}
	case "approver":
		fv.Type = "select"
		for _, k := range []qms.Role{qms.RoleLeader, qms.RoleSecretary} {
			fv.Options = append(fv.Options, option{string(k), i18n.T(p.Lang, "role."+string(k))})
		}
	case "coursekind":
		fv.Type = "select"
		for _, k := range qms.CourseKinds {
			fv.Options = append(fv.Options, option{string(k), i18n.T(p.Lang, "coursekind."+string(k))})
		}
	case "rkind":
		fv.Type = "select"
		for _, k := range []qms.RecognitionKind{qms.Announcement, qms.Certificate} {
			fv.Options = append(fv.Options, option{string(k), i18n.T(p.Lang, "rkind."+string(k))})
		}
	case "group":
		fv.Type = "select"
		for _, g := range qms.Groups {
			fv.Options = append(fv.Options, option{string(g), i18n.T(p.Lang, "group."+string(g))})
		}
	case "role":
		fv.Type = "select"
		for _, r := range qms.Roles {
			fv.Options = append(fv.Options, option{string(r), i18n.T(p.Lang, "role."+string(r))})
		}
	}
	return fv
}

// formError answers a failed POST: the form again with the errors, status 400 (or the
// domain error's status), or an internal error page.
func (w *Web) formError(rw http.ResponseWriter, r *http.Request, name string, p *page, err error) {
	if p.Form == nil {
		p.Form = emptyForm()
	}
	if !p.Form.fail(p.Lang, err) {
		w.fail(rw, r, err)
		return
	}
	status := http.StatusBadRequest
	switch qms.ErrorCode(err) {
	case qms.ENotFound:
		w.errorPage(rw, r, err)
		return
	case qms.EForbidden:
		status = http.StatusForbidden
	case qms.EConflict:
		status = http.StatusConflict
	case qms.ERateLimited:
		status = http.StatusTooManyRequests
	case qms.EUnauthenticated:
		status = http.StatusUnauthorized
	}
	w.render(rw, r, status, name, p)
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, qms.Errorf(qms.ENotFound, "err.not_found")
	}
	return id, nil
}

// parseForm reads a urlencoded form body, refusing oversized ones with a clear page.
func (w *Web) parseForm(rw http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		var maxErr *http.MaxBytesError
		key := "err.form"
		if errors.As(err, &maxErr) {
			key = "err.body_too_large"
		}
		w.errorPage(rw, r, qms.Errorf(qms.EInvalid, key))
		return false
	}
	return true
}

func actor(r *http.Request) *qms.Actor { return httpkit.ActorOf(r) }
