package kql

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/stixgate/stixgate/convert/pattern"
)

func stringOperand(ref ColumnRef, c *pattern.Comparison, construct string) (*pattern.String, error) {
	s, ok := c.Value.(*pattern.String)
	if !ok {
		return nil, unsupported(construct, c.OpPos, "%s needs a string constant, got %s", construct, c.Value)
	}
	if ref.typ != "string" {
		return nil, unsupported("type mismatch", c.OpPos, "%s on %s column %s", construct, ref.typ, ref.Column)
	}
	return s, nil
}

// likeTest renders STIX LIKE (whole-value SQL LIKE, case-sensitive): the
// case-sensitive string operators when the pattern allows, otherwise an
// anchored RE2 with every metacharacter escaped.
func likeTest(ref ColumnRef, c *pattern.Comparison) (test, bool, error) {
	s, err := stringOperand(ref, c, "LIKE")
	if err != nil {
		return test{}, false, err
	}
	op, operand := likeShortcut(s.Value)
	if op == "" {
		op, operand = opMatchesRegex, likeRegex(s.Value)
		if _, err := regexp.Compile(operand); err != nil {
			return test{}, false, unsupported("LIKE", c.OpPos, "derived regex does not compile: %v", err)
		}
	}
	lit, err := quoted(operand, s.ValuePos)
	if err != nil {
		return test{}, false, err
	}
	t := test{expr: binop(ref.Column, op, lit)}
	if neg, ok := likeNegations[op]; ok {
		t.neg = binop(ref.Column, neg, lit)
	}
	return t, true, nil
}

var likeNegations = map[string]string{
	opEq: opNe, opStartsWithCS: "!" + opStartsWithCS, opEndsWithCS: "!" + opEndsWithCS, opContainsCS: "!" + opContainsCS,
}

// likeShortcut returns the KQL operator for LIKE patterns with no wildcard
// or only a leading and/or trailing %, or "" when a regex is needed.
func likeShortcut(p string) (op, operand string) {
	inner := strings.TrimSuffix(strings.TrimPrefix(p, "%"), "%")
	lead, trail := strings.HasPrefix(p, "%"), len(p) > 1 && strings.HasSuffix(p, "%")
	if inner == "" || strings.ContainsAny(inner, "%_") {
		if !strings.ContainsAny(p, "%_") {
			return opEq, p // LIKE '' is equality with the empty string
		}
		return "", ""
	}
	switch {
	case lead && trail:
		return opContainsCS, inner
	case lead:
		return opEndsWithCS, inner
	case trail:
		return opStartsWithCS, inner
	}
	return opEq, inner
}

// likeRegex turns a LIKE pattern into an anchored DOTALL RE2.
func likeRegex(p string) string {
	var b strings.Builder
	b.WriteString("(?s)^")
	for _, r := range p {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return b.String()
}

// matchesTest renders STIX MATCHES (PCRE search, DOTALL) as KQL matches
// regex (RE2 search) with a (?s) prefix, refusing PCRE-only syntax.
func matchesTest(ref ColumnRef, c *pattern.Comparison) (test, bool, error) {
	s, err := stringOperand(ref, c, "MATCHES")
	if err != nil {
		return test{}, false, err
	}
	if reason := pcreOnly(s.Value); reason != "" {
		return test{}, false, unsupported("MATCHES", s.ValuePos, "%s is not RE2 syntax", reason)
	}
	re := "(?s)" + s.Value
	if _, err := regexp.Compile(re); err != nil {
		return test{}, false, unsupported("MATCHES", s.ValuePos, "not an RE2 regular expression: %v", err)
	}
	lit, err := quoted(re, s.ValuePos)
	if err != nil {
		return test{}, false, err
	}
	return test{expr: binop(ref.Column, opMatchesRegex, lit)}, true, nil
}

// pcreOnly names the first PCRE construct RE2 lacks: look-around, atomic
// groups, conditionals, recursion, back-references and possessive
// quantifiers. Go's regexp would reject most of them too; checking first
// gives a precise reason and does not depend on Go accepting a superset.
func pcreOnly(re string) string {
	inClass := false
	for i := 0; i < len(re); i++ {
		c := re[i]
		switch {
		case c == '\\' && i+1 < len(re):
			if n := re[i+1]; !inClass && (n >= '1' && n <= '9' || n == 'g' || n == 'k') {
				return "back-reference \\" + string(n)
			}
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
			if strings.HasPrefix(re[i+1:], "^]") {
				i += 2
			} else if strings.HasPrefix(re[i+1:], "]") {
				i++
			}
		case c == '(' && strings.HasPrefix(re[i+1:], "?"):
			if r := groupReason(re[i+2:]); r != "" {
				return r
			}
		case strings.IndexByte("*+?}", c) >= 0 && i+1 < len(re) && re[i+1] == '+':
			return "possessive quantifier " + re[i:i+2]
		}
	}
	return ""
}

func groupReason(rest string) string {
	prefixes := []struct{ p, name string }{
		{"=", "look-ahead (?="}, {"!", "negative look-ahead (?!"}, {"<=", "look-behind (?<="},
		{"<!", "negative look-behind (?<!"}, {">", "atomic group (?>"}, {"(", "conditional (?("},
		{"R", "recursion (?R"}, {"&", "subroutine call (?&"}, {"P>", "subroutine call (?P>"}, {"|", "branch reset (?|"},
	}
	for _, x := range prefixes {
		if strings.HasPrefix(rest, x.p) {
			return x.name
		}
	}
	if rest != "" && (rest[0] >= '0' && rest[0] <= '9' || rest[0] == '+' || rest[0] == '-' && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9') {
		return "recursion (?" + rest[:1]
	}
	return ""
}

// ipRangeTest renders ISSUBSET (the address lies in the CIDR) and
// ISSUPERSET (the column's value contains the CIDR: for a single-address
// column only a /32 or /128 can be contained, which is equality).
func ipRangeTest(op pattern.Operator, ref ColumnRef, c *pattern.Comparison) (test, bool, error) {
	construct := op.String()
	s, err := stringOperand(ref, c, construct)
	if err != nil {
		return test{}, false, err
	}
	if ref.Kind != "ip" {
		return test{}, false, unsupported(construct, c.OpPos, "column %s does not hold IP addresses", ref.Column)
	}
	p, err := parseCIDR(s.Value)
	if err != nil {
		return test{}, false, unsupported(construct, s.ValuePos, "%q is not a CIDR: %v", s.Value, err)
	}
	full := p.Bits() == p.Addr().BitLen()
	if op == pattern.OpIsSuperset {
		if !full {
			return test{}, false, unsupported(construct, c.OpPos, "single-address column %s cannot contain %s", ref.Column, s.Value)
		}
		lit, _ := quoteString(p.Addr().String())
		return test{binop(ref.Column, opEqCI, lit), binop(ref.Column, opNeCI, lit)}, true, nil
	}
	lit, _ := quoteString(p.String())
	return test{expr: ipInRange(ref.Column, p.Addr().Is6(), lit)}, true, nil
}

// parseCIDR accepts "addr/bits" or a bare address (a /32 or /128).
func parseCIDR(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	return netip.ParsePrefix(s)
}
