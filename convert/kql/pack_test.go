package kql

import (
	"errors"
	"os"
	"strings"
	"testing"
)

const seedFile = "../../testdata/seed/purelogs.txt"

// seedHunts extracts the KQL hunts from the seed document: each starts at a
// "//" comment line that follows a non-comment line and ends at its
// "| order by" line.
func seedHunts(tb testing.TB) []string {
	tb.Helper()
	b, err := os.ReadFile(seedFile)
	if err != nil {
		tb.Fatal(err)
	}
	var hunts []string
	var cur []string
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "//") && (len(cur) == 0 || !strings.HasPrefix(cur[len(cur)-1], "//")):
			cur = []string{line}
		case len(cur) > 0:
			cur = append(cur, line)
			if strings.HasPrefix(line, "| order by") {
				hunts = append(hunts, strings.Join(cur, "\n"))
				cur = nil
			}
		}
	}
	if len(hunts) != 3 {
		tb.Fatalf("found %d hunts in %s, want 3", len(hunts), seedFile)
	}
	return hunts
}

func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

// seedIndicators are the seed's three IOCs as stixgate's ThreatFox importer
// writes them in MISP's form (threatfox.md §4.1).
func seedIndicators(tb testing.TB) []Indicator {
	tb.Helper()
	const src = "ThreatFox - PureLogs Stealer"
	return []Indicator{
		{ID: "indicator--1011", Source: src, Pattern: mustParse(tb, `[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '20.81.43.36' AND network-traffic:dst_port = 1011]`)},
		{ID: "indicator--8030", Source: src, Pattern: mustParse(tb, `[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '20.81.43.36' AND network-traffic:dst_port = 8030]`)},
		{ID: "indicator--webdot", Source: src, Pattern: mustParse(tb, `[domain-name:value = 'webdot.ddns.net']`)},
	}
}

// TestPackSeed: the pack for the seed's IOCs is exactly the seed's hunts.
func TestPackSeed(t *testing.T) {
	want := seedHunts(t)
	qs, err := Pack(seedIndicators(t), PackOptions{})
	if err != nil {
		t.Fatalf("Pack = %v", err)
	}
	if len(qs) != len(want) {
		t.Fatalf("Pack = %d queries, want %d", len(qs), len(want))
	}
	for i, q := range qs {
		if normalise(q.KQL) != normalise(want[i]) {
			t.Errorf("Pack query %d =\n%s\nwant the seed hunt\n%s", i, q.KQL, want[i])
		}
	}
	if got := qs[0].Indicators; strings.Join(got, ",") != "indicator--1011,indicator--8030" {
		t.Errorf("Pack query 0 indicators = %q", got)
	}
	notes := strings.Join(qs[0].Notes, "\n")
	for _, w := range []string{"IOC sweep", "1011 (indicator--1011)", "8030 (indicator--8030)"} {
		if !strings.Contains(notes, w) {
			t.Errorf("Pack query 0 notes = %q, want %q named", notes, w)
		}
	}
	if !strings.Contains(strings.Join(qs[2].Notes, "\n"), "sub-domains") {
		t.Errorf("Pack DnsEvents notes = %q, want the has_any widening named", qs[2].Notes)
	}
}

func TestPackGrouping(t *testing.T) {
	inds := []Indicator{
		{ID: "a", Pattern: mustParse(t, `[ipv4-addr:value = '198.51.100.2']`)},
		{ID: "b", Pattern: mustParse(t, `[ipv4-addr:value = '198.51.100.1']`)},
		{ID: "c", Pattern: mustParse(t, `[network-traffic:dst_ref.value = '198.51.100.2' AND network-traffic:dst_port = '443']`)},
		{ID: "d", Pattern: mustParse(t, `[file:hashes.SHA1 = 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709']`)},
		{ID: "e", Pattern: mustParse(t, `[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']`)},
		{ID: "f", Pattern: mustParse(t, `[url:value = 'http://x.example/a"b']`)},
	}
	qs, err := Pack(inds, PackOptions{})
	if err != nil {
		t.Fatalf("Pack = %v", err)
	}
	byTable := map[string]Query{}
	for _, q := range qs {
		byTable[q.Table] = q
	}
	csl := byTable["CommonSecurityLog"].KQL
	for _, want := range []string{
		`let malicious_ips = dynamic(["198.51.100.2", "198.51.100.1"]);`,
		`let malicious_urls = dynamic(["http://x.example/a\"b"]);`,
		`| where DestinationIP in (malicious_ips) or SourceIP in (malicious_ips) or RequestURL in (malicious_urls)`,
	} {
		if !strings.Contains(csl, want) {
			t.Errorf("CommonSecurityLog pack =\n%s\nwant %s", csl, want)
		}
	}
	dfe := byTable["DeviceFileEvents"]
	if !strings.Contains(dfe.KQL, `let malicious_sha1 = dynamic(["da39a3ee5e6b4b0d3255bfef95601890afd80709"]);`) || strings.Join(dfe.Indicators, ",") != "d,e" {
		t.Errorf("DeviceFileEvents pack = %+v, want one de-duplicated SHA-1 from d and e", dfe)
	}
	var all []string
	for _, q := range qs {
		all = append(all, q.KQL)
	}
	runKQLCheck(t, all)
}

