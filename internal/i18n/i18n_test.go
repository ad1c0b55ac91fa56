package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Both catalogues hold the same keys, with the same formatting verbs in the same order.
func TestCataloguesAgree(t *testing.T) {
	vi, en := catalogs["vi"], catalogs["en"]
	if len(vi) < 100 {
		t.Fatalf("only %d Vietnamese messages", len(vi))
	}
	verbs := regexp.MustCompile(`%[sdv]`)
	for k, v := range vi {
		e, ok := en[k]
		if !ok {
			t.Errorf("%s: no English message", k)
			continue
		}
		if a, b := verbs.FindAllString(v, -1), verbs.FindAllString(e, -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%s: verbs %v in Vietnamese, %v in English", k, a, b)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("%s: no Vietnamese message", k)
		}
	}
}

// Every key the templates and the code name exists, so no person ever reads a bare key.
func TestEveryUsedKeyExists(t *testing.T) {
	root := filepath.Join("..", "..")
	inTemplate := regexp.MustCompile(`\bt \$?\.Lang "([a-z_.]+)"|\(field \. "[a-z_]+" "([a-z_.]+)"`)
	inCode := regexp.MustCompile(`"((?:arr|err|flash|problem|login|home|agency|agencies|units|unit|user|users|tokens|profile|journal|form|nav|demo|error|programme|committee|track|step|inbox)\.[a-z_]+)"`)
	used := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		isTmpl, isGo := strings.HasSuffix(path, ".html"), strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go")
		if !isTmpl && !isGo {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		re := inCode
		if isTmpl {
			re = inTemplate
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			for _, k := range m[1:] {
				if k != "" {
					used[k] = path
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use: is the scan broken?", len(used))
	}
	var missing []string
	for k, where := range used {
		if _, ok := catalogs["vi"][k]; !ok && !notAKey(k) {
			missing = append(missing, k+" ("+where+")")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("missing message %s", m)
	}
}

// notAKey tells identifiers that look like keys (permissions, journal actions, file names)
// from message keys.
func notAKey(k string) bool {
	switch k {
	case "agency.manage", "unit.read", "unit.manage", "journal.read", "user.manage",
		"agency.create", "agency.update", "agency.close", "agency.predecessor", "unit.create", "unit.update",
		"user.create", "user.update", "user.password", "agencies.csv", "users.csv",
		"track.read", "track.edit", "programme.manage", "programme.create", "programme.join", "track.import", "step.update", "committee.compose", "committee.rules",
		"agency.doc_self_approval":
		return true
	}
	return false
}

func TestT(t *testing.T) {
	if got := T("vi", "home.hello", "An"); got != "Xin chào, An" {
		t.Errorf("T = %q", got)
	}
	if got := T("fr", "nav.home"); got != "Trang chủ" {
		t.Errorf("unknown language falls back to Vietnamese: %q", got)
	}
	if got := FromAcceptLanguage("en-GB,en;q=0.9,vi;q=0.8"); got != "en" {
		t.Errorf("FromAcceptLanguage = %q", got)
	}
	if got := FromAcceptLanguage("fr-FR"); got != "vi" {
		t.Errorf("FromAcceptLanguage(fr) = %q", got)
	}
}
