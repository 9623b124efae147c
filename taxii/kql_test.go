package taxii

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stixgate/stixgate/convert/kql"
)

const packPath = "/api1/collections/purelogs/kql/"

// TestKQLPackSeed is the acceptance test of issue 5: the purelogs pack without exclusions is exactly
// the seed document's three hunts.
func TestKQLPackSeed(t *testing.T) {
	e, _ := mustKQLEnv(t)
	rec := e.do(t, req{path: packPath + "?format=json", accept: "*/*"})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d %s", packPath, rec.Code, rec.Body)
	}
	var got []string
	for _, q := range jsonQueries(t, rec.Body.Bytes()) {
		got = append(got, normSpace(q.KQL))
	}
	var want []string
	for _, h := range seedHunts(t) {
		want = append(want, normSpace(h))
	}
	if !slices.Equal(got, want) {
		t.Errorf("pack hunts (whitespace-normalised) =\n%s\nwant the seed's\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestKQLPackExclusions checks that exclusions=purelogs adds the profile's clauses, and only where the
// table has the column for them, to otherwise unchanged hunts.
func TestKQLPackExclusions(t *testing.T) {
	e, _ := mustKQLEnv(t)
	plain := jsonQueries(t, e.do(t, req{path: packPath + "?format=json", accept: "*/*"}).Body.Bytes())
	rec := e.do(t, req{path: packPath + "?format=json&exclusions=purelogs", accept: "*/*"})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET exclusions=purelogs = %d %s", rec.Code, rec.Body)
	}
	excl := jsonQueries(t, rec.Body.Bytes())
	if len(excl) != len(plain) || len(plain) != 3 {
		t.Fatalf("got %d queries with exclusions, %d without; want 3 each", len(excl), len(plain))
	}
	m, err := kql.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	p := kql.PureLogsProfile()
	for i, q := range excl {
		t.Run(q.Table, func(t *testing.T) {
			added := addedLines(plain[i].KQL, q.KQL)
			if removed := addedLines(q.KQL, plain[i].KQL); len(removed) > 0 {
				t.Errorf("exclusions removed lines from the hunt: %q", removed)
			}
			tbl := m.Table(q.Table)
			checkExclusionColumns(t, added, tbl.Exclusions.ProcessNames, p.ProcessNames[0])
			checkExclusionColumns(t, added, tbl.Exclusions.Accounts, p.Accounts[0])
			checkExclusionColumns(t, added, tbl.Exclusions.InternalRanges, "192.0.2.0/24")
			for _, l := range added {
				if !strings.HasPrefix(l, "| where ") && !strings.HasPrefix(l, "// exclusion profile: purelogs") {
					t.Errorf("added line %q is neither a where filter nor the profile comment", l)
				}
			}
		})
	}
}

// addedLines returns the lines of b that a does not have.
func addedLines(a, b string) []string {
	have := map[string]bool{}
	for _, l := range strings.Split(a, "\n") {
		have[l] = true
	}
	var out []string
	for _, l := range strings.Split(b, "\n") {
		if !have[l] {
			out = append(out, l)
		}
	}
	return out
}

// checkExclusionColumns asserts that value is excluded in exactly the given columns: every column the
// mapping lists for the kind gets a filter naming value, and no other filter names value.
func checkExclusionColumns(t *testing.T, added, cols []string, value string) {
	t.Helper()
	var got []string
	for _, l := range added {
		if strings.Contains(l, `"`+value+`"`) {
			got = append(got, l)
		}
	}
	for _, c := range cols {
		if !slices.ContainsFunc(got, func(l string) bool { return strings.Contains(l, c) }) {
			t.Errorf("no exclusion of %q on column %s in %q", value, c, added)
		}
	}
	if len(cols) == 0 && len(got) > 0 {
		t.Errorf("exclusion of %q added although the table has no column for it: %q", value, got)
	}
}

// TestKQLFormats checks each format's Content-Type and shape, and that kqlcheck accepts every query of
// the pack in every format and of single indicators, with and without exclusions.
func TestKQLFormats(t *testing.T) {
	e, _ := mustKQLEnv(t)
	var all []string
	for _, excl := range []string{"", "&exclusions=purelogs&lookback=14d"} {
		for _, tc := range []struct{ format, ctype string }{
			{"", "text/plain; charset=utf-8"},
			{"kql", "text/plain; charset=utf-8"},
			{"json", "application/json"},
			{"yaml", "application/yaml"},
		} {
			path := packPath + "?format=" + tc.format + excl
			rec := e.do(t, req{path: path, accept: "*/*"})
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tc.ctype {
				t.Errorf("GET %s = %d %q, want 200 %q: %s", path, rec.Code, rec.Header().Get("Content-Type"), tc.ctype, rec.Body)
				continue
			}
			qs := formatQueries(t, tc.format, rec.Body.String())
			if len(qs) != 3 {
				t.Errorf("GET %s: %d queries, want 3", path, len(qs))
			}
			all = append(all, qs...)
		}
		for _, id := range []string{seedDomainID, seedIPPortID} {
			rec := e.do(t, req{path: packPath + id + "/?format=json" + excl, accept: "*/*"})
			for _, q := range jsonQueries(t, rec.Body.Bytes()) {
				all = append(all, q.KQL)
			}
		}
	}
	mustKQLCheck(t, all)
}

// formatQueries extracts the queries of an answer in any format.
func formatQueries(t *testing.T, format, body string) []string {
	t.Helper()
	var out []string
	switch format {
	case "json":
		for _, q := range jsonQueries(t, []byte(body)) {
			out = append(out, q.KQL)
		}
	case "yaml":
		for _, d := range yamlQueries(t, []byte(body)) {
			q, _ := d["query"].(string)
			out = append(out, q)
		}
	default:
		for _, q := range textQueries(body) {
			if !strings.HasPrefix(q, "// Table: ") || !strings.Contains(q, "\n// Data connector: ") {
				t.Errorf("text query not headed by its table and data connector:\n%s", q)
			}
			out = append(out, q)
		}
	}
	return out
}

// Ids of two seed indicators (UUIDv5, stable across imports).
const (
	seedDomainID = "indicator--b019f6b1-abe5-5c12-a23e-90806bd68049" // webdot.ddns.net
	seedIPPortID = "indicator--6a67bc0b-567b-5db1-a3d2-5f4bb579e266" // 20.81.43.36:1011
)

// TestKQLGolden pins the purelogs pack in every format, and two of its indicators rendered alone.
func TestKQLGolden(t *testing.T) {
	e, _ := mustKQLEnv(t)
	for _, tc := range []struct{ name, query string }{
		{"purelogs.kql", ""},
		{"purelogs.json", "?format=json"},
		{"purelogs.yaml", "?format=yaml"},
		{"purelogs-exclusions.kql", "?exclusions=purelogs&lookback=14d"},
		{"purelogs-dns.yaml", "?format=yaml&tables=DnsEvents"},
		{"indicator-domain.kql", seedDomainID + "/"},
		{"indicator-ipport.yaml", seedIPPortID + "/?format=yaml&exclusions=purelogs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do(t, req{path: packPath + tc.query, accept: "*/*"})
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d %s", tc.query, rec.Code, rec.Body)
			}
			checkKQLGolden(t, tc.name, rec.Body.Bytes())
		})
	}
}

func checkKQLGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "testdata", "taxii", "kql", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update): %v", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from %s\n got:\n%s\nwant:\n%s", name, path, got, want)
	}
}

// TestKQLNoStaleCache adds an indicator over TAXII and expects the very next pack to hunt it.
func TestKQLNoStaleCache(t *testing.T) {
	e, _ := mustKQLEnv(t)
	before := e.do(t, req{path: packPath + "?format=json", accept: "*/*"}).Body.String()
	if strings.Contains(before, "fresh.example.org") {
		t.Fatal("the new domain is in the pack before it was posted")
	}
	ind := kqlIndicator(7, "[domain-name:value = 'fresh.example.org']", "")
	rec := e.do(t, req{method: http.MethodPost, path: "/api1/collections/purelogs/objects/", body: envelopeOf(ind)})
	if rec.Code != http.StatusAccepted {
		t.Fatalf("POST objects = %d %s", rec.Code, rec.Body)
	}
	after := jsonQueries(t, e.do(t, req{path: packPath + "?format=json", accept: "*/*"}).Body.Bytes())
	i := slices.IndexFunc(after, func(q jsonQuery) bool { return q.Table == "DnsEvents" })
	if i < 0 || !strings.Contains(after[i].KQL, `"fresh.example.org"`) || !slices.Contains(after[i].Indicators, kqlIndicatorID(7)) {
		t.Errorf("pack after POST does not hunt the new domain: %+v", after)
	}
}

// kqlIndicator is a STIX indicator n with the pattern and extra properties (a JSON fragment starting
// with a comma, or "").
func kqlIndicator(n int, pattern, extra string) []byte {
	pat, err := json.Marshal(pattern)
	if err != nil {
		panic(err) // a string always marshals
	}
	return []byte(fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00.000Z",`+
		`"modified":"2026-01-01T00:00:00.000Z","name":"kql test %d","pattern":%s,"pattern_type":"stix",`+
		`"valid_from":"2026-01-01T00:00:00Z"%s}`, kqlIndicatorID(n), n, pat, extra))
}

func kqlIndicatorID(n int) string { return fmt.Sprintf("indicator--6b0c0e6e-0000-4000-8000-%012d", n) }

// TestKQLInactive checks that revoked and expired indicators stay out of the pack and the indicator
// endpoint unless include_inactive=true. The test clock starts on 2026-06-08.
func TestKQLInactive(t *testing.T) {
	e, _ := mustKQLEnv(t)
	e.mustPut(t, colPure,
		kqlIndicator(1, "[domain-name:value = 'revoked.example.org']", `,"revoked":true`),
		kqlIndicator(2, "[domain-name:value = 'expired.example.org']", `,"valid_until":"2026-02-01T00:00:00Z"`),
		kqlIndicator(3, "[domain-name:value = 'current.example.org']", `,"valid_until":"2027-01-01T00:00:00Z"`))
	tests := []struct {
		query     string
		want, not []string
	}{
		{"", []string{"current.example.org"}, []string{"revoked.example.org", "expired.example.org"}},
		{"?include_inactive=false", []string{"current.example.org"}, []string{"revoked.example.org", "expired.example.org"}},
		{"?include_inactive=true", []string{"current.example.org", "revoked.example.org", "expired.example.org"}, nil},
	}
	for _, tc := range tests {
		body := e.do(t, req{path: packPath + tc.query, accept: "*/*"}).Body.String()
		for _, w := range tc.want {
			if !strings.Contains(body, `"`+w+`"`) {
				t.Errorf("GET pack%s lacks %s:\n%s", tc.query, w, body)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(body, n) {
				t.Errorf("GET pack%s hunts inactive %s:\n%s", tc.query, n, body)
			}
		}
	}
	for _, n := range []int{1, 2} {
		path := packPath + kqlIndicatorID(n) + "/"
		if rec := e.do(t, req{path: path, accept: "*/*"}); rec.Code != http.StatusNotFound ||
			!strings.Contains(rec.Body.String(), "include_inactive") {
			t.Errorf("GET %s = %d %s, want 404 naming include_inactive", path, rec.Code, rec.Body)
		}
		if rec := e.do(t, req{path: path + "?include_inactive=true", accept: "*/*"}); rec.Code != http.StatusOK {
			t.Errorf("GET %s?include_inactive=true = %d %s, want 200", path, rec.Code, rec.Body)
		}
	}
}
