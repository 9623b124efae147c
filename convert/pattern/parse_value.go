package pattern

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// path = objectType ':' key { '.' key | '[' (Int|'*') ']' }
// key = Identifier | String
//
// parsePath fills o, whose Steps the caller may preallocate.
func (p *parser) parsePath(o *ObjectPath) *Error {
	if p.tok.tok != IDENT && p.tok.tok != IDENTHYPHEN {
		return p.errExpected("object path")
	}
	o.TypePos, o.ObjectType = p.tok.pos, p.tok.lit
	p.next()
	if err := p.expect(COLON); err != nil {
		return err
	}
	first, err := p.parseKey()
	if err != nil {
		return err
	}
	o.Steps = append(o.Steps, first)
	for {
		var s Step
		switch p.tok.tok {
		case DOT:
			p.next()
			s, err = p.parseKey()
		case LBRACK:
			s, err = p.parseIndex()
		default:
			normalizeHashKey(o)
			return nil
		}
		if err != nil {
			return err
		}
		o.Steps = append(o.Steps, s)
	}
}

// parseKey parses a bare or quoted property name.
func (p *parser) parseKey() (Step, *Error) {
	s := Step{Pos: p.tok.pos, Kind: StepKey}
	switch p.tok.tok {
	case IDENT:
		s.Key = p.tok.lit
	case STRING:
		s.Key = unquote(p.tok.lit)
	case IDENTHYPHEN:
		return s, p.errExpected("property name (quote keys containing '-')")
	default:
		return s, p.errExpected("property name")
	}
	p.next()
	return s, nil
}

// parseIndex parses '[' (Int|'*') ']'.
func (p *parser) parseIndex() (Step, *Error) {
	s := Step{Pos: p.tok.pos}
	p.next()
	switch p.tok.tok {
	case ASTERISK:
		s.Kind = StepAnyIndex
	case INT:
		s.Kind = StepIndex
		s.Index = p.parseInt(p.tok, true)
	default:
		return s, p.errExpected("index or '*'")
	}
	p.next()
	return s, p.expect(RBRACK)
}

// hashAliases maps spellings seen in the wild to hash-algorithm-ov names.
func hashAlias(key string) string {
	switch strings.ToUpper(key) {
	case "MD5":
		return "MD5"
	case "SHA1", "SHA-1":
		return "SHA-1"
	case "SHA256", "SHA-256":
		return "SHA-256"
	case "SHA512", "SHA-512":
		return "SHA-512"
	}
	return key
}

// normalizeHashKey rewrites the key after "hashes" to its
// hash-algorithm-ov spelling (SHA1 → SHA-1), see doc.go.
func normalizeHashKey(o *ObjectPath) {
	n := len(o.Steps)
	if n >= 2 && o.Steps[n-2].Kind == StepKey && o.Steps[n-2].Key == "hashes" && o.Steps[n-1].Kind == StepKey {
		o.Steps[n-1].Key = hashAlias(o.Steps[n-1].Key)
	}
}

// constant = String | Int | Float | Bool | Timestamp | Hex | Binary
//
// A string constant is stored in str when the caller preallocated one.
func (p *parser) parseConstant(str *String) (Constant, *Error) {
	it := p.tok
	var c Constant
	switch it.tok {
	case STRING:
		if str == nil {
			str = new(String)
		}
		str.ValuePos, str.Value = it.pos, unquote(it.lit)
		c = str
	case INT:
		c = &Int{ValuePos: it.pos, Value: p.parseInt(it, false)}
	case FLOAT:
		return p.parseNumber(false), nil
	case TRUE, FALSE:
		c = &Bool{ValuePos: it.pos, Value: it.tok == TRUE}
	case TIMESTAMP:
		c = p.parseTimestamp()
	case HEX:
		b, _ := hex.DecodeString(it.lit[2 : len(it.lit)-1]) // the lexer checked it
		c = &Hex{ValuePos: it.pos, Value: b}
	case BINARY:
		b, err := base64.StdEncoding.DecodeString(it.lit[2 : len(it.lit)-1])
		if err != nil {
			return nil, newError(p.src, it.pos, KindSyntax, "invalid binary literal: "+err.Error())
		}
		c = &Binary{ValuePos: it.pos, Value: b}
	default:
		return nil, p.errExpected("constant")
	}
	p.next()
	return c, nil
}

// parseInt decodes an INT token. A '+' sign is allowed (and dropped) where
// the grammar's IntPosLiteral is a count (REPEATS, index) but is a spec
// violation on a comparison constant.
func (p *parser) parseInt(it item, plusOK bool) int64 {
	if it.lit[0] == '+' && !plusOK {
		p.markInvalid(it.pos, "a positive constant must not have a '+' sign")
	}
	v, err := strconv.ParseInt(it.lit, 10, 64)
	if err != nil {
		p.markInvalid(it.pos, "integer "+it.lit+" out of range")
	}
	return v
}

// parseNumber decodes and consumes the current INT or FLOAT token.
func (p *parser) parseNumber(plusOK bool) Number {
	it := p.tok
	if it.tok == INT {
		v := p.parseInt(it, plusOK)
		p.next()
		return &Int{ValuePos: it.pos, Value: v}
	}
	if it.lit[0] == '+' && !plusOK {
		p.markInvalid(it.pos, "a positive constant must not have a '+' sign")
	}
	v, err := strconv.ParseFloat(it.lit, 64)
	if err != nil {
		p.markInvalid(it.pos, "float "+it.lit+" out of range")
	}
	p.next()
	return &Float{ValuePos: it.pos, Value: v, Text: canonicalFloat(it.lit)}
}

// canonicalFloat drops a '+' sign and redundant leading zeros and adds a
// missing zero before the point: "+.5" → "0.5", "-007.25" → "-7.25".
func canonicalFloat(lit string) string {
	sign := ""
	switch lit[0] {
	case '+':
		lit = lit[1:]
	case '-':
		sign, lit = "-", lit[1:]
	}
	for len(lit) > 1 && lit[0] == '0' && lit[1] != '.' {
		lit = lit[1:]
	}
	if lit[0] == '.' {
		return sign + "0" + lit
	}
	if sign == "" {
		return lit
	}
	return sign + lit
}

// parseTimestamp decodes the current TIMESTAMP token; a date that does not
// exist (Feb 30) or a leap second is a spec violation, not a syntax error.
func (p *parser) parseTimestamp() *Timestamp {
	it := p.tok
	body := it.lit[2 : len(it.lit)-1]
	t, problem := decodeTimestamp(body)
	if problem != "" {
		p.markInvalid(it.pos, "invalid timestamp "+body+": "+problem)
	}
	return &Timestamp{ValuePos: it.pos, Value: t, Text: body}
}

// decodeTimestamp converts a literal already shaped by timestampShape.
func decodeTimestamp(s string) (time.Time, string) {
	year := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + atoi2(s[2:])
	month, day := atoi2(s[5:]), atoi2(s[8:])
	hour, minute, sec := atoi2(s[11:]), atoi2(s[14:]), atoi2(s[17:])
	if sec == 60 {
		return time.Time{}, "leap second not supported"
	}
	nsec := 0
	if frac := s[19 : len(s)-1]; frac != "" {
		digits := frac[1:]
		for i := 0; i < 9; i++ {
			nsec *= 10
			if i < len(digits) {
				nsec += int(digits[i] - '0')
			}
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day {
		return time.Time{}, "day out of range for month"
	}
	return t, ""
}

// unquote strips the quotes of a STRING token and undoes \' and \\. It
// allocates only when there is an escape.
func unquote(lit string) string {
	s := lit[1 : len(lit)-1]
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
