package kql

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stixgate/stixgate/convert/pattern"
)

func mustParse(tb testing.TB, src string) pattern.ObsExpr {
	tb.Helper()
	e, err := pattern.Parse(src)
	if err != nil {
		tb.Fatalf("Parse(%q) = %v", src, err)
	}
	return e
}

// whereFor renders src for one table and returns its "| where" expression.
func whereFor(tb testing.TB, src, table string) string {
	tb.Helper()
	qs, err := Render(mustParse(tb, src), Options{Tables: []string{table}})
	if err != nil {
		tb.Fatalf("Render(%q, %s) = %v", src, table, err)
	}
	if len(qs) != 1 {
		tb.Fatalf("Render(%q, %s) = %d queries, want 1", src, table, len(qs))
	}
	for _, line := range strings.Split(qs[0].KQL, "\n") {
		if strings.HasPrefix(line, "| where (") {
			return strings.TrimPrefix(line, "| where ")
		}
	}
	tb.Fatalf("Render(%q) has no where line:\n%s", src, qs[0].KQL)
	return ""
}

// TestOperators pins the B2 operator mapping, NOT forms and guards.
func TestOperators(t *testing.T) {
	tests := []struct{ name, src, table, want string }{
		{"eq", `[file:name = 'a.exe']`, "DeviceFileEvents", `(FileName == "a.exe")`},
		{"eq ci hash", `[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']`, "_Im_FileEvent", `(TargetFileMD5 =~ "D41D8CD98F00B204E9800998ECF8427E")`},
		{"ne guard", `[file:name != 'a.exe']`, "DeviceFileEvents", `(isnotempty(FileName) and FileName != "a.exe")`},
		{"not eq", `[file:name NOT = 'a.exe']`, "DeviceFileEvents", `(isnotempty(FileName) and FileName != "a.exe")`},
		{"not ne", `[file:name NOT != 'a.exe']`, "DeviceFileEvents", `(FileName == "a.exe")`},
		{"ne ci", `[domain-name:value != 'x.example']`, "DnsEvents", `(isnotempty(Name) and Name !~ "x.example")`},
		{"lt int", `[network-traffic:dst_port < 1024]`, "DeviceNetworkEvents", `(RemotePort < 1024)`},
		{"ge string", `[file:name >= 'm']`, "DeviceFileEvents", `(strcmp(FileName, "m") >= 0)`},
		{"not gt", `[network-traffic:dst_port NOT > 1024]`, "DeviceNetworkEvents", `(isnotnull(RemotePort) and not(RemotePort > 1024))`},
		{"in ints", `[network-traffic:dst_port IN (80, 443)]`, "DeviceNetworkEvents", `(RemotePort in (80, 443))`},
		{"not in ci", `[domain-name:value NOT IN ('a.example', 'b.example')]`, "DnsEvents", `(isnotempty(Name) and Name !in~ ("a.example", "b.example"))`},
		{"like exact", `[file:name LIKE 'a.exe']`, "DeviceFileEvents", `(FileName == "a.exe")`},
		{"like prefix", `[file:name LIKE 'inv%']`, "DeviceFileEvents", `(FileName startswith_cs "inv")`},
		{"like suffix", `[file:name LIKE '%.exe']`, "DeviceFileEvents", `(FileName endswith_cs ".exe")`},
		{"like contains", `[file:name LIKE '%voice%']`, "DeviceFileEvents", `(FileName contains_cs "voice")`},
		{"like regex", `[file:name LIKE 'a_b%.e(x)e']`, "DeviceFileEvents", `(FileName matches regex "(?s)^a.b.*\\.e\\(x\\)e$")`},
		{"like any", `[file:name LIKE '%']`, "DeviceFileEvents", `(FileName matches regex "(?s)^.*$")`},
		{"not like", `[file:name NOT LIKE 'inv%']`, "DeviceFileEvents", `(isnotempty(FileName) and FileName !startswith_cs "inv")`},
		{"not like regex", `[file:name NOT LIKE 'a_']`, "DeviceFileEvents", `(isnotempty(FileName) and not(FileName matches regex "(?s)^a.$"))`},
		{"matches", `[file:name MATCHES '^a\\d+\\.exe$']`, "DeviceFileEvents", `(FileName matches regex "(?s)^a\\d+\\.exe$")`},
		{"not matches", `[file:name NOT MATCHES 'x']`, "DeviceFileEvents", `(isnotempty(FileName) and not(FileName matches regex "(?s)x"))`},
		{"issubset v4", `[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8']`, "DeviceNetworkEvents", `(ipv4_is_in_range(RemoteIP, "10.0.0.0/8"))`},
		{"issubset v6", `[ipv6-addr:value ISSUBSET '2001:db8::/32']`, "DeviceNetworkEvents", `(ipv6_is_in_range(RemoteIP, "2001:db8::/32"))`},
		{"not issubset", `[network-traffic:dst_ref.value NOT ISSUBSET '10.0.0.0/8']`, "DeviceNetworkEvents", `(isnotempty(RemoteIP) and not(ipv4_is_in_range(RemoteIP, "10.0.0.0/8")))`},
		{"issuperset host", `[network-traffic:dst_ref.value ISSUPERSET '198.51.100.7/32']`, "DeviceNetworkEvents", `(RemoteIP =~ "198.51.100.7")`},
		{"not issuperset", `[network-traffic:dst_ref.value NOT ISSUPERSET '198.51.100.7/32']`, "DeviceNetworkEvents", `(isnotempty(RemoteIP) and RemoteIP !~ "198.51.100.7")`},
		{"exists", `[EXISTS file:name]`, "DeviceFileEvents", `(isnotempty(FileName))`},
		{"not exists", `[NOT EXISTS file:name]`, "DeviceFileEvents", `(isempty(FileName))`},
		{"exists multi", `[EXISTS file:hashes.MD5]`, "DeviceFileEvents", `(isnotempty(MD5) or isnotempty(InitiatingProcessMD5))`},
		{"not exists multi", `[NOT EXISTS file:hashes.MD5]`, "DeviceFileEvents", `(isempty(MD5) and isempty(InitiatingProcessMD5))`},
		{"and or parens", `[file:name = 'a' OR file:name = 'b' AND file:size > 1]`, "DeviceFileEvents", `(FileName == "a" or (FileName == "b" and FileSize > 1))`},
		{"sha1 alias", `[file:hashes.SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']`, "_Im_FileEvent", `(TargetFileSHA1 =~ "da39a3ee5e6b4b0d3255bfef95601890afd80709")`},
		{"misp family v4", `[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '20.81.43.36']`, "DeviceNetworkEvents", `(isnotnull(parse_ipv4(RemoteIP)) and RemoteIP == "20.81.43.36")`},
		{"misp family v6", `[network-traffic:dst_ref.type = 'ipv6-addr']`, "DeviceNetworkEvents", `(isnull(parse_ipv4(RemoteIP)) and isnotnull(parse_ipv6(RemoteIP)))`},
		{"string port coerced", `[network-traffic:dst_port = '8080']`, "DeviceNetworkEvents", `(RemotePort == 8080)`},
		{"cidr host eq", `[ipv4-addr:value = '203.0.113.33/32']`, "DeviceNetworkEvents", `(RemoteIP == "203.0.113.33")`},
		{"timestamp", `[file:name = 'a'] START t'2024-01-01T00:00:00Z' STOP t'2024-01-01T00:00:00.5Z'`, "DeviceFileEvents",
			`(FileName == "a" and (Timestamp >= datetime(2024-01-01T00:00:00Z) and Timestamp < datetime(2024-01-01T00:00:00.5Z)))`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := whereFor(t, tc.src, tc.table); got != tc.want {
				t.Errorf("Render(%q) where = %s, want %s", tc.src, got, tc.want)
			}
		})
	}
}

