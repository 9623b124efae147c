package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stixgate/stixgate/convert/pattern"
	"github.com/stixgate/stixgate/convert/stix"
)

func TestIndicatorGenEnvelopeHoldsValidDistinctIndicators(t *testing.T) {
	gen := newIndicatorGen("test", time.Date(2026, 6, 8, 10, 15, 0, 123456789, time.UTC))
	body, ids := gen.envelope(7)
	var env struct {
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("envelope is not JSON: %v", err)
	}
	if len(env.Objects) != 7 || len(ids) != 7 {
		t.Fatalf("envelope(7) = %d objects, %d ids, want 7 and 7", len(env.Objects), len(ids))
	}
	seen := map[string]bool{}
	for i, raw := range env.Objects {
		m, err := stix.Inspect(raw)
		if err != nil {
			t.Fatalf("stix.Inspect(object %d) = %v, want valid", i, err)
		}
		if _, err := pattern.Parse(m.Pattern); err != nil {
			t.Errorf("pattern.Parse(%q) = %v, want valid", m.Pattern, err)
		}
		if m.ID != ids[i] || seen[m.ID] {
			t.Errorf("object %d id = %s, want %s and unique", i, m.ID, ids[i])
		}
		seen[m.ID] = true
	}
	if _, next := gen.envelope(1); next[0] == ids[0] {
		t.Errorf("a second envelope reused id %s", ids[0])
	}
}

func TestCheckPost(t *testing.T) {
	tests := []struct {
		name    string
		code    int
		body    string
		want    int
		wantErr string
	}{
		{"all stored", 202, `{"success_count":2,"failure_count":0,"pending_count":0,"successes":[{"id":"a"},{"id":"b"}]}`, 2, ""},
		{"a failure", 202, `{"success_count":1,"failure_count":1,"pending_count":0}`, 2, "1 succeeded, 1 failed"},
		{"not accepted", 503, `{"title":"Service Unavailable"}`, 2, "POST answered 503"},
		{"not json", 202, `nope`, 2, "POST status"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, msg := checkPost(tc.code, []byte(tc.body), tc.want)
			if (tc.wantErr == "") != (msg == "") || !strings.Contains(msg, tc.wantErr) {
				t.Errorf("checkPost(%d, %s, %d) = %q, want containing %q", tc.code, tc.body, tc.want, msg, tc.wantErr)
			}
		})
	}
}

func TestPollerVerdict(t *testing.T) {
	tests := []struct {
		name                   string
		seen                   map[string]int
		acked                  []string
		dups, missing, unacked int
	}{
		{"exactly once", map[string]int{"a": 1, "b": 1}, []string{"a", "b"}, 0, 0, 0},
		{"a duplicate", map[string]int{"a": 2, "b": 1}, []string{"a", "b"}, 1, 0, 0},
		{"a miss", map[string]int{"a": 1}, []string{"a", "b"}, 0, 1, 0},
		{"delivered without 202", map[string]int{"a": 1, "c": 1}, []string{"a"}, 0, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			acked := map[string]bool{}
			for _, id := range tc.acked {
				acked[id] = true
			}
			v := (&poller{seen: tc.seen}).verdict(acked)
			if v.duplicates != tc.dups || v.missing != tc.missing || v.unacknowledged != tc.unacked {
				t.Errorf("verdict(%v, %v) = %d duplicates, %d missing, %d unacknowledged; want %d, %d, %d",
					tc.seen, tc.acked, v.duplicates, v.missing, v.unacknowledged, tc.dups, tc.missing, tc.unacked)
			}
		})
	}
}

// TestBenchRunsEveryPhaseCleanly runs a tiny load against an in-process
// gateway (throwaway redis-server, or miniredis without one) and expects
// zero errors and an exactly-once poller.
func TestBenchRunsEveryPhaseCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("load run; skipped in -short mode")
	}
	var out, errOut bytes.Buffer
	c := &benchCmd{Objects: 250, Duration: 300 * time.Millisecond, Workers: 2, Batch: 100, PostBatch: 20,
		Limit: 100, Poll: 20 * time.Millisecond, APIRoot: "api1", User: "admin", Rounds: 2}
	wants := []string{phaseFill, phaseWalk, phasePages, phasePost, "walk: 250 objects", "0 duplicates, 0 missing"}
	if _, err := findRedisServer(); err == nil { // the ceiling needs a real Redis
		c.Baseline = true
		wants = append(wants, phaseBaseline, "of the bare ZRANGE+HMGET ceiling")
	}
	e := env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Now: time.Now, Getenv: func(string) string { return "" }}
	if err := c.Run(t.Context(), &e); err != nil {
		t.Fatalf("Run: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	for _, want := range wants {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bench output lacks %q:\n%s", want, out.String())
		}
	}
}
