package threatfox

import (
	"fmt"
	"net/mail"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"
)

// raw is a row as a reader found it: strings, still defanged or padded.
// Every reader fills one and hands it to collector.add, so validation and
// normalisation live in one place.
type raw struct {
	line        int
	id          string
	value       string
	iocType     string
	threatType  string
	malwareID   string
	malware     string
	aliases     []string
	firstSeen   string
	lastSeen    string
	confidence  string
	tags        []string
	compromised string
	reference   string
	reporter    string
}

// collector accumulates a Result.
type collector struct {
	res Result
}

func (c *collector) skip(line int, value, format string, args ...any) {
	c.res.Skipped = append(c.res.Skipped, Skip{Line: line, Reason: fmt.Sprintf(format, args...), Value: clip(value)})
}

func (c *collector) warn(line int, value, format string, args ...any) {
	c.res.Warnings = append(c.res.Warnings, Skip{Line: line, Reason: fmt.Sprintf(format, args...), Value: clip(value)})
}

func (c *collector) unknown(typ, value string) {
	if c.res.Unknown == nil {
		c.res.Unknown = make(map[string]UnknownType)
	}
	u := c.res.Unknown[typ]
	u.Count++
	if len(u.Examples) < 3 && !contains(u.Examples, clip(value)) {
		u.Examples = append(u.Examples, clip(value))
	}
	c.res.Unknown[typ] = u
}

// add validates r and appends a Row, a Skip or an Unknown count.
func (c *collector) add(r raw) {
	typ := strings.TrimSpace(r.iocType)
	if !knownType(typ) {
		typ = strings.ToLower(typ)
	}
	if !utf8.ValidString(r.value) || strings.IndexByte(r.value, 0) >= 0 {
		c.skip(r.line, r.value, "value is not valid UTF-8 text")
		return
	}
	if !knownType(typ) {
		if typ == "" {
			c.skip(r.line, r.value, "missing ioc_type")
			return
		}
		c.unknown(typ, strings.TrimSpace(r.value))
		return
	}
	row, err := normalise(r, typ)
	if err != nil {
		c.skip(r.line, r.value, "%v", err)
		return
	}
	c.res.Rows = append(c.res.Rows, row)
}

func normalise(r raw, typ string) (Row, error) {
	row := Row{Line: r.line, IOCType: typ, SourceID: absent(r.id), Reporter: absent(r.reporter)}
	var err error
	if row.Value, row.AddrPort, err = normValue(typ, r.value); err != nil {
		return Row{}, err
	}
	if row.FirstSeen, err = parseTime("first_seen", r.firstSeen, true); err != nil {
		return Row{}, err
	}
	if row.LastSeen, err = parseTime("last_seen", r.lastSeen, false); err != nil {
		return Row{}, err
	}
	if row.Confidence, row.HasConfidence, err = parseConfidence(r.confidence); err != nil {
		return Row{}, err
	}
	if row.Compromised, err = parseBool("is_compromised", r.compromised); err != nil {
		return Row{}, err
	}
	row.ThreatType = absent(r.threatType)
	if _, ok := threats[row.ThreatType]; !ok {
		row.ThreatType = strings.ToLower(row.ThreatType)
	}
	row.MalwareID, row.Malware = family(r.malwareID, r.malware)
	row.Aliases = cleanList(r.aliases, row.Malware)
	row.Tags = cleanList(r.tags, "")
	row.Reference = absent(r.reference)
	return row, nil
}

func knownType(typ string) bool {
	switch typ {
	case "ip:port", "domain", "url", "md5_hash", "sha1_hash", "sha256_hash", "sha3_384_hash", "envelope_from", "body_from":
		return true
	}
	return false
}

var hashLen = map[string]int{"md5_hash": 32, "sha1_hash": 40, "sha256_hash": 64, "sha3_384_hash": 96}

func normValue(typ, v string) (string, netip.AddrPort, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", netip.AddrPort{}, fmt.Errorf("empty %s value", typ)
	}
	if n, ok := hashLen[typ]; ok {
		h, err := normHash(typ, v, n)
		return h, netip.AddrPort{}, err
	}
	// Every non-hash value is refanged, in every format: the API and exports
	// carry plain values, so this is a no-op there, and a defanged value that
	// slipped through would otherwise pass as a URL with scheme "hxxp".
	v = refang(v)
	switch typ {
	case "ip:port":
		ap, err := parseIPPort(v)
		return ap.String(), ap, err
	case "domain":
		d, err := normDomain(v)
		return d, netip.AddrPort{}, err
	case "url":
		u, err := checkURL(v)
		return u, netip.AddrPort{}, err
	}
	a, err := normEmail(typ, v)
	return a, netip.AddrPort{}, err
}

