package taxii

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/stixgate/stixgate/convert/kql"
	"github.com/stixgate/stixgate/convert/threatfox"
)

// kqlConfig is testConfig with the PureLogs collection naming its exclusion profile.
func kqlConfig() Config {
	cfg := testConfig()
	cfg.APIRoots[0].Collections[0].ExclusionProfile = "purelogs"
	return cfg
}

// kqlProfiles are the exclusion profiles the KQL tests configure.
func kqlProfiles() map[string]kql.Profile {
	return map[string]kql.Profile{"purelogs": *kql.PureLogsProfile()}
}

// mustKQLEnv is the full stack with the purelogs profile configured and the PureLogs seed converted
// from testdata/threatfox/purelogs.md and stored in colPure. It returns the seed's objects.
func mustKQLEnv(tb testing.TB) (*env, [][]byte) {
	tb.Helper()
	e := mustEnv(tb, kqlConfig(), Options{Profiles: kqlProfiles()})
	seed := mustSeedObjects(tb)
	e.mustPut(tb, colPure, seed...)
	return e, seed
}

// mustSeedObjects converts the PureLogs seed table with the ThreatFox importer.
func mustSeedObjects(tb testing.TB) [][]byte {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "threatfox", "purelogs.md"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	b, _, err := threatfox.Import(f, threatfox.FormatMarkdown, threatfox.Options{})
	if err != nil {
		tb.Fatalf("threatfox.Import(purelogs.md): %v", err)
	}
	raws := make([][]byte, len(b.Objects))
	for i, o := range b.Objects {
		raws[i] = o.JSON
	}
	return raws
}

// seedHunts extracts the KQL hunts from the seed document: each starts at a "// Hunt" comment and ends
// at its "| order by" line.
func seedHunts(tb testing.TB) []string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "seed", "purelogs.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	var hunts []string
	var cur []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "// Hunt"):
			cur = []string{line}
		case cur != nil:
			cur = append(cur, line)
			if strings.HasPrefix(line, "| order by") {
				hunts = append(hunts, strings.Join(cur, "\n"))
				cur = nil
			}
		}
	}
	if len(hunts) != 3 {
		tb.Fatalf("seed document: found %d hunts, want 3", len(hunts))
	}
	return hunts
}

var spaceRE = regexp.MustCompile(`\s+`)

// normSpace collapses every run of whitespace to one space.
func normSpace(s string) string { return strings.TrimSpace(spaceRE.ReplaceAllString(s, " ")) }

// jsonQueries decodes a format=json answer.
func jsonQueries(tb testing.TB, body []byte) []jsonQuery {
	tb.Helper()
	var qs []jsonQuery
	if err := json.Unmarshal(body, &qs); err != nil {
		tb.Fatalf("decode KQL JSON %q: %v", body, err)
	}
	return qs
}

// jsonQuery is one element of a format=json answer.
type jsonQuery struct {
	Table      string   `json:"table"`
	Connector  string   `json:"connector"`
	KQL        string   `json:"kql"`
	Indicators []string `json:"indicators"`
	Notes      []string `json:"notes"`
}

// yamlQueries decodes a format=yaml answer (documents separated by ---) into its query fields.
func yamlQueries(tb testing.TB, body []byte) []map[string]any {
	tb.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(body))
	var docs []map[string]any
	for {
		var d map[string]any
		if err := dec.Decode(&d); err != nil {
			if errors.Is(err, io.EOF) {
				return docs
			}
			tb.Fatalf("decode KQL YAML: %v\n%s", err, body)
		}
		docs = append(docs, d)
	}
}

// textQueries splits a format=kql answer into its queries: blocks separated by blank lines, without
// the optional leading title block (a lone comment line).
func textQueries(body string) []string {
	var out []string
	for _, b := range strings.Split(strings.TrimRight(body, "\n"), "\n\n") {
		if !strings.Contains(b, "\n") && strings.HasPrefix(b, "//") {
			continue // the title line
		}
		out = append(out, b)
	}
	return out
}

// kqlcheckPath is the validator shipped next to the repository.
var kqlcheckPath = filepath.Join("..", "..", "shared", "tools", "kqlcheck", "kqlcheck")

// mustKQLCheck runs kqlcheck over the queries in one batch and fails on any error-severity
// diagnostic. It skips when node or the tool (or its npm cache) is missing: the suite runs offline.
func mustKQLCheck(tb testing.TB, queries []string) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("kqlcheck: skipped in -short mode")
	}
	if _, err := exec.LookPath("node"); err != nil {
		tb.Skip("kqlcheck: node not installed")
	}
	if _, err := os.Stat(kqlcheckPath); err != nil {
		tb.Skipf("kqlcheck: %v", err)
	}
	if len(queries) == 0 {
		tb.Fatal("kqlcheck: no queries")
	}
	cmd := exec.Command(kqlcheckPath)
	cmd.Stdin = strings.NewReader(strings.Join(queries, "\n---\n"))
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.ExitCode() == 1:
		tb.Errorf("kqlcheck found errors:\n%s\nqueries:\n%s", out, strings.Join(queries, "\n---\n"))
	default:
		tb.Skipf("kqlcheck unusable (%v): %s", err, out)
	}
}
