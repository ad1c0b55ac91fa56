package service

import (
	"sync"
	"time"
)

// Sign-in limits: an account is locked for accountLock after accountFailures failed attempts
// within accountLock; one address may try ipAttempts times per ipWindow, whatever the account.
const (
	accountFailures = 5
	accountLock     = 15 * time.Minute
	ipAttempts      = 30
	ipWindow        = 5 * time.Minute
)

type window struct {
	start time.Time
	n     int
}

// signInLimiter counts attempts in memory. It resets with the process, which only ever
// lets an attacker start over after a restart, never locks a user out for longer.
type signInLimiter struct {
	mu       sync.Mutex
	accounts map[string]*window // failures per e-mail
	ips      map[string]*window // attempts per address
	swept    time.Time
}

func newSignInLimiter() *signInLimiter {
	return &signInLimiter{accounts: map[string]*window{}, ips: map[string]*window{}}
}

// allow records an attempt from ip for email and returns how long the caller must wait
// (0: go ahead).
func (l *signInLimiter) allow(now time.Time, email, ip string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	if w := l.accounts[email]; w != nil && w.n >= accountFailures && now.Sub(w.start) < accountLock {
		return accountLock - now.Sub(w.start)
	}
	w := l.ips[ip]
	if w == nil || now.Sub(w.start) >= ipWindow {
		w = &window{start: now}
		l.ips[ip] = w
	}
	if w.n >= ipAttempts {
		return ipWindow - now.Sub(w.start)
	}
	w.n++
	return 0
}

// failed records a failed attempt for email.
func (l *signInLimiter) failed(now time.Time, email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.accounts[email]
	if w == nil || now.Sub(w.start) >= accountLock {
		w = &window{start: now}
		l.accounts[email] = w
	}
	w.n++
}

// succeeded forgets the account's failures.
func (l *signInLimiter) succeeded(email string) {
	l.mu.Lock()
	delete(l.accounts, email)
	l.mu.Unlock()
}

// sweep drops windows that ended, at most once a minute, so the maps stay small.
func (l *signInLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k, w := range l.accounts {
		if now.Sub(w.start) >= accountLock {
			delete(l.accounts, k)
		}
	}
	for k, w := range l.ips {
		if now.Sub(w.start) >= ipWindow {
			delete(l.ips, k)
		}
	}
}
