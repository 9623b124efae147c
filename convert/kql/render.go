package kql

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/stixgate/stixgate/convert/pattern"
)

// Options control Render and the faithful part of Pack.
type Options struct {
	// Tables restricts rendering to these tables or ASIM functions (by
	// name, e.g. "DnsEvents", "_Im_Dns"); nil means every mapped table that
	// can carry the pattern.
	Tables []string
	// Lookback adds "let lookback = …;" and "| where <time> > ago(lookback)".
	// Zero adds no time filter at all (Sentinel's time picker applies).
	Lookback time.Duration
	// Project overrides a table's projection (table name → columns). The
	// columns must be declared for the table in the mapping and include
	// its order-by column.
	Project map[string][]string
	// Exclusions, when set, adds the profile's filters to every table that
	// has a matching column.
	Exclusions *Profile
	// Mapping replaces the embedded mapping (tests, custom deployments).
	Mapping *Mapping
}

// Query is one KQL query for one table (or, for observation AND, one query
// over the union of several tables).
type Query struct {
	Table       string   `json:"table"`     // table or ASIM function; "A, B" for a union
	Connector   string   `json:"connector"` // Sentinel data connector the table needs
	ConnectorID string   `json:"-"`         // requiredDataConnectors id; empty for ASIM
	KQL         string   `json:"kql"`
	Indicators  []string `json:"indicators,omitempty"` // indicator ids the query covers
	Notes       []string `json:"notes,omitempty"`      // deliberate widenings and coercions
	tables      []*Table
}

// renderer holds per-call state; the mapping itself is shared and immutable.
type renderer struct {
	m      *Mapping
	opts   Options
	tables []*Table
	notes  []string
}

func newRenderer(opts Options) (*renderer, error) {
	m := opts.Mapping
	if m == nil {
		var err error
		if m, err = DefaultMapping(); err != nil {
			return nil, err
		}
	}
	r := &renderer{m: m, opts: opts, tables: m.Tables}
	if opts.Tables != nil {
		r.tables = nil
		for _, name := range opts.Tables {
			t := m.Table(name)
			if t == nil {
				return nil, fmt.Errorf("kql: unknown table %q", name)
			}
			r.tables = append(r.tables, t)
		}
	}
	if opts.Lookback < 0 {
		return nil, fmt.Errorf("kql: negative lookback %s", opts.Lookback)
	}
	if err := opts.Exclusions.Validate(); err != nil {
		return nil, err
	}
	return r, r.checkProjections()
}

func (r *renderer) checkProjections() error {
	for name, cols := range r.opts.Project {
		t := r.m.Table(name)
		if t == nil {
			return fmt.Errorf("kql: project: unknown table %q", name)
		}
		if err := t.checkColumns(cols); err != nil {
			return fmt.Errorf("kql: project %s: %w", name, err)
		}
		if !contains(cols, t.OrderBy) {
			return fmt.Errorf("kql: project %s: must include order-by column %s", name, t.OrderBy)
		}
	}
	return nil
}

// Render turns a parsed pattern into one query per table that can hold its
// observables. It returns *UnsupportedError (use errors.As) for anything it
// cannot render faithfully, and a plain error for bad options.
func Render(expr pattern.ObsExpr, opts Options) ([]Query, error) {
	if expr == nil {
		return nil, errors.New("kql: nil pattern")
	}
	r, err := newRenderer(opts)
	if err != nil {
		return nil, err
	}
	if err := r.precheck(expr, false, true); err != nil {
		return nil, err
	}
	if w, ok := topWithin(expr, nil); ok {
		return r.renderWindowed(expr, w)
	}
	if ops, ok := followedOperands(expr, nil); ok {
		return r.renderFollowedBy(ops)
	}
	ops := andOperands(expr, nil, 1)
	for _, op := range ops {
		if multiRow(op.expr) {
			return r.renderNested(expr)
		}
	}
	if len(ops) > 1 || ops[0].min > 1 {
		return r.renderAnd(expr, ops)
	}
	return r.renderRows(expr, ops[0])
}

// operand is one row-level observation expression with the START/STOP
// windows that qualify it from outside and the number of distinct rows it
// must match (REPEATS multiplies it).
type operand struct {
	expr    pattern.ObsExpr
	windows []*pattern.StartStop
	min     int64
}

