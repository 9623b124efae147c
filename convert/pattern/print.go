package pattern

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Canonical printing. Every String method goes through one printer so that
// the rules live in one place: upper-case keywords, single-quoted strings
// escaping only \' and \\, parentheses only where precedence needs them,
// qualifiers postfix, and path keys quoted exactly when they are not a bare
// identifier or are a keyword. A nil child prints as "<nil>" instead of
// panicking; such text does not parse.

// String returns "FOLLOWEDBY", "OR" or "AND".
func (op ObsOp) String() string {
	switch op {
	case ObsFollowedBy:
		return "FOLLOWEDBY"
	case ObsOr:
		return "OR"
	case ObsAnd:
		return "AND"
	}
	return "ObsOp(" + strconv.Itoa(int(op)) + ")"
}

// String returns "OR" or "AND".
func (op CompOp) String() string {
	switch op {
	case CompOr:
		return "OR"
	case CompAnd:
		return "AND"
	}
	return "CompOp(" + strconv.Itoa(int(op)) + ")"
}

var operatorNames = [...]string{
	OpEq: "=", OpNe: "!=", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=",
	OpIn: "IN", OpLike: "LIKE", OpMatches: "MATCHES",
	OpIsSubset: "ISSUBSET", OpIsSuperset: "ISSUPERSET",
}

// String returns the operator's canonical spelling, e.g. "=" or "ISSUBSET".
func (op Operator) String() string {
	if op > 0 && int(op) < len(operatorNames) {
		return operatorNames[op]
	}
	return "Operator(" + strconv.Itoa(int(op)) + ")"
}

// String returns "key", "'quoted-key'", "[n]" or "[*]" (without the
// separating dot).
func (s Step) String() string {
	var p printer
	p.step(s, true)
	return p.String()
}

// String prints the Observation as canonical pattern text.
func (o *Observation) String() string { return printNode(o) }

// String prints the ObsBinary as canonical pattern text.
func (b *ObsBinary) String() string { return printNode(b) }

// String prints the Qualified as canonical pattern text.
func (q *Qualified) String() string { return printNode(q) }

// String prints the Within as canonical pattern text.
func (w *Within) String() string { return printNode(w) }

// String prints the Repeats as canonical pattern text.
func (r *Repeats) String() string { return printNode(r) }

// String prints the StartStop as canonical pattern text.
func (s *StartStop) String() string { return printNode(s) }

// String prints the CompBinary as canonical pattern text.
func (b *CompBinary) String() string { return printNode(b) }

// String prints the Comparison as canonical pattern text.
func (c *Comparison) String() string { return printNode(c) }

// String prints the Exists as canonical pattern text.
func (e *Exists) String() string { return printNode(e) }

// String prints the ObjectPath as canonical pattern text.
func (p *ObjectPath) String() string { return printNode(p) }

// String prints the String as canonical pattern text.
func (s *String) String() string { return printNode(s) }

// String prints the Int as canonical pattern text.
func (i *Int) String() string { return printNode(i) }

// String prints the Float as canonical pattern text.
func (f *Float) String() string { return printNode(f) }

// String prints the Bool as canonical pattern text.
func (b *Bool) String() string { return printNode(b) }

// String prints the Timestamp as canonical pattern text.
func (t *Timestamp) String() string { return printNode(t) }

// String prints the Hex as canonical pattern text.
func (h *Hex) String() string { return printNode(h) }

// String prints the Binary as canonical pattern text.
func (b *Binary) String() string { return printNode(b) }

// String prints the Set as canonical pattern text.
func (s *Set) String() string { return printNode(s) }

func printNode(n Node) string {
	var p printer
	p.node(n)
	return p.String()
}

// printer accumulates canonical text.
type printer struct {
	strings.Builder
}

func (p *printer) node(n Node) {
	if n == nil || isNilNode(n) {
		p.WriteString("<nil>")
		return
	}
	switch n := n.(type) {
	case ObsExpr:
		p.obsExpr(n)
	case Qualifier:
		p.qualifier(n)
	case CompExpr:
		p.compExpr(n)
	case *ObjectPath:
		p.path(n)
	case Constant:
		p.constant(n)
	}
}

// obsPrec is the binding strength of an observation expression as an
// operand; atoms (brackets and qualified expressions) bind tightest.
func obsPrec(e ObsExpr) int {
	if b, ok := e.(*ObsBinary); ok && b != nil {
		return int(b.Op)
	}
	return 4
}

func (p *printer) obsExpr(e ObsExpr) {
	if e == nil || isNilNode(e) {
		p.WriteString("<nil>")
		return
	}
	switch e := e.(type) {
	case *Observation:
		p.WriteByte('[')
		p.compExpr(e.Expr)
		p.WriteByte(']')
	case *ObsBinary:
		prec := int(e.Op)
		p.obsOperand(e.Left, obsPrec(e.Left) < prec)
		p.WriteByte(' ')
		p.WriteString(e.Op.String())
		p.WriteByte(' ')
		p.obsOperand(e.Right, obsPrec(e.Right) <= prec)
	case *Qualified:
		p.obsOperand(e.Expr, obsPrec(e.Expr) < 4)
		p.WriteByte(' ')
		p.qualifier(e.Qualifier)
	}
}

func (p *printer) obsOperand(e ObsExpr, paren bool) {
	if paren {
		p.WriteByte('(')
	}
	p.obsExpr(e)
	if paren {
		p.WriteByte(')')
	}
}

