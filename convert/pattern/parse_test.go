package pattern

import (
	"errors"
	"strings"
	"testing"
)

// mustParse parses src or fails the test.
func mustParse(tb testing.TB, src string) ObsExpr {
	tb.Helper()
	e, err := Parse(src)
	if err != nil {
		tb.Fatalf("Parse(%q) error: %v", src, err)
	}
	return e
}

// checkRoundTrip asserts that the printed form re-parses to an equal tree
// and prints identically.
func checkRoundTrip(tb testing.TB, e ObsExpr) {
	tb.Helper()
	printed := e.String()
	again, err := Parse(printed)
	if err != nil {
		tb.Fatalf("Parse(%q) (re-parse of printed tree) error: %v", printed, err)
	}
	if !Equal(e, again) {
		tb.Fatalf("Parse(%q) = %s, not Equal to the original tree", printed, sexpr(again))
	}
	if got := again.String(); got != printed {
		tb.Fatalf("printing is not idempotent: %q then %q", printed, got)
	}
}

// sexpr prints a tree fully parenthesised, so tests can see its shape.
func sexpr(n Node) string {
	switch n := n.(type) {
	case *ObsBinary:
		return "(" + n.Op.String() + " " + sexpr(n.Left) + " " + sexpr(n.Right) + ")"
	case *Qualified:
		return "(" + n.Qualifier.String() + " " + sexpr(n.Expr) + ")"
	case *Observation:
		return "[" + sexpr(n.Expr) + "]"
	case *CompBinary:
		return "(" + n.Op.String() + " " + sexpr(n.Left) + " " + sexpr(n.Right) + ")"
	}
	return n.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"simple", "[domain-name:value = 'webdot.ddns.net']", "[domain-name:value = 'webdot.ddns.net']"},
		{"no spaces", "[file:name='a']AND[file:size=1]", "[file:name = 'a'] AND [file:size = 1]"},
		{"double equals", "[file:size == 1]", "[file:size = 1]"},
		{"angle not equal", "[file:size <> 1]", "[file:size != 1]"},
		{"leading point float", "[file:x = .5 OR file:y = -.5]", "[file:x = 0.5 OR file:y = -0.5]"},
		{"float leading zeros", "[file:x = 007.25]", "[file:x = 7.25]"},
		{"within plus", "[file:size = 1] WITHIN +5 SECONDS", "[file:size = 1] WITHIN 5 SECONDS"},
		{"within plus float", "[file:size = 1] WITHIN +.5 SECONDS", "[file:size = 1] WITHIN 0.5 SECONDS"},
		{"repeats plus", "[file:size = 1] REPEATS +2 TIMES", "[file:size = 1] REPEATS 2 TIMES"},
		{"index plus", "[email-message:to_refs[+1].value = 'a']", "[email-message:to_refs[1].value = 'a']"},
		{"upper hex", "[file:magic_number_hex = h'FFD8']", "[file:magic_number_hex = h'ffd8']"},
		{"empty hex", "[file:magic_number_hex = h'']", "[file:magic_number_hex = h'']"},
		{"sha1 alias", "[file:hashes.SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']", "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']"},
		{"sha256 lower alias", "[file:hashes.sha256 = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855']", "[file:hashes.'SHA-256' = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855']"},
		{"quoted md5", "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']", "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"},
		{"quoted first step", "[file:'name' = 'a']", "[file:name = 'a']"},
		{"keyword keys quoted", "[x-acme:'LAST'.'IN'.'and' = 1]", "[x-acme:'LAST'.'IN'.and = 1]"},
		{"odd keys quoted", "[x-acme:'1x'.'a b'.'' = 1]", "[x-acme:'1x'.'a b'.'' = 1]"},
		{"lower-case and is a key", "[x-acme:and = 1]", "[x-acme:and = 1]"},
		{"leading comment", "/* why */ [file:size = 1] // trailing", "[file:size = 1]"},
		{"comment inside", "[file:size /* c */ = 1]", "[file:size = 1]"},
		{"line comment CR", "// c\r[file:size = 1]", "[file:size = 1]"},
		{"space in path", "[file : hashes . MD5 = 'd41d8cd98f00b204e9800998ecf8427e']", "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"},
		{"unicode space", "\u00a0[file:size\u2003=\u30001]\u2028", "[file:size = 1]"},
		{"escapes", `[file:name = 'it\'s \\ here']`, `[file:name = 'it\'s \\ here']`},
		{"escaped final quote", `[file:name = 'x\'']`, `[file:name = 'x\'']`},
		{"raw newline", "[file:name = 'a\nb']", "[file:name = 'a\nb']"},
		{"not not equal", "[file:name NOT != 'a']", "[file:name NOT != 'a']"},
		{"not exists", "[NOT EXISTS file:name]", "[NOT EXISTS file:name]"},
		{"exists and", "[EXISTS file:name AND NOT EXISTS file:size]", "[EXISTS file:name AND NOT EXISTS file:size]"},
		{"redundant parens", "(([file:size = 1]))", "[file:size = 1]"},
		{"redundant comp parens", "[((file:size = 1))]", "[file:size = 1]"},
		{"ipv4 subset address", "[ipv4-addr:value ISSUBSET '198.51.100.7']", "[ipv4-addr:value ISSUBSET '198.51.100.7']"},
		{"resolves_to issubset", "[domain-name:resolves_to_refs[*].value ISSUBSET '10.0.0.0/8']", "[domain-name:resolves_to_refs[*].value ISSUBSET '10.0.0.0/8']"},
		{"fraction kept", "[file:mtime = t'2020-01-01T00:00:00.000Z']", "[file:mtime = t'2020-01-01T00:00:00.000Z']"},
		{"feb 29 leap year", "[file:mtime = t'2024-02-29T23:59:59Z']", "[file:mtime = t'2024-02-29T23:59:59Z']"},
		{"set of timestamps", "[file:mtime IN (t'2020-01-01T00:00:00Z',t'2021-01-01T00:00:00Z')]", "[file:mtime IN (t'2020-01-01T00:00:00Z', t'2021-01-01T00:00:00Z')]"},
		{"binary", "[artifact:payload_bin = b'QUJD']", "[artifact:payload_bin = b'QUJD']"},
		{"or across types", "[ipv4-addr:value = '1.2.3.4' OR domain-name:value = 'x.org']", "[ipv4-addr:value = '1.2.3.4' OR domain-name:value = 'x.org']"},
		{"and with overlapping or", "[(file:name = 'a' OR process:name = 'a') AND file:size = 1]", "[(file:name = 'a' OR process:name = 'a') AND file:size = 1]"},
		{"qualified members in qualified group", "([file:size = 1] WITHIN 5 SECONDS AND [file:size = 2]) WITHIN 10 SECONDS", "([file:size = 1] WITHIN 5 SECONDS AND [file:size = 2]) WITHIN 10 SECONDS"},
		{"qualifier on right group", "[file:size = 1] AND ([file:size = 2] OR [file:size = 3]) REPEATS 2 TIMES", "[file:size = 1] AND ([file:size = 2] OR [file:size = 3]) REPEATS 2 TIMES"},
		{"right assoc parens kept", "[file:size = 1] AND ([file:size = 2] AND [file:size = 3])", "[file:size = 1] AND ([file:size = 2] AND [file:size = 3])"},
		{"left assoc parens dropped", "([file:size = 1] AND [file:size = 2]) AND [file:size = 3]", "[file:size = 1] AND [file:size = 2] AND [file:size = 3]"},
		{"comp right parens kept", "[file:size = 1 OR (file:size = 2 OR file:size = 3)]", "[file:size = 1 OR (file:size = 2 OR file:size = 3)]"},
		{"port as string is a type mismatch, not a syntax error", "[network-traffic:dst_port = '8080']", "[network-traffic:dst_port = '8080']"},
		{"int64 min", "[x-acme:n = -9223372036854775808]", "[x-acme:n = -9223372036854775808]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustParse(t, tc.in)
			if got := e.String(); got != tc.want {
				t.Fatalf("Parse(%q).String() = %q, want %q", tc.in, got, tc.want)
			}
			checkRoundTrip(t, e)
		})
	}
}

