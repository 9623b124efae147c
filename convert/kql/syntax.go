package kql

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is the only place that knows KQL spelling: operators, function
// names, literal syntax and comment syntax. Everything else builds queries
// through these helpers, so an escaping or spelling fix happens once.

// KQL comparison and string operators. The "~" forms ignore case; the "_cs"
// forms are the case-sensitive variants of operators that otherwise ignore
// case.
const (
	opEq           = "=="
	opEqCI         = "=~"
	opNe           = "!="
	opNeCI         = "!~"
	opIn           = "in"
	opInCI         = "in~"
	opNotIn        = "!in"
	opNotInCI      = "!in~"
	opHasAny       = "has_any"
	opStartsWithCS = "startswith_cs"
	opEndsWithCS   = "endswith_cs"
	opContainsCS   = "contains_cs"
	opMatchesRegex = "matches regex"
	kwAnd          = "and"
	kwOr           = "or"
)

// negations maps an operator to its direct negative form. Operators without
// one are negated with not(...).
var negations = map[string]string{
	opEq: opNe, opEqCI: opNeCI, opIn: opNotIn, opInCI: opNotInCI,
}

// errInvalidUTF8 is returned for strings that are not valid UTF-8: such a
// value cannot be written as a KQL literal without changing it.
var errInvalidUTF8 = errors.New("string is not valid UTF-8")

// quoteString writes s as a double-quoted KQL string literal. Backslash and
// double quote are escaped, LF, CR and TAB use \n \r \t, and every other
// control character and every non-ASCII character is written as \uXXXX
// (UTF-16 surrogate pairs above U+FFFF: Kusto reads "\U0001F600" as the
// letters "U0001F600"). The output is therefore plain printable ASCII: no raw
// line break and no invisible or bidirectional character can reach the
// query text.
func quoteString(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errInvalidUTF8
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			writeU(&b, r1)
			writeU(&b, r2)
		default:
			writeU(&b, r)
		}
	}
	b.WriteByte('"')
	return b.String(), nil
}

func writeU(b *strings.Builder, r rune) {
	const hex = "0123456789abcdef"
	b.WriteString(`\u`)
	b.WriteByte(hex[r>>12&0xf])
	b.WriteByte(hex[r>>8&0xf])
	b.WriteByte(hex[r>>4&0xf])
	b.WriteByte(hex[r&0xf])
}

// decodeString reads one double-quoted KQL string literal (the whole of lit)
// and returns its value. It understands the escapes quoteString writes plus
// \' and is used by tests and fuzzing as the independent check that every
// literal the renderer emits means exactly the intended value.
func decodeString(lit string) (string, error) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return "", fmt.Errorf("not a double-quoted literal: %q", lit)
	}
	body := lit[1 : len(lit)-1]
	var out []rune
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"' || c == '\n' || c == '\r':
			return "", fmt.Errorf("raw %q inside literal at %d", c, i+1)
		case c != '\\':
			r, n := utf8.DecodeRuneInString(body[i:])
			out = append(out, r)
			i += n
			continue
		}
		r, n, err := decodeEscape(body[i:])
		if err != nil {
			return "", err
		}
		out = append(out, r)
		i += n
	}
	return string(combineSurrogates(out)), nil
}

// decodeEscape decodes the escape at the start of s (s[0] is a backslash).
func decodeEscape(s string) (rune, int, error) {
	if len(s) < 2 {
		return 0, 0, errors.New("dangling backslash")
	}
	switch s[1] {
	case '\\', '"', '\'':
		return rune(s[1]), 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case 't':
		return '\t', 2, nil
	case 'u':
		if len(s) < 6 {
			return 0, 0, errors.New("short \\u escape")
		}
		v, err := strconv.ParseUint(s[2:6], 16, 16)
		if err != nil {
			return 0, 0, fmt.Errorf("bad \\u escape %q", s[:6])
		}
		return rune(v), 6, nil
	}
	return 0, 0, fmt.Errorf("unknown escape \\%c", s[1])
}

func combineSurrogates(rs []rune) []rune {
	out := rs[:0]
	for i := 0; i < len(rs); i++ {
		if i+1 < len(rs) && utf16.IsSurrogate(rs[i]) {
			if r := utf16.DecodeRune(rs[i], rs[i+1]); r != utf8.RuneError {
				out = append(out, r)
				i++
				continue
			}
		}
		out = append(out, rs[i])
	}
	return out
}

// commentText makes free text (malware names, sources, descriptions) safe
// for a // comment: every control character and the Unicode line breaks
// U+0085, U+2028 and U+2029 become spaces, because KQL ends a comment at a
// line break and whatever followed would become query text.
func commentText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

// comment returns a // comment line (without the line break).
func comment(s string) string { return "// " + commentText(s) }

// Comment returns free text as one KQL // comment line (without the line
// break) that no input can end early: callers outside this package that
// head queries with text of their own (the CLI names the pattern) use it, so
// all KQL syntax stays here.
func Comment(s string) string { return comment(s) }

