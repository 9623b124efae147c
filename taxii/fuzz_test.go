package taxii

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// addGoldenSeeds adds every golden response body as a seed.
func addGoldenSeeds(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "taxii", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzDecodeEnvelope: any body either decodes to a non-empty object list or is a 400/422, never a panic.
func FuzzDecodeEnvelope(f *testing.F) {
	addGoldenSeeds(f)
	f.Add([]byte(envelopeOf(ind1v1, mal3)))
	f.Add(ind2)
	f.Fuzz(func(t *testing.T, body []byte) {
		objs, err := decodeEnvelope(body)
		var he *echo.HTTPError
		switch {
		case err == nil && len(objs) == 0:
			t.Errorf("decodeEnvelope(%q) = no objects and no error", body)
		case err != nil && (!errors.As(err, &he) || (he.Code != http.StatusBadRequest && he.Code != http.StatusUnprocessableEntity)):
			t.Errorf("decodeEnvelope(%q) error = %v, want a 400 or 422", body, err)
		}
	})
}

// FuzzParseTimestamp: whatever parses survives formatTimestamp and parses back to the same microsecond.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"1970-01-01T00:00:00.000Z", "2026-06-08T10:15:00.123456Z", "2026-06-08T10:15:00+02:00", "2026-06-08t10:15:00 00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := parseTimestamp(s)
		if err != nil || ts.Year() < 0 || ts.Year() > 9999 {
			return
		}
		back, err := parseTimestamp(formatTimestamp(ts))
		if err != nil || !back.Equal(ts.Truncate(time.Microsecond)) {
			t.Errorf("parseTimestamp(formatTimestamp(%v)) = %v, %v", ts, back, err)
		}
	})
}

// FuzzAccept: the strict policy never admits what the lenient one refuses.
func FuzzAccept(f *testing.F) {
	for _, s := range []string{mediaTypeTAXII, "*/*", "application/json, */*;q=0.1", "application/taxii+json;version=2.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		if acceptable([]string{accept}, false) && !acceptable([]string{accept}, true) {
			t.Errorf("Accept %q: strict admits, lenient refuses", accept)
		}
	})
}

// FuzzObjectsQuery: no query string makes the objects, manifest or versions endpoints answer anything
// but 200 or 400 (OpenTAXII#247 answered 500 to a garbage spec_version).
func FuzzObjectsQuery(f *testing.F) {
	for _, q := range []string{"", "limit=-20", "added_after=2026-01-01T00:00:00Z&match[type]=indicator",
		"match[version]=first,last,2026-01-01T00:00:00Z", "match[spec_version]=2.0,2.1", "next=AAAA", "match[id]=%00"} {
		f.Add(q)
	}
	s := mustSeed(f)
	f.Fuzz(func(t *testing.T, q string) {
		for _, ep := range []string{"objects/", "manifest/", "objects/" + indicatorID(1) + "/versions/"} {
			r := httptest.NewRequest(http.MethodGet, "/api1/collections/purelogs/"+ep, nil)
			r.URL.RawQuery = q
			r.Header.Set("Accept", mediaTypeTAXII)
			r.Header.Set("Authorization", "Bearer "+keySentine)
			rec := httptest.NewRecorder()
			s.h.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
				t.Errorf("GET %s?%s = %d: %s", ep, q, rec.Code, rec.Body)
			}
		}
	})
}