// TestPrecedence pins the shapes of A1 in patterns-kql.md.
func TestPrecedence(t *testing.T) {
	const a, b, c = "[x-a:v = 1]", "[x-b:v = 2]", "[x-c:v = 3]"
	tests := []struct {
		name, in, want string
	}{
		{"AND binds tighter than OR", a + " OR " + b + " AND " + c, "(OR [x-a:v = 1] (AND [x-b:v = 2] [x-c:v = 3]))"},
		{"OR binds tighter than FOLLOWEDBY", a + " FOLLOWEDBY " + b + " OR " + c, "(FOLLOWEDBY [x-a:v = 1] (OR [x-b:v = 2] [x-c:v = 3]))"},
		{"left associative", a + " FOLLOWEDBY " + b + " FOLLOWEDBY " + c, "(FOLLOWEDBY (FOLLOWEDBY [x-a:v = 1] [x-b:v = 2]) [x-c:v = 3])"},
		{"WITHIN is not greedy", a + " AND " + b + " WITHIN 30 SECONDS", "(AND [x-a:v = 1] (WITHIN 30 SECONDS [x-b:v = 2]))"},
		{"REPEATS only the last", a + " FOLLOWEDBY " + b + " REPEATS 5 TIMES", "(FOLLOWEDBY [x-a:v = 1] (REPEATS 5 TIMES [x-b:v = 2]))"},
		{"qualifier on group", "(" + a + " AND " + b + ") WITHIN 30 SECONDS", "(WITHIN 30 SECONDS (AND [x-a:v = 1] [x-b:v = 2]))"},
		{"qualifier chain nests", a + " REPEATS 2 TIMES WITHIN 5 SECONDS", "(WITHIN 5 SECONDS (REPEATS 2 TIMES [x-a:v = 1]))"},
		{"comparison AND over OR", "[x-a:x = 1 OR x-a:y = 2 AND x-a:z = 3]", "[(OR x-a:x = 1 (AND x-a:y = 2 x-a:z = 3))]"},
		{"comparison parens", "[(x-a:x = 1 OR x-a:y = 2) AND x-a:z = 3]", "[(AND (OR x-a:x = 1 x-a:y = 2) x-a:z = 3)]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustParse(t, tc.in)
			if got := sexpr(e); got != tc.want {
				t.Fatalf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
			}
			checkRoundTrip(t, e)
		})
	}
}

