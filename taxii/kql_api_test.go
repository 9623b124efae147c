package taxii

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// kqlErrorCase is a request that must fail with a TAXII error resource whose description contains want.
type kqlErrorCase struct {
	name string
	r    req
	code int
	want []string // substrings of the description
}

func checkKQLErrors(t *testing.T, e *env, tests []kqlErrorCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do(t, tc.r)
			if rec.Code != tc.code || rec.Header().Get("Content-Type") != mediaTypeTAXII {
				t.Fatalf("%s %s = %d %q, want %d with the TAXII media type: %s",
					tc.r.method, tc.r.path, rec.Code, rec.Header().Get("Content-Type"), tc.code, rec.Body)
			}
			m := decode(t, rec.Body.Bytes())
			desc, _ := m["description"].(string)
			missing := slices.ContainsFunc(tc.want, func(w string) bool { return !strings.Contains(desc, w) })
			if m["http_status"] != strconv.Itoa(tc.code) || missing {
				t.Errorf("%s %s: error resource %v, want http_status %d and a description containing %q",
					tc.r.method, tc.r.path, m, tc.code, tc.want)
			}
		})
	}
}

// TestKQLParams checks parameter validation: every refusal is a 400 naming the parameter and value.
func TestKQLParams(t *testing.T) {
	e, _ := mustKQLEnv(t)
	get := func(q string) req { return req{path: packPath + q, accept: "*/*"} }
	checkKQLErrors(t, e, []kqlErrorCase{
		{"unknown table", get("?tables=DnsEvents,NoSuchTable"), 400, []string{`unknown table "NoSuchTable"`}},
		{"empty table", get("?tables=DnsEvents,"), 400, []string{"tables: empty value"}},
		{"bad lookback", get("?lookback=soon"), 400, []string{`lookback: "soon"`}},
		{"negative lookback", get("?lookback=-1d"), 400, []string{`lookback: "-1d"`}},
		{"zero lookback", get("?lookback=0d"), 400, []string{`lookback: "0d"`}},
		{"huge lookback", get("?lookback=9999d"), 400, []string{`lookback: "9999d"`}},
		{"unknown profile", get("?exclusions=nosuch"), 400, []string{`unknown exclusion profile "nosuch"`}},
		{"empty profile", get("?exclusions="), 400, []string{`unknown exclusion profile ""`}},
		{"unknown format", get("?format=xml"), 400, []string{`format: unknown format "xml"`}},
		{"repeated format", get("?format=json&format=yaml"), 400, []string{"format: may appear only once"}},
		{"bad include_inactive", get("?include_inactive=yes"), 400, []string{"include_inactive: must be true or false"}},
	})
	for _, q := range []string{"?lookback=14d", "?lookback=90m", "?lookback=1h30m", "?tables=DnsEvents&exclusions=purelogs"} {
		if rec := e.do(t, get(q)); rec.Code != http.StatusOK {
			t.Errorf("GET pack%s = %d %s, want 200", q, rec.Code, rec.Body)
		}
	}
}

// TestKQLIndicatorEndpoint covers one indicator's queries: found, unknown, not an indicator, and a
// pattern the renderer refuses (400 with its line and column).
func TestKQLIndicatorEndpoint(t *testing.T) {
	e, _ := mustKQLEnv(t)
	e.mustPut(t, colPure,
		kqlIndicator(1, "[domain-name:value = 'one.example.org']", ""),
		kqlIndicator(2, "[domain-name:value = 'a.example.org']\n  OR [x-acme:value = 'b']", ""),
		kqlIndicator(3, "[x-acme:value = 'q']", ""))
	rec := e.do(t, req{path: packPath + kqlIndicatorID(1) + "/?format=json", accept: "*/*"})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET indicator 1 = %d %s", rec.Code, rec.Body)
	}
	for _, q := range jsonQueries(t, rec.Body.Bytes()) {
		if !strings.Contains(q.KQL, `"one.example.org"`) || len(q.Indicators) != 1 || q.Indicators[0] != kqlIndicatorID(1) {
			t.Errorf("indicator 1 query = %+v, want it to hunt one.example.org for that indicator only", q)
		}
	}
	get := func(id string) req { return req{path: packPath + id + "/", accept: "*/*"} }
	checkKQLErrors(t, e, []kqlErrorCase{
		{"unknown", get(kqlIndicatorID(99)), 404, []string{"does not exist"}},
		{"not an indicator", get("malware--94098d9a-3d33-519d-a87d-8b6464770e53"), 400, []string{"is a malware, not an indicator"}},
		{"unmapped on line 2", get(kqlIndicatorID(2)), 400, []string{"2:7", "unmapped path", "x-acme:value"}},
		{"unmapped", get(kqlIndicatorID(3)), 400, []string{"1:2", "unmapped path", "x-acme:value"}},
	})
}

