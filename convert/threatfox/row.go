package threatfox

import (
	"net/netip"
	"time"
)

// Row is one ThreatFox IOC, normalised the same way whatever format it was
// read from (threatfox.md §1.6). The mapper never sees format differences.
// Rows from one Read may share the backing arrays of Aliases and Tags
// (repeated fields are split once); treat them as read-only. Their
// capacity is clipped, so append copies.
type Row struct {
	Line          int            // 1-based line of the row (or of the JSON record) in the input
	SourceID      string         // ThreatFox IOC id, "" when unknown (report tables)
	IOCType       string         // ip:port, domain, url, md5_hash, sha1_hash, sha256_hash, sha3_384_hash, envelope_from, body_from
	Value         string         // normalised value: refanged, hashes and domains lower-cased, ip:port canonical
	AddrPort      netip.AddrPort // set for ip:port
	ThreatType    string         // botnet_cc, payload_delivery, payload, cc_skimming, malware_config, …
	MalwareID     string         // Malpedia-style id (win.dridex); "" when unknown
	Malware       string         // printable family name; "" when the row has no family
	Aliases       []string       // family aliases, without the family name itself
	FirstSeen     time.Time      // UTC
	LastSeen      time.Time      // UTC, zero when absent
	Confidence    int            // 0–100, meaningful when HasConfidence
	HasConfidence bool
	Tags          []string
	Compromised   bool
	Reference     string
	Reporter      string
}

// Format names an input format.
type Format string

// Input formats. FormatAuto sniffs the first bytes of the input.
const (
	FormatAuto     Format = "auto"
	FormatMarkdown Format = "markdown"       // report tables like the PureLogs seed
	FormatAPI      Format = "threatfox-api"  // API response {"query_status":…,"data":[…]}
	FormatCSV      Format = "threatfox-csv"  // CSV export, 14 or 15 columns
	FormatJSON     Format = "threatfox-json" // JSON export keyed by IOC id
)

// ParseFormat accepts the Format names; "" means FormatAuto.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case "", FormatAuto:
		return FormatAuto, nil
	case FormatMarkdown, FormatAPI, FormatCSV, FormatJSON:
		return f, nil
	}
	return "", &FormatError{Name: s}
}

// FormatError reports an unknown format name.
type FormatError struct{ Name string }

// Error prints the unknown name and the accepted ones.
func (e *FormatError) Error() string {
	return "threatfox: unknown format " + quote(e.Name) + " (want auto, markdown, threatfox-api, threatfox-csv or threatfox-json)"
}

// Skip is a row (or the whole input, Line 0) that was not converted.
type Skip struct {
	Line   int
	Reason string
	Value  string // the offending value, truncated to 200 bytes
}

// UnknownType counts rows whose ioc_type stixgate does not map.
type UnknownType struct {
	Count    int
	Examples []string // up to three distinct values
}

// Result is what a reader produced.
type Result struct {
	Rows     []Row
	Skipped  []Skip
	Warnings []Skip // input-level inconsistencies that skip nothing, e.g. a wrong "Total IOCs"
	Unknown  map[string]UnknownType
	Format   Format // the format actually read
}
