package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixgate/stixgate/convert/kql"
)

func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	e := testEnv(t, nil)
	e.Stdin = strings.NewReader(stdin)
	code = run(t.Context(), args, e)
	return code, e.Stdout.(*syncBuffer).String(), e.Stderr.(*syncBuffer).String()
}

func TestKQLJSONLinesClassifyEveryInput(t *testing.T) {
	stdin := strings.Join([]string{
		"[domain-name:value = 'webdot.ddns.net']",
		"# a comment line",
		"[domain-name:value = 'x'",                                        // syntax: missing ]
		"[ipv4-addr:value = '1.2.3.4' AND network-traffic:dst_port = 80]", // invalid: AND across types
		"[file:hashes.'SHA3-384' = '" + strings.Repeat("ab", 48) + "']",   // valid, but no table holds the path
	}, "\n")
	code, out, _ := runCmd(t, stdin, "kql", "--format", "json")
	if code != 1 {
		t.Errorf("exit %d, want 1 (some inputs failed)", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d JSON lines, want 4:\n%s", len(lines), out)
	}
	wantKinds := []string{"", "syntax", "invalid", "unsupported"}
	for i, line := range lines {
		var res jsonResult
		if err := json.Unmarshal([]byte(line), &res); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i+1, err, line)
		}
		kind := ""
		if res.Error != nil {
			kind = res.Error.Kind
			if res.Error.Line == 0 || res.Error.Column == 0 {
				t.Errorf("line %d: error without a position: %+v", i+1, res.Error)
			}
		}
		if kind != wantKinds[i] {
			t.Errorf("line %d: kind %q, want %q (%s)", i+1, kind, wantKinds[i], line)
		}
		if kind == "" && (len(res.Queries) == 0 || !strings.Contains(res.Queries[0].KQL, `"webdot.ddns.net"`)) {
			t.Errorf("line %d: no query for the domain: %s", i+1, line)
		}
	}
}

func TestKQLTableFilterAndText(t *testing.T) {
	code, out, stderr := runCmd(t, "", "kql", "--table", "DnsEvents", "[domain-name:value = 'webdot.ddns.net']")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "DnsEvents") || strings.Contains(out, "DeviceNetworkEvents") {
		t.Errorf("--table DnsEvents output:\n%s", out)
	}
	if code, _, stderr := runCmd(t, "", "kql", "--table", "NoSuchTable", "[domain-name:value = 'a.example']"); code == 0 || !strings.Contains(stderr, "NoSuchTable") {
		t.Errorf("unknown table: exit %d, stderr %q", code, stderr)
	}
}

// The pack of the seed's bundle is the seed's three hunts; with the
// purelogs exclusions the same hunts gain filters.
func TestKQLPackFromSeedBundle(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "purelogs.json")
	code, out, stderr := runCmd(t, "", "import", "../../testdata/threatfox/purelogs.md")
	if code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	must(t, os.WriteFile(bundle, []byte(out), 0o600))

	code, plain, stderr := runCmd(t, "", "kql", "--pack", bundle)
	if code != 0 {
		t.Fatalf("kql --pack: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`let malicious_ips = dynamic(["20.81.43.36"]);`,
		`let malicious_domains = dynamic(["webdot.ddns.net"]);`,
		"CommonSecurityLog", "DeviceNetworkEvents", "DnsEvents",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("pack lacks %q:\n%s", want, plain)
		}
	}
	code, excl, stderr := runCmd(t, "", "kql", "--pack", "--exclusions", "purelogs", bundle)
	if code != 0 {
		t.Fatalf("kql --pack --exclusions: exit %d: %s", code, stderr)
	}
	if !strings.Contains(excl, "purelogs-agent") || len(excl) <= len(plain) {
		t.Errorf("exclusions did not add the purelogs filters:\n%s", excl)
	}
	if code, _, stderr := runCmd(t, "", "kql", "--pack", "--exclusions", "nope", bundle); code == 0 || !strings.Contains(stderr, `"nope"`) {
		t.Errorf("unknown profile: exit %d, stderr %q", code, stderr)
	}
}

func TestDefaultProfileMatchesTheLibrary(t *testing.T) {
	cfg, err := loadConfig("")
	must(t, err)
	profiles, err := cfg.profiles()
	must(t, err)
	got, _ := json.Marshal(profiles["purelogs"])
	want, _ := json.Marshal(kql.PureLogsProfile())
	if string(got) != string(want) {
		t.Errorf("default config's purelogs profile:\n%s\nkql.PureLogsProfile():\n%s", got, want)
	}
}

// TestKQLPackParityWithHTTP: the CLI and the HTTP endpoint give the same
// bytes for the same indicators, in every format (issue 5, "CLI parity").
func TestKQLPackParityWithHTTP(t *testing.T) {
	m := startGateway(t, map[string]string{"STIXGATE_PASSWORD": "p"})
	code, bundle, stderr := runCmd(t, "", "import", "../../testdata/threatfox/purelogs.md")
	if code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	file := filepath.Join(t.TempDir(), "purelogs.json")
	must(t, os.WriteFile(file, []byte(bundle), 0o600))
	for _, format := range []string{"kql", "json", "yaml"} {
		t.Run(format, func(t *testing.T) {
			cliFormat := format
			if format == "kql" {
				cliFormat = "text"
			}
			code, cli, stderr := runCmd(t, "", "kql", "--pack", "--exclusions", "purelogs", "--format", cliFormat, file)
			if code != 0 {
				t.Fatalf("kql --pack: exit %d: %s", code, stderr)
			}
			resp, body := get(t, m.URL()+"/api1/collections/purelogs/kql/?exclusions=purelogs&format="+format, "admin", "p")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET kql: %s: %s", resp.Status, body)
			}
			if string(body) != cli {
				t.Errorf("HTTP and CLI differ for format %s:\n--- HTTP\n%s\n--- CLI\n%s", format, body, cli)
			}
		})
	}
}

// A hostile pattern cannot turn the text output's "// Pattern:" header into
// query text: every line break inside it (CR, LF, U+2028) is neutralised, so
// the header stays one comment line followed by the table's own header.
func TestKQLTextHeaderCannotBreakOut(t *testing.T) {
	code, out, stderr := runCmd(t, "", "kql", "--table", "DnsEvents", "[domain-name:value = 'a.example\u2028| take 1\r\nDnsEvents']")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "// Pattern: ") || strings.ContainsAny(lines[0], "\r\u2028") {
		t.Errorf("header line %q is not one clean comment", lines[0])
	}
	if len(lines) < 2 || lines[1] != "// Table: DnsEvents" {
		t.Errorf("line after the header = %q, want the table header:\n%s", lines[1], out)
	}
}