// andOperands flattens top-level observation AND and REPEATS (through
// START/STOP qualifiers, which distribute over the observations they
// qualify). "x REPEATS n TIMES" is x AND-ed with itself n-1 more times on
// different observations, so it multiplies the row count of every operand
// of x.
func andOperands(e pattern.ObsExpr, windows []*pattern.StartStop, min int64) []operand {
	switch e := e.(type) {
	case *pattern.Qualified:
		switch q := e.Qualifier.(type) {
		case *pattern.StartStop:
			if multiRow(e.Expr) {
				return andOperands(e.Expr, append(windows[:len(windows):len(windows)], q), min)
			}
		case *pattern.Repeats:
			return andOperands(e.Expr, windows, mulSat(min, q.Times))
		}
	case *pattern.ObsBinary:
		if e.Op == pattern.ObsAnd {
			return append(andOperands(e.Left, windows, min), andOperands(e.Right, windows, min)...)
		}
	}
	return []operand{{expr: e, windows: windows, min: min}}
}

// multiRow reports whether e needs more than one row anywhere inside: an
// observation AND, FOLLOWEDBY or REPEATS, also below OR and qualifiers.
// WITHIN alone does not: one observation lies within any span of itself.
func multiRow(e pattern.ObsExpr) bool {
	switch e := e.(type) {
	case *pattern.Qualified:
		if _, ok := e.Qualifier.(*pattern.Repeats); ok {
			return true
		}
		return multiRow(e.Expr)
	case *pattern.ObsBinary:
		return e.Op != pattern.ObsOr || multiRow(e.Left) || multiRow(e.Right)
	}
	return false
}

// mulSat multiplies row counts, saturating instead of overflowing: no table
// holds 2^63 rows, so the saturated count is as unreachable as the real one.
func mulSat(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}

// precheck refuses table-independent constructs first, so the error does
// not depend on which tables are selected.
func (r *renderer) precheck(e pattern.ObsExpr, underOr, top bool) error {
	switch e := e.(type) {
	case *pattern.Observation:
		return r.precheckComp(e.Expr)
	case *pattern.Qualified:
		switch q := e.Qualifier.(type) {
		case *pattern.Within:
			return r.precheckWithin(e, q, underOr, top)
		case *pattern.Repeats:
			top = false
		}
		return r.precheck(e.Expr, underOr, top)
	case *pattern.ObsBinary:
		if e.Op == pattern.ObsFollowedBy {
			return r.precheckFollowedBy(e, top)
		}
		if err := r.precheck(e.Left, underOr || e.Op == pattern.ObsOr, false); err != nil {
			return err
		}
		return r.precheck(e.Right, underOr || e.Op == pattern.ObsOr, false)
	}
	return fmt.Errorf("kql: unknown observation node %T", e)
}

// precheckWithin accepts WITHIN over a single observation (always true: one
// observation lies within any span of itself) and the top-level
// "x REPEATS k TIMES WITHIN n SECONDS" over a single-row x; it refuses the
// rest (WITHIN over observation AND or FOLLOWEDBY).
func (r *renderer) precheckWithin(e *pattern.Qualified, q *pattern.Within, underOr, top bool) error {
	if !multiRow(e.Expr) {
		return r.precheck(e.Expr, underOr, false)
	}
	if rep, ok := e.Expr.(*pattern.Qualified); ok && top {
		if _, ok := rep.Qualifier.(*pattern.Repeats); ok && !multiRow(rep.Expr) {
			return r.precheck(rep.Expr, underOr, false)
		}
	}
	if kind, ops := pairOperands(e.Expr, nil); kind != 0 && top {
		for _, op := range ops {
			if err := r.precheck(op.expr, false, false); err != nil {
				return err
			}
		}
		return nil
	}
	return unsupported("WITHIN", q.KwPos, "WITHIN %s SECONDS is implemented only at the top level over one REPEATS or over an AND or FOLLOWEDBY of two single observations", q.Seconds)
}

func (r *renderer) precheckComp(e pattern.CompExpr) error {
	var p *pattern.ObjectPath
	switch e := e.(type) {
	case *pattern.CompBinary:
		if err := r.precheckComp(e.Left); err != nil {
			return err
		}
		return r.precheckComp(e.Right)
	case *pattern.Comparison:
		p = e.Path
	case *pattern.Exists:
		p = e.Path
	default:
		return fmt.Errorf("kql: unknown comparison node %T", e)
	}
	if p == nil {
		return errors.New("kql: comparison without a path")
	}
	if key := r.m.canonical(p); !r.m.mapped(key) {
		return unsupported("unmapped path", p.TypePos, "no table maps %s", key)
	}
	return nil
}

