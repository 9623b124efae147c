package kql

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// hostileValues are intel strings that try to break out of a literal or a
// comment; they are shared by the quoting, rendering and format tests.
var hostileValues = []string{
	``, `plain`, `it's`, `it''s`, `"`, `\`, `\\`, `x\'`, `a"b`, `"| take 1`, `"); DnsEvents | take 1 //`,
	"line\nbreak", "cr\rlf\n", "tab\there", "nul\x00byte", "bell\a", "del\x7f", "nel\u0085", "ls\u2028ps\u2029",
	"bidi\u202eevil", "café", "Стилер", "😀 emoji", `h"obfuscated"`, `@"verbatim"`, "''' backticks ```",
	`\u0041`, `%_*.?`,
}

func TestQuoteString(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, `""`},
		{`abc`, `"abc"`},
		{`it's`, `"it's"`},
		{`a"b`, `"a\"b"`},
		{`C:\Temp\x.exe`, `"C:\\Temp\\x.exe"`},
		{"a\nb\r\tc", `"a\nb\r\tc"`},
		{"\x00\x1f\x7f", `"\u0000\u001f\u007f"`},
		{"é\u2028", `"\u00e9\u2028"`},
		{"😀", `"\ud83d\ude00"`},
		{`"| take 1`, `"\"| take 1"`},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			got, err := quoteString(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("quoteString(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
			}
		})
	}
	if _, err := quoteString("bad\xffutf8"); err == nil {
		t.Errorf("quoteString(invalid UTF-8) = nil error, want error")
	}
}

func TestDecodeStringRejects(t *testing.T) {
	for _, lit := range []string{`abc`, `"abc`, `"a"b"`, "\"a\nb\"", `"\x41"`, `"\u12"`, `"\"`, `"\/"`} {
		if v, err := decodeString(lit); err == nil {
			t.Errorf("decodeString(%q) = %q, nil; want error", lit, v)
		}
	}
}

// checkLiteral asserts the quoting contract for one value.
func checkLiteral(tb testing.TB, v string) {
	tb.Helper()
	q, err := quoteString(v)
	if !utf8.ValidString(v) {
		if err == nil {
			tb.Fatalf("quoteString(%q) accepted invalid UTF-8", v)
		}
		return
	}
	if err != nil {
		tb.Fatalf("quoteString(%q) = %v", v, err)
	}
	for i := 0; i < len(q); i++ {
		if q[i] < 0x20 || q[i] >= 0x7f {
			tb.Fatalf("quoteString(%q) = %q: byte %#x is not printable ASCII", v, q, q[i])
		}
	}
	got, err := decodeString(q)
	if err != nil || got != v {
		tb.Fatalf("decodeString(quoteString(%q)) = %q, %v; want the value back", v, got, err)
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, v := range hostileValues {
		checkLiteral(t, v)
	}
}

func FuzzQuoteString(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) { checkLiteral(t, v) })
}

// TestQuoteKQLCheck confirms with Kusto.Language that every hostile literal
// is one valid string literal in a real query.
func TestQuoteKQLCheck(t *testing.T) {
	var queries []string
	for _, v := range hostileValues {
		q, _ := quoteString(v)
		queries = append(queries, "DnsEvents\n| where Name == "+q+"\n| project TimeGenerated, Name")
	}
	runKQLCheck(t, queries)
}

func TestCommentText(t *testing.T) {
	for _, v := range hostileValues {
		got := comment(v)
		if strings.ContainsAny(got, "\r\n\u0085\u2028\u2029\x00") {
			t.Errorf("comment(%q) = %q: contains a line break or control character", v, got)
		}
		if !strings.HasPrefix(got, "// ") {
			t.Errorf("comment(%q) = %q, want a // prefix", v, got)
		}
	}
	if got, want := comment("a\nDnsEvents | take 1"), "// a DnsEvents | take 1"; got != want {
		t.Errorf("comment = %q, want %q", got, want)
	}
}

func TestTimespanAndDatetime(t *testing.T) {
	spans := []struct {
		d    time.Duration
		want string
	}{{48 * time.Hour, "2d"}, {36 * time.Hour, "36h"}, {90 * time.Minute, "90m"}, {5 * time.Second, "5s"}, {1500 * time.Millisecond, "1500ms"}, {3 * time.Microsecond, "3microsecond"}}
	for _, tc := range spans {
		if got := timespanLit(tc.d); got != tc.want {
			t.Errorf("timespanLit(%s) = %q, want %q", tc.d, got, tc.want)
		}
	}
	ts := time.Date(2024, 2, 29, 23, 59, 59, 123456789, time.UTC)
	if got, want := datetimeLit(ts), "datetime(2024-02-29T23:59:59.1234567Z)"; got != want {
		t.Errorf("datetimeLit = %q, want %q", got, want)
	}
}

func TestValidIdent(t *testing.T) {
	tests := map[string]bool{"DnsEvents": true, "_Im_Dns": true, "x1": true, "": false, "1x": false, "a-b": false, "let": false, "first": false, "a b": false}
	for in, want := range tests {
		if got := validIdent(in); got != want {
			t.Errorf("validIdent(%q) = %v, want %v", in, got, want)
		}
	}
}
