package taxii

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stixgate/stixgate/store"
)

// Standard data set of colPure, in ingest order.
var (
	ind1v1 = indicator(1, "2026-01-01T00:00:00.000Z")
	ind2   = indicator(2, "2026-01-01T00:00:00.000Z")
	ind1v2 = indicator(1, "2026-01-02T00:00:00.000Z")
	mal3   = []byte(`{"type":"malware","spec_version":"2.1","id":"malware--00000000-0000-4000-8000-000000000003",` +
		`"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-03T00:00:00.000Z","name":"PureLogs","is_family":true}`)
	ip4    = []byte(`{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--00000000-0000-4000-8000-000000000004","value":"198.51.100.4"}`)
	ind1v3 = indicator(1, "2026-01-03T00:00:00.000Z")
)

const (
	idMal3 = "malware--00000000-0000-4000-8000-000000000003"
	idIP4  = "ipv4-addr--00000000-0000-4000-8000-000000000004"
)

// seeded is the standard data set plus the store's answer for each object.
type seeded struct {
	*env
	res []store.PutResult // index-aligned with ind1v1, ind2, ind1v2, mal3, ip4, ind1v3
}

func mustSeed(tb testing.TB) seeded {
	tb.Helper()
	e := mustEnv(tb, testConfig(), Options{})
	return seeded{env: e, res: e.mustPut(tb, colPure, ind1v1, ind2, ind1v2, mal3, ip4, ind1v3)}
}

// added returns the wire form of the date_added of seeded object i.
func (s seeded) added(i int) string { return formatTimestamp(s.res[i].DateAdded) }

// recordIDs lists the id of each object (objects, manifest) in a response body.
func recordIDs(tb testing.TB, body []byte) []string {
	tb.Helper()
	var ids []string
	objs, _ := decode(tb, body)["objects"].([]any)
	for _, o := range objs {
		ids = append(ids, o.(map[string]any)["id"].(string))
	}
	return ids
}

func TestObjectsFilters(t *testing.T) {
	s := mustSeed(t)
	latest := []string{indicatorID(2), idMal3, idIP4, indicatorID(1)} // ind1's latest is v3, added last
	tests := []struct {
		name, query string
		want        []string
		first, last int // seeded indexes of the expected date headers
		more        bool
	}{
		{"no parameters: latest versions ascending", "", latest, 1, 5, false},
		{"added_after is strict", "added_after=" + s.added(1), latest[1:], 3, 5, false},
		{"added_after +00:00 unescaped, ms", "added_after=" + strings.Replace(s.added(1)[:23], ".", ".", 1) + "+00:00", latest[1:], 3, 5, false},
		{"added_after escaped offset", "added_after=" + url.QueryEscape(s.res[1].DateAdded.In(time.FixedZone("", 7200)).Format(time.RFC3339Nano)), latest[1:], 3, 5, false},
		{"match[id]", "match[id]=" + idMal3, []string{idMal3}, 3, 3, false},
		{"match[id] OR", "match[id]=" + idMal3 + "," + indicatorID(2), []string{indicatorID(2), idMal3}, 1, 3, false},
		{"match[type]", "match[type]=indicator", []string{indicatorID(2), indicatorID(1)}, 1, 5, false},
		{"match[type] AND match[id]", "match[type]=malware&match[id]=" + indicatorID(1), nil, 0, 0, false},
		{"match[version]=all", "match[version]=all&match[type]=indicator",
			[]string{indicatorID(1), indicatorID(2), indicatorID(1), indicatorID(1)}, 0, 5, false},
		{"match[version]=first", "match[version]=first&match[type]=indicator", []string{indicatorID(1), indicatorID(2)}, 0, 1, false},
		{"match[version]=last", "match[version]=last&match[type]=indicator", []string{indicatorID(2), indicatorID(1)}, 1, 5, false},
		{"match[version]=timestamp", "match[version]=2026-01-02T00:00:00Z&match[id]=" + indicatorID(1), []string{indicatorID(1)}, 2, 2, false},
		{"match[version] timestamps OR", "match[version]=2026-01-02T00:00:00.000Z,2026-01-01T00:00:00Z&match[id]=" + indicatorID(1),
			[]string{indicatorID(1), indicatorID(1)}, 0, 2, false},
		{"match[spec_version]=2.1", "match[spec_version]=2.1", latest, 1, 5, false},
		{"match[spec_version]=2.0 is empty", "match[spec_version]=2.0", nil, 0, 0, false},
		{"limit", "limit=3", latest[:3], 1, 4, true},
		{"limit exact", "limit=4", latest, 1, 5, false},
		{"limit above max is clamped", "limit=999999", latest, 1, 5, false},
		{"unknown parameters are ignored", "foo=bar&Range=items%200-1", latest, 1, 5, false},
		{"no results", "added_after=" + s.added(5), nil, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := s.do(t, req{path: "/api1/collections/" + colPure + "/objects/?" + tc.query})
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != mediaTypeTAXII {
				t.Fatalf("GET ?%s = %d %q, want 200 %q: %s", tc.query, rec.Code, rec.Header().Get("Content-Type"), mediaTypeTAXII, rec.Body)
			}
			if got := recordIDs(t, rec.Body.Bytes()); !slices.Equal(got, tc.want) {
				t.Errorf("GET ?%s ids = %v, want %v", tc.query, got, tc.want)
			}
			checkPageHeaders(t, rec.Header(), rec.Body.Bytes(), tc.want == nil, s.added(tc.first), s.added(tc.last))
			body := decode(t, rec.Body.Bytes())
			if more, _ := body["more"].(bool); more != tc.more {
				t.Errorf("GET ?%s more = %v, want %v", tc.query, more, tc.more)
			}
			if next, _ := body["next"].(string); (next != "") != tc.more {
				t.Errorf("GET ?%s next = %q with more = %v", tc.query, next, tc.more)
			}
		})
	}
}

