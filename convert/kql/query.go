package kql

import "strings"

// Query assembly: the stages around a rendered where expression (B1 step 3:
// the table prefix is its own step).

// standalone writes a complete single-table query.
func (r *renderer) standalone(t *Table, where string) string {
	lines := r.letLines()
	lines = append(lines, r.pipeline(t, parenthesised(where))...)
	lines = append(lines, "| order by "+t.OrderBy+" desc")
	return strings.Join(lines, "\n")
}

func (r *renderer) letLines() []string {
	if r.opts.Lookback == 0 {
		return nil
	}
	return []string{letStmt("lookback", timespanLit(r.opts.Lookback))}
}

// parenthesised makes a rendered where expression one group (B1).
func parenthesised(where string) string {
	if singleGroup(where) {
		return where
	}
	return paren(where)
}

// singleGroup reports whether s is one parenthesised group: the "(" at the
// start closes at the very end. String literals are skipped.
func singleGroup(s string) bool {
	if !strings.HasPrefix(s, "(") {
		return false
	}
	depth, inStr := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return false
			}
		}
	}
	return depth == 0
}

// pipeline is table, time filter, where, exclusions and projection. The
// pack passes its where unparenthesised, as the seed hunts have it; the
// exclusions are separate "| where" stages, so precedence is unaffected.
func (r *renderer) pipeline(t *Table, where string) []string {
	lines := []string{t.source()}
	if r.opts.Lookback > 0 {
		lines = append(lines, agoFilter(t.TimeColumn))
	}
	lines = append(lines, "| where "+where)
	lines = append(lines, exclusionLines(t, r.opts.Exclusions)...)
	return append(lines, "| project "+strings.Join(r.projection(t), ", "))
}

func (r *renderer) projection(t *Table) []string {
	if p, ok := r.opts.Project[t.Name]; ok {
		return p
	}
	return t.Project
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func appendUnique(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}