// TestKeywordCase pins that keywords are upper-case only and booleans
// lower-case only (STIX 2.0 grammars were case-insensitive).
func TestKeywordCase(t *testing.T) {
	for in, want := range map[string]Token{
		"AND": AND, "and": IDENT, "And": IDENT, "true": TRUE, "TRUE": IDENT,
		"EXISTS": EXISTS, "exists": IDENT, "network-traffic": IDENTHYPHEN, "AND-x": IDENTHYPHEN,
	} {
		if got := Lookup(in); got != want {
			t.Errorf("Lookup(%q) = %v, want %v", in, got, want)
		}
	}
	for _, in := range []string{
		"[file:name = 'a' and file:size = 1]",
		"[file:name = 'a'] within 5 SECONDS",
		"[email-message:is_multipart = TRUE]",
		"[not exists file:name]",
	} {
		_, err := Parse(in)
		var perr *Error
		if !errors.As(err, &perr) || perr.Kind != KindSyntax {
			t.Errorf("Parse(%q) error = %v, want a syntax error", in, err)
		}
	}
}

func TestPositions(t *testing.T) {
	const src = "[file:size = 1] AND\n [x-a:b[*] NOT IN (1)] WITHIN 5 SECONDS"
	e := mustParse(t, src)
	bin := e.(*ObsBinary)
	q := bin.Right.(*Qualified)
	obs := q.Expr.(*Observation)
	cmp := obs.Expr.(*Comparison)
	got := []Pos{bin.Position(), bin.OpPos, obs.Lbrack, cmp.Path.TypePos, cmp.Path.Steps[1].Pos,
		cmp.OpPos, cmp.Value.Position(), q.Qualifier.Position(), q.Qualifier.(*Within).Seconds.Position()}
	want := []Pos{0, 16, 21, 22, 27, 35, 38, 43, 50}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("position %d = %d, want %d (text %q)", i, got[i], want[i], src[got[i]:])
		}
	}
}

