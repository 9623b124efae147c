package kql

import (
	"strconv"
	"testing"

	"github.com/stixgate/stixgate/convert/pattern"
)

var simpleIOCPatterns = []string{
	`[ipv4-addr:value = '198.51.100.7']`,
	`[domain-name:value = 'webdot.ddns.net']`,
	`[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '20.81.43.36' AND network-traffic:dst_port = 1011]`,
	`[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']`,
	`[url:value = 'http://x.example/path?q=1']`,
}

// BenchmarkParseRender parses and renders simple IOC patterns for one
// table, as the HTTP endpoint does per indicator.
func BenchmarkParseRender(b *testing.B) {
	opts := []Options{{Tables: []string{"DeviceNetworkEvents"}}, {Tables: []string{"DnsEvents"}}, {Tables: []string{"DeviceNetworkEvents"}}, {Tables: []string{"DeviceFileEvents"}}, {Tables: []string{"DeviceNetworkEvents"}}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i % len(simpleIOCPatterns)
		e, err := pattern.Parse(simpleIOCPatterns[k])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Render(e, opts[k]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseRenderAllTables renders each pattern for every table that
// can carry it.
func BenchmarkParseRenderAllTables(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e, err := pattern.Parse(simpleIOCPatterns[i%len(simpleIOCPatterns)])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Render(e, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPack10k builds a pack from 10,000 parsed indicators (IPs with
// ports, domains and hashes).
func BenchmarkPack10k(b *testing.B) {
	inds := make([]Indicator, 10000)
	for i := range inds {
		var src string
		switch i % 3 {
		case 0:
			src = "[network-traffic:dst_ref.value = '10." + strconv.Itoa(i>>16&255) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255) + "' AND network-traffic:dst_port = " + strconv.Itoa(1024+i%1000) + "]"
		case 1:
			src = "[domain-name:value = 'host" + strconv.Itoa(i) + ".example.com']"
		default:
			src = "[file:hashes.MD5 = '" + strconv.Itoa(10000000+i) + "000000000000000000000000'" + "]"
		}
		e, err := pattern.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		inds[i] = Indicator{ID: "indicator--" + strconv.Itoa(i), Source: "bench", Pattern: e}
	}
	b.ReportAllocs()
	for b.Loop() {
		qs, err := Pack(inds, PackOptions{})
		if err != nil || len(qs) < 3 {
			b.Fatalf("Pack = %d queries, %v", len(qs), err)
		}
	}
}
