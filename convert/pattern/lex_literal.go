package pattern

import "unicode/utf8"

// Character classes and literal shapes shared by the lexer and parser.

// quoteRune quotes the first rune of s for an error message.
func quoteRune(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if r < 0x20 || r == 0x7f || r == utf8.RuneError {
		return "U+" + hex4(r)
	}
	return "'" + string(r) + "'"
}

func hex4(r rune) string {
	const digits = "0123456789ABCDEF"
	b := []byte{digits[r>>12&0xF], digits[r>>8&0xF], digits[r>>4&0xF], digits[r&0xF]}
	return string(b)
}

func isHexDigit(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

func isBase64Char(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '+' || c == '/'
}

// isBase64 checks the grammar's BinaryLiteral: one or more 4-character
// groups, the last of which may end in "=" or "==".
func isBase64(s string) bool {
	if len(s) == 0 || len(s)%4 != 0 {
		return false
	}
	pad := 0
	if s[len(s)-1] == '=' {
		pad++
		if s[len(s)-2] == '=' {
			pad++
		}
	}
	for i := 0; i < len(s)-pad; i++ {
		if !isBase64Char(s[i]) {
			return false
		}
	}
	return true
}

// timestampShape checks YYYY-MM-DDTHH:MM:SS(.d+)?Z with the grammar's field
// ranges (month 01-12, day 01-31, hour 00-23, minute 00-59, second 00-60).
func timestampShape(s string) bool {
	const layout = "dddd-dd-ddTdd:dd:dd"
	if len(s) < len(layout)+1 || s[len(s)-1] != 'Z' {
		return false
	}
	for i := 0; i < len(layout); i++ {
		if (layout[i] == 'd' && !isDigit(s[i])) || (layout[i] != 'd' && s[i] != layout[i]) {
			return false
		}
	}
	if frac := s[len(layout) : len(s)-1]; frac != "" {
		if frac[0] != '.' || len(frac) == 1 {
			return false
		}
		for i := 1; i < len(frac); i++ {
			if !isDigit(frac[i]) {
				return false
			}
		}
	}
	month, day := atoi2(s[5:]), atoi2(s[8:])
	hour, minute, sec := atoi2(s[11:]), atoi2(s[14:]), atoi2(s[17:])
	return month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
		hour <= 23 && minute <= 59 && sec <= 60
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
