package pattern

import (
	"unicode/utf8"
)

// item is one token. lit is a slice of the source text, so lexing allocates
// nothing; the parser decodes values from it.
type item struct {
	tok Token
	pos Pos
	lit string
}

// stateFn is one state of the lexer; it returns the next state.
type stateFn func(*lexer) stateFn

// lexer is a state-function lexer in the style of text/template/parse, run
// synchronously: nextItem steps the state machine until a token is ready.
// After EOF or an error it keeps returning that same item.
type lexer struct {
	src   string
	start int // start of the current token
	pos   int // current offset
	item  item
	ready bool
	state stateFn
	err   *Error // set when an ILLEGAL item is emitted
}

// nextItem returns the next token.
func (l *lexer) nextItem() item {
	l.ready = false
	for !l.ready {
		l.state = l.state(l)
	}
	return l.item
}

func (l *lexer) emit(t Token) {
	l.item = item{tok: t, pos: Pos(l.start), lit: l.src[l.start:l.pos]}
	l.ready = true
	l.start = l.pos
}

// errorf records a syntax error at off and emits ILLEGAL; the lexer then
// stays in lexDone.
func (l *lexer) errorf(off int, msg string) stateFn {
	l.err = newError(l.src, Pos(off), KindSyntax, msg)
	l.item = item{tok: ILLEGAL, pos: Pos(off)}
	l.ready = true
	return lexDone
}

func lexDone(l *lexer) stateFn {
	l.ready = true
	return lexDone
}

// peekAt returns the byte at l.pos+n, or 0 past the end.
func (l *lexer) peekAt(n int) byte {
	if l.pos+n < len(l.src) {
		return l.src[l.pos+n]
	}
	return 0
}

// lexAny skips whitespace and comments and dispatches on the next byte.
func lexAny(l *lexer) stateFn {
	if next := l.skipSpace(); next != nil {
		return next
	}
	l.start = l.pos
	if l.pos >= len(l.src) {
		l.emit(EOF)
		return lexDone
	}
	c := l.src[l.pos]
	switch {
	case isLetter(c) || c == '_':
		return lexIdent
	case isDigit(c):
		return lexNumber
	case c == '+' || c == '-' || c == '.':
		if isDigit(l.peekAt(1)) || (c != '.' && l.peekAt(1) == '.' && isDigit(l.peekAt(2))) {
			return lexNumber
		}
	case c == '\'':
		return lexString
	}
	return lexPunct
}

// skipSpace skips the spec's WSpace characters and comments. It returns a
// non-nil state only on an unterminated block comment.
func (l *lexer) skipSpace() stateFn {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			l.pos++
		case c == '/' && l.peekAt(1) == '*':
			end := indexFrom(l.src, l.pos+2, "*/")
			if end < 0 {
				return l.errorf(l.pos, "comment not terminated")
			}
			l.pos = end + 2
		case c == '/' && l.peekAt(1) == '/':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' && l.src[l.pos] != '\r' {
				l.pos++
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(l.src[l.pos:])
			if !isUnicodeSpace(r) {
				return nil
			}
			l.pos += n
		default:
			return nil
		}
	}
	return nil
}

// isUnicodeSpace reports the non-ASCII members of the WSpace=Y set that
// STIXPattern.g4 skips.
func isUnicodeSpace(r rune) bool {
	switch r {
	case 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

func indexFrom(s string, from int, sub string) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// lexIdent scans [A-Za-z_][A-Za-z0-9_-]* (longest match, so network-traffic
// is one token) and the t'…', h'…' and b'…' literals.
func lexIdent(l *lexer) stateFn {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if !isLetter(c) && !isDigit(c) && c != '_' && c != '-' {
			break
		}
		l.pos++
	}
	if l.pos-l.start == 1 && l.peekAt(0) == '\'' {
		switch l.src[l.start] {
		case 't':
			return lexTimestamp
		case 'h':
			return lexHex
		case 'b':
			return lexBinary
		}
	}
	l.emit(Lookup(l.src[l.start:l.pos]))
	return lexAny
}

// lexNumber scans [+-]?digits or [+-]?digits?.digits. Integers have no
// leading zeros; floats may (the grammar allows [0-9]*).
func lexNumber(l *lexer) stateFn {
	if c := l.src[l.pos]; c == '+' || c == '-' {
		l.pos++
	}
	digits := l.pos
	for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
		l.pos++
	}
	if l.peekAt(0) == '.' && isDigit(l.peekAt(1)) {
		l.pos++
		for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
			l.pos++
		}
		l.emit(FLOAT)
		return lexAny
	}
	if l.pos-digits > 1 && l.src[digits] == '0' {
		return l.errorf(l.start, "invalid integer "+l.src[l.start:l.pos]+": leading zero")
	}
	l.emit(INT)
	return lexAny
}

