package service

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// ArgonParams are the argon2id cost parameters.
type ArgonParams struct {
	Time    uint32
	MemoryK uint32 // KiB
	Threads uint8
}

// DefaultArgon takes 70–90 ms per hash on the 2-core reference machine (bench/README.md):
// within the 50–150 ms the foundation issue asks, at 64 MiB of memory per hash.
var DefaultArgon = ArgonParams{Time: 3, MemoryK: 64 * 1024, Threads: 2}

// hashConcurrency bounds how many hashes run at once: half the cores, at least one. Each hash
// already uses two threads, so a burst of sign-ins cannot starve the rest of the server
// (bench/README.md: page latency p99 stays under 10 ms during 200 concurrent attempts).
func hashConcurrency() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// HashPassword returns a PHC-formatted argon2id hash of pw.
func HashPassword(pw string, p ArgonParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryK, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryK, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPasswordHash reports whether pw matches the PHC hash. A malformed hash never matches.
func CheckPasswordHash(pw, hash string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var p ArgonParams
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryK, &p.Time, &p.Threads); err != nil ||
		p.Time == 0 || p.Threads == 0 || p.MemoryK > 1<<20 || p.Time > 16 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryK, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
