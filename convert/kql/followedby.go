package kql

import (
	"strconv"
	"strings"

	"github.com/stixgate/stixgate/convert/pattern"
)

// followNote names the corner where FOLLOWEDBY is wider than STIX.
const followNote = "FOLLOWEDBY: each step must match a row at or after the time of the previous step's match; " +
	"a single row that satisfies two steps with the same time counts for both"

// followedOperands flattens a top-level FOLLOWEDBY chain (through START/STOP
// groups) into its steps in order. ok is false when expr is not one.
func followedOperands(e pattern.ObsExpr, windows []*pattern.StartStop) ([]operand, bool) {
	switch e := e.(type) {
	case *pattern.Qualified:
		if ss, ok := e.Qualifier.(*pattern.StartStop); ok {
			return followedOperands(e.Expr, append(windows[:len(windows):len(windows)], ss))
		}
	case *pattern.ObsBinary:
		if e.Op == pattern.ObsFollowedBy {
			l := followChain(e.Left, windows)
			return append(l, followChain(e.Right, windows)...), true
		}
	}
	return nil, false
}

func followChain(e pattern.ObsExpr, windows []*pattern.StartStop) []operand {
	if ops, ok := followedOperands(e, windows); ok {
		return ops
	}
	return []operand{{expr: e, windows: windows, min: 1}}
}

// precheckFollowedBy accepts FOLLOWEDBY only as a top-level chain whose
// steps are single-row expressions (observations, their OR, START/STOP).
func (r *renderer) precheckFollowedBy(e *pattern.ObsBinary, top bool) error {
	if !top {
		return unsupported("FOLLOWEDBY", e.OpPos, "FOLLOWEDBY is supported only as a top-level chain, not inside AND, OR or other qualifiers")
	}
	ops, _ := followedOperands(e, nil)
	for _, op := range ops {
		if multiRow(op.expr) {
			return unsupported("FOLLOWEDBY", e.OpPos, "FOLLOWEDBY steps must be single observations; %s needs several rows", op.expr)
		}
		if err := r.precheck(op.expr, false, false); err != nil {
			return err
		}
	}
	return nil
}

// renderFollowedBy finds the chain greedily: t1 is the earliest row of step
// 1, t2 the earliest row of step 2 at or after t1, and so on. Some rows
// t1 <= t2 <= … exist exactly when the greedy choice reaches the last step,
// because an earlier pick never removes a later option.
func (r *renderer) renderFollowedBy(ops []operand) ([]Query, error) {
	lines := r.letLines()
	var all []*Table
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = "obs" + strconv.Itoa(i+1)
		pieces, ts, err := r.andPieces(op, names[i], true)
		if err != nil {
			return nil, err
		}
		if len(pieces) == 0 {
			return nil, unsupported("no table", op.expr.Position(), "no selected table can evaluate %s, so the FOLLOWEDBY chain can never match", op.expr)
		}
		all = append(all, ts...)
		lines = append(lines, letStmt(names[i], andSource(pieces)))
	}
	for i, n := range names {
		src := n
		if i > 0 {
			src += " | where StixTime >= t" + strconv.Itoa(i)
		}
		lines = append(lines, letStmt("t"+strconv.Itoa(i+1), "toscalar("+src+" | summarize min(StixTime))"))
	}
	lines = append(lines, "union "+strings.Join(names, ", "), "| where isnotnull(t"+strconv.Itoa(len(names))+")")
	r.notes = append(r.notes, followNote)
	q := r.newQuery(all)
	q.KQL = strings.Join(lines, "\n")
	return []Query{q}, nil
}
