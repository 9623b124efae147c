package kql

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stixgate/stixgate/convert/pattern"
)

func TestIndicatorsFromSTIX(t *testing.T) {
	objs := []string{
		`{"type":"identity","id":"identity--1","name":"stixgate ThreatFox import"}`,
		`{"type":"malware","id":"malware--1","name":"PureLogs Stealer","is_family":true}`,
		`{"type":"indicator","id":"indicator--a","name":"A","pattern_type":"stix","pattern":"[domain-name:value = 'a.example']","created_by_ref":"identity--1","external_references":[{"source_name":"ThreatFox","url":"https://threatfox.abuse.ch/"}]}`,
		`{"type":"relationship","id":"relationship--1","relationship_type":"indicates","source_ref":"indicator--a","target_ref":"malware--1"}`,
		`{"type":"indicator","id":"indicator--b","name":"B","pattern_type":"stix","pattern":"[domain-name:value = 'b.example']","created_by_ref":"identity--1"}`,
		`{"type":"indicator","id":"indicator--revoked","pattern_type":"stix","pattern":"[domain-name:value = 'r.example']","revoked":true}`,
		`{"type":"indicator","id":"indicator--expired","pattern_type":"stix","pattern":"[domain-name:value = 'e.example']","valid_until":"2026-01-01T00:00:00Z"}`,
		`{"type":"indicator","id":"indicator--sigma","pattern_type":"sigma","pattern":"title: x"}`,
		`{"type":"indicator","id":"indicator--bad","pattern_type":"stix","pattern":"[domain-name:value = 'x'"}`,
	}
	raw := make([][]byte, len(objs))
	for i, o := range objs {
		raw[i] = []byte(o)
	}
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	in, err := IndicatorsFromSTIX(raw, now, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ind := range in.Indicators {
		got = append(got, ind.ID+"|"+ind.Source+"|"+ind.Pattern.String())
	}
	want := []string{
		"indicator--a|ThreatFox - PureLogs Stealer|[domain-name:value = 'a.example']",
		"indicator--b|stixgate ThreatFox import|[domain-name:value = 'b.example']",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Join(in.Inactive, ",") != "indicator--revoked,indicator--expired" {
		t.Errorf("inactive = %v", in.Inactive)
	}
	if len(in.Refused) != 2 || in.Refused[0].ID != "indicator--sigma" || in.Refused[1].ID != "indicator--bad" {
		t.Fatalf("refused = %+v", in.Refused)
	}
	var perr *pattern.Error
	if !errors.As(in.Refused[1].Err, &perr) || perr.Line != 1 {
		t.Errorf("bad pattern refusal = %v, want a *pattern.Error with a position", in.Refused[1].Err)
	}

	all, err := IndicatorsFromSTIX(raw, now, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Indicators) != 4 || len(all.Inactive) != 0 {
		t.Errorf("includeInactive: %d indicators, %d inactive; want 4, 0", len(all.Indicators), len(all.Inactive))
	}
	if _, err := IndicatorsFromSTIX([][]byte{[]byte("{")}, now, false); err == nil {
		t.Error("invalid JSON was accepted")
	}
}

// The seed's bundle, through IndicatorsFromSTIX and Pack, gives the seed's
// hunts: the CLI and HTTP paths both go this way.
func TestSeedBundleThroughPack(t *testing.T) {
	data, err := os.ReadFile("../../testdata/threatfox/purelogs.md.stix.json")
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct{ Objects []json.RawMessage }
	if err := json.Unmarshal(data, &bundle); err != nil {
		t.Fatal(err)
	}
	raw := make([][]byte, len(bundle.Objects))
	for i, o := range bundle.Objects {
		raw[i] = o
	}
	in, err := IndicatorsFromSTIX(raw, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), false)
	if err != nil || len(in.Refused) > 0 {
		t.Fatalf("IndicatorsFromSTIX: %v %+v", err, in.Refused)
	}
	if len(in.Indicators) != 3 {
		t.Fatalf("%d indicators, want 3", len(in.Indicators))
	}
	qs, err := Pack(in.Indicators, PackOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 3 {
		t.Fatalf("pack has %d queries, want 3", len(qs))
	}
	if got := strings.Join(in.Meta.Tactics, ","); got != "CommandAndControl" {
		t.Errorf("pack tactics = %q, want CommandAndControl", got)
	}
	// The seed's hunts cite "// Source: ThreatFox - PureLogs Stealer": the
	// importer's ThreatFox external reference plus the indicated family.
	const wantSource = "ThreatFox - PureLogs Stealer"
	for _, ind := range in.Indicators {
		if ind.Source != wantSource {
			t.Errorf("indicator %s Source = %q, want %q", ind.ID, ind.Source, wantSource)
		}
	}
	if !slices.Contains(strings.Split(qs[0].KQL, "\n"), "// Source: "+wantSource) {
		t.Errorf("first pack query has no line %q:\n%s", "// Source: "+wantSource, qs[0].KQL)
	}
}
