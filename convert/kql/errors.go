package kql

import (
	"fmt"
	"strings"

	"github.com/stixgate/stixgate/convert/pattern"
)

// UnsupportedError reports a pattern construct the renderer will not turn
// into KQL because no faithful rendering exists (or none is implemented).
// The renderer never drops or weakens a construct instead.
type UnsupportedError struct {
	// Construct names what was refused: "FOLLOWEDBY", "WITHIN", "REPEATS",
	// "observation AND", "unmapped path", "no table", "type mismatch",
	// "MATCHES", "LIKE", "ISSUBSET", "ISSUPERSET", "constant".
	Construct string
	Pos       pattern.Pos // byte offset in the pattern text
	Line, Col int         // 1-based; zero until WithSource fills them
	Msg       string
}

// Error prints "kql: line:col: construct: msg" (or "offset N" before
// WithSource), e.g. "kql: 1:29: FOLLOWEDBY: ordered multi-row matching is
// not implemented".
func (e *UnsupportedError) Error() string {
	where := fmt.Sprintf("offset %d", e.Pos)
	if e.Line > 0 {
		where = fmt.Sprintf("%d:%d", e.Line, e.Col)
	}
	return fmt.Sprintf("kql: %s: %s: %s", where, e.Construct, e.Msg)
}

// WithSource fills Line and Col (1-based; Col counts bytes, as
// *pattern.Error does) from the pattern text that Pos refers to, and
// returns e.
func (e *UnsupportedError) WithSource(src string) *UnsupportedError {
	off := min(max(int(e.Pos), 0), len(src))
	before := src[:off]
	e.Line = 1 + strings.Count(before, "\n")
	e.Col = off - strings.LastIndexByte(before, '\n')
	return e
}

func unsupported(construct string, pos pattern.Pos, format string, args ...any) *UnsupportedError {
	return &UnsupportedError{Construct: construct, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
