package pattern

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
		kind           ErrorKind
	}{
		{"missing rbrack", "[file:name = 'a.exe'", "1:21: expected ']', found EOF", KindSyntax},
		{"empty", "", "1:1: expected '[' or '(', found EOF", KindSyntax},
		{"within zero", "[file:size = 1] WITHIN 0 SECONDS", "1:24: WITHIN must be a positive number of seconds, found 0", KindInvalid},
		{"repeats zero", "[file:size = 1] REPEATS 0 TIMES", "1:17: REPEATS must be at least 1, found 0", KindInvalid},
		{"within negative", "[file:size = 1] WITHIN -5 SECONDS", "1:24: expected positive number, found integer -5", KindSyntax},
		{"repeats float", "[file:size = 1] REPEATS 2.5 TIMES", "1:25: expected positive integer, found float 2.5", KindSyntax},
		{"within minutes", "[file:size = 1] WITHIN 5 MINUTES", "1:26: expected 'SECONDS', found identifier MINUTES", KindSyntax},
		{"feb 30", "[file:mtime = t'2023-02-30T00:00:00Z']", "1:15: invalid timestamp 2023-02-30T00:00:00Z: day out of range for month", KindInvalid},
		{"leap second", "[file:mtime = t'2016-12-31T23:59:60Z']", "1:15: invalid timestamp 2016-12-31T23:59:60Z: leap second not supported", KindInvalid},
		{"in mixed", "[file:name IN ('a', 1)]", "1:21: IN set mixes string and integer constants", KindInvalid},
		{"in empty", "[file:name IN ()]", "1:15: IN set is empty", KindInvalid},
		{"plus constant", "[network-traffic:dst_port = +1024]", "1:29: a positive constant must not have a '+' sign", KindInvalid},
		{"plus float constant", "[x-acme:r = +1.5]", "1:13: a positive constant must not have a '+' sign", KindInvalid},
		{"upper object type", "[File:name = 'a']", `1:2: invalid object type "File": want 3-250 characters of a-z, 0-9 and '-', starting with a letter`, KindInvalid},
		{"and across types", "[ipv4-addr:value = '198.51.100.7' AND network-traffic:dst_port = 80]", "1:35: AND inside one observation needs one object type, found ipv4-addr and network-traffic", KindInvalid},
		{"issubset path", "[file:name ISSUBSET '10.0.0.0/8']", "1:12: ISSUBSET needs an IP address path such as ipv4-addr:value, found file:name", KindInvalid},
		{"issubset cidr", "[ipv4-addr:value ISSUBSET '10.0.0.0/33']", "1:27: ISSUBSET needs an IP address or CIDR, found '10.0.0.0/33'", KindInvalid},
		{"duplicate qualifier", "[file:size = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS", "1:34: duplicate WITHIN qualifier on one observation expression", KindInvalid},
		{"duplicate through parens", "([file:size = 1] WITHIN 5 SECONDS) WITHIN 6 SECONDS", "1:36: duplicate WITHIN qualifier on one observation expression", KindInvalid},
		{"hash not hex", "[file:hashes.MD5 = 'not-hex']", "1:20: invalid MD5 hash 'not-hex': want 32 hex digits", KindInvalid},
		{"negative index", "[x-acme:list[-1] = 1]", "1:13: negative list index -1 can never match", KindInvalid},
		{"stop before start", "[file:size = 1] START t'2020-01-02T00:00:00Z' STOP t'2020-01-01T00:00:00Z'", "1:52: STOP must be later than START", KindInvalid},
		{"stop equals start", "[file:size = 1] START t'2020-01-01T00:00:00Z' STOP t'2020-01-01T00:00:00.000Z'", "1:52: STOP must be later than START", KindInvalid},
		{"not before path", "[NOT file:name = 'a']", "1:6: expected EXISTS, found identifier file", KindSyntax},
		{"not before paren", "[NOT (file:name = 'a')]", "1:6: expected EXISTS, found '('", KindSyntax},
		{"not before bracket", "NOT [file:name = 'a']", "1:1: expected '[' or '(', found 'NOT'", KindSyntax},
		{"not after operator", "[file:name = NOT 'a']", "1:14: expected constant, found 'NOT'", KindSyntax},
		{"lower-case and", "[file:name = 'a' and file:size = 1]", "1:18: expected ']', found identifier and", KindSyntax},
		{"unquoted hyphen key", "[file:hashes.SHA-256 = 'x']", "1:14: expected property name (quote keys containing '-'), found hyphenated identifier SHA-256", KindSyntax},
		{"unbalanced quote", "[file:name = 'it's.exe']", "1:18: expected ']', found identifier s", KindSyntax},
		{"bad escape", `[file:name = 'a\n']`, `1:16: invalid escape sequence in string: only \' and \\ are allowed`, KindSyntax},
		{"unterminated string", "[file:name = 'a]", "1:14: string not terminated", KindSyntax},
		{"start plain string", "[file:size = 1] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00Z'", "1:23: expected timestamp, found string", KindSyntax},
		{"leading zero", "[file:size = 007]", "1:14: invalid integer 007: leading zero", KindSyntax},
		{"float without fraction", "[file:size = 5.]", "1:15: expected ']', found '.'", KindSyntax},
		{"exponent", "[file:size = 1e3]", "1:15: expected ']', found identifier e3", KindSyntax},
		{"empty binary", "[artifact:payload_bin = b'']", "1:25: invalid binary literal: want padded base64", KindSyntax},
		{"odd hex", "[file:magic_number_hex = h'fff']", "1:26: invalid hex literal: odd number of digits", KindSyntax},
		{"bad month", "[file:mtime = t'2023-13-01T00:00:00Z']", "1:15: invalid timestamp literal: want t'YYYY-MM-DDTHH:MM:SS[.s+]Z'", KindSyntax},
		{"ordering bool", "[x-acme:b > true]", "1:13: expected non-boolean constant, found 'true'", KindSyntax},
		{"like number", "[file:name LIKE 5]", "1:17: expected string, found integer 5", KindSyntax},
		{"followedby in brackets", "[file:size = 1 FOLLOWEDBY file:size = 2]", "1:16: expected ']', found 'FOLLOWEDBY'", KindSyntax},
		{"trailing garbage", "[file:size = 1] ]", "1:17: expected AND, OR, FOLLOWEDBY, a qualifier or EOF, found ']'", KindSyntax},
		{"unexpected char", "[file:size = 1] ; DROP", "1:17: unexpected character ';'", KindSyntax},
		{"control char", "[file:size = 1]\x00", "1:16: unexpected character U+0000", KindSyntax},
		{"invalid utf8", "[file:name = '\xff']", "1:15: invalid UTF-8 encoding", KindSyntax},
		{"unterminated comment", "/* x", "1:1: comment not terminated", KindSyntax},
		{"keyword as key", "[x-acme:IN = 'a']", "1:9: expected property name, found 'IN'", KindSyntax},
		{"second line", "[file:name = 'a'\n  AND file:size = ]", "2:19: expected constant, found ']'", KindSyntax},
		{"syntax beats invalid", "[File:name = 'a'", "1:17: expected ']', found EOF", KindSyntax},
		{"object ids are not paths", "[indicator--1ed8caa7-a708-4706-b651-f1186ede6ca1 OR indicator--2ed8caa7-a708-4706-b651-f1186ede6ca1]", "1:50: expected ':', found 'OR'", KindSyntax},
		{"and across types with string port", "[network-traffic:dst_port = '8080' AND ipv4-addr:value = '1.2.3.4']", "1:36: AND inside one observation needs one object type, found network-traffic and ipv4-addr", KindInvalid},
		{"sha3-384 length", "[file:hashes.'SHA3-384' = 'abcd']", "1:27: invalid SHA3-384 hash 'abcd': want 96 hex digits", KindInvalid},
		{"integer overflow", "[x-acme:n = 9223372036854775808]", "1:13: integer 9223372036854775808 out of range", KindInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.in)
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%q) = %v, %v; want error %q", tc.in, e, err, tc.want)
			}
			if perr.Error() != tc.want || perr.Kind != tc.kind {
				t.Fatalf("Parse(%q) error = %q (%v), want %q (%v)", tc.in, perr.Error(), perr.Kind, tc.want, tc.kind)
			}
			if int(perr.Pos) > len(tc.in) {
				t.Fatalf("Parse(%q) error Pos %d is past the input", tc.in, perr.Pos)
			}
		})
	}
}

// TestLimits pins the implementation limits and checks that hostile sizes
// finish (the test has no timing assertion; a quadratic path would show up
// as a slow test).
func TestLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := range maxObjectTypes + 1 {
		if i > 0 {
			b.WriteString(" OR ")
		}
		fmt.Fprintf(&b, "x-t%d:v = 1", i)
	}
	b.WriteString("]")
	_, err := Parse(b.String())
	if err == nil || !strings.Contains(err.Error(), "more than 64 object types in one observation") {
		t.Fatalf("Parse(65 object types) error = %v, want the object-type limit", err)
	}

	long := "[x-a:v = 1]" + strings.Repeat(" AND [x-a:v = 1]", 50000)
	e := mustParse(t, long)
	if got := e.String(); got != long {
		t.Fatalf("Parse(50000 observations).String() differs from the input")
	}
	chain := "[x-a:v = 1]" + strings.Repeat(" REPEATS 2 TIMES WITHIN 1 SECONDS", 50000)
	if _, err := Parse(chain); err == nil || !strings.Contains(err.Error(), "duplicate REPEATS") {
		t.Fatalf("Parse(long qualifier chain) error = %v, want duplicate REPEATS", err)
	}
}
