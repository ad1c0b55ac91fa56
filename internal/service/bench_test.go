package service_test

import (
	"testing"

	"github.com/isogov/isogov/internal/service"
)

// BenchmarkHashPassword measures one argon2id hash with the production parameters; the
// target is 50–150 ms on the 2-core reference machine (bench/README.md).
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := service.HashPassword("Kh0ng-de-doan-2026", service.DefaultArgon); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/hash")
}

// BenchmarkCheckPassword is the sign-in cost: the same work as hashing.
func BenchmarkCheckPassword(b *testing.B) {
	h, _ := service.HashPassword("Kh0ng-de-doan-2026", service.DefaultArgon)
	for b.Loop() {
		if !service.CheckPasswordHash("Kh0ng-de-doan-2026", h) {
			b.Fatal("no match")
		}
	}
}