// checkPageHeaders asserts the date headers of a page: absent and body {} when empty, else equal to
// the first and last date_added.
func checkPageHeaders(tb testing.TB, h http.Header, body []byte, empty bool, first, last string) {
	tb.Helper()
	gotFirst, gotLast := h.Get(headerDateAddedFirst), h.Get(headerDateAddedLast)
	if empty {
		if string(body) != "{}" || gotFirst != "" || gotLast != "" {
			tb.Errorf("empty page = %s with date headers %q/%q, want {} and none", body, gotFirst, gotLast)
		}
		return
	}
	if gotFirst != first || gotLast != last {
		tb.Errorf("date headers = %q/%q, want %q/%q", gotFirst, gotLast, first, last)
	}
}

func TestObjectsPagingWithNext(t *testing.T) {
	s := mustSeed(t)
	for _, ep := range []string{"objects", "manifest"} {
		t.Run(ep, func(t *testing.T) {
			base := "/api1/collections/purelogs/" + ep + "/?match[version]=all&limit=4"
			rec := s.do(t, req{path: base})
			page1 := decode(t, rec.Body.Bytes())
			if page1["more"] != true || page1["next"] == nil {
				t.Fatalf("page 1 = %s, want more and next", rec.Body)
			}
			checkPageHeaders(t, rec.Header(), rec.Body.Bytes(), false, s.added(0), s.added(3))
			rec2 := s.do(t, req{path: base + "&next=" + url.QueryEscape(page1["next"].(string))})
			if got := len(recordIDs(t, rec2.Body.Bytes())); got != 2 {
				t.Fatalf("page 2 has %d records, want 2: %s", got, rec2.Body)
			}
			if more, _ := decode(t, rec2.Body.Bytes())["more"].(bool); more {
				t.Errorf("page 2 more = true, want false")
			}
			checkPageHeaders(t, rec2.Header(), rec2.Body.Bytes(), false, s.added(4), s.added(5))
		})
	}
}

func TestObjectsGolden(t *testing.T) {
	s := mustSeed(t)
	tests := []struct{ name, path string }{
		{"objects", "/api1/collections/" + colPure + "/objects/"},
		{"objects", "/api1/collections/purelogs/objects/"},
		{"objects", "/collections/purelogs/objects"},
		{"objects", "/taxii2/api1/collections/purelogs/objects/"},
		{"objects_limit2", "/api1/collections/purelogs/objects/?limit=2"},
		{"objects_limit2", "/api1/collections/purelogs/objects?limit=2"},
		{"manifest", "/api1/collections/purelogs/manifest/?match[version]=all"},
		{"object", "/api1/collections/purelogs/objects/" + indicatorID(1) + "/?match[version]=all"},
		{"object_default_last", "/api1/collections/purelogs/objects/" + indicatorID(1) + "/"},
		{"versions", "/api1/collections/purelogs/objects/" + indicatorID(1) + "/versions/"},
		{"versions_sco", "/api1/collections/purelogs/objects/" + idIP4 + "/versions"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			rec := s.do(t, req{path: tc.path})
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != mediaTypeTAXII {
				t.Fatalf("GET %s = %d %q, want 200 %q: %s", tc.path, rec.Code, rec.Header().Get("Content-Type"), mediaTypeTAXII, rec.Body)
			}
			if rec.Header().Get(headerDateAddedFirst) == "" || rec.Header().Get(headerDateAddedLast) == "" {
				t.Errorf("GET %s: date headers missing", tc.path)
			}
			checkGolden(t, tc.name, rec.Body.Bytes())
		})
	}
}

func TestVersionsAndObjectPaging(t *testing.T) {
	s := mustSeed(t)
	tests := []struct {
		path        string
		first, last int
		more        bool
	}{
		{"/api1/collections/purelogs/objects/" + indicatorID(1) + "/versions/?limit=2", 0, 2, true},
		{"/api1/collections/purelogs/objects/" + indicatorID(1) + "/versions/?added_after=" + s.added(0), 2, 5, false},
		{"/api1/collections/purelogs/objects/" + indicatorID(1) + "/?match[version]=all&limit=1", 0, 0, true},
		{"/api1/collections/purelogs/objects/" + indicatorID(1) + "/?match[version]=first", 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			rec := s.do(t, req{path: tc.path})
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d: %s", tc.path, rec.Code, rec.Body)
			}
			checkPageHeaders(t, rec.Header(), rec.Body.Bytes(), false, s.added(tc.first), s.added(tc.last))
			body := decode(t, rec.Body.Bytes())
			if more, _ := body["more"].(bool); more != tc.more || (tc.more && body["next"] == nil) {
				t.Errorf("GET %s more/next = %v/%v, want more %v with next", tc.path, body["more"], body["next"], tc.more)
			}
		})
	}
}
