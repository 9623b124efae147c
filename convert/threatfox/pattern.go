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

// buildPattern returns the indicator pattern for a normalised row, built as
// an AST and printed by the pattern package so that quoting and escaping
// (', \) follow the grammar.
func buildPattern(r *Row) (string, error) {
	var expr pattern.CompExpr
	switch r.IOCType {
	case "ip:port":
		expr = ipPortExpr(r)
	case "domain":
		expr = eq(path("domain-name", "value"), str(r.Value))
	case "url":
		expr = eq(path("url", "value"), str(r.Value))
	case "envelope_from", "body_from":
		expr = eq(path("email-addr", "value"), str(r.Value))
	default:
		key, ok := hashKeys[r.IOCType]
		if !ok {
			return "", fmt.Errorf("threatfox: no pattern for ioc_type %q", r.IOCType)
		}
		expr = eq(path("file", "hashes", key), str(r.Value))
	}
	return (&pattern.Observation{Expr: expr}).String(), nil
}

// ipPortExpr is the network-traffic form of issue 2: the address type, the
// address and an integer port, all on the one network-traffic object.
func ipPortExpr(r *Row) pattern.CompExpr {
	addrType := "ipv4-addr"
	if r.AddrPort.Addr().Is6() {
		addrType = "ipv6-addr"
	}
	typ := eq(path("network-traffic", "dst_ref", "type"), str(addrType))
	val := eq(path("network-traffic", "dst_ref", "value"), str(r.AddrPort.Addr().String()))
	port := eq(path("network-traffic", "dst_port"), &pattern.Int{Value: int64(r.AddrPort.Port())})
	return and(and(typ, val), port)
}

func path(objType string, keys ...string) *pattern.ObjectPath {
	steps := make([]pattern.Step, len(keys))
	for i, k := range keys {
		steps[i] = pattern.Step{Kind: pattern.StepKey, Key: k}
	}
	return &pattern.ObjectPath{ObjectType: objType, Steps: steps}
}

func eq(p *pattern.ObjectPath, v pattern.Constant) *pattern.Comparison {
	return &pattern.Comparison{Path: p, Op: pattern.OpEq, Value: v}
}

func str(s string) *pattern.String { return &pattern.String{Value: s} }

func and(l, r pattern.CompExpr) *pattern.CompBinary {
	return &pattern.CompBinary{Op: pattern.CompAnd, Left: l, Right: r}
}
