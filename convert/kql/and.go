package kql

import (
	"strconv"
	"strings"

	"github.com/stixgate/stixgate/convert/pattern"
)

// andNote is attached to every observation-AND and REPEATS query: it
// states the one corner where the rendering is wider than STIX (doc.go).
const andNote = "observation AND / REPEATS: each operand must match at least its number of rows in the searched time range; " +
	"a single row that satisfies several operands counts for each"

// renderAnd renders top-level observation AND and REPEATS (B6): every
// operand becomes a let-bound union over the tables that can carry it, and
// the rows are returned only when every operand has at least its number of
// rows (1, or the product of the REPEATS counts around it).
func (r *renderer) renderAnd(expr pattern.ObsExpr, ops []operand) ([]Query, error) {
	lines := r.letLines()
	var all []*Table
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = "obs" + strconv.Itoa(i+1)
		pieces, ts, err := r.andPieces(op, names[i], false)
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
		checks[i] = "toscalar(" + n + " | count) >= " + strconv.FormatInt(ops[i].min, 10)
		if ops[i].min == 1 {
			checks[i] = "toscalar(" + n + " | count) > 0"
		}
	}
	rows := "union " + strings.Join(names, ", ")
	if len(names) == 1 {
		rows = names[0]
	}
	lines = append(lines, rows, "| where "+strings.Join(checks, " "+kwAnd+" "))
	r.notes = append(r.notes, andNote)
	q := r.newQuery(all)
	q.KQL = strings.Join(lines, "\n")
	return []Query{q}, nil
}

// andPieces renders one AND operand on every selected table that can carry
// it, each tagged with the operand's name so analysts see which side a row
// satisfied.
func (r *renderer) andPieces(op operand, name string, stamp bool) ([]string, []*Table, error) {
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
		ext := `| extend StixObservation = "` + name + `"`
		if stamp {
			ext += ", StixTime = " + t.TimeColumn
		}
		p := append(r.pipeline(t, parenthesised(c.String())), ext)
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