// TestMultiColumnNegation pins the analyst reading (doc.go): NOT and !=
// on a path held in several columns mean "at least one column present and
// none matches", never "some column differs".
func TestMultiColumnNegation(t *testing.T) {
	tests := []struct{ src, want string }{
		{`[ipv4-addr:value = '198.51.100.7']`, `(SourceIP == "198.51.100.7" or DestinationIP == "198.51.100.7")`},
		{`[ipv4-addr:value != '198.51.100.7']`, `((isnotempty(SourceIP) or isnotempty(DestinationIP)) and not((SourceIP == "198.51.100.7" or DestinationIP == "198.51.100.7")))`},
		{`[ipv4-addr:value NOT IN ('198.51.100.7')]`, `((isnotempty(SourceIP) or isnotempty(DestinationIP)) and not((SourceIP in ("198.51.100.7") or DestinationIP in ("198.51.100.7"))))`},
	}
	for _, tc := range tests {
		if got := whereFor(t, tc.src, "CommonSecurityLog"); got != tc.want {
			t.Errorf("Render(%q) where = %s, want %s", tc.src, got, tc.want)
		}
	}
}

// TestRefusals checks that every unsupported construct is refused with a
// typed error naming it, instead of being dropped or weakened.
func TestRefusals(t *testing.T) {
	tests := []struct{ name, src, construct, msg string }{
		{"followedby and step", `([file:name = 'a'] AND [file:name = 'c']) FOLLOWEDBY [file:name = 'b']`, "FOLLOWEDBY", "1:43:"},
		{"followedby under or", `([file:name = 'a'] FOLLOWEDBY [file:name = 'b']) OR [file:name = 'c']`, "FOLLOWEDBY", "top-level chain"},
		{"within and of three", `([file:name = 'a'] AND [file:name = 'b'] AND [file:name = 'c']) WITHIN 5 SECONDS`, "WITHIN", "WITHIN 5 SECONDS"},
		{"within followedby of three", `([file:name = 'a'] FOLLOWEDBY [file:name = 'b'] FOLLOWEDBY [file:name = 'c']) WITHIN 5 SECONDS`, "WITHIN", "two single observations"},
		{"followedby under and", `[file:name = 'a'] AND ([file:name = 'b'] FOLLOWEDBY [file:name = 'c'])`, "FOLLOWEDBY", "top-level chain"},
		{"repeats within under and", `[file:name = 'c'] AND [file:name = 'a'] REPEATS 2 TIMES WITHIN 10 SECONDS`, "WITHIN", "only at the top level"},
		{"within over nested and", `([file:name = 'a'] OR ([file:name = 'b'] AND [file:name = 'c'])) WITHIN 5 SECONDS`, "WITHIN", "only at the top level"},
		{"unmapped", `[file:name = 'a' OR x-acme:foo = 'b']`, "unmapped path", "x-acme:foo"},
		{"unmapped in and", `[file:name = 'a' AND file:mtime > t'2024-01-01T00:00:00Z']`, "unmapped path", "file:mtime"},
		{"type mismatch", `[file:name = 5]`, "type mismatch", "constant 5"},
		{"bad string port", `[network-traffic:dst_port = 'http']`, "type mismatch", "'http'"},
		{"bool order", `[file:name < true]`, "type mismatch", "true"},
		{"lookahead", `[file:name MATCHES 'a(?=b)']`, "MATCHES", "look-ahead"},
		{"lookbehind", `[file:name MATCHES '(?<!x)a']`, "MATCHES", "look-behind"},
		{"backref", `[file:name MATCHES '(a)\\1']`, "MATCHES", "back-reference"},
		{"atomic", `[file:name MATCHES '(?>a+)b']`, "MATCHES", "atomic"},
		{"possessive", `[file:name MATCHES 'a*+b']`, "MATCHES", "possessive"},
		{"conditional", `[file:name MATCHES '(a)?(?(1)b|c)']`, "MATCHES", "conditional"},
		{"recursion", `[file:name MATCHES 'a(?R)?b']`, "MATCHES", "recursion"},
		{"not re2", `[file:name MATCHES 'a\\Z']`, "MATCHES", "RE2"},
		{"issubset non-ip", `[file:name ISSUBSET '10.0.0.0/8']`, "ISSUBSET", "IP addresses"},
		{"issuperset net", `[ipv4-addr:value ISSUPERSET '10.0.0.0/8']`, "ISSUPERSET", "cannot contain"},
		{"no table", `[file:name = 'a']`, "no table", "DnsEvents"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{}
			if tc.construct == "no table" {
				opts.Tables = []string{"DnsEvents"}
				tc.msg = "no selected table"
			}
			src := tc.src
			expr, err := pattern.Parse(src)
			if err != nil {
				t.Skipf("Parse(%q) = %v (the parser refuses it first)", src, err)
			}
			qs, err := Render(expr, opts)
			var ue *UnsupportedError
			if !errors.As(err, &ue) {
				t.Fatalf("Render(%q) = %d queries, %v; want *UnsupportedError", src, len(qs), err)
			}
			msg := ue.WithSource(src).Error()
			if ue.Construct != tc.construct || !strings.Contains(msg, tc.msg) {
				t.Errorf("Render(%q) = %q (construct %q), want construct %q and %q in the message", src, msg, ue.Construct, tc.construct, tc.msg)
			}
		})
	}
}

