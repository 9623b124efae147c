package kql

import (
	"strconv"
	"strings"

	"github.com/stixgate/stixgate/convert/pattern"
)

// andNote is attached to every observation-AND query: it states the one
// corner where the rendering is wider than STIX (see doc.go).
const andNote = "observation AND: each side must match at least one row in the searched time range; " +
	"a single row that satisfies both sides counts for both"

// renderAnd renders top-level observation AND (B6): every operand becomes a
// let-bound union over the tables that can carry it, and the result is
// returned only when every operand has at least one row.
func (r *renderer) renderAnd(expr pattern.ObsExpr, ops []operand) ([]Query, error) {
	lines := r.letLines()
	var all []*Table
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = "obs" + strconv.Itoa(i+1)
		pieces, ts, err := r.andPieces(op, names[i])
		if err != nil {
			return nil, err
		}
		if len(pieces) == 0 {
			return nil, unsupported("no table", op.expr.Position(),
				"no selected table can evaluate %s, so the observation AND can never match", op.expr)
		}
		all = append(all, ts...)
		lines = append(lines, letStmt(names[i], andSource(pieces)))
	}
	checks := make([]string, len(names))
	for i, n := range names {
		checks[i] = "toscalar(" + n + " | count) > 0"
	}
	lines = append(lines, "union "+strings.Join(names, ", "),
		"| where "+strings.Join(checks, " "+kwAnd+" "))
	r.notes = append(r.notes, andNote)
	q := r.newQuery(all)
	q.KQL = strings.Join(lines, "\n")
	return []Query{q}, nil
}

// andPieces renders one AND operand on every selected table that can carry
// it, each tagged with the operand's name so analysts see which side a row
// satisfied.
func (r *renderer) andPieces(op operand, name string) ([]string, []*Table, error) {
	var pieces []string
	var ts []*Table
	for _, t := range r.tables {
		c, err := r.rowCond(op.expr, t, op.windows)
		if err != nil {
			return nil, nil, err
		}
		if !c.ok {
			continue
		}
		p := append(r.pipeline(t, parenthesised(c.String())), `| extend StixObservation = "`+name+`"`)
		pieces = append(pieces, strings.Join(p, " "))
		ts = append(ts, t)
	}
	return pieces, ts, nil
}

func andSource(pieces []string) string {
	if len(pieces) == 1 {
		return pieces[0]
	}
	for i, p := range pieces {
		pieces[i] = "(" + p + ")"
	}
	return "union " + strings.Join(pieces, ", ")
}
