package threatfox

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// csv100k builds a 15-column export with n rows cycling through the IOC
// types, 50 families and unique values.
func csv100k(n int) []byte {
	var b bytes.Buffer
	b.WriteString("# ThreatFox IOCs: full data dump (CSV)\n")
	b.WriteString(`# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags","anonymous","reporter"` + "\n")
	for i := 0; i < n; i++ {
		var value, typ, threat string
		switch i % 4 {
		case 0:
			value, typ, threat = fmt.Sprintf("10.%d.%d.%d:%d", i>>16&255, i>>8&255, i&255, 1+i%65535), "ip:port", "botnet_cc"
		case 1:
			value, typ, threat = fmt.Sprintf("c2-%d.example", i), "domain", "botnet_cc"
		case 2:
			value, typ, threat = fmt.Sprintf("http://dl-%d.example/p/it's%%20%d.exe", i, i), "url", "payload_delivery"
		default:
			value, typ, threat = fmt.Sprintf("%064x", i), "sha256_hash", "payload"
		}
		fam := i % 50
		fmt.Fprintf(&b, `"2026-06-%02d %02d:%02d:%02d", "%d", "%s", "%s", "%s", "win.fam%d", "Alias%d", "Family %d", "", "%d", "False", "None", "tag%d,c2", "0", "abuse_ch"`+"\n",
			1+i%28, i%24, i%60, i%60, 100000+i, value, typ, threat, fam, fam, fam, i%101, i%7)
	}
	return b.Bytes()
}

// reportRates adds rows/s (wall) and rows/cpu-s for n rows per iteration.
func reportRates(b *testing.B, n int, cpu time.Duration) {
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "rows/cpu-s")
}

// BenchmarkImportCSV100k reads, converts and marshals 100k CSV rows (issue
// 2's throughput target: ≥ 100k rows per CPU-second).
func BenchmarkImportCSV100k(b *testing.B) {
	const n = 100_000
	data := csv100k(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	for i := 0; i < b.N; i++ {
		bundle, res, err := Import(bytes.NewReader(data), FormatCSV, Options{})
		if err != nil || len(res.Rows) != n || len(res.Skipped) != 0 {
			b.Fatalf("Import() rows %d, skipped %v, error %v", len(res.Rows), res.Skipped[:min(3, len(res.Skipped))], err)
		}
		if _, err := bundle.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
	reportRates(b, n, cpuTime(b)-start)
}

// BenchmarkConvert100k is Convert alone, on rows read once.
func BenchmarkConvert100k(b *testing.B) {
	const n = 100_000
	res, err := Read(bytes.NewReader(csv100k(n)), FormatCSV)
	if err != nil || len(res.Rows) != n {
		b.Fatalf("Read() rows %d, error %v", len(res.Rows), err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	for i := 0; i < b.N; i++ {
		if _, err := Convert(res.Rows, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	reportRates(b, n, cpuTime(b)-start)
}

// BenchmarkReadCSV100k is Read alone.
func BenchmarkReadCSV100k(b *testing.B) {
	const n = 100_000
	data := csv100k(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	for i := 0; i < b.N; i++ {
		if res, err := Read(bytes.NewReader(data), FormatCSV); err != nil || len(res.Rows) != n {
			b.Fatalf("Read() rows %d, error %v", len(res.Rows), err)
		}
	}
	reportRates(b, n, cpuTime(b)-start)
}