// TestAbsentPathPerTable: a path a table cannot carry is false there, so it
// drops out of an OR for that table and removes the table under AND (B7).
func TestAbsentPathPerTable(t *testing.T) {
	src := `[ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'example.com']`
	if got, want := whereFor(t, src, "DnsEvents"), `(Name =~ "example.com")`; got != want {
		t.Errorf("DnsEvents where = %s, want %s", got, want)
	}
	and := `[file:name = 'a.exe' AND file:size > 1024]`
	qs, err := Render(mustParse(t, and), Options{})
	if err != nil || len(qs) != 1 || qs[0].Table != "DeviceFileEvents" {
		t.Fatalf("Render(%q) = %+v, %v; want only DeviceFileEvents (the one table with FileSize)", and, qs, err)
	}
	or := `[file:name = 'a.exe' OR file:size > 1024]`
	if got, want := whereFor(t, or, "DeviceProcessEvents"), `(FileName == "a.exe")`; got != want {
		t.Errorf("Render(%q) on DeviceProcessEvents = %s, want %s", or, got, want)
	}
}

func TestObservationAnd(t *testing.T) {
	src := `([ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'example.com']) START t'2024-01-01T00:00:00Z' STOP t'2024-01-02T00:00:00Z'`
	qs, err := Render(mustParse(t, src), Options{Tables: []string{"DeviceNetworkEvents", "DnsEvents"}})
	if err != nil || len(qs) != 1 {
		t.Fatalf("Render(%q) = %d queries, %v; want 1 query", src, len(qs), err)
	}
	q := qs[0]
	for _, want := range []string{
		`let obs1 = DeviceNetworkEvents | where (RemoteIP == "198.51.100.7" and (Timestamp >= datetime(2024-01-01T00:00:00Z) and Timestamp < datetime(2024-01-02T00:00:00Z)))`,
		`let obs2 = DnsEvents | where (Name =~ "example.com" and (TimeGenerated >= datetime(2024-01-01T00:00:00Z)`,
		"union obs1, obs2\n| where toscalar(obs1 | count) > 0 and toscalar(obs2 | count) > 0",
	} {
		if !strings.Contains(q.KQL, want) {
			t.Errorf("Render(%q) =\n%s\nwant it to contain %s", src, q.KQL, want)
		}
	}
	if q.Table != "DeviceNetworkEvents, DnsEvents" || len(q.Notes) != 1 {
		t.Errorf("Render(%q) table %q notes %q, want both tables and the AND note", src, q.Table, q.Notes)
	}
	if strings.Contains(q.KQL, "between") {
		t.Errorf("Render(%q) uses between, which makes STOP inclusive", src)
	}
}

