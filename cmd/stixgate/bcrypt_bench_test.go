package main

import (
	"fmt"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// BenchmarkBcryptVerify is what one login that misses the auth cache costs
// at the costs hash-password offers, the number the README's auth-cache
// figures rest on.
func BenchmarkBcryptVerify(b *testing.B) {
	for _, cost := range []int{bcrypt.DefaultCost, 12} {
		hash, err := bcrypt.GenerateFromPassword([]byte("correct horse"), cost)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("cost=%d", cost), func(b *testing.B) {
			for b.Loop() {
				if err := bcrypt.CompareHashAndPassword(hash, []byte("correct horse")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
