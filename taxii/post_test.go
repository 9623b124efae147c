package taxii

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// checkStatusCounts applies taxii2-client's status checks: all four counts present, list lengths equal
// their counts, and success + failure + pending == total.
func checkStatusCounts(tb testing.TB, body []byte) map[string]any {
	tb.Helper()
	st := decode(tb, body)
	counts := map[string]int{}
	for _, k := range []string{"total_count", "success_count", "failure_count", "pending_count"} {
		v, ok := st[k].(float64)
		if !ok {
			tb.Fatalf("status %s has no %s", body, k)
		}
		counts[k] = int(v)
	}
	for list, count := range map[string]string{"successes": "success_count", "failures": "failure_count", "pendings": "pending_count"} {
		if l, ok := st[list].([]any); ok && len(l) != counts[count] {
			tb.Errorf("status %s: len(%s) = %d, want %s = %d", body, list, len(l), count, counts[count])
		}
	}
	if counts["success_count"]+counts["failure_count"]+counts["pending_count"] != counts["total_count"] {
		tb.Errorf("status %s: counts do not add up", body)
	}
	if st["status"] != "complete" {
		tb.Errorf("status = %v, want complete", st["status"])
	}
	return st
}

func TestPostObjects(t *testing.T) {
	s := mustSeed(t)
	ind10 := indicator(10, "2026-02-01T00:00:00.000Z")
	conflict := bytes.Replace(ind2, []byte(`"ioc 2"`), []byte(`"changed"`), 1)
	noID := []byte(`{"type":"indicator","spec_version":"2.1","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z"}`)
	badPattern := bytes.Replace(indicator(11, "2026-02-01T00:00:00.000Z"), []byte(`100.11']`), []byte(`100.11'`), 1)
	objects := "/api1/collections/purelogs/objects/"
	rec := s.do(t, req{method: "POST", path: objects, body: envelopeOf(ind10, ind1v1, noID, badPattern, conflict)})
	if rec.Code != http.StatusAccepted || rec.Header().Get("Content-Type") != mediaTypeTAXII {
		t.Fatalf("POST = %d %q, want 202 TAXII: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	st := checkStatusCounts(t, rec.Body.Bytes())
	if st["success_count"] != 2.0 || st["failure_count"] != 3.0 {
		t.Errorf("POST status = %s, want 2 successes (new, duplicate) and 3 failures", rec.Body)
	}
	checkGolden(t, "status_post", rec.Body.Bytes())

	for _, path := range []string{"/api1/status/" + st["id"].(string) + "/", "/api1/status/" + st["id"].(string), "/status/" + st["id"].(string)} {
		got := s.do(t, req{path: path})
		if got.Code != http.StatusOK || got.Body.String() != rec.Body.String() {
			t.Errorf("GET %s = %d %s, want 200 and the POST's status", path, got.Code, got.Body)
		}
	}
	for _, path := range []string{objects, "/api1/collections/purelogs/manifest/", objects + "?match[id]=" + indicatorID(10)} {
		got := s.do(t, req{path: path})
		if ids := recordIDs(t, got.Body.Bytes()); !slices.Contains(ids, indicatorID(10)) {
			t.Errorf("GET %s ids = %v, want the posted %s", path, ids, indicatorID(10))
		}
	}
	versions := s.do(t, req{path: objects + indicatorID(2) + "/versions/"})
	if n := len(decode(t, versions.Body.Bytes())["versions"].([]any)); n != 1 {
		t.Errorf("versions of %s after a conflicting POST = %d, want 1", indicatorID(2), n)
	}
}

func TestPostDuplicateIsSuccess(t *testing.T) {
	e := mustEnv(t, testConfig(), Options{})
	path := "/collections/purelogs/objects/"
	for i := range 2 {
		// The second POST differs only in whitespace: compacted, it is the same object.
		body := envelopeOf(ind2)
		if i == 1 {
			body = strings.ReplaceAll(body, `,"`, `, "`)
		}
		rec := e.do(t, req{method: "POST", path: path, body: body, auth: basic("writer", pwReader)})
		st := checkStatusCounts(t, rec.Body.Bytes())
		if st["success_count"] != 1.0 || st["failures"] != nil {
			t.Errorf("POST #%d status = %s, want one success and no failures", i+1, rec.Body)
		}
	}
	rec := e.do(t, req{path: path + indicatorID(2) + "/versions/"})
	if n := len(decode(t, rec.Body.Bytes())["versions"].([]any)); n != 1 {
		t.Errorf("versions after a duplicate POST = %d, want 1", n)
	}
}

func TestDelete(t *testing.T) {
	obj := "/api1/collections/purelogs/objects/" + indicatorID(1) + "/"
	tests := []struct {
		query string
		want  []string // remaining versions of ind1
	}{
		{"", nil},
		{"?match[version]=all", nil},
		{"?match[version]=first", []string{"2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z"}},
		{"?match[version]=last", []string{"2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z"}},
		{"?match[version]=2026-01-02T00:00:00Z", []string{"2026-01-01T00:00:00.000Z", "2026-01-03T00:00:00.000Z"}},
		{"?match[version]=first,last", []string{"2026-01-02T00:00:00.000Z"}},
	}
	for _, tc := range tests {
		t.Run("DELETE"+tc.query, func(t *testing.T) {
			s := mustSeed(t)
			rec := s.do(t, req{method: "DELETE", path: obj + tc.query})
			if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
				t.Fatalf("DELETE %s = %d %s, want 200 and no body", tc.query, rec.Code, rec.Body)
			}
			rec = s.do(t, req{path: obj + "versions/"})
			if tc.want == nil {
				if rec.Code != http.StatusNotFound {
					t.Errorf("versions after DELETE %s = %d, want 404", tc.query, rec.Code)
				}
				if got := s.do(t, req{path: obj}); got.Code != http.StatusNotFound {
					t.Errorf("object after DELETE %s = %d, want 404", tc.query, got.Code)
				}
				man := s.do(t, req{path: "/api1/collections/purelogs/manifest/?match[version]=all"})
				if slices.Contains(recordIDs(t, man.Body.Bytes()), indicatorID(1)) {
					t.Errorf("manifest after DELETE %s still lists %s", tc.query, indicatorID(1))
				}
				return
			}
			var got []string
			for _, v := range decode(t, rec.Body.Bytes())["versions"].([]any) {
				got = append(got, v.(string))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("versions after DELETE %s = %v, want %v", tc.query, got, tc.want)
			}
		})
	}
}

func TestDeleteUnknownIs404(t *testing.T) {
	s := mustSeed(t)
	rec := s.do(t, req{method: "DELETE", path: "/api1/collections/purelogs/objects/" + indicatorID(99) + "/"})
	if rec.Code != http.StatusNotFound {
		t.Errorf("DELETE unknown = %d, want 404", rec.Code)
	}
}

// A status lists what its poster sent: only the poster may read it, and
// anyone else gets the 404 of an unknown id.
func TestStatusIsThePostersOnly(t *testing.T) {
	s := mustSeed(t)
	rec := s.do(t, req{method: "POST", path: "/api1/collections/purelogs/objects/", body: envelopeOf(indicator(20, "2026-02-01T00:00:00.000Z"))})
	if rec.Code != http.StatusAccepted {
		t.Fatalf("POST = %d %s", rec.Code, rec.Body)
	}
	path := "/api1/status/" + checkStatusCounts(t, rec.Body.Bytes())["id"].(string) + "/"
	for _, tc := range []struct {
		user string
		want int
	}{{"admin", http.StatusOK}, {"writer", http.StatusNotFound}, {"reader", http.StatusNotFound}} {
		if got := s.do(t, req{path: path, auth: basic(tc.user, pwReader)}); got.Code != tc.want {
			t.Errorf("GET status as %s = %d, want %d: %s", tc.user, got.Code, tc.want, got.Body)
		}
	}
}
