package taxii

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// hostileValues try to break out of a KQL string literal or comment.
var hostileValues = []string{
	`evil"| take 1`,
	`a\"; DnsEvents | take 1 //`,
	`trailing\`,
	`x\\"\\"| take 1`,
	"line1\nline2 | take 1",
	"cr\r| take 1",
	`' or 1==1 //`,
	"ls\u2028| take 1",
	`@"verbatim" h"obf"`,
	`"]); print 1; //`,
	"tab\there\x00nul",
}

// stixString writes v as a STIX pattern string literal.
func stixString(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// TestKQLHostileValues posts patterns whose values are hostile, as a bare pattern and inside an
// envelope (the pack's let lists), and checks that each answer has exactly the structure of the answer
// for a benign value, with the hostile value intact inside one string literal. kqlcheck must accept
// every answer.
func TestKQLHostileValues(t *testing.T) {
	e, _ := mustKQLEnv(t)
	var checked []string
	for _, path := range []string{"url:value", "domain-name:value", "process:command_line"} {
		want := hostileAnswers(t, e, path, "benign")
		for _, v := range hostileValues {
			t.Run(path+"/"+strconv.Quote(v), func(t *testing.T) {
				got := hostileAnswers(t, e, path, v)
				if len(got) != len(want) {
					t.Fatalf("%d queries for %q, %d for a benign value", len(got), v, len(want))
				}
				for i := range got {
					gs, glits := kqlSkeleton(t, got[i])
					ws, _ := kqlSkeleton(t, want[i])
					if gs != ws {
						t.Errorf("query structure changed by %q:\n got: %s\nwant: %s", v, gs, ws)
					}
					// The pack lower-cases domains, which it hunts case-insensitively.
					if !slices.Contains(glits, v) && !(path == "domain-name:value" && slices.Contains(glits, strings.ToLower(v))) {
						t.Errorf("no string literal holds %q exactly; literals %q", v, glits)
					}
				}
				checked = append(checked, got...)
			})
		}
	}
	mustKQLCheck(t, checked)
}

// hostileAnswers renders [path = v] through POST /kql as a pattern and as an envelope.
func hostileAnswers(t *testing.T, e *env, path, v string) []string {
	t.Helper()
	pat := "[" + path + " = " + stixString(v) + "]"
	var out []string
	for _, r := range []req{
		{method: http.MethodPost, path: "/kql/?format=json", body: pat, ct: "text/plain"},
		{method: http.MethodPost, path: "/kql/?format=json", body: envelopeOf(kqlIndicator(1, pat, "")), ct: "application/json"},
	} {
		rec := e.do(t, r)
		if rec.Code != http.StatusOK {
			t.Fatalf("POST /kql %s = %d %s", pat, rec.Code, rec.Body)
		}
		for _, q := range jsonQueries(t, rec.Body.Bytes()) {
			out = append(out, q.KQL)
		}
	}
	return out
}

// kqlSkeleton replaces every double-quoted string literal with "_" and every comment with "//_", and
// returns the decoded literals. It is an independent reading of KQL's lexical rules for the escapes the
// renderer may emit; an unknown escape, an unterminated literal or a raw line break inside a literal
// fails the test.
func kqlSkeleton(t *testing.T, q string) (string, []string) {
	t.Helper()
	var b strings.Builder
	var lits []string
	for i := 0; i < len(q); i++ {
		switch {
		case q[i] == '"':
			v, n, err := decodeKQLString(q[i:])
			if err != nil {
				t.Fatalf("literal at %d in %q: %v", i, q, err)
			}
			lits = append(lits, v)
			b.WriteString(`"_"`)
			i += n - 1
		case strings.HasPrefix(q[i:], "//"):
			end := strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q) - i
			}
			b.WriteString("//_")
			i += end - 1
		default:
			b.WriteByte(q[i])
		}
	}
	return b.String(), lits
}

// decodeKQLString decodes the literal at the start of s and returns its value and length.
func decodeKQLString(s string) (string, int, error) {
	var u []uint16
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return string(utf16.Decode(u)), i + 1, nil
		case c == '\n' || c == '\r':
			return "", 0, fmt.Errorf("raw line break inside a literal")
		case c != '\\':
			r, n := utf8.DecodeRuneInString(s[i:])
			u = utf16.AppendRune(u, r)
			i += n - 1
			continue
		}
		if i+1 >= len(s) {
			return "", 0, fmt.Errorf("dangling backslash")
		}
		i++
		switch s[i] {
		case '\\', '"', '\'':
			u = append(u, uint16(s[i]))
		case 'n':
			u = append(u, '\n')
		case 'r':
			u = append(u, '\r')
		case 't':
			u = append(u, '\t')
		case 'u':
			if i+4 >= len(s) {
				return "", 0, fmt.Errorf("short \\u escape")
			}
			n, err := strconv.ParseUint(s[i+1:i+5], 16, 16)
			if err != nil {
				return "", 0, fmt.Errorf("bad \\u escape: %w", err)
			}
			u = append(u, uint16(n))
			i += 4
		default:
			return "", 0, fmt.Errorf("unknown escape \\%c", s[i])
		}
	}
	return "", 0, fmt.Errorf("unterminated literal")
}

// TestKQLHostileSource puts hostile text where it reaches comments: the malware family and origin
// cited in the pack's "// Source:" line. The answer must keep the structure of a benign one.
func TestKQLHostileSource(t *testing.T) {
	e, _ := mustKQLEnv(t)
	pack := func(name string) []string {
		t.Helper()
		n, err := json.Marshal(name)
		if err != nil {
			t.Fatal(err)
		}
		ind := kqlIndicator(1, "[domain-name:value = 'x.example.org']",
			`,"external_references":[{"source_name":`+string(n)+`,"url":"https://example.org/"}]`)
		mal := fmt.Sprintf(`{"type":"malware","spec_version":"2.1","id":"malware--6b0c0e6e-0000-4000-8000-000000000001",`+
			`"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":%s,"is_family":true}`, n)
		rel := fmt.Sprintf(`{"type":"relationship","spec_version":"2.1","id":"relationship--6b0c0e6e-0000-4000-8000-000000000001",`+
			`"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","relationship_type":"indicates",`+
			`"source_ref":%q,"target_ref":"malware--6b0c0e6e-0000-4000-8000-000000000001"}`, kqlIndicatorID(1))
		rec := e.do(t, req{method: http.MethodPost, path: "/kql/?format=json", body: envelopeOf(ind, []byte(mal), []byte(rel)), ct: "application/json"})
		if rec.Code != http.StatusOK {
			t.Fatalf("POST /kql with source %q = %d %s", name, rec.Code, rec.Body)
		}
		var out []string
		for _, q := range jsonQueries(t, rec.Body.Bytes()) {
			out = append(out, q.KQL)
		}
		return out
	}
	want := pack("Benign")
	for _, v := range hostileValues {
		got := pack(v)
		if len(got) != len(want) {
			t.Fatalf("source %q: %d queries, want %d", v, len(got), len(want))
		}
		for i := range got {
			gs, _ := kqlSkeleton(t, got[i])
			ws, _ := kqlSkeleton(t, want[i])
			if gs != ws {
				t.Errorf("query structure changed by source %q:\n got: %s\nwant: %s", v, gs, ws)
			}
		}
	}
}