func TestNesting(t *testing.T) {
	deep := func(n int) string {
		return strings.Repeat("(", n) + "[file:size = 1]" + strings.Repeat(")", n)
	}
	mustParse(t, deep(maxNest-1))
	_, err := Parse(deep(100000))
	want := "1:257: nesting deeper than 256 levels"
	if err == nil || err.Error() != want {
		t.Fatalf("Parse(100000 parens) error = %v, want %s", err, want)
	}
	_, err = Parse("[" + strings.Repeat("(", 300) + "file:size = 1" + strings.Repeat(")", 300) + "]")
	if err == nil || !strings.Contains(err.Error(), "nesting deeper") {
		t.Fatalf("Parse(300 comparison parens) error = %v, want nesting error", err)
	}
}

// TestStringValues pins the unescaping that other converters get wrong
// (patterns-kql.md B10.3-4): \' is one quote, a final escaped quote stays,
// and only \' and \\ are escapes.
func TestStringValues(t *testing.T) {
	tests := []struct{ in, want string }{
		{`'O\'Brien'`, "O'Brien"},
		{`'x\''`, "x'"},
		{`'\\'`, `\`},
		{`'C:\\Windows\\%\\foo'`, `C:\Windows\%\foo`},
		{`'^\\d+$'`, `^\d+$`},
		{`''`, ""},
		{"'tab\there'", "tab\there"},
	}
	for _, tc := range tests {
		src := "[file:name = " + tc.in + "]"
		e := mustParse(t, src)
		got := e.(*Observation).Expr.(*Comparison).Value.(*String).Value
		if got != tc.want {
			t.Errorf("Parse(%q) string value = %q, want %q", src, got, tc.want)
		}
		checkRoundTrip(t, e)
	}
}

// TestConstantValues checks decoded constants, not just their printing.
func TestConstantValues(t *testing.T) {
	hx := mustParse(t, "[x-acme:v = h'00FF']").(*Observation).Expr.(*Comparison).Value.(*Hex)
	if string(hx.Value) != "\x00\xff" {
		t.Errorf("h'00FF' decoded to %x, want 00ff", hx.Value)
	}
	bin := mustParse(t, "[x-acme:v = b'AAE=']").(*Observation).Expr.(*Comparison).Value.(*Binary)
	if string(bin.Value) != "\x00\x01" {
		t.Errorf("b'AAE=' decoded to %x, want 0001", bin.Value)
	}
	ts := mustParse(t, "[x-acme:v = t'2020-02-29T12:00:00.25Z']").(*Observation).Expr.(*Comparison).Value.(*Timestamp)
	if got := ts.Value.Format("2006-01-02T15:04:05.000Z07:00"); got != "2020-02-29T12:00:00.250Z" {
		t.Errorf("timestamp decoded to %s, want 2020-02-29T12:00:00.250Z", got)
	}
	f := mustParse(t, "[x-acme:v = -.25]").(*Observation).Expr.(*Comparison).Value.(*Float)
	if f.Value != -0.25 || f.Text != "-0.25" {
		t.Errorf("-.25 decoded to %v %q, want -0.25", f.Value, f.Text)
	}
}