// TestKQLPack400 checks that a pack with an indicator the renderer refuses answers 400 naming it,
// instead of a pack that silently lacks it.
func TestKQLPack400(t *testing.T) {
	e, _ := mustKQLEnv(t)
	e.mustPut(t, colPure, kqlIndicator(4, "[domain-name:value = 'a.example.org'] OR [x-acme:value = 'b']", ""))
	checkKQLErrors(t, e, []kqlErrorCase{
		{"refused indicator", req{path: packPath, accept: "*/*"}, 400, []string{kqlIndicatorID(4) + ": cannot render pattern", "1:43", "unmapped path", "skip_refused=true"}},
	})
	rec := e.do(t, req{path: packPath + "?skip_refused=true&format=json", accept: "*/*"})
	if rec.Code != http.StatusOK || rec.Header().Get(headerRefused) != kqlIndicatorID(4) {
		t.Fatalf("GET pack?skip_refused=true = %d, %s %q; want 200 naming the refused indicator",
			rec.Code, headerRefused, rec.Header().Get(headerRefused))
	}
	if qs := jsonQueries(t, rec.Body.Bytes()); len(qs) != 3 {
		t.Errorf("GET pack?skip_refused=true: %d queries, want the 3 seed hunts", len(qs))
	}
}

// TestKQLPost covers POST /kql: a pattern, a bundle and an envelope, refusals with line and column, and
// authentication.
func TestKQLPost(t *testing.T) {
	e, seed := mustKQLEnv(t)
	post := func(ct, body string) req {
		return req{method: http.MethodPost, path: "/kql", body: body, ct: ct, accept: "*/*"}
	}
	bundle := `{"type":"bundle","id":"bundle--6b0c0e6e-0000-4000-8000-000000000001","objects":[` + strings.Join(strs(seed), ",") + `]}`
	for _, tc := range []struct {
		name string
		r    req
		want []string
	}{
		{"pattern", post("text/plain", "[ipv4-addr:value = '203.0.113.9']\n"), []string{`"203.0.113.9"`, "CommonSecurityLog", "DeviceNetworkEvents"}},
		{"pattern charset", post("text/plain; charset=utf-8", "[url:value = 'http://x.example/a']"), []string{`"http://x.example/a"`}},
		{"bundle", post("application/stix+json;version=2.1", bundle), []string{"malicious_ips", "malicious_domains", `"webdot.ddns.net"`}},
		{"envelope", post(mediaTypeTAXII, envelopeOf(seed...)), []string{"malicious_ips", `"20.81.43.36"`}},
		{"api key", req{method: http.MethodPost, path: "/kql/", body: "[domain-name:value = 'k.example']", ct: "text/plain",
			auth: "Bearer " + keySentine, accept: "text/plain"}, []string{`"k.example"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do(t, tc.r)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Fatalf("POST /kql = %d %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			for _, w := range tc.want {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("POST /kql answer lacks %s:\n%s", w, rec.Body)
				}
			}
		})
	}
	anon := post("text/plain", "[domain-name:value = 'x.example']")
	anon.auth = "-"
	checkKQLErrors(t, e, []kqlErrorCase{
		{"syntax", post("text/plain", "[domain-name:value = 'x'\n AND ]"), 400, []string{"pattern syntax error at 2:"}},
		{"invalid", post("text/plain", "[file:hashes.MD5 = 'zz']"), 400, []string{"pattern invalid error at 1:"}},
		{"unsupported", post("text/plain", "[domain-name:value = 'a'] AND [x-acme:value = 'b']"), 400, []string{"1:32", "unmapped path"}},
		{"not json", post("application/json", "{"), 400, []string{"neither a STIX pattern"}},
		{"no indicators", post("application/json", `{"objects":[]}`), 400, []string{"no indicator with a STIX pattern"}},
		{"a single object", post("application/json", string(seed[5])), 400, []string{`a STIX "indicator", not a bundle`}},
		{"invalid object", post("application/json", `{"objects":[{"type":"indicator"}]}`), 400, []string{"objects[0]: stix:"}},
		{"media type", post("application/xml", "<x/>"), 415, []string{"Content-Type must be text/plain"}},
		{"anonymous", anon, 401, []string{"credentials"}},
		{"bad format", req{method: http.MethodPost, path: "/kql/?format=csv", body: "[a:b = 'c']", ct: "text/plain"}, 400, []string{"format"}},
	})
}

func strs(raws [][]byte) []string {
	out := make([]string, len(raws))
	for i, r := range raws {
		out[i] = string(r)
	}
	return out
}

// TestKQLAuth checks that the KQL routes take the collection's read permission, on every path form.
func TestKQLAuth(t *testing.T) {
	e, _ := mustKQLEnv(t)
	as := func(path, auth string) req { return req{path: path, auth: auth, accept: "*/*"} }
	checkKQLErrors(t, e, []kqlErrorCase{
		{"anonymous", as(packPath, "-"), 401, []string{"credentials"}},
		{"bad password", as(packPath, basic("reader", "wrong")), 401, []string{"credentials"}},
		{"write-only user", as(packPath, basic("dropbox", pwReader)), 403, []string{"lacks the right"}},
		{"hidden collection", as("/api1/collections/"+colHidden+"/kql/", basic("reader", pwReader)), 404, []string{"unknown collection"}},
		{"unknown collection", as("/api1/collections/nosuch/kql/", basic("admin", pwReader)), 404, []string{"unknown collection"}},
		{"unknown root", as("/nosuch/collections/purelogs/kql/", basic("admin", pwReader)), 404, []string{"unknown API root"}},
	})
	for _, path := range []string{packPath, "/collections/purelogs/kql/", "/taxii2/api1/collections/" + colPure + "/kql", "/api1/collections/public/kql/"} {
		for _, auth := range []string{basic("reader", pwReader), "Bearer " + keySentine} {
			if strings.Contains(path, "public") {
				auth = "-"
			}
			if rec := e.do(t, as(path, auth)); rec.Code != http.StatusOK {
				t.Errorf("GET %s as %q = %d %s, want 200", path, auth, rec.Code, rec.Body)
			}
		}
	}
}

// TestKQLAccept checks that the KQL routes answer whatever a browser or a KQL client accepts, even
// with the strict TAXII Accept policy, while TAXII routes still refuse.
func TestKQLAccept(t *testing.T) {
	cfg := kqlConfig()
	cfg.AcceptPolicy = AcceptStrict
	e := mustEnv(t, cfg, Options{Profiles: kqlProfiles()})
	e.mustPut(t, colPure, mustSeedObjects(t)...)
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, accept := range []string{browser, "text/plain", "application/json", "-"} {
		if rec := e.do(t, req{path: packPath, accept: accept}); rec.Code != http.StatusOK {
			t.Errorf("GET %s Accept %q = %d %s, want 200", packPath, accept, rec.Code, rec.Body)
		}
	}
	if rec := e.do(t, req{path: "/api1/collections/purelogs/objects/", accept: browser}); rec.Code != http.StatusNotAcceptable {
		t.Errorf("GET objects with a browser Accept under the strict policy = %d, want 406", rec.Code)
	}
}

// TestKQLTablesFilter checks that restricting tables narrows the pack to them, and that indicators only
// the other tables could hunt are listed in the X-Stixgate-Refused header rather than refused.
func TestKQLTablesFilter(t *testing.T) {
	e, _ := mustKQLEnv(t)
	rec := e.do(t, req{path: packPath + "?tables=DnsEvents&format=json", accept: "*/*"})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET pack?tables=DnsEvents = %d %s", rec.Code, rec.Body)
	}
	qs := jsonQueries(t, rec.Body.Bytes())
	if len(qs) != 1 || qs[0].Table != "DnsEvents" {
		t.Errorf("GET pack?tables=DnsEvents = %+v, want the DnsEvents hunt only", qs)
	}
	if left := strings.Split(rec.Header().Get(headerRefused), ", "); len(left) != 2 {
		t.Errorf("%s = %q, want the two ip:port indicators", headerRefused, rec.Header().Get(headerRefused))
	}
}

// TestKQLRefusalDetails: a refused pattern's error resource locates the
// problem in its details object, so a client can point at it.
func TestKQLRefusalDetails(t *testing.T) {
	e, _ := mustKQLEnv(t)
	for _, tc := range []struct {
		name, pattern string
		want          errorDetails
	}{
		{"syntax", "[domain-name:value = 'x'\n AND ]", errorDetails{Kind: "syntax", Line: 2, Column: 6}},
		{"invalid", "[file:hashes.MD5 = 'zz']", errorDetails{Kind: "invalid", Line: 1, Column: 20}},
		{"unsupported", "[domain-name:value = 'a'] AND [x-acme:value = 'b']", errorDetails{Kind: "unsupported", Construct: "unmapped path", Line: 1, Column: 32}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do(t, req{method: http.MethodPost, path: "/kql", body: tc.pattern, ct: "text/plain", accept: "*/*"})
			var res errorResource
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != http.StatusBadRequest {
				t.Fatalf("POST /kql = %d %s (%v)", rec.Code, rec.Body, err)
			}
			if res.Details == nil || *res.Details != tc.want {
				t.Errorf("details = %+v, want %+v (%s)", res.Details, tc.want, rec.Body)
			}
		})
	}
}
