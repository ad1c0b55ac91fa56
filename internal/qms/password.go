package qms

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// MaxPasswordLength bounds the work one sign-in can cause.
const MaxPasswordLength = 256

//go:embed common_passwords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonPasswordList, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}()

// CheckPassword returns a field error key when pw is too weak for an account with that e-mail,
// or "" when it is acceptable.
func CheckPassword(pw, email string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return "err.password_short"
	case n > MaxPasswordLength:
		return "err.too_long"
	}
	low := strings.ToLower(pw)
	if commonPasswords[low] || commonPasswords[strings.TrimRight(low, "0123456789!@#.")] {
		return "err.password_common"
	}
	// Few distinct characters, only digits (phone and identity numbers are favourites), or a
	// run along the keyboard or the digits.
	if distinct(low) < 4 || strings.Trim(low, "0123456789") == "" || isSequence(low) {
		return "err.password_common"
	}
	if local, _, ok := strings.Cut(NormalizeEmail(email), "@"); ok && len(local) >= 4 && strings.Contains(low, local) {
		return "err.password_email"
	}
	return ""
}

func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

var sequences = []string{"01234567890123456789", "98765432109876543210", "qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz"}

func isSequence(s string) bool {
	for _, seq := range sequences {
		if strings.Contains(seq, s) {
			return true
		}
	}
	return false
}
