package kql

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/stixgate/stixgate/convert/pattern"
)

// withinNote names what a windowed REPEATS query returns.
const withinNote = "REPEATS … WITHIN: each returned row is the last of a run of matching rows, in time order, whose first and last rows lie within the span"

// pairNote names the corner where a windowed pair is wider than STIX.
const pairNote = "WITHIN: the rows are returned when some row of each side lie within the span (FOLLOWEDBY: the second at or after the first); " +
	"a single row that satisfies both sides counts for both"

// Forms of a top-level WITHIN.
const (
	winRepeats = iota + 1 // x REPEATS k TIMES WITHIN n SECONDS
	winAnd                // ([a] AND [b]) WITHIN n SECONDS
	winFollow             // ([a] FOLLOWEDBY [b]) WITHIN n SECONDS
)

// windowed is a top-level WITHIN over several rows (B6).
type windowed struct {
	kind int
	ops  []operand // the single-row operands with their START/STOP windows (and k)
	span time.Duration
}

// topWithin recognises the windowed REPEATS form, under START/STOP only.
func topWithin(e pattern.ObsExpr, windows []*pattern.StartStop) (windowed, bool) {
	q, ok := e.(*pattern.Qualified)
	if !ok {
		return windowed{}, false
	}
	switch qq := q.Qualifier.(type) {
	case *pattern.StartStop:
		return topWithin(q.Expr, append(windows[:len(windows):len(windows)], qq))
	case *pattern.Within:
		if rep, ok := q.Expr.(*pattern.Qualified); ok {
			if rq, ok := rep.Qualifier.(*pattern.Repeats); ok && !multiRow(rep.Expr) {
				return windowed{winRepeats, []operand{{rep.Expr, windows, rq.Times}}, seconds(qq.Seconds)}, true
			}
		}
		if kind, ops := pairOperands(q.Expr, windows); kind != 0 {
			return windowed{kind, ops, seconds(qq.Seconds)}, true
		}
	}
	return windowed{}, false
}

// pairOperands recognises an observation AND or FOLLOWEDBY of exactly two
// single-row operands (through START/STOP groups).
func pairOperands(e pattern.ObsExpr, windows []*pattern.StartStop) (int, []operand) {
	single := func(ops []operand) bool {
		for _, op := range ops {
			if op.min != 1 || multiRow(op.expr) {
				return false
			}
		}
		return len(ops) == 2
	}
	if ops := andOperands(e, windows, 1); single(ops) {
		return winAnd, ops
	}
	if ops, ok := followedOperands(e, windows); ok && single(ops) {
		return winFollow, ops
	}
	return 0, nil
}

// seconds converts the WITHIN operand, rounding to the nanosecond and
// saturating far beyond any retention period.
func seconds(n pattern.Number) time.Duration {
	var f float64
	switch n := n.(type) {
	case *pattern.Int:
		f = float64(n.Value)
	case *pattern.Float:
		f = n.Value
	}
	if f*1e9 >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(math.Round(f * 1e9))
}

// renderWindowed finds k matching rows within the span: after sorting by
// time, some k consecutive rows span at most n seconds exactly when some k
// rows do, so prev(StixTime, k-1) is the start of the tightest run ending
// at each row.
func (r *renderer) renderWindowed(expr pattern.ObsExpr, w windowed) ([]Query, error) {
	if w.kind != winRepeats {
		return r.renderPair(w)
	}
	op := w.ops[0]
	if op.min <= 1 {
		return r.renderRows(expr, op) // REPEATS 1 TIMES: one row, always within the span
	}
	pieces, ts, err := r.andPieces(op, "obs1", true)
	if err != nil {
		return nil, err
	}
	if len(pieces) == 0 {
		return nil, unsupported("no table", expr.Position(), "no selected table can evaluate %s", expr)
	}
	lines := append(r.letLines(), letStmt("obs1", andSource(pieces)),
		"obs1",
		"| sort by StixTime asc",
		"| extend StixWindowStart = prev(StixTime, "+strconv.FormatInt(op.min-1, 10)+")",
		"| where isnotnull(StixWindowStart) and StixTime - StixWindowStart <= "+timespanLit(w.span))
	r.notes = append(r.notes, withinNote)
	q := r.newQuery(ts)
	q.KQL = strings.Join(lines, "\n")
	return []Query{q}, nil
}

// renderPair finds one row of each side within the span. Rows of the
// second side are joined on their own time bin and both neighbours, so
// every pair closer than the span shares a bin key; the exact distance
// (and, for FOLLOWEDBY, the order) is then checked.
func (r *renderer) renderPair(w windowed) ([]Query, error) {
	lines := r.letLines()
	var all []*Table
	for i, op := range w.ops {
		name := "obs" + strconv.Itoa(i+1)
		pieces, ts, err := r.andPieces(op, name, true)
		if err != nil {
			return nil, err
		}
		if len(pieces) == 0 {
			return nil, unsupported("no table", op.expr.Position(), "no selected table can evaluate %s, so the WITHIN can never match", op.expr)
		}
		all = append(all, ts...)
		lines = append(lines, letStmt(name, andSource(pieces)))
	}
	span := timespanLit(w.span)
	bin := "bin(tb, " + span + ")"
	near := "tb - ta <= " + span + " and ta - tb <= " + span
	if w.kind == winFollow {
		near = "tb >= ta and tb - ta <= " + span
	}
	lines = append(lines, "let pairs = obs1",
		"| project ta = StixTime, k = bin(StixTime, "+span+")",
		"| join kind=inner (obs2 | project tb = StixTime | mv-expand k = pack_array("+bin+" - "+span+", "+bin+", "+bin+" + "+span+") to typeof(datetime)) on k",
		"| where "+near+";",
		"union obs1, obs2",
		"| where toscalar(pairs | count) > 0")
	r.notes = append(r.notes, pairNote)
	q := r.newQuery(all)
	q.KQL = strings.Join(lines, "\n")
	return []Query{q}, nil
}
