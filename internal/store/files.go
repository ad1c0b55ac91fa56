package store

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/isogov/isogov/internal/qms"
)

// Files keeps uploaded files under the data folder, named by the SHA-256 of their content
// (files/ab/abcdef…), so the same file is stored once and a name never comes from a client.
type Files struct{ dir string }

// NewFiles returns the file store under dataDir.
func NewFiles(dataDir string) *Files { return &Files{dir: filepath.Join(dataDir, "files")} }

// Allowed file types, by what their content is (never by the name a client gives).
var allowedTypes = map[string]string{
	"application/pdf": ".pdf",
	"image/png":       ".png",
	"image/jpeg":      ".jpg",
	// Office files are ZIP archives; Put tells them apart by their parts.
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       ".xlsx",
	"application/vnd.oasis.opendocument.text":                                 ".odt",
	"application/vnd.oasis.opendocument.spreadsheet":                          ".ods",
}

// StoredFile describes a stored file.
type StoredFile struct {
	SHA256 string
	Size   int64
	Type   string
}

// Put stores the content of r, at most limit bytes, and returns its hash, size and sniffed
// type. Content of a type not allowed, or over the limit, is refused and nothing is kept.
func (f *Files) Put(r io.Reader, limit int64) (StoredFile, error) {
	var out StoredFile
	if err := os.MkdirAll(f.dir, 0o750); err != nil {
		return out, err
	}
	tmp, err := os.CreateTemp(f.dir, "upload-*")
	if err != nil {
		return out, err
	}
	defer os.Remove(tmp.Name()) // after the rename this removes nothing
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return out, qms.Errorf(qms.EInvalid, "err.file_too_large", limit>>20)
		}
		return out, err
	}
	if n > limit {
		return out, qms.Errorf(qms.EInvalid, "err.file_too_large", limit>>20)
	}
	if n == 0 {
		return out, qms.Errorf(qms.EInvalid, "err.file_empty")
	}
	head := make([]byte, 512)
	m, _ := tmp.ReadAt(head, 0)
	typ := http.DetectContentType(head[:m])
	if typ == "application/zip" {
		typ = officeType(tmp, n)
	}
	if _, ok := allowedTypes[typ]; !ok {
		return out, qms.Errorf(qms.EInvalid, "err.file_type")
	}
	out = StoredFile{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Type: typ}
	dst := f.path(out.SHA256)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return out, err
	}
	if err := tmp.Sync(); err != nil {
		return out, err
	}
	return out, os.Rename(tmp.Name(), dst)
}

// officeType tells a Word, Excel or OpenDocument file from any other ZIP archive by the parts
// it holds; anything else is "application/zip", which is not allowed.
func officeType(r io.ReaderAt, size int64) string {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return "application/zip"
	}
	for _, f := range zr.File {
		switch {
		case f.Name == "word/document.xml":
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case f.Name == "xl/workbook.xml":
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		case f.Name == "mimetype" && f.UncompressedSize64 < 100:
			rc, err := f.Open()
			if err != nil {
				return "application/zip"
			}
			var b bytes.Buffer
			_, _ = io.Copy(&b, io.LimitReader(rc, 100))
			rc.Close()
			if t := strings.TrimSpace(b.String()); t == "application/vnd.oasis.opendocument.text" || t == "application/vnd.oasis.opendocument.spreadsheet" {
				return t
			}
		}
	}
	return "application/zip"
}

func (f *Files) path(sha string) string { return filepath.Join(f.dir, sha[:2], sha) }

// Open returns a stored file's content.
func (f *Files) Open(sha string) (*os.File, error) {
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return nil, qms.Errorf(qms.ENotFound, "err.not_found")
	}
	return os.Open(f.path(sha))
}

// Delete removes a stored file (once nothing refers to it); a missing file is not an error.
func (f *Files) Delete(sha string) error {
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return fmt.Errorf("files: bad name %q", sha)
	}
	if err := os.Remove(f.path(sha)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Extension returns the usual file name extension of an allowed type.
func Extension(typ string) string { return allowedTypes[typ] }