// datetimeLit writes t as a KQL datetime literal in UTC. KQL keeps 100 ns
// ticks, so at most seven fractional digits are written.
func datetimeLit(t time.Time) string {
	return "datetime(" + t.UTC().Format("2006-01-02T15:04:05.9999999Z") + ")"
}

// timespanLit writes d as a KQL timespan literal in the largest whole unit.
func timespanLit(d time.Duration) string {
	units := []struct {
		d    time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}}
	for _, u := range units {
		if d%u.d == 0 {
			return strconv.FormatInt(int64(d/u.d), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(d/time.Microsecond), 10) + "microsecond"
}

// intLit and realLit write numbers; bools are the bare keywords.
func intLit(v int64) string        { return strconv.FormatInt(v, 10) }
func realLit(v float64) string     { return strconv.FormatFloat(v, 'g', -1, 64) }
func boolLit(v bool) string        { return strconv.FormatBool(v) }
func paren(s string) string        { return "(" + s + ")" }
func notExpr(s string) string      { return "not(" + s + ")" }
func binop(c, op, v string) string { return c + " " + op + " " + v }

// listLit writes "(a, b, c)" for in / !in / has_any operands.
func listLit(items []string) string { return "(" + strings.Join(items, ", ") + ")" }

// dynamicList writes dynamic(["a", "b"]) from already-quoted literals.
func dynamicList(items []string) string { return "dynamic([" + strings.Join(items, ", ") + "])" }

// letStmt writes a let statement; name must come from generated or mapping
// data, never from intel.
func letStmt(name, value string) string { return "let " + name + " = " + value + ";" }

// join combines already rendered boolean expressions with and / or, always
// parenthesised so that precedence never depends on the caller.
func join(kw string, parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return paren(strings.Join(parts, " "+kw+" "))
}

// presence is the existence test for a column of the given KQL type:
// isnotempty for strings (empty string means absent in Log Analytics),
// isnotnull for everything else.
func presence(col, typ string) string {
	if typ == "string" {
		return "isnotempty(" + col + ")"
	}
	return "isnotnull(" + col + ")"
}

// absence is the negation of presence.
func absence(col, typ string) string {
	if typ == "string" {
		return "isempty(" + col + ")"
	}
	return "isnull(" + col + ")"
}

// ipInRange tests a string column against one CIDR.
func ipInRange(col string, v6 bool, cidrLit string) string {
	if v6 {
		return "ipv6_is_in_range(" + col + ", " + cidrLit + ")"
	}
	return "ipv4_is_in_range(" + col + ", " + cidrLit + ")"
}

// ipInAnyRange is true only when the column holds an address of that family
// inside one of the ranges; coalesce turns the null for other values into
// false, so that not(...) keeps rows without an address of that family.
func ipInAnyRange(col string, v6 bool, ranges string) string {
	fn := "ipv4_is_in_any_range"
	if v6 {
		fn = "ipv6_is_in_any_range"
	}
	return "coalesce(" + fn + "(" + col + ", " + ranges + "), false)"
}

// ipFamily tests that a column holds an IPv4 (or IPv6) address. parse_ipv6
// also accepts IPv4 text, so IPv6 excludes what parses as IPv4.
func ipFamily(col string, v6 bool) string {
	if v6 {
		return "(isnull(parse_ipv4(" + col + ")) and isnotnull(parse_ipv6(" + col + ")))"
	}
	return "isnotnull(parse_ipv4(" + col + "))"
}

// strcmpExpr compares strings by code point for < <= > >=.
func strcmpExpr(col, op, lit string) string { return "strcmp(" + col + ", " + lit + ") " + op + " 0" }

// agoFilter keeps rows newer than the lookback variable.
func agoFilter(timeCol string) string { return "| where " + timeCol + " > ago(lookback)" }

// timeWindow is the half-open window [start, stop) of START/STOP; between
// would include STOP.
func timeWindow(timeCol string, start, stop time.Time) string {
	return "(" + timeCol + " >= " + datetimeLit(start) + " and " + timeCol + " < " + datetimeLit(stop) + ")"
}

// sourceName is how a table or ASIM function is invoked.
func sourceName(name string, function bool) string {
	if function {
		return name + "()"
	}
	return name
}

// kqlKeywords are words that cannot be bare identifiers. Mapping data is
// checked against it at load time.
var kqlKeywords = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "let": true, "where": true, "project": true,
	"by": true, "on": true, "of": true, "with": true, "true": true, "false": true, "first": true,
	"last": true, "between": true, "has": true, "contains": true, "union": true, "join": true,
	"datetime": true, "timespan": true, "dynamic": true, "null": true, "set": true, "to": true,
}

// validIdent reports whether s can be written as a bare KQL identifier.
func validIdent(s string) bool {
	if s == "" || kqlKeywords[strings.ToLower(s)] {
		return false
	}
	for i, c := range s {
		letter := c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}
