package threatfox

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestSplitCSV(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{`"a", "b", "c"`, []string{"a", "b", "c"}, ""},
		{`"a","b"`, []string{"a", "b"}, ""},
		{`"a ""q"" b", ""`, []string{`a "q" b`, ""}, ""},
		{`"x, y", z`, []string{"x, y", "z"}, ""},
		{`a,`, []string{"a", ""}, ""},
		{`"a", "b`, nil, "unterminated quoted field at column 6"},
		{`"a"x, "b"`, nil, "unexpected 'x' after closing quote at column 4"},
		{`a"b, c`, nil, "bare quote in unquoted field at column 1"},
	}
	for _, tc := range tests {
		got, err := splitCSV(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("splitCSV(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("splitCSV(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestSplitCells(t *testing.T) {
	tests := map[string][]string{
		"| a | b |":    {"a", "b"},
		"|a|`b c`|":    {"a", "b c"},
		`| a\|b | c |`: {"a|b", "c"},
		"| a | b":      {"a", "b"},
		"|---|:---:|":  {"---", ":---:"},
		"| only |  |":  {"only", ""},
		`| ends \| |`:  {"ends |"},
	}
	for in, want := range tests {
		if got := splitCells(in); strings.Join(got, "¦") != strings.Join(want, "¦") {
			t.Errorf("splitCells(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSniff(t *testing.T) {
	tests := map[string]Format{
		`{"query_status":"ok","data":[]}`:              FormatAPI,
		`[{"ioc":"a"}]`:                                FormatAPI,
		`{"1":[{"ioc_value":"a"}]}`:                    FormatJSON,
		"# ThreatFox\n# \"first_seen_utc\",\"ioc_id\"": FormatCSV,
		`"2026-01-01 00:00:00", "1"`:                   FormatCSV,
		"Report\nMalware Family: X Total IOCs: 1":      FormatMarkdown,
		"# Heading\n\n| Type | Value |":                FormatMarkdown,
		"hello world":                                  FormatAuto,
	}
	for in, want := range tests {
		if got := sniff([]byte(in)); got != want {
			t.Errorf("sniff(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestReadInput(t *testing.T) {
	tests := []struct {
		name, in string
		f        Format
		rows     int
		report   string // expected Skipped/Warnings, joined "line:reason"
	}{
		{"empty", "", FormatAuto, 0, "0:empty input"},
		{"whitespace", " \n\t\n", FormatCSV, 0, "0:empty input"},
		{"binary", "PK\x03\x04\x00\x00", FormatAuto, 0, "0:binary input (NUL byte)"},
		{"latin1", "caf\xe9 au lait and more text here", FormatAuto, 0, "0:binary input (not UTF-8 text)"},
		{"prose", "just some words", FormatAuto, 0, "0:unrecognised input: not a ThreatFox CSV/JSON export, API response or IOC report table"},
		{"csv bom crlf", "\xef\xbb\xbf# \"first_seen_utc\", \"ioc_value\", \"ioc_type\"\r\n\"2026-01-01\", \"a.example\", \"domain\"\r\n", FormatAuto, 1, ""},
		{"csv no header", strings.Repeat(`"x", `, 13) + `"x"` + "\n", FormatCSV, 0, "1:no header line; assuming the ThreatFox 14-column order"},
		{"csv no header odd", `"a", "b"` + "\n", FormatCSV, 0, "1:row has 2 fields, header has 0"},
		{"csv footer mismatch", "# \"first_seen_utc\", \"ioc_value\", \"ioc_type\"\n\"2026-01-01\", \"a.example\", \"domain\"\n# Number of entries: 2\n", FormatCSV, 1, "3:footer says 2 entries but the file has 1 data lines"},
		{"csv missing type", "# \"first_seen_utc\", \"ioc_value\", \"ioc_type\"\n\"2026-01-01\", \"a.example\", \"\"\n", FormatCSV, 0, "2:missing ioc_type"},
		{"forced json on csv", `"a", "b"`, FormatAPI, 0, "1:malformed json: top level is a, want an object or an array"},
		{"api bad status", `{"query_status":"illegal_search_term","data":"x"}`, FormatAuto, 0, "1:api query_status is \"illegal_search_term\", not ok|1:api data is a message, not a list of IOCs"},
		{"api data object", `{"query_status":"ok","data":{"2026-01-01":[{"ioc":"a.example","ioc_type":"domain","first_seen":"2026-01-01"}]}}`, FormatAuto, 1, ""},
		{"api types list", `{"query_status":"ok","data":{"1":{"ioc_type":"ip:port"}}}`, FormatAuto, 0, "1:export entry \"\" is not an array of records"},
		{"json scalar", `"hello"`, FormatJSON, 0, "1:malformed json: top level is hello, want an object or an array"},
		{"md summary only", "Malware Family: X Total IOCs: 2 IOC Types: url\n| Type | Value | Threat Type | First Seen | Confidence |\n|--|--|--|--|--|\n| url | hxxp://a[.]example/ | payload_delivery | 2026-01-01 | 10% |\n", FormatAuto, 1, "1:summary says Total IOCs: 2 but the table has 1 rows"},
		{"md types mismatch", "Malware Family: X Total IOCs: 1 IOC Types: url, domain\n| Type | Value |\n|--|--|\n| url | http://a.example/ |\n", FormatAuto, 0, "4:missing first_seen|1:summary lists IOC type \"domain\" but the table has none"},
		{"md ignores other tables", "| Sentinel Table | Notes |\n|---|---|\nCommonSecurityLog | x |\n| DnsEvents | y |\n", FormatMarkdown, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Read(strings.NewReader(tc.in), tc.f)
			if err != nil {
				t.Fatalf("Read() error = %v", err)
			}
			var got []string
			for _, s := range append(res.Skipped, res.Warnings...) {
				got = append(got, itoa(s.Line)+":"+s.Reason)
			}
			if strings.Join(got, "|") != tc.report || len(res.Rows) != tc.rows {
				t.Errorf("Read(%q) rows %d, report %q; want %d, %q", tc.in, len(res.Rows), strings.Join(got, "|"), tc.rows, tc.report)
			}
		})
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestReadErrors(t *testing.T) {
	if _, err := Read(strings.NewReader("x"), "xml"); !errorsAsFormat(err) {
		t.Errorf(`Read(_, "xml") error = %v, want *FormatError`, err)
	}
	boom := errors.New("boom")
	_, err := Read(iotest.ErrReader(boom), FormatAuto)
	if !errors.Is(err, boom) {
		t.Errorf("Read(failing reader) error = %v, want it to wrap %v", err, boom)
	}
	_, err = Read(io.MultiReader(strings.NewReader("# \"ioc_value\"\n"+strings.Repeat("x", 70<<10)), iotest.ErrReader(boom)), FormatCSV)
	if !errors.Is(err, boom) {
		t.Errorf("Read(reader failing mid-stream) error = %v, want it to wrap %v", err, boom)
	}
}

func errorsAsFormat(err error) bool {
	var fe *FormatError
	return errors.As(err, &fe)
}

func TestUnknownTypes(t *testing.T) {
	in := `{"query_status":"ok","data":[` +
		`{"ioc":"a","ioc_type":"ASN","first_seen":"2026-01-01"},{"ioc":"b","ioc_type":"asn","first_seen":"2026-01-01"},` +
		`{"ioc":"b","ioc_type":"asn"},{"ioc":"c","ioc_type":"asn"},{"ioc":"d","ioc_type":"asn"},{"ioc":"x","ioc_type":"ja3"}]}`
	res, err := Read(strings.NewReader(in), FormatAuto)
	if err != nil {
		t.Fatal(err)
	}
	u := res.Unknown["asn"]
	if u.Count != 5 || strings.Join(u.Examples, ",") != "a,b,c" || res.Unknown["ja3"].Count != 1 || len(res.Rows) != 0 {
		t.Errorf("Unknown = %+v, want asn: 5 rows e.g. a,b,c and ja3: 1", res.Unknown)
	}
}