// TestRepeats: REPEATS n TIMES is the expression AND-ed with itself, so
// counts multiply through nested REPEATS and apply to every AND operand.
func TestRepeats(t *testing.T) {
	tests := []struct{ src, want string }{
		{`[file:name = 'a'] REPEATS 3 TIMES`, "obs1\n| where toscalar(obs1 | count) >= 3"},
		{`([file:name = 'a'] REPEATS 2 TIMES) REPEATS 3 TIMES`, "obs1\n| where toscalar(obs1 | count) >= 6"},
		{`([file:name = 'a'] AND [file:name = 'b']) REPEATS 2 TIMES`, "union obs1, obs2\n| where toscalar(obs1 | count) >= 2 and toscalar(obs2 | count) >= 2"},
	}
	for _, tc := range tests {
		e, err := pattern.Parse(tc.src)
		if err != nil {
			t.Logf("Parse(%q) = %v (the parser refuses it first)", tc.src, err)
			continue
		}
		qs, err := Render(e, Options{Tables: []string{"DeviceFileEvents"}})
		if err != nil || len(qs) != 1 || !strings.HasSuffix(qs[0].KQL, tc.want) {
			t.Errorf("Render(%q) = %+v, %v; want a query ending in %q", tc.src, qs, err, tc.want)
		}
	}
}

