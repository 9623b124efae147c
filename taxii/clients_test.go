package taxii

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// client speaks HTTP over loopback to a running server, like a real TAXII client.
type client struct {
	tb   testing.TB
	http *http.Client
	auth string
}

func mustServe(tb testing.TB, e *env) string {
	tb.Helper()
	ts := httptest.NewServer(e.h)
	tb.Cleanup(ts.Close)
	return ts.URL
}

// get fetches a TAXII resource, enforcing the Content-Type the way taxii2-client does: split on ";",
// drop spaces, the first token must be the TAXII type and every Accept parameter must be present.
func (c client) get(rawURL string) (map[string]any, http.Header) {
	c.tb.Helper()
	r, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		c.tb.Fatal(err)
	}
	r.Header.Set("Accept", mediaTypeTAXII)
	r.Header.Set("Authorization", c.auth)
	resp, err := c.http.Do(r)
	if err != nil {
		c.tb.Fatalf("GET %s: %v", rawURL, err)
	}
	defer resp.Body.Close()
	body := readAll(c.tb, resp.Body)
	if resp.StatusCode != http.StatusOK {
		c.tb.Fatalf("GET %s = %d: %s", rawURL, resp.StatusCode, body)
	}
	checkTAXIIClientContentType(c.tb, resp.Header.Get("Content-Type"))
	return decode(c.tb, body), resp.Header
}

func checkTAXIIClientContentType(tb testing.TB, ct string) {
	tb.Helper()
	tokens := strings.Split(strings.ReplaceAll(ct, " ", ""), ";")
	if tokens[0] != taxiiType || !slices.Contains(tokens[1:], "version=2.1") {
		tb.Fatalf("Content-Type %q fails taxii2-client's check", ct)
	}
}

// asPages follows next like taxii2-client's as_pages: the original filters plus next, until more is
// false. It returns the records of every page under key ("objects" or "versions").
func (c client) asPages(base string, filters url.Values, key string) []any {
	c.tb.Helper()
	var all []any
	next := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			c.tb.Fatalf("as_pages over %s does not terminate", base)
		}
		q := url.Values{}
		for k, v := range filters {
			q[k] = v
		}
		if next != "" {
			q.Set("next", next)
		}
		body, _ := c.get(base + "?" + q.Encode())
		recs, _ := body[key].([]any)
		all = append(all, recs...)
		if more, _ := body["more"].(bool); !more {
			return all
		}
		next, _ = body["next"].(string)
		if next == "" {
			c.tb.Fatalf("%s: more without next would make taxii2-client loop", base)
		}
	}
}

// TestTAXIIClientWalk walks discovery → API roots → collections → objects, manifest and versions as
// taxii2-client does, and checks every record is seen exactly once.
func TestTAXIIClientWalk(t *testing.T) {
	s := mustSeed(t)
	for i := 10; i < 40; i++ {
		s.mustPut(t, colPure, indicator(i, "2026-02-01T00:00:00.000Z"))
	}
	base := mustServe(t, s.env)
	c := client{tb: t, http: &http.Client{}, auth: basic("reader", pwReader)}
	disc, _ := c.get(base + "/taxii2/")
	roots, _ := disc["api_roots"].([]any)
	if !slices.Contains(roots, disc["default"]) {
		t.Fatalf("discovery default %v not in api_roots %v", disc["default"], roots)
	}
	rootURL := resolve(t, base+"/taxii2/", disc["default"].(string))
	root, _ := c.get(rootURL)
	for _, k := range []string{"title", "versions", "max_content_length"} {
		if root[k] == nil {
			t.Errorf("api root lacks %s: %v", k, root)
		}
	}
	cols, _ := c.get(rootURL + "collections/")
	for _, col := range cols["collections"].([]any) {
		col := col.(map[string]any)
		colURL := rootURL + "collections/" + col["id"].(string) + "/"
		got, _ := c.get(colURL)
		if !strings.Contains(colURL, got["id"].(string)) {
			t.Errorf("collection id %v not in its URL %s (taxii2-client ValidationError)", got["id"], colURL)
		}
		if col["can_read"] != true {
			continue
		}
		objs := c.asPages(colURL+"objects/", url.Values{"limit": {"7"}, "match[version]": {"all"}}, "objects")
		man := c.asPages(colURL+"manifest/", url.Values{"limit": {"5"}, "match[version]": {"all"}}, "objects")
		if col["id"] != colPure {
			continue
		}
		if len(objs) != 36 || len(man) != 36 {
			t.Errorf("%s: as_pages saw %d objects and %d manifest records, want 36", colURL, len(objs), len(man))
		}
		checkUnique(t, objs, "modified")
		checkUnique(t, man, "version")
		vers := c.asPages(colURL+"objects/"+indicatorID(1)+"/versions/", url.Values{"limit": {"1"}}, "versions")
		if len(vers) != 3 {
			t.Errorf("versions as_pages = %v, want 3 versions", vers)
		}
	}
}

func resolve(tb testing.TB, base, ref string) string {
	tb.Helper()
	b, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := url.Parse(ref)
	if err != nil {
		tb.Fatal(err)
	}
	return b.ResolveReference(r).String()
}

