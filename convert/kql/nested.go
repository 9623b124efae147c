package kql

import (
	"strconv"
	"strings"

	"github.com/stixgate/stixgate/convert/pattern"
)

// nested renders patterns where observation AND or REPEATS sits inside an
// observation OR, e.g. "[a] OR ([b] AND [c])". Every sub-expression becomes
// a let-bound table that holds its matching rows when it is satisfied and
// is empty otherwise, so "satisfied" is always "non-empty":
//   - a single-row part is the union of its per-table queries (obsN);
//   - AND keeps the union of its operands only when every operand has its
//     number of rows (grpN = union A, B | where toscalar(A | count) > 0 …);
//   - OR is the union of its operands.
type nested struct {
	r      *renderer
	lines  []string
	tables []*Table
	seq    int
}

// renderNested renders expr through let-bound groups; see nested.
func (r *renderer) renderNested(expr pattern.ObsExpr) ([]Query, error) {
	n := &nested{r: r, lines: r.letLines()}
	top, err := n.group(expr, nil)
	if err != nil {
		return nil, err
	}
	if top == "" {
		return nil, unsupported("no table", expr.Position(), "no selected table can evaluate %s", expr)
	}
	r.notes = append(r.notes, andNote)
	q := r.newQuery(n.tables)
	q.KQL = strings.Join(append(n.lines, top), "\n")
	return []Query{q}, nil
}

func (n *nested) name(prefix string) string {
	n.seq++
	return prefix + strconv.Itoa(n.seq)
}

// group returns the let name holding e's rows, or "" when no selected table
// can evaluate e (it can never be satisfied).
func (n *nested) group(e pattern.ObsExpr, windows []*pattern.StartStop) (string, error) {
	if !multiRow(e) {
		return n.rows(operand{expr: e, windows: windows, min: 1})
	}
	if b, ok := e.(*pattern.ObsBinary); ok && b.Op == pattern.ObsOr {
		return n.or(b, windows)
	}
	if q, ok := e.(*pattern.Qualified); ok {
		if ss, ok := q.Qualifier.(*pattern.StartStop); ok {
			return n.group(q.Expr, append(windows[:len(windows):len(windows)], ss))
		}
	}
	ops := andOperands(e, windows, 1)
	if len(ops) == 1 && ops[0].expr == e {
		return "", unsupported("qualifier", e.Position(), "%s cannot be rendered inside observation OR", e)
	}
	return n.and(ops)
}

// rows is a single-row part: the union of its per-table queries.
func (n *nested) rows(op operand) (string, error) {
	name := n.name("obs")
	pieces, ts, err := n.r.andPieces(op, name, false)
	if err != nil || len(pieces) == 0 {
		return "", err
	}
	n.tables = append(n.tables, ts...)
	n.lines = append(n.lines, letStmt(name, andSource(pieces)))
	return name, nil
}

func (n *nested) or(b *pattern.ObsBinary, windows []*pattern.StartStop) (string, error) {
	l, err := n.group(b.Left, windows)
	if err != nil {
		return "", err
	}
	r, err := n.group(b.Right, windows)
	if err != nil || l == "" || r == "" {
		return l + r, err
	}
	name := n.name("grp")
	n.lines = append(n.lines, letStmt(name, "union "+l+", "+r))
	return name, nil
}

// and gates the union of its operands on every operand's row count. A
// single-row operand must have min rows; a composite one must be non-empty.
func (n *nested) and(ops []operand) (string, error) {
	names := make([]string, len(ops))
	checks := make([]string, len(ops))
	for i, op := range ops {
		var err error
		if multiRow(op.expr) {
			if op.min != 1 {
				return "", unsupported("REPEATS", op.expr.Position(), "REPEATS over %s inside observation OR is not supported", op.expr)
			}
			names[i], err = n.group(op.expr, op.windows)
		} else {
			names[i], err = n.rows(op)
		}
		if err != nil || names[i] == "" {
			return "", err
		}
		checks[i] = "toscalar(" + names[i] + " | count) >= " + strconv.FormatInt(op.min, 10)
		if op.min == 1 {
			checks[i] = "toscalar(" + names[i] + " | count) > 0"
		}
	}
	name := n.name("grp")
	n.lines = append(n.lines, letStmt(name, "union "+strings.Join(names, ", ")+" | where "+strings.Join(checks, " "+kwAnd+" ")))
	return name, nil
}
