package kql

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stixgate/stixgate/convert/pattern"
)

// ioc is a simple indicator reduced to one listable value.
type ioc struct {
	kind  string // a pack list kind: ip, domain, url, md5, sha1, sha256
	value string // normalised for de-duplication
	port  string // the dropped port of an ip:port indicator, if any
}

var hashKinds = map[string]struct {
	kind string
	n    int
}{
	"file:hashes.MD5": {"md5", 32}, "file:hashes.SHA-1": {"sha1", 40}, "file:hashes.SHA-256": {"sha256", 64},
}

// simpleIOC recognises the patterns a pack lists instead of rendering: one
// observation without qualifiers holding one positive equality on an IP,
// domain, URL or hash, or the network-traffic form (dst_ref.value, with
// optional dst_ref.type and dst_port; the same for src_ref). Anything
// else, including invalid values, is not simple and is rendered
// faithfully.
func simpleIOC(m *Mapping, e pattern.ObsExpr) (ioc, bool) {
	obs, ok := e.(*pattern.Observation)
	if !ok {
		return ioc{}, false
	}
	cmps, ok := conjuncts(obs.Expr, nil)
	if !ok {
		return ioc{}, false
	}
	byKey := make(map[string]pattern.Constant, len(cmps))
	for _, c := range cmps {
		k := m.canonical(c.Path)
		if _, dup := byKey[k]; dup {
			return ioc{}, false
		}
		byKey[k] = c.Value
	}
	if len(byKey) == 1 {
		for k, v := range byKey {
			return singleIOC(k, v)
		}
	}
	return trafficIOC(byKey)
}

// conjuncts flattens an AND of positive equalities.
func conjuncts(e pattern.CompExpr, acc []*pattern.Comparison) ([]*pattern.Comparison, bool) {
	switch e := e.(type) {
	case *pattern.CompBinary:
		if e.Op != pattern.CompAnd {
			return nil, false
		}
		acc, ok := conjuncts(e.Left, acc)
		if !ok {
			return nil, false
		}
		return conjuncts(e.Right, acc)
	case *pattern.Comparison:
		if e.Negated || e.Op != pattern.OpEq || e.Path == nil {
			return nil, false
		}
		return append(acc, e), true
	}
	return nil, false
}

func stringValue(v pattern.Constant) (string, bool) {
	s, ok := v.(*pattern.String)
	if !ok || s.Value == "" || !utf8.ValidString(s.Value) {
		return "", false
	}
	return s.Value, true
}

func singleIOC(key string, v pattern.Constant) (ioc, bool) {
	s, ok := stringValue(v)
	if !ok {
		return ioc{}, false
	}
	switch key {
	case "ipv4-addr:value", "ipv6-addr:value":
		return ipIOC(s, strings.TrimSuffix(key, ":value"))
	case "domain-name:value":
		return ioc{kind: "domain", value: strings.ToLower(s)}, true
	case "url:value":
		return ioc{kind: "url", value: s}, true
	}
	if h, ok := hashKinds[key]; ok && len(s) == h.n && isHex(s) {
		return ioc{kind: h.kind, value: strings.ToLower(s)}, true
	}
	return ioc{}, false
}

// ipIOC accepts a plain address whose family matches the STIX type.
func ipIOC(s, typ string) (ioc, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" || (typ == "ipv4-addr") != a.Is4() {
		return ioc{}, false
	}
	return ioc{kind: "ip", value: a.String()}, true
}

func trafficIOC(byKey map[string]pattern.Constant) (ioc, bool) {
	for _, side := range []string{"dst", "src"} {
		prefix := "network-traffic:" + side
		v, ok := byKey[prefix+"_ref.value"]
		if !ok {
			continue
		}
		addr, ok := stringValue(v)
		if !ok {
			return ioc{}, false
		}
		typ, n := "", 1
		if tv, ok := byKey[prefix+"_ref.type"]; ok {
			n++
			if typ, ok = stringValue(tv); !ok {
				return ioc{}, false
			}
		}
		port, hasPort := portText(byKey[prefix+"_port"])
		if hasPort {
			n++
		}
		if n != len(byKey) {
			return ioc{}, false
		}
		return trafficAddr(addr, typ, port)
	}
	return ioc{}, false
}

func trafficAddr(addr, typ, port string) (ioc, bool) {
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" {
		return ioc{}, false
	}
	if typ != "" && typ != map[bool]string{true: "ipv4-addr", false: "ipv6-addr"}[a.Is4()] {
		return ioc{}, false
	}
	return ioc{kind: "ip", value: a.String(), port: port}, true
}

// portText reads an integer port, or MISP's string port when it is a
// canonical decimal in 0–65535.
func portText(v pattern.Constant) (string, bool) {
	switch v := v.(type) {
	case *pattern.Int:
		if v.Value >= 0 && v.Value <= 65535 {
			return strconv.FormatInt(v.Value, 10), true
		}
	case *pattern.String:
		if n, err := strconv.Atoi(v.Value); err == nil && n >= 0 && n <= 65535 && strconv.Itoa(n) == v.Value {
			return v.Value, true
		}
	}
	return "", false
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(s[i] >= '0' && s[i] <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
