package kql

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var purelogsMeta = Meta{
	Name:        "PureLogs Stealer IOC sweep",
	Description: "Known PureLogs Stealer command-and-control infrastructure from ThreatFox.",
	Tactics:     []string{"CredentialAccess", "CommandAndControl"},
	Techniques:  []string{"T1555", "T1071"},
}

var excludedMeta = Meta{
	Name:        "PureLogs Stealer IOC sweep (purelogs exclusions)",
	Description: purelogsMeta.Description,
	Tactics:     purelogsMeta.Tactics,
	Techniques:  purelogsMeta.Techniques,
}

// TestFormatGoldens writes the seed pack (without and with the purelogs
// exclusion profile) in every format; the .kql files are also checked by
// TestKQLCheckGoldens.
func TestFormatGoldens(t *testing.T) {
	for _, tc := range []struct {
		name    string
		profile *Profile
		meta    Meta
	}{{"purelogs", nil, purelogsMeta}, {"purelogs-excluded", PureLogsProfile(), excludedMeta}} {
		t.Run(tc.name, func(t *testing.T) {
			qs, err := Pack(seedIndicators(t), PackOptions{Options{Exclusions: tc.profile}})
			if err != nil {
				t.Fatalf("Pack = %v", err)
			}
			dir := filepath.Join(kqlDir, "pack")
			for i, q := range qs {
				checkGolden(t, filepath.Join(dir, tc.name+"-"+strconv.Itoa(i+1)+"-"+q.Table+".kql"), q.KQL+"\n")
			}
			var txt, js, yml bytes.Buffer
			if err := WriteText(&txt, qs, tc.meta); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, qs); err != nil {
				t.Fatal(err)
			}
			if err := WriteYAML(&yml, qs, tc.meta); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join(dir, tc.name+".txt"), txt.String())
			checkGolden(t, filepath.Join(dir, tc.name+".json"), js.String())
			checkGolden(t, filepath.Join(dir, tc.name+".yaml"), yml.String())
		})
	}
}

func TestWriteText(t *testing.T) {
	qs, err := Pack(seedIndicators(t), PackOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteText(&b, qs, Meta{Name: "evil\nDnsEvents | take 1"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"// evil DnsEvents | take 1\n",
		"// Table: CommonSecurityLog\n// Data connector: Common Event Format (CEF) (CEF) - ensure it is enabled\n// Note: IOC sweep",
		"ports dropped from ip:port indicators (any port matches): 1011 (indicator--1011), 8030 (indicator--8030)",
		"// Table: DnsEvents\n// Data connector: DNS (DNS) - ensure it is enabled\n",
		qs[1].KQL,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteText output lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	qs, err := Pack(seedIndicators(t), PackOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, qs); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("WriteJSON output does not decode: %v", err)
	}
	if len(got) != 3 || got[2]["table"] != "DnsEvents" || got[2]["connector"] != "DNS" || got[2]["kql"] != qs[2].KQL {
		t.Errorf("WriteJSON = %v", got)
	}
	if ids, ok := got[0]["indicators"].([]any); !ok || len(ids) != 2 {
		t.Errorf("WriteJSON indicators = %v, want two ids", got[0]["indicators"])
	}
}

var uuidV5 = regexp.MustCompile(`(?m)^id: [0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestWriteYAML(t *testing.T) {
	qs, err := Pack(seedIndicators(t), PackOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	meta := purelogsMeta
	meta.Description = "line1\nline2 \"quoted\" \u2028 # not a comment"
	if err := WriteYAML(&a, qs, meta); err != nil {
		t.Fatal(err)
	}
	if err := WriteYAML(&b, qs, meta); err != nil {
		t.Fatal(err)
	}
	out := a.String()
	if out != b.String() {
		t.Error("WriteYAML is not deterministic")
	}
	if n := len(uuidV5.FindAllString(out, -1)); n != 3 {
		t.Errorf("WriteYAML has %d UUIDv5 ids, want 3:\n%s", n, out)
	}
	for _, want := range []string{
		`description: "line1\nline2 \"quoted\" \u2028 # not a comment`,
		"requiredDataConnectors:\n  - connectorId: \"CEF\"\n    dataTypes:\n      - \"CommonSecurityLog\"\n",
		"  - connectorId: \"MicrosoftThreatProtection\"\n    dataTypes:\n      - \"DeviceNetworkEvents\"\n",
		"query: |\n  // Hunt for network connections to known malicious IPs\n  // Source: ThreatFox - PureLogs Stealer\n",
		"  - entityType: \"DNS\"\n    fieldMappings:\n      - identifier: \"DomainName\"\n        columnName: \"Name\"\n",
		"\n---\nid: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteYAML output lacks %q:\n%s", want, out)
		}
	}
}

// TestUUID5 checks the RFC 9562 appendix example (DNS namespace,
// "www.example.com").
func TestUUID5(t *testing.T) {
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got, want := uuid5(dns, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2"; got != want {
		t.Errorf("uuid5(DNS, www.example.com) = %s, want %s", got, want)
	}
}
