package pattern

import (
	"strconv"
	"strings"
)

// ErrorKind says whether a pattern broke the grammar or a rule of the
// specification that the grammar does not enforce.
type ErrorKind int

// Error kinds.
const (
	// KindSyntax: the text does not match the STIX 2.1 grammar
	// (STIXPattern.g4), e.g. a missing ']' or NOT before an object path.
	KindSyntax ErrorKind = iota + 1
	// KindInvalid: the text parses but breaks a MUST of STIX 2.1 §9 (or of
	// §2/§3.1 that it refers to), e.g. WITHIN 0 SECONDS or t'2023-02-30…'.
	KindInvalid
)

// String returns "syntax" or "invalid".
func (k ErrorKind) String() string {
	switch k {
	case KindSyntax:
		return "syntax"
	case KindInvalid:
		return "invalid"
	}
	return "ErrorKind(" + strconv.Itoa(int(k)) + ")"
}

// Error is the only error type Parse returns. Line and Col are 1-based and
// Col counts bytes, like go/scanner.
type Error struct {
	Pos  Pos
	Line int
	Col  int
	Kind ErrorKind
	Msg  string
}

// Error prints "line:col: msg", e.g. "1:17: expected ']', found EOF".
func (e *Error) Error() string {
	return strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col) + ": " + e.Msg
}

// newError resolves pos against src into a line and column.
func newError(src string, pos Pos, kind ErrorKind, msg string) *Error {
	off := min(max(int(pos), 0), len(src))
	before := src[:off]
	line := 1 + strings.Count(before, "\n")
	col := off - strings.LastIndexByte(before, '\n')
	return &Error{Pos: Pos(off), Line: line, Col: col, Kind: kind, Msg: msg}
}