// TestWithin: WITHIN over one observation is always true; the top-level
// "x REPEATS k TIMES WITHIN n SECONDS" looks for k rows within the span.
func TestWithin(t *testing.T) {
	tests := []struct{ src, want string }{
		{`[file:name = 'a'] WITHIN 5 SECONDS`, "DeviceFileEvents\n| where (FileName == \"a\")\n"},
		{`[file:name = 'a'] REPEATS 1 TIMES WITHIN 5 SECONDS`, "DeviceFileEvents\n| where (FileName == \"a\")\n"},
		{`[file:name = 'a'] REPEATS 3 TIMES WITHIN 2.5 SECONDS`, "obs1\n| sort by StixTime asc\n| extend StixWindowStart = prev(StixTime, 2)\n| where isnotnull(StixWindowStart) and StixTime - StixWindowStart <= 2500ms"},
		{`[file:name = 'a'] REPEATS 3 TIMES WITHIN 60 SECONDS START t'2024-01-01T00:00:00Z' STOP t'2024-01-02T00:00:00Z'`, "Timestamp < datetime(2024-01-02T00:00:00Z))) | project"},
		{`([file:name = 'a'] AND [file:name = 'b']) WITHIN 90 SECONDS`, "| where tb - ta <= 90s and ta - tb <= 90s;\nunion obs1, obs2\n| where toscalar(pairs | count) > 0"},
		{`([file:name = 'a'] FOLLOWEDBY [file:name = 'b']) WITHIN 90 SECONDS`, "pack_array(bin(tb, 90s) - 90s, bin(tb, 90s), bin(tb, 90s) + 90s) to typeof(datetime)) on k\n| where tb >= ta and tb - ta <= 90s;"},
	}
	for _, tc := range tests {
		qs, err := Render(mustParse(t, tc.src), Options{Tables: []string{"DeviceFileEvents"}})
		if err != nil || len(qs) != 1 || !strings.Contains(qs[0].KQL, tc.want) {
			t.Errorf("Render(%q) = %+v, %v; want a query containing %q", tc.src, qs, err, tc.want)
		}
	}
}

// TestFollowedBy: a top-level chain is matched greedily on a common time
// column, each step at or after the previous one.
func TestFollowedBy(t *testing.T) {
	src := `[file:name = 'a'] FOLLOWEDBY ([file:name = 'b'] OR [process:command_line = 'x']) FOLLOWEDBY [file:name = 'c']`
	qs, err := Render(mustParse(t, src), Options{Tables: []string{"DeviceProcessEvents"}})
	if err != nil || len(qs) != 1 {
		t.Fatalf("Render(%q) = %+v, %v", src, qs, err)
	}
	for _, want := range []string{
		`let obs2 = DeviceProcessEvents | where (FileName == "b" or ProcessCommandLine == "x")`,
		"let t1 = toscalar(obs1 | summarize min(StixTime));",
		"let t3 = toscalar(obs3 | where StixTime >= t2 | summarize min(StixTime));\nunion obs1, obs2, obs3\n| where isnotnull(t3)",
	} {
		if !strings.Contains(qs[0].KQL, want) {
			t.Errorf("Render(%q) =\n%s\nwant %s", src, qs[0].KQL, want)
		}
	}
}

// TestNested: AND and REPEATS inside OR become let-bound groups that are
// non-empty exactly when satisfied.
func TestNested(t *testing.T) {
	src := `[file:name = 'a'] OR ([file:name = 'b'] AND [file:name = 'c'] REPEATS 2 TIMES) START t'2024-01-01T00:00:00Z' STOP t'2024-01-02T00:00:00Z'`
	qs, err := Render(mustParse(t, src), Options{Tables: []string{"DeviceFileEvents"}})
	if err != nil || len(qs) != 1 {
		t.Fatalf("Render(%q) = %+v, %v", src, qs, err)
	}
	for _, want := range []string{
		`let obs2 = DeviceFileEvents | where (FileName == "b" and (Timestamp >= datetime(2024-01-01T00:00:00Z)`,
		"let grp4 = union obs2, obs3 | where toscalar(obs2 | count) > 0 and toscalar(obs3 | count) >= 2;\nlet grp5 = union obs1, grp4;\ngrp5",
	} {
		if !strings.Contains(qs[0].KQL, want) {
			t.Errorf("Render(%q) =\n%s\nwant %s", src, qs[0].KQL, want)
		}
	}
	if strings.Contains(qs[0].KQL, `let obs1 = DeviceFileEvents | where (FileName == "a" and`) {
		t.Errorf("Render(%q): START/STOP leaked onto [a], which it does not qualify:\n%s", src, qs[0].KQL)
	}
	runKQLCheck(t, []string{qs[0].KQL})
}