// lexString scans '…' where the only escapes are \' and \\. Raw newlines
// are allowed.
func lexString(l *lexer) stateFn {
	if next := l.scanQuoted(); next != nil {
		return next
	}
	l.emit(STRING)
	return lexAny
}

// scanQuoted moves past a quoted string starting at l.pos.
func (l *lexer) scanQuoted() stateFn {
	open := l.pos
	l.pos++
	for l.pos < len(l.src) {
		switch l.src[l.pos] {
		case '\'':
			l.pos++
			return nil
		case '\\':
			if c := l.peekAt(1); c != '\'' && c != '\\' {
				return l.errorf(l.pos, "invalid escape sequence in string: only \\' and \\\\ are allowed")
			}
			l.pos += 2
		default:
			l.pos++
		}
	}
	return l.errorf(open, "string not terminated")
}

// scanPrefixed moves past prefix'…' and returns the body offsets, or
// ok=false after reporting an unterminated literal.
func (l *lexer) scanPrefixed(what string) (body string, ok bool) {
	l.pos++ // the quote
	begin := l.pos
	for l.pos < len(l.src) && l.src[l.pos] != '\'' {
		l.pos++
	}
	if l.pos >= len(l.src) {
		l.errorf(l.start, what+" literal not terminated")
		return "", false
	}
	body = l.src[begin:l.pos]
	l.pos++
	return body, true
}

// lexHex scans h'…': an even number of hex digits, possibly none.
func lexHex(l *lexer) stateFn {
	body, ok := l.scanPrefixed("hex")
	if !ok {
		return lexDone
	}
	if len(body)%2 != 0 {
		return l.errorf(l.start, "invalid hex literal: odd number of digits")
	}
	for i := 0; i < len(body); i++ {
		if !isHexDigit(body[i]) {
			return l.errorf(l.start, "invalid hex literal: not a hex digit")
		}
	}
	l.emit(HEX)
	return lexAny
}

// lexBinary scans b'…': padded base64 with at least one 4-character group.
func lexBinary(l *lexer) stateFn {
	body, ok := l.scanPrefixed("binary")
	if !ok {
		return lexDone
	}
	if !isBase64(body) {
		return l.errorf(l.start, "invalid binary literal: want padded base64")
	}
	l.emit(BINARY)
	return lexAny
}

// lexTimestamp scans t'…' and checks the shape required by the grammar;
// calendar validity is checked by the parser.
func lexTimestamp(l *lexer) stateFn {
	body, ok := l.scanPrefixed("timestamp")
	if !ok {
		return lexDone
	}
	if !timestampShape(body) {
		return l.errorf(l.start, "invalid timestamp literal: want t'YYYY-MM-DDTHH:MM:SS[.s+]Z'")
	}
	l.emit(TIMESTAMP)
	return lexAny
}

// lexPunct scans operators and punctuation.
func lexPunct(l *lexer) stateFn {
	c := l.src[l.pos]
	l.pos++
	tok := ILLEGAL
	switch c {
	case '=':
		tok = l.two('=', EQ, EQ)
	case '!':
		if l.peekAt(0) == '=' {
			l.pos++
			tok = NEQ
		}
	case '<':
		if l.peekAt(0) == '>' {
			l.pos++
			tok = NEQ
		} else {
			tok = l.two('=', LE, LT)
		}
	case '>':
		tok = l.two('=', GE, GT)
	default:
		tok = punct(c)
	}
	if tok == ILLEGAL {
		return l.errorf(l.start, "unexpected character "+quoteRune(l.src[l.start:]))
	}
	l.emit(tok)
	return lexAny
}

// two returns long if the next byte is c (consuming it), else short.
func (l *lexer) two(c byte, long, short Token) Token {
	if l.peekAt(0) == c {
		l.pos++
		return long
	}
	return short
}

func punct(c byte) Token {
	switch c {
	case ':':
		return COLON
	case '.':
		return DOT
	case ',':
		return COMMA
	case '(':
		return LPAREN
	case ')':
		return RPAREN
	case '[':
		return LBRACK
	case ']':
		return RBRACK
	case '*':
		return ASTERISK
	}
	return ILLEGAL
}
