package threatfox

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stixgate/stixgate/convert/stix"
)

func TestOptions(t *testing.T) {
	res, err := Read(strings.NewReader(mustReadString(t, "purelogs.md")), FormatAuto)
	if err != nil {
		t.Fatal(err)
	}
	epoch := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b, err := Convert(res.Rows, Options{Producer: "ACME CTI", TLP: stix.TLPAmber, ValidFor: 30 * 24 * time.Hour, Epoch: epoch})
	if err != nil {
		t.Fatalf("Convert() error = %v", err)
	}
	_, objs := decodeBundle(t, b)
	amber, _ := stix.TLPAmber.MarkingID()
	idn := byType(objs, "identity")
	if len(idn) != 1 || idn[0].str("name") != "ACME CTI" || idn[0].str("id") != stix.ID("identity", "ACME CTI") || idn[0].str("created") != "2024-01-01T00:00:00.000Z" {
		t.Errorf("identity = %v, want ACME CTI created 2024-01-01", idn)
	}
	for _, o := range objs {
		if o.str("type") == "marking-definition" {
			if o.str("id") != amber {
				t.Errorf("marking = %s, want %s", o.str("id"), amber)
			}
			continue
		}
		if refs, _ := o["object_marking_refs"].([]any); len(refs) != 1 || refs[0] != amber {
			t.Errorf("%s object_marking_refs = %v, want [%s]", o.str("id"), o["object_marking_refs"], amber)
		}
	}
	for _, ind := range byType(objs, "indicator") {
		if ind.str("valid_until") != "2026-07-08T00:00:00.000Z" || ind.str("created_by_ref") != stix.ID("identity", "ACME CTI") {
			t.Errorf("indicator valid_until %q created_by_ref %q", ind.str("valid_until"), ind.str("created_by_ref"))
		}
	}
	if _, err := Convert(res.Rows, Options{TLP: "purple"}); !errors.Is(err, stix.ErrInvalid) {
		t.Errorf("Convert(TLP purple) error = %v, want stix.ErrInvalid", err)
	}
}

func TestDuplicatesEarliestWins(t *testing.T) {
	at := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	rows := []Row{
		{IOCType: "domain", Value: "a.example", FirstSeen: at(5), Malware: "Late", ThreatType: "botnet_cc"},
		{IOCType: "domain", Value: "a.example", FirstSeen: at(2), Malware: "Early", ThreatType: "botnet_cc"},
		{IOCType: "domain", Value: "a.example", FirstSeen: at(2), Malware: "Tie", ThreatType: "botnet_cc"},
	}
	b, err := Convert(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, objs := decodeBundle(t, b)
	inds := byType(objs, "indicator")
	if len(inds) != 1 || inds[0].str("valid_from") != "2026-01-02T00:00:00.000Z" || !strings.HasPrefix(inds[0].str("name"), "Early ") {
		t.Errorf("indicators = %v, want one from the 2026-01-02 'Early' row", inds)
	}
	if mal := byType(objs, "malware"); len(mal) != 1 || mal[0].str("name") != "Early" {
		t.Errorf("malware = %v, want only Early", mal)
	}
}

func TestNoFamily(t *testing.T) {
	rows := []Row{{IOCType: "domain", Value: "a.example", FirstSeen: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
	b, err := Convert(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st := b.Stats(); st["malware"] != 0 || st["relationship"] != 0 || st["indicator"] != 1 {
		t.Errorf("Stats() = %v, want one indicator and no malware or relationship", st)
	}
}

func mustReadString(tb testing.TB, name string) string {
	tb.Helper()
	return string(mustRead(tb, testdata+"/"+name))
}
