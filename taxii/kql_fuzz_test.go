package taxii

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzKQLPost posts arbitrary text as a pattern: the answer is a 200 whose string literals all decode,
// or a 400 TAXII error resource; never a 5xx or a panic.
func FuzzKQLPost(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "patterns", "*.pattern"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, v := range hostileValues {
		f.Add("[url:value = " + stixString(v) + "]")
	}
	e := mustEnv(f, kqlConfig(), Options{Profiles: kqlProfiles()})
	f.Fuzz(func(t *testing.T, src string) {
		rec := e.do(t, req{method: http.MethodPost, path: "/kql/?format=json", body: src, ct: "text/plain", accept: "*/*"})
		switch rec.Code {
		case http.StatusOK:
			for _, q := range jsonQueries(t, rec.Body.Bytes()) {
				kqlSkeleton(t, q.KQL)
			}
		case http.StatusBadRequest:
			if rec.Header().Get("Content-Type") != mediaTypeTAXII {
				t.Errorf("POST /kql %q = 400 with Content-Type %q", src, rec.Header().Get("Content-Type"))
			}
		default:
			t.Errorf("POST /kql %q = %d %s", src, rec.Code, rec.Body)
		}
	})
}

// BenchmarkKQLPack measures GET of a pack over a collection of n domain and IP indicators.
func BenchmarkKQLPack(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			e := mustEnv(b, kqlConfig(), Options{Profiles: kqlProfiles()})
			var raws [][]byte
			for i := range n {
				p := fmt.Sprintf("[domain-name:value = 'host%d.example.org']", i)
				if i%2 == 1 {
					p = fmt.Sprintf("[ipv4-addr:value = '198.51.%d.%d']", i/250%250, i%250)
				}
				raws = append(raws, kqlIndicator(i, p, ""))
			}
			e.mustPut(b, colPure, raws...)
			r := httptest.NewRequest(http.MethodGet, packPath+"?exclusions=purelogs", nil)
			r.Header.Set("Authorization", basic("admin", pwReader))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				rec := httptest.NewRecorder()
				e.h.ServeHTTP(rec, r)
				if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "host0.example.org") {
					b.Fatalf("GET pack = %d", rec.Code)
				}
			}
		})
	}
}
