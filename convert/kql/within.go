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

// windowed is a top-level "x REPEATS k TIMES WITHIN n SECONDS" (B6).
type windowed struct {
	op   operand // x, the START/STOP windows around it, and k
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
		rep, ok := q.Expr.(*pattern.Qualified)
		if !ok {
			return windowed{}, false
		}
		rq, ok := rep.Qualifier.(*pattern.Repeats)
		if !ok || multiRow(rep.Expr) {
			return windowed{}, false
		}
		return windowed{operand{rep.Expr, windows, rq.Times}, seconds(qq.Seconds)}, true
	}
	return windowed{}, false
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
	if w.op.min <= 1 {
		return r.renderRows(expr, w.op) // REPEATS 1 TIMES: one row, always within the span
	}
	pieces, ts, err := r.andPieces(w.op, "obs1", true)
	if err != nil {
		return nil, err
	}
	if len(pieces) == 0 {
		return nil, unsupported("no table", expr.Position(), "no selected table can evaluate %s", expr)
	}
	lines := append(r.letLines(), letStmt("obs1", andSource(pieces)),
		"obs1",
		"| sort by StixTime asc",
		"| extend StixWindowStart = prev(StixTime, "+strconv.FormatInt(w.op.min-1, 10)+")",
		"| where isnotnull(StixWindowStart) and StixTime - StixWindowStart <= "+timespanLit(w.span))
	r.notes = append(r.notes, withinNote)
	q := r.newQuery(ts)
	q.KQL = strings.Join(lines, "\n")
	return []Query{q}, nil
}