func (p *printer) qualifier(q Qualifier) {
	if q == nil || isNilNode(q) {
		p.WriteString("<nil>")
		return
	}
	switch q := q.(type) {
	case *Within:
		p.WriteString("WITHIN ")
		p.constant(q.Seconds)
		p.WriteString(" SECONDS")
	case *Repeats:
		p.WriteString("REPEATS ")
		p.WriteString(strconv.FormatInt(q.Times, 10))
		p.WriteString(" TIMES")
	case *StartStop:
		p.WriteString("START ")
		p.timestamp(&q.Start)
		p.WriteString(" STOP ")
		p.timestamp(&q.Stop)
	}
}

// compPrec mirrors obsPrec for comparison expressions.
func compPrec(e CompExpr) int {
	if b, ok := e.(*CompBinary); ok && b != nil {
		return int(b.Op)
	}
	return 3
}

func (p *printer) compExpr(e CompExpr) {
	if e == nil || isNilNode(e) {
		p.WriteString("<nil>")
		return
	}
	switch e := e.(type) {
	case *CompBinary:
		prec := int(e.Op)
		p.compOperand(e.Left, compPrec(e.Left) < prec)
		p.WriteByte(' ')
		p.WriteString(e.Op.String())
		p.WriteByte(' ')
		p.compOperand(e.Right, compPrec(e.Right) <= prec)
	case *Comparison:
		p.path(e.Path)
		p.WriteByte(' ')
		if e.Negated {
			p.WriteString("NOT ")
		}
		p.WriteString(e.Op.String())
		p.WriteByte(' ')
		p.constant(e.Value)
	case *Exists:
		if e.Negated {
			p.WriteString("NOT ")
		}
		p.WriteString("EXISTS ")
		p.path(e.Path)
	}
}

func (p *printer) compOperand(e CompExpr, paren bool) {
	if paren {
		p.WriteByte('(')
	}
	p.compExpr(e)
	if paren {
		p.WriteByte(')')
	}
}

func (p *printer) path(o *ObjectPath) {
	if o == nil {
		p.WriteString("<nil>")
		return
	}
	p.WriteString(o.ObjectType)
	p.WriteByte(':')
	for i, s := range o.Steps {
		if s.Kind == StepKey && i > 0 {
			p.WriteByte('.')
		}
		p.step(s, i == 0)
	}
}

func (p *printer) step(s Step, first bool) {
	switch s.Kind {
	case StepIndex:
		p.WriteByte('[')
		p.WriteString(strconv.FormatInt(s.Index, 10))
		p.WriteByte(']')
	case StepAnyIndex:
		p.WriteString("[*]")
	default:
		if NeedsQuote(s.Key) {
			p.quote(s.Key)
		} else {
			p.WriteString(s.Key)
		}
	}
}

// NeedsQuote reports whether a path key must be written as a quoted string:
// when it is not a bare identifier [A-Za-z_][A-Za-z0-9_]* or when it is a
// keyword (AND, IN, LAST, true, …).
func NeedsQuote(key string) bool {
	if key == "" {
		return true
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !isLetter(c) && c != '_' && (i == 0 || !isDigit(c)) {
			return true
		}
	}
	_, kw := keywords[key]
	return kw
}

func (p *printer) constant(c Constant) {
	if c == nil || isNilNode(c) {
		p.WriteString("<nil>")
		return
	}
	switch c := c.(type) {
	case *String:
		p.quote(c.Value)
	case *Int:
		p.WriteString(strconv.FormatInt(c.Value, 10))
	case *Float:
		p.WriteString(floatText(c))
	case *Bool:
		p.WriteString(strconv.FormatBool(c.Value))
	case *Timestamp:
		p.timestamp(c)
	case *Hex:
		p.WriteString("h'")
		p.WriteString(hex.EncodeToString(c.Value))
		p.WriteByte('\'')
	case *Binary:
		p.WriteString("b'")
		p.WriteString(base64.StdEncoding.EncodeToString(c.Value))
		p.WriteByte('\'')
	case *Set:
		p.set(c)
	}
}

func (p *printer) set(s *Set) {
	p.WriteByte('(')
	for i, m := range s.Members {
		if i > 0 {
			p.WriteString(", ")
		}
		p.constant(m)
	}
	p.WriteByte(')')
}

func (p *printer) timestamp(t *Timestamp) {
	p.WriteString("t'")
	p.WriteString(timestampText(t))
	p.WriteByte('\'')
}

// timestampText is the literal between the quotes: Text as parsed, or the
// RFC 3339 UTC form of Value for a hand-built node.
func timestampText(t *Timestamp) string {
	if t.Text != "" {
		return t.Text
	}
	return t.Value.UTC().Format(time.RFC3339Nano)
}

// floatText is Text as parsed, or the shortest decimal form of Value with
// at least one digit after the point, as the grammar requires.
func floatText(f *Float) string {
	if f.Text != "" {
		return f.Text
	}
	s := strconv.FormatFloat(f.Value, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// quote writes s as a STIX string literal: only ' and \ are escaped.
func (p *printer) quote(s string) {
	p.WriteByte('\'')
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\'' || c == '\\' {
			p.WriteString(s[start:i])
			p.WriteByte('\\')
			p.WriteByte(c)
			start = i + 1
		}
	}
	p.WriteString(s[start:])
	p.WriteByte('\'')
}

// Quote returns s as a STIX string literal, e.g. Quote("it's") is 'it\'s'.
func Quote(s string) string {
	var p printer
	p.quote(s)
	return p.String()
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
