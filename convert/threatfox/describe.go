package threatfox

import (
	"strconv"

	"github.com/stixgate/stixgate/convert/stix"
)

// threat describes one ThreatFox threat_type for the mapper.
type threat struct {
	short   string // for the indicator name
	long    string // for the description
	malware string // malware_types entry (OpenCTI's heuristic), "" for none
	phases  []stix.KillChainPhase
}

// Kill chains used in kill_chain_phases.
const (
	mitre    = "mitre-attack"
	lockheed = "lockheed-martin-cyber-kill-chain"
)

// threats maps threat_type to names and kill-chain phases. The phases are a
// stixgate decision: C2 servers are command-and-control in both chains;
// payload delivery is how a victim is first reached (initial-access /
// delivery); a payload hash is the executed sample (execution /
// installation); skimmers collect card data (collection /
// actions-on-objectives). malware_config gets none.
var threats = map[string]threat{
	"botnet_cc": {"C2 server", "botnet command-and-control server", "bot",
		[]stix.KillChainPhase{{KillChain: lockheed, Phase: "command-and-control"}, {KillChain: mitre, Phase: "command-and-control"}}},
	"payload_delivery": {"payload delivery", "malware distribution (payload delivery) host", "dropper",
		[]stix.KillChainPhase{{KillChain: lockheed, Phase: "delivery"}, {KillChain: mitre, Phase: "initial-access"}}},
	"payload": {"payload", "malware sample (payload)", "",
		[]stix.KillChainPhase{{KillChain: lockheed, Phase: "installation"}, {KillChain: mitre, Phase: "execution"}}},
	"cc_skimming": {"card skimming", "credit card skimming infrastructure", "spyware",
		[]stix.KillChainPhase{{KillChain: lockheed, Phase: "actions-on-objectives"}, {KillChain: mitre, Phase: "collection"}}},
	"malware_config": {"malware config", "malware configuration", "", nil},
}

func threatOf(t string) threat {
	if th, ok := threats[t]; ok {
		return th
	}
	if t == "" {
		return threat{short: "IOC", long: "indicator of unknown threat type"}
	}
	return threat{short: t, long: "threat type " + t}
}

// iocNoun names the kind of value in descriptions.
var iocNoun = map[string]string{
	"ip:port": "IP address and port", "domain": "domain", "url": "URL", "md5_hash": "MD5 file hash",
	"sha1_hash": "SHA-1 file hash", "sha256_hash": "SHA-256 file hash", "sha3_384_hash": "SHA3-384 file hash",
	"envelope_from": "email envelope sender", "body_from": "email From address",
}

// indicatorName is short: "<family> <threat>: <value>".
func indicatorName(r *Row, th threat) string {
	if r.Malware == "" {
		return th.short + ": " + r.Value
	}
	return r.Malware + " " + th.short + ": " + r.Value
}

// description is what an analyst reads in a SIEM: what the value is, which
// family, the threat, the port, when and how sure. last_seen is left out on
// purpose: it changes daily and would make every re-import a new version.
// It is appended into the mapper's scratch buffer: one allocation per row.
func (m *mapper) description(r *Row, th threat, addr string) string {
	b := append(m.desc[:0], "ThreatFox "...)
	b = append(append(append(b, iocNoun[r.IOCType]...), ' '), r.Value...)
	if r.Malware != "" {
		b = append(append(b, " of malware family "...), r.Malware...)
	}
	b = append(append(append(append(b, ": "...), th.long...), " ("...), orDash(r.ThreatType)...)
	b = append(b, ")."...)
	if r.IOCType == "ip:port" {
		b = append(append(append(b, " IP "...), addr...), ", destination port "...)
		b = append(strconv.AppendUint(b, uint64(r.AddrPort.Port()), 10), '.')
	}
	b = r.FirstSeen.AppendFormat(append(b, " First seen "...), "2006-01-02 15:04:05 UTC")
	if r.HasConfidence {
		b = append(strconv.AppendInt(append(b, ", confidence "...), int64(r.Confidence), 10), '%')
	}
	b = append(b, '.')
	b = appendList(b, " Aliases: ", r.Aliases)
	b = appendList(b, " Tags: ", r.Tags)
	if r.Compromised {
		b = append(b, " The host is a compromised legitimate site."...)
	}
	if r.Reference != "" {
		b = append(append(b, " Reference: "...), r.Reference...)
	}
	m.desc = b
	return string(b)
}

// appendList writes " Head: a, b." when list is not empty.
func appendList(b []byte, head string, list []string) []byte {
	if len(list) == 0 {
		return b
	}
	b = append(b, head...)
	for i, v := range list {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, v...)
	}
	return append(b, '.')
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// labels are the threat type, the family name (Sentinel drops malware
// objects, so the family must travel on the indicator) and the tags:
// trimmed, without null-likes and case-insensitive duplicates, in that
// order. They are appended to dst[:0]: the mapper reuses one slice, since
// the Builder encodes the labels before the next row.
func labels(dst []string, r *Row) []string {
	out := dst[:0]
	add := func(v string) {
		if v = absent(v); v != "" && !containsFold(out, v) {
			out = append(out, v)
		}
	}
	add(r.ThreatType)
	add(r.Malware)
	for _, t := range r.Tags {
		add(t)
	}
	return out
}

// noIDRef is the provenance of an IOC whose ThreatFox id the input did not
// carry (report tables like the seed). STIX 2.1 §2.5 needs source_name plus
// a description, url or external_id. A description is used, not the
// ThreatFox home page as url: a url suggests a page about this IOC, which
// does not exist, and consumers that key external references on their url
// would merge every such reference into one. The source_name alone is what
// consumers cite (kql.IndicatorsFromSTIX: "ThreatFox - <family>").
var noIDRef = stix.ExternalRef{Source: "ThreatFox",
	Description: "abuse.ch ThreatFox IOC; the input gave no ThreatFox IOC id"}

// externalRefs always starts with the ThreatFox reference: the IOC page
// when the id is known, noIDRef otherwise; then the reporter's reference.
// Like labels, they go to the mapper's reused slice.
func (m *mapper) externalRefs(r *Row) []stix.ExternalRef {
	refs := append(m.refs[:0], noIDRef)
	if r.SourceID != "" {
		refs[0] = stix.ExternalRef{Source: "ThreatFox", ExternalID: r.SourceID,
			URL: "https://threatfox.abuse.ch/ioc/" + r.SourceID + "/"}
	}
	if r.Reference != "" {
		refs = append(refs, stix.ExternalRef{Source: "ThreatFox reference", URL: r.Reference})
	}
	m.refs = refs
	return refs
}
