package pattern

import (
	"net/netip"
	"strconv"
	"strings"
)

// hashLength gives the hex length of the fixed-size digests in
// hash-algorithm-ov, plus the 224- and 384-bit SHA-2/SHA-3 names that
// feeds use (ThreatFox's sha3_384_hash). SSDEEP, TLSH and unknown names
// are not plain hex digests of known size and are not checked.
func hashLength(alg string) int {
	switch alg {
	case "MD5":
		return 32
	case "SHA-1":
		return 40
	case "SHA-224", "SHA3-224":
		return 56
	case "SHA-256", "SHA3-256":
		return 64
	case "SHA-384", "SHA3-384":
		return 96
	case "SHA-512", "SHA3-512":
		return 128
	}
	return 0
}

// hashPath returns the algorithm and hex length when p ends in
// hashes.<algorithm>, e.g. file:hashes.'SHA-256' or
// artifact:hashes.MD5.
func hashPath(p *ObjectPath) (string, int) {
	n := len(p.Steps)
	if n < 2 || p.Steps[n-2].Kind != StepKey || p.Steps[n-2].Key != "hashes" || p.Steps[n-1].Kind != StepKey {
		return "", 0
	}
	alg := p.Steps[n-1].Key
	return alg, hashLength(alg)
}

func (v *validator) hashValue(alg string, want int, c Constant) {
	if s, ok := c.(*Set); ok {
		for _, m := range s.Members {
			v.hashValue(alg, want, m)
		}
		return
	}
	s, ok := c.(*String)
	if !ok {
		v.fail(c.Position(), alg+" hash value must be a string")
		return
	}
	if len(s.Value) != want || !allHex(s.Value) {
		v.fail(s.ValuePos, "invalid "+alg+" hash "+Quote(s.Value)+": want "+strconv.Itoa(want)+" hex digits")
	}
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return true
}

// ipPath reports whether p names an IP address value: ipv4-addr:value,
// ipv6-addr:value, or a reference dereferenced to .value such as
// network-traffic:dst_ref.value or domain-name:resolves_to_refs[*].value.
func ipPath(p *ObjectPath) bool {
	n := len(p.Steps)
	if n == 0 || p.Steps[n-1].Kind != StepKey || p.Steps[n-1].Key != "value" {
		return false
	}
	if n == 1 {
		return p.ObjectType == "ipv4-addr" || p.ObjectType == "ipv6-addr"
	}
	for i := n - 2; i >= 0; i-- {
		if s := p.Steps[i]; s.Kind == StepKey {
			return strings.HasSuffix(s.Key, "_ref") || strings.HasSuffix(s.Key, "_refs")
		}
	}
	return false
}

// cidr checks ISSUBSET/ISSUPERSET: an IP path and an address or CIDR of
// the path's family (when the object type fixes one).
func (v *validator) cidr(c *Comparison) {
	if !ipPath(c.Path) {
		v.fail(c.OpPos, c.Op.String()+" needs an IP address path such as ipv4-addr:value, found "+c.Path.String())
		return
	}
	s, _ := c.Value.(*String) // the parser only accepts a string here
	if s == nil {
		return
	}
	prefix, err := netip.ParsePrefix(s.Value)
	if err != nil {
		addr, aerr := netip.ParseAddr(s.Value)
		if aerr != nil || addr.Zone() != "" {
			v.fail(s.ValuePos, c.Op.String()+" needs an IP address or CIDR, found "+Quote(s.Value))
			return
		}
		prefix = netip.PrefixFrom(addr, addr.BitLen())
	}
	is4 := prefix.Addr().Is4()
	if (c.Path.ObjectType == "ipv4-addr" && !is4) || (c.Path.ObjectType == "ipv6-addr" && is4) {
		v.fail(s.ValuePos, Quote(s.Value)+" is not an address of "+c.Path.ObjectType)
	}
}

// uniformType reports whether every comparison in e names one object type:
// the common case, which needs no set arithmetic or allocation.
func uniformType(e CompExpr) bool {
	_, ok := singleType(e)
	return ok
}

func singleType(e CompExpr) (string, bool) {
	switch e := e.(type) {
	case *Comparison:
		return e.Path.ObjectType, true
	case *Exists:
		return e.Path.ObjectType, true
	case *CompBinary:
		l, lok := singleType(e.Left)
		r, rok := singleType(e.Right)
		return l, lok && rok && l == r
	}
	return "", false
}

// maxObjectTypes bounds the distinct object types in one observation so
// that the same-object check runs on one machine word per node: without a
// bound, hostile input with thousands of types makes it quadratic.
const maxObjectTypes = 64

// sameObject enforces §9.5: every comparison in one observation must be
// satisfiable by the same object, so an AND whose operands can only hold on
// different object types is invalid. OR may mix types. An operand's
// possible types are its own type (a test), the union of its operands (OR)
// or their intersection (AND), kept as a bit set over types, numbered in
// order of appearance.
func (v *validator) sameObject(e CompExpr, types *[]string) uint64 {
	if v.err != nil {
		return 0
	}
	switch e := e.(type) {
	case *Comparison:
		return v.typeBit(e.Path, types)
	case *Exists:
		return v.typeBit(e.Path, types)
	case *CompBinary:
		l := v.sameObject(e.Left, types)
		r := v.sameObject(e.Right, types)
		if e.Op == CompOr {
			return l | r
		}
		if l&r == 0 && l != 0 && r != 0 {
			v.fail(e.OpPos, "AND inside one observation needs one object type, found "+
				typeNames(l, *types)+" and "+typeNames(r, *types))
		}
		return l & r
	}
	return 0
}

func (v *validator) typeBit(p *ObjectPath, types *[]string) uint64 {
	for i, t := range *types {
		if t == p.ObjectType {
			return 1 << i
		}
	}
	if len(*types) == maxObjectTypes {
		v.fail(p.TypePos, "more than "+strconv.Itoa(maxObjectTypes)+" object types in one observation")
		return 0
	}
	*types = append(*types, p.ObjectType)
	return 1 << (len(*types) - 1)
}

// typeNames lists the types in set, in order of appearance, joined by "|".
func typeNames(set uint64, types []string) string {
	var names []string
	for i, t := range types {
		if set&(1<<i) != 0 {
			names = append(names, t)
		}
	}
	return strings.Join(names, "|")
}
