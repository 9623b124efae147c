package taxii

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkObjectsPage measures one 1000-object page through the full echo stack over miniredis.
func BenchmarkObjectsPage(b *testing.B) {
	e := mustEnv(b, testConfig(), Options{})
	var raws [][]byte
	for i := range 1500 {
		raws = append(raws, indicator(i+1, "2026-03-01T00:00:00.000Z"))
	}
	e.mustPut(b, colPure, raws...)
	r := httptest.NewRequest(http.MethodGet, "/api1/collections/purelogs/objects/?limit=1000", nil)
	r.Header.Set("Accept", mediaTypeTAXII)
	r.Header.Set("Authorization", "Bearer "+keySentine)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET = %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkAuth compares a cached Basic credential with a bcrypt check on every request (a cache miss,
// forced by a TTL shorter than the request).
func BenchmarkAuth(b *testing.B) {
	for _, bc := range []struct {
		name   string
		ttl    time.Duration
		header string
	}{
		{"basic cache hit", DefaultAuthCacheTTL, basic("reader", pwReader)},
		{"basic cache miss", 1, basic("reader", pwReader)},
		{"api key", DefaultAuthCacheTTL, "Bearer " + keySentine},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := testConfig()
			cfg.AuthCacheTTL = bc.ttl
			e := mustEnv(b, cfg, Options{})
			r := httptest.NewRequest(http.MethodGet, "/api1/", nil)
			r.Header.Set("Authorization", bc.header)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.srv.auth.authenticate(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