// checkUnique fails if an (id, version) pair appears twice.
func checkUnique(tb testing.TB, recs []any, versionKey string) {
	tb.Helper()
	seen := map[string]bool{}
	for _, r := range recs {
		m := r.(map[string]any)
		k := fmt.Sprint(m["id"], "|", m[versionKey])
		if seen[k] {
			tb.Errorf("record %s delivered twice", k)
		}
		seen[k] = true
	}
}

// sentinel polls like Microsoft Sentinel's TAXII connector: the first added_after is the "All
// available" lookback, then the X-TAXII-Date-Added-Last of the last non-empty page; within a poll it
// follows next.
type sentinel struct {
	client
	objects    string
	addedAfter string
	seen       map[string]int // id|modified → deliveries
}

func newSentinel(c client, objectsURL string) *sentinel {
	return &sentinel{client: c, objects: objectsURL, addedAfter: "1970-01-01T00:00:00.000Z", seen: map[string]int{}}
}

// poll runs one polling cycle; between(page) runs after each page, to land writes mid-poll.
func (s *sentinel) poll(between func(page int)) {
	s.tb.Helper()
	q := url.Values{"added_after": {s.addedAfter}}
	for page := 0; ; page++ {
		body, h := s.get(s.objects + "?" + q.Encode())
		objs, _ := body["objects"].([]any)
		for _, o := range objs {
			m := o.(map[string]any)
			s.seen[fmt.Sprint(m["id"], "|", m["modified"])]++
		}
		if last := h.Get(headerDateAddedLast); last != "" {
			s.addedAfter = last
		} else if len(objs) > 0 {
			s.tb.Fatalf("non-empty page without %s", headerDateAddedLast)
		}
		if between != nil {
			between(page)
		}
		more, _ := body["more"].(bool)
		if !more {
			return
		}
		q.Set("next", body["next"].(string))
	}
}

func TestSentinelPollerExactlyOnce(t *testing.T) {
	cfg := testConfig()
	cfg.DefaultPageSize = 50
	tests := []struct {
		name  string
		batch int // objects written per write
	}{
		{"hundreds in one batch with a frozen clock", 300},
		{"small batches", 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEnv(t, cfg, Options{})
			e.clock.step = 0 // frozen: every date_added comes from the store's +1µs rule
			n := 0
			write := func(count int) {
				var raws [][]byte
				for range count {
					n++
					raws = append(raws, indicator(n, "2026-03-01T00:00:00.000Z"))
				}
				e.mustPut(t, colPure, raws...)
			}
			write(tc.batch)
			c := client{tb: t, http: &http.Client{}, auth: basic("sentinel-user-ignored", keySentine)}
			sen := newSentinel(c, mustServe(t, e)+"/api1/collections/purelogs/objects/")
			sen.poll(nil)
			write(tc.batch)
			sen.poll(func(page int) { // writes land between the pages of one poll
				if page < 3 {
					write(tc.batch)
				}
			})
			e.mustPut(t, colPure, indicator(1, "2026-04-01T00:00:00.000Z")) // a new version of object 1
			sen.poll(nil)
			sen.poll(nil) // nothing new: an empty poll must not move or break anything
			checkDeliveredOnce(t, sen.seen, n)
		})
	}
}

// checkDeliveredOnce asserts that objects 1..n (and object 1's update) were each delivered exactly once.
func checkDeliveredOnce(tb testing.TB, seen map[string]int, n int) {
	tb.Helper()
	want := map[string]bool{indicatorID(1) + "|2026-04-01T00:00:00.000Z": true}
	for i := 1; i <= n; i++ {
		want[indicatorID(i)+"|2026-03-01T00:00:00.000Z"] = true
	}
	for k, count := range seen {
		if count != 1 || !want[k] {
			tb.Errorf("%s delivered %d times (expected: %v)", k, count, want[k])
		}
	}
	for k := range want {
		if seen[k] == 0 {
			tb.Errorf("%s never delivered", k)
		}
	}
}

// TestTAXIIClientPost posts like taxii2-client's add_objects and applies its status checks, polling the
// status without a trailing slash as it does.
func TestTAXIIClientPost(t *testing.T) {
	e := mustEnv(t, testConfig(), Options{})
	base := mustServe(t, e)
	r, err := http.NewRequestWithContext(context.Background(), http.MethodPost,
		base+"/api1/collections/"+colPure+"/objects/", strings.NewReader(envelopeOf(ind1v1, ind2)))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Accept", mediaTypeTAXII)
	r.Header.Set("Content-Type", mediaTypeTAXII)
	r.Header.Set("Authorization", basic("writer", pwReader))
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST = %d: %s", resp.StatusCode, body)
	}
	st := checkStatusCounts(t, body)
	var status struct{ ID string }
	if err := json.Unmarshal(body, &status); err != nil {
		t.Fatal(err)
	}
	c := client{tb: t, http: &http.Client{}, auth: basic("writer", pwReader)}
	again, _ := c.get(base + "/api1/status/" + status.ID)
	if again["id"] != st["id"] || again["success_count"] != 2.0 {
		t.Errorf("GET status = %v, want the POST's status %v", again, st)
	}
}
