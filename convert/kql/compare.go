package kql

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/stixgate/stixgate/convert/pattern"
)

// comp renders a comparison expression for one table. Both sides of AND/OR
// are always rendered, so a refusal does not depend on evaluation order.
func (r *renderer) comp(e pattern.CompExpr, t *Table) (cond, error) {
	switch e := e.(type) {
	case *pattern.CompBinary:
		l, err := r.comp(e.Left, t)
		if err != nil {
			return never, err
		}
		rc, err := r.comp(e.Right, t)
		if err != nil {
			return never, err
		}
		if e.Op == pattern.CompAnd {
			return andCond(l, rc), nil
		}
		return orCond(l, rc), nil
	case *pattern.Comparison:
		return r.comparison(e, t)
	case *pattern.Exists:
		return r.exists(e, t), nil
	}
	return never, fmt.Errorf("kql: unknown comparison node %T", e)
}

// test is one rendered column test; neg is its direct negative form when
// KQL has one (== → !=), else empty and the caller writes not(...).
type test struct {
	expr, neg string
}

// comparison renders "path [NOT] op value" over every column the table maps
// the path to. Positive tests are OR-ed over the columns ("some column
// matches"). Negative tests (NOT, !=) use the analyst reading: at least one
// column present and no column matches (doc.go, "multi-column paths").
func (r *renderer) comparison(c *pattern.Comparison, t *Table) (cond, error) {
	refs := t.Paths[r.m.canonical(c.Path)]
	if len(refs) == 0 {
		return never, nil
	}
	op, neg := c.Op, c.Negated
	if op == pattern.OpNe {
		op, neg = pattern.OpEq, !neg
	}
	var tests []test
	var present []string
	for _, ref := range refs {
		present = append(present, presence(ref.Column, ref.typ))
		tst, ok, err := r.columnTest(op, ref, c)
		if err != nil {
			return never, err
		}
		if ok {
			tests = append(tests, tst)
		}
	}
	if !neg {
		if len(tests) == 0 {
			return never, nil
		}
		return leafCond(join(kwOr, exprs(tests))), nil
	}
	return leafCond(negated(present, tests)), nil
}

func exprs(ts []test) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.expr
	}
	return out
}

// negated keeps STIX's "absent is false" with an existence guard: KQL's
// != is true on an empty column, STIX's is not.
func negated(present []string, tests []test) string {
	guard := join(kwOr, present)
	switch {
	case len(tests) == 0:
		return guard
	case len(tests) == 1 && len(present) == 1 && tests[0].neg != "":
		return paren(guard + " " + kwAnd + " " + tests[0].neg)
	}
	return paren(guard + " " + kwAnd + " " + notExpr(join(kwOr, exprs(tests))))
}

// exists renders [NOT] EXISTS. A table without the path cannot hold the
// object at all, so both forms are false there (doc.go).
func (r *renderer) exists(e *pattern.Exists, t *Table) cond {
	refs := t.Paths[r.m.canonical(e.Path)]
	if len(refs) == 0 {
		return never
	}
	parts := make([]string, len(refs))
	for i, ref := range refs {
		if e.Negated {
			parts[i] = absence(ref.Column, ref.typ)
		} else {
			parts[i] = presence(ref.Column, ref.typ)
		}
	}
	if e.Negated {
		return leafCond(join(kwAnd, parts))
	}
	return leafCond(join(kwOr, parts))
}

// columnTest renders the positive form of one operator on one column. ok is
// false when the constant can never match this column (an IP column tested
// for a non-IP object type).
func (r *renderer) columnTest(op pattern.Operator, ref ColumnRef, c *pattern.Comparison) (test, bool, error) {
	if ref.Kind == "ip_family" {
		return ipFamilyTest(op, ref, c)
	}
	switch op {
	case pattern.OpEq:
		return r.eqTest(ref, c)
	case pattern.OpLt, pattern.OpLe, pattern.OpGt, pattern.OpGe:
		return r.ordTest(op, ref, c)
	case pattern.OpIn:
		return r.inTest(ref, c)
	case pattern.OpLike:
		return likeTest(ref, c)
	case pattern.OpMatches:
		return matchesTest(ref, c)
	case pattern.OpIsSubset, pattern.OpIsSuperset:
		return ipRangeTest(op, ref, c)
	}
	return test{}, false, unsupported("operator", c.OpPos, "unknown operator %d", op)
}

func (r *renderer) eqTest(ref ColumnRef, c *pattern.Comparison) (test, bool, error) {
	if s, ok := c.Value.(*pattern.String); ok && ref.Kind == "ip" && strings.Contains(s.Value, "/") {
		return cidrEqTest(ref, s)
	}
	lit, err := r.scalar(ref, c.Value, c)
	if err != nil {
		return test{}, false, err
	}
	op := opEq
	if ignoreCase(ref, c.Value) {
		op = opEqCI
	}
	return test{binop(ref.Column, op, lit), binop(ref.Column, negations[op], lit)}, true, nil
}

// ignoreCase reports whether equality on this column ignores case: the
// mapping says so, or the column holds IP addresses and a value is IPv6
// text (hex digits in either case).
func ignoreCase(ref ColumnRef, values ...pattern.Constant) bool {
	if ref.typ != "string" {
		return false
	}
	if ref.Case == "ci" {
		return true
	}
	for _, v := range values {
		if s, ok := v.(*pattern.String); ok && ref.Kind == "ip" && strings.Contains(s.Value, ":") {
			return true
		}
	}
	return false
}

