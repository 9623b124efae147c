package pattern

import "strconv"

// Token is a lexical token of STIX 2.1 patterning. The constants are split
// into ranges by unexported markers so that IsLiteral, IsOperator and
// IsKeyword are simple comparisons.
type Token int

// Tokens. The spelling of each one is in tokenNames.
const (
	ILLEGAL Token = iota // a lexical error; the lexer has recorded it
	EOF

	literalBeg
	IDENT       // name, without a hyphen
	IDENTHYPHEN // network-traffic: an identifier containing '-'
	STRING      // 'abc'
	INT         // 12, -3, +4
	FLOAT       // 1.5, -.5
	TIMESTAMP   // t'2020-01-01T00:00:00Z'
	HEX         // h'00ff'
	BINARY      // b'AAAA'
	literalEnd

	operatorBeg
	EQ       // = or ==
	NEQ      // != or <>
	LT       // <
	LE       // <=
	GT       // >
	GE       // >=
	COLON    // :
	DOT      // .
	COMMA    // ,
	LPAREN   // (
	RPAREN   // )
	LBRACK   // [
	RBRACK   // ]
	ASTERISK // *
	operatorEnd

	keywordBeg
	AND
	OR
	NOT
	FOLLOWEDBY
	LIKE
	MATCHES
	ISSUPERSET
	ISSUBSET
	LAST
	IN
	START
	STOP
	SECONDS
	TRUE
	FALSE
	WITHIN
	REPEATS
	TIMES
	EXISTS
	keywordEnd
)

var tokenNames = [...]string{
	ILLEGAL:     "ILLEGAL",
	EOF:         "EOF",
	IDENT:       "identifier",
	IDENTHYPHEN: "hyphenated identifier",
	STRING:      "string",
	INT:         "integer",
	FLOAT:       "float",
	TIMESTAMP:   "timestamp",
	HEX:         "hex",
	BINARY:      "binary",
	EQ:          "=",
	NEQ:         "!=",
	LT:          "<",
	LE:          "<=",
	GT:          ">",
	GE:          ">=",
	COLON:       ":",
	DOT:         ".",
	COMMA:       ",",
	LPAREN:      "(",
	RPAREN:      ")",
	LBRACK:      "[",
	RBRACK:      "]",
	ASTERISK:    "*",
	AND:         "AND",
	OR:          "OR",
	NOT:         "NOT",
	FOLLOWEDBY:  "FOLLOWEDBY",
	LIKE:        "LIKE",
	MATCHES:     "MATCHES",
	ISSUPERSET:  "ISSUPERSET",
	ISSUBSET:    "ISSUBSET",
	LAST:        "LAST",
	IN:          "IN",
	START:       "START",
	STOP:        "STOP",
	SECONDS:     "SECONDS",
	TRUE:        "true",
	FALSE:       "false",
	WITHIN:      "WITHIN",
	REPEATS:     "REPEATS",
	TIMES:       "TIMES",
	EXISTS:      "EXISTS",
}

// String returns the token's spelling for operators and keywords and a
// descriptive name for literals.
func (t Token) String() string {
	if t >= 0 && int(t) < len(tokenNames) && tokenNames[t] != "" {
		return tokenNames[t]
	}
	return "Token(" + strconv.Itoa(int(t)) + ")"
}

// IsLiteral reports whether t is an identifier or a constant.
func (t Token) IsLiteral() bool { return t > literalBeg && t < literalEnd }

// IsOperator reports whether t is punctuation or a comparison operator.
func (t Token) IsOperator() bool { return t > operatorBeg && t < operatorEnd }

// IsKeyword reports whether t is a reserved word. Keywords are
// case-sensitive: AND is a keyword, and is an identifier.
func (t Token) IsKeyword() bool { return t > keywordBeg && t < keywordEnd }

// Precedence returns the binding strength of t as a binary operator between
// observation or comparison expressions: FOLLOWEDBY 1, OR 2, AND 3, and 0 for
// any other token. Comparison expressions only use OR and AND, so the same
// ordering (OR below AND) serves both layers.
func (t Token) Precedence() int {
	switch t {
	case FOLLOWEDBY:
		return 1
	case OR:
		return 2
	case AND:
		return 3
	}
	return 0
}

// keywords maps the exact spelling of each reserved word to its token.
var keywords = map[string]Token{
	"AND": AND, "OR": OR, "NOT": NOT, "FOLLOWEDBY": FOLLOWEDBY,
	"LIKE": LIKE, "MATCHES": MATCHES, "ISSUPERSET": ISSUPERSET,
	"ISSUBSET": ISSUBSET, "LAST": LAST, "IN": IN, "START": START,
	"STOP": STOP, "SECONDS": SECONDS, "true": TRUE, "false": FALSE,
	"WITHIN": WITHIN, "REPEATS": REPEATS, "TIMES": TIMES, "EXISTS": EXISTS,
}

// Lookup returns the keyword token for ident, or IDENT (or IDENTHYPHEN when
// ident contains '-') if it is not a keyword. The match is case-sensitive.
func Lookup(ident string) Token {
	if tok, ok := keywords[ident]; ok {
		return tok
	}
	for i := 0; i < len(ident); i++ {
		if ident[i] == '-' {
			return IDENTHYPHEN
		}
	}
	return IDENT
}
