package pattern

import (
	"fmt"
	"runtime"
	"strconv"
	"unicode/utf8"
)

// maxNest caps the depth of '(' and '[' so that hostile input cannot
// exhaust the stack (go/parser's maxNestLev, scaled to pattern sizes).
const maxNest = 256

// Parse parses src as one STIX 2.1 pattern and checks the MUSTs of §9 that
// the grammar does not enforce. It never recovers from an error: the first
// one is returned as an *Error whose Kind is KindSyntax (grammar) or
// KindInvalid (a spec rule, see doc.go). A grammar error anywhere in src
// wins over a spec violation.
func Parse(src string) (expr ObsExpr, err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(runtime.Error); ok {
				panic(r)
			}
			expr, err = nil, newError(src, 0, KindSyntax, fmt.Sprint("internal error: ", r))
		}
	}()
	if !utf8.ValidString(src) {
		return nil, newError(src, Pos(firstInvalidUTF8(src)), KindSyntax, "invalid UTF-8 encoding")
	}
	p := parser{src: src, lx: lexer{src: src, state: lexAny}}
	p.next()
	e, perr := p.parsePattern()
	if perr != nil {
		return nil, perr
	}
	if p.invalid != nil {
		return nil, p.invalid
	}
	if verr := validate(src, e); verr != nil {
		return nil, verr
	}
	return e, nil
}

func firstInvalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return i
			}
		}
	}
	return 0
}

// parser is a recursive-descent parser with one function per production
// and explicit error returns (influxql style).
type parser struct {
	src     string
	lx      lexer
	tok     item
	nest    int
	invalid *Error // first spec violation seen while parsing
}

func (p *parser) next() { p.tok = p.lx.nextItem() }

// errExpected reports "expected what, found <current token>", or the
// lexer's own error when the current token is ILLEGAL.
func (p *parser) errExpected(what string) *Error {
	if p.tok.tok == ILLEGAL {
		return p.lx.err
	}
	return newError(p.src, p.tok.pos, KindSyntax, "expected "+what+", found "+describe(p.tok))
}

// markInvalid records a spec violation but lets parsing continue, so that a
// later syntax error is still reported first.
func (p *parser) markInvalid(pos Pos, msg string) {
	if p.invalid == nil {
		p.invalid = newError(p.src, pos, KindInvalid, msg)
	}
}

func (p *parser) expect(t Token) *Error {
	if p.tok.tok != t {
		return p.errExpected("'" + t.String() + "'")
	}
	p.next()
	return nil
}

func (p *parser) enter() *Error {
	p.nest++
	if p.nest > maxNest {
		return newError(p.src, p.tok.pos, KindSyntax, "nesting deeper than "+strconv.Itoa(maxNest)+" levels")
	}
	return nil
}

func (p *parser) leave() { p.nest-- }

// describe names a token for "found …" in error messages.
func describe(it item) string {
	switch it.tok {
	case EOF:
		return "EOF"
	case IDENT, IDENTHYPHEN, INT, FLOAT:
		return it.tok.String() + " " + it.lit
	case STRING, TIMESTAMP, HEX, BINARY:
		return it.tok.String()
	}
	return "'" + it.lit + "'"
}

// pattern = observationExpressions EOF
func (p *parser) parsePattern() (ObsExpr, *Error) {
	e, err := p.parseObsExpr(FOLLOWEDBY.Precedence())
	if err != nil {
		return nil, err
	}
	if p.tok.tok != EOF {
		return nil, p.errExpected("AND, OR, FOLLOWEDBY, a qualifier or EOF")
	}
	return e, nil
}

// observationExpressions = qualified { (FOLLOWEDBY|OR|AND) qualified },
// by precedence climbing: FOLLOWEDBY < OR < AND, all left-associative.
func (p *parser) parseObsExpr(minPrec int) (ObsExpr, *Error) {
	left, err := p.parseQualified()
	if err != nil {
		return nil, err
	}
	for prec := p.tok.tok.Precedence(); prec > 0 && prec >= minPrec; prec = p.tok.tok.Precedence() {
		opTok, opPos := p.tok.tok, p.tok.pos
		p.next()
		right, err := p.parseObsExpr(prec + 1)
		if err != nil {
			return nil, err
		}
		left = &ObsBinary{OpPos: opPos, Op: obsOp(opTok), Left: left, Right: right}
	}
	return left, nil
}

func obsOp(t Token) ObsOp {
	switch t {
	case FOLLOWEDBY:
		return ObsFollowedBy
	case OR:
		return ObsOr
	}
	return ObsAnd
}

// qualified = primary { qualifier }
func (p *parser) parseQualified() (ObsExpr, *Error) {
	e, err := p.parseObsPrimary()
	if err != nil {
		return nil, err
	}
	for {
		var q Qualifier
		switch p.tok.tok {
		case WITHIN:
			q, err = p.parseWithin()
		case REPEATS:
			q, err = p.parseRepeats()
		case START:
			q, err = p.parseStartStop()
		default:
			return e, nil
		}
		if err != nil {
			return nil, err
		}
		e = &Qualified{Expr: e, Qualifier: q}
	}
}

// primary = '[' comparisonExpression ']' | '(' observationExpressions ')'
func (p *parser) parseObsPrimary() (ObsExpr, *Error) {
	open := p.tok
	if open.tok != LBRACK && open.tok != LPAREN {
		return nil, p.errExpected("'[' or '('")
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.next()
	if open.tok == LPAREN {
		e, err := p.parseObsExpr(FOLLOWEDBY.Precedence())
		if err != nil {
			return nil, err
		}
		return e, p.expect(RPAREN)
	}
	c, err := p.parseCompExpr(OR.Precedence())
	if err != nil {
		return nil, err
	}
	if err := p.expect(RBRACK); err != nil {
		return nil, err
	}
	return &Observation{Lbrack: open.pos, Expr: c}, nil
}

// qualifier = WITHIN (IntPos|FloatPos) SECONDS
func (p *parser) parseWithin() (Qualifier, *Error) {
	w := &Within{KwPos: p.tok.pos}
	p.next()
	if (p.tok.tok != INT && p.tok.tok != FLOAT) || p.tok.lit[0] == '-' {
		return nil, p.errExpected("positive number")
	}
	w.Seconds = p.parseNumber(true)
	return w, p.expect(SECONDS)
}

// qualifier = REPEATS IntPos TIMES
func (p *parser) parseRepeats() (Qualifier, *Error) {
	r := &Repeats{KwPos: p.tok.pos}
	p.next()
	if p.tok.tok != INT || p.tok.lit[0] == '-' {
		return nil, p.errExpected("positive integer")
	}
	r.Times = p.parseInt(p.tok, true)
	p.next()
	return r, p.expect(TIMES)
}

// qualifier = START Timestamp STOP Timestamp
func (p *parser) parseStartStop() (Qualifier, *Error) {
	s := &StartStop{KwPos: p.tok.pos}
	p.next()
	if p.tok.tok != TIMESTAMP {
		return nil, p.errExpected("timestamp")
	}
	s.Start = *p.parseTimestamp()
	p.next()
	if err := p.expect(STOP); err != nil {
		return nil, err
	}
	if p.tok.tok != TIMESTAMP {
		return nil, p.errExpected("timestamp")
	}
	s.Stop = *p.parseTimestamp()
	p.next()
	return s, nil
}