// TestPackFaithfulAndRefused: patterns that are not simple IOCs are rendered
// faithfully as their own queries, and refusals are reported, never dropped.
func TestPackFaithfulAndRefused(t *testing.T) {
	inds := []Indicator{
		{ID: "ip", Pattern: mustParse(t, `[ipv4-addr:value = '198.51.100.1']`)},
		{ID: "like", Name: "screensaver\ndropper", Source: "feed", Pattern: mustParse(t, `[file:name LIKE '%.scr']`)},
		{ID: "seq", Pattern: mustParse(t, `([file:name = 'a'] AND [file:name = 'b'] AND [file:name = 'c']) WITHIN 5 SECONDS`)},
		{ID: "nil"},
	}
	qs, err := Pack(inds, PackOptions{Options{Tables: []string{"DeviceNetworkEvents", "DeviceFileEvents"}}})
	var pe *PackError
	if !errors.As(err, &pe) || len(pe.Refused) != 2 || pe.Refused[0].ID != "seq" || pe.Refused[1].ID != "nil" {
		t.Fatalf("Pack error = %v, want a *PackError refusing seq and nil", err)
	}
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Construct != "WITHIN" {
		t.Errorf("errors.As(Pack error, *UnsupportedError) = %v, want the WITHIN refusal", ue)
	}
	if len(qs) != 2 || qs[0].Table != "DeviceNetworkEvents" || qs[1].Table != "DeviceFileEvents" || qs[1].Indicators[0] != "like" {
		t.Fatalf("Pack = %+v, want the IP hunt then the faithful LIKE query", qs)
	}
	if !strings.Contains(qs[1].KQL, `FileName endswith_cs ".scr"`) || !strings.HasPrefix(qs[1].KQL, "// Indicator: screensaver dropper\n// Source: feed\nDeviceFileEvents\n") {
		t.Errorf("faithful query = %s", qs[1].KQL)
	}
}

// TestPackUnhunted: simple IOCs that no selected table hunts are refused,
// not silently left out.
func TestPackUnhunted(t *testing.T) {
	qs, err := Pack(seedIndicators(t), PackOptions{Options{Tables: []string{"DnsEvents"}}})
	var pe *PackError
	if !errors.As(err, &pe) || len(pe.Refused) != 2 || pe.Refused[0].ID != "indicator--1011" {
		t.Fatalf("Pack(DnsEvents only) error = %v, want the two ip:port indicators refused", err)
	}
	if len(qs) != 1 || qs[0].Table != "DnsEvents" {
		t.Errorf("Pack(DnsEvents only) = %+v, want the DnsEvents hunt", qs)
	}
}

func TestPackExclusions(t *testing.T) {
	qs, err := Pack(seedIndicators(t), PackOptions{Options{Exclusions: PureLogsProfile()}})
	if err != nil {
		t.Fatalf("Pack = %v", err)
	}
	dne := qs[1].KQL
	for _, want := range []string{
		"// exclusion profile: purelogs",
		`| where InitiatingProcessFileName !in~ ("purelogs-collector", "purelogs-agent", "logstash", "compliance_report_generator", "audit_log_export", "app_monitoring", "log_analyzer")`,
		`| where InitiatingProcessAccountName !in~ ("admin_user", "siem_transfer")`,
		`| where not(coalesce(ipv4_is_in_any_range(LocalIP, dynamic(["192.0.2.0/24", "198.51.100.0/24"])), false))`,
		`| where not(coalesce(ipv6_is_in_any_range(LocalIP, dynamic(["2001:db8::/32"])), false))`,
		`| where not(dayofweek(Timestamp) in (0d) and ((Timestamp - startofday(Timestamp)) >= 2h and (Timestamp - startofday(Timestamp)) < 4h))`,
	} {
		if !strings.Contains(dne, want) {
			t.Errorf("DeviceNetworkEvents pack with profile =\n%s\nwant %s", dne, want)
		}
	}
	if strings.Contains(qs[2].KQL, "InitiatingProcess") || !strings.Contains(qs[2].KQL, "ClientIP") {
		t.Errorf("DnsEvents pack = %s, want only the columns DnsEvents has", qs[2].KQL)
	}
	var all []string
	for _, q := range qs {
		all = append(all, q.KQL)
	}
	runKQLCheck(t, all)
}
