package threatfox

import (
	"bytes"
	"encoding/json"

	"path/filepath"
	"slices"
	"testing"

	"github.com/stixgate/stixgate/convert/pattern"
	"github.com/stixgate/stixgate/convert/stix"
)

// object is the generic view of a bundle object the tests inspect.
type object map[string]any

func (o object) str(k string) string { s, _ := o[k].(string); return s }

func decodeBundle(tb testing.TB, b stix.Bundle) (string, []object) {
	tb.Helper()
	raw, err := b.MarshalJSON()
	if err != nil {
		tb.Fatalf("MarshalJSON() error = %v", err)
	}
	var doc struct {
		Type    string   `json:"type"`
		ID      string   `json:"id"`
		Objects []object `json:"objects"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		tb.Fatalf("bundle is not JSON: %v", err)
	}
	if doc.Type != "bundle" {
		tb.Fatalf("bundle type = %q, want bundle", doc.Type)
	}
	return doc.ID, doc.Objects
}

func byType(objs []object, typ string) []object {
	var out []object
	for _, o := range objs {
		if o.str("type") == typ {
			out = append(out, o)
		}
	}
	return out
}

func importFile(tb testing.TB, path string, opts Options) (stix.Bundle, Result) {
	tb.Helper()
	b, res, err := Import(bytes.NewReader(mustRead(tb, path)), FormatAuto, opts)
	if err != nil {
		tb.Fatalf("Import(%s) error = %v", path, err)
	}
	return b, res
}

// TestPureLogsAcceptance is issue 2's acceptance for the seed table.
func TestPureLogsAcceptance(t *testing.T) {
	path := filepath.Join(testdata, "purelogs.md")
	b, res := importFile(t, path, Options{})
	if len(res.Skipped)+len(res.Warnings)+len(res.Unknown) != 0 {
		t.Errorf("Read(purelogs.md) skipped %v, warned %v, unknown %v; want none", res.Skipped, res.Warnings, res.Unknown)
	}
	_, objs := decodeBundle(t, b)
	want := map[string]float64{ // pattern → confidence
		"[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '20.81.43.36' AND network-traffic:dst_port = 1011]": 75,
		"[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '20.81.43.36' AND network-traffic:dst_port = 8030]": 75,
		"[domain-name:value = 'webdot.ddns.net']": 100,
	}
	inds := byType(objs, "indicator")
	if len(inds) != len(want) {
		t.Fatalf("indicators = %d, want %d", len(inds), len(want))
	}
	for _, ind := range inds {
		conf, ok := want[ind.str("pattern")]
		if !ok {
			t.Errorf("unexpected indicator pattern %q", ind.str("pattern"))
			continue
		}
		if ind["confidence"] != conf {
			t.Errorf("%s: confidence = %v, want %v", ind.str("pattern"), ind["confidence"], conf)
		}
		for _, k := range []string{"valid_from", "created", "modified"} {
			if got := ind.str(k); got != "2026-06-08T00:00:00.000Z" {
				t.Errorf("%s: %s = %q, want 2026-06-08T00:00:00.000Z", ind.str("pattern"), k, got)
			}
		}
	}
	mal := byType(objs, "malware")
	if len(mal) != 1 || mal[0].str("name") != "PureLogs Stealer" || mal[0]["is_family"] != true {
		t.Errorf("malware = %v, want one family named PureLogs Stealer", mal)
	}
	rels := byType(objs, "relationship")
	if len(rels) != 3 {
		t.Errorf("relationships = %d, want 3", len(rels))
	}
	for _, r := range rels {
		if r.str("relationship_type") != "indicates" || len(mal) == 1 && r.str("target_ref") != mal[0].str("id") {
			t.Errorf("relationship %v, want indicates → %s", r, mal[0].str("id"))
		}
	}
	if n := len(byType(objs, "identity")); n != 1 {
		t.Errorf("identities = %d, want 1", n)
	}
	if m := byType(objs, "marking-definition"); len(m) != 1 || m[0].str("id") != "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9" {
		t.Errorf("markings = %v, want TLP:WHITE", m)
	}
	if got := b.Stats(); got["indicator"] != 3 || got["relationship"] != 3 || got["malware"] != 1 || len(got) != 5 {
		t.Errorf("Stats() = %v", got)
	}
}

// TestDeterministic converts every sample twice, and once with the rows
// reversed, and wants the same bytes each time.
func TestDeterministic(t *testing.T) {
	for _, in := range inputs(t) {
		t.Run(filepath.Base(in), func(t *testing.T) {
			b1, res := importFile(t, in, Options{})
			b2, _ := importFile(t, in, Options{})
			j1, _ := b1.MarshalJSON()
			j2, _ := b2.MarshalJSON()
			if !bytes.Equal(j1, j2) {
				t.Fatalf("two imports of %s differ", in)
			}
			rev := slices.Clone(res.Rows)
			slices.Reverse(rev)
			b3, err := Convert(rev, Options{})
			if err != nil {
				t.Fatalf("Convert(reversed) error = %v", err)
			}
			if j3, _ := b3.MarshalJSON(); !bytes.Equal(j1, j3) {
				t.Errorf("Convert(reversed rows) differs from Convert(rows)")
			}
		})
	}
}

// TestEmittedObjectsValid checks every object of every sample: STIX 2.1
// common and per-type required properties (stix.Inspect), references that
// resolve inside the bundle, and patterns that parse and print back
// unchanged. The STIX JSON schemas are not available offline (the stix2
// module fetches them over the network in a build-tagged test), so these
// structural checks stand in for schema validation.
func TestEmittedObjectsValid(t *testing.T) {
	for _, in := range inputs(t) {
		t.Run(filepath.Base(in), func(t *testing.T) {
			b, _ := importFile(t, in, Options{ValidFor: 90 * 24 * 3600e9})
			checkBundle(t, b)
		})
	}
}

func checkBundle(t *testing.T, b stix.Bundle) {
	t.Helper()
	ids := map[string]bool{}
	for _, o := range b.Objects {
		ids[o.ID] = true
	}
	for _, o := range b.Objects {
		meta, err := stix.Inspect(o.JSON)
		if err != nil {
			t.Errorf("Inspect(%s) error = %v", o.ID, err)
			continue
		}
		if meta.ID != o.ID || meta.Type != o.Type {
			t.Errorf("Inspect(%s) = %s/%s, want %s/%s", o.ID, meta.ID, meta.Type, o.ID, o.Type)
		}
		var m object
		if err := json.Unmarshal(o.JSON, &m); err != nil {
			t.Fatalf("object %s: %v", o.ID, err)
		}
		checkRefs(t, m, ids)
		if meta.Type == "indicator" {
			checkPattern(t, meta.Pattern)
		}
	}
}

func checkRefs(t *testing.T, m object, ids map[string]bool) {
	t.Helper()
	refs := []string{m.str("created_by_ref"), m.str("source_ref"), m.str("target_ref")}
	if mr, ok := m["object_marking_refs"].([]any); ok {
		for _, r := range mr {
			refs = append(refs, r.(string))
		}
	}
	for _, r := range refs {
		if r != "" && !ids[r] {
			t.Errorf("%s refers to %s, which is not in the bundle", m.str("id"), r)
		}
	}
}

func checkPattern(t *testing.T, p string) {
	t.Helper()
	expr, err := pattern.Parse(p)
	if err != nil {
		t.Errorf("pattern.Parse(%q) error = %v", p, err)
		return
	}
	if got := expr.String(); got != p {
		t.Errorf("pattern.Parse(%q).String() = %q, want the input", p, got)
	}
}

// TestFormatsAgree reads one IOC from each format and wants the same
// indicator id: SDO ids are keyed on (ioc_type, value), not the source.
func TestFormatsAgree(t *testing.T) {
	inputs := map[Format]string{
		FormatMarkdown: "Malware Family: X Total IOCs: 1 IOC Types: ip:port\n| Type | Value | Threat Type | First Seen | Confidence |\n|---|---|---|---|---|\n| ip:port | 192[.]0[.]2[.]1:80 | botnet_cc | 2026-01-02 | 50% |\n",
		FormatCSV:      "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\"\n\"2026-01-02 00:00:00\", \"9\", \"192.0.2.1:80\", \"ip:port\"\n",
		FormatAPI:      `{"query_status":"ok","data":[{"id":"9","ioc":"192.0.2.1:80","ioc_type":"ip:port","first_seen":"2026-01-02 00:00:00 UTC"}]}`,
		FormatJSON:     `{"9":[{"ioc_value":"192.0.2.1:80","ioc_type":"ip:port","first_seen_utc":"2026-01-02 00:00:00"}]}`,
	}
	want := stix.ID("indicator", "ip:port|192.0.2.1:80")
	for f, in := range inputs {
		t.Run(string(f), func(t *testing.T) {
			b, res, err := Import(bytes.NewReader([]byte(in)), FormatAuto, Options{})
			if err != nil || res.Format != f {
				t.Fatalf("Import() format %s, error %v; want %s, nil", res.Format, err, f)
			}
			if st := b.Stats(); st["indicator"] != 1 || !slices.ContainsFunc(b.Objects, func(o stix.Object) bool { return o.ID == want }) {
				t.Errorf("Import(%s) objects %v, want indicator %s (skipped %v)", f, st, want, res.Skipped)
			}
		})
	}
}

// TestFullSeedDocument reads the whole seed document (prose, KQL lines that
// start with '|', a second Markdown table) and wants exactly the bundle of
// its IOC table alone.
func TestFullSeedDocument(t *testing.T) {
	full, res := importFile(t, filepath.Join(testdata, "seed-full.md"), Options{})
	table, _ := importFile(t, filepath.Join(testdata, "purelogs.md"), Options{})
	a, _ := full.MarshalJSON()
	b, _ := table.MarshalJSON()
	if !bytes.Equal(a, b) || len(res.Skipped)+len(res.Warnings) != 0 {
		t.Errorf("seed-full.md: bundle equal to purelogs.md's = %v, skipped %v, warnings %v", bytes.Equal(a, b), res.Skipped, res.Warnings)
	}
}
