package api

import (
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/store"
)

// sendFile writes a stored file as an attachment named base plus the extension of its sniffed type.
func sendFile(w http.ResponseWriter, base string, ref qms.FileRef, f io.Reader) {
	w.Header().Set("Content-Type", ref.Type)
	w.Header().Set("Content-Disposition", `attachment; filename="`+base+store.Extension(ref.Type)+`"`)
	w.Header().Set("Content-Length", strconv.FormatInt(ref.Size, 10))
	_, _ = io.Copy(w, f)
}

// filePart reads a multipart body up to the part named field and returns it unread, with the
// small fields that came before it. A body without that part is an error on field with
// missingKey; the file itself is never held in memory.
func filePart(r *http.Request, field, missingKey string) (*multipart.Part, map[string]string, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, invalid(field, "err.form")
	}
	fields := map[string]string{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, nil, invalid(field, missingKey)
		}
		if err != nil {
			return nil, nil, invalid(field, "err.form")
		}
		if part.FormName() == field {
			return part, fields, nil
		}
		b, err := io.ReadAll(io.LimitReader(part, 4096))
		if err != nil {
			return nil, nil, invalid(part.FormName(), "err.form")
		}
		fields[part.FormName()] = strings.TrimSpace(string(b))
	}
}
