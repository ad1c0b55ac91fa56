// Package i18n translates the UI's strings. Vietnamese is the default language and English
// the second; every string a person reads goes through T with a key from the catalogs.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed vi.json en.json
var files embed.FS

// Default is the language used when none is chosen.
const Default = "vi"

var catalogs = map[string]map[string]string{}

func init() {
	for _, lang := range []string{"vi", "en"} {
		b, err := files.ReadFile(lang + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: %s.json: %v", lang, err))
		}
		catalogs[lang] = m
	}
}

// Lang returns lang when it has a catalogue, else the default.
func Lang(lang string) string {
	if _, ok := catalogs[lang]; ok {
		return lang
	}
	return Default
}

// T returns the message for key in lang, formatted with args. A missing key falls back to the
// default language and then to the key itself (tests make sure no key is missing).
func T(lang, key string, args ...any) string {
	msg, ok := catalogs[Lang(lang)][key]
	if !ok {
		if msg, ok = catalogs[Default][key]; !ok {
			msg = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Keys returns every key of a language's catalogue.
func Keys(lang string) []string {
	var out []string
	for k := range catalogs[lang] {
		out = append(out, k)
	}
	return out
}

// FromAcceptLanguage picks a supported language from an Accept-Language header.
func FromAcceptLanguage(h string) string {
	for _, part := range strings.Split(h, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if _, ok := catalogs[base]; ok {
			return base
		}
	}
	return Default
}
