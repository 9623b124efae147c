package threatfox

import (
	"fmt"

	"github.com/stixgate/stixgate/convert/pattern"
)

// hashKeys are the STIX hash-algorithm-ov names (STIX 2.1 §10.7). SHA3-384
// is not in the vocabulary, which is open, so it is used as is.
var hashKeys = map[string]string{
	"md5_hash": "MD5", "sha1_hash": "SHA-1", "sha256_hash": "SHA-256", "sha3_384_hash": "SHA3-384",
}

// patternTmpl is one ioc_type's pattern AST, built once per Convert with
// the pattern package's constructors. Only the constants change per row,
// so a row costs one print, not a tree: the printer still does all quoting
// and escaping (', \). Printed patterns are parse-checked in the tests
// (checkPattern), not per row.
type patternTmpl struct {
	obs  *pattern.Observation
	val  *pattern.String // the value, or the address for ip:port
	typ  *pattern.String // ip:port only: ipv4-addr or ipv6-addr
	port *pattern.Int    // ip:port only
}

// patterns caches one template per ioc_type for one Convert call; it is
// not safe for concurrent use.
type patterns map[string]*patternTmpl

// build returns the indicator pattern for a normalised row; addr is the
// row's address text for ip:port.
func (ps patterns) build(r *Row, addr string) (string, error) {
	t, ok := ps[r.IOCType]
	if !ok {
		var err error
		if t, err = newPatternTmpl(r.IOCType); err != nil {
			return "", err
		}
		ps[r.IOCType] = t
	}
	t.val.Value = r.Value
	if t.port != nil {
		t.val.Value = addr
		t.typ.Value = "ipv4-addr"
		if r.AddrPort.Addr().Is6() {
			t.typ.Value = "ipv6-addr"
		}
		t.port.Value = int64(r.AddrPort.Port())
	}
	return t.obs.String(), nil
}

func newPatternTmpl(iocType string) (*patternTmpl, error) {
	t := &patternTmpl{val: &pattern.String{}}
	var p *pattern.ObjectPath
	switch iocType {
	case "ip:port":
		return ipPortTmpl(t), nil
	case "domain":
		p = pattern.NewPath("domain-name", "value")
	case "url":
		p = pattern.NewPath("url", "value")
	case "envelope_from", "body_from":
		p = pattern.NewPath("email-addr", "value")
	default:
		key, ok := hashKeys[iocType]
		if !ok {
			return nil, fmt.Errorf("threatfox: no pattern for ioc_type %q", iocType)
		}
		p = pattern.NewPath("file", "hashes", key)
	}
	t.obs = pattern.Observe(pattern.Compare(p, pattern.OpEq, t.val))
	return t, nil
}

// ipPortTmpl is the network-traffic form of issue 2: the address type, the
// address and an integer port, all on the one network-traffic object.
func ipPortTmpl(t *patternTmpl) *patternTmpl {
	t.typ, t.port = &pattern.String{}, &pattern.Int{}
	t.obs = pattern.Observe(pattern.AllOf(
		pattern.Compare(pattern.NewPath("network-traffic", "dst_ref", "type"), pattern.OpEq, t.typ),
		pattern.Compare(pattern.NewPath("network-traffic", "dst_ref", "value"), pattern.OpEq, t.val),
		pattern.Compare(pattern.NewPath("network-traffic", "dst_port"), pattern.OpEq, t.port),
	))
	return t
}