// renderRows renders a row-level expression: one query per table.
func (r *renderer) renderRows(expr pattern.ObsExpr, op operand) ([]Query, error) {
	var out []Query
	for _, t := range r.tables {
		r.notes = nil
		c, err := r.rowCond(op.expr, t, op.windows)
		if err != nil {
			return nil, err
		}
		if !c.ok {
			continue
		}
		q := r.newQuery([]*Table{t})
		q.KQL = r.standalone(t, c.String())
		out = append(out, q)
	}
	if len(out) == 0 {
		return nil, unsupported("no table", expr.Position(), "no selected table can evaluate %s", expr)
	}
	return out, nil
}

func (r *renderer) newQuery(ts []*Table) Query {
	q := Query{tables: ts, Notes: r.notes}
	var names, conns, ids []string
	for _, t := range ts {
		names = appendUnique(names, t.Name)
		conns = appendUnique(conns, t.Connector)
		if t.ConnectorID != "" {
			ids = appendUnique(ids, t.ConnectorID)
		}
	}
	q.Table, q.Connector, q.ConnectorID = strings.Join(names, ", "), strings.Join(conns, ", "), strings.Join(ids, ", ")
	return q
}

// cond is a rendered boolean expression, or "never" (ok false) when the
// table cannot carry a property the expression needs (STIX: an absent
// property is false). A compound keeps its operands flat (op with parts),
// so long AND/OR chains are joined once instead of re-copied per level.
type cond struct {
	ok    bool
	leaf  string   // the expression when op is empty
	op    string   // kwAnd or kwOr for a compound
	parts []string // rendered operands of a compound
}

var never = cond{}

func leafCond(s string) cond { return cond{ok: true, leaf: s} }

// String renders the expression; compounds are always parenthesised.
func (c cond) String() string {
	if c.op == "" {
		return c.leaf
	}
	return join(c.op, c.parts)
}

// flat returns c's operands when c is a compound of op, else c itself.
func (c cond) flat(op string) []string {
	if c.op == op {
		return c.parts
	}
	return []string{c.String()}
}

func (r *renderer) rowCond(e pattern.ObsExpr, t *Table, windows []*pattern.StartStop) (cond, error) {
	switch e := e.(type) {
	case *pattern.Observation:
		c, err := r.comp(e.Expr, t)
		if err != nil || !c.ok {
			return c, err
		}
		for _, w := range windows {
			c = andCond(c, leafCond(timeWindow(t.TimeColumn, w.Start.Value, w.Stop.Value)))
		}
		return c, nil
	case *pattern.Qualified:
		if _, ok := e.Qualifier.(*pattern.Within); ok && !multiRow(e.Expr) {
			return r.rowCond(e.Expr, t, windows) // one observation is always within n seconds
		}
		ss, ok := e.Qualifier.(*pattern.StartStop)
		if !ok {
			return never, unsupported("qualifier", e.Qualifier.Position(), "%s", e.Qualifier)
		}
		return r.rowCond(e.Expr, t, append(windows[:len(windows):len(windows)], ss))
	case *pattern.ObsBinary:
		if e.Op != pattern.ObsOr {
			return never, unsupported(e.Op.String(), e.OpPos, "not supported here")
		}
		return r.orConds(e, t, windows)
	}
	return never, fmt.Errorf("kql: unknown observation node %T", e)
}

func (r *renderer) orConds(e *pattern.ObsBinary, t *Table, windows []*pattern.StartStop) (cond, error) {
	l, err := r.rowCond(e.Left, t, windows)
	if err != nil {
		return never, err
	}
	rc, err := r.rowCond(e.Right, t, windows)
	if err != nil {
		return never, err
	}
	return orCond(l, rc), nil
}

func orCond(l, r cond) cond {
	switch {
	case !l.ok:
		return r
	case !r.ok:
		return l
	}
	return cond{ok: true, op: kwOr, parts: append(l.flat(kwOr), r.flat(kwOr)...)}
}

func andCond(l, r cond) cond {
	if !l.ok || !r.ok {
		return never
	}
	return cond{ok: true, op: kwAnd, parts: append(l.flat(kwAnd), r.flat(kwAnd)...)}
}
