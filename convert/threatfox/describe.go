package threatfox

import (
	"strconv"
	"strings"

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
func indicatorName(r *Row) string {
	th := threatOf(r.ThreatType)
	if r.Malware == "" {
		return th.short + ": " + r.Value
	}
	return r.Malware + " " + th.short + ": " + r.Value
}

// indicatorDescription is what an analyst reads in a SIEM: what the value
// is, which family, the threat, the port, when and how sure. last_seen is
// left out on purpose: it changes daily and would make every re-import a
// new version.
func indicatorDescription(r *Row) string {
	var b strings.Builder
	b.Grow(256 + 2*len(r.Value) + len(r.Reference))
	th := threatOf(r.ThreatType)
	b.WriteString("ThreatFox ")
	b.WriteString(iocNoun[r.IOCType])
	b.WriteByte(' ')
	b.WriteString(r.Value)
	if r.Malware != "" {
		b.WriteString(" of malware family ")
		b.WriteString(r.Malware)
	}
	b.WriteString(": " + th.long + " (" + orDash(r.ThreatType) + ").")
	if r.IOCType == "ip:port" {
		b.WriteString(" IP " + r.AddrPort.Addr().String() + ", destination port " + strconv.Itoa(int(r.AddrPort.Port())) + ".")
	}
	b.WriteString(" First seen ")
	b.WriteString(r.FirstSeen.Format("2006-01-02 15:04:05 UTC"))
	if r.HasConfidence {
		b.WriteString(", confidence " + strconv.Itoa(r.Confidence) + "%")
	}
	b.WriteByte('.')
	if len(r.Aliases) > 0 {
		b.WriteString(" Aliases: " + strings.Join(r.Aliases, ", ") + ".")
	}
	if len(r.Tags) > 0 {
		b.WriteString(" Tags: " + strings.Join(r.Tags, ", ") + ".")
	}
	if r.Compromised {
		b.WriteString(" The host is a compromised legitimate site.")
	}
	if r.Reference != "" {
		b.WriteString(" Reference: " + r.Reference)
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// labels are the threat type, the family name (Sentinel drops malware
// objects, so the family must travel on the indicator) and the tags.
func labels(r *Row) []string {
	var in []string
	if r.ThreatType != "" {
		in = append(in, r.ThreatType)
	}
	if r.Malware != "" {
		in = append(in, r.Malware)
	}
	return cleanList(append(in, r.Tags...), "")
}

func externalRefs(r *Row) []stix.ExternalRef {
	var refs []stix.ExternalRef
	if r.SourceID != "" {
		refs = append(refs, stix.ExternalRef{Source: "ThreatFox", ExternalID: r.SourceID,
			URL: "https://threatfox.abuse.ch/ioc/" + r.SourceID + "/"})
	}
	if r.Reference != "" {
		refs = append(refs, stix.ExternalRef{Source: "ThreatFox reference", URL: r.Reference})
	}
	return refs
}