func normHash(typ, v string, n int) (string, error) {
	if len(v) != n {
		return "", fmt.Errorf("%s must be %d hex digits, got %d characters", typ, n, len(v))
	}
	for i := 0; i < len(v); i++ {
		if !isHexDigit(v[i]) {
			return "", fmt.Errorf("%s has a non-hex character %q at offset %d", typ, v[i], i)
		}
	}
	return strings.ToLower(v), nil
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// parseIPPort splits on the last colon, so that unbracketed IPv6 works, and
// strips brackets around the address.
func parseIPPort(v string) (netip.AddrPort, error) {
	i := strings.LastIndexByte(v, ':')
	if i < 0 {
		return netip.AddrPort{}, fmt.Errorf("ip:port %q has no port", v)
	}
	host, port := v[:i], v[i+1:]
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || addr.Zone() != "" {
		return netip.AddrPort{}, fmt.Errorf("ip:port %q: %q is not an IP address", v, host)
	}
	p, err := strconv.ParseUint(port, 10, 32)
	if err != nil || p < 1 || p > 65535 {
		return netip.AddrPort{}, fmt.Errorf("ip:port %q: port %q is not in 1-65535", v, port)
	}
	return netip.AddrPortFrom(addr.Unmap(), uint16(p)), nil
}

// normDomain lower-cases (DNS is case-insensitive) and checks RFC 1123
// label syntax, allowing '_' as real-world hostnames do. Non-ASCII names
// must arrive as punycode (xn--…).
func normDomain(v string) (string, error) {
	d := strings.TrimSuffix(strings.ToLower(v), ".")
	if len(d) > 253 || !strings.Contains(d, ".") {
		return "", fmt.Errorf("domain %q is not a fully qualified name", v)
	}
	for rest, l := d, ""; rest != ""; {
		l, rest, _ = strings.Cut(rest, ".")
		if err := checkLabel(l); err != nil {
			return "", fmt.Errorf("domain %q: %w", v, err)
		}
	}
	if tld := d[strings.LastIndexByte(d, '.')+1:]; allDigits(tld) {
		if _, err := strconv.Atoi(tld); err == nil { // a failed Atoi allocates: digits only
			return "", fmt.Errorf("domain %q has a numeric top-level label", v)
		}
	}
	return d, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func checkLabel(l string) error {
	if l == "" || len(l) > 63 {
		return fmt.Errorf("label %q must be 1-63 characters", l)
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return fmt.Errorf("label %q starts or ends with '-'", l)
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if c >= 0x80 {
			return fmt.Errorf("label %q is not ASCII (internationalised names must be punycode, xn--…)", l)
		}
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' {
			return fmt.Errorf("label %q has character %q", l, c)
		}
	}
	return nil
}

// checkURL wants scheme://host…, with no whitespace or control characters.
// The value is kept as written: URL paths are case-sensitive and
// percent-encoding is significant.
func checkURL(v string) (string, error) {
	scheme, rest, ok := strings.Cut(v, "://")
	if !ok || scheme == "" || rest == "" || rest[0] == '/' {
		return "", fmt.Errorf("url %q has no scheme://host", v)
	}
	for i := 0; i < len(scheme); i++ {
		c := scheme[i] | 0x20
		if (c < 'a' || c > 'z') && (i == 0 || !strings.ContainsRune("0123456789+.-", rune(scheme[i]))) {
			return "", fmt.Errorf("url %q has an invalid scheme", v)
		}
	}
	for _, r := range v {
		if r <= ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return "", fmt.Errorf("url %q contains whitespace or a control character", v)
		}
	}
	return v, nil
}

// normEmail accepts a bare address or "Name <addr>" and keeps the address,
// lower-casing its domain part only (local parts may be case-sensitive).
func normEmail(typ, v string) (string, error) {
	a, err := mail.ParseAddress(v)
	if err != nil {
		return "", fmt.Errorf("%s %q is not an email address", typ, v)
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at < 0 {
		return "", fmt.Errorf("%s %q is not an email address", typ, v)
	}
	return a.Address[:at+1] + strings.ToLower(a.Address[at+1:]), nil
}