// cidrEqTest handles an address value written in CIDR form (STIX allows
// ipv4-addr:value = '203.0.113.33/32'). Log columns hold single addresses:
// a host prefix equals its address, a wider network equals no row.
func cidrEqTest(ref ColumnRef, s *pattern.String) (test, bool, error) {
	p, err := netip.ParsePrefix(s.Value)
	if err != nil || p.Bits() != p.Addr().BitLen() {
		return test{}, false, nil
	}
	lit, err := quoted(p.Addr().String(), s.ValuePos)
	if err != nil {
		return test{}, false, err
	}
	op := opEq
	if ignoreCase(ref, s) {
		op = opEqCI
	}
	return test{binop(ref.Column, op, lit), binop(ref.Column, negations[op], lit)}, true, nil
}

var ordOps = map[pattern.Operator]string{pattern.OpLt: "<", pattern.OpLe: "<=", pattern.OpGt: ">", pattern.OpGe: ">="}

func (r *renderer) ordTest(op pattern.Operator, ref ColumnRef, c *pattern.Comparison) (test, bool, error) {
	if ref.typ == "bool" {
		return test{}, false, unsupported("type mismatch", c.OpPos, "%s is not orderable (boolean column %s)", c.Path, ref.Column)
	}
	lit, err := r.scalar(ref, c.Value, c)
	if err != nil {
		return test{}, false, err
	}
	if ref.typ == "string" {
		return test{expr: strcmpExpr(ref.Column, ordOps[op], lit)}, true, nil
	}
	return test{expr: binop(ref.Column, ordOps[op], lit)}, true, nil
}

func (r *renderer) inTest(ref ColumnRef, c *pattern.Comparison) (test, bool, error) {
	set, ok := c.Value.(*pattern.Set)
	if !ok {
		return test{}, false, unsupported("type mismatch", c.OpPos, "IN needs a set, got %s", c.Value)
	}
	items := make([]string, 0, len(set.Members))
	for _, v := range set.Members {
		lit, err := r.scalar(ref, v, c)
		if err != nil {
			return test{}, false, err
		}
		items = appendUnique(items, lit)
	}
	if len(items) == 0 {
		return test{}, false, nil // IN () matches nothing
	}
	op := opIn
	if ignoreCase(ref, set.Members...) {
		op = opInCI
	}
	return test{binop(ref.Column, op, listLit(items)), binop(ref.Column, negations[op], listLit(items))}, true, nil
}

// scalar converts a non-set constant to a literal of the column's type.
// The one coercion: a string holding a canonical decimal integer on an
// integer column (MISP writes dst_port as '8080'); doc.go documents it and
// the query carries a note.
func (r *renderer) scalar(ref ColumnRef, v pattern.Constant, c *pattern.Comparison) (string, error) {
	switch v := v.(type) {
	case *pattern.String:
		if ref.typ == "string" {
			return quoted(v.Value, v.ValuePos)
		}
		if n, err := strconv.ParseInt(v.Value, 10, 32); err == nil && (ref.typ == "int" || ref.typ == "long") && strconv.FormatInt(n, 10) == v.Value {
			r.notes = appendUnique(r.notes, fmt.Sprintf("string constant '%s' on integer column %s compared as the integer %d", v.Value, ref.Column, n))
			return intLit(n), nil
		}
	case *pattern.Int:
		if ref.typ == "int" || ref.typ == "long" || ref.typ == "real" {
			return intLit(v.Value), nil
		}
	case *pattern.Float:
		if ref.typ == "int" || ref.typ == "long" || ref.typ == "real" {
			return realLit(v.Value), nil
		}
	case *pattern.Bool:
		if ref.typ == "bool" {
			return boolLit(v.Value), nil
		}
	case *pattern.Timestamp:
		if ref.typ == "datetime" {
			return datetimeLit(v.Value), nil
		}
	case *pattern.Set:
		return "", unsupported("type mismatch", c.OpPos, "a set is only valid with IN")
	}
	return "", unsupported("type mismatch", c.OpPos, "%s is held in %s column %s; constant %s never matches it", c.Path, ref.typ, ref.Column, v)
}

// quoted wraps quoteString's error as a refusal of the constant.
func quoted(s string, pos pattern.Pos) (string, error) {
	q, err := quoteString(s)
	if err != nil {
		return "", unsupported("constant", pos, "%v", err)
	}
	return q, nil
}

// ipFamilyTest renders network-traffic:dst_ref.type = 'ipv4-addr' (MISP's
// form) as "the address column holds an IPv4 address". Any other object
// type cannot be held in an IP column, so it is false on this table.
func ipFamilyTest(op pattern.Operator, ref ColumnRef, c *pattern.Comparison) (test, bool, error) {
	s, ok := c.Value.(*pattern.String)
	if op != pattern.OpEq || !ok {
		return test{}, false, unsupported("type mismatch", c.OpPos, "%s supports only = and != with an object type name", c.Path)
	}
	switch s.Value {
	case "ipv4-addr":
		return test{expr: ipFamily(ref.Column, false)}, true, nil
	case "ipv6-addr":
		return test{expr: ipFamily(ref.Column, true)}, true, nil
	}
	return test{}, false, nil
}
