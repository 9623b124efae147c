package taxii

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseLookback(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, true},
		{"14d", 14 * 24 * time.Hour, true},
		{"12h", 12 * time.Hour, true},
		{"30m", 30 * time.Minute, true},
		{"90s", 90 * time.Second, true},
		{"1h30m", 90 * time.Minute, true},
		{"730d", maxLookback, true},
		{"731d", 0, false},
		{"0d", 0, false},
		{"-1d", 0, false},
		{"+1d", 0, false},
		{"1w", 0, false},
		{"d", 0, false},
		{"99999999999d", 0, false},
		{"1e3h", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseLookback(tc.in)
			if got != tc.want || (err == nil) != tc.ok {
				t.Errorf("parseLookback(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}

// TestKQLPackPaging reads a collection larger than one store page: every indicator must be hunted.
func TestKQLPackPaging(t *testing.T) {
	cfg := kqlConfig()
	cfg.DefaultPageSize, cfg.MaxPageSize = 1, 2
	e := mustEnv(t, cfg, Options{Profiles: kqlProfiles()})
	e.mustPut(t, colPure, mustSeedObjects(t)...)
	var domains []string
	for i, d := range []string{"p1.example.org", "p2.example.org", "p3.example.org", "p4.example.org", "p5.example.org"} {
		e.mustPut(t, colPure, kqlIndicator(10+i, "[domain-name:value = '"+d+"']", ""))
		domains = append(domains, d)
	}
	rec := e.do(t, req{path: packPath + "?format=json", accept: "*/*"})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET pack = %d %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, d := range append(domains, "webdot.ddns.net", "20.81.43.36") {
		if !strings.Contains(body, d) {
			t.Errorf("pack over 2-object pages lacks %s:\n%s", d, body)
		}
	}
}

// TestKQLOtherPatternTypes checks that Sigma (or any non-STIX) indicators are no KQL material: the
// pack ignores them and the indicator endpoint refuses them.
func TestKQLOtherPatternTypes(t *testing.T) {
	e, _ := mustKQLEnv(t)
	sigma := strings.Replace(string(kqlIndicator(20, "title: x", "")), `"pattern_type":"stix"`, `"pattern_type":"sigma"`, 1)
	e.mustPut(t, colPure, []byte(sigma))
	if rec := e.do(t, req{path: packPath, accept: "*/*"}); rec.Code != http.StatusOK {
		t.Errorf("GET pack with a Sigma indicator = %d %s, want 200", rec.Code, rec.Body)
	}
	checkKQLErrors(t, e, []kqlErrorCase{
		{"sigma", req{path: packPath + kqlIndicatorID(20) + "/", accept: "*/*"}, 400, []string{`pattern_type "sigma"`}},
	})
}

func TestRefusedList(t *testing.T) {
	var ids []string
	for i := range maxRefusedListed + 3 {
		ids = append(ids, kqlIndicatorID(i))
	}
	tests := []struct {
		n    int
		want string
	}{
		{1, kqlIndicatorID(0)},
		{2, kqlIndicatorID(0) + ", " + kqlIndicatorID(1)},
		{maxRefusedListed + 3, strings.Join(ids[:maxRefusedListed], ", ") + ", ... (3 more)"},
	}
	for _, tc := range tests {
		if got := refusedList(ids[:tc.n]); got != tc.want {
			t.Errorf("refusedList(%d ids) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