func TestOptions(t *testing.T) {
	e := mustParse(t, `[domain-name:value = 'example.com']`)
	qs, err := Render(e, Options{Tables: []string{"_Im_Dns"}, Lookback: 36 * time.Hour, Project: map[string][]string{"_Im_Dns": {"TimeGenerated", "DnsQuery"}}})
	if err != nil {
		t.Fatalf("Render = %v", err)
	}
	want := "let lookback = 36h;\n_Im_Dns()\n| where TimeGenerated > ago(lookback)\n| where (DnsQuery =~ \"example.com\")\n| project TimeGenerated, DnsQuery\n| order by TimeGenerated desc"
	if qs[0].KQL != want || qs[0].Table != "_Im_Dns" || qs[0].ConnectorID != "" {
		t.Errorf("Render = %+v\nwant KQL:\n%s", qs[0], want)
	}
	bad := []Options{
		{Tables: []string{"NoSuchTable"}},
		{Lookback: -time.Hour},
		{Project: map[string][]string{"DnsEvents": {"TimeGenerated", "NoSuchColumn"}}},
		{Project: map[string][]string{"DnsEvents": {"Name"}}},
		{Exclusions: &Profile{Name: "x", InternalRanges: []string{"10.0.0.0/33"}}},
	}
	for _, o := range bad {
		if _, err := Render(e, o); err == nil {
			t.Errorf("Render with %+v = nil error, want error", o)
		}
	}
}

var literalRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// stripComments removes // comments (outside string literals) so the
// shape and literal checks see only query text.
func stripComments(kql string) string {
	var b strings.Builder
	inStr := false
	for i := 0; i < len(kql); i++ {
		c := kql[i]
		switch {
		case inStr && c == '\\' && i+1 < len(kql):
			b.WriteByte(c)
			i++
			c = kql[i]
		case c == '"':
			inStr = !inStr
		case !inStr && c == '/' && strings.HasPrefix(kql[i:], "//"):
			for i < len(kql) && kql[i] != '\n' {
				i++
			}
			b.WriteString("//")
			if i < len(kql) {
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// skeleton replaces every string literal with a placeholder and returns the
// shape and the decoded literals.
func skeleton(tb testing.TB, kql string) (string, []string) {
	tb.Helper()
	var lits []string
	shape := literalRE.ReplaceAllStringFunc(stripComments(kql), func(lit string) string {
		v, err := decodeString(lit)
		if err != nil {
			tb.Fatalf("literal %s in\n%s\ndoes not decode: %v", lit, kql, err)
		}
		lits = append(lits, v)
		return `"…"`
	})
	return shape, lits
}

// TestHostileValues shows that hostile intel cannot change query structure:
// the KQL has the same shape as for a benign value and the literal decodes
// back to the exact value.
func TestHostileValues(t *testing.T) {
	render := func(v string) string {
		src := "[file:name = " + pattern.Quote(v) + " OR process:command_line = " + pattern.Quote(v) + "]"
		qs, err := Render(mustParse(t, src), Options{Tables: []string{"DeviceProcessEvents"}})
		if err != nil {
			t.Fatalf("Render(%q) = %v", src, err)
		}
		return qs[0].KQL
	}
	wantShape, _ := skeleton(t, render("benign"))
	var all []string
	for _, v := range hostileValues {
		kql := render(v)
		shape, lits := skeleton(t, kql)
		if shape != wantShape {
			t.Errorf("value %q changed the query shape:\n%s\nwant:\n%s", v, shape, wantShape)
		}
		if len(lits) != 2 || lits[0] != v || lits[1] != v {
			t.Errorf("value %q: literals decode to %q", v, lits)
		}
		all = append(all, kql)
	}
	runKQLCheck(t, all)
}
